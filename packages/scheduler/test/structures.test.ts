import { expect, test } from "vitest";
import { ThreadHeap } from "../src/heap.js";
import { LaneQueue } from "../src/lane-queue.js";
import { IdOrderedReady } from "../src/policies/id-ordered.js";
import { Priority } from "../src/policies/priority.js";
import { Stride } from "../src/policies/stride.js";
import { Xoshiro128 } from "../src/prng.js";
import { Ring } from "../src/ring.js";
import type { Scheduler, SpawnOptions } from "../src/scheduler.js";
import type { Thread } from "../src/thread.js";

const fake = (id: number) => ({ id }) as Thread;

test("IdOrderedReady (Fenwick tree) agrees with a sorted array", () => {
  const rng = new Xoshiro128(3);
  const set = new IdOrderedReady();
  const model: Thread[] = [];
  const all = Array.from({ length: 300 }, (_, i) => fake(i + 1));
  for (let step = 0; step < 20_000; step++) {
    if (model.length > 0 && rng.nextInt(2) === 0) {
      const i = rng.nextInt(model.length);
      expect(set.removeAt(i)).toBe(model[i]);
      model.splice(i, 1);
    } else {
      const t = all[rng.nextInt(all.length)]!;
      if (model.includes(t)) {
        expect(set.indexOf(t)).toBe(model.indexOf(t));
        continue;
      }
      expect(set.indexOf(t)).toBe(-1);
      set.insert(t);
      model.push(t);
      model.sort((a, b) => a.id - b.id);
    }
    expect(set.size).toBe(model.length);
  }
  expect(set.threads).toEqual(model);
});

test("ThreadHeap pops by key, then by push order", () => {
  const rng = new Xoshiro128(4);
  const heap = new ThreadHeap();
  // The model: a list kept sorted by key, ties in push order (a new entry goes
  // after every entry whose key is not larger).
  const model: { t: Thread; key: number }[] = [];
  for (let step = 0; step < 20_000; step++) {
    if (model.length > 0 && rng.nextInt(3) === 0) {
      const top = model.shift()!;
      expect(heap.peekKey()).toBe(top.key);
      expect(heap.pop()).toBe(top.t);
    } else {
      const t = fake(step);
      const key = rng.nextInt(20);
      heap.push(t, key);
      let at = model.length;
      while (at > 0 && model[at - 1]!.key > key) at--;
      model.splice(at, 0, { t, key });
    }
    expect(heap.size).toBe(model.length);
  }
  for (const m of model) expect(heap.pop()).toBe(m.t);
  expect(heap.pop()).toBeUndefined();
  expect(heap.peekKey()).toBe(Number.POSITIVE_INFINITY);
});

test("Ring is a FIFO that grows and removes in order", () => {
  const ring = new Ring<number>(2);
  const model: number[] = [];
  const rng = new Xoshiro128(5);
  for (let i = 0; i < 5000; i++) {
    const op = rng.nextInt(5);
    if (op < 2) {
      ring.push(i);
      model.push(i);
    } else if (op === 2) {
      expect(ring.shift()).toBe(model.shift());
    } else if (op === 3 && model.length > 0) {
      const k = rng.nextInt(model.length);
      expect(ring.at(k)).toBe(model[k]);
      expect(ring.indexOf(model[k]!)).toBe(k);
      expect(ring.removeAt(k)).toBe(model.splice(k, 1)[0]);
    } else if (model.length > 0) {
      const v = model[rng.nextInt(model.length)]!;
      expect(ring.remove(v)).toBe(true);
      model.splice(model.indexOf(v), 1);
    }
    expect(ring.size).toBe(model.length);
    expect(ring.peek()).toBe(model[0]);
  }
  expect(ring.toArray()).toEqual(model);
  expect(ring.remove(-1)).toBe(false);
});

test("ThreadHeap takes sequence numbers from the caller", () => {
  const heap = new ThreadHeap();
  const [a, b, c] = [fake(1), fake(2), fake(3)];
  heap.push(a, 5, 10);
  heap.push(b, 5, 2);
  heap.push(c, 4, 30);
  expect(heap.peekSeq()).toBe(30);
  expect([heap.pop(), heap.pop(), heap.pop()]).toEqual([c, b, a]);
  expect(heap.peekSeq()).toBe(Number.POSITIVE_INFINITY);
});

test.each([3, 200])(
  "LaneQueue pops by key, then by push order, whatever the lanes (%i lanes)",
  (n) => {
    // 3 lanes keep to lanes and overflow; 200 lanes of few threads switch lanes off and on
    const rng = new Xoshiro128(6 + n);
    const q = new LaneQueue();
    const lanes = Array.from({ length: n }, () => q.addLane());
    const lastKey = lanes.map(() => 0);
    let model: { t: Thread; key: number; seq: number }[] = [];
    let seq = 0;
    for (let step = 0; step < 20_000; step++) {
      if (model.length > 0 && rng.nextInt(3) === 0) {
        model.sort((a, b) => a.key - b.key || a.seq - b.seq);
        expect(q.pop()).toBe(model.shift()!.t);
      } else {
        const t = fake(step);
        const l = rng.nextInt(lanes.length);
        q.join(lanes[l]!);
        // mostly in key order within a lane (the fast path), sometimes below it (overflow)
        const key = rng.nextInt(8) === 0 ? rng.nextInt(50) : lastKey[l]! + rng.nextInt(4);
        lastKey[l] = Math.max(lastKey[l]!, key);
        q.push(t, lanes[l]!, key);
        model.push({ t, key, seq: seq++ });
      }
      expect(q.size).toBe(model.length);
      if (step % 5000 === 4999) {
        // every lane given back as its threads leave, and new ones taken
        const lanesBefore = q.laneCount;
        while (q.size > 0) q.pop();
        model = [];
        for (let i = 0; i < n; i++) {
          let released = false;
          while (!released) released = q.leave(lanes[i]!);
          lanes[i] = q.addLane();
          lastKey[i] = 0;
        }
        expect(q.laneCount).toBe(lanesBefore);
      }
    }
    model.sort((a, b) => a.key - b.key || a.seq - b.seq);
    for (const m of model) expect(q.pop()).toBe(m.t);
    expect(q.pop()).toBeUndefined();
  },
);

/** A ready set as a plain array searched for its minimum: the specification of both queues. */
class ModelQueue {
  private items: { t: Thread; key: number; seq: number }[] = [];
  private seq = 0;
  push(t: Thread, key: number): void {
    this.items.push({ t, key, seq: this.seq++ });
  }
  pop(): Thread | undefined {
    if (this.items.length === 0) return undefined;
    let best = 0;
    this.items.forEach((x, i) => {
      const b = this.items[best]!;
      if (x.key < b.key || (x.key === b.key && x.seq < b.seq)) best = i;
    });
    return this.items.splice(best, 1)[0]!.t;
  }
}

/** Priority as specified: key clock - priority * aging, one queue for all. */
class ModelPriority implements Scheduler {
  readonly name = "model-priority";
  private q = new ModelQueue();
  private clock = 0;
  constructor(private readonly aging: number) {}
  onSpawn(t: Thread, o: SpawnOptions | undefined): void {
    t.sched = o?.priority ?? 0;
    this.onYield(t);
  }
  onYield(t: Thread): void {
    const p = t.sched as number;
    this.q.push(t, Number.isFinite(this.aging) ? this.clock - p * this.aging : -p);
  }
  onWake(t: Thread): void {
    this.onYield(t);
  }
  onBlock(): void {}
  onExit(): void {}
  pick(): Thread | undefined {
    const t = this.q.pop();
    if (t) this.clock++;
    return t;
  }
}

/** Stride as specified: pass += 2^20 / tickets, wakes start at the global pass. */
class ModelStride implements Scheduler {
  readonly name = "model-stride";
  private q = new ModelQueue();
  private global = 0;
  onSpawn(t: Thread, o: SpawnOptions | undefined): void {
    t.sched = { pass: this.global, stride: (1 << 20) / (o?.tickets ?? 100) };
    this.onYield(t);
  }
  onYield(t: Thread): void {
    this.q.push(t, (t.sched as { pass: number }).pass);
  }
  onWake(t: Thread): void {
    const st = t.sched as { pass: number };
    if (st.pass < this.global) st.pass = this.global;
    this.onYield(t);
  }
  onBlock(): void {}
  onExit(): void {}
  pick(): Thread | undefined {
    const t = this.q.pop();
    if (!t) return undefined;
    const st = t.sched as { pass: number; stride: number };
    this.global = st.pass;
    st.pass += st.stride;
    return t;
  }
}

/**
 * Drives a policy and its model with the same random stream of spawns, picks,
 * yields, blocks, wakes (also from the running thread) and exits, and checks
 * that they pick the same thread every time.
 */
function differential(
  make: () => [Scheduler, Scheduler],
  options: (rng: Xoshiro128) => SpawnOptions,
  seed: number,
): void {
  const rng = new Xoshiro128(seed);
  const [policy, model] = make();
  const threads: [Thread, Thread][] = [];
  const blocked: number[] = [];
  let ready = 0;
  let picks = 0;
  const spawn = () => {
    const id = threads.length;
    const pair: [Thread, Thread] = [fake(id), fake(id)];
    threads.push(pair);
    const o = options(rng);
    policy.onSpawn(pair[0], o);
    model.onSpawn(pair[1], o);
    ready++;
  };
  const wake = () => {
    if (blocked.length === 0) return;
    const id = blocked.splice(rng.nextInt(blocked.length), 1)[0]!;
    policy.onWake(threads[id]![0]);
    model.onWake(threads[id]![1]);
    ready++;
  };
  for (let i = 0; i < 5; i++) spawn();
  for (let step = 0; step < 4000; step++) {
    const op = rng.nextInt(20);
    if (op === 0 && threads.length < 400) spawn();
    else if (op === 1) wake();
    if (ready === 0) {
      if (blocked.length === 0) spawn();
      else wake();
    }
    const a = policy.pick()!;
    const b = model.pick()!;
    picks++;
    expect(a.id).toBe(b.id);
    ready--;
    // while it runs, it may wake or spawn others
    const during = rng.nextInt(10);
    if (during === 0) wake();
    else if (during === 1 && threads.length < 400) spawn();
    const after = rng.nextInt(30);
    if (after === 0) {
      policy.onExit(a);
      model.onExit(b);
    } else if (after < 4) {
      policy.onBlock(a);
      model.onBlock(b);
      blocked.push(a.id);
    } else {
      policy.onYield(a);
      model.onYield(b);
      ready++;
    }
  }
  expect(picks).toBe(4000);
}

test.each([1, 2, 3])("Priority picks what its specification picks (seed %i)", (seed) => {
  [1, 7, 100, 2.5, Number.POSITIVE_INFINITY].forEach((aging, i) => {
    differential(
      () => [new Priority({ aging }), new ModelPriority(aging)],
      (rng) => ({
        // few distinct priorities, then many (lanes switched off and on again)
        priority: rng.nextInt(2) === 0 ? rng.nextInt(4) : rng.nextInt(40 * seed ** 3) / 3 - 4,
      }),
      seed * 10 + i,
    );
  });
});

test.each([1, 2, 3])("Stride picks what its specification picks (seed %i)", (seed) => {
  differential(
    () => [new Stride(), new ModelStride()],
    (rng) => ({
      tickets: rng.nextInt(2) === 0 ? 100 * (1 + rng.nextInt(4)) : 1 + rng.nextInt(700),
    }),
    seed,
  );
});
