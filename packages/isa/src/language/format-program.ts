/**
 * The formatter of thread programs: a {@link Program} back to canonical text.
 *
 * Why canonical: one spelling per program makes text a faithful storage and
 * diff format. Formatting then parsing gives back an equal program (with
 * `at` set to the positions in the canonical text), and formatting that again
 * gives the same text. The layout: each label on its own line at column 1,
 * each instruction on its own line indented by two spaces, operands separated
 * by ", ", immediates in decimal, one trailing newline.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Operand, Program, ProgramInstruction } from "./program.js";
import { shapeProblems } from "./verify.js";

function operand(o: Operand): string {
  return "reg" in o ? `r${o.reg}` : String(o.imm);
}

function address(index: number | null, offset: number): string {
  if (index === null) return `stack[${offset}]`;
  if (offset === 0) return `stack[r${index}]`;
  return offset < 0 ? `stack[r${index} - ${-offset}]` : `stack[r${index} + ${offset}]`;
}

function result(dst: number | null): string {
  return dst === null ? "" : ` -> r${dst}`;
}

/**
 * One instruction in canonical text, without indentation.
 *
 * @example
 * ```ts
 * import { formatInstruction } from "@greenthreads/isa";
 * const text = formatInstruction({
 *   op: "load", dst: 0, index: 1, offset: -2, at: { line: 1, column: 1 },
 * });
 * console.log(text); // "load r0, stack[r1 - 2]"
 * ```
 */
export function formatInstruction(ins: ProgramInstruction): string {
  switch (ins.op) {
    case "mov":
      return `mov r${ins.dst}, ${operand(ins.src)}`;
    case "br":
      return `b${ins.cond} r${ins.a}, ${operand(ins.b)}, ${ins.target}`;
    case "jmp":
    case "call":
      return `${ins.op} ${ins.target}`;
    case "ret":
      return "ret";
    case "push":
      return `push ${operand(ins.src)}`;
    case "pop":
      return `pop r${ins.dst}`;
    case "load":
      return `load r${ins.dst}, ${address(ins.index, ins.offset)}`;
    case "store":
      return `store ${address(ins.index, ins.offset)}, ${operand(ins.src)}`;
    case "hostcall":
      return `hostcall ${ins.name}(${ins.args.map((r) => `r${r}`).join(", ")})${result(ins.dst)}`;
    case "yield":
      return `yield ${operand(ins.value)}${result(ins.dst)}`;
    case "exit":
      return `exit ${operand(ins.code)}`;
    default:
      return `${ins.op} r${ins.dst}, r${ins.a}, ${operand(ins.b)}`;
  }
}

/**
 * Prints a program as canonical text that {@link parseProgram} reads back to
 * an equal program. The program need not pass {@link verifyProgram} (so
 * that a rejected program can be shown), but it must be well formed: valid
 * operands and names, labels at 0..length.
 *
 * @throws {@link IsaError} `BAD_ARGUMENT` naming the first malformed part.
 *
 * @example
 * ```ts
 * import { formatProgram, program } from "@greenthreads/isa";
 * const p = program().mov("r0", 0).label("loop").add("r0", "r0", 1).blt("r0", 3, "loop").exit("r0").build();
 * console.log(formatProgram(p));
 * //   mov r0, 0
 * // loop:
 * //   add r0, r0, 1
 * //   blt r0, 3, loop
 * //   exit r0
 * ```
 */
export function formatProgram(program: Program): string {
  const problems = shapeProblems(program);
  if (problems.length > 0) {
    const first = problems[0];
    throw new IsaError("BAD_ARGUMENT", `cannot format a malformed program: ${first.message}`, {
      line: first.line,
      column: first.column,
      cause: first,
    });
  }
  const byIndex = new Map<number, string[]>();
  for (const [name, index] of Map.prototype.entries.call(program.labels) as Iterable<
    [string, number]
  >) {
    const list = byIndex.get(index);
    if (list === undefined) byIndex.set(index, [name]);
    else list.push(name);
  }
  const lines: string[] = [];
  const count = program.instructions.length;
  for (let i = 0; i <= count; i++) {
    for (const name of byIndex.get(i) ?? []) lines.push(`${name}:`);
    if (i < count) lines.push(`  ${formatInstruction(program.instructions[i])}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
