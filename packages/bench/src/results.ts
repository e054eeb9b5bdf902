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

/** The group of rows that name none. */
export const UNGROUPED = "other figures";

/**
 * Parses the JSON lines the benchmarks appended. A line that is not JSON, or
 * lacks a name, unit or numeric value, is an error that names it. A row that
 * leaves out the rest of the format is completed, with a warning through
 * `warn`: no group puts it under UNGROUPED, no spread makes its value the
 * whole spread, a peer given as a number becomes text naming that figure
 * (after `peerName`, when the row has one).
 */
export function parseRows(
  text: string,
  file = "rows",
  warn: (message: string) => void = () => {},
): BenchRow[] {
  const rows: BenchRow[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${file}:${i + 1}`;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${where}: not JSON (${(e as Error).message})`);
    }
    for (const key of ["name", "unit"] as const) {
      if (typeof raw[key] !== "string") throw new Error(`${where}: "${key}" must be a string`);
    }
    if (typeof raw.value !== "number") throw new Error(`${where}: "value" must be a number`);
    const row = raw as unknown as BenchRow;
    const missing: string[] = [];
    if (typeof row.group !== "string") {
      missing.push("group");
      row.group = UNGROUPED;
    }
    if (typeof row.spread !== "object" || row.spread === null) {
      missing.push("spread");
      row.spread = { min: row.value, median: row.value, max: row.value };
    }
    if (typeof raw.peer === "number") {
      missing.push("peer as a name");
      const figure = `${raw.peer.toPrecision(4)} ${row.unit}`;
      row.peer = typeof raw.peerName === "string" ? `${raw.peerName}: ${figure}` : figure;
    }
    row.peer ??= null;
    row.ratio ??= null;
    if (missing.length > 0) warn(`${where} (${row.name}): no ${missing.join(", ")}; completed`);
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
