/**
 * js-csp: CSP processes (`go`) passing a token around a ring of unbuffered
 * channels (`yield put(ch, v)`, `yield take(ch)`), the library's ping-pong.
 */
import csp from "js-csp";
import { SERIES } from "../../src/series.js";
import { type Peer, Ring } from "./turn-taking.js";

export const jsCsp: Peer = {
  id: "js-csp",
  ...SERIES["js-csp"],
  async create(n) {
    const chans = Array.from({ length: n }, () => csp.chan());
    const ring = new Ring(n, (to, left) => csp.putAsync(chans[to]!, left));
    for (let i = 0; i < n; i++) {
      csp.go(function* () {
        for (;;) {
          const left = (yield csp.take(chans[i]!)) as number;
          const to = ring.turn(i, left);
          if (to >= 0) yield csp.put(chans[to]!, left - 1);
        }
      });
    }
    // Let every process reach its first take.
    await new Promise((resolve) => setImmediate(resolve));
    return ring;
  },
};
