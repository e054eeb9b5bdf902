/**
 * redux-saga: sagas forked from one root with `runSaga`, passing a token
 * around a ring of saga channels (`yield take(ch)`, `ch.put(v)`).
 */

import { type Channel, channel, runSaga } from "redux-saga";
import { all, fork, put, take } from "redux-saga/effects";
import { SERIES } from "../../src/series.js";
import { type Peer, Ring } from "./turn-taking.js";

export const reduxSaga: Peer = {
  id: "redux-saga",
  ...SERIES["redux-saga"],
  async create(n) {
    const chans: Channel<number>[] = [];
    for (let i = 0; i < n; i++) chans.push(channel<number>());
    const ring = new Ring(n, (to, left) => chans[to]!.put(left));
    function* member(i: number): Generator<unknown, void, number> {
      for (;;) {
        const left = yield take(chans[i]!);
        const to = ring.turn(i, left);
        if (to >= 0) yield put(chans[to]!, left - 1);
      }
    }
    function* root(): Generator<unknown, void, unknown> {
      yield all(chans.map((_, i) => fork(member, i)));
    }
    runSaga({}, root);
    await new Promise((resolve) => setImmediate(resolve));
    return ring;
  },
};
