import { SchedulerError } from "../errors.js";
import { type Runtime, requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

class PromiseWait implements Blocker {
  cancelled = false;
  constructor(readonly runtime: Runtime) {}

  describeWait(): string {
    return "wait(promise)";
  }

  cancelWait(): void {
    this.cancelled = true;
    this.runtime._pending--;
  }
}

/**
 * `const v = yield* wait(promise)`: park this thread until the promise
 * settles; give its value or throw its rejection. Needs `runAsync()`.
 *
 * @example
 * ```ts
 * import { Runtime, wait } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   const config = yield* wait(Promise.resolve({ retries: 3 }));
 *   return config.retries;
 * });
 * await rt.runAsync();
 * console.log(t.result); // 3
 * ```
 */
export function wait<T>(promise: PromiseLike<T>): Generator<Park, Awaited<T>, unknown> {
  const self = requireThread("wait(promise)");
  if (
    (typeof promise !== "object" && typeof promise !== "function") ||
    promise === null ||
    typeof (promise as { then?: unknown }).then !== "function"
  ) {
    throw new SchedulerError(
      `wait(promise) needs a promise or thenable, got ${promise === null ? "null" : typeof promise}`,
      { code: "BAD_ARGUMENT", thread: self },
    );
  }
  if (!self.runtime._async) {
    throw new SchedulerError(
      "wait() needs rt.runAsync(): under rt.run() the event loop never gets a turn, so no promise can settle",
      { code: "NEEDS_RUN_ASYNC", thread: self },
    );
  }
  return waitFor(self, promise);
}

function* waitFor<T>(self: Thread, promise: PromiseLike<T>): Generator<Park, Awaited<T>, unknown> {
  const rt = self.runtime;
  const w = new PromiseWait(rt);
  rt._pending++;
  Promise.resolve(promise).then(
    (value) => {
      if (w.cancelled) return;
      rt._pending--;
      wake(self, value);
    },
    (error: unknown) => {
      if (w.cancelled) return;
      rt._pending--;
      wake(self, error, true);
    },
  );
  self._waitingOn = w;
  return (yield PARK) as Awaited<T>;
}
