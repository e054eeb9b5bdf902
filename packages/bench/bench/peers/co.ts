/**
 * co: generator functions driven by co, each turn a `yield` of a resolved
 * promise (co accepts only promises, thunks and collections of them).
 */
import co from "co";
import { SERIES } from "../../src/series.js";
import { Gate, type Peer } from "./turn-taking.js";

function* task(gate: Gate): Generator<Promise<unknown>, void, unknown> {
  for (;;) {
    if (gate.left > 0) {
      gate.left--;
      yield Promise.resolve();
    } else {
      yield gate.park();
    }
    gate.turns++;
  }
}

export const coPeer: Peer = {
  id: "co",
  ...SERIES.co,
  async create(n) {
    const gate = new Gate(n);
    for (let i = 0; i < n; i++) void co(task, gate);
    await gate.started();
    return gate;
  },
};
