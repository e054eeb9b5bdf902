/**
 * The current-thread register: which green thread is running now. The
 * runtime's loop writes it before each step; helpers read it to find the
 * thread that called them. It lives in {@link processWide}, so both builds of
 * the package loaded in one process agree on it (see process-wide.ts).
 */
import { SchedulerError } from "./errors.js";
import { processWide } from "./process-wide.js";
import type { Thread } from "./thread.js";

/**
 * The thread that is running now, or null outside any thread.
 *
 * @example
 * ```ts
 * import { currentThread, Runtime } from "@greenthreads/scheduler";
 * // Code called from a thread can find out which one without being passed it.
 * const whoAmI = () => currentThread()?.name ?? "host";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   return whoAmI();
 * }, { name: "worker" });
 * rt.run();
 * console.log(t.result, whoAmI()); // "worker" "host"
 * ```
 */
export function currentThread(): Thread | null {
  return processWide.current as Thread | null;
}

/**
 * The running thread, or a SchedulerError saying that `helper` must be used
 * from inside a thread. Blocking helpers call this before doing anything.
 *
 * @example
 * ```ts
 * import { requireThread, Runtime, type Thread } from "@greenthreads/scheduler";
 * // A helper that only makes sense inside a thread says so when misused.
 * function* yieldTimes(n: number): Generator<undefined, Thread, unknown> {
 *   const self = requireThread("yieldTimes(n)");
 *   for (let i = 0; i < n; i++) yield;
 *   return self;
 * }
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   return (yield* yieldTimes(2)).id;
 * });
 * rt.run();
 * console.log(t.result); // 1
 * try {
 *   yieldTimes(2).next(); // outside any thread
 * } catch (e) {
 *   console.log((e as Error).message); // yieldTimes(n) must be called from inside a thread, ...
 * }
 * ```
 */
export function requireThread(helper: string): Thread {
  const t = processWide.current as Thread | null;
  if (t === null) {
    throw new SchedulerError(
      `${helper} must be called from inside a thread, as \`yield* ${helper}\`; no thread is running`,
      { code: "NOT_IN_THREAD" },
    );
  }
  return t;
}
