/**
 * The extension contract for kinds of threads: {@link ThreadDriver}.
 *
 * The runtime never resumes a thread itself. Each thread has a driver, and
 * the loop calls `driver.step(thread)` whenever the policy picks the thread.
 * The driver resumes the thread's body once and answers with one of four
 * small integers:
 *
 * ```
 *   step result   the thread...                     the runtime then...
 *   ───────────   ───────────────────────────────   ───────────────────────────
 *   STEP_YIELD    gave up the CPU, can run again    gives it back to the policy
 *   STEP_BLOCK    waits on a Blocker (parkOn)       keeps it out of the ready set
 *                                                   until wake() or cancel()
 *   STEP_RETURN   ended with a value (setStepValue) marks it done, wakes joiners
 *   STEP_THROW    ended with an error (setStepValue) the same, as a failure
 * ```
 *
 * Before resuming, a driver takes the resume mode with
 * {@link takeResumeMode}: 0 for a plain resume, {@link RESUME_VALUE} when
 * `wake(thread, value)` woke it (read the value with
 * {@link takeResumeValue}), {@link RESUME_THROW} when the value is an error to
 * deliver into the body, {@link RESUME_RETURN} when the thread was cancelled
 * (end the body, running its clean-up, then report STEP_RETURN).
 *
 * The whole contract: the interface, the four step results, the three resume
 * modes, `takeResumeMode`, `takeResumeValue`, `setStepValue`, `parkOn`,
 * `thread.body`, and `runtime.spawnWith(driver, body)`. A driver that can run
 * several of its threads in one step, in the order the policy would pick
 * them, may also answer {@link STEP_TURNS} (see `turn-taking.ts`). JavaScript threads
 * (generator bodies) are one driver; machine threads
 * (`@greenthreads/scheduler/machine`) are another, written against this
 * contract alone.
 */
import type { Runtime } from "./runtime.js";
import {
  type Blocker,
  CANCEL_DELIVERED,
  NOT_RUNNABLE,
  RESUME_MODES,
  RESUME_RETURN,
  RESUME_THROW,
  RESUME_VALUE,
  type Thread,
} from "./thread.js";

/**
 * The thread yielded and is still runnable.
 *
 * @example
 * ```ts
 * import { Runtime, STEP_RETURN, STEP_YIELD, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
 * // A driver whose threads take turns counted in their body, yielding between them.
 * const rt = new Runtime();
 * const turns: ThreadDriver = {
 *   runtime: rt,
 *   kind: "turns",
 *   step(thread: Thread) {
 *     const left = thread.body as { turns: number };
 *     return --left.turns > 0 ? STEP_YIELD : STEP_RETURN;
 *   },
 * };
 * rt.spawnWith(turns, { turns: 3 });
 * console.log(rt.run().switches); // 3
 * ```
 */
export const STEP_YIELD = 0;
/**
 * The thread parked itself on a {@link Blocker} (see {@link parkOn}).
 *
 * @example
 * ```ts
 * import { type Blocker, parkOn, Runtime, STEP_RETURN, type Thread, type ThreadDriver, takeResumeMode, takeResumeValue, setStepValue, wake } from "@greenthreads/scheduler";
 * // A driver whose threads park on a doorbell once, then return what woke them.
 * const rt = new Runtime();
 * const ringing: Thread[] = [];
 * const doorbell: Blocker = {
 *   describeWait: () => "the doorbell",
 *   cancelWait: (t) => void ringing.splice(ringing.indexOf(t), 1),
 * };
 * const waiter: ThreadDriver = {
 *   runtime: rt,
 *   kind: "waiter",
 *   step(thread: Thread) {
 *     if (takeResumeMode(thread) === 0) {
 *       ringing.push(thread);
 *       return parkOn(thread, doorbell); // STEP_BLOCK
 *     }
 *     setStepValue(thread, takeResumeValue(thread)); // woken: return the wake value
 *     return STEP_RETURN;
 *   },
 * };
 * const t = rt.spawnWith<string>(waiter, null);
 * rt.spawn(function* () {
 *   for (const w of ringing.splice(0)) wake(w, "ding");
 * });
 * rt.run();
 * console.log(t.result); // "ding"
 * ```
 */
export const STEP_BLOCK = 1;
/**
 * The thread's body returned; its value was given to {@link setStepValue}.
 *
 * @example
 * ```ts
 * import { Runtime, STEP_RETURN, setStepValue, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
 * // A driver whose threads finish in one step with their body doubled.
 * const rt = new Runtime();
 * const doubler: ThreadDriver = {
 *   runtime: rt,
 *   kind: "doubler",
 *   step(thread: Thread) {
 *     setStepValue(thread, (thread.body as number) * 2);
 *     return STEP_RETURN;
 *   },
 * };
 * const t = rt.spawnWith<number>(doubler, 21);
 * rt.run();
 * console.log(t.result); // 42
 * ```
 */
export const STEP_RETURN = 2;
/**
 * The thread's body threw; the error was given to {@link setStepValue}.
 *
 * @example
 * ```ts
 * import { RunFailedError, Runtime, STEP_THROW, setStepValue, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
 * // A driver whose threads always fail: the run reports them.
 * const rt = new Runtime();
 * const failing: ThreadDriver = {
 *   runtime: rt,
 *   kind: "failing",
 *   step(thread: Thread) {
 *     setStepValue(thread, new Error(`cannot run ${String(thread.body)}`));
 *     return STEP_THROW;
 *   },
 * };
 * const t = rt.spawnWith(failing, "job 1");
 * try {
 *   rt.run();
 * } catch (e) {
 *   console.log(e instanceof RunFailedError, t.outcome?.kind); // true "threw"
 * }
 * ```
 */
export const STEP_THROW = 3;
/**
 * The thread yielded, and then the driver ran other ready threads in turn
 * within the same step, in the order the policy would have picked them, and
 * told the policy and the loop so with {@link turnsTaken} (which returns this
 * value). Only a driver that uses {@link upcomingThreads} answers it.
 *
 * @example
 * ```ts
 * import { STEP_TURNS } from "@greenthreads/scheduler";
 * console.log(STEP_TURNS); // 4
 * ```
 */
export const STEP_TURNS = 4;
/**
 * What {@link ThreadDriver.step} reports: one of {@link STEP_YIELD},
 * {@link STEP_BLOCK}, {@link STEP_RETURN}, {@link STEP_THROW}. A small integer,
 * not an object, so the runtime's loop allocates nothing per switch.
 *
 * @example
 * ```ts
 * import { STEP_BLOCK, STEP_RETURN, STEP_THROW, STEP_YIELD, type StepResult } from "@greenthreads/scheduler";
 * function describeStep(r: StepResult): string {
 *   switch (r) {
 *     case STEP_YIELD: return "yielded";
 *     case STEP_BLOCK: return "blocked";
 *     case STEP_RETURN: return "returned";
 *     case STEP_THROW: return "threw";
 *   }
 * }
 * console.log(describeStep(STEP_BLOCK)); // "blocked"
 * ```
 */
export type StepResult = 0 | 1 | 2 | 3 | 4;

/**
 * How the runtime resumes one kind of thread (see the module comment for the
 * whole contract). `step(thread)` starts with {@link takeResumeMode}, resumes
 * the body once, and reports a {@link StepResult}; a value or error goes to
 * {@link setStepValue}, a wait to {@link parkOn}. `dispose(thread)` is called
 * once when the thread is done, however it ended, to free what its body
 * holds. Spawn threads of a driver with `runtime.spawnWith(driver, body)`.
 *
 * @example
 * ```ts
 * import {
 *   RESUME_RETURN,
 *   Runtime,
 *   STEP_RETURN,
 *   STEP_YIELD,
 *   setStepValue,
 *   type StepResult,
 *   type Thread,
 *   type ThreadDriver,
 *   takeResumeMode,
 * } from "@greenthreads/scheduler";
 *
 * // Threads that count their body down to 0, one step a turn.
 * class CountdownDriver implements ThreadDriver {
 *   readonly kind = "countdown";
 *   constructor(readonly runtime: Runtime) {}
 *   step(thread: Thread): StepResult {
 *     if (takeResumeMode(thread) === RESUME_RETURN) return STEP_RETURN; // cancelled
 *     const body = thread.body as { left: number };
 *     if (--body.left > 0) return STEP_YIELD;
 *     setStepValue(thread, "liftoff");
 *     return STEP_RETURN;
 *   }
 * }
 *
 * const rt = new Runtime();
 * const driver = new CountdownDriver(rt);
 * const t = rt.spawnWith<string>(driver, { left: 3 });
 * const stopped = rt.spawnWith<string>(driver, { left: 100 });
 * stopped.cancel();
 * rt.run();
 * console.log(t.result, stopped.outcome?.kind); // "liftoff" "cancelled"
 * ```
 */
export interface ThreadDriver {
  /** The runtime whose threads this driver steps. */
  readonly runtime: Runtime;
  /** Shown in reports and as `thread.kind`: "generator", "machine", ... */
  readonly kind: string;
  /**
   * Resume the thread once, until it yields, blocks, returns or throws.
   * `left` is how many more switches the loop may make after this one
   * (Infinity when the run has no limit): a driver that runs other threads
   * within this step ({@link STEP_TURNS}) runs at most that many.
   */
  step(thread: Thread, left: number): StepResult;
  /** Called once when the thread is done, to free what its body holds. */
  dispose?(thread: Thread): void;
}

/**
 * How a thread is to be resumed, as {@link takeResumeMode} reports it: 0 (a
 * plain resume), {@link RESUME_VALUE}, {@link RESUME_THROW} or
 * {@link RESUME_RETURN}.
 *
 * @example
 * ```ts
 * import { RESUME_RETURN, RESUME_THROW, RESUME_VALUE, type ResumeMode } from "@greenthreads/scheduler";
 * const names: Record<ResumeMode, string> = {
 *   0: "resume",
 *   [RESUME_VALUE]: "resume with a value",
 *   [RESUME_THROW]: "throw in",
 *   [RESUME_RETURN]: "cancel",
 * };
 * console.log(names[RESUME_THROW]); // "throw in"
 * ```
 */
export type ResumeMode = 0 | typeof RESUME_VALUE | typeof RESUME_THROW | typeof RESUME_RETURN;

export { RESUME_RETURN, RESUME_THROW, RESUME_VALUE };

/**
 * Take (read and clear) how the thread is to be resumed: a driver's step
 * starts with this. It also refuses, with a SchedulerError `BAD_SCHEDULER`, a
 * thread a policy should not have picked (blocked or done): the runtime's loop
 * leaves that check to the driver to keep the switch path short. Taking
 * RESUME_RETURN counts the cancellation as delivered, so the thread ends
 * "cancelled" when the driver then reports STEP_RETURN.
 *
 * @example
 * ```ts
 * import { Runtime, STEP_RETURN, setStepValue, type Thread, type ThreadDriver, takeResumeMode } from "@greenthreads/scheduler";
 * // These threads never block, so anything but 0 is a cancellation.
 * const rt = new Runtime();
 * const once: ThreadDriver = {
 *   runtime: rt,
 *   kind: "once",
 *   step(thread: Thread) {
 *     if (takeResumeMode(thread) === 0) setStepValue(thread, "ran");
 *     return STEP_RETURN;
 *   },
 * };
 * const a = rt.spawnWith(once, null);
 * const b = rt.spawnWith(once, null);
 * b.cancel();
 * rt.run();
 * console.log(a.outcome?.kind, b.outcome?.kind); // "returned" "cancelled"
 * ```
 */
export function takeResumeMode(thread: Thread): ResumeMode {
  const f = thread._flags;
  if ((f & NOT_RUNNABLE) !== 0) thread._driver.runtime._badPick(thread);
  const mode = f & RESUME_MODES;
  if (mode === 0) return 0;
  thread._flags = f ^ mode;
  if ((mode & RESUME_RETURN) !== 0) {
    thread._flags |= CANCEL_DELIVERED;
    return RESUME_RETURN;
  }
  return (mode & RESUME_THROW) !== 0 ? RESUME_THROW : RESUME_VALUE;
}

/**
 * Take (read and clear) the value the thread is resumed with: what
 * `wake(thread, value)` passed (RESUME_VALUE), or the error to deliver
 * (RESUME_THROW). Undefined otherwise.
 *
 * @example
 * ```ts
 * import { type Blocker, parkOn, RESUME_THROW, Runtime, STEP_RETURN, STEP_THROW, setStepValue, type Thread, type ThreadDriver, takeResumeMode, takeResumeValue, wake } from "@greenthreads/scheduler";
 * // Threads that wait once, then return the value or fail with the error they were woken with.
 * const rt = new Runtime();
 * const parked: Thread[] = [];
 * const queue: Blocker = { describeWait: () => "a reply", cancelWait: () => {} };
 * const replyDriver: ThreadDriver = {
 *   runtime: rt,
 *   kind: "reply",
 *   step(thread: Thread) {
 *     const mode = takeResumeMode(thread);
 *     if (mode === 0) {
 *       parked.push(thread);
 *       return parkOn(thread, queue);
 *     }
 *     setStepValue(thread, takeResumeValue(thread));
 *     return mode === RESUME_THROW ? STEP_THROW : STEP_RETURN;
 *   },
 * };
 * const ok = rt.spawnWith<number>(replyDriver, null);
 * const bad = rt.spawnWith<number>(replyDriver, null);
 * rt.run({ maxSwitches: 2 });
 * wake(parked[0]!, 7);
 * wake(parked[1]!, new Error("no reply"), true);
 * try { rt.run(); } catch {}
 * console.log(ok.result, bad.outcome?.kind); // 7 "threw"
 * ```
 */
export function takeResumeValue(thread: Thread): unknown {
  const v = thread._value;
  thread._value = undefined;
  return v;
}

/**
 * Give the thread's returned value (before reporting STEP_RETURN) or its error
 * (before STEP_THROW).
 *
 * @example
 * ```ts
 * import { Runtime, STEP_RETURN, setStepValue, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const answer: ThreadDriver = {
 *   runtime: rt,
 *   kind: "answer",
 *   step(thread: Thread) {
 *     setStepValue(thread, 42);
 *     return STEP_RETURN;
 *   },
 * };
 * const t = rt.spawnWith<number>(answer, null);
 * rt.run();
 * console.log(t.result); // 42
 * ```
 */
export function setStepValue(thread: Thread, value: unknown): void {
  thread._value = value;
}

/**
 * Record that the thread waits on `blocker`, and return STEP_BLOCK for the
 * driver's step to report. Whoever ends the wait calls `wake(thread, value)`
 * after the blocker has forgotten the thread; a cancellation calls
 * `blocker.cancelWait(thread)` instead. A blocking helper of JavaScript
 * threads calls it the same way and then does `yield PARK`.
 *
 * @example
 * ```ts
 * import { type Blocker, parkOn, Runtime, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
 * // Threads that wait forever: a run with nothing else to do is a deadlock.
 * const rt = new Runtime();
 * const never: Blocker = { describeWait: () => "nothing", cancelWait: () => {} };
 * const stuck: ThreadDriver = { runtime: rt, kind: "stuck", step: (thread: Thread) => parkOn(thread, never) };
 * rt.spawnWith(stuck, null);
 * rt.run({ maxSwitches: 1 });
 * console.log(rt.blockedThreads()[0]?.waitingFor); // "nothing"
 * ```
 */
export function parkOn(thread: Thread, blocker: Blocker): StepResult {
  thread._waitingOn = blocker;
  return STEP_BLOCK;
}
