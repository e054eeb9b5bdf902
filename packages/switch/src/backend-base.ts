/**
 * What every backend shares: checking arguments, owning programs and
 * threads, their lifecycle, and driving the isa's machine-thread protocol
 * (`ThreadControl`), so that backends cannot disagree on anything but how
 * memory is had, where code goes and how the instructions get executed.
 *
 * ```
 *   resume(thread, value)
 *     │ checks: owner (private field), state, value type
 *     ├─► control.enter(value)        isa: resume value or fuel into the block
 *     ├─► backend.runUntilTrap(thread) native: addon call; emulated: interpreter
 *     └─► control.leave() → Trap      isa: decode the block (CORRUPT_THREAD if invalid)
 * ```
 *
 * `runTurns` is that resume in a loop over a ring of threads (`turns.ts`):
 * here in TypeScript for every backend, replaced by the native backend with
 * the same loop in the addon.
 *
 * A loaded program's code is freed when it is unloaded (explicitly, or when
 * the caller drops the {@link LoadedProgram} and the garbage collector
 * finalizes it) and its last thread is released: a thread keeps its
 * program's code alive. Every check happens before anything is allocated or
 * run, so bad input changes nothing.
 *
 * @module
 */
import {
  type Abi,
  budgetProblem,
  IsaError,
  PROGRAM_LIMITS,
  type Program,
  protocol,
  type Trap,
  toBudget,
  verifyProgram,
} from "@greenthreads/isa";
import { type Stack, type StackAllocator, StackError } from "@greenthreads/stack";
import {
  type Backend,
  type BackendKind,
  DEFAULT_STACK_SIZE,
  type LoadedProgram,
  type LoadOptions,
  MAX_STACK_SIZE,
  type MachineThread,
  type MachineThreadState,
  type SpawnOptions,
} from "./backend.js";
import { SwitchError } from "./errors.js";
import {
  checkTurnArguments,
  TURN_BUDGET_PASS,
  TURN_BUDGET_STAY,
  TURN_YIELD,
  type TurnResult,
  type TurnRing,
} from "./turns.js";

const { TRAP_KIND } = protocol;
type ThreadControl = protocol.ThreadControl;

/**
 * A loaded program as a backend keeps it, apart from the {@link LoadedProgram}
 * its caller holds: it must not reference that object, so that the caller's
 * dropping it can free the code (see `BackendBase`'s finalization).
 */
export interface ProgramRecord {
  /** The program, copied and frozen at load: later changes to the caller's object cannot reach it. */
  readonly program: Program;
  readonly fuel: boolean;
  /** Per instruction, where a resume value goes (`resumeSlots` of the isa). */
  readonly slots: Int32Array;
  readonly codeSize: number;
}

/** Lifecycle bookkeeping of a loaded program. */
interface ProgramLife {
  /** Live (spawned, not released) threads. */
  threads: number;
  /** Unloaded (explicitly or by finalization): no new threads; code freed with the last thread. */
  unloaded: boolean;
}

/*
 * A thread's state as a small integer: the hot path of resume compares
 * integers instead of strings, and `state` spells it out only when asked.
 */
/** @internal */ export const THREAD_NEW = 0;
/** @internal */ export const THREAD_SUSPENDED = 1;
/** @internal */ export const THREAD_EXITED = 2;
/** @internal */ export const THREAD_FAULTED = 3;
/** @internal */ export const THREAD_RELEASED = 4;
const STATE_NAMES: readonly MachineThreadState[] = [
  "new",
  "suspended",
  "exited",
  "faulted",
  "released",
];

/**
 * A thread as a backend keeps it. A class, so that every record of a
 * backend has one shape and the `state` and `lastTrap` getters live on the
 * prototype. Which backend owns it is a private field: a copy of the object
 * (a spread, say) is not a thread of any backend.
 */
export class ThreadRecord implements MachineThread {
  /** One of the THREAD_* constants. */
  stateCode = THREAD_NEW;
  readonly #owner: object;

  constructor(
    owner: object,
    readonly program: LoadedProgram,
    /** The backend's record of the program. */
    readonly code: ProgramRecord,
    readonly stack: Stack,
    readonly capacityWords: number,
    /** The host side of the protocol for this thread. */
    readonly control: ThreadControl,
  ) {
    this.#owner = owner;
  }

  /** The backend that spawned `thread`, if it is a thread record at all. */
  static ownerOf(thread: unknown): object | undefined {
    return typeof thread === "object" && thread !== null && #owner in thread
      ? thread.#owner
      : undefined;
  }

  get budget(): bigint | undefined {
    return this.control.budget;
  }

  get state(): MachineThreadState {
    return STATE_NAMES[this.stateCode]!;
  }

  get lastTrap(): Trap | undefined {
    return this.control.lastTrap;
  }
}

/** Copies a program into fresh frozen objects, refusing anything that is not plain data. */
function copyProgram(program: unknown, where: string): Program {
  const p = program as Program;
  if (typeof program !== "object" || program === null) {
    throw new SwitchError(
      "INVALID_PROGRAM",
      `${where}: expected a Program (from parseProgram or ProgramBuilder), got ${program === null ? "null" : typeof program}`,
    );
  }
  const { instructions, labels, hostcalls } = p;
  if (!Array.isArray(instructions) || !(labels instanceof Map) || !Array.isArray(hostcalls)) {
    throw new SwitchError(
      "INVALID_PROGRAM",
      `${where}: a Program has an instructions array, a labels Map and a hostcalls array; build it with parseProgram or ProgramBuilder`,
    );
  }
  if (instructions.length > PROGRAM_LIMITS.maxInstructions) {
    throw new SwitchError(
      "INVALID_PROGRAM",
      `${where}: the program has ${instructions.length} instructions, more than the limit of ${PROGRAM_LIMITS.maxInstructions}; split it`,
    );
  }
  return Object.freeze({
    instructions: copyPlain(instructions, 0) as Program["instructions"],
    labels: copyPlain(labels, 0) as Program["labels"],
    hostcalls: copyPlain(hostcalls, 0) as Program["hostcalls"],
  });
}

/** How deep program data nests (instructions → instruction → operand or position → value). */
const MAX_DEPTH = 4;

/**
 * A frozen copy of plain data: primitives, arrays, Maps and plain objects,
 * each field read once (so a proxy or a getter cannot change what the
 * verifier saw and what gets lowered). Anything else throws a TypeError.
 */
function copyPlain(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "function" || typeof value === "symbol") {
      throw new TypeError(`a ${typeof value} is not program data`);
    }
    return value;
  }
  if (depth >= MAX_DEPTH) throw new TypeError("program data nests too deeply");
  if (Array.isArray(value)) {
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = copyPlain(value[i], depth + 1);
    return Object.freeze(out);
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(copyPlain(k, depth + 1), copyPlain(v, depth + 1));
    return Object.freeze(out);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError("program data holds an object that is not a plain object");
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = copyPlain((value as Record<string, unknown>)[key], depth + 1);
  }
  return Object.freeze(out);
}

/**
 * Shared checks, lifecycle and protocol of {@link Backend} implementations.
 *
 * A backend subclass supplies memory, code placement and "run until trap":
 * `place` (lower and place a program), `create` (a thread's block, context,
 * initial frame and its {@link ThreadControl}), `runUntilTrap`, `destroy`
 * and `freeCode`. This class verifies programs, validates options, keeps
 * ownership of programs (a private WeakMap) and threads (a private field),
 * counts each program's threads so that its code outlives them, enforces the
 * state machine drawn in `backend.ts`, and drives the isa's thread protocol:
 * `control.enter(value)`, the backend's run, `control.leave()`. Every check
 * happens before anything is allocated or run, so bad input changes nothing.
 */
export abstract class BackendBase<P extends ProgramRecord, T extends ThreadRecord>
  implements Backend
{
  abstract readonly kind: BackendKind;
  abstract readonly abi: Abi;
  abstract readonly stacks: StackAllocator;
  abstract readonly routineSymbols: ReadonlyMap<bigint, string>;
  reason = "";

  readonly #programs = new WeakMap<LoadedProgram, P & ProgramLife>();
  readonly #finalizer = new FinalizationRegistry<P & ProgramLife>((record) => {
    if (record.unloaded) return;
    record.unloaded = true;
    if (record.threads === 0) this.freeCode(record);
  });

  /** Lowers and places a verified program; the record must not reference any LoadedProgram. */
  protected abstract place(program: Program, fuel: boolean): P;
  /** A thread of `program` on `stack`: its memory, initial frame and control block. */
  protected abstract create(
    program: LoadedProgram,
    record: P,
    stack: Stack,
    budget: bigint | undefined,
  ): T;
  /**
   * Runs the thread until it traps. Returns `undefined` when the thread left
   * a trap in its control block (the usual case), or a fault trap that the
   * backend found itself (a machine fault the lowered code did not report).
   */
  protected abstract runUntilTrap(thread: T): Trap | undefined;
  /** Frees a thread's memory (not its stack, which the base gives back). */
  protected abstract destroy(thread: T): void;
  /** Frees a program's code: it is unloaded and no thread of it is left. */
  protected abstract freeCode(program: P): void;
  /** Reads the `sp` slot of the thread's saved context. */
  protected abstract contextStackPointer(thread: T): bigint;

  load(program: Program, options: LoadOptions = {}): LoadedProgram {
    const where = `${this.kind} backend: load`;
    if (typeof options !== "object" || options === null) {
      throw new SwitchError(
        "BAD_OPTIONS",
        `${where}: options must be an object like { fuel: true }`,
      );
    }
    const fuel = options.fuel;
    if (fuel !== undefined && typeof fuel !== "boolean") {
      throw new SwitchError("BAD_OPTIONS", `${where}: fuel must be true or false`);
    }
    let copy: Program;
    try {
      copy = copyProgram(program, where);
      verifyProgram(copy);
    } catch (cause) {
      if (cause instanceof SwitchError) throw cause;
      if (cause instanceof IsaError) {
        throw new SwitchError(
          "INVALID_PROGRAM",
          `${where}: the program is invalid: ${cause.message}; fix the program`,
          { cause, line: cause.line, column: cause.column },
        );
      }
      throw new SwitchError(
        "INVALID_PROGRAM",
        `${where}: the program cannot be read as plain data (${cause instanceof Error ? cause.message : String(cause)}); build it with parseProgram or ProgramBuilder`,
        { cause },
      );
    }
    let record: P;
    try {
      record = this.place(copy, fuel ?? false);
    } catch (cause) {
      if (cause instanceof SwitchError) throw cause;
      throw new SwitchError(
        "OUT_OF_MEMORY",
        `${where}: no room to place the program's code (${cause instanceof Error ? cause.message : String(cause)}); unload programs that are no longer needed`,
        { cause },
      );
    }
    return this.adopt(record);
  }

  /** Hands out a placed program: the caller's object, owned through a private WeakMap. */
  protected adopt(record: P): LoadedProgram {
    const life = Object.assign(record, { threads: 0, unloaded: false });
    const loaded: LoadedProgram = Object.freeze({
      backend: this.kind,
      program: record.program,
      fuel: record.fuel,
      codeSize: record.codeSize,
    });
    this.#programs.set(loaded, life);
    this.#finalizer.register(loaded, life, loaded);
    return loaded;
  }

  /** The backend's record of a program it loaded, or `undefined`. */
  protected recordOf(program: LoadedProgram): P | undefined {
    return this.#programs.get(program);
  }

  unload(program: LoadedProgram): void {
    const record = this.#program(program, "unload");
    record.unloaded = true;
    this.#finalizer.unregister(program);
    if (record.threads === 0) this.freeCode(record);
  }

  spawn(program: LoadedProgram, options: SpawnOptions = {}): MachineThread {
    const where = `${this.kind} backend: spawn`;
    const record = this.#program(program, "spawn");
    if (typeof options !== "object" || options === null) {
      throw new SwitchError(
        "BAD_OPTIONS",
        `${where}: options must be an object like { stackSize: 16384 }`,
      );
    }
    let budget: bigint | undefined;
    if (options.budget !== undefined) {
      const problem = budgetProblem(options.budget);
      if (problem !== undefined) throw new SwitchError("BAD_BUDGET", `${where}: ${problem}`);
      if (!record.fuel) {
        throw new SwitchError(
          "BAD_BUDGET",
          `${where}: a budget needs a program loaded with { fuel: true }; load it again with fuel`,
        );
      }
      budget = toBudget(options.budget);
    }
    const stackSize = options.stackSize === undefined ? DEFAULT_STACK_SIZE : options.stackSize;
    if (typeof stackSize !== "number") {
      throw new SwitchError(
        "BAD_STACK_SIZE",
        `${where}: stackSize must be a number of bytes (a page multiple up to ${MAX_STACK_SIZE}) or absent for ${DEFAULT_STACK_SIZE}; got ${stackSize === null ? "null" : typeof stackSize}`,
      );
    }
    let stack: Stack;
    try {
      stack = this.stacks.allocate(stackSize);
    } catch (cause) {
      if (
        cause instanceof StackError &&
        cause.code !== "OUT_OF_ADDRESS_SPACE" &&
        cause.code !== "MAP_FAILED"
      ) {
        throw new SwitchError(
          "BAD_STACK_SIZE",
          `${where}: stackSize ${String(stackSize)} is not accepted: ${cause.message}`,
          { cause },
        );
      }
      throw new SwitchError(
        "OUT_OF_MEMORY",
        `${where}: no stack of ${String(stackSize)} bytes: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    let thread: T;
    try {
      thread = this.create(program, record, stack, budget);
    } catch (cause) {
      this.stacks.release(stack);
      if (cause instanceof SwitchError) throw cause;
      throw new SwitchError(
        "BAD_STACK_SIZE",
        `${where}: cannot start a thread on a ${stackSize}-byte stack: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    record.threads++;
    return thread;
  }

  resume(thread: MachineThread, value: bigint = 0n): Trap {
    if (ThreadRecord.ownerOf(thread) !== this) this.#foreign("resume");
    const record = thread as T;
    // One compare on the hot path: new and suspended threads may run.
    if (record.stateCode > THREAD_SUSPENDED) this.#refuseResume(record);
    if (typeof value !== "bigint") {
      throw new SwitchError(
        "BAD_VALUE",
        `${this.kind} backend: resume: the value must be a bigint, got ${typeof value}`,
      );
    }
    const control = record.control;
    control.enter(value);
    let trap: Trap;
    try {
      trap = this.runUntilTrap(record) ?? control.leave();
    } catch (cause) {
      throw this.corrupt(cause);
    }
    record.stateCode = stateAfter(trap);
    return trap;
  }

  runTurns(
    ring: TurnRing,
    limit: number = Number.POSITIVE_INFINITY,
    timeLimitMs: number = Number.POSITIVE_INFINITY,
  ): TurnResult {
    checkTurnArguments(this.kind, ring, limit, timeLimitMs);
    if (ring.length === 0 || limit < 1) return NO_TURNS;
    return this.takeTurns(ring, limit, timeLimitMs);
  }

  /**
   * The turns themselves (arguments checked, the ring not empty): resume in
   * ring order under the TURN_* rules. A backend that can run the loop
   * closer to the machine overrides it, with the same results.
   */
  protected takeTurns(ring: TurnRing, limit: number, timeLimitMs: number): TurnResult {
    const { threads, how, length } = ring;
    const until = timeLimitMs === Number.POSITIVE_INFINITY ? timeLimitMs : now() + timeLimitMs;
    let head = 0;
    let turns = 0;
    let runs = 0;
    let clock = RUNS_PER_CLOCK;
    while (runs < limit) {
      if (until !== Number.POSITIVE_INFINITY && --clock === 0) {
        if (now() >= until) break;
        clock = RUNS_PER_CLOCK;
      }
      const thread = threads[head]!;
      const bits = how[head]!;
      if (ThreadRecord.ownerOf(thread) !== this || !answerable(thread as T, bits)) break;
      runs++;
      let trap: Trap;
      try {
        trap = this.resume(thread);
        while (trap.kind === "budget" && (bits & TURN_BUDGET_STAY) !== 0)
          trap = this.resume(thread);
      } catch (error) {
        return { turns, pending: undefined, error };
      }
      if (!endsTurn(trap, bits)) return { turns, pending: trap };
      turns++;
      head = head + 1 === length ? 0 : head + 1;
    }
    return { turns, pending: undefined };
  }

  /** A failure inside a resume as the SwitchError resume throws (CORRUPT_THREAD unless it is one). */
  protected corrupt(cause: unknown): SwitchError {
    if (cause instanceof SwitchError) return cause;
    return new SwitchError(
      "CORRUPT_THREAD",
      `${this.kind} backend: resume: ${cause instanceof Error ? cause.message : String(cause)}; release the thread`,
      { cause },
    );
  }

  #refuseResume(record: T): never {
    if (record.stateCode === THREAD_RELEASED) {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: resume: the thread was released; spawn a new one`,
      );
    }
    throw new SwitchError(
      "THREAD_FINISHED",
      `${this.kind} backend: resume: the thread ${record.state} (last trap: ${record.lastTrap?.kind}); release it`,
    );
  }

  savedStackPointer(thread: MachineThread): bigint {
    const record = this.#own(thread, "savedStackPointer");
    if (record.stateCode === THREAD_RELEASED) {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: savedStackPointer: the thread was released; its stack is gone`,
      );
    }
    return this.contextStackPointer(record);
  }

  release(thread: MachineThread): void {
    const record = this.#own(thread, "release");
    if (record.stateCode === THREAD_RELEASED) {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: release: the thread was already released; release each thread once`,
      );
    }
    this.destroy(record);
    this.stacks.release(record.stack);
    record.stateCode = THREAD_RELEASED;
    this.threadGone(record.code as P);
  }

  /**
   * A thread of `program` is gone (released, or dropped and finalized): when
   * it was the last one of an unloaded program, the code is freed.
   */
  protected threadGone(program: P): void {
    const life = program as P & ProgramLife;
    life.threads--;
    if (life.unloaded && life.threads === 0) this.freeCode(program);
  }

  #program(program: LoadedProgram, what: string): P & ProgramLife {
    const record =
      typeof program === "object" && program !== null ? this.#programs.get(program) : undefined;
    if (record === undefined) {
      throw new SwitchError(
        "FOREIGN_PROGRAM",
        `${this.kind} backend: ${what}: the program was not loaded by this backend (a copy of a loaded program is not one); load it with this backend's load()`,
      );
    }
    if (record.unloaded) {
      throw new SwitchError(
        "PROGRAM_UNLOADED",
        `${this.kind} backend: ${what}: the program was unloaded; load it again`,
      );
    }
    return record;
  }

  #own(thread: MachineThread, what: string): T {
    if (ThreadRecord.ownerOf(thread) !== this) this.#foreign(what);
    return thread as T;
  }

  #foreign(what: string): never {
    throw new SwitchError(
      "FOREIGN_THREAD",
      `${this.kind} backend: ${what}: the thread was not spawned by this backend; use the backend that spawned it`,
    );
  }
}

/** The state a thread is in after it stopped at `trap`. */
export function stateAfter(trap: Trap): number {
  const kind = trap.kind;
  return kind === "exit" ? THREAD_EXITED : kind === "fault" ? THREAD_FAULTED : THREAD_SUSPENDED;
}

/** A run of turns that ran nothing. */
const NO_TURNS: TurnResult = Object.freeze({ turns: 0, pending: undefined });

/** Runs between two looks at the clock in runTurns (as in the addon). */
const RUNS_PER_CLOCK = 16;

const now: () => number =
  typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * Whether a turn may answer the thread's last trap as `resume(thread)`
 * would: it is new, or it stopped at a yield or budget trap its bits allow.
 */
function answerable(thread: ThreadRecord, bits: number): boolean {
  const code = thread.stateCode;
  if (code === THREAD_NEW) return true;
  if (code !== THREAD_SUSPENDED) return false;
  const kind = thread.control.lastKind;
  return kind === TRAP_KIND.yield
    ? (bits & TURN_YIELD) !== 0
    : kind === TRAP_KIND.budget && (bits & (TURN_BUDGET_PASS | TURN_BUDGET_STAY)) !== 0;
}

/** Whether `trap` ends a turn under `bits` (else the run stops with it pending). */
function endsTurn(trap: Trap, bits: number): boolean {
  const kind = trap.kind;
  return kind === "yield"
    ? (bits & TURN_YIELD) !== 0
    : kind === "budget" && (bits & TURN_BUDGET_PASS) !== 0;
}

/** The label each lowered instruction starts at, to map a machine pc back to a program instruction. */
export function instructionAt(
  labels: ReadonlyMap<string, bigint>,
  prefix: string,
  program: Program,
  offset: bigint,
): { instruction: number; line: number } | undefined {
  let best: { instruction: number; line: number } | undefined;
  let bestAt = -1n;
  program.instructions.forEach((ins, i) => {
    const at = labels.get(`${prefix}i${i}`);
    if (at !== undefined && at <= offset && at > bestAt) {
      bestAt = at;
      best = { instruction: i, line: ins.at.line };
    }
  });
  return best;
}
