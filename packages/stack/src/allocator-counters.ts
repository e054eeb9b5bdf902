/**
 * The counters every stack allocator reports through `stats()`: how many
 * stacks it handed out and took back, how many are live, and the peaks.
 * One implementation, so every allocator (emulated, pooling, and the native
 * one of `@greenthreads/switch`) counts the same way.
 *
 * @module
 */
import type { StackAllocatorStats } from "./stack-allocator.js";

/**
 * Allocation counters of a stack allocator. Call {@link AllocatorCounters.allocated}
 * after a successful allocation and {@link AllocatorCounters.released} after a
 * successful release, so a failed call changes nothing.
 *
 * @example
 * ```ts
 * import { AllocatorCounters } from "@greenthreads/stack";
 * const counters = new AllocatorCounters();
 * counters.allocated(16384);
 * counters.allocated(16384);
 * counters.released(16384);
 * console.log(counters.stats()); // { allocated: 2, released: 1, live: 1, peak: 2, liveBytes: 16384, peakBytes: 32768 }
 * ```
 */
export class AllocatorCounters {
  #allocated = 0;
  #released = 0;
  #live = 0;
  #peak = 0;
  #liveBytes = 0;
  #peakBytes = 0;

  /** Counts a stack of `size` usable bytes handed out. */
  allocated(size: number): void {
    this.#allocated++;
    this.#live++;
    this.#liveBytes += size;
    if (this.#live > this.#peak) this.#peak = this.#live;
    if (this.#liveBytes > this.#peakBytes) this.#peakBytes = this.#liveBytes;
  }

  /** Counts a stack of `size` usable bytes taken back. */
  released(size: number): void {
    this.#released++;
    this.#live--;
    this.#liveBytes -= size;
  }

  /** A snapshot of the counters. */
  stats(): StackAllocatorStats {
    return {
      allocated: this.#allocated,
      released: this.#released,
      live: this.#live,
      peak: this.#peak,
      liveBytes: this.#liveBytes,
      peakBytes: this.#peakBytes,
    };
  }
}
