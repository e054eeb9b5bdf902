import { memory } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  checkAllocatorContract,
  EmulatedStackAllocator,
  PoolingAllocator,
  type Stack,
  type StackAllocator,
  type StackAllocatorStats,
} from "../src/index.js";

const { Memory, PAGE_SIZE } = memory;

const BASE = 0x100000n;
const LIMIT = 0x200000n;

function emulated(
  options: { guardSize?: number; minimumSize?: number; maximumSize?: number } = {},
) {
  return new EmulatedStackAllocator({ memory: new Memory(), base: BASE, limit: LIMIT, ...options });
}

describe("the allocators of this package keep the contract", () => {
  test("EmulatedStackAllocator with default options", () => {
    const stacks = emulated();
    expect(checkAllocatorContract(stacks)).toEqual([]);
    expect(stacks.stats().live).toBe(0);
    expect(stacks.stats().allocated).toBeGreaterThan(0);
    expect(stacks.freeRanges()).toEqual([{ start: BASE, end: LIMIT }]);
  });

  test("EmulatedStackAllocator without guards, with a larger minimum", () => {
    expect(checkAllocatorContract(emulated({ guardSize: 0, minimumSize: 4 * PAGE_SIZE }))).toEqual(
      [],
    );
  });

  test("EmulatedStackAllocator with two-page guards", () => {
    expect(checkAllocatorContract(emulated({ guardSize: 2 * PAGE_SIZE }))).toEqual([]);
  });

  test("PoolingAllocator (its cache holds address space, so the maximum leaves room)", () => {
    const pool = new PoolingAllocator(emulated({ maximumSize: 64 * PAGE_SIZE }));
    expect(checkAllocatorContract(pool)).toEqual([]);
    expect(pool.stats().live).toBe(0);
  });

  test("a pool without its maximum check may fill its inner allocator's range", () => {
    const pool = new PoolingAllocator(emulated());
    expect(checkAllocatorContract(pool, { checkMaximum: false })).toEqual([]);
    // With the whole range as maximum, cached stacks leave no room for it.
    expect(checkAllocatorContract(pool).some((p) => p.includes("maximumSize"))).toBe(true);
  });
});

/** A deliberately careless allocator over a correct one, to see the check catch it. */
class Careless implements StackAllocator {
  readonly pageSize: number;
  readonly minimumSize: number;
  readonly maximumSize: number;
  readonly guardSize: number;
  readonly #inner: EmulatedStackAllocator;
  readonly #flaw: "no-size-checks" | "silent-double-release" | "unfrozen";

  constructor(inner: EmulatedStackAllocator, flaw: Careless["flaw"]) {
    this.#inner = inner;
    this.#flaw = flaw;
    this.pageSize = inner.pageSize;
    this.minimumSize = inner.minimumSize;
    this.maximumSize = inner.maximumSize;
    this.guardSize = inner.guardSize;
  }

  get flaw() {
    return this.#flaw;
  }

  allocate(size: number): Stack {
    if (this.#flaw === "no-size-checks" && size === 0) {
      return this.#inner.allocate(this.minimumSize);
    }
    const stack = this.#inner.allocate(size);
    return this.#flaw === "unfrozen" ? ({ ...stack } as Stack) : stack;
  }

  release(stack: Stack): void {
    if (this.#flaw === "silent-double-release" && !this.#inner.owns(stack)) return;
    if (this.#flaw === "unfrozen") return;
    this.#inner.release(stack);
  }

  owns(stack: Stack): boolean {
    return this.#flaw === "unfrozen" ? true : this.#inner.owns(stack);
  }

  stats(): StackAllocatorStats {
    return this.#inner.stats();
  }
}

describe("the check catches broken allocators", () => {
  test("an allocator that accepts size 0", () => {
    const problems = checkAllocatorContract(new Careless(emulated(), "no-size-checks"));
    expect(problems.some((p) => p.startsWith("allocate(0): must throw StackError ZERO_SIZE"))).toBe(
      true,
    );
  });

  test("an allocator that ignores a second release (and a copy)", () => {
    const problems = checkAllocatorContract(new Careless(emulated(), "silent-double-release"));
    expect(problems).toContain(
      "releasing a stack twice: must throw StackError DOUBLE_RELEASE, but returned",
    );
    expect(problems).toContain(
      "releasing a copy of a live stack: must throw StackError FOREIGN_STACK, but returned",
    );
  });

  test("an allocator whose stacks are not frozen and never released", () => {
    const problems = checkAllocatorContract(new Careless(emulated(), "unfrozen"));
    expect(problems).toContain(`allocate(${PAGE_SIZE}): the returned stack must be frozen`);
    expect(problems).toContain("live must end where it started");
  });
});
