/**
 * The one error class of `@greenthreads/stack`.
 *
 * Stacks are handed between layers (the scheduler asks, an allocator answers,
 * the switch runs on what it got), so a failure must be recognisable by code
 * at every layer and readable by the person who caused it. Every failure is a
 * {@link StackError} with a stable `code`; the message says what was wrong,
 * where (which allocator or function, which size or address), and what to do.
 * A call that throws a {@link StackError} has changed nothing: counters, free
 * lists and mapped pages are as they were before the call.
 *
 * A native allocator that implements {@link StackAllocator} outside this
 * package throws the same class with the same codes, so callers never need to
 * know which allocator they hold.
 *
 * @module
 */

/**
 * Stable codes of {@link StackError}. New codes may be added; existing ones
 * keep their meaning.
 *
 * | code | meaning |
 * |---|---|
 * | `NOT_INTEGER` | a size is not a finite integer number |
 * | `ZERO_SIZE` | a size is zero |
 * | `NEGATIVE_SIZE` | a size is negative |
 * | `BELOW_MINIMUM` | a size is smaller than the allocator's `minimumSize` |
 * | `ABOVE_MAXIMUM` | a size is larger than the allocator's `maximumSize` |
 * | `NOT_PAGE_MULTIPLE` | a size is not a multiple of the allocator's `pageSize` |
 * | `DOUBLE_RELEASE` | a stack was released a second time |
 * | `FOREIGN_STACK` | a stack was released to an allocator that did not allocate it |
 * | `OUT_OF_ADDRESS_SPACE` | no free range of the address space fits the stack and its guard |
 * | `MAP_FAILED` | the memory refused to map the stack (the range is used by someone else) |
 * | `BAD_OPTIONS` | an allocator was constructed with inconsistent options |
 * | `BAD_ADDRESS` | an address (stack pointer, dump range, context) is outside what it must be in or misaligned |
 * | `BAD_PATTERN` | a paint pattern is not a 64-bit unsigned value |
 * | `FRAME_DOES_NOT_FIT` | the stack is too small for a thread's initial frame |
 *
 * @example
 * ```ts
 * import { StackError, type StackErrorCode } from "@greenthreads/stack";
 * const code: StackErrorCode = "DOUBLE_RELEASE";
 * console.log(new StackError(code, "released twice").code); // "DOUBLE_RELEASE"
 * ```
 */
export type StackErrorCode =
  | "NOT_INTEGER"
  | "ZERO_SIZE"
  | "NEGATIVE_SIZE"
  | "BELOW_MINIMUM"
  | "ABOVE_MAXIMUM"
  | "NOT_PAGE_MULTIPLE"
  | "DOUBLE_RELEASE"
  | "FOREIGN_STACK"
  | "OUT_OF_ADDRESS_SPACE"
  | "MAP_FAILED"
  | "BAD_OPTIONS"
  | "BAD_ADDRESS"
  | "BAD_PATTERN"
  | "FRAME_DOES_NOT_FIT";

/**
 * An error raised by `@greenthreads/stack` (and by any {@link StackAllocator}
 * implementation) for bad input or an exhausted resource. `code` is stable;
 * `cause` carries the lower-level error when there is one (for example the
 * {@link @greenthreads/isa!IsaError} of a failed map).
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, StackError } from "@greenthreads/stack";
 * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
 * try {
 *   stacks.allocate(0);
 * } catch (e) {
 *   if (e instanceof StackError) console.log(e.code); // "ZERO_SIZE"
 * }
 * ```
 */
export class StackError extends Error {
  /** A stable identifier of the kind of failure. */
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StackError";
    this.code = code;
  }
}
