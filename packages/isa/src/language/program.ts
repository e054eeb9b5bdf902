/**
 * Thread programs: the portable language that stackful machine threads run.
 *
 * Why a language of our own: JavaScript cannot run on a stack that V8 did not
 * create, so a machine thread runs a small register program instead, lowered
 * to the host's instruction set (or interpreted anywhere). Its semantics are
 * defined here, once, without reference to any machine, so that every ISA,
 * ABI and backend produces the same traps with the same values.
 *
 * Semantics:
 * - Eight 64-bit integer registers `r0`..`r7`, all zero at start. Arithmetic
 *   wraps modulo 2^64; `mul` keeps the low 64 bits; shift amounts use their
 *   low 6 bits; `shr` is logical and `sar` arithmetic.
 * - A private stack of 64-bit words that grows down. The stack's capacity is
 *   given by whoever runs the program. `push` (and `call`, which pushes a
 *   return address) faults `stack-overflow` when the stack is full; `pop` (and
 *   `ret`) faults `out-of-bounds` when it is empty.
 * - `load rd, stack[rI + k]` / `store stack[rI + k], src` address the word at
 *   index `rI + k` counted from the top of the stack (index 0 is the word most
 *   recently pushed). An index outside `0 .. depth-1` faults `out-of-bounds`.
 * - `call label` pushes the index of the instruction after the call; `ret`
 *   pops a word and continues at that instruction, which must be the
 *   instruction after some `call` of the program, or it faults
 *   `out-of-bounds`. So a program can neither forge a jump outside itself nor
 *   touch memory outside its stack.
 * - `hostcall name(args) -> rd` stops with a `hostcall` trap; the value the
 *   host resumes with goes into `rd`. `yield src -> rd` stops with a `yield`
 *   trap; the resume value goes into `rd` when given. `exit src` stops with an
 *   `exit` trap, for good.
 * - With an instruction budget (fuel), each instruction first checks the
 *   fuel: at zero the thread stops with a `budget` trap before executing the
 *   instruction (and re-checks when resumed); otherwise the fuel drops by one.
 *
 * @module
 */
import type { AluKind, Cond } from "../lir/lir.js";

/**
 * Number of registers of a thread program (`r0` to `r7`).
 *
 * @example
 * ```ts
 * import { PROGRAM_REGISTERS } from "./program.js";
 * console.log(PROGRAM_REGISTERS); // 8
 * ```
 */
export const PROGRAM_REGISTERS = 8;

/**
 * A register operand: the register's number, 0 to 7.
 *
 * @example
 * ```ts
 * import type { ProgramRegister } from "@greenthreads/isa";
 * const r: ProgramRegister = 3; // r3
 * ```
 */
export type ProgramRegister = number;

/**
 * An operand that is a register or a 64-bit immediate (any value from
 * -2^63 to 2^64-1; stored as given, used modulo 2^64).
 *
 * @example
 * ```ts
 * import type { Operand } from "@greenthreads/isa";
 * const a: Operand = { reg: 1 };
 * const b: Operand = { imm: -5n };
 * ```
 */
export type Operand = { readonly reg: ProgramRegister } | { readonly imm: bigint };

/**
 * Where an instruction came from in program text (1-based), so that the
 * verifier and faults can point at it.
 *
 * @example
 * ```ts
 * import type { SourcePosition } from "@greenthreads/isa";
 * const at: SourcePosition = { line: 3, column: 5 };
 * ```
 */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * One instruction of a thread program. Branch, jump and call targets are
 * label names.
 *
 * @example
 * ```ts
 * import type { ProgramInstruction } from "@greenthreads/isa";
 * const i: ProgramInstruction = {
 *   op: "br", cond: "lt", a: 0, b: { imm: 10n }, target: "loop", at: { line: 4, column: 3 },
 * };
 * ```
 */
export type ProgramInstruction = (
  | { readonly op: "mov"; readonly dst: ProgramRegister; readonly src: Operand }
  | {
      readonly op: AluKind;
      readonly dst: ProgramRegister;
      readonly a: ProgramRegister;
      readonly b: Operand;
    }
  | {
      readonly op: "br";
      readonly cond: Cond;
      readonly a: ProgramRegister;
      readonly b: Operand;
      readonly target: string;
    }
  | { readonly op: "jmp"; readonly target: string }
  | { readonly op: "call"; readonly target: string }
  | { readonly op: "ret" }
  | { readonly op: "push"; readonly src: Operand }
  | { readonly op: "pop"; readonly dst: ProgramRegister }
  | {
      readonly op: "load";
      readonly dst: ProgramRegister;
      readonly index: ProgramRegister | null;
      readonly offset: number;
    }
  | {
      readonly op: "store";
      readonly src: Operand;
      readonly index: ProgramRegister | null;
      readonly offset: number;
    }
  | {
      readonly op: "hostcall";
      readonly name: string;
      readonly args: readonly ProgramRegister[];
      readonly dst: ProgramRegister | null;
    }
  | { readonly op: "yield"; readonly value: Operand; readonly dst: ProgramRegister | null }
  | { readonly op: "exit"; readonly code: Operand }
) & { readonly at: SourcePosition };

/**
 * A thread program: its instructions, where each label points (an
 * instruction index), and the host-call names it uses in order of first use.
 * Produced by `parseProgram` and by the `ProgramBuilder`, checked by
 * `verifyProgram`.
 *
 * @example
 * ```ts
 * import type { Program } from "@greenthreads/isa";
 * function size(p: Program): number {
 *   return p.instructions.length;
 * }
 * ```
 */
export interface Program {
  readonly instructions: readonly ProgramInstruction[];
  readonly labels: ReadonlyMap<string, number>;
  readonly hostcalls: readonly string[];
}
