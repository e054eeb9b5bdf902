/**
 * effection: tasks spawned in one scope, passing a token around a ring of
 * effection queues (`queue.add()` to send, `yield* queue.next()` to wait).
 */

import { createQueue, type Queue, run, spawn, suspend } from "effection";
import { SERIES } from "../../src/series.js";
import { type Peer, Ring } from "./turn-taking.js";

export const effectionPeer: Peer = {
  id: "effection",
  ...SERIES.effection,
  async create(n) {
    const inboxes: Queue<number, never>[] = [];
    for (let i = 0; i < n; i++) inboxes.push(createQueue<number, never>());
    const ring = new Ring(n, (to, left) => inboxes[to]!.add(left));
    let ready!: () => void;
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    void run(function* () {
      for (let i = 0; i < n; i++) {
        yield* spawn(function* () {
          const inbox = inboxes[i]!;
          for (;;) {
            const left = (yield* inbox.next()).value as number;
            const to = ring.turn(i, left);
            if (to >= 0) inboxes[to]!.add(left - 1);
          }
        });
      }
      ready();
      yield* suspend();
    });
    await started;
    return ring;
  },
};
