/**
 * Branch relaxation, against the reference machine.
 *
 * Long forms are needed only in code of more than a MiB, so these tests
 * shrink every reach instead: an instruction set whose relaxation sees each
 * label distance multiplied by 2^k lengthens most branches and address
 * formations of small programs. With k = 12 the forms mix (on RISC-V a
 * branch via jal stays within 256 bytes, via auipc beyond); with k = 40
 * every instruction that has a longer form takes its longest. The corpus,
 * every budget from 1 to 8 and random programs then run in the interpreted
 * host (the thread routines assembled the same way) and must trap exactly as
 * the reference machine does; the GNU assembler must give the same bytes
 * for the relaxed listing; and a program at the instruction limit lowers,
 * assembles and runs on both instruction sets that relax.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { abis, getAbi } from "../../src/abi/registry.js";
import type { Arch, ArchName, AssembledCode, Instruction, LabelItem } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import { arches } from "../../src/arch/registry.js";
import { parseProgram } from "../../src/language/parse.js";
import { PROGRAM_LIMITS } from "../../src/language/syntax.js";
import { verifyProgram } from "../../src/language/verify.js";
import { lowerProgram } from "../../src/lowering/lower.js";
import { InterpretedHost } from "../../src/protocol/interpreted-host.js";
import { threadRoutines } from "../../src/routines/trampolines.js";
import { CORPUS } from "./corpus.js";
import {
  BUDGETS,
  DEFAULT_STACK,
  mapStacks,
  reference,
  runInterpreted,
} from "./differential-run.js";
import { randomProgram } from "./random-programs.js";
import { hasTool, lengthened, shrunk } from "./shrunk-reach.js";

/** The ABIs whose instruction set relaxes. */
const RELAXING = Object.keys(abis).filter(
  (name) => arches[abis[name as keyof typeof abis].arch].relaxation !== undefined,
);

/** An interpreted host whose routines and programs are assembled for `arch` (its instruction set's stand-in). */
function hostWith(abiName: string, arch: Arch): InterpretedHost {
  const table = arches as Record<ArchName, Arch>;
  const saved = table[arch.name];
  table[arch.name] = arch;
  try {
    return mapStacks(new InterpretedHost(abis[abiName as keyof typeof abis]));
  } finally {
    table[arch.name] = saved;
  }
}

describe.each(RELAXING)("relaxed code on %s against the reference machine", (abiName) => {
  const arch = arches[abis[abiName as keyof typeof abis].arch];
  for (const shift of [12n, 40n]) {
    test(`the corpus, every budget, and random programs, every reach divided by 2^${shift}`, () => {
      const host = hostWith(abiName, shrunk(arch, shift));
      const seen = { long: 0, short: 0 };
      for (const { name, source, budget, stackSize = DEFAULT_STACK } of CORPUS) {
        const program = parseProgram(source);
        verifyProgram(program);
        const loaded = host.loadProgram(program, { fuel: true });
        const count = lengthened(arch, loaded.code);
        seen.long += count.long;
        seen.short += count.short;
        for (const b of [budget, ...BUDGETS]) {
          expect(runInterpreted(host, loaded, stackSize, b, 150), `${name}, budget ${b}`).toEqual(
            reference(program, stackSize, b, 150),
          );
        }
        host.unloadProgram(loaded);
        const plain = host.loadProgram(program);
        expect(runInterpreted(host, plain, stackSize, undefined, 500), name).toEqual(
          reference(program, stackSize, undefined, 500),
        );
        host.unloadProgram(plain);
      }
      for (let seed = 1; seed <= 30; seed++) {
        const { source, budget } = randomProgram(seed);
        const program = parseProgram(source);
        verifyProgram(program);
        const loaded = host.loadProgram(program, { fuel: true });
        for (const b of seed <= 5 ? [budget, ...BUDGETS] : [budget]) {
          expect(runInterpreted(host, loaded, 2048, b, 200), `seed ${seed}, budget ${b}`).toEqual(
            reference(program, 2048, b, 200),
          );
        }
        host.unloadProgram(loaded);
      }
      // The long forms really ran: most are long, and with 2^40 none can grow further.
      expect(seen.long).toBeGreaterThan(100);
      if (shift === 40n) expect(seen.short).toBe(0);
      else expect(seen.short).toBeGreaterThan(0);
    }, 120_000);
  }

  test("code within every reach is placed as given: the corpus does not grow", () => {
    const abi = getAbi(abiName);
    for (const { name, source } of CORPUS) {
      for (const fuel of [false, true]) {
        const items = arch.select(lowerProgram(parseProgram(source), abi, arch, { fuel }).ops);
        let given = 0;
        for (const item of items) if (item.op !== "label") given += arch.sizeOf(item);
        const code = assemble(arch, items, 0x10_0000n);
        expect(code.bytes.length, name).toBe(given);
        const placed = code.instructions.map((p) => p.instruction);
        expect(placed, name).toEqual(items.filter((item) => item.op !== "label"));
      }
    }
  });
});

const GNU = { aarch64: "aarch64-linux-gnu-", riscv64: "riscv64-linux-gnu-" } as const;
const BASE = 0x40_0000n;

/** Bytes of `text` assembled and linked at BASE by the GNU tools for `arch`. */
function gnuBytes(arch: Arch, text: string): Buffer {
  const gnu = GNU[arch.name as keyof typeof GNU];
  const work = mkdtempSync(join(tmpdir(), "relax-gnu-"));
  try {
    const s = join(work, "a.s");
    writeFileSync(s, `${arch.asmPrologue}\n.text\n${text}`);
    const march = arch.name === "riscv64" ? ["-march=rv64g"] : [];
    execFileSync(`${gnu}as`, [...march, s, "-o", join(work, "a.o")]);
    const elf = join(work, "a.elf");
    execFileSync(`${gnu}ld`, [
      "-e",
      "0",
      `-Ttext=0x${BASE.toString(16)}`,
      join(work, "a.o"),
      "-o",
      elf,
    ]);
    execFileSync(`${gnu}objcopy`, ["-O", "binary", "-j", ".text", elf, join(work, "a.bin")]);
    return readFileSync(join(work, "a.bin"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The assembled code as an instruction list again: its placed (relaxed) instructions and its labels. */
function listing(code: AssembledCode): (Instruction | LabelItem)[] {
  const labels = [...code.labels];
  const out: (Instruction | LabelItem)[] = [];
  let n = 0;
  for (const { address, instruction } of code.instructions) {
    while (n < labels.length && labels[n]![1] <= address) {
      out.push({ op: "label", name: labels[n++]![0] });
    }
    out.push(instruction);
  }
  while (n < labels.length) out.push({ op: "label", name: labels[n++]![0] });
  return out;
}

describe.each(Object.keys(GNU))("relaxed listings through GNU as on %s", (archName) => {
  const arch = arches[archName as ArchName];
  const gnu = GNU[archName as keyof typeof GNU];
  const ready = hasTool(`${gnu}as`) && hasTool(`${gnu}ld`);
  test.skipIf(!ready)(
    `the corpus and the routines, relaxed, assemble to the same bytes${ready ? "" : ` (skipped: ${gnu}as not installed)`}`,
    () => {
      const abi = Object.values(abis).find((a) => a.arch === archName)!;
      const items = arch.select(threadRoutines(abi, arch));
      CORPUS.forEach(({ source }, k) => {
        const program = parseProgram(source);
        for (const fuel of [false, true]) {
          const prefix = `c${k}${fuel ? "f" : ""}_`;
          items.push(...arch.select(lowerProgram(program, abi, arch, { fuel, prefix }).ops));
        }
      });
      for (const shift of [12n, 40n]) {
        const code = assemble(shrunk(arch, shift), items, BASE);
        expect(lengthened(arch, code).long).toBeGreaterThan(100);
        const text = arch.format(listing(code));
        expect(gnuBytes(arch, text).toString("hex"), `every reach divided by 2^${shift}`).toBe(
          Buffer.from(code.bytes).toString("hex"),
        );
      }
    },
    60_000,
  );
});

/**
 * A program at the instruction limit, no fuel: 8 bytes of code per filler
 * instruction, 2 MiB in all, so that the first instructions' checks, calls,
 * returns and branches reach across it.
 */
function programAtTheLimit(): string {
  const head = ["push 1", "call f", "hostcall h(r0) -> r0", "bne r0, 99, f2", "exit 1"];
  const tail = ["f: yield 7", "ret", "f2: pop r2", "add r2, r2, r0", "pop r3", "exit r2"];
  const lines = [...head];
  while (lines.length < PROGRAM_LIMITS.maxInstructions - tail.length) lines.push("add r1, r1, 1");
  lines.push(...tail);
  return lines.join("\n");
}

test("a program at the instruction limit lowers, assembles and runs on every instruction set that relaxes", () => {
  const program = parseProgram(programAtTheLimit());
  verifyProgram(program);
  expect(program.instructions.length).toBe(PROGRAM_LIMITS.maxInstructions);
  const expected = reference(program, DEFAULT_STACK, undefined, 10);
  // yield, host call, then the second pop faults: the run crossed the 2 MiB both ways.
  expect(expected.map((t) => t.kind)).toEqual(["yield", "hostcall", "fault"]);
  for (const abiName of ["aarch64-aapcs64", "riscv64-lp64d"]) {
    const abi = getAbi(abiName);
    const arch = arches[abi.arch];
    const host = mapStacks(new InterpretedHost(abi));
    const loaded = host.loadProgram(program);
    expect(loaded.code.bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(lengthened(arch, loaded.code).long, abiName).toBeGreaterThan(0);
    expect(runInterpreted(host, loaded, DEFAULT_STACK, undefined, 10), abiName).toEqual(expected);
  }
}, 120_000);
