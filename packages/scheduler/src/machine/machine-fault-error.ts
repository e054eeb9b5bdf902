/**
 * The error a machine thread ends with when its program faults.
 */
import type { Trap } from "@greenthreads/isa";
import { SchedulerError, type SchedulerErrorCode, type Thread } from "../index.js";
import type { StackSnapshot } from "./stack-snapshot.js";

/**
 * The error a machine thread ends with when its program faults: the fault's
 * kind and where, in program terms.
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * import { MachineFaultError, spawnMachine } from "@greenthreads/scheduler/machine";
 * const rt = new Runtime();
 * const t = spawnMachine(rt, "push 1\npop r0\npop r0\nexit 0");
 * try { rt.run(); } catch {}
 * const error = t.outcome?.kind === "threw" ? t.outcome.error : undefined;
 * if (error instanceof MachineFaultError) console.log(error.fault, error.line); // "out-of-bounds" 3
 * ```
 */
export class MachineFaultError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "MACHINE_FAULT";
  /** `stack-overflow` or `out-of-bounds`. */
  readonly fault: string;
  /** Index of the faulting program instruction. */
  readonly instruction: number;
  /** Its source line. */
  readonly line: number;
  /** The offending index or return value, when there is one. */
  readonly index?: bigint;
  /**
   * A copy of the thread's stack and stack pointer at the fault, taken before
   * the stack was given back (see faultStackPicture()); undefined when the
   * backend could not report the stack pointer.
   */
  readonly stackAtFault: StackSnapshot | undefined;

  constructor(thread: Thread, trap: Extract<Trap, { kind: "fault" }>, stack?: StackSnapshot) {
    const { instruction, line, index } = trap.details;
    super(
      `machine thread faulted: ${trap.fault} at instruction ${instruction} (line ${line})` +
        (index === undefined ? "" : `, index ${index}`),
      { thread },
    );
    this.name = "MachineFaultError";
    this.fault = trap.fault;
    this.instruction = instruction;
    this.line = line;
    if (index !== undefined) this.index = index;
    this.stackAtFault = stack;
  }
}
