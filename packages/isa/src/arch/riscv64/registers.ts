/**
 * RISC-V register names and their encoding numbers.
 *
 * Why ABI names: the runtime's ABI data (`riscv64-lp64d`) and every routine
 * generated from it speak of `s0`, `a0`, `t6`, so the instruction set does too,
 * and its formatter prints them back the same way. The architectural names
 * `x0`-`x31` and `f0`-`f31`, and `fp` for `s0`, are accepted as aliases so that
 * hand-written instruction values may use either spelling.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Reg } from "../../lir/lir.js";

/**
 * The integer registers by ABI name, in encoding order (index = number).
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.integerRegisters[31]); // "t6"
 * ```
 */
export const RV_INTEGER_REGISTERS: readonly Reg[] = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

/**
 * The floating-point registers (64 bits wide, D extension) by ABI name, in
 * encoding order.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.floatRegisters[8]); // "fs0"
 * ```
 */
export const RV_FLOAT_REGISTERS: readonly Reg[] = [
  "ft0",
  "ft1",
  "ft2",
  "ft3",
  "ft4",
  "ft5",
  "ft6",
  "ft7",
  "fs0",
  "fs1",
  "fa0",
  "fa1",
  "fa2",
  "fa3",
  "fa4",
  "fa5",
  "fa6",
  "fa7",
  "fs2",
  "fs3",
  "fs4",
  "fs5",
  "fs6",
  "fs7",
  "fs8",
  "fs9",
  "fs10",
  "fs11",
  "ft8",
  "ft9",
  "ft10",
  "ft11",
];

/**
 * Control and status registers the subset names, by CSR number. Only the
 * floating-point ones exist: the runtime keeps `fcsr` per thread.
 *
 * @example
 * ```ts
 * import { RV_CSRS } from "./registers.js";
 * console.log(RV_CSRS.fcsr); // 3
 * ```
 */
export const RV_CSRS: Readonly<Record<"fflags" | "frm" | "fcsr", number>> = {
  fflags: 0x001,
  frm: 0x002,
  fcsr: 0x003,
};

const INTEGER = new Map<string, number>();
const FLOAT = new Map<string, number>();
RV_INTEGER_REGISTERS.forEach((name, i) => {
  INTEGER.set(name, i);
  INTEGER.set(`x${i}`, i);
});
INTEGER.set("fp", 8);
RV_FLOAT_REGISTERS.forEach((name, i) => {
  FLOAT.set(name, i);
  FLOAT.set(`f${i}`, i);
});

/**
 * Whether `name` is an integer register (ABI name or alias).
 *
 * @example
 * ```ts
 * import { isRvIntegerRegister } from "./registers.js";
 * console.log(isRvIntegerRegister("x5"), isRvIntegerRegister("ft0")); // true false
 * ```
 */
export function isRvIntegerRegister(name: string): boolean {
  return INTEGER.has(name);
}

/**
 * Whether `name` is a floating-point register (ABI name or `f0`-`f31`).
 *
 * @example
 * ```ts
 * import { isRvFloatRegister } from "./registers.js";
 * console.log(isRvFloatRegister("fa0"), isRvFloatRegister("a0")); // true false
 * ```
 */
export function isRvFloatRegister(name: string): boolean {
  return FLOAT.has(name);
}

/**
 * The encoding number (0-31) of an integer register. Throws an IsaError
 * `UNKNOWN_REGISTER` for any other name.
 *
 * @example
 * ```ts
 * import { rvIntegerNumber } from "./registers.js";
 * console.log(rvIntegerNumber("a0"), rvIntegerNumber("fp")); // 10 8
 * ```
 */
export function rvIntegerNumber(name: Reg): number {
  const n = INTEGER.get(name);
  if (n === undefined) {
    throw new IsaError(
      "UNKNOWN_REGISTER",
      `riscv64: "${name}" is not an integer register; use an ABI name (zero, ra, sp, gp, tp, t0-t6, s0-s11, a0-a7) or x0-x31`,
    );
  }
  return n;
}

/**
 * The encoding number (0-31) of a floating-point register. Throws an IsaError
 * `UNKNOWN_REGISTER` for any other name.
 *
 * @example
 * ```ts
 * import { rvFloatNumber } from "./registers.js";
 * console.log(rvFloatNumber("fs0"), rvFloatNumber("f31")); // 8 31
 * ```
 */
export function rvFloatNumber(name: Reg): number {
  const n = FLOAT.get(name);
  if (n === undefined) {
    throw new IsaError(
      "UNKNOWN_REGISTER",
      `riscv64: "${name}" is not a floating-point register; use ft0-ft11, fs0-fs11, fa0-fa7 or f0-f31`,
    );
  }
  return n;
}

/**
 * The ABI name of an integer register given by any accepted spelling.
 *
 * @example
 * ```ts
 * import { rvIntegerName } from "./registers.js";
 * console.log(rvIntegerName("x31"), rvIntegerName("fp")); // "t6" "s0"
 * ```
 */
export function rvIntegerName(name: Reg): Reg {
  return RV_INTEGER_REGISTERS[rvIntegerNumber(name)]!;
}

/**
 * The ABI name of a floating-point register given by any accepted spelling.
 *
 * @example
 * ```ts
 * import { rvFloatName } from "./registers.js";
 * console.log(rvFloatName("f10")); // "fa0"
 * ```
 */
export function rvFloatName(name: Reg): Reg {
  return RV_FLOAT_REGISTERS[rvFloatNumber(name)]!;
}
