/**
 * A cache of released stacks in front of any {@link StackAllocator}.
 *
 * Mapping a stack is the expensive part of starting a thread: a system call
 * and page faults natively, page tables and zeroed pages in the emulator.
 * Programs that start many short threads release stacks of the same few
 * sizes over and over, so a released stack is kept and handed to the next
 * thread that asks for that size, as Go's runtime does with its stack pools.
 *
 * Sizes are rounded up to classes so that one cached stack serves many
 * requests: the classes are the minimum size times a power of two
 * (`min, 2·min, 4·min, …`). Rounding up wastes at most half of a stack's
 * usable bytes, and that waste is address space, not touched memory. A size
 * whose class would exceed `maxClassSize` is "large": it is allocated at its
 * exact size and never cached, since large stacks are rare and would pin a
 * lot of memory.
 *
 * ```
 *   class 0 (min)     ─► [stack, stack, stack]   LIFO: the warmest stack first
 *   class 1 (2·min)   ─► [stack]
 *   class 2 (4·min)   ─► []
 *   …                     each list holds at most maxCachedPerClass stacks,
 *                         all lists together at most maxCachedBytes
 * ```
 *
 * A release that would exceed a cap goes straight back to the inner
 * allocator. `drain()` empties the cache, e.g. before a memory-hungry phase
 * or at shutdown. A reused stack still holds its previous thread's words;
 * {@link paint} it again if a high-water mark is wanted.
 *
 * Every `allocate` returns a fresh {@link Stack} object (with the inner
 * stack's addresses), so releasing a stale handle after its stack was reused
 * by someone else is still detected as `DOUBLE_RELEASE`.
 *
 * @module
 */

import { AllocatorCounters } from "./allocator-counters.js";
import { StackError } from "./errors.js";
import type { Stack } from "./stack.js";
import type { StackAllocator, StackAllocatorStats } from "./stack-allocator.js";
import { describeStack, StackHandle } from "./stack-handle.js";
import { validateStackSize } from "./validate-stack-size.js";

/**
 * Options of {@link PoolingAllocator}.
 *
 * @example
 * ```ts
 * import type { PoolingAllocatorOptions } from "@greenthreads/stack";
 * const options: PoolingAllocatorOptions = { maxCachedPerClass: 32, maxCachedBytes: 64 << 20 };
 * ```
 */
export interface PoolingAllocatorOptions {
  /** Most stacks cached per size class; default 16. 0 disables caching. */
  readonly maxCachedPerClass?: number;
  /** Most usable bytes cached over all classes; default 16 MiB. */
  readonly maxCachedBytes?: number;
  /**
   * The largest class; larger requests are allocated exactly and not cached.
   * Default: the largest class that the inner allocator's maximum admits.
   */
  readonly maxClassSize?: number;
}

/**
 * Counters of a {@link PoolingAllocator}: those of every allocator, plus
 * reuse and cache figures.
 *
 * @example
 * ```ts
 * import type { PoolingAllocatorStats } from "@greenthreads/stack";
 * const hitRate = (s: PoolingAllocatorStats) => s.reused / s.allocated;
 * ```
 */
export interface PoolingAllocatorStats extends StackAllocatorStats {
  /** Allocations served from the cache (the rest came from the inner allocator). */
  readonly reused: number;
  /** Stacks in the cache now. */
  readonly cached: number;
  /** Usable bytes of the stacks in the cache now. */
  readonly cachedBytes: number;
  /** Stacks handed back to the inner allocator (cache full, large, or drained). */
  readonly returned: number;
}

interface Lease {
  /** The inner allocator's stack behind the handle. */
  readonly inner: Stack;
  /** Size class index, or -1 for a large stack. */
  readonly sizeClass: number;
}

const NAME = "PoolingAllocator";

/**
 * A {@link StackAllocator} that caches released stacks by size class in front
 * of another allocator. See the module comment for the policy.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, PoolingAllocator } from "@greenthreads/stack";
 * const inner = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x1000000n });
 * const pool = new PoolingAllocator(inner, { maxCachedPerClass: 8 });
 * const a = pool.allocate(16384);
 * pool.release(a);
 * const b = pool.allocate(12288); // same class (16 KiB): reuses a's memory
 * console.log(b.low === a.low, pool.stats().reused); // true 1
 * pool.release(b);
 * pool.drain(); // gives the cached stack back to `inner`
 * ```
 */
export class PoolingAllocator implements StackAllocator {
  /** The allocator behind the cache. */
  readonly inner: StackAllocator;
  readonly pageSize: number;
  readonly minimumSize: number;
  readonly maximumSize: number;
  readonly guardSize: number;
  /** Most stacks cached per class. */
  readonly maxCachedPerClass: number;
  /** Most usable bytes cached in total. */
  readonly maxCachedBytes: number;
  /** Size of the largest class; larger stacks bypass the cache. */
  readonly maxClassSize: number;

  /** Cached inner stacks per class, LIFO. */
  readonly #cache: Stack[][];
  readonly #live = new Map<Stack, Lease>();
  #reused = 0;
  #returned = 0;
  readonly #counters = new AllocatorCounters();
  #cached = 0;
  #cachedBytes = 0;

  constructor(inner: StackAllocator, options: PoolingAllocatorOptions = {}) {
    const where = `new ${NAME}`;
    this.inner = inner;
    this.pageSize = inner.pageSize;
    this.minimumSize = inner.minimumSize;
    this.maximumSize = inner.maximumSize;
    this.guardSize = inner.guardSize;
    this.maxCachedPerClass = options.maxCachedPerClass ?? 16;
    this.maxCachedBytes = options.maxCachedBytes ?? 16 * 1024 * 1024;
    let largest = inner.minimumSize;
    while (largest * 2 <= inner.maximumSize) largest *= 2;
    const maxClassSize = options.maxClassSize ?? largest;
    for (const [name, value] of [
      ["maxCachedPerClass", this.maxCachedPerClass],
      ["maxCachedBytes", this.maxCachedBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new StackError(
          "BAD_OPTIONS",
          `${where}: ${name} ${value} must be a non-negative integer`,
        );
      }
    }
    const ratio = maxClassSize / inner.minimumSize;
    if (
      !Number.isSafeInteger(maxClassSize) ||
      maxClassSize > inner.maximumSize ||
      !Number.isInteger(ratio) ||
      ratio < 1 ||
      (ratio & (ratio - 1)) !== 0
    ) {
      throw new StackError(
        "BAD_OPTIONS",
        `${where}: maxClassSize ${maxClassSize} must be the inner allocator's minimum ` +
          `${inner.minimumSize} times a power of two, at most its maximum ${inner.maximumSize}`,
      );
    }
    this.maxClassSize = maxClassSize;
    this.#cache = Array.from({ length: Math.log2(ratio) + 1 }, () => []);
  }

  /**
   * The usable size a request for `size` bytes gets: its class size, or
   * `size` itself for a large request. Assumes `size` is valid.
   *
   * @example
   * ```ts
   * import { memory } from "@greenthreads/isa";
   * import { EmulatedStackAllocator, PoolingAllocator } from "@greenthreads/stack";
   * const inner = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x1000000n });
   * console.log(new PoolingAllocator(inner).classSize(12288)); // 16384
   * ```
   */
  classSize(size: number): number {
    const index = this.#classOf(size);
    return index < 0 ? size : this.minimumSize * 2 ** index;
  }

  /**
   * A stack of at least `size` bytes: a cached one of the same class if
   * there is one, else a new one of the class size from the inner allocator.
   * Throws what the inner allocator throws, changing nothing.
   */
  allocate(size: number): Stack {
    validateStackSize(size, this, `${NAME}.allocate`);
    const sizeClass = this.#classOf(size);
    const cached = sizeClass < 0 ? undefined : this.#cache[sizeClass]!.pop();
    let inner: Stack;
    if (cached) {
      inner = cached;
      this.#cached--;
      this.#cachedBytes -= cached.size;
      this.#reused++;
    } else {
      inner = this.inner.allocate(sizeClass < 0 ? size : this.minimumSize * 2 ** sizeClass);
    }
    const handle: Stack = new StackHandle(
      this,
      inner.low,
      inner.size,
      inner.guardSize,
      inner.memory,
    );
    this.#live.set(handle, { inner, sizeClass });
    this.#counters.allocated(inner.size);
    return handle;
  }

  /**
   * Takes a stack back into the cache, or gives it to the inner allocator
   * when it is large or the cache is at a cap. Throws a {@link StackError}
   * `DOUBLE_RELEASE` or `FOREIGN_STACK`, changing nothing.
   */
  release(stack: Stack): void {
    const lease = this.#live.get(stack);
    if (!lease) throw this.#notLive(stack);
    const { inner, sizeClass } = lease;
    const list = sizeClass < 0 ? undefined : this.#cache[sizeClass]!;
    if (
      list &&
      list.length < this.maxCachedPerClass &&
      this.#cachedBytes + inner.size <= this.maxCachedBytes
    ) {
      list.push(inner);
      this.#cached++;
      this.#cachedBytes += inner.size;
    } else {
      this.inner.release(inner);
      this.#returned++;
    }
    this.#live.delete(stack);
    this.#counters.released(inner.size);
  }

  /**
   * Gives every cached stack back to the inner allocator and returns how many
   * there were.
   *
   * @example
   * ```ts
   * import { memory } from "@greenthreads/isa";
   * import { EmulatedStackAllocator, PoolingAllocator } from "@greenthreads/stack";
   * const inner = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x1000000n });
   * const pool = new PoolingAllocator(inner);
   * pool.release(pool.allocate(4096));
   * console.log(pool.drain(), inner.stats().live); // 1 0
   * ```
   */
  drain(): number {
    let count = 0;
    for (const list of this.#cache) {
      while (list.length > 0) {
        const inner = list[list.length - 1]!;
        this.inner.release(inner);
        list.pop();
        this.#cached--;
        this.#cachedBytes -= inner.size;
        this.#returned++;
        count++;
      }
    }
    return count;
  }

  owns(stack: Stack): boolean {
    return this.#live.has(stack);
  }

  stats(): PoolingAllocatorStats {
    return {
      ...this.#counters.stats(),
      reused: this.#reused,
      cached: this.#cached,
      cachedBytes: this.#cachedBytes,
      returned: this.#returned,
    };
  }

  /** Class index of a valid size, or -1 when it is above the largest class. */
  #classOf(size: number): number {
    if (size > this.maxClassSize) return -1;
    let index = 0;
    let classSize = this.minimumSize;
    while (classSize < size) {
      classSize *= 2;
      index++;
    }
    return index;
  }

  #notLive(stack: Stack): StackError {
    const where = `${NAME}.release(${describeStack(stack)})`;
    if (StackHandle.issuedBy(stack, this)) {
      return new StackError(
        "DOUBLE_RELEASE",
        `${where}: this stack was already released to the pool (its memory may now belong to ` +
          "another thread); release each stack once, and do not use it after",
      );
    }
    return new StackError(
      "FOREIGN_STACK",
      `${where}: this pool did not hand out this stack object; release it to the allocator ` +
        "it came from (a stack from the inner allocator goes back to the inner allocator)",
    );
  }
}
