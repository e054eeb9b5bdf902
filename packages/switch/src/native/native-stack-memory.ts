/**
 * A native stack's memory seen from JavaScript, through the addon.
 *
 * The stack package paints stacks, measures their high-water mark, writes
 * initial frames and dumps stacks through {@link StackMemory}. A native
 * stack has no ArrayBuffer of its own: an external ArrayBuffer per stack
 * would bring a Node-API finalizer per stack, and those run only after the
 * event loop turns, so a long synchronous run of spawns would keep their
 * memory (see native/addon/stack.c). Instead each access is one addon call
 * that copies bytes in or out, with the range checked here and again in C
 * against the stack's id. Painting or dumping a whole stack is one call.
 *
 * ```
 *   high ─► ┌────────────────────┐
 *           │ usable             │  peek/poke/read64/write64
 *   low  ─► ├────────────────────┤
 *           │ signal headroom    │  peek reads what is there (a signal frame, or zeros)
 *           ├────────────────────┤  (guardSize covers headroom and guard)
 *           │ guard (no access)  │  peek reads zeros
 *           └────────────────────┘  anything else throws BAD_ADDRESS
 * ```
 *
 * @module
 */
import type { StackMemory } from "@greenthreads/stack";
import type { NativeAddon } from "./addon.js";
import { regionOffset } from "./buffer-memory.js";

const word = new Uint8Array(8);
const wordView = new DataView(word.buffer);

/** A {@link StackMemory} over a native stack `[low, low + size)`, by the addon's stack id. */
export class NativeStackMemory implements StackMemory {
  readonly high: bigint;
  #released = false;

  constructor(
    readonly addon: NativeAddon,
    readonly id: number,
    readonly low: bigint,
    size: number,
    readonly guardSize: number,
  ) {
    this.high = low + BigInt(size);
  }

  /** Marks the memory gone: every later access throws. */
  markReleased(): void {
    this.#released = true;
  }

  peek(address: bigint, length: number): Uint8Array {
    const offset = regionOffset(this, this.#released, address, length, "peek", true);
    const out = new Uint8Array(length);
    if (length > 0) this.addon.stackPeek(this.id, offset, out);
    return out;
  }

  poke(address: bigint, bytes: Uint8Array): void {
    const offset = regionOffset(this, this.#released, address, bytes.length, "poke", false);
    if (bytes.length > 0) this.addon.stackPoke(this.id, offset, bytes);
  }

  read64(address: bigint): bigint {
    const offset = regionOffset(this, this.#released, address, 8, "read64", false);
    this.addon.stackPeek(this.id, offset, word);
    return wordView.getBigUint64(0, true);
  }

  write64(address: bigint, value: bigint): void {
    const offset = regionOffset(this, this.#released, address, 8, "write64", false);
    wordView.setBigUint64(0, BigInt.asUintN(64, value), true);
    this.addon.stackPoke(this.id, offset, word);
  }
}
