/**
 * The one linear memory of a WebAssembly backend, and how blocks and stacks
 * are carved out of it.
 *
 * Every thread of the backend lives in this memory (the map is drawn in the
 * isa's `wasm-thread-layout.ts`): a {@link WASM_THREAD_BLOCK} for its control
 * block and saved stack pointer, and a stack. Addresses only grow upward
 * from a bump pointer; freed blocks and stacks go to free lists (stacks by
 * size) and are handed out again first, so a program that spawns and
 * releases threads in a loop stays in the same pages. When the bump pointer
 * reaches the end, the memory grows by at least a quarter of its size, which
 * keeps growth (and the detached views it leaves behind) rare.
 *
 * Growing detaches every `ArrayBuffer` view of the old buffer, so the
 * owner is told (`onGrow`) and points its views at the new one before
 * anything reads them again.
 *
 * @module
 */
import { wasm } from "@greenthreads/isa";
import type { StackMemory } from "@greenthreads/stack";

const { WASM_INTERFACE, WASM_THREAD_BLOCK } = wasm;

/** The largest a 32-bit linear memory can be, in pages. */
const MAX_PAGES = 65536;

/** Bytes of blocks carved at a time (one WebAssembly page). */
const BLOCK_CHUNK = WASM_INTERFACE.pageSize;

/** Thrown when the memory cannot grow to hold an allocation. */
export class LinearMemoryFull extends Error {}

/** The backend's memory: blocks, stacks, growth, and a {@link StackMemory} view. */
export class WasmLinearMemory implements StackMemory {
  readonly memory: wasm.WasmMemoryObject;
  /** Called after the memory grew, with the new buffer (views of the old one are detached). */
  onGrow: (buffer: ArrayBuffer) => void = () => {};
  #top: number = WASM_INTERFACE.firstAddress;
  readonly #freeBlocks: number[] = [];
  readonly #freeStacks = new Map<number, number[]>();
  #view: DataView;

  constructor(api: wasm.WasmJsApi) {
    this.memory = new api.Memory({ initial: 2 });
    this.#view = new DataView(this.memory.buffer);
  }

  /** Bytes of the memory. */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  /** A view of the whole memory as it is now. */
  get view(): DataView {
    if (this.#view.buffer !== this.memory.buffer) this.#view = new DataView(this.memory.buffer);
    return this.#view;
  }

  /** A thread block's address (not cleared). */
  allocateBlock(): number {
    const free = this.#freeBlocks.pop();
    if (free !== undefined) return free;
    const size = WASM_THREAD_BLOCK.size;
    const chunk = this.#bump(BLOCK_CHUNK, WASM_INTERFACE.pageSize);
    for (let at = chunk + size; at + size <= chunk + BLOCK_CHUNK; at += size)
      this.#freeBlocks.push(at);
    return chunk;
  }

  releaseBlock(address: number): void {
    this.#freeBlocks.push(address);
  }

  /** The low address of a stack region of `size` bytes (a multiple of `alignment`). */
  allocateStack(size: number, alignment: number): number {
    const free = this.#freeStacks.get(size)?.pop();
    return free ?? this.#bump(size, alignment);
  }

  releaseStack(low: number, size: number): void {
    let list = this.#freeStacks.get(size);
    if (!list) {
      list = [];
      this.#freeStacks.set(size, list);
    }
    list.push(low);
  }

  #bump(size: number, alignment: number): number {
    const at = Math.ceil(this.#top / alignment) * alignment;
    const end = at + size;
    if (end > this.size) this.#grow(end);
    this.#top = end;
    return at;
  }

  #grow(end: number): void {
    const pageSize = WASM_INTERFACE.pageSize;
    const pages = this.size / pageSize;
    const needed = Math.ceil(end / pageSize) - pages;
    const wanted = Math.min(Math.max(needed, Math.ceil(pages / 4)), MAX_PAGES - pages);
    if (wanted < needed) {
      throw new LinearMemoryFull(
        `the backend's linear memory would exceed 4 GiB (${end} bytes needed); release threads or use smaller stacks`,
      );
    }
    try {
      this.memory.grow(wanted);
    } catch (cause) {
      throw new LinearMemoryFull(
        `the engine refused to grow the backend's linear memory by ${wanted} pages: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
    this.onGrow(this.memory.buffer);
  }

  #check(address: bigint, length: number): number {
    const at = Number(address);
    if (address < 0n || at + length > this.size) {
      throw new RangeError(
        `address 0x${address.toString(16)} (+${length}) is outside the backend's linear memory of ${this.size} bytes`,
      );
    }
    return at;
  }

  peek(address: bigint, length: number): Uint8Array {
    const at = this.#check(address, length);
    return new Uint8Array(this.memory.buffer, at, length).slice();
  }

  poke(address: bigint, bytes: Uint8Array): void {
    new Uint8Array(this.memory.buffer).set(bytes, this.#check(address, bytes.length));
  }

  read64(address: bigint): bigint {
    return this.view.getBigUint64(this.#check(address, 8), true);
  }

  write64(address: bigint, value: bigint): void {
    this.view.setBigUint64(this.#check(address, 8), BigInt.asUintN(64, value), true);
  }
}
