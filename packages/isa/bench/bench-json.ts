/**
 * The one line format every benchmark in the repository writes, so that one
 * report (packages/bench) can put all of them side by side.
 *
 * When the environment variable GREENTHREADS_BENCH_JSON names a file, a
 * benchmark appends one JSON line per figure to it:
 *
 *   {"name":"…","unit":"ns","value":17.2,"spread":{"min":16.8,"median":17.2,"max":19.0},
 *    "peer":"raw generator .next(), 10000 threads","ratio":1.41,"group":"js-switch"}
 *
 * `value` is the figure the report prints; `spread` is the smallest, middle
 * and largest of the samples it came from (repeats in fresh processes, or
 * batches in one process; the benchmark says which). `peer` names the row it
 * is compared with, measured in the same run, and `ratio` is value / that
 * row's value (null without a peer). `group` is the report's table.
 *
 * This file sits in the bottom package of the layering so that every other
 * package's benchmark may import it; it is benchmark code, not part of
 * @greenthreads/isa's published API (tsup builds only src/).
 */
import { appendFileSync } from "node:fs";

/** The smallest, middle and largest sample. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** One figure of one benchmark, as one JSON line. */
export interface BenchRow {
  name: string;
  unit: string;
  value: number;
  spread: Spread;
  peer: string | null;
  ratio: number | null;
  group: string;
  /** Optional: the series (for charts) and thread count a row belongs to. */
  series?: string;
  threads?: number;
}

/** The environment variable that names the file rows are appended to. */
export const BENCH_JSON_ENV = "GREENTHREADS_BENCH_JSON";

/** Quick mode (fewer repeats, for a development loop): `--quick` or GREENTHREADS_BENCH_QUICK=1. */
export function quickMode(argv: readonly string[] = process.argv): boolean {
  return argv.includes("--quick") || process.env.GREENTHREADS_BENCH_QUICK === "1";
}

/** Min, median and max of some samples (at least one). */
export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error("spreadOf: no samples");
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s.at(-1)! };
}

/** What a row is made of besides its figures. */
export type RowFields = Omit<BenchRow, "value" | "spread" | "peer" | "ratio">;

/**
 * A row from its samples, optionally compared with a peer row. Its value is
 * the median, or the fastest sample where a benchmark's method says so (the
 * fastest of many batches in one process keeps load on the machine out).
 */
export function rowFromSamples(
  fields: RowFields,
  samples: readonly number[],
  peer?: BenchRow,
  pick: "median" | "min" = "median",
): BenchRow {
  const spread = spreadOf(samples);
  return compareWith({ ...fields, value: spread[pick], spread, peer: null, ratio: null }, peer);
}

/**
 * A row from a tinybench task's latency statistics (milliseconds per
 * iteration, each iteration `perIteration` operations): the median per
 * operation, with the fastest and slowest iteration as its spread.
 */
export function rowFromLatency(
  fields: RowFields,
  latency: { min: number; p50: number; max: number },
  perIteration: number,
  peer?: BenchRow,
): BenchRow {
  const scale = 1e6 / perIteration;
  const spread = {
    min: latency.min * scale,
    median: latency.p50 * scale,
    max: latency.max * scale,
  };
  return compareWith({ ...fields, value: spread.median, spread, peer: null, ratio: null }, peer);
}

/** The row with `peer` and `ratio` set from a peer row of the same run (unchanged without one). */
export function compareWith(row: BenchRow, peer: BenchRow | undefined): BenchRow {
  if (!peer) return row;
  return { ...row, peer: peer.name, ratio: row.value / peer.value };
}

/** Appends rows to the file named by GREENTHREADS_BENCH_JSON; does nothing when it is unset. */
export function writeBenchRows(rows: readonly BenchRow[]): void {
  const file = process.env[BENCH_JSON_ENV];
  if (!file || rows.length === 0) return;
  appendFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
}
