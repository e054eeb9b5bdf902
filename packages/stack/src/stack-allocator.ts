/**
 * The contract between whoever needs stacks (the scheduler, the switch
 * backends) and whoever makes them.
 *
 * There are several ways to get a stack: carve it out of an emulated address
 * space ({@link EmulatedStackAllocator}), `mmap` it with a guard page in the
 * native addon of `@greenthreads/switch`, or take it from a cache of released
 * ones ({@link PoolingAllocator}). The scheduler should not care which, and a
 * pool should be able to wrap any of them, so they all implement one small
 * interface: {@link StackAllocator}.
 *
 * Rules every implementation keeps, so that callers and wrappers can rely on
 * them:
 *
 * 1. Sizes are in bytes and count the usable region only; the guard region
 *    comes on top. A valid size is a positive integer, a multiple of
 *    `pageSize`, and within `[minimumSize, maximumSize]`. Anything else is a
 *    {@link StackError} with the code {@link validateStackSize} gives
 *    (implementations call it, so the codes and messages agree).
 * 2. `allocate(size)` returns a fresh frozen {@link Stack} object whose
 *    usable region is at least `size` bytes, page aligned at both ends, with
 *    `guardSize` no-access bytes directly below `low`. Running out of address
 *    space or memory is a {@link StackError} `OUT_OF_ADDRESS_SPACE` (or
 *    `MAP_FAILED` when the system refuses the mapping).
 * 3. `release(stack)` takes back exactly an object that this allocator
 *    returned and has not taken back yet. Releasing it twice is
 *    `DOUBLE_RELEASE`; a stack from elsewhere (another allocator, or a copy)
 *    is `FOREIGN_STACK`.
 * 4. A call that throws changes nothing: `stats()`, free lists and mappings
 *    are exactly as before.
 * 5. After `release`, the stack's memory may be unmapped or reused; do not
 *    touch it.
 *
 * {@link checkAllocatorContract} runs these rules against an allocator;
 * every implementation's tests should call it and expect no problems.
 *
 * @module
 */
import type { Stack } from "./stack.js";

/**
 * Counters every {@link StackAllocator} keeps. All counts are of stacks,
 * `…Bytes` of usable bytes (guards excluded).
 *
 * @example
 * ```ts
 * import type { StackAllocatorStats } from "@greenthreads/stack";
 * function leaked(s: StackAllocatorStats): boolean {
 *   return s.live !== 0;
 * }
 * ```
 */
export interface StackAllocatorStats {
  /** Successful `allocate` calls so far. */
  readonly allocated: number;
  /** Successful `release` calls so far. */
  readonly released: number;
  /** Stacks allocated and not released: `allocated - released`. */
  readonly live: number;
  /** The largest `live` has ever been. */
  readonly peak: number;
  /** Usable bytes of the live stacks. */
  readonly liveBytes: number;
  /** The largest `liveBytes` has ever been. */
  readonly peakBytes: number;
}

/**
 * Something that hands out stacks and takes them back. See the module
 * comment for the rules an implementation keeps; the native allocator of
 * `@greenthreads/switch` implements exactly this.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, type StackAllocator } from "@greenthreads/stack";
 * const stacks: StackAllocator = new EmulatedStackAllocator({
 *   memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n,
 * });
 * const stack = stacks.allocate(4 * stacks.pageSize);
 * stacks.release(stack);
 * console.log(stacks.stats().live); // 0
 * ```
 */
export interface StackAllocator {
  /** Granularity of sizes and addresses, in bytes: sizes must be multiples of it. */
  readonly pageSize: number;
  /** Smallest usable size `allocate` accepts, a multiple of `pageSize`. */
  readonly minimumSize: number;
  /** Largest usable size `allocate` accepts, a multiple of `pageSize`. */
  readonly maximumSize: number;
  /** Bytes of no-access guard region below each stack (a multiple of `pageSize`, may be 0). */
  readonly guardSize: number;
  /**
   * A new stack with at least `size` usable bytes. Throws a {@link StackError}
   * (see the module comment for the codes) and changes nothing on failure.
   */
  allocate(size: number): Stack;
  /**
   * Takes back a stack this allocator returned. Throws a {@link StackError}
   * `DOUBLE_RELEASE` or `FOREIGN_STACK` and changes nothing on failure.
   */
  release(stack: Stack): void;
  /** Whether `stack` is a live stack of this allocator (returned and not yet released). */
  owns(stack: Stack): boolean;
  /** A snapshot of the counters. */
  stats(): StackAllocatorStats;
}
