/**
 * Stacks of WebAssembly threads: regions of the backend's one linear memory.
 *
 * A WebAssembly thread's stack holds only its program's words (there are no
 * machine frames: the engine keeps its own stack for `resume`), and every
 * access is bounds-checked by the lowered code, so a stack needs no guard
 * region: `guardSize` is 0, and an overflow is the program's
 * `stack-overflow` fault, raised before the word would be written. Sizes
 * follow the native allocator's rules (4 KiB multiples up to 64 MiB), so the
 * same `stackSize` works, and gives the same capacity in words, on every
 * backend.
 *
 * @module
 */
import {
  AllocatorCounters,
  type Stack,
  type StackAllocator,
  type StackAllocatorStats,
  StackError,
  validateStackSize,
} from "@greenthreads/stack";
import { MAX_STACK_SIZE } from "../backend.js";
import { LinearMemoryFull, type WasmLinearMemory } from "./wasm-linear-memory.js";

const PAGE = 4096;

/**
 * A stack of this allocator. Frozen like every Stack; whether it is still
 * live is a private field, which freezing leaves writable, so release can
 * tell a double release from a foreign stack without a table of every
 * stack ever released.
 */
class WasmStack implements Stack {
  readonly high: bigint;
  #owner: object | undefined;

  constructor(
    owner: object,
    readonly low: bigint,
    readonly size: number,
    readonly memory: WasmLinearMemory,
  ) {
    this.high = low + BigInt(size);
    this.#owner = owner;
    Object.freeze(this);
  }

  get guardSize(): number {
    return 0;
  }

  /** Whether `stack` is one of ours: "live" for `owner`, "released", or "foreign". */
  static status(stack: unknown, owner: object): "live" | "released" | "foreign" {
    if (typeof stack !== "object" || stack === null || !(#owner in stack)) return "foreign";
    const mine = stack as WasmStack;
    if (mine.#owner === owner) return "live";
    return mine.#owner === undefined && mine.memory !== undefined ? "released" : "foreign";
  }

  static retire(stack: WasmStack): void {
    stack.#owner = undefined;
  }
}

/**
 * Hands out stacks from a WebAssembly backend's linear memory. Made by
 * {@link WasmBackend}; its `stacks` property.
 *
 * @example
 * ```ts
 * import { WasmBackend } from "@greenthreads/switch";
 * const stacks = new WasmBackend().stacks;
 * const stack = stacks.allocate(16384);
 * console.log(stack.size, stack.guardSize); // 16384 0
 * stacks.release(stack);
 * ```
 */
export class WasmStackAllocator implements StackAllocator {
  readonly pageSize = PAGE;
  readonly minimumSize = PAGE;
  readonly maximumSize = MAX_STACK_SIZE;
  readonly guardSize = 0;
  readonly #memory: WasmLinearMemory;
  readonly #counters = new AllocatorCounters();

  /** @internal Made by the WebAssembly backend over its memory. */
  constructor(memory: WasmLinearMemory) {
    this.#memory = memory;
  }

  allocate(size: number): Stack {
    validateStackSize(size, this, "WasmStackAllocator.allocate");
    let low: number;
    try {
      low = this.#memory.allocateStack(size, PAGE);
    } catch (cause) {
      if (!(cause instanceof LinearMemoryFull)) throw cause;
      throw new StackError(
        "OUT_OF_ADDRESS_SPACE",
        `WasmStackAllocator.allocate(${size}): ${cause.message}`,
      );
    }
    const stack = new WasmStack(this, BigInt(low), size, this.#memory);
    this.#counters.allocated(size);
    return stack;
  }

  release(stack: Stack): void {
    const status = WasmStack.status(stack, this);
    if (status !== "live") {
      if (status === "released" && stack.memory === this.#memory) {
        throw new StackError(
          "DOUBLE_RELEASE",
          "WasmStackAllocator.release: this stack was already released; release each stack once, and do not use it after",
        );
      }
      throw new StackError(
        "FOREIGN_STACK",
        "WasmStackAllocator.release: this allocator did not allocate this stack (or it is a copy); release the object allocate() returned to the allocator that made it",
      );
    }
    WasmStack.retire(stack as WasmStack);
    this.#memory.releaseStack(Number(stack.low), stack.size);
    this.#counters.released(stack.size);
  }

  owns(stack: Stack): boolean {
    return WasmStack.status(stack, this) === "live";
  }

  stats(): StackAllocatorStats {
    return this.#counters.stats();
  }
}
