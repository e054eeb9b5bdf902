/*
 * A host timer that the runtime waits for. While one is armed, runAsync()
 * does not call blocked threads a deadlock: the timer will wake one of them.
 * sleep(), the timeout of withTimeout()/withDeadline() and select()'s timeout
 * case all arm one. Timers need the host's event loop, so a positive finite
 * wait is refused under run(); a wait of 0 (or a deadline already past) arms
 * nothing and works anywhere.
 */
import { SchedulerError } from "../errors.js";
import type { Runtime } from "../runtime.js";
import type { Thread } from "../thread.js";

/** @internal The longest delay setTimeout takes; longer waits re-arm. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** @internal A setTimeout counted in the runtime's pending work until it fires or is disarmed. */
export class HostTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly runtime: Runtime,
    ms: number,
    onFire: () => void,
  ) {
    runtime._pending++;
    this.handle = setTimeout(() => {
      this.handle = undefined;
      runtime._pending--;
      onFire();
    }, ms);
  }

  /** True until it fires or is disarmed. */
  get armed(): boolean {
    return this.handle !== undefined;
  }

  /** Stop it if it has not fired; safe to call more than once. */
  disarm(): void {
    if (this.handle === undefined) return;
    clearTimeout(this.handle);
    this.handle = undefined;
    this.runtime._pending--;
  }
}

/**
 * @internal Check a wait in milliseconds given to `what`: a number >= 0
 * (Infinity: no limit). A positive finite wait needs runAsync().
 */
export function checkWaitMs(self: Thread, ms: unknown, what: string): number {
  if (typeof ms !== "number" || !(ms >= 0)) {
    throw new SchedulerError(`${what}: ms must be a number >= 0, got ${String(ms)}`, {
      code: "BAD_ARGUMENT",
      thread: self,
    });
  }
  if (ms > 0 && ms !== Number.POSITIVE_INFINITY) requireAsync(self, what);
  return ms;
}

/** @internal `what` arms a host timer: refuse it under run(). */
export function requireAsync(self: Thread, what: string): void {
  if (!self.runtime._async) {
    throw new SchedulerError(
      `${what} needs rt.runAsync(): under rt.run() the event loop never gets a turn, so no timer can fire`,
      { code: "NEEDS_RUN_ASYNC", thread: self },
    );
  }
}
