/**
 * LIR, the portable IR the switch routines and lowered thread programs are
 * written in: a few dozen operations on named machine registers, which each
 * instruction set's `select` turns into its own instructions.
 *
 * What it is for: the generators of {@link routines} and the lowering of
 * thread programs ({@link lowering}) produce it, `@greenthreads/switch`
 * passes it to `select` when it writes its assembler files, and a register
 * name ({@link lir.Reg}) is how an interpreter's registers are read and
 * written. An application needs these types to write routines of its own.
 *
 * @example
 * ```ts
 * import { type lir, riscv64 } from "@greenthreads/isa";
 * const ops: lir.LirOp[] = [{ op: "li", dst: "a0", imm: 7n }, { op: "trap" }];
 * console.log(riscv64.format(riscv64.select(ops)));
 * ```
 *
 * @module
 */
export {
  type AluKind,
  CONTROL_STORE_WIDTH,
  type Cond,
  type ControlRegister,
  type LirOp,
  type LoadWidth,
  type Reg,
} from "./lir.js";
