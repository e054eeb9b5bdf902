/**
 * The loop: the book's Runtime::run, and its async twin's time slices.
 *
 * Until no thread can run: ask the policy for a thread (pick), make it the
 * current thread, step it once through its driver, and look at what happened:
 *   - it yielded  -> it is ready again (scheduler.onYield)
 *   - anything else (it blocked, returned or threw) -> Runtime._afterStep
 * A driver may run several threads in one step (STEP_TURNS, see
 * turn-taking.ts): it gets how many more switches the loop may make, and the
 * loop counts the switches it made, so limits and the slice clock hold.
 *
 * This is the hot path, and it allocates nothing: no objects or closures per
 * switch, no Map lookups; policies keep ready threads in rings, bitsets or
 * heaps of preallocated arrays. It has no try/finally and no state check
 * either, as both cost measurably per switch: a driver refuses a thread that
 * is not ready, and if a policy throws, the run is over.
 *
 * runSlice() is the same loop for runAsync(): it also watches the clock and
 * returns when the slice is over, so the host's event loop gets a turn. It
 * reads the clock after a switch, so every slice makes progress, and about 16
 * times a slice whatever a step costs (the interval between reads adapts).
 */
import { processWide } from "./process-wide.js";
import type { Runtime } from "./runtime.js";
import { STEP_TURNS } from "./thread-driver.js";

/** Why a loop returned: nothing is ready. */
export const LOOP_IDLE = 0;
/** Why a loop returned: `limit` switches were made. */
export const LOOP_STOP = 1;
/** Why a loop returned: the time slice is over (runSlice only). */
export const LOOP_SLICE = 2;

/** Milliseconds, as precise as the host gives them. */
export const now: () => number =
  typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/** Run until nothing is ready (LOOP_IDLE) or `limit` switches were made (LOOP_STOP). */
export function runLoop(rt: Runtime, limit: number): number {
  const s = rt._sched;
  const register = processWide;
  let n = 0;
  while (n < limit) {
    const t = s.pick();
    if (t === undefined) {
      rt._switches += n;
      return LOOP_IDLE;
    }
    // A running thread keeps _state READY: "running" is `current === t`.
    register.current = t;
    n++;
    const r = t._driver.step(t, limit - n);
    if (r === 0)
      s.onYield(t); // STEP_YIELD
    else if (r === STEP_TURNS) n += takeTurns(rt);
    else rt._afterStep(t, r);
  }
  rt._switches += n;
  return LOOP_STOP;
}

/** runLoop(), and LOOP_SLICE once the clock passes `deadline`. */
export function runSlice(rt: Runtime, deadline: number, sliceMs: number, limit: number): number {
  const s = rt._sched;
  const register = processWide;
  const clock = rt._clock;
  let n = 0;
  let countdown = clock.every;
  rt._deadline = deadline;
  try {
    while (n < limit) {
      const t = s.pick();
      if (t === undefined) return LOOP_IDLE;
      register.current = t;
      n++;
      // Turns inside a step stop where the loop would look at the clock.
      const r = t._driver.step(t, Math.min(limit - n, countdown - 1));
      if (r === 0)
        s.onYield(t); // STEP_YIELD
      else if (r === STEP_TURNS) {
        const k = takeTurns(rt);
        n += k;
        countdown -= k;
      } else rt._afterStep(t, r);
      if (--countdown === 0) {
        const t0 = now();
        if (t0 >= deadline) return LOOP_SLICE;
        const spent = t0 - clock.last;
        clock.last = t0;
        if (spent * 16 < sliceMs) {
          if (clock.every < 4096) clock.every <<= 1;
        } else if (clock.every > 1) {
          clock.every >>= 1;
        }
        countdown = clock.every;
      }
    }
    return LOOP_STOP;
  } finally {
    rt._switches += n;
  }
}

/** The switches a step made in turns (turnsTaken), to add to the loop's count. */
function takeTurns(rt: Runtime): number {
  const k = rt._turns;
  rt._turns = 0;
  return k;
}

/** How often runSlice() reads the clock: every `every` switches; `last` is the last reading. */
export interface SliceClock {
  every: number;
  last: number;
}
