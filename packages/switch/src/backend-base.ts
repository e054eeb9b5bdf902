/**
 * What both backends share: checking arguments and keeping each thread's
 * state, so that the two backends cannot disagree on anything but how the
 * instructions get executed.
 *
 * A backend subclass supplies four steps (place code, create a thread, run
 * it to its next trap, destroy it); this class verifies programs, validates
 * options, recognises its own programs and threads, and enforces the state
 * machine drawn in `backend.ts`. Every check happens before anything is
 * allocated or run, so bad input changes nothing.
 *
 * @module
 */
import { type Abi, IsaError, type Program, type Trap, verifyProgram } from "@greenthreads/isa";
import { type Stack, type StackAllocator, StackError } from "@greenthreads/stack";
import {
  type Backend,
  type BackendKind,
  DEFAULT_STACK_SIZE,
  type LoadedProgram,
  type LoadOptions,
  type MachineThread,
  type MachineThreadState,
  type SpawnOptions,
} from "./backend.js";
import { SwitchError } from "./errors.js";

/** A loaded program as a backend keeps it. */
export interface ProgramRecord extends LoadedProgram {
  readonly owner: object;
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
 * prototype. A subclass's `run` records the trap it returns in `trap`, or
 * (the native backend) keeps enough to rebuild it in its own `lastTrap`.
 */
export class ThreadRecord implements MachineThread {
  /** One of the THREAD_* constants. */
  stateCode = THREAD_NEW;
  /** The last trap, if kept as an object. */
  trap: Trap | undefined = undefined;

  constructor(
    readonly owner: object,
    readonly program: ProgramRecord,
    readonly stack: Stack,
    readonly capacityWords: number,
    readonly budget: bigint | undefined,
  ) {}

  get state(): MachineThreadState {
    return STATE_NAMES[this.stateCode]!;
  }

  get lastTrap(): Trap | undefined {
    return this.trap;
  }
}

/** Shared checks and state of {@link Backend} implementations. */
export abstract class BackendBase<P extends ProgramRecord, T extends ThreadRecord>
  implements Backend
{
  abstract readonly kind: BackendKind;
  abstract readonly abi: Abi;
  abstract readonly stacks: StackAllocator;
  abstract readonly routineSymbols: ReadonlyMap<bigint, string>;
  reason = "";

  protected abstract place(program: Program, fuel: boolean): P;
  protected abstract create(program: P, stack: Stack, budget: bigint | undefined): T;
  /** Runs the thread to its next trap and returns it; keeps it for `lastTrap` (see `ThreadRecord`). */
  protected abstract run(thread: T, value: bigint): Trap;
  protected abstract destroy(thread: T): void;
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
    if (options.fuel !== undefined && typeof options.fuel !== "boolean") {
      throw new SwitchError("BAD_OPTIONS", `${where}: fuel must be true or false`);
    }
    try {
      verifyProgram(program);
    } catch (cause) {
      if (cause instanceof IsaError) {
        throw new SwitchError(
          "INVALID_PROGRAM",
          `${where}: the program is invalid: ${cause.message}; fix the program`,
          { cause, line: cause.line, column: cause.column },
        );
      }
      throw cause;
    }
    return this.place(program, options.fuel ?? false);
  }

  spawn(program: LoadedProgram, options: SpawnOptions = {}): MachineThread {
    const where = `${this.kind} backend: spawn`;
    const record = program as P;
    if (typeof program !== "object" || program === null || record.owner !== this) {
      throw new SwitchError(
        "FOREIGN_PROGRAM",
        `${where}: the program was not loaded by this backend; load it with this backend's load()`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new SwitchError(
        "BAD_OPTIONS",
        `${where}: options must be an object like { stackSize: 16384 }`,
      );
    }
    const { budget } = options;
    if (budget !== undefined && (typeof budget !== "bigint" || budget <= 0n)) {
      throw new SwitchError(
        "BAD_BUDGET",
        `${where}: budget must be a positive bigint number of instructions, got ${String(budget)}`,
      );
    }
    if (budget !== undefined && !record.fuel) {
      throw new SwitchError(
        "BAD_BUDGET",
        `${where}: a budget needs a program loaded with { fuel: true }; load it again with fuel`,
      );
    }
    const stackSize = options.stackSize ?? DEFAULT_STACK_SIZE;
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
    try {
      return this.create(record, stack, budget);
    } catch (cause) {
      this.stacks.release(stack);
      if (cause instanceof SwitchError) throw cause;
      throw new SwitchError(
        "BAD_STACK_SIZE",
        `${where}: cannot start a thread on a ${stackSize}-byte stack: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  resume(thread: MachineThread, value: bigint = 0n): Trap {
    const record = this.#own(thread, "resume");
    // One compare on the hot path: new and suspended threads may run.
    if (record.stateCode > THREAD_SUSPENDED) this.#refuseResume(record);
    if (typeof value !== "bigint") {
      throw new SwitchError(
        "BAD_VALUE",
        `${this.kind} backend: resume: the value must be a bigint, got ${typeof value}`,
      );
    }
    const trap = this.run(record, value);
    const kind = trap.kind;
    record.stateCode =
      kind === "exit" ? THREAD_EXITED : kind === "fault" ? THREAD_FAULTED : THREAD_SUSPENDED;
    return trap;
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
  }

  #own(thread: MachineThread, what: string): T {
    const record = thread as T;
    if (typeof thread !== "object" || thread === null || record.owner !== this) {
      throw new SwitchError(
        "FOREIGN_THREAD",
        `${this.kind} backend: ${what}: the thread was not spawned by this backend; use the backend that spawned it`,
      );
    }
    return record;
  }
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
