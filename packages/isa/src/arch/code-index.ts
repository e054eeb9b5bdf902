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
 * Fetching lives here too, so that the three interpreters check execute
 * permission the same way: the page of an instruction's first byte and of
 * its last fetch unit must be executable, else the fetch faults like hardware.
 * Permissions cannot change while a run executes (no instruction of any
 * subset changes them), so within one run a page found executable is not
 * checked again; each run starts by forgetting it.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import { type Memory, PAGE_SIZE } from "../memory/memory.js";
import type { ArchName, AssembledCode, Instruction, PlacedInstruction } from "./arch.js";

const PAGE = BigInt(PAGE_SIZE);

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
 * An instruction as an interpreter decoded it: at least the address of its
 * last fetch unit (the last byte on x86-64, the last 32-bit word on AArch64
 * and RISC-V), which the execute check also checks and a fault names.
 *
 * @internal
 */
export interface DecodedInstruction {
  readonly last: bigint;
}

/**
 * Loaded code blocks, searchable by address, and the fetch of one decoded
 * instruction with its execute check. A block loaded over an older one
 * replaces it whole.
 *
 * @internal
 */
export class CodeIndex<D extends DecodedInstruction> {
  #blocks: Block[] = [];
  readonly #arch: ArchName;
  readonly #memory: Memory;
  readonly #decode: (placed: PlacedInstruction, labels: ReadonlyMap<string, bigint>) => D;
  /** Decoded instructions by address, as a plain number: number keys hash much faster than bigints. */
  readonly #decoded = new Map<number, D>();
  /** The page last found executable in this run, `[low, high)`; empty at the start of a run. */
  #low = 1n;
  #high = 0n;

  constructor(
    arch: ArchName,
    memory: Memory,
    decode: (placed: PlacedInstruction, labels: ReadonlyMap<string, bigint>) => D,
  ) {
    this.#arch = arch;
    this.#memory = memory;
    this.#decode = decode;
  }

  /**
   * Makes `code` fetchable. Throws IsaError `BAD_ARGUMENT` for code of
   * another instruction set, and what decoding throws for an instruction
   * outside the subset; either way nothing is loaded.
   */
  load(code: AssembledCode): void {
    const arch = this.#arch;
    if (code.arch !== arch) {
      throw new IsaError(
        "BAD_ARGUMENT",
        `${arch} interpreter: cannot load code assembled for ${code.arch}; assemble it with ${arch}`,
      );
    }
    this.add(code);
    this.#decoded.clear();
  }

  /** Forgets the page found executable: permissions may change between runs. */
  beginRun(): void {
    this.#low = 1n;
    this.#high = 0n;
  }

  /**
   * The decoded instruction at `pc`, or undefined when none is loaded there.
   * Throws a MemoryFault (access `execute`) when the page of `pc`, or of the
   * instruction's last byte, is not executable; a fault wins over "nothing
   * loaded".
   */
  fetch(pc: bigint): D | undefined {
    if (pc < this.#low || pc >= this.#high) this.#enter(pc);
    const at = Number(pc);
    let d = this.#decoded.get(at);
    if (d === undefined) {
      d = this.find(at);
      if (d === undefined) return undefined;
      this.#decoded.set(at, d);
    }
    if (d.last >= this.#high) this.#enter(d.last);
    return d;
  }

  #enter(address: bigint): void {
    this.#memory.checkExecute(address);
    this.#low = address - (address % PAGE);
    this.#high = this.#low + PAGE;
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
