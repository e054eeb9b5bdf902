import { memory } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  EmulatedStackAllocator,
  highWaterMark,
  paint,
  STACK_PAINT_PATTERN,
  StackError,
} from "../src/index.js";

const { Memory, PAGE_SIZE } = memory;

function setup(size = 4 * PAGE_SIZE) {
  const memory = new Memory();
  const stacks = new EmulatedStackAllocator({ memory, base: 0x100000n, limit: 0x200000n });
  return { memory, stack: stacks.allocate(size) };
}

describe("paint", () => {
  test("fills every usable word with the pattern, and nothing outside", () => {
    const { memory, stack } = setup();
    paint(stack);
    for (let a = stack.low; a < stack.high; a += 8n) {
      expect(memory.read64(a)).toBe(STACK_PAINT_PATTERN);
    }
    // The guard below stays zero (peek reads it whatever its permission).
    expect(memory.peek(stack.low - 8n, 8)).toEqual(new Uint8Array(8));
  });

  test("paints stacks larger than one chunk completely", () => {
    const { memory, stack } = setup(40 * PAGE_SIZE); // 160 KiB: three 64 KiB chunks
    paint(stack, 0x0123456789abcdefn);
    expect(memory.read64(stack.low)).toBe(0x0123456789abcdefn);
    expect(memory.read64(stack.low + 0x10000n - 8n)).toBe(0x0123456789abcdefn);
    expect(memory.read64(stack.low + 0x10000n)).toBe(0x0123456789abcdefn);
    expect(memory.read64(stack.high - 8n)).toBe(0x0123456789abcdefn);
    expect(highWaterMark(stack, 0x0123456789abcdefn)).toBe(0);
  });

  test("below keeps the words above it", () => {
    const { memory, stack } = setup();
    memory.write64(stack.high - 8n, 42n);
    paint(stack, STACK_PAINT_PATTERN, { below: stack.high - 8n });
    expect(memory.read64(stack.high - 8n)).toBe(42n);
    expect(memory.read64(stack.high - 16n)).toBe(STACK_PAINT_PATTERN);
    expect(highWaterMark(stack)).toBe(8);
  });

  test("a bad pattern → BAD_PATTERN, a bad bound → BAD_ADDRESS, nothing written", () => {
    const { memory, stack } = setup();
    for (const [run, code] of [
      [() => paint(stack, -1n), "BAD_PATTERN"],
      [() => paint(stack, 2n ** 64n), "BAD_PATTERN"],
      [() => paint(stack, 5 as unknown as bigint), "BAD_PATTERN"],
      [() => paint(stack, 0n, { below: stack.high + 8n }), "BAD_ADDRESS"],
      [() => paint(stack, 0n, { below: stack.low - 8n }), "BAD_ADDRESS"],
      [() => paint(stack, 0n, { below: stack.high - 4n }), "BAD_ADDRESS"],
      [() => highWaterMark(stack, -5n), "BAD_PATTERN"],
    ] as const) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StackError);
      expect((error as StackError).code).toBe(code);
    }
    expect(memory.peek(stack.low, stack.size).every((b) => b === 0)).toBe(true);
  });
});

describe("highWaterMark", () => {
  for (const n of [0, 1, 8, 9, 100, 4095, 4096, 4097, 16383, 16384]) {
    test(`after writing ${n} bytes from the top it is ${Math.ceil(n / 8) * 8}`, () => {
      const { memory, stack } = setup(4 * PAGE_SIZE);
      paint(stack);
      // Write n bytes downward from the top, as pushes would.
      for (let i = 1; i <= n; i++) memory.write8(stack.high - BigInt(i), i & 0x7f);
      expect(highWaterMark(stack)).toBe(Math.ceil(n / 8) * 8);
    });
  }

  test("only the deepest write counts; pattern words above it do not shorten the mark", () => {
    const { memory, stack } = setup();
    paint(stack);
    memory.write64(stack.high - 1000n, 1n);
    // An untouched local between the top and the deepest frame.
    expect(memory.read64(stack.high - 504n)).toBe(STACK_PAINT_PATTERN);
    expect(highWaterMark(stack)).toBe(1000);
  });

  test("the mark never goes down while the thread returns and reuses the top", () => {
    const { memory, stack } = setup();
    paint(stack);
    memory.write64(stack.high - 2048n, 5n);
    memory.write64(stack.high - 8n, 6n);
    expect(highWaterMark(stack)).toBe(2048);
  });

  test("an unpainted stack reports its whole size; pattern 0 fits a fresh stack", () => {
    const { stack } = setup();
    expect(highWaterMark(stack)).toBe(stack.size);
    expect(highWaterMark(stack, 0n)).toBe(0);
  });
});
