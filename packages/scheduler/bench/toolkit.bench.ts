/**
 * Benchmark: the concurrency toolkit next to its async/await equivalent,
 * measured side by side in one process (noisy machines: read the ratios).
 *
 *   pnpm --filter @greenthreads/scheduler bench:toolkit
 *   GREENTHREADS_BENCH_JSON=out.jsonl pnpm --filter @greenthreads/scheduler bench:toolkit
 *
 * Rows:
 *   - select round trip: a client sends on channel `a` and waits for the
 *     reply; a server selects over `a` and `b` and replies. The peer is the
 *     same with promises: the server awaits `Promise.race` of a receive on
 *     each channel (withdrawing the losing receive, so no value is lost).
 *   - scope of 1,000 children: `all()` of 1,000 threads that each yield once
 *     and return, against `Promise.all` of 1,000 async functions that each
 *     `await` once and return.
 *   - switch: a plain `yield` among 100 threads against a raw generator
 *     `.next()` loop, to show the toolkit left the switch alone.
 * Each figure is the fastest of several batches (wall time); the ratio is
 * ours over the peer's. With GREENTHREADS_BENCH_JSON naming a file, one JSON
 * object per row is appended to it: {name, unit, value, peer, ratio}.
 */
import { appendFileSync } from "node:fs";
import { all, Channel, Runtime, recvCase, select } from "@greenthreads/scheduler";

const now = () => performance.now();

/** Fastest of `batches` runs of `f` (ms). */
async function fastest(batches: number, f: () => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < batches; i++) {
    const t0 = now();
    await f();
    best = Math.min(best, now() - t0);
  }
  return best;
}

// ---- select round trip -----------------------------------------------------------

const TRIPS = 20_000;

function selectRoundTrips(): void {
  const rt = new Runtime();
  const a = new Channel<number>(0);
  const b = new Channel<number>(0);
  const reply = new Channel<number>(0);
  rt.spawn(function* () {
    for (let i = 0; i < TRIPS; i++) {
      yield* a.send(i);
      yield* reply.recv();
    }
    a.close();
  });
  rt.spawn(function* () {
    for (;;) {
      const r = yield* select([recvCase(a), recvCase(b)]);
      if (r.done) return;
      yield* reply.send(r.value);
    }
  });
  rt.run();
}

/** A minimal rendezvous channel on promises, with receives that can be withdrawn. */
class AsyncChannel<T> {
  private readonly receivers: ((v: T) => void)[] = [];
  private readonly senders: { value: T; done: () => void }[] = [];

  send(value: T): Promise<void> {
    const r = this.receivers.shift();
    if (r !== undefined) {
      r(value);
      return Promise.resolve();
    }
    return new Promise((done) => this.senders.push({ value, done }));
  }

  /** A pending receive and a function that withdraws it if it has not happened. */
  recv(): { promise: Promise<T>; cancel: () => void } {
    const s = this.senders.shift();
    if (s !== undefined) {
      s.done();
      return { promise: Promise.resolve(s.value), cancel: () => {} };
    }
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => {
      resolve = r;
    });
    this.receivers.push(resolve);
    return {
      promise,
      cancel: () => {
        const i = this.receivers.indexOf(resolve);
        if (i >= 0) this.receivers.splice(i, 1);
      },
    };
  }
}

async function raceRoundTrips(): Promise<void> {
  const a = new AsyncChannel<number>();
  const b = new AsyncChannel<number>();
  const reply = new AsyncChannel<number>();
  const client = (async () => {
    for (let i = 0; i < TRIPS; i++) {
      await a.send(i);
      await reply.recv().promise;
    }
    await a.send(-1);
  })();
  const server = (async () => {
    for (;;) {
      const ra = a.recv();
      const rb = b.recv();
      const v = await Promise.race([ra.promise, rb.promise]);
      ra.cancel();
      rb.cancel();
      if (v < 0) return;
      await reply.send(v);
    }
  })();
  await Promise.all([client, server]);
}

// ---- scope of 1,000 children -------------------------------------------------------

const CHILDREN = 1000;
const childBodies = Array.from(
  { length: CHILDREN },
  (_, i) =>
    function* () {
      yield;
      return i;
    },
);

function scopeOfChildren(): void {
  const rt = new Runtime();
  const t = rt.spawn(function* () {
    return yield* all(childBodies);
  });
  rt.run();
  if ((t.result as number[]).length !== CHILDREN) throw new Error("all() lost a child");
}

const asyncChildren = Array.from({ length: CHILDREN }, (_, i) => async () => {
  await null;
  return i;
});

async function promiseAllOfChildren(): Promise<void> {
  const out = await Promise.all(asyncChildren.map((f) => f()));
  if (out.length !== CHILDREN) throw new Error("Promise.all lost a child");
}

// ---- the plain switch, for reference ---------------------------------------------------

const THREADS = 100;
const SWITCHES = 200_000;

function runtimeSwitches(): void {
  const rt = new Runtime();
  const turns = SWITCHES / THREADS;
  for (let i = 0; i < THREADS; i++) {
    rt.spawn(function* () {
      for (let k = 1; k < turns; k++) yield;
    });
  }
  rt.run();
}

function rawNext(): void {
  const turns = SWITCHES / THREADS;
  const gens = Array.from({ length: THREADS }, () =>
    (function* () {
      for (let k = 1; k < turns; k++) yield;
    })(),
  );
  for (let k = 0; k < turns; k++) for (let i = 0; i < THREADS; i++) gens[i]!.next();
}

// ---- run -------------------------------------------------------------------------------

interface Row {
  name: string;
  unit: string;
  value: number;
  peerName: string;
  peer: number;
}

const rows: Row[] = [];
const rounds = 3; // alternate ours and the peer's, keep the best of each
let sel = Number.POSITIVE_INFINITY;
let rac = Number.POSITIVE_INFINITY;
let sco = Number.POSITIVE_INFINITY;
let pal = Number.POSITIVE_INFINITY;
let sw = Number.POSITIVE_INFINITY;
let raw = Number.POSITIVE_INFINITY;
// The switch first, before other generator shapes reach the runtime's call sites.
for (let r = 0; r < rounds; r++) {
  sw = Math.min(sw, await fastest(10, runtimeSwitches));
  raw = Math.min(raw, await fastest(10, rawNext));
}
for (let r = 0; r < rounds; r++) {
  sel = Math.min(sel, await fastest(5, selectRoundTrips));
  rac = Math.min(rac, await fastest(5, raceRoundTrips));
  sco = Math.min(sco, await fastest(20, scopeOfChildren));
  pal = Math.min(pal, await fastest(20, promiseAllOfChildren));
}
rows.push({
  name: "select round trip",
  unit: "ns",
  value: (sel * 1e6) / TRIPS,
  peerName: "Promise.race",
  peer: (rac * 1e6) / TRIPS,
});
rows.push({
  name: "scope of 1,000 children (all)",
  unit: "us",
  value: sco * 1e3,
  peerName: "Promise.all",
  peer: pal * 1e3,
});
rows.push({
  name: "switch, 100 threads",
  unit: "ns",
  value: (sw * 1e6) / SWITCHES,
  peerName: "raw .next()",
  peer: (raw * 1e6) / SWITCHES,
});

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
console.log("| what                          | ours        | peer                   | ratio |");
console.log("|-------------------------------|-------------|------------------------|-------|");
for (const r of rows) {
  console.log(
    `| ${r.name.padEnd(29)} | ${`${fmt(r.value)} ${r.unit}`.padStart(11)} | ${`${r.peerName} ${fmt(r.peer)} ${r.unit}`.padStart(22)} | ${(r.value / r.peer).toFixed(2).padStart(5)} |`,
  );
}

const out = process.env.GREENTHREADS_BENCH_JSON;
if (out) {
  for (const r of rows) {
    // The peer is a row of its own, so that the report's tables can show it next to ours.
    const peer = {
      name: r.peerName,
      unit: r.unit,
      value: r.peer,
      peer: null,
      ratio: null,
      group: "toolkit",
    };
    const ours = {
      name: r.name,
      unit: r.unit,
      value: r.value,
      peer: r.peerName,
      ratio: r.value / r.peer,
      group: "toolkit",
    };
    appendFileSync(out, `${JSON.stringify(peer)}\n${JSON.stringify(ours)}\n`);
  }
}
