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

/** A thread as a backend keeps it. */
export interface ThreadRecord extends MachineThread {
  readonly owner: object;
  readonly program: ProgramRecord;
  state: MachineThreadState;
  lastTrap: Trap | undefined;
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
    if (record.state === "released") {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: resume: the thread was released; spawn a new one`,
      );
    }
    if (record.state === "exited" || record.state === "faulted") {
      throw new SwitchError(
        "THREAD_FINISHED",
        `${this.kind} backend: resume: the thread ${record.state} (last trap: ${record.lastTrap?.kind}); release it`,
      );
    }
    if (typeof value !== "bigint") {
      throw new SwitchError(
        "BAD_VALUE",
        `${this.kind} backend: resume: the value must be a bigint, got ${typeof value}`,
      );
    }
    const trap = this.run(record, value);
    record.lastTrap = trap;
    record.state =
      trap.kind === "exit" ? "exited" : trap.kind === "fault" ? "faulted" : "suspended";
    return trap;
  }

  savedStackPointer(thread: MachineThread): bigint {
    const record = this.#own(thread, "savedStackPointer");
    if (record.state === "released") {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: savedStackPointer: the thread was released; its stack is gone`,
      );
    }
    return this.contextStackPointer(record);
  }

  release(thread: MachineThread): void {
    const record = this.#own(thread, "release");
    if (record.state === "released") {
      throw new SwitchError(
        "THREAD_RELEASED",
        `${this.kind} backend: release: the thread was already released; release each thread once`,
      );
    }
    this.destroy(record);
    this.stacks.release(record.stack);
    record.state = "released";
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
