import { memory } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  EmulatedStackAllocator,
  PoolingAllocator,
  type PoolingAllocatorOptions,
  type Stack,
  StackError,
} from "../src/index.js";
import { poolState } from "./allocator-state.js";

const { Memory, PAGE_SIZE } = memory;

const BASE = 0x100000n;
const LIMIT = 0x900000n; // 8 MiB

function setup(options: PoolingAllocatorOptions = {}, inner: { maximumSize?: number } = {}) {
  const memory = new Memory();
  const stacks = new EmulatedStackAllocator({ memory, base: BASE, limit: LIMIT, ...inner });
  const pool = new PoolingAllocator(stacks, options);
  return { memory, stacks, pool };
}

function caught(fn: () => unknown): StackError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StackError) return e;
    throw e;
  }
  throw new Error("expected a StackError, nothing was thrown");
}

describe("PoolingAllocator size classes", () => {
  test("sizes round up to the minimum times a power of two", () => {
    const { pool } = setup();
    expect(pool.classSize(PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(pool.classSize(2 * PAGE_SIZE)).toBe(2 * PAGE_SIZE);
    expect(pool.classSize(3 * PAGE_SIZE)).toBe(4 * PAGE_SIZE);
    expect(pool.classSize(5 * PAGE_SIZE)).toBe(8 * PAGE_SIZE);
    expect(pool.classSize(pool.maxClassSize)).toBe(pool.maxClassSize);
    // Above the largest class: exact size, not cached.
    expect(pool.classSize(pool.maxClassSize + PAGE_SIZE)).toBe(pool.maxClassSize + PAGE_SIZE);
  });

  test("the default largest class is the largest power-of-two class the inner maximum admits", () => {
    const { pool, stacks } = setup();
    expect(pool.maxClassSize).toBeLessThanOrEqual(stacks.maximumSize);
    expect(pool.maxClassSize * 2).toBeGreaterThan(stacks.maximumSize);
    expect(Number.isInteger(Math.log2(pool.maxClassSize / PAGE_SIZE))).toBe(true);
  });

  test("an allocated stack has its class size and the inner allocator's layout", () => {
    const { pool, stacks, memory } = setup();
    const s = pool.allocate(3 * PAGE_SIZE);
    expect(s.size).toBe(4 * PAGE_SIZE);
    expect(s.high - s.low).toBe(BigInt(4 * PAGE_SIZE));
    expect(s.guardSize).toBe(stacks.guardSize);
    expect(s.memory).toBe(memory);
    expect(memory.permission(s.low - 1n)).toBe("");
    expect(stacks.stats().liveBytes).toBe(4 * PAGE_SIZE);
  });
});

describe("PoolingAllocator reuse and counters", () => {
  test("a released stack is reused for the next request of its class", () => {
    const { pool, stacks } = setup();
    const a = pool.allocate(4 * PAGE_SIZE);
    pool.release(a);
    expect(stacks.stats().live).toBe(1); // kept, not returned
    const b = pool.allocate(3 * PAGE_SIZE); // same class
    expect(b.low).toBe(a.low);
    expect(b).not.toBe(a); // a fresh handle
    expect(stacks.stats().allocated).toBe(1);
    const c = pool.allocate(8 * PAGE_SIZE); // another class: new inner stack
    expect(c.low).not.toBe(a.low);
    expect(pool.stats()).toEqual({
      allocated: 3,
      released: 1,
      live: 2,
      peak: 2,
      liveBytes: 12 * PAGE_SIZE,
      peakBytes: 12 * PAGE_SIZE,
      reused: 1,
      cached: 0,
      cachedBytes: 0,
      returned: 0,
    });
  });

  test("reuse is last in, first out (the warmest stack first)", () => {
    const { pool } = setup();
    const a = pool.allocate(PAGE_SIZE);
    const b = pool.allocate(PAGE_SIZE);
    pool.release(a);
    pool.release(b);
    expect(pool.allocate(PAGE_SIZE).low).toBe(b.low);
    expect(pool.allocate(PAGE_SIZE).low).toBe(a.low);
  });

  test("counters over a churn of 100 threads of mixed sizes", () => {
    const { pool, stacks } = setup();
    const live: Stack[] = [];
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      live.push(pool.allocate(((i % 3) + 1) * PAGE_SIZE));
      peak = Math.max(peak, live.length);
      if (i % 4 === 3) {
        pool.release(live.shift()!);
        pool.release(live.shift()!);
      }
    }
    const s = pool.stats();
    expect(s.allocated).toBe(100);
    expect(s.released).toBe(50);
    expect(s.live).toBe(live.length);
    expect(s.peak).toBe(peak);
    expect(s.liveBytes).toBe(live.reduce((n, x) => n + x.size, 0));
    // Every allocation is either reused or fresh from the inner allocator.
    expect(stacks.stats().allocated).toBe(s.allocated - s.reused);
    expect(s.reused).toBeGreaterThan(0);
    // Inner live stacks are the pool's live plus cached ones.
    expect(stacks.stats().live).toBe(s.live + s.cached);
    for (const x of live) pool.release(x);
    expect(pool.stats().live).toBe(0);
  });

  test("maxCachedPerClass caps each class; the rest go back to the inner allocator", () => {
    const { pool, stacks } = setup({ maxCachedPerClass: 2 });
    const held = [pool.allocate(PAGE_SIZE), pool.allocate(PAGE_SIZE), pool.allocate(PAGE_SIZE)];
    for (const s of held) pool.release(s);
    expect(pool.stats().cached).toBe(2);
    expect(pool.stats().returned).toBe(1);
    expect(stacks.stats().live).toBe(2);
  });

  test("maxCachedBytes caps the cache over all classes", () => {
    const { pool, stacks } = setup({ maxCachedBytes: 5 * PAGE_SIZE });
    const big = pool.allocate(4 * PAGE_SIZE);
    const small = pool.allocate(2 * PAGE_SIZE);
    const tiny = pool.allocate(PAGE_SIZE);
    pool.release(big); // 4 pages cached
    pool.release(small); // 6 > 5: returned
    pool.release(tiny); // 5 pages cached
    expect(pool.stats()).toMatchObject({ cached: 2, cachedBytes: 5 * PAGE_SIZE, returned: 1 });
    expect(stacks.stats().liveBytes).toBe(5 * PAGE_SIZE);
  });

  test("maxCachedPerClass 0 turns caching off", () => {
    const { pool, stacks } = setup({ maxCachedPerClass: 0 });
    pool.release(pool.allocate(PAGE_SIZE));
    expect(pool.stats().cached).toBe(0);
    expect(stacks.stats().live).toBe(0);
  });

  test("stacks above the largest class are exact and never cached", () => {
    const { pool, stacks } = setup({ maxClassSize: 4 * PAGE_SIZE });
    const large = pool.allocate(6 * PAGE_SIZE);
    expect(large.size).toBe(6 * PAGE_SIZE);
    pool.release(large);
    expect(pool.stats().cached).toBe(0);
    expect(stacks.stats().live).toBe(0);
    pool.allocate(6 * PAGE_SIZE);
    expect(pool.stats().reused).toBe(0);
  });

  test("drain gives every cached stack back to the inner allocator", () => {
    const { pool, stacks, memory } = setup();
    const held = [pool.allocate(PAGE_SIZE), pool.allocate(2 * PAGE_SIZE), pool.allocate(PAGE_SIZE)];
    const kept = pool.allocate(PAGE_SIZE);
    for (const s of held) pool.release(s);
    expect(pool.drain()).toBe(3);
    expect(pool.stats()).toMatchObject({ cached: 0, cachedBytes: 0, returned: 3, live: 1 });
    expect(stacks.stats().live).toBe(1);
    expect(memory.permission(held[1]!.low)).toBeUndefined();
    expect(stacks.owns(kept)).toBe(false); // the handle is the pool's, not the inner's
    expect(pool.owns(kept)).toBe(true);
    expect(pool.drain()).toBe(0);
  });
});

describe("PoolingAllocator errors leave state unchanged", () => {
  const badSizes: [unknown, string][] = [
    [0, "ZERO_SIZE"],
    [-1, "NEGATIVE_SIZE"],
    [0.5, "NOT_INTEGER"],
    [100, "BELOW_MINIMUM"],
    [Number(LIMIT - BASE) * 2, "ABOVE_MAXIMUM"],
    [PAGE_SIZE + 8, "NOT_PAGE_MULTIPLE"],
  ];
  for (const [size, code] of badSizes) {
    test(`allocate(${String(size)}) → ${code}`, () => {
      const { pool, stacks } = setup();
      pool.release(pool.allocate(PAGE_SIZE));
      pool.allocate(2 * PAGE_SIZE);
      const before = poolState(pool, stacks);
      const e = caught(() => pool.allocate(size as number));
      expect(e.code).toBe(code);
      expect(e.message).toContain("PoolingAllocator.allocate");
      expect(poolState(pool, stacks)).toEqual(before);
    });
  }

  test("releasing a handle twice → DOUBLE_RELEASE, even after its memory was reused", () => {
    const { pool, stacks } = setup();
    const a = pool.allocate(PAGE_SIZE);
    pool.release(a);
    const b = pool.allocate(PAGE_SIZE); // same memory as a, new handle
    expect(b.low).toBe(a.low);
    const before = poolState(pool, stacks);
    const e = caught(() => pool.release(a));
    expect(e.code).toBe("DOUBLE_RELEASE");
    expect(poolState(pool, stacks)).toEqual(before);
    expect(pool.owns(b)).toBe(true);
  });

  test("something that is not a stack → FOREIGN_STACK", () => {
    const { pool, stacks } = setup();
    const before = poolState(pool, stacks);
    for (const value of [null, "stack", { low: 1n, high: 2n }]) {
      expect(caught(() => pool.release(value as unknown as Stack)).code).toBe("FOREIGN_STACK");
    }
    expect(poolState(pool, stacks)).toEqual(before);
  });

  test("an inner allocator's stack released to the pool → FOREIGN_STACK", () => {
    const { pool, stacks } = setup();
    const direct = stacks.allocate(PAGE_SIZE);
    const before = poolState(pool, stacks);
    const e = caught(() => pool.release(direct));
    expect(e.code).toBe("FOREIGN_STACK");
    expect(e.message).toContain("inner allocator");
    expect(poolState(pool, stacks)).toEqual(before);
  });

  test("the inner allocator running out → its OUT_OF_ADDRESS_SPACE, pool unchanged", () => {
    const memory = new Memory();
    const stacks = new EmulatedStackAllocator({ memory, base: BASE, limit: BASE + 0x8000n });
    const pool = new PoolingAllocator(stacks);
    pool.allocate(2 * PAGE_SIZE); // 3 pages of 8 used
    pool.release(pool.allocate(PAGE_SIZE)); // 2 more pages, cached
    const before = poolState(pool, stacks);
    // 3 pages are free, but 3 pages round up to the 4-page class: 5 pages with the guard.
    const e = caught(() => pool.allocate(3 * PAGE_SIZE));
    expect(e.code).toBe("OUT_OF_ADDRESS_SPACE");
    expect(poolState(pool, stacks)).toEqual(before);
  });

  const badOptions: [string, PoolingAllocatorOptions][] = [
    ["negative per-class cap", { maxCachedPerClass: -1 }],
    ["fractional byte cap", { maxCachedBytes: 1.5 }],
    ["class not a power of two of the minimum", { maxClassSize: 3 * PAGE_SIZE }],
    ["class above the inner maximum", { maxClassSize: 2 ** 30 }],
    ["class below the minimum", { maxClassSize: PAGE_SIZE / 2 }],
  ];
  for (const [name, options] of badOptions) {
    test(`constructor: ${name} → BAD_OPTIONS`, () => {
      const e = caught(() => setup(options));
      expect(e.code).toBe("BAD_OPTIONS");
    });
  }
});
