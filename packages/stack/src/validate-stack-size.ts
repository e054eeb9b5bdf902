/**
 * The one place that decides whether a stack size is acceptable.
 *
 * Every allocator, emulated or native, pooled or not, checks sizes here, so a
 * bad size gets the same code and the same kind of message whichever
 * allocator the caller happens to hold. The checks run from the most basic
 * (is it a number at all) to the most specific (is it a page multiple), so
 * the message names the first real problem.
 *
 * @module
 */
import { StackError } from "./errors.js";

/**
 * The limits a size is checked against: an allocator's `pageSize`,
 * `minimumSize` and `maximumSize`.
 *
 * @example
 * ```ts
 * import type { StackSizeLimits } from "@greenthreads/stack";
 * const limits: StackSizeLimits = { pageSize: 4096, minimumSize: 4096, maximumSize: 1 << 20 };
 * ```
 */
export interface StackSizeLimits {
  readonly pageSize: number;
  readonly minimumSize: number;
  readonly maximumSize: number;
}

/**
 * Throws a {@link StackError} unless `size` is an integer number of bytes,
 * positive, within `[minimumSize, maximumSize]` and a multiple of `pageSize`.
 * `where` names the caller in the message (e.g.
 * `"EmulatedStackAllocator.allocate"`).
 *
 * Codes, in the order checked: `NOT_INTEGER`, `ZERO_SIZE`, `NEGATIVE_SIZE`,
 * `BELOW_MINIMUM`, `ABOVE_MAXIMUM`, `NOT_PAGE_MULTIPLE`.
 *
 * @example
 * ```ts
 * import { StackError, validateStackSize } from "@greenthreads/stack";
 * const limits = { pageSize: 4096, minimumSize: 4096, maximumSize: 65536 };
 * try {
 *   validateStackSize(5000, limits, "myAllocator.allocate");
 * } catch (e) {
 *   if (e instanceof StackError) console.log(e.code); // "NOT_PAGE_MULTIPLE"
 * }
 * ```
 */
export function validateStackSize(size: number, limits: StackSizeLimits, where: string): void {
  const { pageSize, minimumSize, maximumSize } = limits;
  if (
    typeof size === "number" &&
    Number.isSafeInteger(size) &&
    size >= minimumSize &&
    size > 0 &&
    size <= maximumSize &&
    size % pageSize === 0
  ) {
    return; // the common case, before any message is built
  }
  const call = `${where}(${typeof size === "number" ? String(size) : typeof size})`;
  const ask = `ask for a multiple of ${pageSize} between ${minimumSize} and ${maximumSize} bytes`;
  if (typeof size !== "number" || !Number.isSafeInteger(size)) {
    throw new StackError(
      "NOT_INTEGER",
      `${call}: the size must be a whole number of bytes, got ${describe(size)}; ${ask}`,
    );
  }
  if (size === 0) {
    throw new StackError("ZERO_SIZE", `${call}: a stack cannot be empty; ${ask}`);
  }
  if (size < 0) {
    throw new StackError("NEGATIVE_SIZE", `${call}: the size is negative; ${ask}`);
  }
  if (size < minimumSize) {
    throw new StackError(
      "BELOW_MINIMUM",
      `${call}: ${size} bytes is below this allocator's minimum of ${minimumSize}; ${ask}`,
    );
  }
  if (size > maximumSize) {
    throw new StackError(
      "ABOVE_MAXIMUM",
      `${call}: ${size} bytes is above this allocator's maximum of ${maximumSize}; ${ask}, ` +
        "or give the allocator a larger address range",
    );
  }
  if (size % pageSize !== 0) {
    const up = Math.ceil(size / pageSize) * pageSize;
    throw new StackError(
      "NOT_PAGE_MULTIPLE",
      `${call}: ${size} bytes is not a multiple of the page size ${pageSize}, and stacks are ` +
        `mapped in whole pages; ask for ${up} instead`,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `the bigint ${value}n (pass a number)`;
  return `a ${typeof value}`;
}
