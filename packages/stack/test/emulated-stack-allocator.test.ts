import { IsaError, memory } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  EmulatedStackAllocator,
  inGuard,
  type Stack,
  StackError,
  stackContains,
} from "../src/index.js";
import { emulatedState } from "./allocator-state.js";

const { Memory, MemoryFault, PAGE_SIZE } = memory;

const BASE = 0x100000n;
const LIMIT = 0x140000n; // 256 KiB

function setup(options: { guardSize?: number; minimumSize?: number; maximumSize?: number } = {}) {
  const memory = new Memory();
  const stacks = new EmulatedStackAllocator({ memory, base: BASE, limit: LIMIT, ...options });
  return { memory, stacks };
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

describe("EmulatedStackAllocator layout", () => {
  test("a stack is page aligned, mapped rw, with a no-access guard directly below", () => {
    const { memory, stacks } = setup({ guardSize: 2 * PAGE_SIZE });
    const stack = stacks.allocate(4 * PAGE_SIZE);
    expect(stack.low % BigInt(PAGE_SIZE)).toBe(0n);
    expect(stack.high - stack.low).toBe(BigInt(stack.size));
    expect(stack.size).toBe(4 * PAGE_SIZE);
    expect(stack.guardSize).toBe(2 * PAGE_SIZE);
    expect(stack.low).toBe(BASE + 2n * BigInt(PAGE_SIZE));
    expect(stack.memory).toBe(memory);
    for (let a = stack.low; a < stack.high; a += BigInt(PAGE_SIZE)) {
      expect(memory.permission(a)).toBe("rw");
    }
    expect(memory.permission(stack.low - 1n)).toBe("");
    expect(memory.permission(stack.low - 2n * BigInt(PAGE_SIZE))).toBe("");
    expect(memory.permission(stack.low - 2n * BigInt(PAGE_SIZE) - 1n)).toBeUndefined();
    expect(memory.permission(stack.high)).toBeUndefined();
    expect(memory.mappedPages).toBe(6);
    expect(Object.isFrozen(stack)).toBe(true);
  });

  test("writing just below low faults in the guard with the faulting address", () => {
    const { memory, stacks } = setup();
    const stack = stacks.allocate(2 * PAGE_SIZE);
    memory.write64(stack.low, 1n); // the lowest usable word is fine
    memory.write64(stack.high - 8n, 2n);
    let fault: unknown;
    try {
      memory.write64(stack.low - 8n, 3n);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(MemoryFault);
    const f = fault as memory.MemoryFault;
    expect(f.access).toBe("write");
    expect(f.address).toBe(stack.low - 8n);
    expect(inGuard(stack, f.address)).toBe(true);
    expect(stackContains(stack, f.address)).toBe(false);
    expect(() => memory.read64(stack.low - 1n)).toThrow(MemoryFault);
  });

  test("stacks sit side by side, each guard separating it from the stack below", () => {
    const { memory, stacks } = setup();
    const a = stacks.allocate(PAGE_SIZE);
    const b = stacks.allocate(PAGE_SIZE);
    expect(b.low - BigInt(b.guardSize)).toBe(a.high);
    memory.write64(a.high - 8n, 0x1111n);
    // An overflow of b faults before reaching a.
    expect(() => memory.write64(b.low - 8n, 0n)).toThrow(MemoryFault);
    expect(memory.read64(a.high - 8n)).toBe(0x1111n);
  });

  test("without guards, stacks are adjacent and nothing is mapped below them", () => {
    const { memory, stacks } = setup({ guardSize: 0 });
    const a = stacks.allocate(PAGE_SIZE);
    expect(a.low).toBe(BASE);
    expect(a.guardSize).toBe(0);
    expect(memory.mappedPages).toBe(1);
  });

  test("release unmaps the stack and its guard and merges the free ranges", () => {
    const { memory, stacks } = setup();
    const a = stacks.allocate(PAGE_SIZE);
    const b = stacks.allocate(2 * PAGE_SIZE);
    const c = stacks.allocate(PAGE_SIZE);
    expect(memory.mappedPages).toBe(7);
    stacks.release(b);
    expect(memory.mappedPages).toBe(4);
    expect(memory.permission(b.low)).toBeUndefined();
    expect(memory.permission(b.low - 1n)).toBeUndefined();
    expect(stacks.freeRanges()).toEqual([
      { start: a.high, end: c.low - BigInt(PAGE_SIZE) },
      { start: c.high, end: LIMIT },
    ]);
    stacks.release(a);
    expect(stacks.freeRanges()).toEqual([
      { start: BASE, end: c.low - BigInt(PAGE_SIZE) },
      { start: c.high, end: LIMIT },
    ]);
    stacks.release(c);
    expect(stacks.freeRanges()).toEqual([{ start: BASE, end: LIMIT }]);
    expect(stacks.freeBytes).toBe(Number(LIMIT - BASE));
    expect(memory.mappedPages).toBe(0);
  });

  test("released space is reused first fit, and a reused stack is zeroed", () => {
    const { memory, stacks } = setup();
    const a = stacks.allocate(2 * PAGE_SIZE);
    stacks.allocate(PAGE_SIZE);
    memory.write64(a.high - 8n, 99n);
    stacks.release(a);
    const small = stacks.allocate(PAGE_SIZE);
    expect(small.low).toBe(a.low);
    expect(memory.read64(small.high - 8n)).toBe(0n);
  });

  test("stats count allocations, releases, live and peak", () => {
    const { stacks } = setup();
    const a = stacks.allocate(PAGE_SIZE);
    const b = stacks.allocate(3 * PAGE_SIZE);
    stacks.release(a);
    const c = stacks.allocate(2 * PAGE_SIZE);
    expect(stacks.stats()).toEqual({
      allocated: 3,
      released: 1,
      live: 2,
      peak: 2,
      liveBytes: 5 * PAGE_SIZE,
      peakBytes: 5 * PAGE_SIZE,
    });
    expect(stacks.owns(b)).toBe(true);
    expect(stacks.owns(a)).toBe(false);
    stacks.release(b);
    stacks.release(c);
    expect(stacks.stats().live).toBe(0);
    expect(stacks.stats().liveBytes).toBe(0);
  });

  test("the maximum defaults to the range less one guard, and that stack fits exactly", () => {
    const { stacks } = setup();
    expect(stacks.maximumSize).toBe(Number(LIMIT - BASE) - PAGE_SIZE);
    const all = stacks.allocate(stacks.maximumSize);
    expect(all.high).toBe(LIMIT);
    expect(stacks.freeRanges()).toEqual([]);
  });
});

describe("EmulatedStackAllocator errors leave state unchanged", () => {
  const badSizes: [unknown, string][] = [
    [0, "ZERO_SIZE"],
    [-PAGE_SIZE, "NEGATIVE_SIZE"],
    [1.5, "NOT_INTEGER"],
    [Number.NaN, "NOT_INTEGER"],
    [Number.POSITIVE_INFINITY, "NOT_INTEGER"],
    [4096n, "NOT_INTEGER"],
    ["4096", "NOT_INTEGER"],
    [PAGE_SIZE, "BELOW_MINIMUM"],
    [Number(LIMIT - BASE), "ABOVE_MAXIMUM"],
    [3 * PAGE_SIZE + 100, "NOT_PAGE_MULTIPLE"],
  ];
  for (const [size, code] of badSizes) {
    test(`allocate(${String(size)}) → ${code}`, () => {
      const { stacks } = setup({ minimumSize: 2 * PAGE_SIZE });
      stacks.allocate(2 * PAGE_SIZE);
      const before = emulatedState(stacks);
      const e = caught(() => stacks.allocate(size as number));
      expect(e.code).toBe(code);
      expect(e.message).toContain("EmulatedStackAllocator.allocate");
      expect(emulatedState(stacks)).toEqual(before);
    });
  }

  test("the page-multiple message suggests the next page multiple", () => {
    const { stacks } = setup();
    expect(caught(() => stacks.allocate(5000)).message).toContain("ask for 8192 instead");
  });

  test("releasing twice → DOUBLE_RELEASE", () => {
    const { stacks } = setup();
    const a = stacks.allocate(PAGE_SIZE);
    stacks.allocate(PAGE_SIZE);
    stacks.release(a);
    const before = emulatedState(stacks);
    const e = caught(() => stacks.release(a));
    expect(e.code).toBe("DOUBLE_RELEASE");
    expect(e.message).toContain("already released");
    expect(emulatedState(stacks)).toEqual(before);
  });

  test("a stack of another allocator → FOREIGN_STACK", () => {
    const { stacks } = setup();
    const other = setup().stacks;
    const mine = stacks.allocate(PAGE_SIZE);
    const theirs = other.allocate(PAGE_SIZE);
    const before = emulatedState(stacks);
    const e = caught(() => stacks.release(theirs));
    expect(e.code).toBe("FOREIGN_STACK");
    expect(e.message).toContain("did not allocate this stack");
    expect(emulatedState(stacks)).toEqual(before);
    expect(stacks.owns(mine)).toBe(true);
    expect(other.owns(theirs)).toBe(true);
  });

  test("something that is not a stack → FOREIGN_STACK", () => {
    const { stacks } = setup();
    stacks.allocate(PAGE_SIZE);
    const before = emulatedState(stacks);
    for (const value of [null, undefined, 42, {}]) {
      const e = caught(() => stacks.release(value as unknown as Stack));
      expect(e.code).toBe("FOREIGN_STACK");
    }
    expect(caught(() => stacks.release(null as unknown as Stack)).message).toContain(
      "a null value, not a Stack",
    );
    expect(emulatedState(stacks)).toEqual(before);
  });

  test("a copy of a live stack → FOREIGN_STACK that says so", () => {
    const { stacks } = setup();
    const a = stacks.allocate(PAGE_SIZE);
    const before = emulatedState(stacks);
    const e = caught(() => stacks.release({ ...a }));
    expect(e.code).toBe("FOREIGN_STACK");
    expect(e.message).toContain("copy");
    expect(emulatedState(stacks)).toEqual(before);
  });

  test("no free range large enough → OUT_OF_ADDRESS_SPACE", () => {
    const { stacks } = setup();
    const held = [];
    // 256 KiB: 16 stacks of 3 pages + 1 guard = 64 pages.
    for (let i = 0; i < 16; i++) held.push(stacks.allocate(3 * PAGE_SIZE));
    expect(stacks.freeBytes).toBe(0);
    stacks.release(held[3]!);
    stacks.release(held[9]!);
    const before = emulatedState(stacks);
    // 8 pages are free in total, but in two holes of 4.
    const e = caught(() => stacks.allocate(4 * PAGE_SIZE));
    expect(e.code).toBe("OUT_OF_ADDRESS_SPACE");
    expect(e.message).toMatch(/2 ranges/);
    expect(emulatedState(stacks)).toEqual(before);
    // What fits a hole still works.
    expect(stacks.allocate(3 * PAGE_SIZE).low).toBe(held[3]!.low);
  });

  test("pages mapped by someone else in the range → MAP_FAILED, guard rolled back", () => {
    const { memory, stacks } = setup();
    // Someone maps the page where the first stack's usable region would go.
    memory.map(BASE + BigInt(PAGE_SIZE), PAGE_SIZE, "r");
    const before = emulatedState(stacks);
    const e = caught(() => stacks.allocate(PAGE_SIZE));
    expect(e.code).toBe("MAP_FAILED");
    expect(e.cause).toBeInstanceOf(IsaError);
    expect(emulatedState(stacks)).toEqual(before);
    expect(memory.permission(BASE)).toBeUndefined(); // the guard was unmapped again
  });

  const badOptions: [string, Record<string, unknown>][] = [
    ["unaligned base", { base: BASE + 1n }],
    ["limit below base", { base: LIMIT, limit: BASE }],
    ["number addresses", { base: 0x100000 }],
    ["guard not a page multiple", { guardSize: 100 }],
    ["negative guard", { guardSize: -PAGE_SIZE }],
    ["minimum above maximum", { minimumSize: 4 * PAGE_SIZE, maximumSize: 2 * PAGE_SIZE }],
    ["maximum larger than the range", { maximumSize: Number(LIMIT - BASE) }],
    ["zero minimum", { minimumSize: 0 }],
    ["range too small for a page and a guard", { limit: BASE + BigInt(PAGE_SIZE) }],
  ];
  for (const [name, options] of badOptions) {
    test(`constructor: ${name} → BAD_OPTIONS`, () => {
      const e = caught(
        () =>
          new EmulatedStackAllocator({
            memory: new Memory(),
            base: BASE,
            limit: LIMIT,
            ...options,
          }),
      );
      expect(e.code).toBe("BAD_OPTIONS");
      expect(e.message).toContain("new EmulatedStackAllocator");
    });
  }
});
