/**
 * The floor: started generators in an array, resumed round robin by a plain
 * loop, with no scheduler at all. Two drivers: the ordinary `g.next()`, and
 * the generator prototype's own `next` taken once and called directly, which
 * skips the property lookup that goes megamorphic once generators come from
 * thousands of different closures (each closure has its own prototype, so its
 * generators have their own hidden class). Two bodies, as for our threads.
 */
import { SERIES, type SeriesId } from "../../src/series.js";
import type { Peer, TurnTaking } from "./turn-taking.js";

type Gen = Generator<undefined, void, unknown>;

/** %GeneratorPrototype%.next, the builtin every generator's `.next` resolves to. */
const GeneratorNext = Object.getPrototypeOf(function* () {}).prototype.next as (
  this: Gen,
) => unknown;

function* idle(): Gen {
  for (;;) yield;
}

function freshClosure(): Gen {
  return (function* () {
    for (;;) yield;
  })();
}

// Two loops rather than one loop taking the driver as a function: the call
// site inside the loop (`g.next()` or the direct call) is what is measured,
// and a shared loop would make it one site seen by both drivers.
function byNext(gens: Gen[]): TurnTaking {
  let cursor = 0;
  const n = gens.length;
  return {
    run(turns) {
      let i = cursor;
      for (let k = 0; k < turns; k++) {
        gens[i]!.next();
        if (++i === n) i = 0;
      }
      cursor = i;
      return turns;
    },
  };
}

function byDirectCall(gens: Gen[]): TurnTaking {
  let cursor = 0;
  const n = gens.length;
  return {
    run(turns) {
      let i = cursor;
      for (let k = 0; k < turns; k++) {
        GeneratorNext.call(gens[i]!);
        if (++i === n) i = 0;
      }
      cursor = i;
      return turns;
    },
  };
}

function started(n: number, make: () => Gen): Gen[] {
  const gens: Gen[] = [];
  for (let i = 0; i < n; i++) {
    const g = make();
    g.next();
    gens.push(g);
  }
  return gens;
}

/** One raw-generator peer: a series id, a driver loop and a thread body. */
function rawPeer(id: SeriesId, drive: (gens: Gen[]) => TurnTaking, body: () => Gen): Peer {
  return { id, ...SERIES[id], create: (n) => drive(started(n, body)) };
}

export const rawNextShared = rawPeer("raw-next-shared", byNext, idle);
export const rawDirectShared = rawPeer("raw-direct-shared", byDirectCall, idle);
export const rawNextClosure = rawPeer("raw-next-closure", byNext, freshClosure);
export const rawDirectClosure = rawPeer("raw-direct-closure", byDirectCall, freshClosure);
