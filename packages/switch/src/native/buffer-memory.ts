/**
 * Native memory seen from JavaScript: a {@link StackMemory} over (part of)
 * an ArrayBuffer that the addon made over real pages.
 *
 * The stack package writes initial frames through {@link StackMemory}; this
 * class lets it write a thread's saved context into its block (a window of
 * the chunk of blocks the addon shares with JavaScript, see thread.c), with
 * plain typed-array accesses (no Node-API call per word). Native stacks use
 * `NativeStackMemory`, which goes through the addon instead. Every address is checked
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

/**
 * Checks `[address, address + length)` against a region `[low, high)` (with
 * `guardSize` bytes below it that peek may read) and returns its offset from
 * `low`. Shared by the region memories of the native backend.
 */
export function regionOffset(
  region: { readonly low: bigint; readonly high: bigint; readonly guardSize: number },
  released: boolean,
  address: bigint,
  length: number,
  what: string,
  guardOk: boolean,
): number {
  if (typeof address !== "bigint" || !Number.isSafeInteger(length) || length < 0) {
    throw new StackError("BAD_ADDRESS", `native memory ${what}: bad address or length`);
  }
  const start = guardOk ? region.low - BigInt(region.guardSize) : region.low;
  if (released || address < start || address + BigInt(length) > region.high) {
    throw new StackError(
      "BAD_ADDRESS",
      `native memory ${what}(${formatAddress(address)}, ${length}): ` +
        (released
          ? "the region was released"
          : `outside ${formatAddress(start)}..${formatAddress(region.high)}` +
            (address < region.low && address >= region.low - BigInt(region.guardSize)
              ? " (the guard region cannot be written)"
              : "")),
    );
  }
  return Number(address - region.low);
}

/**
 * A {@link StackMemory} over `length` bytes of an ArrayBuffer from
 * `byteOffset`, at address `low`, with an optional guard below.
 */
export class BufferMemory implements StackMemory {
  readonly low: bigint;
  readonly high: bigint;
  readonly guardSize: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #released = false;

  constructor(
    low: bigint,
    buffer: ArrayBuffer,
    guardSize = 0,
    byteOffset = 0,
    length = buffer.byteLength - byteOffset,
  ) {
    this.low = low;
    this.high = low + BigInt(length);
    this.guardSize = guardSize;
    this.#bytes = new Uint8Array(buffer, byteOffset, length);
    this.#view = new DataView(buffer, byteOffset, length);
  }

  /** Marks the memory gone: every later access throws. */
  markReleased(): void {
    this.#released = true;
  }

  #check(address: bigint, length: number, what: string, guardOk: boolean): number {
    return regionOffset(this, this.#released, address, length, what, guardOk);
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
