/**
 * The floor: started generators in an array, resumed round robin by a plain
 * loop, with no scheduler at all. Two drivers: the ordinary `g.next()`, and
 * the generator prototype's own `next` taken once and called directly, which
 * skips the property lookup that goes megamorphic once generators come from
 * thousands of different closures (each closure has its own prototype, so its
 * generators have their own hidden class). Two bodies, as for our threads.
 */
import { SERIES } from "../../src/series.js";
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

export const rawNextShared: Peer = {
  id: "raw-next-shared",
  ...SERIES["raw-next-shared"],
  create: (n) => byNext(started(n, idle)),
};

export const rawDirectShared: Peer = {
  id: "raw-direct-shared",
  ...SERIES["raw-direct-shared"],
  create: (n) => byDirectCall(started(n, idle)),
};

export const rawNextClosure: Peer = {
  id: "raw-next-closure",
  ...SERIES["raw-next-closure"],
  create: (n) => byNext(started(n, freshClosure)),
};

export const rawDirectClosure: Peer = {
  id: "raw-direct-closure",
  ...SERIES["raw-direct-closure"],
  create: (n) => byDirectCall(started(n, freshClosure)),
};
