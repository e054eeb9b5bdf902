import { loadBackend } from "@greenthreads/switch";
import { expect, test } from "vitest";
import { COUNT_TO, JS_STEPS, preemption, REPORT_EVERY, runBusy } from "../src/preemption.js";

const backends = [loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" })];
const native = loadBackend({ prefer: "native" });
if (native.kind === "native") backends.push(native);

function run(budget: number | undefined, backend = backends[0]) {
  const lines: string[] = [];
  const result = runBusy((l) => lines.push(l), budget, backend);
  const machine = lines.flatMap((l, i) => (l.startsWith("machine:") ? [i] : []));
  const js = lines.flatMap((l, i) => (l.startsWith("js ") ? [i] : []));
  return { lines, result, machine, js };
}

test.each(backends.map((b) => [`${b.kind} ${b.abi.name}`, b] as const))(
  "with a budget, JavaScript threads print while the machine thread is still counting (%s)",
  (_, backend) => {
    const { lines, result, machine, js } = run(8_000, backend);
    expect(result.count).toBe(BigInt(COUNT_TO));
    expect(machine).toHaveLength(COUNT_TO / REPORT_EVERY);
    expect(js).toHaveLength(2 * JS_STEPS);
    // Some JavaScript lines come before the machine thread's first report, and some between
    // its first and its last: the busy loop was preempted more than once.
    expect(js[0]).toBeLessThan(machine[0]!);
    expect(js.some((i) => i > machine[0]! && i < machine.at(-1)!)).toBe(true);
    // The JavaScript threads still take turns with each other.
    expect(lines.filter((l) => l.startsWith("js ")).slice(0, 2)).toEqual([
      "js a: step 1",
      "js b: step 1",
    ]);
  },
);

test("without a budget the machine thread runs to its end before any JavaScript thread", () => {
  const { result, machine, js } = run(undefined);
  expect(result.count).toBe(BigInt(COUNT_TO));
  expect(machine).toHaveLength(COUNT_TO / REPORT_EVERY);
  expect(js).toHaveLength(2 * JS_STEPS);
  expect(machine.at(-1)).toBeLessThan(js[0]!);
  // Preemption shows up as extra switches: one per budget trap.
  expect(run(8_000).result.switches).toBeGreaterThan(result.switches);
});

test("the printed demo shows both runs", () => {
  const lines: string[] = [];
  preemption((l) => lines.push(l), backends[0]);
  expect(lines.filter((l) => l.startsWith("machine thread exited with"))).toHaveLength(2);
  const second = lines.findIndex((l) => l.startsWith("no budget"));
  expect(second).toBeGreaterThan(0);
  // In the second run, the first thread line is the machine thread's.
  expect(lines[second + 1]).toMatch(/^ {2}machine: counted to/);
  expect(lines[1]).toMatch(/^ {2}js a: step 1$/);
});
