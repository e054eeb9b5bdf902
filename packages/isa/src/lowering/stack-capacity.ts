/**
 * How many words a thread program may push, given its stack.
 *
 * The capacity depends only on the stack's size, never on the ABI, so that a
 * program overflows at the same instruction on every instruction set. From
 * the top of the stack down:
 *
 * ```
 *   stackHigh  ┌──────────────────────┐
 *              │ initial frame        │  ≤ FRAME_RESERVE bytes (shadow space,
 *              │                      │  exit address, alignment)
 *   sp0 ─────► ├──────────────────────┤  program's empty stack
 *              │ capacity × 8 bytes   │  what push and call may fill
 *   limit ───► ├──────────────────────┤
 *              │ STACK_RESERVE bytes  │  the switch's return address
 *   stackLow   └──────────────────────┘  guard region below
 * ```
 *
 * @module
 */
import { IsaError } from "../errors.js";
import { STACK_RESERVE } from "./lower.js";

/**
 * Bytes at the top of a stack set aside for any ABI's initial frame.
 *
 * @example
 * ```ts
 * import { FRAME_RESERVE } from "./stack-capacity.js";
 * console.log(FRAME_RESERVE); // 64
 * ```
 */
export const FRAME_RESERVE = 64;

/**
 * Words a thread program may push on a stack of `size` bytes.
 *
 * @example
 * ```ts
 * import { lowering } from "@greenthreads/isa";
 * const { stackCapacityWords } = lowering;
 * console.log(stackCapacityWords(4096)); // 496
 * ```
 */
export function stackCapacityWords(size: number): number {
  const words = Math.floor((size - STACK_RESERVE - FRAME_RESERVE) / 8);
  if (!Number.isInteger(size) || words < 1) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `a stack of ${size} bytes has no room for a thread program; give at least ${STACK_RESERVE + FRAME_RESERVE + 8} bytes`,
    );
  }
  return words;
}
