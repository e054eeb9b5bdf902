/**
 * Our JavaScript threads under the default RoundRobin policy, in the two
 * shapes real code has: every thread from one shared `function*`, and a fresh
 * closure per thread (`for (const job of jobs) rt.spawn(function* () { … })`),
 * whose generators differ in hidden class from one closure to the next.
 */
import { Runtime } from "@greenthreads/scheduler";
import { SERIES } from "../../src/series.js";
import type { Peer, TurnTaking } from "./turn-taking.js";

function* idle(): Generator<undefined, void, unknown> {
  for (;;) yield;
}

function system(rt: Runtime, n: number): TurnTaking {
  // Start every thread once, so all of them are parked at a yield.
  rt.run({ maxSwitches: n });
  return { run: (turns) => rt.run({ maxSwitches: turns }).switches };
}

export const greenthreadsShared: Peer = {
  id: "greenthreads-shared",
  ...SERIES["greenthreads-shared"],
  create(n) {
    const rt = new Runtime();
    for (let i = 0; i < n; i++) rt.spawn(idle);
    return system(rt, n);
  },
};

export const greenthreadsClosure: Peer = {
  id: "greenthreads-closure",
  ...SERIES["greenthreads-closure"],
  create(n) {
    const rt = new Runtime();
    for (let i = 0; i < n; i++) {
      rt.spawn(function* () {
        for (;;) yield;
      });
    }
    return system(rt, n);
  },
};
