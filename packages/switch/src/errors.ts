/**
 * The one error class of `@greenthreads/switch`.
 *
 * A backend sits between the scheduler and two lower layers (the isa's
 * programs, the stack package's allocators), so errors from below are
 * wrapped: the caller sees one class with one set of codes whichever backend
 * it holds, and the lower-level error stays reachable as `cause`. In
 * particular a program that fails verification is a `SwitchError`
 * `INVALID_PROGRAM` whose `cause` is the isa's `VERIFY_ERROR` (with its
 * `line` and `column`, which are also copied onto the `SwitchError`).
 *
 * @module
 */

/**
 * Stable codes of {@link SwitchError}. New codes may be added; existing ones
 * keep their meaning.
 *
 * | code | meaning |
 * |---|---|
 * | `NATIVE_UNAVAILABLE` | the native backend was required (option or `GREENTHREADS_BACKEND=native`) but cannot run here |
 * | `WASM_UNAVAILABLE` | the WebAssembly backend was required, but the engine has no WebAssembly |
 * | `UNKNOWN_ABI` | the ABI name is unknown, or the backend cannot run it |
 * | `BAD_OPTIONS` | an option has the wrong type or value |
 * | `INVALID_PROGRAM` | `load` got something that is not a valid program (failed verification: `cause` is the isa's `VERIFY_ERROR`; or not plain program data) |
 * | `FOREIGN_PROGRAM` | a program this backend did not load (another backend's, or a copy) was passed |
 * | `PROGRAM_UNLOADED` | the program was unloaded; load it again |
 * | `BAD_STACK_SIZE` | `stackSize` is not accepted by the backend's stack allocator (`cause` is the `StackError`) |
 * | `BAD_BUDGET` | `budget` breaks the isa's one budget rule (1 to 2^64 - 1), or the program was loaded without fuel |
 * | `BAD_VALUE` | a resume value is not a bigint |
 * | `FOREIGN_THREAD` | a thread of another backend was passed |
 * | `THREAD_RELEASED` | the thread was released; it cannot be resumed or released again |
 * | `THREAD_FINISHED` | the thread exited or faulted; release it |
 * | `CORRUPT_THREAD` | the thread's control block holds no valid trap |
 * | `OUT_OF_MEMORY` | the system refused memory for a stack, block or code |
 *
 * @example
 * ```ts
 * import { SwitchError, type SwitchErrorCode } from "@greenthreads/switch";
 * const code: SwitchErrorCode = "THREAD_RELEASED";
 * console.log(new SwitchError(code, "released").code); // "THREAD_RELEASED"
 * ```
 */
export type SwitchErrorCode =
  | "NATIVE_UNAVAILABLE"
  | "WASM_UNAVAILABLE"
  | "UNKNOWN_ABI"
  | "BAD_OPTIONS"
  | "INVALID_PROGRAM"
  | "FOREIGN_PROGRAM"
  | "PROGRAM_UNLOADED"
  | "BAD_STACK_SIZE"
  | "BAD_BUDGET"
  | "BAD_VALUE"
  | "FOREIGN_THREAD"
  | "THREAD_RELEASED"
  | "THREAD_FINISHED"
  | "CORRUPT_THREAD"
  | "OUT_OF_MEMORY";

/**
 * An error raised by `@greenthreads/switch`. `code` is stable; `cause`
 * carries the lower-level error when there is one; `line` and `column` are
 * set for `INVALID_PROGRAM`.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { loadBackend, SwitchError } from "@greenthreads/switch";
 * const backend = loadBackend({ prefer: "emulated" });
 * try {
 *   backend.load(parseProgram("jmp nowhere"));
 * } catch (e) {
 *   if (e instanceof SwitchError) console.log(e.code, e.line); // "INVALID_PROGRAM" 1
 * }
 * ```
 */
export class SwitchError extends Error {
  /** A stable identifier of the kind of failure. */
  readonly code: SwitchErrorCode;
  /** 1-based line in program text, for `INVALID_PROGRAM`. */
  readonly line?: number;
  /** 1-based column in program text, for `INVALID_PROGRAM`. */
  readonly column?: number;

  constructor(
    code: SwitchErrorCode,
    message: string,
    options?: { cause?: unknown; line?: number; column?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SwitchError";
    this.code = code;
    if (options?.line !== undefined) this.line = options.line;
    if (options?.column !== undefined) this.column = options.column;
  }
}
