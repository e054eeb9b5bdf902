/**
 * The lowered switch: its register table is what the data says, lowered
 * code names no register outside the footprint and no float state, and, run
 * in the interpreter on every ABI, every register the host relies on comes
 * back unchanged from lowered programs that use every instruction.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  loweredSwitchFile,
  loweredSwitchTable,
  withFreshTable,
} from "../../scripts/lowered-switch-table.js";
import { abis } from "../../src/abi/registry.js";
import { getArch } from "../../src/arch/registry.js";
import { parseProgram } from "../../src/language/parse.js";
import { verifyProgram } from "../../src/language/verify.js";
import type { LirOp } from "../../src/lir/lir.js";
import { lowerProgram } from "../../src/lowering/lower.js";
import { assignRegisters } from "../../src/lowering/register-assignment.js";
import { INTERPRETED_LAYOUT, InterpretedHost } from "../../src/protocol/interpreted-host.js";
import {
  loweredFootprint,
  loweredSwitchRoutine,
  loweredSwitchState,
  switchToHostRoutine,
} from "../../src/routines/lowered-switch.js";
import { trampolines } from "../../src/routines/trampolines.js";
import { CORPUS } from "../lowering/corpus.js";
import { randomProgram } from "../lowering/random-programs.js";

const FLOAT_OPS = new Set(["loadf", "storef", "loadctl", "storectl"]);
const REGISTER_FIELDS = ["dst", "src", "a", "b", "base", "reg"] as const;

/** Every register an operation names. */
function registersOf(op: LirOp): string[] {
  const named: string[] = [];
  for (const field of REGISTER_FIELDS) {
    const v = (op as unknown as Record<string, unknown>)[field];
    if (typeof v === "string") named.push(v);
  }
  return named;
}

/** The corpus and some random programs, parsed and verified. */
const PROGRAMS = [
  ...CORPUS.map(({ name, source }) => ({ name, source })),
  ...Array.from({ length: 20 }, (_, i) => ({
    name: `random ${i + 1}`,
    source: randomProgram(i + 1).source,
  })),
].map(({ name, source }) => {
  const program = parseProgram(source);
  verifyProgram(program);
  return { name, program };
});

test("the module comment's table is what the data says", () => {
  const text = readFileSync(loweredSwitchFile, "utf8");
  expect(withFreshTable(text), "run: pnpm exec tsx scripts/lowered-switch-table.ts").toBe(text);
  expect(loweredSwitchTable().length).toBe(Object.keys(abis).length + 4);
});

describe.each(Object.values(abis))("the lowered switch on $name", (abi) => {
  const arch = getArch(abi);
  const footprint = new Set([...loweredFootprint(abi, arch), abi.stackPointer]);

  test("lowered code, the lowered switch and the start trampoline name only footprint registers and no float state", () => {
    const routines = [
      ...loweredSwitchRoutine(abi, arch),
      ...switchToHostRoutine(abi, arch),
      ...trampolines(abi, arch),
    ];
    const outside: string[] = [];
    for (const { name, program } of PROGRAMS) {
      for (const fuel of [false, true]) {
        for (const op of [...lowerProgram(program, abi, arch, { fuel }).ops, ...routines]) {
          if (FLOAT_OPS.has(op.op)) outside.push(`${name}: ${op.op}`);
          for (const reg of registersOf(op)) {
            if (!footprint.has(reg)) outside.push(`${name}: ${op.op} names ${reg}`);
          }
        }
      }
    }
    expect(outside).toEqual([]);
  }, 60_000);

  test("the switch to the host saves only what a trapping thread needs and loads the host's kept set", () => {
    const ops = switchToHostRoutine(abi, arch);
    expect(ops.some((op) => FLOAT_OPS.has(op.op))).toBe(false);
    const callee = new Set(abi.calleeSavedInteger);
    const stored = ops.flatMap((op) => (op.op === "store" && callee.has(op.src) ? [op.src] : []));
    const loaded = ops.flatMap((op) => (op.op === "load" && callee.has(op.dst) ? [op.dst] : []));
    const { tcb, stackPointer } = assignRegisters(abi, arch);
    expect(stored).toEqual(abi.calleeSavedInteger.filter((r) => r === tcb || r === stackPointer));
    expect(loaded).toEqual(loweredSwitchState(abi, arch).integer);
  });

  test("it saves no float state, and every callee-saved register outside the footprint is left out", () => {
    const ops = loweredSwitchRoutine(abi, arch);
    expect(ops.some((op) => FLOAT_OPS.has(op.op))).toBe(false);
    const saved = new Set(ops.flatMap((op) => (op.op === "store" ? [op.src] : [])));
    for (const reg of abi.calleeSavedInteger) {
      expect(saved.has(reg), reg).toBe(footprint.has(reg));
    }
  });

  test("every register the host relies on survives lowered programs that use every instruction", () => {
    const host = new InterpretedHost(abi);
    host.memory.map(INTERPRETED_LAYOUT.stacks - 4096n, 4096, ""); // guard
    host.memory.map(INTERPRETED_LAYOUT.stacks, 64 * 1024, "rw");
    const { cpu, memory } = host;
    // What the host relies on: its callee-saved state, and every register lowered code may not touch.
    const relied = new Map<string, bigint>();
    let next = 0x5a5a_0000_0000_0001n;
    const value = () =>
      (next = (next * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n));
    for (const reg of arch.integerRegisters) {
      if (
        reg === abi.stackPointer ||
        reg === "zero" ||
        (footprint.has(reg) && !abi.calleeSavedInteger.includes(reg))
      )
        continue;
      relied.set(reg, value());
    }
    for (const { reg, width } of abi.calleeSavedFloat) {
      relied.set(reg, width === 16 ? (value() << 64n) | value() : value());
    }
    const controls: Record<string, bigint> = {
      mxcsr: 0x3f80n,
      x87cw: 0x027fn,
      fpcr: 1n << 22n,
      fcsr: 0x40n,
    };
    for (const c of abi.floatControl) relied.set(c, controls[c]!);
    const tib = abi.threadInformation.map((info) => ({ info, value: value() }));
    const setHost = () => {
      for (const [reg, v] of relied) cpu.set(reg, v);
      for (const { info, value: v } of tib) {
        memory.write64(INTERPRETED_LAYOUT.threadInformation + BigInt(info.offset), v);
      }
    };
    let traps = 0;
    for (const { name, program } of PROGRAMS) {
      const loaded = host.loadProgram(program, { fuel: true });
      const thread = host.createThread(loaded, {
        stackLow: INTERPRETED_LAYOUT.stacks,
        stackHigh: INTERPRETED_LAYOUT.stacks + 8192n,
        budget: 3n,
      });
      for (let i = 0; i < 200; i++) {
        setHost();
        const trap = host.resume(thread, BigInt(i) * 0x1_0001n);
        traps++;
        for (const [reg, v] of relied) expect(cpu.get(reg), `${name}, trap ${i}: ${reg}`).toBe(v);
        for (const { info, value: v } of tib) {
          const at = INTERPRETED_LAYOUT.threadInformation + BigInt(info.offset);
          expect(memory.read64(at), `${name}, trap ${i}: ${info.name}`).toBe(v);
        }
        if (trap.kind === "exit" || trap.kind === "fault") break;
      }
      host.releaseThread(thread);
      host.unloadProgram(loaded);
    }
    expect(traps).toBeGreaterThan(PROGRAMS.length);
  }, 60_000);
});
