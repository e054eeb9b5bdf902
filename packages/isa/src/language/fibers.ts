/**
 * The two fibers of chapter 5 of *Asynchronous Programming in Rust*
 * ("Creating our own fibers"), as thread programs.
 *
 * Why they ship with the package: they are the example every layer of the
 * runtime is checked against, from the reference machine to the native
 * switch. In the book, thread 1 counts 0..9 and thread 2 counts 0..14; each
 * announces its start, prints `thread: <id> counter: <i>` and yields on every
 * iteration, then announces its end. Here printing is the host's job, so each
 * announcement is a host call: `started(id)`, `print(id, counter)`,
 * `finished(id)`.
 *
 * @module
 */
import { IsaError } from "../errors.js";

/**
 * The host calls that the fiber programs make, in order of first use.
 *
 * @example
 * ```ts
 * import { FIBER_HOSTCALLS, parseProgram, FIBER_PROGRAM_1, verifyProgram } from "@greenthreads/isa";
 * verifyProgram(parseProgram(FIBER_PROGRAM_1), { hostcalls: FIBER_HOSTCALLS });
 * ```
 */
export const FIBER_HOSTCALLS: readonly string[] = Object.freeze(["started", "print", "finished"]);

/**
 * The source of a fiber that counts from 0 to `count - 1`: `started(id)`,
 * then per iteration `print(id, counter)` and `yield 0`, then `finished(id)`
 * and `exit 0`.
 *
 * @throws {@link IsaError} `BAD_ARGUMENT` unless `id` and `count` are
 *   non-negative safe integers.
 *
 * @example
 * ```ts
 * import { fiberProgramSource, parseProgram, runReference } from "@greenthreads/isa";
 * const traps = runReference(parseProgram(fiberProgramSource(7, 2)), { stackWords: 8 });
 * console.log(traps.map((t) => t.kind).join(" "));
 * // hostcall hostcall yield hostcall yield hostcall exit
 * ```
 */
export function fiberProgramSource(id: number, count: number): string {
  for (const [name, v] of [
    ["id", id],
    ["count", count],
  ] as const) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      throw new IsaError(
        "BAD_ARGUMENT",
        `${name} must be a non-negative integer, got ${String(v)}`,
      );
    }
  }
  const lines: [string, string?][] = [
    [`; Fiber ${id}: counts 0..${count - 1}, printing and yielding once per count.`],
    [`  mov r0, ${id}`, "r0 = id"],
    ["  hostcall started(r0)", `"THREAD ${id} STARTING"`],
    ["  mov r1, 0", "r1 = counter"],
    ["loop:"],
    [`  bge r1, ${count}, done`],
    ["  hostcall print(r0, r1)", `"thread: ${id} counter: <r1>"`],
    ["  yield 0", "let the other threads run"],
    ["  add r1, r1, 1"],
    ["  jmp loop"],
    ["done:"],
    ["  hostcall finished(r0)", `"THREAD ${id} FINISHED"`],
    ["  exit 0"],
  ];
  return lines
    .map(([code, comment]) => (comment === undefined ? code : `${code.padEnd(30)}; ${comment}`))
    .map((line) => `${line}\n`)
    .join("");
}

/**
 * Thread 1 of the book's example: counts 0..9.
 *
 * @example
 * ```ts
 * import { FIBER_PROGRAM_1, parseProgram } from "@greenthreads/isa";
 * const p = parseProgram(FIBER_PROGRAM_1);
 * console.log(p.hostcalls); // ["started", "print", "finished"]
 * ```
 */
export const FIBER_PROGRAM_1: string = fiberProgramSource(1, 10);

/**
 * Thread 2 of the book's example: counts 0..14.
 *
 * @example
 * ```ts
 * import { FIBER_PROGRAM_2, parseProgram, runReference } from "@greenthreads/isa";
 * const traps = runReference(parseProgram(FIBER_PROGRAM_2), { stackWords: 8 });
 * console.log(traps.filter((t) => t.kind === "yield").length); // 15
 * ```
 */
export const FIBER_PROGRAM_2: string = fiberProgramSource(2, 15);
