/**
 * The golden-encoding corpus of the AArch64 subset: every instruction form
 * with several operand combinations, extreme registers (x0, x30, sp, xzr,
 * d31, q31) and boundary immediates. scripts/golden-aarch64.ts assembles each
 * entry with GNU `as` to produce test/golden/aarch64.golden; the golden test
 * checks the formatter and the encoder against it.
 *
 * Entries that name labels place the instruction at `at` and each label at
 * the given address, so branch offsets (forward, backward, at the limits of
 * their range) are exercised too.
 */
import type { A64Condition, A64Instruction } from "../../src/arch/aarch64/instructions.js";
import { A64_CONDITIONS } from "../../src/arch/aarch64/instructions.js";

export interface CorpusEntry {
  readonly instr: A64Instruction;
  /** Address of the instruction (default {@link DEFAULT_AT}). */
  readonly at?: bigint;
  /** Label addresses. */
  readonly labels?: Readonly<Record<string, bigint>>;
}

export const DEFAULT_AT = 0x10000000n;

const entries: CorpusEntry[] = [];
const add = (instr: A64Instruction, labels?: Record<string, bigint>, at?: bigint): void => {
  entries.push({ instr, ...(labels ? { labels } : {}), ...(at !== undefined ? { at } : {}) });
};

const shifts16 = [0, 16, 32, 48] as const;
for (const op of ["movz", "movk", "movn"] as const) {
  add({ op, rd: "x0", imm: 0 });
  add({ op, rd: "x30", imm: 0xffff });
  for (const shift of shifts16) add({ op, rd: "x17", imm: 0x1234, shift });
  add({ op, rd: "xzr", imm: 1, shift: 48 });
}

add({ op: "mov", rd: "x0", rn: "x1" });
add({ op: "mov", rd: "x30", rn: "x29" });
add({ op: "mov", rd: "x5", rn: "xzr" });
add({ op: "mov", rd: "sp", rn: "x17" });
add({ op: "mov", rd: "x16", rn: "sp" });
add({ op: "mov", rd: "sp", rn: "sp" });
add({ op: "mov", rd: "x0", rn: "lr" });

for (const op of ["addi", "subi"] as const) {
  add({ op, rd: "x0", rn: "x1", imm: 0 });
  add({ op, rd: "x30", rn: "x30", imm: 4095 });
  add({ op, rd: "sp", rn: "sp", imm: 16 });
  add({ op, rd: "x2", rn: "sp", imm: 1, lsl12: true });
  add({ op, rd: "sp", rn: "x3", imm: 4095, lsl12: true });
}
for (const op of ["addsi", "subsi"] as const) {
  add({ op, rd: "x0", rn: "x1", imm: 7 });
  add({ op, rd: "xzr", rn: "sp", imm: 4095 });
  add({ op, rd: "x30", rn: "x30", imm: 2, lsl12: true });
}
for (const op of ["cmpi", "cmni"] as const) {
  add({ op, rn: "x0", imm: 0 });
  add({ op, rn: "x30", imm: 4095 });
  add({ op, rn: "sp", imm: 1, lsl12: true });
}

for (const op of ["add", "sub", "adds", "subs"] as const) {
  add({ op, rd: "x0", rn: "x1", rm: "x2" });
  add({ op, rd: "x30", rn: "xzr", rm: "x30" });
  add({ op, rd: "x3", rn: "x4", rm: "x5", shift: "lsl", amount: 63 });
  add({ op, rd: "x3", rn: "x4", rm: "x5", shift: "lsr", amount: 1 });
  add({ op, rd: "x3", rn: "x4", rm: "x5", shift: "asr", amount: 32 });
}
add({ op: "cmp", rn: "x0", rm: "x1" });
add({ op: "cmp", rn: "x30", rm: "xzr" });
add({ op: "cmp", rn: "x16", rm: "x17", shift: "asr", amount: 63 });

for (const op of ["and", "orr", "eor", "ands"] as const) {
  add({ op, rd: "x0", rn: "x1", rm: "x2" });
  add({ op, rd: "x30", rn: "x29", rm: "xzr" });
  add({ op, rd: "x7", rn: "x8", rm: "x9", shift: "lsl", amount: 4 });
  add({ op, rd: "x7", rn: "x8", rm: "x9", shift: "lsr", amount: 63 });
  add({ op, rd: "x7", rn: "x8", rm: "x9", shift: "asr", amount: 1 });
  add({ op, rd: "x7", rn: "x8", rm: "x9", shift: "ror", amount: 17 });
}

for (const op of ["mul", "lslv", "lsrv", "asrv"] as const) {
  add({ op, rd: "x0", rn: "x1", rm: "x2" });
  add({ op, rd: "x30", rn: "x30", rm: "x30" });
  add({ op, rd: "x16", rn: "xzr", rm: "x17" });
}
for (const op of ["lsli", "lsri", "asri"] as const) {
  for (const amount of [0, 1, 31, 32, 63]) add({ op, rd: "x0", rn: "x30", amount });
  add({ op, rd: "x30", rn: "x1", amount: 5 });
}

for (const op of ["ldr", "str"] as const) {
  add({ op, rt: "x0", rn: "x1", offset: 0 });
  add({ op, rt: "x30", rn: "sp", offset: 8 });
  add({ op, rt: "x19", rn: "x29", offset: 32760 });
  add({ op, rt: "d0", rn: "sp", offset: 0 });
  add({ op, rt: "d31", rn: "x30", offset: 32760 });
  add({ op, rt: "d8", rn: "x2", offset: 64 });
  add({ op, rt: "q0", rn: "x1", offset: 16 });
  add({ op, rt: "q31", rn: "sp", offset: 65520 });
  add({ op, rt: "w0", rn: "x1", offset: 0 });
  add({ op, rt: "w30", rn: "sp", offset: 4 });
  add({ op, rt: "w17", rn: "x0", offset: 16380 });
}
add({ op: "ldr", rt: "wzr", rn: "x3", offset: 8 });
add({ op: "str", rt: "wzr", rn: "sp", offset: 12 });
add({ op: "ldrh", rt: "w0", rn: "x1", offset: 0 });
add({ op: "ldrh", rt: "w30", rn: "sp", offset: 2 });
add({ op: "ldrh", rt: "w17", rn: "x0", offset: 72 });
add({ op: "ldrh", rt: "w9", rn: "x29", offset: 8190 });
add({ op: "ldrh", rt: "wzr", rn: "x2", offset: 6 });
add({ op: "ldurh", rt: "w0", rn: "x1", offset: -256 });
add({ op: "ldurh", rt: "w30", rn: "sp", offset: 255 });
add({ op: "ldurh", rt: "w5", rn: "x6", offset: 1 });
add({ op: "ldurh", rt: "w17", rn: "x30", offset: -2 });
add({ op: "str", rt: "xzr", rn: "sp", offset: 16 });
for (const op of ["ldur", "stur"] as const) {
  add({ op, rt: "x0", rn: "x1", offset: -256 });
  add({ op, rt: "x30", rn: "sp", offset: 255 });
  add({ op, rt: "x5", rn: "x6", offset: -8 });
  add({ op, rt: "d31", rn: "sp", offset: -256 });
  add({ op, rt: "d9", rn: "x9", offset: 1 });
  add({ op, rt: "q7", rn: "x30", offset: 255 });
  add({ op, rt: "q0", rn: "sp", offset: -16 });
  add({ op, rt: "w0", rn: "x1", offset: -256 });
  add({ op, rt: "w30", rn: "sp", offset: 255 });
  add({ op, rt: "w17", rn: "x16", offset: -3 });
}

const at = DEFAULT_AT;
for (const op of ["b", "bl"] as const) {
  add({ op, target: "t" }, { t: at + 4n });
  add({ op, target: "t" }, { t: at - 4n });
  add({ op, target: "t" }, { t: at });
  add({ op, target: "t" }, { t: at + (1n << 27n) - 4n });
  add({ op, target: "t" }, { t: at - (1n << 27n) });
}
for (const cond of A64_CONDITIONS as readonly A64Condition[]) {
  add({ op: "bcond", cond, target: "t" }, { t: at + 0x40n });
}
add({ op: "bcond", cond: "eq", target: "t" }, { t: at + (1n << 20n) - 4n });
add({ op: "bcond", cond: "lt", target: "t" }, { t: at - (1n << 20n) });
add({ op: "bcond", cond: "ne", target: "t" }, { t: at - 8n });

for (const op of ["br", "blr"] as const) {
  add({ op, rn: "x0" });
  add({ op, rn: "x16" });
  add({ op, rn: "x30" });
}
add({ op: "ret" });
add({ op: "ret", rn: "x0" });
add({ op: "ret", rn: "x17" });

add({ op: "adr", rd: "x0", target: "t" }, { t: at });
add({ op: "adr", rd: "x30", target: "t" }, { t: at + 1n });
add({ op: "adr", rd: "x16", target: "t" }, { t: at + 3n });
add({ op: "adr", rd: "x1", target: "t" }, { t: at + (1n << 20n) - 1n });
add({ op: "adr", rd: "x2", target: "t" }, { t: at - (1n << 20n) });
add({ op: "adr", rd: "x3", target: "t" }, { t: at - 5n });

add({ op: "mrs", rt: "x0", sysreg: "fpcr" });
add({ op: "mrs", rt: "x30", sysreg: "fpcr" });
add({ op: "msr", sysreg: "fpcr", rt: "x17" });
add({ op: "msr", sysreg: "fpcr", rt: "xzr" });
add({ op: "brk", imm: 0 });
add({ op: "brk", imm: 0xffff });
add({ op: "brk", imm: 0x3e8 });
add({ op: "nop" });

/** Every corpus entry, in a fixed order (the golden file has one line per entry). */
export const CORPUS: readonly CorpusEntry[] = entries;

/** The label resolver of an entry. */
export function labelsOf(entry: CorpusEntry): (name: string) => bigint {
  return (name) => {
    const at = entry.labels?.[name];
    if (at === undefined) throw new Error(`corpus: label ${name} missing`);
    return at;
  };
}
