import { expect, test } from "vitest";
import { splitMix64, Xoshiro128 } from "../src/index.js";

// Reference values from the authors' C code (xoshiro128starstar.c, splitmix64.c),
// compiled with gcc and printed.
test("SplitMix64 matches the reference", () => {
  const a = splitMix64(0n);
  expect([a(), a(), a()]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  const b = splitMix64(42n);
  expect([b(), b(), b()]).toEqual([0xbdd732262feb6e95n, 0x28efe333b266f103n, 0x47526757130f9f52n]);
});

test("xoshiro128** matches the reference from state (1, 2, 3, 4)", () => {
  const r = Xoshiro128.fromState(1, 2, 3, 4);
  const out = Array.from({ length: 6 }, () => r.nextUint32());
  expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

test("seeding goes through SplitMix64", () => {
  const r = new Xoshiro128(7);
  const out = Array.from({ length: 6 }, () => r.nextUint32());
  expect(out).toEqual([1801096769, 1554325924, 2992800842, 3588980540, 2077056966, 1036808551]);
  expect(new Xoshiro128(7n).nextUint32()).toBe(1801096769);
});

test("nextInt is in range and roughly uniform", () => {
  const r = new Xoshiro128(1);
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < 50_000; i++) counts[r.nextInt(5)]!++;
  for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  for (let i = 0; i < 1000; i++) {
    const f = r.nextFloat();
    expect(f >= 0 && f < 1).toBe(true);
  }
});
