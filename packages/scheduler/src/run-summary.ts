/**
 * Run accounting: what a run reports. Threads are counted as they end; at the
 * end of a run the counts become a {@link RunSummary}, and failures nobody
 * joined become the run's RunFailedError (or part of its DeadlockError).
 */
import { type BlockedThread, DeadlockError, RunFailedError, type ThreadFailure } from "./errors.js";
import { FAILURE_HANDLED, type Thread } from "./thread.js";

/**
 * What `run()` and `runAsync()` return when the run ends without a deadlock or
 * unjoined failure: counts for this run only, so tests can assert on them.
 *
 * @example
 * ```ts
 * import { Runtime, type RunSummary } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * rt.spawn(function* () {
 *   yield;
 * });
 * rt.spawn(function* () {
 *   for (;;) yield;
 * }).cancel();
 * const summary: RunSummary = rt.run();
 * console.log(summary.threads, summary.returned, summary.cancelled, summary.switches); // 2 1 1 3
 * ```
 */
export interface RunSummary {
  /** Threads that finished during this run. */
  threads: number;
  /** Switches made: times a thread was resumed. */
  switches: number;
  returned: number;
  failed: number;
  cancelled: number;
  /** True when the run stopped at maxSwitches with threads still able to run. */
  stopped: boolean;
  /** Threads spawned and not yet done when the run ended. */
  live: number;
  /** The schedule of this run, when the runtime records. */
  schedule?: string;
}

/** The counts of the current (or last) run, and the threads that failed in it. */
export class RunAccount {
  returned = 0;
  failed = 0;
  cancelled = 0;
  /** Threads that threw, in the order they ended; reported unless joined. */
  private failedThreads: Thread[] = [];

  /** A run begins: counts start at zero. */
  reset(): void {
    this.returned = 0;
    this.failed = 0;
    this.cancelled = 0;
  }

  threw(t: Thread): void {
    this.failed++;
    this.failedThreads.push(t);
  }

  /**
   * The run's summary, or the error that ends it: a DeadlockError when
   * `deadlock` lists threads, else a RunFailedError when threads failed and
   * nobody joined them. `beforeThrow` runs first (the policy hears of the end).
   */
  close(
    switches: number,
    stopped: boolean,
    live: number,
    schedule: string | undefined,
    deadlock: BlockedThread[] | null,
    beforeThrow: () => void,
  ): RunSummary {
    const summary: RunSummary = {
      threads: this.returned + this.failed + this.cancelled,
      switches,
      returned: this.returned,
      failed: this.failed,
      cancelled: this.cancelled,
      stopped,
      live,
    };
    if (schedule !== undefined) summary.schedule = schedule;
    const failures: ThreadFailure[] = this.failedThreads
      .filter((t) => (t._flags & FAILURE_HANDLED) === 0)
      .map((t) => ({ thread: t, error: t._value }));
    this.failedThreads = [];
    beforeThrow();
    if (deadlock !== null) throw new DeadlockError(deadlock, failures);
    if (failures.length > 0) throw new RunFailedError(failures);
    return summary;
  }
}
