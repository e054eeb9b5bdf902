/**
 * The vocabulary and limits of thread-program text, shared by the parser, the
 * formatter, the builder and the verifier.
 *
 * Why one place: the four must agree exactly, or a program that the builder
 * accepts would not survive a trip through text, and a program that the
 * parser accepts could be one the verifier rejects for a reason the parser
 * should have caught. Every spelling and every numeric limit lives here.
 *
 * The grammar, one statement per line (`;` starts a comment):
 *
 * ```text
 * line      = { label ":" } [ instruction ] [ ";" comment ]
 * label     = identifier                       ; [A-Za-z_.][A-Za-z0-9_.]*
 * reg       = "r0" | ... | "r7"
 * imm       = [ "-" ] ( decimal | "0x" hex )    ; -2^63 .. 2^64-1
 * src       = reg | imm
 * address   = "stack" "[" ( reg [ ("+" | "-") imm ] | imm ) "]"
 * instruction =
 *     "mov" reg "," src
 *   | alu reg "," reg "," src                  ; add sub mul and or xor shl shr sar
 *   | branch reg "," src "," label             ; beq bne blt ble bgt bge bltu bleu bgtu bgeu
 *   | "jmp" label | "call" label | "ret"
 *   | "push" src | "pop" reg
 *   | "load" reg "," address | "store" address "," src
 *   | "hostcall" identifier "(" [ reg { "," reg } ] ")" [ "->" reg ]
 *   | "yield" src [ "->" reg ]
 *   | "exit" src
 * ```
 *
 * @module
 */
import type { AluKind, Cond } from "../lir/lir.js";

/**
 * The numeric limits of thread programs: the immediate range (a value is
 * stored as written and used modulo 2^64), the stack-offset range of
 * `load`/`store`, and the most registers a host call may pass.
 *
 * @example
 * ```ts
 * import { PROGRAM_LIMITS } from "@greenthreads/isa";
 * console.log(PROGRAM_LIMITS.maxHostcallArgs); // 6
 * console.log(PROGRAM_LIMITS.immediateMax === 2n ** 64n - 1n); // true
 * ```
 */
export const PROGRAM_LIMITS = Object.freeze({
  /** Smallest immediate: -2^63. */
  immediateMin: -(2n ** 63n),
  /** Largest immediate: 2^64 - 1. */
  immediateMax: 2n ** 64n - 1n,
  /** Smallest stack offset `k` in `stack[rI + k]`. */
  offsetMin: -65536,
  /** Largest stack offset `k` in `stack[rI + k]`. */
  offsetMax: 65535,
  /** Most register arguments of one `hostcall`. */
  maxHostcallArgs: 6,
  /**
   * Most instructions in one program: 2^18. Lowered and loaded with fuel,
   * a program costs about 100 bytes of machine code and 2 to 4 KB of peak JS
   * heap per instruction (see the package README's figures), so a program at
   * this limit loads within about 0.5 GiB of heap natively and 1 GiB
   * emulated, under Node's default heap limit; at 2^20 it did not load at all. A host
   * can set a lower limit with `verifyProgram`'s `maxInstructions`.
   */
  maxInstructions: 262_144,
});

/**
 * What the parser, the builder and the verifier say of a program over the
 * instruction limit: one message, so that the three stop alike.
 *
 * @internal
 */
export function tooManyInstructions(count: number | string, limit: number): string {
  const most =
    limit === PROGRAM_LIMITS.maxInstructions
      ? `the most a program may have (PROGRAM_LIMITS.maxInstructions, ${limit})`
      : `the limit of ${limit} set by options.maxInstructions`;
  return `the program has ${count} instructions, more than ${most}: split it into several programs`;
}

/** Arithmetic mnemonics, which are also their `op`. @internal */
export const ALU_OPS: readonly AluKind[] = [
  "add",
  "sub",
  "mul",
  "and",
  "or",
  "xor",
  "shl",
  "shr",
  "sar",
];

/** Branch conditions in mnemonic order; the mnemonic is `"b" + cond`. @internal */
export const CONDS: readonly Cond[] = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "ltu",
  "leu",
  "gtu",
  "geu",
];

/** Every `op` of a program instruction. @internal */
export const OPS: readonly string[] = [
  "mov",
  ...ALU_OPS,
  "br",
  "jmp",
  "call",
  "ret",
  "push",
  "pop",
  "load",
  "store",
  "hostcall",
  "yield",
  "exit",
];

/** Every mnemonic of the text syntax, for messages. @internal */
export const MNEMONICS: readonly string[] = [
  "mov",
  ...ALU_OPS,
  ...CONDS.map((c) => `b${c}`),
  "jmp",
  "call",
  "ret",
  "push",
  "pop",
  "load",
  "store",
  "hostcall",
  "yield",
  "exit",
];

const IDENTIFIER = /^[A-Za-z_.][A-Za-z0-9_.]*$/;

/**
 * Whether `name` can be a label or host-call name: `[A-Za-z_.][A-Za-z0-9_.]*`.
 *
 * @example
 * ```ts
 * import { isProgramIdentifier } from "./syntax.js";
 * isProgramIdentifier(".loop_1"); // true
 * isProgramIdentifier("1st"); // false
 * ```
 */
export function isProgramIdentifier(name: unknown): name is string {
  return typeof name === "string" && IDENTIFIER.test(name);
}

/** Whether `v` is a valid immediate value. @internal */
export function isImmediate(v: unknown): v is bigint {
  return (
    typeof v === "bigint" && v >= PROGRAM_LIMITS.immediateMin && v <= PROGRAM_LIMITS.immediateMax
  );
}

/** Whether `v` is a valid stack offset. @internal */
export function isStackOffset(v: unknown): v is number {
  return (
    typeof v === "number" &&
    Number.isInteger(v) &&
    v >= PROGRAM_LIMITS.offsetMin &&
    v <= PROGRAM_LIMITS.offsetMax
  );
}

/** Whether `v` is a register number 0..7. @internal */
export function isRegisterNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 7;
}
