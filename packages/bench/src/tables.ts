/**
 * Markdown tables from result rows. The report and every README section are
 * rendered by these functions from the same rows, so no two places can show
 * different figures for one measurement.
 */
import type { BenchRow } from "./results.js";

/** A figure with as many digits as a noisy measurement deserves. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString("en");
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A value with its unit: "17.2 ns", "12,115 bytes". */
export function formatValue(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

/** A ratio: "1.41×"; very small ratios as "1/217×". */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "";
  if (ratio < 0.1) return `1/${Math.round(1 / ratio)}×`;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

function table(header: string[], align: ("l" | "r")[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (align[i] === "r" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === "r" ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

/**
 * One line per row: its figure (the median, unless the benchmark says it
 * takes the fastest batch), the spread, the peer and the ratio to it.
 * The peer's own figure is looked up among `all` by name. Without
 * `spread`, the min – max column is left out, and so is a row that is only
 * some other row's peer (the READMEs' compact tables).
 */
export function rowsTable(
  rows: readonly BenchRow[],
  all: readonly BenchRow[] = rows,
  { spread = true }: { spread?: boolean } = {},
): string {
  // A name may repeat across groups (a task count's switch and memory rows): same group first.
  const byName = new Map(all.map((r) => [`${r.group}\0${r.name}`, r]));
  const anyGroup = new Map(all.map((r) => [r.name, r]));
  const columns = spread ? [0, 1, 2, 3, 4] : [0, 1, 3, 4];
  // Compact tables leave out a row that only serves as others' peer: its figure is in their line.
  const shown = spread
    ? rows
    : rows.filter(
        (r) => r.peer !== null || !rows.some((o) => o.peer === r.name && o.group === r.group),
      );
  const pick = <T>(cells: T[]) => columns.map((i) => cells[i]!);
  return table(
    pick(["what", "figure", "min – max", "compared with (same run)", "ratio"]),
    pick<"l" | "r">(["l", "r", "r", "l", "r"]),
    shown.map((r) => {
      const peer =
        r.peer === null ? undefined : (byName.get(`${r.group}\0${r.peer}`) ?? anyGroup.get(r.peer));
      return pick([
        r.name,
        formatValue(r.value, r.unit),
        `${formatNumber(r.spread.min)} – ${formatNumber(r.spread.max)}`,
        r.peer === null ? "" : peer ? `${r.peer}: ${formatValue(peer.value, peer.unit)}` : r.peer,
        formatRatio(r.ratio),
      ]);
    }),
  );
}

/**
 * Series by task count: one line per series (in the order the rows came),
 * one column per task count; a cell is the median and, in brackets, the
 * ratio to the row's peer. `series` limits and orders the series shown.
 */
export function matrixTable(
  rows: readonly BenchRow[],
  labels: ReadonlyMap<string, string>,
  series?: readonly string[],
): string {
  const withSeries = rows.filter((r) => r.series !== undefined && r.threads !== undefined);
  const order = series ?? [...new Set(withSeries.map((r) => r.series!))];
  const counts = [...new Set(withSeries.map((r) => r.threads!))].sort((a, b) => a - b);
  const body = order
    .filter((s) => withSeries.some((r) => r.series === s))
    .map((s) => [
      labels.get(s) ?? s,
      ...counts.map((n) => {
        const r = withSeries.find((x) => x.series === s && x.threads === n);
        if (!r) return "";
        const ratio = formatRatio(r.ratio);
        return ratio ? `${formatNumber(r.value)} (${ratio})` : formatNumber(r.value);
      }),
    ]);
  return table(
    ["tasks", ...counts.map((n) => n.toLocaleString("en"))],
    ["l", ...counts.map(() => "r" as const)],
    body,
  );
}
