/**
 * The code an interpreter has loaded, found by address when first executed.
 *
 * Why not decode everything at load: a thread program of a million
 * instructions selects to tens of millions of machine instructions, most of
 * which (fault stubs, budget stubs) never run. Each interpreter decodes an
 * instruction into a record of several fields the first time it executes
 * there and keeps that; until then an instruction costs the index a number
 * and a reference. Loading still decodes every instruction once, and drops
 * the result, so that code with an instruction outside the subset loads
 * nothing, as before.
 *
 * @module
 */
import type { AssembledCode, Instruction, PlacedInstruction } from "./arch.js";

interface Block {
  readonly low: number;
  readonly high: number;
  /** Address of each instruction, ascending. */
  readonly addresses: Float64Array;
  readonly sizes: Uint32Array;
  readonly instructions: readonly Instruction[];
  readonly labels: ReadonlyMap<string, bigint>;
}

/**
 * Loaded code blocks, searchable by address. A block loaded over an older
 * one replaces it whole.
 *
 * @internal
 */
export class CodeIndex<D> {
  #blocks: Block[] = [];
  readonly #decode: (placed: PlacedInstruction, labels: ReadonlyMap<string, bigint>) => D;

  constructor(decode: (placed: PlacedInstruction, labels: ReadonlyMap<string, bigint>) => D) {
    this.#decode = decode;
  }

  /** Checks that every instruction of `code` decodes (throwing what decoding throws), then adds it. */
  add(code: AssembledCode): void {
    const placed = code.instructions;
    const n = placed.length;
    const addresses = new Float64Array(n);
    const sizes = new Uint32Array(n);
    const instructions: Instruction[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = placed[i]!;
      this.#decode(p, code.labels);
      addresses[i] = Number(p.address);
      sizes[i] = p.size;
      instructions[i] = p.instruction;
    }
    if (n === 0) return;
    const low = addresses[0]!;
    const high = addresses[n - 1]! + sizes[n - 1]!;
    const blocks = this.#blocks.filter((b) => b.high <= low || b.low >= high);
    blocks.push({ low, high, addresses, sizes, instructions, labels: code.labels });
    blocks.sort((a, b) => a.low - b.low);
    this.#blocks = blocks;
  }

  /** The decoded instruction that starts at `at`, or undefined if none does. */
  find(at: number): D | undefined {
    const blocks = this.#blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = blocks[mid]!;
      if (at < b.low) hi = mid - 1;
      else if (at >= b.high) lo = mid + 1;
      else return this.#inBlock(b, at);
    }
    return undefined;
  }

  #inBlock(b: Block, at: number): D | undefined {
    const a = b.addresses;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = a[mid]!;
      if (at < x) hi = mid - 1;
      else if (at > x) lo = mid + 1;
      else {
        return this.#decode(
          { address: BigInt(at), size: b.sizes[mid]!, instruction: b.instructions[mid]! },
          b.labels,
        );
      }
    }
    return undefined;
  }
}
