/**
 * The host side of the control-block protocol as the WebAssembly backend
 * uses it: before a run, put the resume value into the destination register
 * (after a host call or yield only) or refill the fuel (after a budget
 * trap); after it, decode the trap. Kept in this one file, with the shape
 * of the protocol that every backend is meant to share, so that it can be
 * replaced by that one implementation without touching the backend.
 *
 * @module
 */
import {
  decodeTrap,
  type Program,
  resumeValueOffset,
  TCB,
  TRAP_KIND,
  type Trap,
} from "@greenthreads/isa";

/** Fuel of a thread without a budget: 2^64 - 1 instructions, never exhausted. */
const UNLIMITED_FUEL = (1n << 64n) - 1n;
const FUEL = TCB.fuel >> 3;
const TRAP_A = TCB.trapA >> 3;
const KIND_HALF = TCB.trapKind >> 2;
const INSTRUCTION_HALF = TCB.trapInstruction >> 2;
const A_LOW = TCB.trapA >> 2;
const SMALL_VALUES: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
const BUDGET: Trap = Object.freeze({ kind: "budget" });
/** What a detached control points at: one block-sized buffer shared by all, never read. */
const DETACHED = new ArrayBuffer(TCB.size);
const DETACHED_WORDS = new BigUint64Array(DETACHED);
const DETACHED_HALVES = new Int32Array(DETACHED);

/** Per instruction: the control-block word a resume value goes to, or -1. */
export function resumeSlots(program: Program): Int32Array {
  return Int32Array.from(program.instructions, (_, i) => {
    const offset = resumeValueOffset(program, i);
    return offset === undefined ? -1 : offset >> 3;
  });
}

/** One thread's control block, seen through views of the linear memory. */
export class WasmThreadControl {
  words!: BigUint64Array;
  halves!: Int32Array;
  lastKind = 0;
  lastInstruction = -1;
  #kept: Trap | undefined = undefined;

  constructor(
    readonly program: Program,
    readonly slots: Int32Array,
    buffer: ArrayBufferLike,
    byteOffset: number,
    readonly budget: bigint | undefined,
    stackLimit: bigint,
  ) {
    this.attach(buffer, byteOffset);
    this.words.fill(0n);
    this.words[FUEL] = budget ?? UNLIMITED_FUEL;
    this.words[TCB.stackLimit >> 3] = stackLimit;
  }

  attach(buffer: ArrayBufferLike, byteOffset: number): void {
    this.words = new BigUint64Array(buffer, byteOffset, TCB.size / 8);
    this.halves = new Int32Array(buffer, byteOffset, TCB.size / 4);
  }

  enter(value: bigint): void {
    const kind = this.lastKind;
    if (kind === TRAP_KIND.yield || kind === TRAP_KIND.hostcall) {
      const slot = this.slots[this.lastInstruction]!;
      if (slot >= 0) this.words[slot] = value;
    } else if (kind === TRAP_KIND.budget) {
      this.words[FUEL] = this.budget ?? UNLIMITED_FUEL;
    }
  }

  leave(): Trap {
    const halves = this.halves;
    const kind = halves[KIND_HALF]!;
    this.lastKind = kind;
    this.lastInstruction = halves[INSTRUCTION_HALF]!;
    if (kind === TRAP_KIND.yield) {
      this.#kept = undefined;
      const low = halves[A_LOW]! >>> 0;
      const small = halves[A_LOW + 1] === 0 && low < SMALL_VALUES.length;
      return { kind: "yield", value: small ? SMALL_VALUES[low]! : this.words[TRAP_A]! };
    }
    const trap =
      kind === TRAP_KIND.budget
        ? BUDGET
        : decodeTrap(this.program, (offset) => this.words[offset >> 3]!);
    this.#kept = trap;
    return trap;
  }

  get lastTrap(): Trap | undefined {
    if (this.#kept === undefined && this.lastKind === TRAP_KIND.yield) {
      this.#kept = { kind: "yield", value: this.words[TRAP_A]! };
    }
    return this.#kept;
  }

  detach(): void {
    void this.lastTrap;
    this.words = DETACHED_WORDS;
    this.halves = DETACHED_HALVES;
  }
}
