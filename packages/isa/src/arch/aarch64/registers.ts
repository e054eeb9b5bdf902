/**
 * AArch64 register names and their encoding numbers.
 *
 * Why a module of its own: encoding number 31 means two different registers
 * depending on the operand slot. In an arithmetic-immediate slot or a load's
 * base it is the stack pointer `sp`; everywhere else it is the zero register
 * `xzr`. The encoder, the formatter and the interpreter all have to agree on
 * which slots accept which, so the rule lives here once: {@link a64XRegister}
 * for slots that read `xzr`, {@link a64XspRegister} for slots that read `sp`.
 *
 * Names are the conventional GNU ones: `x0`..`x30`, `sp`, `xzr`, `w0`..`w30`
 * and `wzr` (the low 32 bits, for the narrow loads and stores), `d0`..`d31`
 * (the low 64 bits of the vector registers) and `q0`..`q31` (all 128 bits).
 * `lr` (x30) and `fp` (x29) are accepted as aliases and printed canonically.
 *
 * @module
 */
import { IsaError } from "../../errors.js";

/**
 * The 31 general-purpose registers of AArch64 in encoding order (x30 is the link register).
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.integerRegisters[30]); // "x30"
 * ```
 */
export const A64_X_REGISTERS: readonly string[] = Array.from({ length: 31 }, (_, i) => `x${i}`);

/**
 * The 32 double-precision views of the vector registers, in encoding order.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.floatRegisters.length); // 32
 * ```
 */
export const A64_D_REGISTERS: readonly string[] = Array.from({ length: 32 }, (_, i) => `d${i}`);

/**
 * The kind of an AArch64 register name: general purpose (including `sp` and
 * `xzr`), its 32-bit `w` view, a 64-bit `d` view, or a 128-bit `q` view of a
 * vector register.
 *
 * @example
 * ```ts
 * import { a64RegisterKind } from "./registers.js";
 * console.log(a64RegisterKind("d8")); // "d"
 * ```
 */
export type A64RegisterKind = "x" | "w" | "d" | "q";

const X_NUMBERS = new Map<string, number>();
for (let i = 0; i <= 30; i++) X_NUMBERS.set(`x${i}`, i);
X_NUMBERS.set("lr", 30);
X_NUMBERS.set("fp", 29);

const W_NUMBERS = new Map<string, number>();
for (let i = 0; i <= 30; i++) W_NUMBERS.set(`w${i}`, i);
W_NUMBERS.set("wzr", 31);

const V_NUMBERS = new Map<string, { kind: "d" | "q"; n: number }>();
for (let i = 0; i < 32; i++) {
  V_NUMBERS.set(`d${i}`, { kind: "d", n: i });
  V_NUMBERS.set(`q${i}`, { kind: "q", n: i });
}

function unknown(name: string, where: string, accepted: string): IsaError {
  return new IsaError(
    "UNKNOWN_REGISTER",
    `aarch64: "${name}" is not a valid register for ${where}; use ${accepted}`,
  );
}

/**
 * Encoding number of a general-purpose register in a slot where 31 means
 * `xzr` (most data-processing operands). `sp` is rejected here.
 *
 * @param where Names the instruction and operand, for the error message.
 * @example
 * ```ts
 * import { a64XRegister } from "./registers.js";
 * console.log(a64XRegister("xzr", "orr Rm")); // 31
 * ```
 */
export function a64XRegister(name: string, where: string): number {
  if (name === "xzr") return 31;
  const n = X_NUMBERS.get(name);
  if (n === undefined) throw unknown(name, where, "x0..x30 or xzr");
  return n;
}

/**
 * Encoding number of a general-purpose register in a slot where 31 means
 * `sp` (add/sub immediate, load/store base). `xzr` is rejected here.
 *
 * @param where Names the instruction and operand, for the error message.
 * @example
 * ```ts
 * import { a64XspRegister } from "./registers.js";
 * console.log(a64XspRegister("sp", "ldr base")); // 31
 * ```
 */
export function a64XspRegister(name: string, where: string): number {
  if (name === "sp") return 31;
  const n = X_NUMBERS.get(name);
  if (n === undefined) throw unknown(name, where, "x0..x30 or sp");
  return n;
}

/**
 * Encoding number of a 32-bit general-purpose register view `w0`..`w30`, or
 * `wzr` (31). Writing a `w` register clears the upper 32 bits of its `x`
 * register, so a narrow load into it zero-extends.
 *
 * @param where Names the instruction and operand, for the error message.
 * @example
 * ```ts
 * import { a64WRegister } from "./registers.js";
 * console.log(a64WRegister("w17", "ldrh Rt")); // 17
 * ```
 */
export function a64WRegister(name: string, where: string): number {
  const n = W_NUMBERS.get(name);
  if (n === undefined) throw unknown(name, where, "w0..w30 or wzr");
  return n;
}

/**
 * The `w` view of a general-purpose register (`x5` → `w5`, `xzr` → `wzr`).
 *
 * @example
 * ```ts
 * import { a64WView } from "./registers.js";
 * console.log(a64WView("x17", "LIR load")); // "w17"
 * ```
 */
export function a64WView(name: string, where: string): string {
  const n = a64XRegister(name, where);
  return n === 31 ? "wzr" : `w${n}`;
}

/**
 * Encoding number of a vector register named `dN` or `qN`, with its view.
 *
 * @example
 * ```ts
 * import { a64VRegister } from "./registers.js";
 * console.log(a64VRegister("q31", "ldr Rt")); // { kind: "q", n: 31 }
 * ```
 */
export function a64VRegister(name: string, where: string): { kind: "d" | "q"; n: number } {
  const v = V_NUMBERS.get(name);
  if (v === undefined) throw unknown(name, where, "d0..d31 or q0..q31");
  return v;
}

/**
 * The kind of a register name, or `undefined` when AArch64 has no such register.
 *
 * @example
 * ```ts
 * import { a64RegisterKind } from "./registers.js";
 * console.log(a64RegisterKind("sp"), a64RegisterKind("w1"), a64RegisterKind("rax")); // "x" "w" undefined
 * ```
 */
export function a64RegisterKind(name: string): A64RegisterKind | undefined {
  if (name === "sp" || name === "xzr" || X_NUMBERS.has(name)) return "x";
  if (W_NUMBERS.has(name)) return "w";
  return V_NUMBERS.get(name)?.kind;
}

/**
 * The canonical spelling of a register name (`lr` → `x30`, `fp` → `x29`);
 * other valid names are returned unchanged.
 *
 * @example
 * ```ts
 * import { a64CanonicalRegister } from "./registers.js";
 * console.log(a64CanonicalRegister("lr")); // "x30"
 * ```
 */
export function a64CanonicalRegister(name: string): string {
  if (name === "lr") return "x30";
  if (name === "fp") return "x29";
  return name;
}
