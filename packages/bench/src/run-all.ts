/**
 * `pnpm bench`: every package's benchmark, one at a time (turbo
 * --concurrency=1, so no benchmark shares the CPU with another), each
 * appending its rows to one file; then the result file, the report, the
 * chart and the READMEs' figures sections from those rows.
 *
 *   pnpm bench                 full mode: bench-results/, docs/bench/, READMEs
 *   pnpm bench:quick           quick mode, under a minute: bench-results/quick/ only
 *   pnpm bench:figures         only the chart and READMEs, from bench-results/results.json
 *   … run-all.ts --report      only the report, from the rows of the last run
 *                              (rows a benchmark appended since included)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_JSON_ENV, quickMode } from "../../isa/bench/bench-json.js";
import { rewriteFigures } from "./readme-figures.js";
import { renderReport } from "./report.js";
import { parseRows, type Results, readResults, runInfo } from "./results.js";
import { renderSwitchChart } from "./switch-chart.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CHART = join(ROOT, "docs/bench/switch-cost.svg");

function writeFigures(results: Results): void {
  mkdirSync(dirname(CHART), { recursive: true });
  writeFileSync(CHART, renderSwitchChart(results));
  const changed = rewriteFigures(ROOT, results);
  console.log(
    `wrote ${relative(ROOT, CHART)}; figures sections rewritten in: ${changed.join(", ") || "none (unchanged)"}`,
  );
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv.includes("--figures")) {
    writeFigures(readResults(join(ROOT, "bench-results/results.json")));
    return;
  }
  const quick = quickMode(argv);
  const out = join(ROOT, quick ? "bench-results/quick" : "bench-results");
  const rowsFile = join(out, "rows.jsonl");
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const startLoad = loadavg()[0]!;
  if (!argv.includes("--report")) {
    writeFileSync(rowsFile, "");
    const run = spawnSync(
      "pnpm",
      ["exec", "turbo", "run", "bench", "--concurrency=1", "--output-logs=new-only"],
      {
        cwd: ROOT,
        stdio: "inherit",
        env: {
          ...process.env,
          TURBO_TELEMETRY_DISABLED: "1",
          [BENCH_JSON_ENV]: rowsFile,
          GREENTHREADS_BENCH_QUICK: quick ? "1" : "0",
        },
      },
    );
    if (run.status !== 0) {
      console.error(
        `a benchmark failed (turbo exit ${run.status}); rows so far are in ${relative(ROOT, rowsFile)}`,
      );
      process.exit(1);
    }
  }
  // --report keeps the conditions of the run whose rows it reads, when known.
  const previous = join(out, "results.json");
  const run =
    argv.includes("--report") && existsSync(previous)
      ? readResults(previous).run
      : runInfo(quick ? "quick" : "full", startLoad, (Date.now() - started) / 1000);
  const results: Results = {
    run,
    rows: parseRows(readFileSync(rowsFile, "utf8"), relative(ROOT, rowsFile), (m) =>
      console.warn(`warning: ${m}`),
    ),
  };
  writeFileSync(join(out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, "report.md"), renderReport(results, relative(out, CHART)));
  console.log(
    `wrote ${relative(ROOT, join(out, "results.json"))} and report.md (${results.rows.length} rows, ${Math.round(results.run.seconds)} s)`,
  );
  if (!quick) writeFigures(results);
}

main();
