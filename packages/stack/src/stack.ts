/**
 * What a stack is, as a value that crosses layers.
 *
 * A machine thread needs a region of memory of its own to push frames on, and
 * it needs that region to end in a trap rather than in someone else's data.
 * A {@link Stack} is therefore two things: a usable region and a guard region
 * directly below it that no one may read or write. The stack grows down, from
 * `high` toward `low`; a thread that overflows walks off `low` into the guard
 * and faults there, with an address that says "stack overflow" instead of
 * silently corrupting the neighbour.
 *
 * ```
 *   high ─────────►  ┌──────────────────────────────┐  page aligned, one past the top
 *                    │ initial frame (return        │  written first by writeInitialFrame
 *                    │ address of the entry, …)     │
 *                    │ frames of the thread         │  │ the stack grows down
 *                    │              …               │  ▼
 *                    │ free (painted, if painted)   │
 *   low ──────────►  ├──────────────────────────────┤  page aligned; usable = [low, high)
 *                    │ guard region: no access      │  guardSize bytes; any touch faults
 *   low - guardSize  └──────────────────────────────┘
 * ```
 *
 * The memory a stack lives in is abstract ({@link StackMemory}): in the
 * emulated backend it is an isa {@link @greenthreads/isa!memory.Memory}; in the
 * native backend it is process memory behind a Node-API addon. Everything in
 * this package that reads or writes a stack (painting, the high-water mark,
 * initial frames, dumps) goes through that small interface, so it works on
 * both.
 *
 * @module
 */

/**
 * The memory a stack lives in, as far as this package needs to touch it.
 *
 * {@link @greenthreads/isa!memory.Memory} satisfies it as is. A native allocator
 * implements it over real memory; it must then check every access against
 * the stacks it has mapped and throw (never crash the process) on an address
 * outside them, because these methods are reachable from JavaScript with any
 * address.
 *
 * - `peek` and `poke` ignore page permissions (a debugger's or a loader's
 *   access): they may read and write any mapped byte, even in a guard region.
 * - `read64` and `write64` are ordinary little-endian 64-bit accesses; on a
 *   page without the needed permission they throw (the isa's
 *   {@link @greenthreads/isa!memory.MemoryFault} in the emulated case).
 * - Addresses are `bigint` byte addresses; values are unsigned 64-bit.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import type { StackMemory } from "@greenthreads/stack";
 * const mem: StackMemory = new memory.Memory();
 * ```
 */
export interface StackMemory {
  /** Copies `length` bytes starting at `address`, whatever the page permission. */
  peek(address: bigint, length: number): Uint8Array;
  /** Copies `bytes` to `address`, whatever the page permission. */
  poke(address: bigint, bytes: Uint8Array): void;
  /** Reads an unsigned little-endian 64-bit word (permission checked). */
  read64(address: bigint): bigint;
  /** Writes the low 64 bits of `value`, little-endian (permission checked). */
  write64(address: bigint, value: bigint): void;
}

/**
 * One stack handed out by a {@link StackAllocator}: the usable region
 * `[low, high)`, the guard region `[low - guardSize, low)` below it, and the
 * memory both live in. See the module comment for the picture.
 *
 * A `Stack` is an identity as well as a value: an allocator recognises the
 * objects it returned, and `release` takes exactly that object back (a copy
 * with the same fields is not the same stack). Allocators return frozen
 * objects; implementations may add fields of their own.
 *
 * Invariants every allocator keeps: `low` and `high` are multiples of the
 * allocator's `pageSize` (so `high` meets every ABI's stack alignment),
 * `size === Number(high - low)`, and `guardSize` is a multiple of `pageSize`.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, type Stack } from "@greenthreads/stack";
 * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
 * const stack: Stack = stacks.allocate(16384);
 * console.log(stack.high - stack.low === BigInt(stack.size)); // true
 * ```
 */
export interface Stack {
  /** Lowest usable address; the guard region ends here. */
  readonly low: bigint;
  /** One past the highest usable address: the stack pointer of an empty stack. */
  readonly high: bigint;
  /** Usable bytes, `high - low`. */
  readonly size: number;
  /** Bytes of no-access guard region directly below `low` (0 when the allocator has none). */
  readonly guardSize: number;
  /** The memory the stack lives in. */
  readonly memory: StackMemory;
}

/**
 * Whether `address` lies in the usable region `[low, high)` of `stack`.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, stackContains } from "@greenthreads/stack";
 * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(4096);
 * console.log(stackContains(stack, stack.high - 8n), stackContains(stack, stack.high)); // true false
 * ```
 */
export function stackContains(stack: Stack, address: bigint): boolean {
  return address >= stack.low && address < stack.high;
}

/**
 * Whether `address` lies in the guard region `[low - guardSize, low)` of
 * `stack`: a fault there is a stack overflow.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, inGuard } from "@greenthreads/stack";
 * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(4096);
 * console.log(inGuard(stack, stack.low - 8n)); // true
 * ```
 */
export function inGuard(stack: Stack, address: bigint): boolean {
  return address < stack.low && address >= stack.low - BigInt(stack.guardSize);
}
