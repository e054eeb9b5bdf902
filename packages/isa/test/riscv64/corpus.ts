/**
 * The golden-encoding corpus of the RV64G subset: every instruction form
 * with several operand combinations, extreme registers (zero, ra, sp, t6,
 * ft0, ft11, fs11) and boundary immediates. scripts/golden-riscv64.ts
 * assembles and links each entry with GNU binutils to produce
 * test/golden/riscv64.golden; the golden test checks the formatter and the
 * encoder against it.
 *
 * Entries that name labels place the instruction at `at` and each label at
 * the given address, so branch, jump and auipc/addi offsets (forward,
 * backward, at the limits of their range) are exercised too.
 */
import type {
  RvBranchOp,
  RvImmOp,
  RvInstruction,
  RvLoadOp,
  RvRegOp,
  RvStoreOp,
} from "../../src/arch/riscv64/instructions.js";

export interface CorpusEntry {
  readonly instr: RvInstruction;
  /** Address of the instruction (default {@link DEFAULT_AT}). */
  readonly at?: bigint;
  /** Label addresses. */
  readonly labels?: Readonly<Record<string, bigint>>;
}

export const DEFAULT_AT = 0x10000000n;

const entries: CorpusEntry[] = [];
const add = (instr: RvInstruction, labels?: Record<string, bigint>, at?: bigint): void => {
  entries.push({ instr, ...(labels ? { labels } : {}), ...(at !== undefined ? { at } : {}) });
};

for (const op of ["lui", "auipc"] as const) {
  for (const [rd, imm] of [
    ["zero", 0],
    ["a0", 1],
    ["t6", 0xfffff],
    ["sp", 0x80000],
    ["s11", 0x7ffff],
    ["ra", 0x12345],
  ] as const) {
    add({ op, rd, imm });
  }
}

const immOps: RvImmOp[] = ["addi", "addiw", "slti", "sltiu", "andi", "ori", "xori"];
for (const op of immOps) {
  add({ op, rd: "a0", rs1: "a1", imm: 0 });
  add({ op, rd: "t6", rs1: "zero", imm: -2048 });
  add({ op, rd: "sp", rs1: "sp", imm: 2047 });
  add({ op, rd: "zero", rs1: "t6", imm: -1 });
  add({ op, rd: "s0", rs1: "ra", imm: 0x123 });
}

for (const op of ["slli", "srli", "srai"] as const) {
  for (const [rd, rs1, shamt] of [
    ["a0", "a0", 0],
    ["t6", "zero", 63],
    ["ra", "t5", 32],
    ["s11", "sp", 31],
    ["a7", "s1", 1],
  ] as const) {
    add({ op, rd, rs1, shamt });
  }
}

const regOps: RvRegOp[] = [
  "add",
  "sub",
  "and",
  "or",
  "xor",
  "sll",
  "srl",
  "sra",
  "slt",
  "sltu",
  "mul",
];
for (const op of regOps) {
  add({ op, rd: "a0", rs1: "a1", rs2: "a2" });
  add({ op, rd: "t6", rs1: "zero", rs2: "t6" });
  add({ op, rd: "zero", rs1: "t6", rs2: "ra" });
  add({ op, rd: "sp", rs1: "sp", rs2: "s11" });
}

const loadOps: RvLoadOp[] = ["lb", "lbu", "lh", "lhu", "lw", "lwu", "ld"];
for (const op of loadOps) {
  add({ op, rd: "a0", rs1: "sp", offset: 0 });
  add({ op, rd: "t6", rs1: "t5", offset: -2048 });
  add({ op, rd: "ra", rs1: "zero", offset: 2047 });
  add({ op, rd: "s11", rs1: "t6", offset: -8 });
}
const storeOps: RvStoreOp[] = ["sb", "sh", "sw", "sd"];
for (const op of storeOps) {
  add({ op, rs2: "a0", rs1: "sp", offset: 0 });
  add({ op, rs2: "t6", rs1: "t5", offset: -2048 });
  add({ op, rs2: "zero", rs1: "ra", offset: 2047 });
  add({ op, rs2: "s11", rs1: "t6", offset: 24 });
}
for (const [reg, base, offset] of [
  ["ft0", "sp", 0],
  ["ft11", "t6", -2048],
  ["fs11", "zero", 2047],
  ["fa0", "a0", 8],
  ["fs0", "s0", -16],
] as const) {
  add({ op: "fld", rd: reg, rs1: base, offset });
  add({ op: "fsd", rs2: reg, rs1: base, offset });
}

const branchOps: RvBranchOp[] = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];
for (const op of branchOps) {
  add({ op, rs1: "a0", rs2: "a1", target: 8 });
  add({ op, rs1: "t6", rs2: "zero", target: -4096 });
  add({ op, rs1: "zero", rs2: "t6", target: 4094 });
  add({ op, rs1: "s0", rs2: "ra", target: "fwd" }, { fwd: DEFAULT_AT + 0x100n });
  add({ op, rs1: "sp", rs2: "t5", target: "back" }, { back: DEFAULT_AT - 4096n });
  add({ op, rs1: "a7", rs2: "s11", target: "here" }, { here: DEFAULT_AT });
}

for (const [rd, t, labels] of [
  ["zero", 8, undefined],
  ["ra", -4, undefined],
  ["zero", -(1 << 20), undefined],
  ["t6", (1 << 20) - 2, undefined],
  ["zero", "fwd", { fwd: DEFAULT_AT + 0xffffen }],
  ["ra", "back", { back: DEFAULT_AT - 0x100000n }],
  ["a0", "near", { near: DEFAULT_AT + 4n }],
] as const) {
  add({ op: "jal", rd, target: t }, labels as Record<string, bigint> | undefined);
}

for (const [rd, rs1, offset] of [
  ["zero", "ra", 0],
  ["ra", "t6", 0],
  ["zero", "t6", 0],
  ["t6", "zero", -2048],
  ["a0", "sp", 2047],
] as const) {
  add({ op: "jalr", rd, rs1, offset });
}

for (const op of ["csrrw", "csrrs", "csrrc"] as const) {
  add({ op, rd: "zero", csr: 3, rs1: "t6" });
  add({ op, rd: "t6", csr: 3, rs1: "zero" });
  add({ op, rd: "a0", csr: 1, rs1: "a1" });
  add({ op, rd: "ra", csr: 2, rs1: "s11" });
}

for (const [rd, delta] of [
  ["a0", 0x1000n],
  ["t6", 0n],
  ["ra", -4n],
  ["zero", 0x7ffff7ffn],
  ["s11", -0x80000000n],
  ["sp", 0x800n],
  ["t5", 0x7ffn],
  ["a7", -0x801n],
] as const) {
  add({ op: "la", rd, target: "data" }, { data: DEFAULT_AT + delta });
}

add({ op: "ebreak" });
add({ op: "nop" });

/** Every corpus entry, in golden-file order. */
export const CORPUS: readonly CorpusEntry[] = entries;

/** A label resolver for an entry's labels. */
export function labelsOf(entry: CorpusEntry): (name: string) => bigint {
  return (name) => {
    const at = entry.labels?.[name];
    if (at === undefined) throw new Error(`corpus label ${name} missing`);
    return at;
  };
}
