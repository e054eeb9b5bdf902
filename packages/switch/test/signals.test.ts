/**
 * Signal storms while native machine threads run (native/addon/signals_posix.c
 * explains the design). Each test runs test/fixtures/signal-storm-child.ts
 * in a child process, which runs threads at depth 0, half and full stack
 * while test/fixtures/signal-sender.cjs sends it thousands of signals, one
 * at a time (each only after the previous one of its number was delivered,
 * so none coalesce), and checks every thread against the reference machine:
 * yields and registers every round, every stack word every 256 rounds and
 * at the end, and the exit checksum.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { loadAddon } from "../src/native/addon.js";
import { testWhen } from "./native-test.js";
import { TYPESCRIPT_CHILD_FLAGS } from "./typescript-child.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ready = !("error" in loadAddon()) && existsSync("/proc/self/status");
const storm = testWhen(ready, "native addon not built or no /proc");
const COUNT = 4000;

interface Report {
  senderCode: number;
  sent: Record<string, number>;
  received?: Record<string, number>;
  rounds: number;
  mismatches: string[];
  uncoveredAtStart: number[];
  belowSpTouched: number[];
  headroomTouched: number[];
  signalInfo: { uncovered: number[]; frameSize: number; headroom: number };
}

function run(args: string[], nodeFlags: string[] = []): Report {
  const result = spawnSync(
    process.execPath,
    [...nodeFlags, ...TYPESCRIPT_CHILD_FLAGS, "test/fixtures/signal-storm-child.ts", ...args],
    { cwd: root, encoding: "utf8", timeout: 240_000 },
  );
  expect(result.signal).toBe(null);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

function expectIntact(report: Report, signals: string[]): void {
  expect(report.senderCode).toBe(0);
  const each = COUNT / signals.length;
  expect(report.sent).toEqual(Object.fromEntries(signals.map((s) => [s, each])));
  expect(report.mismatches).toEqual([]);
  // Enough rounds that the storm met the threads running (a round is six resumes of ~80,000 instructions).
  expect(report.rounds).toBeGreaterThan(50);
}

storm(
  "a storm of SIGUSR2, SIGCHLD, SIGWINCH and SIGINT with listeners: every thread equals the reference machine, every listener runs once per signal",
  () => {
    const signals = ["SIGUSR2", "SIGCHLD", "SIGWINCH", "SIGINT"];
    const report = run([String(COUNT), signals.join(","), "1"]);
    expectIntact(report, signals);
    // One SIGCHLD more than sent: the sender's own exit.
    expect(report.received).toEqual({ SIGUSR2: 1000, SIGCHLD: 1001, SIGWINCH: 1000, SIGINT: 1000 });
    // Every handler ran on the signal stack: nothing below any program's words changed.
    expect(report.belowSpTouched).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.headroomTouched).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.signalInfo.uncovered).toEqual([]);
  },
  240_000,
);

storm(
  "a storm of SIGCHLD and SIGWINCH without listeners: every thread equals the reference machine",
  () => {
    const signals = ["SIGCHLD", "SIGWINCH"];
    const report = run([String(COUNT), signals.join(","), "0"]);
    expectIntact(report, signals);
    expect(report.uncoveredAtStart).toEqual([]);
    expect(report.belowSpTouched).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.headroomTouched).toEqual([0, 0, 0, 0, 0, 0]);
  },
  240_000,
);

storm(
  "a storm of SIGUSR2 and SIGCHLD with listeners while the threads take turns in the addon: every thread equals the reference machine",
  () => {
    const signals = ["SIGUSR2", "SIGCHLD"];
    const report = run([String(COUNT), signals.join(","), "1", "0", "1"]);
    expectIntact(report, signals);
    expect(report.received).toEqual({ SIGUSR2: 2000, SIGCHLD: 2001 });
    expect(report.belowSpTouched).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.headroomTouched).toEqual([0, 0, 0, 0, 0, 0]);
  },
  240_000,
);

storm(
  "under node --cpu-prof, a storm with listeners: threads equal the reference, listeners run once per signal, and the profile is written",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "gt-cpu-prof-"));
    try {
      const signals = ["SIGUSR2", "SIGCHLD"];
      const report = run(
        [String(COUNT), signals.join(","), "1"],
        ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"],
      );
      expectIntact(report, signals);
      expect(report.received).toEqual({ SIGUSR2: 2000, SIGCHLD: 2001 });
      expect(report.belowSpTouched).toEqual([0, 0, 0, 0, 0, 0]);
      const profiles = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
      expect(profiles.length).toBeGreaterThan(0);
      const samples = profiles.map(
        (f) =>
          (JSON.parse(readFileSync(join(dir, f), "utf8")) as { samples: number[] }).samples.length,
      );
      expect(Math.max(...samples)).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  240_000,
);

storm(
  "a handler nobody covered yet (libuv's SIGCHLD handler, installed anew): its frames stay below each program's words, in the headroom when the stack is full",
  () => {
    const signals = ["SIGCHLD", "SIGWINCH"];
    const report = run([String(COUNT), signals.join(","), "0", "1"]);
    // The scenario happened: SIGCHLD's handler lacked SA_ONSTACK during the storm.
    expect(report.uncoveredAtStart).toContain(17);
    expectIntact(report, signals);
    // Never more than the measured headroom, never beyond it into the guard.
    for (const n of report.headroomTouched)
      expect(n).toBeLessThanOrEqual(report.signalInfo.headroom);
  },
  240_000,
);
