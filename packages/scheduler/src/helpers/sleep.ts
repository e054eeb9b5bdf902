import { SchedulerError } from "../errors.js";
import { requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";
import { HostTimer, requireAsync } from "./host-timer.js";

class SleepWait implements Blocker {
  timer: HostTimer | undefined;
  constructor(readonly ms: number) {}

  describeWait(): string {
    return `sleep(${this.ms} ms)`;
  }

  cancelWait(): void {
    this.timer?.disarm();
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
  requireAsync(self, "sleep()");
  return sleepFor(self, ms);
}

function* sleepFor(self: Thread, ms: number): Generator<Park, void, unknown> {
  const w = new SleepWait(ms);
  w.timer = new HostTimer(self.runtime, ms, () => wake(self));
  self._waitingOn = w;
  yield PARK;
}
