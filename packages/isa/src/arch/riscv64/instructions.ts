/**
 * The RV64G instruction subset as typed values.
 *
 * Why this subset: it is what the runtime's generated routines need
 * (building 64-bit constants with lui/addiw/slli/addi, moving the stack
 * pointer, saving and restoring integer and double registers and fcsr,
 * comparing and branching, calling through ra) plus the neighbouring forms
 * that keep the encoder's coverage honest (every load and store width, every
 * branch condition, the set-less-than forms, csrrc).
 *
 * Every instruction is a 32-bit word except `la`, which is the fixed
 * auipc + addi pair that addresses a label PC-relatively (8 bytes), and the
 * long forms of branches to labels (`via`): a conditional branch inverted
 * over a `jal` (8 bytes) or over `auipc` + `jalr` through t6 (12 bytes), and
 * a `jal` as `auipc` + `jalr` (8 bytes; through t6 when rd is zero, else
 * through rd). Selection gives every LIR `br` the `jal` form; branch
 * relaxation (see assemble.ts) lengthens what does not reach. Sizes never
 * depend on labels. Each value names its operands the way the RISC-V
 * manual does (`rd`, `rs1`, `rs2`); `op` is the mnemonic. Immediates are plain
 * numbers: every RISC-V immediate field is at most 20 bits.
 *
 * Branch and jump targets are either a label name or a number: a number is a
 * byte offset from the instruction itself (printed as `. + 8`), which lets
 * instruction selection skip over the next instruction without inventing
 * label names.
 *
 * @module
 */
import type { LabelItem } from "../arch.js";

/**
 * Register-immediate arithmetic: `rd = rs1 <op> imm`, imm a signed 12-bit value.
 * `addiw` adds in 32 bits and sign-extends the result.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.ImmOp = "xori";
 * ```
 */
export type RvImmOp = "addi" | "addiw" | "slti" | "sltiu" | "andi" | "ori" | "xori";

/**
 * Shifts by a constant amount (0-63).
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.ShiftImmOp = "srai";
 * ```
 */
export type RvShiftImmOp = "slli" | "srli" | "srai";

/**
 * Register-register arithmetic: `rd = rs1 <op> rs2` (shifts use the low 6
 * bits of rs2, `mul` keeps the low 64 bits).
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.RegOp = "sltu";
 * ```
 */
export type RvRegOp =
  | "add"
  | "sub"
  | "and"
  | "or"
  | "xor"
  | "sll"
  | "srl"
  | "sra"
  | "slt"
  | "sltu"
  | "mul";

/**
 * Integer loads: `rd = memory[rs1 + offset]`, sign- or (`u`) zero-extended.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.LoadOp = "lwu";
 * ```
 */
export type RvLoadOp = "lb" | "lbu" | "lh" | "lhu" | "lw" | "lwu" | "ld";

/**
 * Integer stores of the low 1, 2, 4 or 8 bytes of rs2 at `rs1 + offset`.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.StoreOp = "sd";
 * ```
 */
export type RvStoreOp = "sb" | "sh" | "sw" | "sd";

/**
 * Conditional branches: signed (`blt`, `bge`) and unsigned (`bltu`, `bgeu`).
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.BranchOp = "bgeu";
 * ```
 */
export type RvBranchOp = "beq" | "bne" | "blt" | "bge" | "bltu" | "bgeu";

/**
 * CSR read-and-modify: `rd = csr`, then csr is written with rs1 (`csrrw`),
 * has rs1's bits set (`csrrs`) or cleared (`csrrc`).
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const op: riscv64.CsrOp = "csrrs";
 * ```
 */
export type RvCsrOp = "csrrw" | "csrrs" | "csrrc";

/**
 * A branch or jump target: a label name, or a byte offset from the
 * instruction's own address.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const overNext: riscv64.Target = 8;
 * const loop: riscv64.Target = "loop";
 * ```
 */
export type RvTarget = string | number;

/**
 * One instruction of the RV64G subset.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const code: riscv64.Instruction[] = [
 *   { op: "lui", rd: "a0", imm: 0x12345 },
 *   { op: "addiw", rd: "a0", rs1: "a0", imm: 0x678 },
 *   { op: "sd", rs2: "a0", rs1: "sp", offset: 8 },
 *   { op: "jalr", rd: "zero", rs1: "ra", offset: 0 },
 * ];
 * ```
 */
export type RvInstruction =
  | { readonly op: "lui" | "auipc"; readonly rd: string; readonly imm: number }
  | { readonly op: RvImmOp; readonly rd: string; readonly rs1: string; readonly imm: number }
  | {
      readonly op: RvShiftImmOp;
      readonly rd: string;
      readonly rs1: string;
      readonly shamt: number;
    }
  | { readonly op: RvRegOp; readonly rd: string; readonly rs1: string; readonly rs2: string }
  | { readonly op: RvLoadOp; readonly rd: string; readonly rs1: string; readonly offset: number }
  | {
      readonly op: RvStoreOp;
      readonly rs2: string;
      readonly rs1: string;
      readonly offset: number;
    }
  | { readonly op: "fld"; readonly rd: string; readonly rs1: string; readonly offset: number }
  | { readonly op: "fsd"; readonly rs2: string; readonly rs1: string; readonly offset: number }
  | {
      readonly op: RvBranchOp;
      readonly rs1: string;
      readonly rs2: string;
      readonly target: RvTarget;
      /** A long form (label targets only): the inverted branch skips a `jal` (±1 MiB) or `auipc` + `jalr` (±2 GiB). */
      readonly via?: "jal" | "auipc";
    }
  | {
      readonly op: "jal";
      readonly rd: string;
      readonly target: RvTarget;
      /** The long form (label targets only): `auipc` + `jalr`, ±2 GiB. */
      readonly via?: "auipc";
    }
  | { readonly op: "jalr"; readonly rd: string; readonly rs1: string; readonly offset: number }
  | { readonly op: RvCsrOp; readonly rd: string; readonly csr: number; readonly rs1: string }
  | { readonly op: "la"; readonly rd: string; readonly target: string }
  | { readonly op: "ebreak" }
  | { readonly op: "nop" }
  /** Data, not an instruction: 4 bytes per entry (see LIR `table`). */
  | { readonly op: "table"; readonly entries: readonly (string | null)[] };

/**
 * An instruction or a label: what {@link riscv64}'s `select` returns and
 * `format` takes.
 *
 * @example
 * ```ts
 * import type { riscv64 } from "@greenthreads/isa";
 * const items: riscv64.Item[] = [{ op: "label", name: "spin" }, { op: "jal", rd: "zero", target: "spin" }];
 * ```
 */
export type RvItem = RvInstruction | LabelItem;

/**
 * The `op` of every instruction in the subset.
 *
 * @example
 * ```ts
 * import { RV_OPS } from "./instructions.js";
 * console.log(RV_OPS.includes("mul")); // true
 * ```
 */
export const RV_OPS: readonly RvInstruction["op"][] = [
  "lui",
  "auipc",
  "addi",
  "addiw",
  "slti",
  "sltiu",
  "andi",
  "ori",
  "xori",
  "slli",
  "srli",
  "srai",
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
  "lb",
  "lbu",
  "lh",
  "lhu",
  "lw",
  "lwu",
  "ld",
  "sb",
  "sh",
  "sw",
  "sd",
  "fld",
  "fsd",
  "beq",
  "bne",
  "blt",
  "bge",
  "bltu",
  "bgeu",
  "jal",
  "jalr",
  "csrrw",
  "csrrs",
  "csrrc",
  "la",
  "ebreak",
  "nop",
];
