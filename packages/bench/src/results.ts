/**
 * The result file: every row every benchmark wrote in one run, with what the
 * figures depend on (Node version, CPU, load), so figures are never read
 * without the conditions they were measured under.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { BenchRow } from "../../isa/bench/bench-json.js";

export type { BenchRow, Spread } from "../../isa/bench/bench-json.js";

/** Where and how a run was measured. */
export interface RunInfo {
  node: string;
  cpu: string;
  cores: number;
  date: string;
  mode: "full" | "quick";
  /** One-minute load average when the run started and when it ended. */
  load: { start: number; end: number };
  /** Wall-clock seconds the whole run took. */
  seconds: number;
}

/** What bench-results/results.json holds. */
export interface Results {
  run: RunInfo;
  rows: BenchRow[];
}

/** Parses the JSON lines the benchmarks appended; a malformed line is an error that names it. */
export function parseRows(text: string, file = "rows"): BenchRow[] {
  const rows: BenchRow[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: BenchRow;
    try {
      row = JSON.parse(line) as BenchRow;
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    for (const key of ["name", "unit", "group"] as const) {
      if (typeof row[key] !== "string")
        throw new Error(`${file}:${i + 1}: "${key}" must be a string`);
    }
    if (typeof row.value !== "number")
      throw new Error(`${file}:${i + 1}: "value" must be a number`);
    rows.push(row);
  });
  return rows;
}

/** The run's conditions, as seen from this process. */
export function runInfo(mode: RunInfo["mode"], startLoad: number, seconds: number): RunInfo {
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    date: new Date().toISOString(),
    mode,
    load: { start: startLoad, end: loadavg()[0]! },
    seconds,
  };
}

/** Reads a results.json. */
export function readResults(file: string): Results {
  return JSON.parse(readFileSync(file, "utf8")) as Results;
}
