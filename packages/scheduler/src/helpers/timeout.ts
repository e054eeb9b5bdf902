/*
 * Timeouts and deadlines for every blocking operation, as two combinators:
 *
 *   const v = yield* withTimeout(100, ch.recv());
 *   yield* withDeadline(Date.now() + 500, m.lock());
 *
 * One combinator instead of a `{ timeout }` option on each helper, because
 * the mechanism is the same for all of them and for anything built from them:
 * an operation that is still waiting when its time is up is cancelled where
 * it waits, exactly as if its thread had been cancelled, and a TimeoutError
 * is thrown instead. Every helper already guarantees that cancellation leaves
 * no trace (a cancelled recv takes nothing, a cancelled send sends nothing, a
 * cancelled lock holds nothing), so a timeout inherits those guarantees
 * instead of re-implementing them per helper; a green function of several
 * blocking calls, or a Blocker written outside this package, gets a timeout
 * the same way, and signatures like `send(value)` stay as they are.
 *
 * The timer is armed only when the operation first parks: an operation that
 * completes at once costs no timer and works under run() too. A limit of 0, or
 * a deadline already past, never waits (a poll). A wait that ended in time is
 * not undone by a timer firing before the thread ran again.
 */
import { TimeoutError } from "../errors.js";
import { requireThread } from "../runtime.js";
import { BLOCKED, type Park, type Thread } from "../thread.js";
import { checkWaitMs, HostTimer, MAX_TIMER_MS } from "./host-timer.js";
import { INTERRUPTED, Supervisor, supervise } from "./supervise.js";

/**
 * `yield* withTimeout(ms, op)`: run the blocking operation `op` (e.g.
 * `ch.recv()`, `ch.send(v)`, `m.lock()`, `join(t)`, `wait(p)`, a green
 * function) and give its result; if it is still waiting after `ms`
 * milliseconds, cancel it (its `finally` blocks run, it leaves no trace) and
 * throw a {@link TimeoutError}. `ms` may be 0 (do not wait) or Infinity (no
 * limit); a positive finite `ms` needs `runAsync()`.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, sleep, TimeoutError, withTimeout } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const jobs = new Channel<string>(0, { name: "jobs" });
 * const log: string[] = [];
 * rt.spawn(function* () {
 *   try {
 *     yield* withTimeout(10, jobs.send("first")); // nobody receives in time
 *   } catch (e) {
 *     if (e instanceof TimeoutError) log.push("send timed out");
 *   }
 *   yield* jobs.send("second");
 * });
 * rt.spawn(function* () {
 *   yield* sleep(30);
 *   log.push(`got ${yield* jobs.recv()}`); // "first" was never sent
 * });
 * await rt.runAsync();
 * console.log(log); // ["send timed out", "got second"]
 * ```
 */
export function withTimeout<R>(
  ms: number,
  op: Generator<unknown, R, unknown>,
): Generator<Park, R, unknown> {
  const self = requireThread("withTimeout(ms, op)");
  checkWaitMs(self, ms, "withTimeout(ms, op)");
  return timed(self, Date.now() + ms, `timed out after ${ms} ms`, op);
}

/**
 * `yield* withDeadline(deadline, op)`: like {@link withTimeout}, with the
 * limit given as a time on the `Date.now()` clock. Handy when several
 * operations share one deadline. A deadline in the future needs `runAsync()`.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, TimeoutError, withDeadline } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const a = new Channel<number>(1);
 * const b = new Channel<number>(1);
 * a.trySend(1); // b stays empty
 * const t = rt.spawn(function* () {
 *   const deadline = Date.now() + 20; // for both receives together
 *   const got: number[] = [];
 *   try {
 *     got.push(yield* withDeadline(deadline, a.recv()));
 *     got.push(yield* withDeadline(deadline, b.recv()));
 *   } catch (e) {
 *     if (!(e instanceof TimeoutError)) throw e;
 *   }
 *   return got;
 * });
 * await rt.runAsync();
 * console.log(t.result); // [1]
 * ```
 */
export function withDeadline<R>(
  deadline: number,
  op: Generator<unknown, R, unknown>,
): Generator<Park, R, unknown> {
  const self = requireThread("withDeadline(deadline, op)");
  checkWaitMs(
    self,
    typeof deadline === "number" ? Math.max(0, deadline - Date.now()) : deadline,
    "withDeadline(deadline, op)",
  );
  const at = Number.isFinite(deadline) ? new Date(deadline).toISOString() : String(deadline);
  return timed(self, deadline, `missed its deadline (${at})`, op);
}

function* timed<R>(
  self: Thread,
  deadline: number,
  why: string,
  op: Generator<unknown, R, unknown>,
): Generator<Park, R, unknown> {
  const sup = new Supervisor(self);
  let timer: HostTimer | null = null;
  const arm = () => {
    const left = deadline - Date.now();
    if (left <= 0) {
      sup.interrupt();
      return;
    }
    if (left === Number.POSITIVE_INFINITY) return;
    // setTimeout takes at most 2^31 - 1 ms; a longer wait re-arms when that passes.
    const longWait = left > MAX_TIMER_MS;
    timer = new HostTimer(self.runtime, longWait ? MAX_TIMER_MS : left, () => {
      // Only a wait still going on times out; one that ended in time stands.
      if (self._state !== BLOCKED) return;
      if (longWait) arm();
      else sup.interrupt();
    });
  };
  // Each time the operation parks: make sure a timer runs (or stop it if out of time).
  const onPark = () => {
    if (timer === null || !timer.armed) arm();
  };
  try {
    const r = yield* supervise(sup, op, onPark) as Generator<Park, R | typeof INTERRUPTED>;
    if (r === INTERRUPTED) throw new TimeoutError(why, { thread: self });
    return r as R;
  } finally {
    (timer as HostTimer | null)?.disarm();
  }
}
