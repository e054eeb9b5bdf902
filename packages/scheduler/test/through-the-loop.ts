/**
 * A policy with its upcoming picks hidden, so every switch goes through the
 * run loop: the baseline that turn-taking is compared with, in the tests
 * and in the machine-thread benchmark.
 */
import type { Scheduler } from "../src/index.js";

/** `inner` without `upcoming` and `advance`: machine threads never take turns under it. */
export function throughTheLoop(inner: Scheduler): Scheduler {
  return {
    name: inner.name,
    onSpawn: (t, o) => inner.onSpawn(t, o),
    onYield: (t) => inner.onYield(t),
    onBlock: (t) => inner.onBlock(t),
    onWake: (t) => inner.onWake(t),
    onExit: (t) => inner.onExit(t),
    pick: () => inner.pick(),
  };
}
