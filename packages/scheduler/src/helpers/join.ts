import { SchedulerError } from "../errors.js";
import { requireThread } from "../runtime.js";
import { DONE, PARK, type Park, Thread } from "../thread.js";

/**
 * `const v = yield* join(thread)`: wait until `thread` is done; give its
 * returned value, or rethrow what it threw (a ThreadCancelledError if it was
 * cancelled). A failure seen through join() is not reported again by run().
 *
 * @example
 * ```ts
 * import { join, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const main = rt.spawn(function* () {
 *   const parts = [1, 2, 3].map((n) =>
 *     rt.spawn(function* () {
 *       yield;
 *       return n * n;
 *     }),
 *   );
 *   let total = 0;
 *   for (const p of parts) total += yield* join(p);
 *   return total;
 * });
 * rt.run();
 * console.log(main.result); // 14
 * ```
 */
export function join<T>(target: Thread<T>): Generator<Park, T, unknown> {
  const self = requireThread("join(thread)");
  if (!(target instanceof Thread)) {
    throw new SchedulerError(
      `join() needs a Thread handle from spawn(), got ${target === null ? "null" : typeof target}`,
      { code: "BAD_ARGUMENT", thread: self },
    );
  }
  if (target.runtime !== self.runtime) {
    throw new SchedulerError(
      `join(): ${target.label} belongs to another runtime; a thread can only join threads of its own runtime`,
      { code: "FOREIGN_THREAD", thread: self },
    );
  }
  if (target === (self as Thread)) {
    throw new SchedulerError("join(): a thread cannot join itself (it would wait forever)", {
      code: "SELF_JOIN",
      thread: self,
    });
  }
  return joinThread(self, target);
}

function* joinThread<T>(self: Thread, target: Thread<T>): Generator<Park, T, unknown> {
  if (target._state === DONE) return target.result;
  if (target._extra === null) target._extra = { name: undefined, joiners: null };
  const extra = target._extra;
  if (extra.joiners === null) extra.joiners = [];
  extra.joiners.push(self);
  self._waitingOn = target;
  return (yield PARK) as T;
}
