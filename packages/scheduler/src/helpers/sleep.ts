import { SchedulerError } from "../errors.js";
import { type Runtime, requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

class SleepWait implements Blocker {
  timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly runtime: Runtime,
    readonly ms: number,
  ) {}

  describeWait(): string {
    return `sleep(${this.ms} ms)`;
  }

  cancelWait(): void {
    clearTimeout(this.timer);
    this.runtime._pending--;
  }
}

/**
 * `yield* sleep(ms)`: block this thread for at least `ms` milliseconds of host
 * time while the others run. Needs `runAsync()`: under `run()` it throws.
 *
 * @example
 * ```ts
 * import { Runtime, sleep } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const log: string[] = [];
 * rt.spawn(function* () {
 *   yield* sleep(20);
 *   log.push("slept");
 * });
 * rt.spawn(function* () {
 *   log.push("ran meanwhile");
 * });
 * await rt.runAsync();
 * console.log(log); // ["ran meanwhile", "slept"]
 * ```
 */
export function sleep(ms: number): Generator<Park, void, unknown> {
  const self = requireThread("sleep(ms)");
  if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
    throw new SchedulerError(`sleep(ms): ms must be a finite number >= 0, got ${String(ms)}`, {
      code: "BAD_ARGUMENT",
      thread: self,
    });
  }
  if (!self.runtime._async) {
    throw new SchedulerError(
      "sleep() needs rt.runAsync(): under rt.run() the event loop never gets a turn, so no timer can fire",
      { code: "NEEDS_RUN_ASYNC", thread: self },
    );
  }
  return sleepFor(self, ms);
}

function* sleepFor(self: Thread, ms: number): Generator<Park, void, unknown> {
  const rt = self.runtime;
  const w = new SleepWait(rt, ms);
  rt._pending++;
  w.timer = setTimeout(() => {
    rt._pending--;
    wake(self);
  }, ms);
  self._waitingOn = w;
  yield PARK;
}
