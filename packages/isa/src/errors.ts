/**
 * The one error class of `@greenthreads/isa`.
 *
 * Every failure the package reports on bad input (an unknown ABI, an
 * instruction outside a subset, an operand that does not fit its encoding, a
 * malformed thread program) is an {@link IsaError} with a stable `code`, so
 * callers can branch on the code while people read the message. Messages say
 * what was wrong, where, and what to do about it.
 *
 * @module
 */

/**
 * Stable codes of {@link IsaError}. New codes may be added; existing ones keep
 * their meaning.
 *
 * @example
 * ```ts
 * import { IsaError, type IsaErrorCode } from "@greenthreads/isa";
 * const code: IsaErrorCode = "UNKNOWN_ABI";
 * console.log(new IsaError(code, "no such ABI").code); // "UNKNOWN_ABI"
 * ```
 */
export type IsaErrorCode =
  | "UNKNOWN_ABI"
  | "UNKNOWN_ARCH"
  | "UNKNOWN_REGISTER"
  | "UNSUPPORTED_INSTRUCTION"
  | "OPERAND_OUT_OF_RANGE"
  | "UNDEFINED_LABEL"
  | "DUPLICATE_LABEL"
  | "BAD_ADDRESS"
  | "BAD_MEMORY_MAP"
  | "PARSE_ERROR"
  | "VERIFY_ERROR"
  | "LOWERING_ERROR"
  | "BAD_ARGUMENT"
  | "MACHINE_FAULT";

/**
 * An error raised by `@greenthreads/isa` for bad input. `code` is stable;
 * `line` and `column` are set when the error points into program text.
 *
 * @example
 * ```ts
 * import { IsaError, getAbi } from "@greenthreads/isa";
 * try {
 *   getAbi("pdp11");
 * } catch (e) {
 *   if (e instanceof IsaError) console.log(e.code); // "UNKNOWN_ABI"
 * }
 * ```
 */
export class IsaError extends Error {
  /** A stable identifier of the kind of failure. */
  readonly code: IsaErrorCode;
  /** 1-based line in program text, when the error points into text. */
  readonly line?: number;
  /** 1-based column in program text, when the error points into text. */
  readonly column?: number;

  constructor(
    code: IsaErrorCode,
    message: string,
    where?: { line?: number; column?: number; cause?: unknown },
  ) {
    super(message, where?.cause === undefined ? undefined : { cause: where.cause });
    this.name = "IsaError";
    this.code = code;
    if (where?.line !== undefined) this.line = where.line;
    if (where?.column !== undefined) this.column = where.column;
  }
}
