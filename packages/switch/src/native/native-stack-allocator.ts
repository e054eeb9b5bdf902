/**
 * Real stacks: mmap'd by the addon, with a no-access guard page below each.
 *
 * This is the stack package's {@link StackAllocator} contract implemented
 * over process memory. One `mmap` per stack maps guard and usable region
 * together; `mprotect` then makes the guard `PROT_NONE`, so in
 * `/proc/self/maps` every stack shows as a `---p` mapping directly below an
 * `rw-p` one:
 *
 * ```
 *   high ─► ┌──────────────────────────┐
 *           │ usable  rw-p             │  Stack.memory: BufferMemory over an
 *           │                          │  external ArrayBuffer of these pages
 *   low  ─► ├──────────────────────────┤
 *           │ guard   ---p             │  guardSize bytes (default one page)
 *           └──────────────────────────┘
 * ```
 *
 * Lowered programs never reach the guard (they check the stack limit before
 * every push); the guard is there for anything that would, and the addon's
 * fault handler turns a touch of it into a fault trap.
 *
 * @module
 */
import {
  AllocatorCounters,
  formatAddress,
  type Stack,
  type StackAllocator,
  type StackAllocatorStats,
  StackError,
  validateStackSize,
} from "@greenthreads/stack";
import { SwitchError } from "../errors.js";
import { loadAddon, type NativeAddon, type RegionHandle } from "./addon.js";
import { BufferMemory } from "./buffer-memory.js";

/**
 * Options of {@link NativeStackAllocator}.
 *
 * @example
 * ```ts
 * import type { NativeStackAllocatorOptions } from "@greenthreads/switch";
 * const options: NativeStackAllocatorOptions = { guardSize: 8192, maximumSize: 1 << 20 };
 * ```
 */
export interface NativeStackAllocatorOptions {
  /** No-access bytes below each stack: a page multiple, default one page. */
  readonly guardSize?: number;
  /** Smallest usable size accepted, default one page. */
  readonly minimumSize?: number;
  /** Largest usable size accepted, default 64 MiB. */
  readonly maximumSize?: number;
}

interface Mapping {
  readonly handle: RegionHandle;
  readonly buffer: ArrayBuffer;
  readonly memory: BufferMemory;
}

const NAME = "NativeStackAllocator";

/**
 * A {@link StackAllocator} of real stacks with guard pages, through the
 * native addon. Throws {@link SwitchError} `NATIVE_UNAVAILABLE` when the
 * addon cannot be loaded.
 *
 * @example
 * ```ts
 * import { highWaterMark, paint } from "@greenthreads/stack";
 * import { NativeStackAllocator } from "@greenthreads/switch";
 * const stacks = new NativeStackAllocator();
 * const stack = stacks.allocate(16384);
 * paint(stack);
 * stack.memory.write64(stack.high - 8n, 1n);
 * console.log(highWaterMark(stack)); // 8
 * stacks.release(stack);
 * ```
 */
export class NativeStackAllocator implements StackAllocator {
  readonly pageSize: number;
  readonly minimumSize: number;
  readonly maximumSize: number;
  readonly guardSize: number;
  readonly #addon: NativeAddon;
  readonly #live = new Map<Stack, Mapping>();
  readonly #issued = new WeakSet<Stack>();
  readonly #counters = new AllocatorCounters();

  constructor(options: NativeStackAllocatorOptions = {}) {
    const loaded = loadAddon();
    if ("error" in loaded) {
      throw new SwitchError(
        "NATIVE_UNAVAILABLE",
        `${NAME}: the native addon cannot be loaded: ${loaded.error}`,
      );
    }
    this.#addon = loaded.addon;
    this.pageSize = this.#addon.info().pageSize;
    this.guardSize = options.guardSize ?? this.pageSize;
    this.minimumSize = options.minimumSize ?? this.pageSize;
    this.maximumSize = options.maximumSize ?? 64 * 1024 * 1024;
    for (const [name, value, zeroOk] of [
      ["guardSize", this.guardSize, true],
      ["minimumSize", this.minimumSize, false],
      ["maximumSize", this.maximumSize, false],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < (zeroOk ? 0 : 1) || value % this.pageSize !== 0) {
        throw new StackError(
          "BAD_OPTIONS",
          `new ${NAME}: ${name} ${value} must be a ${zeroOk ? "non-negative" : "positive"} multiple of the page size ${this.pageSize}`,
        );
      }
    }
    if (this.minimumSize > this.maximumSize) {
      throw new StackError("BAD_OPTIONS", `new ${NAME}: minimumSize must not exceed maximumSize`);
    }
  }

  /** Maps a stack with its guard. Throws {@link StackError} (see {@link validateStackSize}, `MAP_FAILED`). */
  allocate(size: number): Stack {
    validateStackSize(size, this, `${NAME}.allocate`);
    let handle: RegionHandle;
    let buffer: ArrayBuffer;
    let low: bigint;
    try {
      [handle, buffer, low] = this.#addon.stackMap(size, this.guardSize);
    } catch (cause) {
      throw new StackError(
        "MAP_FAILED",
        `${NAME}.allocate(${size}): the system refused to map ${size + this.guardSize} bytes; release stacks or ask for less`,
        { cause },
      );
    }
    const memory = new BufferMemory(low, buffer, this.guardSize);
    const stack: Stack = Object.freeze({
      low,
      high: low + BigInt(size),
      size,
      guardSize: this.guardSize,
      memory,
    });
    this.#live.set(stack, { handle, buffer, memory });
    this.#issued.add(stack);
    this.#counters.allocated(size);
    return stack;
  }

  /** Unmaps a stack at once (its ArrayBuffer is detached first). */
  release(stack: Stack): void {
    const mapping = this.#live.get(stack);
    if (!mapping) {
      const where = `${NAME}.release(stack at ${formatAddress(stack.low)}..${formatAddress(stack.high)})`;
      throw this.#issued.has(stack)
        ? new StackError(
            "DOUBLE_RELEASE",
            `${where}: this stack was already released; release each stack once`,
          )
        : new StackError(
            "FOREIGN_STACK",
            `${where}: this allocator did not allocate this stack; release it to the one that did`,
          );
    }
    mapping.memory.markReleased();
    this.#addon.regionRelease(mapping.handle, mapping.buffer);
    this.#live.delete(stack);
    this.#counters.released(stack.size);
  }

  owns(stack: Stack): boolean {
    return this.#live.has(stack);
  }

  stats(): StackAllocatorStats {
    return this.#counters.stats();
  }

  /** @internal The addon's handle of a live stack (for the native backend's threads). */
  handleOf(stack: Stack): RegionHandle | undefined {
    return this.#live.get(stack)?.handle;
  }
}
