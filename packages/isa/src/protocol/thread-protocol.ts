/**
 * The machine-thread protocol, host side: the one implementation every
 * backend uses to start a thread, resume it and read its traps.
 *
 * A machine thread and its host share nothing but the thread control block
 * (layout in `thread-control-block.ts`). Everything the host does with that
 * block is here, once: filling it for a new thread, deciding where the stack
 * limit goes, putting a resume value into the destination register, refilling
 * fuel after a budget trap, and decoding the trap the thread left. A backend
 * supplies only what differs between machines:
 *
 * ```
 *   backend (native, interpreted, WebAssembly)   protocol (this file)
 *   ──────────────────────────────────────────   ───────────────────────────────
 *   memory: the block, a context, a stack        ThreadControl.setup: fuel, stack
 *           and its initial frame                limit, contexts, switch routine
 *   code placement: the lowered program          resumeSlots(program): where
 *           somewhere executable                 each resume value goes
 *   run until trap: switch to the thread         enter(value) before the run,
 *           and come back when it traps          leave() → Trap after it
 * ```
 *
 * The block as a {@link ThreadControl} sees it, 64-bit words in the byte order
 * of the code that runs (little-endian on every machine the project runs on):
 *
 * ```
 *   word  byte  field            host writes                 thread writes
 *   ────  ────  ───────────────  ──────────────────────────  ─────────────────
 *     0     0   trap kind                                    on every trap
 *     1     8   trap a                                       value / name / code
 *     2    16   trap instruction                             trapping instruction
 *     3    24   trap index                                   fault index
 *     4    32   fuel             setup; refill after budget  counts down
 *     5    40   stack limit      setup (threadStackLimit)
 *     6    48   stack high                                   at program start
 *     7    56   host context     setup
 *     8    64   thread context   setup
 *     9    72   switch routine   setup
 *    10    80   resume pc                                    on every trap
 *   11-18  88   r0 … r7          resume value (dst only)     spilled on a trap
 * ```
 *
 * Each backend keeps the block where its code can reach it and hands the
 * protocol a view of it: the native backend a `BigUint64Array` over the
 * addon's block, a WebAssembly backend one over its linear memory (call
 * {@link ThreadControl.attach} again after the memory grows, which detaches
 * old views), and the interpreted host a JavaScript mirror that it copies to
 * and from emulated memory around each run (see {@link ThreadControl.enter}).
 *
 * Two rules make every backend agree with the reference machine:
 *
 * - A budget trap changes no program state. It stops before an instruction
 *   runs, so the resume after it writes no resume value (the trapping
 *   instruction may be a `hostcall … -> r1` that has not read r1 yet); it only
 *   refills the fuel.
 * - Without a budget, a fuel-counting program gets {@link MAX_BUDGET} fuel,
 *   which never runs out, exactly as the reference machine without a budget.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Program } from "../language/program.js";
import { PROGRAM_REGISTERS } from "../language/program.js";
import { FRAME_RESERVE } from "../lowering/stack-capacity.js";
import { MAX_BUDGET } from "../semantics/budget.js";
import { decodeTrap, TCB, TRAP_KIND } from "./thread-control-block.js";
import type { Trap } from "./trap.js";

/**
 * Per instruction of `program`: the control-block word (index of a 64-bit
 * word) that a resume value goes to after the thread trapped at that
 * instruction, or -1 when the instruction takes none. Only a `hostcall` or a
 * `yield` with a destination register takes one. Computed once per loaded
 * program and shared by its threads.
 *
 * @example
 * ```ts
 * import { parseProgram, protocol } from "@greenthreads/isa";
 * const { resumeSlots } = protocol;
 * const slots = resumeSlots(parseProgram("hostcall now() -> r2\nyield 1\nexit r2"));
 * console.log([...slots]); // [13, -1, -1]
 * ```
 */
export function resumeSlots(program: Program): Int32Array {
  return Int32Array.from(program.instructions, (at) =>
    (at.op === "hostcall" || at.op === "yield") && at.dst !== null
      ? (TCB.registers >> 3) + at.dst
      : -1,
  );
}

/**
 * The stack limit to put in a new thread's control block: the lowest stack
 * pointer a push may reach, `capacityWords` words below the initial frame's
 * stack pointer. Throws an {@link IsaError} `BAD_ARGUMENT` when that leaves
 * less than half the frame reserve above the stack's low end (the stack is
 * too small for its initial frame).
 *
 * @example
 * ```ts
 * import { protocol } from "@greenthreads/isa";
 * const { threadStackLimit } = protocol;
 * console.log(threadStackLimit(0x1000n, 0x1fc0n, 400)); // 4928n (0x1fc0 - 400 words)
 * ```
 */
export function threadStackLimit(stackLow: bigint, frameSp: bigint, capacityWords: number): bigint {
  const limit = frameSp - BigInt(8 * capacityWords);
  if (limit < stackLow + BigInt(FRAME_RESERVE / 2)) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `the stack is too small for its initial frame (${frameSp - stackLow} bytes above its low end for ${capacityWords} words); give a larger stack`,
    );
  }
  return limit;
}

/**
 * The host's fields of a new thread's control block.
 *
 * @example
 * ```ts
 * import type { protocol } from "@greenthreads/isa";
 * type ControlBlockSetup = protocol.ControlBlockSetup;
 * const setup: ControlBlockSetup = {
 *   stackLimit: 0x4000_1000n, hostContext: 0x2000_0000n,
 *   threadContext: 0x2000_0100n, switchRoutine: 0x1000_0000n,
 * };
 * ```
 */
export interface ControlBlockSetup {
  /** From {@link threadStackLimit}. */
  readonly stackLimit: bigint;
  /** Where the switch routine saves the host. */
  readonly hostContext: bigint;
  /** Where the switch routine saves this thread (holds its initial frame at first). */
  readonly threadContext: bigint;
  /** Address of the ABI's switch routine, as the thread's code reaches it. */
  readonly switchRoutine: bigint;
}

const FUEL = TCB.fuel >> 3;
const TRAP_A = TCB.trapA >> 3;
const KIND_HALF = TCB.trapKind >> 2;
const INSTRUCTION_HALF = TCB.trapInstruction >> 2;
const A_LOW = TCB.trapA >> 2;

/** Small yield values, shared: reading a BigUint64Array element allocates a BigInt. */
const SMALL_VALUES: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** Every budget trap is the same value, so the hot path allocates none. */
const BUDGET: Trap = Object.freeze({ kind: "budget" });

/**
 * The host side of one machine thread: its control block and what the last
 * trap was. A backend calls {@link ThreadControl.enter} before it runs the
 * thread and {@link ThreadControl.leave} after the thread trapped.
 *
 * The hot path (a yield) reads two 32-bit halves and at most one 64-bit word
 * and allocates only the returned object.
 *
 * @example
 * ```ts
 * import { parseProgram, protocol } from "@greenthreads/isa";
 * const { TCB, ThreadControl, resumeSlots } = protocol;
 * const program = parseProgram("hostcall ask() -> r1\nexit r1");
 * const block = new ArrayBuffer(TCB.size);
 * const control = new ThreadControl(program, resumeSlots(program), block, 0, undefined, {
 *   stackLimit: 0n, hostContext: 0n, threadContext: 0n, switchRoutine: 0n,
 * });
 * // What a thread's code would store on its first trap:
 * control.words[0] = 2n; // hostcall
 * control.words[1] = 0n; // name index
 * control.words[2] = 0n; // instruction 0
 * console.log(control.leave()); // { kind: "hostcall", name: "ask", args: [] }
 * control.enter(42n);
 * console.log(control.words[TCB.registers / 8 + 1]); // 42n
 * ```
 */
export class ThreadControl {
  /** The control block as 64-bit words. */
  words!: BigUint64Array;
  /** The same block as 32-bit halves (the hot path reads these: no BigInt). */
  halves!: Int32Array;
  /** TRAP_KIND of the last trap; 0 before the first. */
  lastKind = 0;
  /** Instruction the last trap happened at; -1 before the first. */
  lastInstruction = -1;
  /** The word the last {@link enter} wrote, or -1 (for a host that mirrors the block). */
  written = -1;
  /** The last trap as an object; a yield's is rebuilt on demand (see {@link lastTrap}). */
  #kept: Trap | undefined = undefined;

  /**
   * Attaches the block at `byteOffset` of `buffer` (8-byte aligned, at least
   * `TCB.size` bytes) and fills in the host's fields: `setup`, and fuel (the
   * budget, or {@link MAX_BUDGET} without one). `budget` must already be
   * valid (see `toBudget`).
   */
  constructor(
    readonly program: Program,
    readonly slots: Int32Array,
    buffer: ArrayBufferLike,
    byteOffset: number,
    readonly budget: bigint | undefined,
    setup: ControlBlockSetup,
  ) {
    this.attach(buffer, byteOffset);
    const words = this.words;
    words.fill(0n);
    words[FUEL] = budget ?? MAX_BUDGET;
    words[TCB.stackLimit >> 3] = setup.stackLimit;
    words[TCB.hostContext >> 3] = setup.hostContext;
    words[TCB.threadContext >> 3] = setup.threadContext;
    words[TCB.switchRoutine >> 3] = setup.switchRoutine;
  }

  /** Points the views at the block again (after a WebAssembly memory grew, say); changes no word. */
  attach(buffer: ArrayBufferLike, byteOffset: number): void {
    this.words = new BigUint64Array(buffer, byteOffset, TCB.size / 8);
    this.halves = new Int32Array(buffer, byteOffset, TCB.size / 4);
  }

  /**
   * Before a run: answers the last trap. After a host call or yield with a
   * destination register, `value` (modulo 2^64) goes into that register;
   * after a budget trap the fuel is refilled and nothing else changes.
   * Returns the index of the word it wrote, or -1, for a host that mirrors
   * the block elsewhere.
   */
  enter(value: bigint): number {
    const kind = this.lastKind;
    let slot = -1;
    if (kind === TRAP_KIND.yield || kind === TRAP_KIND.hostcall) {
      slot = this.slots[this.lastInstruction]!;
      if (slot >= 0) this.words[slot] = value;
    } else if (kind === TRAP_KIND.budget) {
      this.words[FUEL] = this.budget ?? MAX_BUDGET;
      slot = FUEL;
    }
    this.written = slot;
    return slot;
  }

  /**
   * After a run: the trap the thread left in the block, in program terms.
   * Throws an {@link IsaError} `BAD_ARGUMENT` when the block holds no valid
   * trap (its memory was changed from outside).
   */
  leave(): Trap {
    const halves = this.halves;
    const kind = halves[KIND_HALF]!;
    this.lastKind = kind;
    this.lastInstruction = halves[INSTRUCTION_HALF]!;
    if (kind === TRAP_KIND.yield) {
      // Not kept: lastTrap rebuilds it from the block if asked.
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

  /**
   * The backend answered the thread's traps and ran it again by itself (a
   * native backend's turns, which never return to JavaScript between
   * threads): takes the last trap's kind and instruction from the block
   * again, without decoding it. For a thread stopped at a yield or a budget
   * trap, the only ones a backend answers by itself; call
   * {@link ThreadControl.leave} for any other.
   */
  sync(): void {
    const halves = this.halves;
    const kind = halves[KIND_HALF]!;
    this.lastKind = kind;
    this.lastInstruction = halves[INSTRUCTION_HALF]!;
    this.#kept = kind === TRAP_KIND.budget ? BUDGET : undefined;
  }

  /**
   * Records a fault the backend found itself (a machine fault the lowered
   * code did not report: a signal natively, a memory fault in the
   * interpreter), as the thread's last trap.
   */
  fault(trap: Trap & { kind: "fault" }): Trap {
    this.lastKind = TRAP_KIND.fault;
    this.#kept = trap;
    return trap;
  }

  /** The last trap, `undefined` before the first. */
  get lastTrap(): Trap | undefined {
    if (this.#kept === undefined && this.lastKind === TRAP_KIND.yield) {
      this.#kept = { kind: "yield", value: this.words[TRAP_A]! };
    }
    return this.#kept;
  }

  /**
   * Keeps the last trap as an object and lets go of the block: call it before
   * the block's memory is freed. Later `enter`/`leave` calls are invalid.
   */
  detach(): void {
    void this.lastTrap;
    this.attach(new ArrayBuffer(TCB.size), 0);
  }

  /** The program registers r0 … r7 as stored in the block (valid while the thread is stopped). */
  registers(): bigint[] {
    const first = TCB.registers >> 3;
    return Array.from({ length: PROGRAM_REGISTERS }, (_, i) => this.words[first + i]!);
  }
}
