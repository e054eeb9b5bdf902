/**
 * `async`/`await`: n async functions, each turn an `await null`, which queues
 * the task behind every other runnable task on the microtask queue, the
 * closest thing to `yield` the language has.
 */
import { SERIES } from "../../src/series.js";
import { Gate, type Peer } from "./turn-taking.js";

async function task(gate: Gate): Promise<never> {
  for (;;) {
    if (gate.left > 0) {
      gate.left--;
      await null;
    } else {
      await gate.park();
    }
    gate.turns++;
  }
}

export const asyncAwait: Peer = {
  id: "async-await",
  ...SERIES["async-await"],
  async create(n) {
    const gate = new Gate(n);
    for (let i = 0; i < n; i++) void task(gate);
    await gate.started();
    return gate;
  },
};
