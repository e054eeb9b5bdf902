/**
 * Stack painting and the high-water mark.
 *
 * How large must a thread's stack be? Measuring beats guessing: fill the
 * stack with a known word before the thread runs ("paint" it), let the thread
 * run, then look for the lowest word that is no longer the pattern. Every
 * byte above it was touched at some point, so the distance from there to the
 * top is the most stack the thread ever used: its high-water mark.
 *
 * ```
 *   high ──►  ┌────────────────────┐  ┐
 *             │ frames, locals …   │  │ high-water mark
 *             │ deepest write      │  ┘ ◄─ lowest non-pattern word
 *             │ pattern pattern …  │    never touched
 *   low ───►  └────────────────────┘    scan starts here, going up
 * ```
 *
 * The scan starts at the bottom because untouched words are expected there;
 * a pattern word that happens to sit inside a live frame (an uninitialised
 * local, or a value equal to the pattern) above the deepest write does not
 * shorten the mark. The measure can only under-report if the deepest frame
 * wrote nothing but the pattern itself, which is why the pattern is a word no
 * program produces by accident (see {@link STACK_PAINT_PATTERN}).
 *
 * @module
 */
import { StackError } from "./errors.js";
import { formatAddress } from "./format-address.js";
import type { Stack } from "./stack.js";

/**
 * The default paint word: `0xa5a5a5a5a5a5a5a5`. Alternating bits make it
 * easy to spot in a dump; it is not a canonical x86-64 or AArch64 (48-bit)
 * address, nor a small integer, nor a typical float, so live data rarely
 * equals it.
 *
 * @example
 * ```ts
 * import { STACK_PAINT_PATTERN } from "@greenthreads/stack";
 * console.log(STACK_PAINT_PATTERN.toString(16)); // "a5a5a5a5a5a5a5a5"
 * ```
 */
export const STACK_PAINT_PATTERN = 0xa5a5_a5a5_a5a5_a5a5n;

/**
 * Where to paint: by default the whole usable region; `below` stops at an
 * address (e.g. the initial frame's `sp`) so that words already written above
 * it survive.
 *
 * @example
 * ```ts
 * import type { PaintOptions } from "@greenthreads/stack";
 * const options: PaintOptions = { below: 0x20ff8n };
 * ```
 */
export interface PaintOptions {
  /** Paint `[stack.low, below)` only; a multiple of 8 within `[low, high]`. */
  readonly below?: bigint;
}

/**
 * Fills the usable region of `stack` (or `[low, below)`) with the 64-bit
 * `pattern`. Throws a {@link StackError} `BAD_PATTERN` for a pattern outside
 * 0..2^64-1 and `BAD_ADDRESS` for a `below` outside the stack, writing
 * nothing.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, highWaterMark, paint } from "@greenthreads/stack";
 * const mem = new memory.Memory();
 * const stacks = new EmulatedStackAllocator({ memory: mem, base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(8192);
 * paint(stack);
 * mem.write64(stack.high - 24n, 7n);
 * console.log(highWaterMark(stack)); // 24
 * ```
 */
export function paint(
  stack: Stack,
  pattern: bigint = STACK_PAINT_PATTERN,
  options: PaintOptions = {},
): void {
  checkPattern(pattern, "paint");
  const below = options.below ?? stack.high;
  if (typeof below !== "bigint" || below < stack.low || below > stack.high || below % 8n !== 0n) {
    throw new StackError(
      "BAD_ADDRESS",
      `paint(stack ${formatAddress(stack.low)}..${formatAddress(stack.high)}, below ${String(below)}): ` +
        "below must be a multiple of 8 within the stack's usable region",
    );
  }
  // One poke of a pattern buffer per chunk: a single call is what a native
  // memory wants, and it ignores permissions, so a stack someone protected
  // for a test still gets painted exactly.
  const total = Number(below - stack.low);
  const chunk = Math.min(total, 64 * 1024);
  if (chunk === 0) return;
  const bytes = new Uint8Array(chunk);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < chunk; i += 8) view.setBigUint64(i, pattern, true);
  for (let offset = 0; offset < total; offset += chunk) {
    const length = Math.min(chunk, total - offset);
    stack.memory.poke(
      stack.low + BigInt(offset),
      length === chunk ? bytes : bytes.subarray(0, length),
    );
  }
}

/**
 * How many bytes, counted down from `stack.high`, were ever used since the
 * stack was painted with `pattern`: `high` minus the address of the lowest
 * word that is not the pattern (0 if every word still is). A stack that was
 * never painted reports its whole size (unless its memory happens to hold the
 * pattern). Always a multiple of 8.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, highWaterMark, paint } from "@greenthreads/stack";
 * const mem = new memory.Memory();
 * const stacks = new EmulatedStackAllocator({ memory: mem, base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(8192);
 * paint(stack);
 * console.log(highWaterMark(stack)); // 0
 * mem.write8(stack.high - 100n, 1);
 * console.log(highWaterMark(stack)); // 104
 * ```
 */
export function highWaterMark(stack: Stack, pattern: bigint = STACK_PAINT_PATTERN): number {
  checkPattern(pattern, "highWaterMark");
  const chunk = 64 * 1024;
  for (let offset = 0; offset < stack.size; offset += chunk) {
    const length = Math.min(chunk, stack.size - offset);
    const bytes = stack.memory.peek(stack.low + BigInt(offset), length);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i + 8 <= length; i += 8) {
      if (view.getBigUint64(i, true) !== pattern) return stack.size - offset - i;
    }
  }
  return 0;
}

function checkPattern(pattern: bigint, where: string): void {
  if (typeof pattern !== "bigint" || pattern < 0n || pattern >= 2n ** 64n) {
    throw new StackError(
      "BAD_PATTERN",
      `${where}: pattern ${String(pattern)} must be a bigint between 0 and 2^64-1, ` +
        "e.g. STACK_PAINT_PATTERN",
    );
  }
}
