import { expect, test } from "vitest";
import { ThreadHeap } from "../src/heap.js";
import { IdOrderedReady } from "../src/policies/id-ordered.js";
import { Xoshiro128 } from "../src/prng.js";
import { Ring } from "../src/ring.js";
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
  let model: { t: Thread; key: number; seq: number }[] = [];
  let seq = 0;
  for (let step = 0; step < 20_000; step++) {
    if (model.length > 0 && rng.nextInt(3) === 0) {
      model.sort((a, b) => a.key - b.key || a.seq - b.seq);
      const top = model.shift()!;
      expect(heap.peekKey()).toBe(top.key);
      expect(heap.pop()).toBe(top.t);
    } else {
      const t = fake(step);
      const key = rng.nextInt(20);
      heap.push(t, key);
      model.push({ t, key, seq: seq++ });
    }
    expect(heap.size).toBe(model.length);
  }
  model = model.sort((a, b) => a.key - b.key || a.seq - b.seq);
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
