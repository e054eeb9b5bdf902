/**
 * The options of `new Runtime()`, `run()` and `runAsync()`, and their checks.
 */
import { SchedulerError } from "./errors.js";
import type { Scheduler } from "./scheduler.js";

/**
 * Options of `new Runtime(options)`: which policy schedules its threads, and
 * whether runs record their schedule so a run can be replayed.
 *
 * @example
 * ```ts
 * import { FIFO, Runtime, type RuntimeOptions } from "@greenthreads/scheduler";
 * const options: RuntimeOptions = { scheduler: new FIFO(), record: true };
 * const rt = new Runtime(options);
 * rt.spawn(function* () {});
 * console.log(rt.run().schedule); // "@1:14fqfg": no choices, 1 switch
 * ```
 */
export interface RuntimeOptions {
  /** The policy that picks the next thread. Default: new RoundRobin(). */
  scheduler?: Scheduler;
  /** Record each run's schedule (see RunSummary.schedule). Default false. */
  record?: boolean;
  /** Write a trace of every event with thread names (see Runtime.trace). Default false. */
  trace?: boolean;
}

/**
 * Options of `run()`: a switch limit, so a test or a REPL can run threads
 * that never end a step at a time.
 *
 * @example
 * ```ts
 * import { Runtime, type RunOptions } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * rt.spawn(function* () {
 *   for (;;) yield;
 * });
 * const options: RunOptions = { maxSwitches: 10 };
 * const summary = rt.run(options);
 * console.log(summary.stopped, summary.switches, rt.liveThreads); // true 10 1
 * ```
 */
export interface RunOptions {
  /** Stop after this many switches even if threads can still run. */
  maxSwitches?: number;
}

/**
 * Options of `runAsync()`: those of `run()`, and how long threads may compute
 * before the host's event loop gets a turn.
 *
 * @example
 * ```ts
 * import { Runtime, type RunAsyncOptions } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * let fired = false;
 * setTimeout(() => {
 *   fired = true;
 * }, 5);
 * // Under run() this thread would spin forever: the timer could never fire.
 * rt.spawn(function* () {
 *   while (!fired) yield;
 * });
 * const options: RunAsyncOptions = { sliceMs: 2 };
 * await rt.runAsync(options);
 * console.log(fired); // true
 * ```
 */
export interface RunAsyncOptions extends RunOptions {
  /** Give the event loop a turn at least every sliceMs of computing. Default 10. */
  sliceMs?: number;
}

/** `options.maxSwitches` of run()/runAsync(), checked: Infinity when not given. */
export function checkSwitchLimit(options: RunOptions | undefined, where: string): number {
  const max = options?.maxSwitches;
  if (max === undefined) return Number.POSITIVE_INFINITY;
  if (typeof max !== "number" || !(max >= 0) || (Number.isFinite(max) && !Number.isInteger(max))) {
    throw new SchedulerError(
      `${where}: maxSwitches must be a non-negative integer, got ${String(max)}`,
      { code: "BAD_ARGUMENT" },
    );
  }
  return max;
}

/** `options.sliceMs` of runAsync(), checked: 10 when not given. */
export function checkSliceMs(options: RunAsyncOptions | undefined): number {
  const sliceMs = options?.sliceMs ?? 10;
  if (typeof sliceMs !== "number" || !(sliceMs >= 0) || !Number.isFinite(sliceMs)) {
    throw new SchedulerError(
      `runAsync(): sliceMs must be a finite number >= 0, got ${String(sliceMs)}`,
      { code: "BAD_ARGUMENT" },
    );
  }
  return sliceMs;
}
