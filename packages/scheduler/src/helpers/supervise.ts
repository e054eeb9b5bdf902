/*
 * Supervised operations: stopping a green operation from outside, at the
 * point where it waits, with the same guarantees as cancelling its thread.
 *
 * A timeout and a failing child of a scope both need to end an operation
 * that is not theirs: a `recv` parked on a channel, a body that joins its
 * children. Thread cancellation already does this right (each helper's
 * `finally` gives back what it was handed and withdraws what it offered), but
 * it ends the whole thread. supervise() runs an operation inside the current
 * thread the way `yield*` would, forwarding every yield, resume value and
 * throw, and looks at its Supervisor whenever the operation is suspended. Once
 * the supervisor is interrupted it cancels the operation where it stands
 * (`return()`, so its `finally` blocks run, and may still yield or block) and
 * returns INTERRUPTED instead of a value; the caller throws its own error
 * (TimeoutError) or carries on (a scope rethrows its child's error).
 *
 * interrupt() takes a thread that is blocked off its Blocker (cancelWait, as
 * cancellation does) and wakes it; a thread that is ready or running sees the
 * flag when it next resumes or yields. Nothing here is on the runtime's hot
 * path: only threads inside a supervised operation pay for the forwarding.
 */
import { generatorNext, generatorReturn, generatorThrow } from "../generator-methods.js";
import { wake } from "../runtime.js";
import { BLOCKED, PARK, type Thread } from "../thread.js";

/** @internal What supervise() returns when its operation was interrupted. */
export const INTERRUPTED: unique symbol = Symbol("interrupted");

/** @internal The switch that stops a supervised operation of `thread`. */
export class Supervisor {
  interrupted = false;

  constructor(readonly thread: Thread) {}

  /** Stop the operation: now if the thread is blocked, else when it next resumes or yields. */
  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    const t = this.thread;
    if (t._state === BLOCKED) {
      t._waitingOn?.cancelWait(t);
      wake(t, INTERRUPTED);
    }
  }
}

/**
 * @internal Run `op` in `sup.thread` as `yield* op` would, until it ends or
 * `sup` is interrupted (then `op` is cancelled and INTERRUPTED returned).
 * `onPark` is called each time `op` is about to park, before the runtime sees it.
 */
export function* supervise<R>(
  sup: Supervisor,
  op: Generator<unknown, R, unknown>,
  onPark?: () => void,
): Generator<unknown, R | typeof INTERRUPTED, unknown> {
  let finished = false;
  try {
    let r = generatorNext.call(op) as IteratorResult<unknown, R>;
    for (;;) {
      if (r.done === true) {
        finished = true;
        return r.value;
      }
      if (r.value === PARK && onPark !== undefined) onPark();
      if (sup.interrupted) {
        // The runtime has not seen this park yet: undo the registration.
        if (r.value === PARK) {
          const t = sup.thread;
          const b = t._waitingOn;
          t._waitingOn = null;
          b?.cancelWait(t);
        }
        return INTERRUPTED;
      }
      let v: unknown;
      try {
        v = yield r.value;
      } catch (e) {
        if (sup.interrupted) return INTERRUPTED;
        r = generatorThrow.call(op, e) as IteratorResult<unknown, R>;
        continue;
      }
      if (sup.interrupted) return INTERRUPTED;
      r = generatorNext.call(op, v) as IteratorResult<unknown, R>;
    }
  } finally {
    // Interrupted, or the thread itself is cancelled or thrown into here:
    // cancel the operation, letting its finally blocks yield and block.
    if (!finished) {
      let r = generatorReturn.call(op, undefined) as IteratorResult<unknown, R>;
      while (r.done !== true) {
        try {
          r = generatorNext.call(op, yield r.value) as IteratorResult<unknown, R>;
        } catch (e) {
          r = generatorThrow.call(op, e) as IteratorResult<unknown, R>;
        }
      }
    }
  }
}
