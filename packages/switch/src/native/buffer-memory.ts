/**
 * Native memory seen from JavaScript: a {@link StackMemory} over an
 * ArrayBuffer that the addon made over real pages.
 *
 * The stack package paints stacks, measures their high-water mark, writes
 * initial frames and dumps stacks through {@link StackMemory}; this class
 * lets it do all of that on native stacks and thread blocks, with plain
 * typed-array accesses (no Node-API call per word). Every address is checked
 * against the region, so a wrong address is a {@link StackError}
 * `BAD_ADDRESS`, never a touch of unrelated memory.
 *
 * ```
 *   high ─► ┌───────────────────┐
 *           │ usable (buffer)   │  peek/poke/read64/write64
 *   low  ─► ├───────────────────┤
 *           │ guard (no access) │  peek reads zeros (the page was never written);
 *           └───────────────────┘  anything else throws BAD_ADDRESS
 * ```
 *
 * After the region is released the buffer is detached, and every access
 * throws `BAD_ADDRESS` too.
 *
 * @module
 */
import { formatAddress, StackError, type StackMemory } from "@greenthreads/stack";

/** A {@link StackMemory} over one native region `[low, low + buffer.byteLength)` with an optional guard below. */
export class BufferMemory implements StackMemory {
  readonly low: bigint;
  readonly high: bigint;
  readonly guardSize: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #released = false;

  constructor(low: bigint, buffer: ArrayBuffer, guardSize = 0) {
    this.low = low;
    this.high = low + BigInt(buffer.byteLength);
    this.guardSize = guardSize;
    this.#bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
  }

  /** Marks the memory gone: every later access throws. */
  markReleased(): void {
    this.#released = true;
  }

  #check(address: bigint, length: number, what: string, guardOk: boolean): number {
    if (typeof address !== "bigint" || !Number.isSafeInteger(length) || length < 0) {
      throw new StackError("BAD_ADDRESS", `native memory ${what}: bad address or length`);
    }
    const start = guardOk ? this.low - BigInt(this.guardSize) : this.low;
    if (this.#released || address < start || address + BigInt(length) > this.high) {
      throw new StackError(
        "BAD_ADDRESS",
        `native memory ${what}(${formatAddress(address)}, ${length}): ` +
          (this.#released
            ? "the region was released"
            : `outside ${formatAddress(start)}..${formatAddress(this.high)}` +
              (address < this.low && address >= this.low - BigInt(this.guardSize)
                ? " (the guard page cannot be read or written)"
                : "")),
      );
    }
    return Number(address - this.low);
  }

  peek(address: bigint, length: number): Uint8Array {
    const offset = this.#check(address, length, "peek", true);
    const out = new Uint8Array(length);
    if (offset >= 0) out.set(this.#bytes.subarray(offset, offset + length));
    else if (offset + length > 0) out.set(this.#bytes.subarray(0, offset + length), -offset);
    return out;
  }

  poke(address: bigint, bytes: Uint8Array): void {
    const offset = this.#check(address, bytes.length, "poke", false);
    this.#bytes.set(bytes, offset);
  }

  read64(address: bigint): bigint {
    return this.#view.getBigUint64(this.#check(address, 8, "read64", false), true);
  }

  write64(address: bigint, value: bigint): void {
    this.#view.setBigUint64(
      this.#check(address, 8, "write64", false),
      BigInt.asUintN(64, value),
      true,
    );
  }
}
