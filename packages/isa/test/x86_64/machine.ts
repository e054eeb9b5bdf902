/**
 * A small emulated machine for the x86-64 tests: code at 0x10000 (rx), a
 * stack of 7 pages below 0x28000 with a no-access guard page at 0x20000, a
 * data region of two pages at 0x40000 (rw), and a non-executable data page at
 * 0x50000 (rw) holding nothing.
 */
import type { LabelItem } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import * as x86_64 from "../../src/arch/x86_64/index.js";
import type { X86Instruction } from "../../src/arch/x86_64/instructions.js";
import { Memory, PAGE_SIZE } from "../../src/memory/memory.js";

export const CODE = 0x10000n;
export const GUARD = 0x20000n;
export const STACK_TOP = 0x28000n;
export const DATA = 0x40000n;
export const NOEXEC = 0x50000n;

export function machine(items: readonly (X86Instruction | LabelItem)[]) {
  const memory = new Memory();
  const code = assemble(x86_64, [...items, { op: "label", name: "__end" }, { op: "nop" }], CODE);
  const pages = Math.ceil(code.bytes.length / PAGE_SIZE) * PAGE_SIZE;
  memory.map(CODE, pages, "rx");
  memory.poke(CODE, code.bytes);
  memory.map(GUARD, PAGE_SIZE, "");
  memory.map(GUARD + BigInt(PAGE_SIZE), Number(STACK_TOP - GUARD) - PAGE_SIZE, "rw");
  memory.map(DATA, 2 * PAGE_SIZE, "rw");
  memory.map(NOEXEC, PAGE_SIZE, "rw");
  const cpu = x86_64.createCpu(memory);
  cpu.load(code);
  const end = code.labels.get("__end")!;
  const reset = (regs: Record<string, bigint> = {}) => {
    for (const r of x86_64.integerRegisters) cpu.set(r, 0n);
    cpu.set("rflags", 0n);
    cpu.set("rsp", STACK_TOP);
    for (const [name, value] of Object.entries(regs)) cpu.set(name, value);
    cpu.pc = CODE;
  };
  reset();
  const run = (regs: Record<string, bigint> = {}, maxSteps = 10_000) => {
    reset(regs);
    return cpu.run({ stopAt: [end], maxSteps });
  };
  return { cpu, memory, code, end, run, reset };
}

/** The five flags the interpreter keeps, read from rflags. */
export function flags(value: bigint) {
  return {
    cf: (value & 1n) !== 0n,
    pf: (value & 4n) !== 0n,
    zf: (value & 0x40n) !== 0n,
    sf: (value & 0x80n) !== 0n,
    of: (value & 0x800n) !== 0n,
  };
}

/** Deterministic 64-bit PRNG (splitmix64) for property tests. */
export function prng(seed: bigint) {
  let state = BigInt.asUintN(64, seed);
  return (): bigint => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

/** Values at the signed and unsigned edges, for exhaustive pairings. */
export const EDGES: readonly bigint[] = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0x8000000000000001n,
  0xfffffffffffffffen,
  0xffffffffffffffffn,
];
