/**
 * Real stacks: mmap'd by the addon, with signal headroom and a no-access
 * guard below each.
 *
 * This is the stack package's {@link StackAllocator} contract implemented
 * over process memory. One `mmap` per stack maps guard, headroom and usable
 * region together; `mprotect` then makes the guard `PROT_NONE`, so in
 * `/proc/self/maps` every stack shows as a `---p` mapping directly below an
 * `rw-p` one (two mappings per stack; no layout with a guard can do with
 * fewer, since a mapping has one protection):
 *
 * ```
 *   high ─► ┌──────────────────────────┐
 *           │ usable  rw-p             │  Stack.memory: NativeStackMemory
 *           │                          │  (through the addon, by stack id)
 *   low  ─► ├──────────────────────────┤ ─┐
 *           │ signal headroom  rw-p    │  │ Stack.guardSize: no program word
 *           ├──────────────────────────┤  │ lives below low
 *           │ guard   ---p             │  │ (allocator's guardSize, ≥ 1 page)
 *           └──────────────────────────┘ ─┘
 * ```
 *
 * The headroom is where the kernel's frame for a signal handler that runs
 * on the interrupted stack lands when a program has filled its stack
 * (native/addon/signals_posix.c measures it and explains why); the guard catches
 * anything beyond. A stack without a guard page is refused: a frame that
 * outgrew the headroom would land in whatever is mapped below, which may be
 * another thread's stack.
 *
 * Lowered programs never reach the guard (they check the stack limit before
 * every push); the guard is there for anything that would, and the addon's
 * fault handler turns a touch of it into a fault trap.
 *
 * Limits and lifetime: stacks take mappings, and the process has
 * `vm.max_map_count` of them for everything (V8's heap included). The addon
 * refuses a stack while fewer than a quarter of that limit would be left
 * for the rest of the process, and `allocate` then throws `MAP_FAILED`
 * saying so. `release` unmaps at once; a stack that is dropped without
 * `release` is unmapped after the garbage collector finds it (a
 * FinalizationRegistry).
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
import { loadAddon, type NativeAddon } from "./addon.js";
import { NativeStackMemory } from "./native-stack-memory.js";

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
  /** No-access bytes below each stack's headroom: a positive page multiple, default one page. */
  readonly guardSize?: number;
  /** Smallest usable size accepted, default one page. */
  readonly minimumSize?: number;
  /** Largest usable size accepted, default 64 MiB. */
  readonly maximumSize?: number;
}

const NAME = "NativeStackAllocator";

interface Unmapping {
  readonly memory: NativeStackMemory;
  readonly size: number;
  readonly counters: AllocatorCounters;
}

function unmap({ memory, size, counters }: Unmapping): void {
  memory.markReleased();
  memory.addon.stackUnmap(memory.id);
  counters.released(size);
}

/** Unmaps stacks dropped without release (one registry for all allocators: it outlives them). */
const droppedStacks = new FinalizationRegistry<Unmapping>(unmap);

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
 * console.log(stack.guardSize === stacks.headroom + stacks.guardSize); // true
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
  /** No-access bytes below each stack's headroom. */
  readonly guardSize: number;
  /** Writable bytes between the guard and each stack's `low`, for signal frames (measured by the addon). */
  readonly headroom: number;
  readonly #addon: NativeAddon;
  /** Live stacks' memories (their ids), held weakly so that a dropped stack can be collected. */
  readonly #live = new WeakMap<Stack, NativeStackMemory>();
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
    const info = this.#addon.info();
    this.pageSize = info.pageSize;
    this.headroom = info.signalHeadroom;
    this.guardSize = options.guardSize ?? this.pageSize;
    this.minimumSize = options.minimumSize ?? this.pageSize;
    this.maximumSize = options.maximumSize ?? 64 * 1024 * 1024;
    if (this.guardSize === 0) {
      throw new SwitchError(
        "BAD_OPTIONS",
        `new ${NAME}: guardSize 0 is refused: native stacks keep at least one guard page (${this.pageSize} bytes), so that a signal frame or an overflow that outgrows the headroom faults instead of writing into the neighbouring mapping, which may be another thread's stack; leave guardSize out or give a positive multiple of ${this.pageSize}`,
      );
    }
    for (const [name, value] of [
      ["guardSize", this.guardSize],
      ["minimumSize", this.minimumSize],
      ["maximumSize", this.maximumSize],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1 || value % this.pageSize !== 0) {
        throw new StackError(
          "BAD_OPTIONS",
          `new ${NAME}: ${name} ${value} must be a positive multiple of the page size ${this.pageSize}`,
        );
      }
    }
    if (this.minimumSize > this.maximumSize) {
      throw new StackError("BAD_OPTIONS", `new ${NAME}: minimumSize must not exceed maximumSize`);
    }
  }

  /**
   * Maps a stack with its headroom and guard. Throws {@link StackError} (see
   * {@link validateStackSize}; `MAP_FAILED` when the system refuses, or when
   * the process is near `vm.max_map_count`).
   */
  allocate(size: number): Stack {
    validateStackSize(size, this, `${NAME}.allocate`);
    let id: number;
    let low: bigint;
    try {
      [id, low] = this.#addon.stackMap(size, this.guardSize);
    } catch (cause) {
      throw new StackError(
        "MAP_FAILED",
        (cause as { code?: string }).code === "MAP_LIMIT"
          ? this.#limitMessage(size)
          : `${NAME}.allocate(${size}): the system refused to map ${size + this.headroom + this.guardSize} bytes; release stacks or ask for less`,
        { cause },
      );
    }
    const guardSize = this.headroom + this.guardSize;
    const memory = new NativeStackMemory(this.#addon, id, low, size, guardSize);
    const stack: Stack = Object.freeze({ low, high: low + BigInt(size), size, guardSize, memory });
    this.#live.set(stack, memory);
    this.#issued.add(stack);
    droppedStacks.register(stack, { memory, size, counters: this.#counters }, memory);
    this.#counters.allocated(size);
    return stack;
  }

  #limitMessage(size: number): string {
    const m = this.#addon.mappings();
    return `${NAME}.allocate(${size}): the process has ${m.total} memory mappings and vm.max_map_count is ${m.maxMapCount}; native stacks take two each, and the allocator leaves the last ${m.maxMapCount - m.budget} for Node (V8 needs them to grow its heap), so it refuses more stacks; release stacks or raise vm.max_map_count`;
  }

  /** Unmaps a stack at once (every later access to its memory throws). */
  release(stack: Stack): void {
    const memory = this.#live.get(stack);
    if (!memory) {
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
    this.#live.delete(stack);
    droppedStacks.unregister(memory);
    unmap({ memory, size: stack.size, counters: this.#counters });
  }

  owns(stack: Stack): boolean {
    return this.#live.has(stack);
  }

  stats(): StackAllocatorStats {
    return this.#counters.stats();
  }

  /** @internal The addon's id of a live stack (for the native backend's threads). */
  idOf(stack: Stack): number | undefined {
    return this.#live.get(stack)?.id;
  }
}
