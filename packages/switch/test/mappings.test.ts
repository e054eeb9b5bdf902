/**
 * The native allocator and the process's mappings: it refuses stacks while
 * a margin of vm.max_map_count is left for Node, and threads dropped
 * without release give their mappings back. Each case runs
 * test/fixtures/mappings-child.ts in a process of its own.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { loadAddon } from "../src/native/addon.js";
import { testWhen } from "./native-test.js";
import { TYPESCRIPT_CHILD_FLAGS } from "./typescript-child.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const withMaps = testWhen(
  !("error" in loadAddon()) && existsSync("/proc/sys/vm/max_map_count"),
  "native addon not built or no /proc/sys/vm/max_map_count",
);

function child(mode: string, flags: string[] = []): Record<string, unknown> {
  const result = spawnSync(
    process.execPath,
    [...flags, ...TYPESCRIPT_CHILD_FLAGS, "test/fixtures/mappings-child.ts", mode],
    { cwd: root, encoding: "utf8", timeout: 240_000 },
  );
  expect(result.signal).toBe(null);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

withMaps(
  "near vm.max_map_count the allocator refuses stacks with a clear error, spawn is a SwitchError, and JavaScript still allocates",
  () => {
    const report = child("limit") as {
      allocated: number;
      refusal: { name: string; code: string; message: string };
      spawnError: { name: string; code: string; message: string };
      mappings: { maxMapCount: number; budget: number; ours: number; total: number };
      js: boolean;
      traps: string[];
    };
    const { maxMapCount, budget, ours, total } = report.mappings;
    // A quarter of the limit stays for the rest of the process, and the allocator stopped right at its budget.
    expect(maxMapCount - budget).toBe(Math.floor(maxMapCount / 4));
    expect(total).toBeLessThanOrEqual(budget);
    expect(total + 2).toBeGreaterThan(budget);
    expect(ours).toBe(2 * report.allocated + 1);
    expect(report.refusal).toMatchObject({ name: "StackError", code: "MAP_FAILED" });
    expect(report.refusal.message).toContain(`vm.max_map_count is ${maxMapCount}`);
    expect(report.spawnError).toMatchObject({ name: "SwitchError", code: "OUT_OF_MEMORY" });
    expect(report.spawnError.message).toMatch(/leaves the last \d+ for Node/);
    expect(report.js).toBe(true);
    expect(report.traps).toEqual(["yield", "exit"]);
  },
  240_000,
);

withMaps(
  "10,000 suspended threads dropped without release give back their mappings and slots after garbage collection",
  () => {
    const report = child("dropped", ["--expose-gc"]) as {
      before: number;
      live: number;
      after: number;
      oursBefore: number;
      oursLive: number;
      oursAfter: number;
      nextId: number;
    };
    // Two mappings per stack while they live.
    expect(report.oursLive - report.oursBefore).toBe(20_000);
    expect(report.live - report.before).toBeGreaterThanOrEqual(20_000);
    // All of them back (V8 may have mapped a few pages of its own meanwhile).
    expect(report.oursAfter).toBe(report.oursBefore);
    expect(report.after - report.before).toBeLessThan(1000);
    expect(report.nextId).toBeLessThan(10_000);
  },
  240_000,
);
