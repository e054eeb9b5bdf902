/**
 * x86-64 register names and their encoding numbers.
 *
 * Why a separate module: the encoder, the formatter, the interpreter and
 * instruction selection all turn names into numbers (ModRM/REX fields,
 * register-file indices) and must reject the same unknown names with the same
 * error. Only the 64-bit integer registers, the sixteen xmm registers and the
 * control state that a context switch keeps exist here; 32-, 16- and 8-bit
 * sub-registers are outside the subset (the one exception, `cl` as a shift
 * count, is implied by the shift instruction itself).
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Reg } from "../../lir/lir.js";

/**
 * The sixteen 64-bit integer registers of x86-64, in encoding order (index =
 * the 4-bit register number split between REX and ModRM).
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.integerRegisters.indexOf("r12")); // 12
 * ```
 */
export const X86_INTEGER_REGISTERS: readonly Reg[] = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
];

/**
 * The sixteen 128-bit SSE registers, in encoding order.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.floatRegisters[15]); // "xmm15"
 * ```
 */
export const X86_XMM_REGISTERS: readonly Reg[] = Array.from({ length: 16 }, (_, i) => `xmm${i}`);

/**
 * State that the interpreter exposes as registers besides the integer and xmm
 * files: the SSE control/status register (32 bits), the x87 control word (16
 * bits), the GS segment base (64 bits) and `rflags` (64 bits; the interpreter
 * keeps CF, PF, ZF, SF and OF).
 *
 * @example
 * ```ts
 * import { X86_SPECIAL_REGISTERS } from "./registers.js";
 * console.log(X86_SPECIAL_REGISTERS.includes("gs_base")); // true
 * ```
 */
export const X86_SPECIAL_REGISTERS: readonly Reg[] = ["mxcsr", "x87cw", "gs_base", "rflags"];

const integerNumbers = new Map(X86_INTEGER_REGISTERS.map((name, i) => [name, i]));
const xmmNumbers = new Map(X86_XMM_REGISTERS.map((name, i) => [name, i]));

/**
 * The encoding number (0-15) of a 64-bit integer register. Throws an
 * IsaError `UNKNOWN_REGISTER` for any other name, including sub-registers
 * such as `eax`.
 *
 * @example
 * ```ts
 * import { x86IntegerNumber } from "./registers.js";
 * console.log(x86IntegerNumber("rdi")); // 7
 * ```
 */
export function x86IntegerNumber(name: Reg): number {
  const n = integerNumbers.get(name);
  if (n === undefined) {
    throw new IsaError(
      "UNKNOWN_REGISTER",
      `x86_64: "${name}" is not a 64-bit integer register; use one of ${X86_INTEGER_REGISTERS.join(", ")}`,
    );
  }
  return n;
}

/**
 * The encoding number (0-15) of an xmm register. Throws an IsaError
 * `UNKNOWN_REGISTER` for any other name.
 *
 * @example
 * ```ts
 * import { x86XmmNumber } from "./registers.js";
 * console.log(x86XmmNumber("xmm9")); // 9
 * ```
 */
export function x86XmmNumber(name: Reg): number {
  const n = xmmNumbers.get(name);
  if (n === undefined) {
    throw new IsaError(
      "UNKNOWN_REGISTER",
      `x86_64: "${name}" is not an xmm register; use xmm0 to xmm15`,
    );
  }
  return n;
}

/**
 * Whether `name` is one of the sixteen 64-bit integer registers.
 *
 * @example
 * ```ts
 * import { isX86IntegerRegister } from "./registers.js";
 * console.log(isX86IntegerRegister("r8"), isX86IntegerRegister("eax")); // true false
 * ```
 */
export function isX86IntegerRegister(name: Reg): boolean {
  return integerNumbers.has(name);
}

const REGISTER32 = [
  "eax",
  "ecx",
  "edx",
  "ebx",
  "esp",
  "ebp",
  "esi",
  "edi",
  ...Array.from({ length: 8 }, (_, i) => `r${i + 8}d`),
];

/**
 * The 32-bit name of a 64-bit integer register (`rax` → `eax`, `r8` →
 * `r8d`), as the assembler spells the destination of a zero-extending load.
 *
 * @example
 * ```ts
 * import { x86Register32 } from "./registers.js";
 * console.log(x86Register32("rdi"), x86Register32("r15")); // "edi" "r15d"
 * ```
 */
export function x86Register32(name: Reg): string {
  return REGISTER32[x86IntegerNumber(name)]!;
}
