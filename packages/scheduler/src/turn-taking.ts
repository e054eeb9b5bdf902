/**
 * Several threads in one step: the part of the driver contract that lets a
 * driver run its threads one after another without going back to the loop
 * between them, while the policy, the switch count, recordings and the
 * slice clock see every switch as if the loop had made it.
 *
 * It is sound only when the policy's next picks are known without running
 * anything: a policy that implements {@link Scheduler.upcoming} says, at this
 * moment, which threads it would pick next if each thread picked went back
 * to it at once through `onYield` (round robin and FIFO while nothing waits
 * to be woken in: a rotation of their ring). A driver that can run those
 * threads itself (machine threads on a native backend, where a switch in the
 * addon costs a fraction of a trip through JavaScript) does this inside one
 * step:
 *
 * ```
 *   loop                 driver.step(t, left)                  policy
 *   ────                 ────────────────────                  ──────
 *   pick() → t ───────►  runs t until it yields
 *                        upcomingThreads(t, out, left) ──────► [a, b, c]
 *                        runs a, b, c, t, a … in turn,
 *                        k of them (k ≤ left), each to a yield
 *                        turnsTaken(t, k) ───────────────────► onYield(t), then
 *                                                              advance(k) =
 *                                                              k × onYield(pick())
 *   ◄────── STEP_TURNS   (the loop counts 1 + k switches)
 * ```
 *
 * If the run of turns ends at a thread whose trap needs more than a yield
 * (a host call, an exit...), that thread is the policy's next pick, and the
 * driver answers the trap when the loop picks it: its own next step. Every
 * thread runs only what the loop would have run, in the same order, so a
 * recording made either way is the same schedule.
 *
 * @module
 */
import { now } from "./run-loop.js";
import type { Thread } from "./thread.js";
import { NOT_RUNNABLE, RESUME_MODES } from "./thread.js";
import { STEP_TURNS, type StepResult } from "./thread-driver.js";

/**
 * The threads the policy of `thread`'s runtime would pick next, in order, if
 * every thread it picks went back to it at once through `onYield`: up to
 * `max` of them go into `out`, and the count comes back; -1 when the policy
 * cannot say (it has no `upcoming`, or its next picks are not such a cycle
 * now, or the runtime is traced). `thread` is the one being stepped: it is
 * not in the list, and it comes after the list's last thread.
 *
 * @example
 * ```ts
 * import { Runtime, type Thread, upcomingThreads } from "@greenthreads/scheduler";
 * const rt = new Runtime(); // RoundRobin
 * const seen: string[] = [];
 * const threads: Thread[] = [];
 * for (const name of ["a", "b", "c"]) {
 *   threads.push(
 *     rt.spawn(function* () {
 *       const out: Thread[] = [];
 *       if (name === "a") {
 *         upcomingThreads(threads[0]!, out, 10);
 *         seen.push(...out.map((t) => t.name));
 *       }
 *     }, { name }),
 *   );
 * }
 * rt.run();
 * console.log(seen); // ["b", "c"]
 * ```
 */
export function upcomingThreads(thread: Thread, out: Thread[], max: number): number {
  const s = thread._driver.runtime._sched;
  return s.upcoming === undefined ? -1 : s.upcoming(out, max);
}

/**
 * Whether `thread`'s next step is a plain resume: no value, error or
 * cancellation waits to be delivered to it, and it is not blocked. Only such
 * a thread may run in another thread's turns (its step would take no resume
 * mode).
 *
 * @example
 * ```ts
 * import { Runtime, resumesPlainly } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {});
 * console.log(resumesPlainly(t)); // true
 * t.cancel();
 * console.log(resumesPlainly(t)); // false
 * ```
 */
export function resumesPlainly(thread: Thread): boolean {
  return (thread._flags & (RESUME_MODES | NOT_RUNNABLE)) === 0;
}

/**
 * How long turns inside a step of `thread` may go on, in milliseconds: what
 * is left of the current `runAsync()` slice (at least a little, so that every
 * step makes progress), or Infinity under `run()`, which never gives the host
 * a turn anyway.
 *
 * @example
 * ```ts
 * import { currentThread, Runtime, turnTimeLimit } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const limits: number[] = [];
 * rt.spawn(function* () {
 *   limits.push(turnTimeLimit(currentThread()!));
 * });
 * rt.run();
 * console.log(limits); // [Infinity]
 * ```
 */
export function turnTimeLimit(thread: Thread): number {
  const rt = thread._driver.runtime;
  if (rt.sliceMs === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(MIN_TURN_MS, rt._deadline - now());
}

/** The least time a step's turns get under runAsync(), past the slice's end or not. */
const MIN_TURN_MS = 0.05;

/**
 * Tells the policy and the loop what a step that ran other threads did:
 * `thread` yielded, then `k` threads ran in turn as
 * {@link upcomingThreads} listed them (after the list, `thread`, and round
 * again), each to a yield. The policy gets `onYield(thread)` and then `k`
 * times `onYield(pick())` (its `advance(k)` if it has one), so recordings see
 * every switch; the loop counts the `k` switches. Returns STEP_TURNS, the
 * step's result.
 *
 * @example
 * ```ts
 * import { Runtime, STEP_YIELD, STEP_RETURN, type Thread, type ThreadDriver, turnsTaken, upcomingThreads } from "@greenthreads/scheduler";
 * // A driver of counters: a step counts every upcoming counter down too, in turn.
 * const rt = new Runtime();
 * const out: Thread[] = [];
 * const counters: ThreadDriver = {
 *   runtime: rt,
 *   kind: "counter",
 *   step(thread: Thread, left: number) {
 *     const me = thread.body as { n: number };
 *     if (--me.n === 0) return STEP_RETURN;
 *     const count = upcomingThreads(thread, out, Math.min(left, 1));
 *     if (count < 1 || out[0]!.kind !== "counter") return STEP_YIELD;
 *     const next = out[0]!.body as { n: number };
 *     if (next.n === 1) return STEP_YIELD; // its next step returns: leave it to the loop
 *     next.n--;
 *     return turnsTaken(thread, 1);
 *   },
 * };
 * for (let i = 0; i < 2; i++) rt.spawnWith(counters, { n: 3 });
 * console.log(rt.run().switches); // 6
 * ```
 */
export function turnsTaken(thread: Thread, k: number): StepResult {
  const rt = thread._driver.runtime;
  const s = rt._sched;
  s.onYield(thread);
  if (s.advance !== undefined) {
    s.advance(k);
  } else {
    for (let i = 0; i < k; i++) s.onYield(s.pick()!);
  }
  rt._turns += k;
  return STEP_TURNS;
}
