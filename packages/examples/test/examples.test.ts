import { FIFO, PCT, Random, RoundRobin, Stride } from "@greenthreads/scheduler";
import { expect, test } from "vitest";
import { pipeline } from "../src/pipeline.js";
import { runWith, swapDemo } from "../src/swap.js";

test("swap: one line changes the order, every policy runs every thread to the end", () => {
  expect(runWith(new RoundRobin())).toBe("abc".repeat(6));
  expect(runWith(new FIFO())).toBe("abc".repeat(6));
  // Stride with tickets 1:2:3: c runs three times as often as a while all run.
  const stride = runWith(new Stride());
  expect(stride.slice(0, 6).split("").sort().join("")).toBe("abbccc");
  for (const order of [stride, runWith(new Random({ seed: 1 })), runWith(new PCT({ seed: 1 }))]) {
    expect(order.split("").sort().join("")).toBe(
      `${"a".repeat(6)}${"b".repeat(6)}${"c".repeat(6)}`,
    );
  }
  const lines: string[] = [];
  swapDemo((l) => lines.push(l));
  expect(lines).toHaveLength(6);
  expect(lines[0]).toBe(`round-robin  ${"abc".repeat(6)}`);
  expect(lines[2]).toMatch(/^priority {5}c/);
});

test("pipeline: channels carry every job once, and close ends the stream", () => {
  const { sum, trace } = pipeline(10);
  expect(sum).toBe(385);
  expect(trace).toHaveLength(10);
  const numbers = trace.map((t) => Number(t.split(":")[1]!.split("^")[0])).sort((a, b) => a - b);
  expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // All three workers took part.
  expect(new Set(trace.map((t) => t.slice(0, 2))).size).toBe(3);
  // Same result under other policies.
  expect(pipeline(10, new Random({ seed: 9 })).sum).toBe(385);
  expect(pipeline(25, new Stride()).sum).toBe((25 * 26 * 51) / 6);
});
