/**
 * Stacks carved out of an emulated address space.
 *
 * The emulated backend runs machine threads in the isa's interpreter, over an
 * isa {@link @greenthreads/isa!memory.Memory}. For its traps to match the native
 * backend's, its stacks must look like native ones: page-aligned regions
 * mapped read-write, each with a no-access guard region directly below it,
 * so that an overflow faults at an address inside the guard.
 *
 * The allocator owns one address range `[base, limit)` of that memory and
 * keeps a sorted list of its free sub-ranges. Allocation is first fit from
 * the lowest address; each stack takes `guardSize + size` bytes:
 *
 * ```
 *   limit ──►  ┌───────────────────────┐
 *              │ free                  │
 *              ├───────────────────────┤ ◄─ stack B high
 *              │ stack B usable (rw)   │
 *              ├───────────────────────┤ ◄─ stack B low
 *              │ stack B guard ("")    │
 *              ├───────────────────────┤ ◄─ stack A high
 *              │ stack A usable (rw)   │   an overflow of B lands in B's guard,
 *              ├───────────────────────┤   never in A
 *              │ stack A guard ("")    │
 *   base ───►  └───────────────────────┘ ◄─ stack A low - guardSize
 * ```
 *
 * Release unmaps both regions and returns them to the free list, merging
 * with free neighbours so that the space does not fragment into slivers.
 * Unmapping (rather than keeping the pages) means a use after release faults
 * in the interpreter, which is the behaviour one wants from a debugging
 * backend; keeping warm stacks around is the job of {@link PoolingAllocator}.
 *
 * @module
 */
import { memory } from "@greenthreads/isa";
import { AllocatorCounters } from "./allocator-counters.js";
import { StackError } from "./errors.js";
import { formatAddress } from "./format-address.js";
import type { Stack } from "./stack.js";
import type { StackAllocator, StackAllocatorStats } from "./stack-allocator.js";
import { describeStack, StackHandle } from "./stack-handle.js";
import { validateStackSize } from "./validate-stack-size.js";

const { PAGE_SIZE } = memory;

/**
 * Options of {@link EmulatedStackAllocator}.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import type { EmulatedStackAllocatorOptions } from "@greenthreads/stack";
 * const options: EmulatedStackAllocatorOptions = {
 *   memory: new memory.Memory(), base: 0x1000_0000n, limit: 0x2000_0000n, guardSize: 4096,
 * };
 * ```
 */
export interface EmulatedStackAllocatorOptions {
  /** The emulated memory to map stacks in. */
  readonly memory: memory.Memory;
  /** First address of the range the allocator owns (page aligned). */
  readonly base: bigint;
  /** One past the last address of that range (page aligned, above `base`). */
  readonly limit: bigint;
  /** No-access bytes below each stack; a page multiple, default one page. 0 disables guards. */
  readonly guardSize?: number;
  /** Smallest usable size accepted; a positive page multiple, default one page. */
  readonly minimumSize?: number;
  /** Largest usable size accepted; default: the whole range less one guard. */
  readonly maximumSize?: number;
}

/**
 * A free sub-range `[start, end)` of an allocator's address range.
 *
 * @example
 * ```ts
 * import type { FreeRange } from "@greenthreads/stack";
 * const r: FreeRange = { start: 0x100000n, end: 0x200000n };
 * ```
 */
export interface FreeRange {
  readonly start: bigint;
  readonly end: bigint;
}

interface Mapping {
  /** Start of the guard region (equals `stack.low` when there is no guard). */
  readonly start: bigint;
  /** Bytes of guard plus usable region. */
  readonly bytes: number;
}

const NAME = "EmulatedStackAllocator";

/**
 * A {@link StackAllocator} over an isa {@link @greenthreads/isa!memory.Memory}: each
 * stack is mapped `"rw"` with a `""` (no-access) guard region directly below
 * it, inside the address range `[base, limit)`. See the module comment for the
 * layout.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator } from "@greenthreads/stack";
 * const mem = new memory.Memory();
 * const stacks = new EmulatedStackAllocator({ memory: mem, base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(16384);
 * mem.write64(stack.high - 8n, 1n); // fine: inside the stack
 * try {
 *   mem.write64(stack.low - 8n, 1n); // one word below: the guard
 * } catch (e) {
 *   if (e instanceof memory.MemoryFault) console.log("overflow at", e.address.toString(16));
 * }
 * stacks.release(stack);
 * ```
 */
export class EmulatedStackAllocator implements StackAllocator {
  /** The memory stacks are mapped in. */
  readonly memory: memory.Memory;
  /** First address of the owned range. */
  readonly base: bigint;
  /** One past the last address of the owned range. */
  readonly limit: bigint;
  readonly pageSize: number = PAGE_SIZE;
  readonly guardSize: number;
  readonly minimumSize: number;
  readonly maximumSize: number;

  /** Free sub-ranges, sorted by address, never adjacent (adjacent ones are merged). */
  #free: { start: bigint; end: bigint }[];
  readonly #live = new Map<Stack, Mapping>();
  readonly #counters = new AllocatorCounters();

  constructor(options: EmulatedStackAllocatorOptions) {
    const { memory, base, limit } = options;
    const guardSize = options.guardSize ?? PAGE_SIZE;
    const minimumSize = options.minimumSize ?? PAGE_SIZE;
    const where = `new ${NAME}`;
    if (typeof base !== "bigint" || typeof limit !== "bigint") {
      throw new StackError("BAD_OPTIONS", `${where}: base and limit must be bigint addresses`);
    }
    const page = BigInt(PAGE_SIZE);
    if (base < 0n || limit > 2n ** 53n || base % page !== 0n || limit % page !== 0n) {
      throw new StackError(
        "BAD_OPTIONS",
        `${where}: base ${formatAddress(base)} and limit ${formatAddress(limit)} must be ` +
          `multiples of the page size ${PAGE_SIZE} within the emulated address space (0 to 2^53)`,
      );
    }
    if (limit <= base) {
      throw new StackError(
        "BAD_OPTIONS",
        `${where}: limit ${formatAddress(limit)} must be above base ${formatAddress(base)}`,
      );
    }
    if (!Number.isSafeInteger(guardSize) || guardSize < 0 || guardSize % PAGE_SIZE !== 0) {
      throw new StackError(
        "BAD_OPTIONS",
        `${where}: guardSize ${guardSize} must be 0 or a positive multiple of the page size ${PAGE_SIZE}`,
      );
    }
    const range = Number(limit - base);
    const maximumSize = options.maximumSize ?? range - guardSize;
    for (const [name, value] of [
      ["minimumSize", minimumSize],
      ["maximumSize", maximumSize],
    ] as const) {
      if (!Number.isSafeInteger(value) || value <= 0 || value % PAGE_SIZE !== 0) {
        throw new StackError(
          "BAD_OPTIONS",
          `${where}: ${name} ${value} must be a positive multiple of the page size ${PAGE_SIZE}` +
            (name === "maximumSize" ? " (is the range smaller than one page plus a guard?)" : ""),
        );
      }
    }
    if (minimumSize > maximumSize || maximumSize + guardSize > range) {
      throw new StackError(
        "BAD_OPTIONS",
        `${where}: need minimumSize ${minimumSize} <= maximumSize ${maximumSize} and ` +
          `maximumSize + guardSize <= the range's ${range} bytes; widen the range or shrink the sizes`,
      );
    }
    this.memory = memory;
    this.base = base;
    this.limit = limit;
    this.guardSize = guardSize;
    this.minimumSize = minimumSize;
    this.maximumSize = maximumSize;
    this.#free = [{ start: base, end: limit }];
  }

  /**
   * Maps a stack of `size` usable bytes (a page multiple) with its guard
   * below it. Throws a {@link StackError}: a bad size (see
   * {@link validateStackSize}), `OUT_OF_ADDRESS_SPACE` when no free range
   * fits, `MAP_FAILED` when the memory already has pages mapped there.
   */
  allocate(size: number): Stack {
    validateStackSize(size, this, `${NAME}.allocate`);
    const bytes = size + this.guardSize;
    const big = BigInt(bytes);
    const index = this.#free.findIndex((r) => r.end - r.start >= big);
    if (index < 0) {
      throw new StackError(
        "OUT_OF_ADDRESS_SPACE",
        `${NAME}.allocate(${size}): no free range of ${bytes} bytes (stack plus ${this.guardSize}-byte guard) ` +
          `in ${formatAddress(this.base)}..${formatAddress(this.limit)}; ${this.#live.size} stacks are live ` +
          `and ${this.freeBytes} bytes are free in ${this.#free.length} ranges; release stacks, ` +
          "drain a pool, or give the allocator a larger range",
      );
    }
    const range = this.#free[index]!;
    const start = range.start;
    const low = start + BigInt(this.guardSize);
    try {
      if (this.guardSize > 0) this.memory.map(start, this.guardSize, "");
    } catch (cause) {
      throw this.#mapFailed(size, start, cause);
    }
    try {
      this.memory.map(low, size, "rw");
    } catch (cause) {
      if (this.guardSize > 0) this.memory.unmap(start, this.guardSize);
      throw this.#mapFailed(size, low, cause);
    }
    if (range.end - range.start === big) this.#free.splice(index, 1);
    else range.start += big;
    const stack: Stack = new StackHandle(this, low, size, this.guardSize, this.memory);
    this.#live.set(stack, { start, bytes });
    this.#counters.allocated(size);
    return stack;
  }

  /**
   * Unmaps a stack and its guard and returns the range to the free list.
   * Throws a {@link StackError} `DOUBLE_RELEASE` or `FOREIGN_STACK`, changing
   * nothing.
   */
  release(stack: Stack): void {
    const mapping = this.#live.get(stack);
    if (!mapping) throw this.#notLive(stack);
    this.memory.unmap(mapping.start, mapping.bytes);
    this.#insertFree(mapping.start, mapping.start + BigInt(mapping.bytes));
    this.#live.delete(stack);
    this.#counters.released(stack.size);
  }

  owns(stack: Stack): boolean {
    return this.#live.has(stack);
  }

  stats(): StackAllocatorStats {
    return this.#counters.stats();
  }

  /** Free bytes of the owned range (stacks and guards excluded). */
  get freeBytes(): number {
    let total = 0n;
    for (const r of this.#free) total += r.end - r.start;
    return Number(total);
  }

  /**
   * A copy of the free list: sorted, non-adjacent sub-ranges of
   * `[base, limit)` not used by a stack or a guard.
   *
   * @example
   * ```ts
   * import { memory } from "@greenthreads/isa";
   * import { EmulatedStackAllocator } from "@greenthreads/stack";
   * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
   * stacks.allocate(4096);
   * console.log(stacks.freeRanges()); // [{ start: 0x102000n, end: 0x200000n }]
   * ```
   */
  freeRanges(): FreeRange[] {
    return this.#free.map((r) => ({ start: r.start, end: r.end }));
  }

  #insertFree(start: bigint, end: bigint): void {
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i]!.start < start) i++;
    const before = free[i - 1];
    const after = free[i];
    if (before && before.end === start && after && after.start === end) {
      before.end = after.end;
      free.splice(i, 1);
    } else if (before && before.end === start) {
      before.end = end;
    } else if (after && after.start === end) {
      after.start = start;
    } else {
      free.splice(i, 0, { start, end });
    }
  }

  #mapFailed(size: number, at: bigint, cause: unknown): StackError {
    return new StackError(
      "MAP_FAILED",
      `${NAME}.allocate(${size}): the memory refused to map ${formatAddress(at)} ` +
        `(${cause instanceof Error ? cause.message : String(cause)}); something else mapped pages in ` +
        `${formatAddress(this.base)}..${formatAddress(this.limit)}: give the allocator a range of its own`,
      { cause },
    );
  }

  #notLive(stack: Stack): StackError {
    const where = `${NAME}.release(${describeStack(stack)})`;
    if (StackHandle.issuedBy(stack, this)) {
      return new StackError(
        "DOUBLE_RELEASE",
        `${where}: this stack was already released; release each stack once, and do not use it after`,
      );
    }
    for (const live of this.#live.keys()) {
      if (typeof stack !== "object" || stack === null) break;
      if (live.low === stack.low && live.high === stack.high && live.memory === stack.memory) {
        return new StackError(
          "FOREIGN_STACK",
          `${where}: this object is a copy, not the Stack that allocate() returned for this range; ` +
            "release the original object",
        );
      }
    }
    return new StackError(
      "FOREIGN_STACK",
      `${where}: this allocator (range ${formatAddress(this.base)}..${formatAddress(this.limit)}) ` +
        "did not allocate this stack; release it to the allocator that did",
    );
  }
}
