/**
 * The series of the peer comparison: what the report, the chart and the
 * benchmark call each library, and how its tasks take a turn. One list, so
 * the three never disagree.
 */

/** One library, or one way of writing threads with it. */
export interface SeriesInfo {
  label: string;
  /** How a turn is written, for the report's notes. */
  idiom: string;
  /** Ours, the floor (raw generators), or what users would pick instead. */
  kind: "ours" | "floor" | "peer";
}

export const SERIES = {
  "greenthreads-shared": {
    label: "greenthreads, shared function*",
    idiom: "`rt.spawn(idle)` with one `function* idle() { for (;;) yield; }`; `rt.run()`",
    kind: "ours",
  },
  "greenthreads-closure": {
    label: "greenthreads, closure per thread",
    idiom:
      "`rt.spawn(function* () { for (;;) yield; })` inside the loop: a fresh closure per thread",
    kind: "ours",
  },
  "raw-next-shared": {
    label: "raw generators, shared, g.next()",
    idiom: "a loop calling `gens[i].next()` over started generators of one `function*`",
    kind: "floor",
  },
  "raw-direct-shared": {
    label: "raw generators, shared, direct next",
    idiom:
      "the same loop calling the generator prototype's own `next` directly (`GeneratorNext.call(g)`)",
    kind: "floor",
  },
  "raw-next-closure": {
    label: "raw generators, closures, g.next()",
    idiom: "a loop calling `gens[i].next()` over generators of fresh closures",
    kind: "floor",
  },
  "raw-direct-closure": {
    label: "raw generators, closures, direct next",
    idiom: "the same loop over closures' generators calling the prototype's `next` directly",
    kind: "floor",
  },
  "async-await": {
    label: "async/await",
    idiom: "`async function` tasks; a turn is `await null` (queued behind every other task)",
    kind: "peer",
  },
  co: {
    label: "co 4.6.0",
    idiom: "`co(function* () { … })` tasks; a turn is `yield Promise.resolve()`",
    kind: "peer",
  },
  effection: {
    label: "effection 4.1.1",
    idiom:
      "operations `spawn()`ed in one `run()`; a turn takes a token from a `createQueue()` and adds it to the next task's",
    kind: "peer",
  },
  "js-csp": {
    label: "js-csp 1.0.1",
    idiom:
      "`go()` processes in a ring of channels; a turn is `yield take(inbox)` then `yield put(next, token)`",
    kind: "peer",
  },
  "redux-saga": {
    label: "redux-saga 1.5.1",
    idiom:
      "sagas `fork()`ed by `runSaga()` in a ring of `channel()`s; a turn is `yield take(inbox)` then `yield put(next, token)`",
    kind: "peer",
  },
} as const satisfies Record<string, SeriesInfo>;

export type SeriesId = keyof typeof SERIES;

/** Series id → label, for tables and the chart. */
export const SERIES_LABELS: ReadonlyMap<string, string> = new Map(
  Object.entries(SERIES).map(([id, s]) => [id, s.label]),
);
