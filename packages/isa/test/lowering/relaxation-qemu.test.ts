/**
 * Relaxed machine code on a real CPU: random LIR (constants, arithmetic,
 * forward conditional branches, jumps, and label addresses taken relative to
 * the start) is selected and assembled with every reach divided by 2^12, so
 * that most branches and address formations take their long forms. The
 * assembler's own bytes, embedded word for word in a static executable, run
 * under qemu and must end in the same registers as the interpreter running
 * the same placed instructions.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ArchName } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import { arches } from "../../src/arch/registry.js";
import type { Cond, LirOp } from "../../src/lir/lir.js";
import { Memory } from "../../src/memory/memory.js";
import { prng } from "../lir-reference.js";
import { hasTool, lengthened, shrunk } from "./shrunk-reach.js";

interface Target {
  readonly gnu: string;
  readonly qemu: string;
  /** Registers the program computes in, and the one holding the start's address. */
  readonly values: readonly string[];
  readonly start: string;
  /** Stores `values` at `dump`, writes them to stdout and exits. */
  readonly epilogue: (values: readonly string[]) => string;
}

const TARGETS: Record<"aarch64" | "riscv64", Target> = {
  aarch64: {
    gnu: "aarch64-linux-gnu-",
    qemu: "qemu-aarch64",
    values: ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"],
    start: "x9",
    epilogue: (values) =>
      [
        "adrp x28, dump",
        "add x28, x28, :lo12:dump",
        ...values.map((r, i) => `str ${r}, [x28, #${8 * i}]`),
        "mov x0, #1",
        "mov x1, x28",
        `mov x2, #${8 * values.length}`,
        "mov x8, #64",
        "svc #0",
        "mov x0, #0",
        "mov x8, #93",
        "svc #0",
      ].join("\n  "),
  },
  riscv64: {
    gnu: "riscv64-linux-gnu-",
    qemu: "qemu-riscv64",
    values: ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"],
    start: "s1",
    epilogue: (values) =>
      [
        "la t0, dump",
        ...values.map((r, i) => `sd ${r}, ${8 * i}(t0)`),
        "li a0, 1",
        "mv a1, t0",
        `li a2, ${8 * values.length}`,
        "li a7, 64",
        "ecall",
        "li a0, 0",
        "li a7, 93",
        "ecall",
      ].join("\n  "),
  },
};

const CONDS: readonly Cond[] = ["eq", "ne", "lt", "le", "gt", "ge", "ltu", "leu", "gtu", "geu"];

/** Random LIR whose branches and label addresses span up to a few KiB, ending at `end`. */
function randomLir(seed: number, target: Target): LirOp[] {
  const next = prng(BigInt(seed) * 0x9e37_79b9n + 1n);
  const int = (n: number) => Number(next() % BigInt(n));
  const reg = () => target.values[int(target.values.length)]!;
  const ops: LirOp[] = [
    { op: "label", name: "start" },
    { op: "la", dst: target.start, label: "start" },
  ];
  for (const r of target.values) {
    const big = BigInt(int(1 << 30)) << BigInt(int(34));
    ops.push({ op: "li", dst: r, imm: BigInt(int(3)) === 0n ? -big : big + BigInt(int(100)) });
  }
  const labels = 40;
  // Each block may branch or jump forward to a later block, or take a block's address.
  for (let k = 0; k < labels; k++) {
    ops.push({ op: "label", name: `b${k}` });
    for (let n = int(12); n > 0; n--) {
      ops.push({
        op: "alui",
        kind: ["add", "xor", "sub"][int(3)] as "add",
        dst: reg(),
        a: reg(),
        imm: BigInt(int(4000)),
      });
    }
    const ahead = k + 1 + int(8);
    const later = ahead < labels ? `b${ahead}` : "end";
    switch (int(4)) {
      case 0:
      case 1:
        ops.push({ op: "br", cond: CONDS[int(CONDS.length)]!, a: reg(), b: reg(), target: later });
        break;
      case 2:
        if (int(4) === 0) ops.push({ op: "jmp", target: later });
        break;
      default: {
        const dst = reg();
        ops.push({ op: "la", dst, label: `b${int(labels)}` });
        ops.push({ op: "alu", kind: "sub", dst, a: dst, b: target.start });
      }
    }
    ops.push({ op: "alui", kind: "add", dst: reg(), a: reg(), imm: BigInt(k + 1) });
  }
  ops.push({ op: "jmp", target: "end" }, { op: "trap" }, { op: "label", name: "end" });
  return ops;
}

const CODE = 0x10_0000n;

describe.each(Object.keys(TARGETS))("relaxed %s code under qemu", (name) => {
  const target = TARGETS[name as keyof typeof TARGETS];
  const arch = arches[name as ArchName];
  const ready = hasTool(`${target.gnu}as`) && hasTool(`${target.gnu}ld`) && hasTool(target.qemu);
  test.skipIf(!ready)(
    `random branches, jumps and addresses end in the interpreter's registers${ready ? "" : ` (skipped: ${target.qemu} or ${target.gnu}binutils not installed)`}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), "relax-qemu-"));
      try {
        let long = 0;
        for (let seed = 1; seed <= 8; seed++) {
          const items = arch.select(randomLir(seed, target));
          const code = assemble(shrunk(arch, 12n), items, CODE);
          long += lengthened(arch, code).long;
          // The interpreter, on the placed (relaxed) instructions.
          const memory = new Memory();
          memory.map(CODE, Math.ceil(code.bytes.length / 4096) * 4096, "rx");
          memory.poke(CODE, code.bytes);
          const cpu = arch.createCpu(memory);
          cpu.load(code);
          cpu.pc = CODE;
          const stop = cpu.run({ stopAt: [code.labels.get("end")!], maxSteps: 100_000 });
          expect(stop.kind, `seed ${seed}`).toBe("stopped");
          // The same bytes on the CPU, then the registers to stdout.
          const words: string[] = [];
          const view = new DataView(code.bytes.buffer, code.bytes.byteOffset, code.bytes.length);
          for (let at = 0; at < code.bytes.length; at += 4) {
            words.push(`.4byte 0x${view.getUint32(at, true).toString(16)}`);
          }
          const text = [
            arch.asmPrologue,
            ".data",
            ".balign 16",
            `dump: .space ${8 * target.values.length}`,
            ".text",
            ".globl _start",
            "_start:",
            ...words.map((w) => `  ${w}`),
            `  ${target.epilogue(target.values)}`,
            "",
          ].join("\n");
          writeFileSync(join(dir, "p.s"), text);
          const march = name === "riscv64" ? ["-march=rv64g"] : [];
          execFileSync(`${target.gnu}as`, [...march, join(dir, "p.s"), "-o", join(dir, "p.o")]);
          execFileSync(`${target.gnu}ld`, ["-static", join(dir, "p.o"), "-o", join(dir, "p")]);
          const native = execFileSync(target.qemu, [join(dir, "p")]);
          target.values.forEach((r, i) => {
            expect(cpu.get(r), `seed ${seed} ${r}`).toBe(native.readBigUInt64LE(8 * i));
          });
        }
        expect(long).toBeGreaterThan(50);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
