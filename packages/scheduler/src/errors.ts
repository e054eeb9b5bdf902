/**
 * Errors raised by the runtime. Every error the package throws on purpose is a
 * {@link SchedulerError}; the ones that end a run collect their causes.
 */

/**
 * A thread as errors name it: `thread "name" (#id)` or `thread #id`. Errors
 * hold this much of a thread, not the whole handle, so they stay small.
 *
 * @example
 * ```ts
 * import { type NamedThread, Runtime, SchedulerError } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const loader: NamedThread = rt.spawn(function* () {}, { name: "loader" });
 * const e = new SchedulerError("gave up after 3 tries", { thread: loader });
 * console.log(e.message); // thread "loader" (#1): gave up after 3 tries
 * ```
 */
export interface NamedThread {
  readonly id: number;
  readonly label: string;
}

/**
 * Stable codes of {@link SchedulerError}: branch on these, not on messages.
 *
 * @example
 * ```ts
 * import { type SchedulerErrorCode, SchedulerError } from "@greenthreads/scheduler";
 * const isMisuse = (e: unknown): boolean =>
 *   e instanceof SchedulerError && (e.code satisfies SchedulerErrorCode) === "NOT_IN_THREAD";
 * ```
 */
export type SchedulerErrorCode =
  | "BAD_ARGUMENT"
  | "NOT_A_GENERATOR_FUNCTION"
  | "NOT_IN_THREAD"
  | "FOREIGN_THREAD"
  | "REENTRANT_RUN"
  | "NEEDS_RUN_ASYNC"
  | "SCHEDULER_IN_USE"
  | "BAD_SCHEDULER"
  | "BAD_SCHEDULE"
  | "BAD_YIELD"
  | "NOT_FINISHED"
  | "NOT_BLOCKED"
  | "PARK_WITHOUT_BLOCKER"
  | "SELF_JOIN"
  | "MUTEX_REENTERED"
  | "MUTEX_NOT_HELD"
  | "CHANNEL_CLOSED"
  | "LIVELOCK"
  | "NONDETERMINISTIC_BODY"
  | "INVALID_PROGRAM"
  | "BAD_HOSTCALL_RESULT"
  | "RUN_FAILED"
  | "DEADLOCK"
  | "THREAD_CANCELLED"
  | "REPLAY_DIVERGED"
  | "EXPLORE_FAILED"
  | "MACHINE_FAULT"
  | "TIMEOUT"
  | "SCOPE_ENDED"
  | "WAIT_GROUP_NEGATIVE";

/**
 * Base class of every error this package throws on purpose. `code` is stable;
 * the message says what was wrong, where (which thread), and what to do.
 *
 * @example
 * ```ts
 * import { Runtime, SchedulerError } from "@greenthreads/scheduler";
 * try {
 *   new Runtime().spawn((() => 1) as never);
 * } catch (e) {
 *   if (e instanceof SchedulerError) console.log(e.code); // "NOT_A_GENERATOR_FUNCTION"
 * }
 * ```
 */
export class SchedulerError extends Error {
  /** A stable identifier of the kind of failure. */
  readonly code: SchedulerErrorCode;
  /** The thread the error is about, when there is one. */
  readonly thread: NamedThread | undefined;
  /** The message without the thread's label in front. */
  readonly detail: string;

  constructor(
    message: string,
    options?: { code?: SchedulerErrorCode; thread?: NamedThread; cause?: unknown },
  ) {
    super(
      options?.thread ? `${options.thread.label}: ${message}` : message,
      options && "cause" in options ? { cause: options.cause } : undefined,
    );
    this.name = new.target.name;
    this.code =
      options?.code ??
      (new.target as { readonly defaultCode?: SchedulerErrorCode }).defaultCode ??
      "BAD_ARGUMENT";
    this.thread = options?.thread;
    this.detail = message;
  }
}

/**
 * One failed thread and what it threw.
 *
 * @example
 * ```ts
 * import { RunFailedError, Runtime, type ThreadFailure } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * rt.spawn(
 *   function* () {
 *     throw new Error("disk full");
 *   },
 *   { name: "writer" },
 * );
 * try {
 *   rt.run();
 * } catch (e) {
 *   const failures: readonly ThreadFailure[] = e instanceof RunFailedError ? e.failures : [];
 *   for (const f of failures) console.log(f.thread.label, String(f.error));
 *   // thread "writer" (#1) Error: disk full
 * }
 * ```
 */
export interface ThreadFailure {
  readonly thread: NamedThread;
  readonly error: unknown;
}

function describeCause(failure: ThreadFailure): string {
  const e = failure.error;
  if (e instanceof SchedulerError && e.thread === failure.thread) return `${e.name}: ${e.detail}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `threw ${typeof e === "string" ? JSON.stringify(e) : String(e)}`;
}

/**
 * Thrown by `run()` / `runAsync()` when threads threw and nobody joined them.
 * Like `AggregateError`: `errors` holds each cause, `failures` pairs each cause
 * with its thread, `cause` is the first cause.
 *
 * @example
 * ```ts
 * import { RunFailedError, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * for (const name of ["a", "b"]) {
 *   rt.spawn(
 *     function* () {
 *       yield;
 *       throw new Error(`${name} broke`);
 *     },
 *     { name },
 *   );
 * }
 * try {
 *   rt.run();
 * } catch (e) {
 *   if (e instanceof RunFailedError) console.log(e.code, e.errors.length); // "RUN_FAILED" 2
 * }
 * ```
 */
export class RunFailedError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "RUN_FAILED";
  readonly failures: readonly ThreadFailure[];
  readonly errors: readonly unknown[];

  constructor(failures: readonly ThreadFailure[], headline?: string) {
    const n = failures.length;
    const lines = failures.map((f) => `  ${f.thread.label}: ${describeCause(f)}`);
    const head = headline ?? `${n} thread${n === 1 ? "" : "s"} failed:`;
    super([head, ...lines].join("\n"), n > 0 ? { cause: failures[0]!.error } : undefined);
    this.failures = failures;
    this.errors = failures.map((f) => f.error);
  }
}

/**
 * A blocked thread in a deadlock report, and what it waits for.
 *
 * @example
 * ```ts
 * import { type BlockedThread, Mutex, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const m = new Mutex({ name: "db" });
 * rt.spawn(
 *   function* () {
 *     yield* m.lock();
 *     for (;;) yield; // never unlocks
 *   },
 *   { name: "holder" },
 * );
 * rt.spawn(
 *   function* () {
 *     yield* m.lock();
 *   },
 *   { name: "waiter" },
 * );
 * rt.run({ maxSwitches: 4 });
 * const blocked: BlockedThread[] = rt.blockedThreads();
 * for (const b of blocked) console.log(`${b.thread.label} waits for ${b.waitingFor}`);
 * // thread "waiter" (#2) waits for lock on mutex "db" held by thread "holder" (#1)
 * ```
 */
export interface BlockedThread {
  readonly thread: NamedThread;
  readonly waitingFor: string;
}

/**
 * Thrown when nothing can run, nothing is pending (no timer, no promise) and
 * some threads are still blocked. `blocked` lists each one and what it waits
 * for; `failures` holds threads that threw during the same run, if any. The
 * runtime cancels the deadlocked threads (their `finally` blocks run) before it
 * throws, so every thread still ends with one outcome.
 *
 * @example
 * ```ts
 * import { Channel, DeadlockError, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const replies = new Channel<string>(0, { name: "replies" });
 * rt.spawn(
 *   function* () {
 *     yield* replies.recv(); // nobody ever sends
 *   },
 *   { name: "client" },
 * );
 * try {
 *   rt.run();
 * } catch (e) {
 *   if (e instanceof DeadlockError) console.log(e.blocked[0]?.waitingFor);
 *   // recv on channel "replies" (capacity 0, 0 buffered)
 * }
 * ```
 */
export class DeadlockError extends RunFailedError {
  static override readonly defaultCode: SchedulerErrorCode = "DEADLOCK";
  readonly blocked: readonly BlockedThread[];

  constructor(blocked: readonly BlockedThread[], failures: readonly ThreadFailure[]) {
    const n = blocked.length;
    const head = [
      `deadlock: nothing can run and ${n} thread${n === 1 ? " is" : "s are"} blocked forever:`,
      ...blocked.map((b) => `  ${b.thread.label} waits for ${b.waitingFor}`),
    ];
    if (failures.length > 0) head.push(`and ${failures.length} thread(s) failed:`);
    super(failures, head.join("\n"));
    this.blocked = blocked;
  }
}

/**
 * `join()` of a cancelled thread throws this in the joiner.
 *
 * @example
 * ```ts
 * import { join, Runtime, ThreadCancelledError } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const worker = rt.spawn(function* () {
 *   for (;;) yield;
 * });
 * const boss = rt.spawn(function* () {
 *   worker.cancel();
 *   try {
 *     yield* join(worker);
 *     return "finished";
 *   } catch (e) {
 *     return e instanceof ThreadCancelledError ? "cancelled" : "failed";
 *   }
 * });
 * rt.run();
 * console.log(boss.result); // "cancelled"
 * ```
 */
export class ThreadCancelledError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "THREAD_CANCELLED";
}

/**
 * `send()` on a closed channel, or `recv()` on a closed and drained one.
 *
 * @example
 * ```ts
 * import { Channel, ChannelClosedError, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const ch = new Channel<number>(1);
 * const t = rt.spawn(function* () {
 *   yield* ch.send(1);
 *   ch.close();
 *   try {
 *     yield* ch.send(2);
 *   } catch (e) {
 *     return e instanceof ChannelClosedError;
 *   }
 *   return false;
 * });
 * rt.run();
 * console.log(t.result, ch.size); // true 1
 * ```
 */
export class ChannelClosedError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "CHANNEL_CLOSED";
}

/**
 * The Replay policy found that the run no longer follows its schedule.
 *
 * @example
 * ```ts
 * import { Replay, ReplayDivergenceError, Runtime } from "@greenthreads/scheduler";
 * // "" is the schedule of a run that never had a choice to make.
 * const rt = new Runtime({ scheduler: new Replay("") });
 * rt.spawn(function* () {});
 * rt.spawn(function* () {}); // two ready threads: a choice the schedule lacks
 * try {
 *   rt.run();
 * } catch (e) {
 *   console.log(e instanceof ReplayDivergenceError); // true
 * }
 * ```
 */
export class ReplayDivergenceError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "REPLAY_DIVERGED";
}

/**
 * A blocking operation run under `withTimeout()` or `withDeadline()` was
 * still waiting when its time ran out. The operation was cancelled first, so
 * it left no trace: a timed-out `recv` took nothing, a timed-out `send` sent
 * nothing, a timed-out `lock` does not hold the lock.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, TimeoutError, withTimeout } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const replies = new Channel<string>(0, { name: "replies" });
 * const t = rt.spawn(function* () {
 *   try {
 *     return yield* withTimeout(10, replies.recv());
 *   } catch (e) {
 *     return e instanceof TimeoutError ? e.code : "other";
 *   }
 * });
 * await rt.runAsync();
 * console.log(t.result); // "TIMEOUT"
 * ```
 */
export class TimeoutError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "TIMEOUT";
}
