/**
 * docs/bench/switch-cost.svg: ns per switch against task count, both on log
 * scales, one line per library. A small renderer of its own: the chart is
 * one kind (log–log lines with a legend), a plotting library that renders
 * SVG without a browser (vega-lite) needs Node 22 in its current major and
 * brings dozens of packages for it, and writing the SVG here keeps the file
 * byte-for-byte the same for the same results, so a regenerated chart only
 * shows up in a diff when the figures change.
 */
import type { BenchRow, Results } from "./results.js";
import { SERIES, SERIES_LABELS } from "./series.js";

const WIDTH = 960;
const HEIGHT = 540;
const PLOT = { left: 70, top: 50, right: 600, bottom: 480 };
/** Distinct colours for up to eleven series; ours first and drawn thicker. */
const COLOURS = [
  "#d62728",
  "#ff7f0e",
  "#7f7f7f",
  "#bcbd22",
  "#8c564b",
  "#e377c2",
  "#1f77b4",
  "#17becf",
  "#2ca02c",
  "#9467bd",
  "#393b79",
];
const DASHED = new Set([
  "raw-next-shared",
  "raw-direct-shared",
  "raw-next-closure",
  "raw-direct-closure",
]);

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Powers of ten that cover lo..hi, at least two of them (one value gets a decade either side). */
function decades(lo: number, hi: number): number[] {
  let first = Math.floor(Math.log10(lo));
  let last = Math.ceil(Math.log10(hi));
  if (first === last) {
    first--;
    last++;
  }
  const out: number[] = [];
  for (let e = first; e <= last; e++) out.push(10 ** e);
  return out;
}

function tickLabel(x: number, unit = ""): string {
  if (x >= 1e6) return `${x / 1e6}M${unit}`;
  if (x >= 1e3) return `${x / 1e3}k${unit}`;
  return `${x}${unit}`;
}

/** The chart for the js-switch rows of a results file. */
export function renderSwitchChart(results: Results): string {
  const rows = results.rows.filter(
    (r): r is BenchRow & { series: string; threads: number } =>
      r.group === "js-switch" && r.series !== undefined && r.threads !== undefined,
  );
  if (rows.length === 0)
    throw new Error("no js-switch rows with series and threads: nothing to chart");
  const known = Object.keys(SERIES);
  const series = [...new Set(rows.map((r) => r.series))].sort(
    (a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99),
  );
  const xs = decades(
    Math.min(...rows.map((r) => r.threads)),
    Math.max(...rows.map((r) => r.threads)),
  );
  // The y axis covers the spread bars too, not only the medians.
  const ys = decades(
    Math.min(...rows.map((r) => r.spread.min)),
    Math.max(...rows.map((r) => r.spread.max)),
  );
  const lx = (x: number) =>
    PLOT.left +
    ((Math.log10(x) - Math.log10(xs[0]!)) / (Math.log10(xs.at(-1)!) - Math.log10(xs[0]!))) *
      (PLOT.right - PLOT.left);
  const ly = (y: number) =>
    PLOT.bottom -
    ((Math.log10(y) - Math.log10(ys[0]!)) / (Math.log10(ys.at(-1)!) - Math.log10(ys[0]!))) *
      (PLOT.bottom - PLOT.top);
  const f = (v: number) => v.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="13" role="img" aria-labelledby="title">`,
    `<title id="title">ns per switch against the number of tasks taking turns, for greenthreads and the libraries it is compared with</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="16" font-weight="bold">ns per switch against task count (log scales; lower is better)</text>`,
    `<text x="${PLOT.left}" y="40" fill="#555">Node ${escapeXml(results.run.node.replace(/^v/, ""))}, ${escapeXml(results.run.cpu)}, ${results.run.date.slice(0, 10)}, median of ${results.run.mode === "full" ? "repeats" : "batches"}</text>`,
  ];
  // Grid: decades solid, 2 and 5 within a decade faint.
  for (const y of ys) {
    for (const m of [1, 2, 5]) {
      const v = y * m;
      if (v > ys.at(-1)!) continue;
      out.push(
        `<line x1="${PLOT.left}" y1="${f(ly(v))}" x2="${PLOT.right}" y2="${f(ly(v))}" stroke="${m === 1 ? "#ccc" : "#eee"}"/>`,
      );
      if (m === 1 || ys.length <= 3) {
        out.push(
          `<text x="${PLOT.left - 8}" y="${f(ly(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`,
        );
      }
    }
  }
  for (const x of xs) {
    out.push(
      `<line x1="${f(lx(x))}" y1="${PLOT.top}" x2="${f(lx(x))}" y2="${PLOT.bottom}" stroke="#ccc"/>`,
    );
    out.push(
      `<text x="${f(lx(x))}" y="${PLOT.bottom + 18}" text-anchor="middle">${tickLabel(x)}</text>`,
    );
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 40}" text-anchor="middle">tasks taking turns</text>`,
    `<text transform="translate(20 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">ns per switch</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = rows.filter((r) => r.series === s).sort((a, b) => a.threads - b.threads);
    const ours = s.startsWith("greenthreads");
    const style = `stroke="${colour}" stroke-width="${ours ? 3 : 1.8}"${DASHED.has(s) ? ' stroke-dasharray="6 4"' : ""}`;
    out.push(
      `<polyline fill="none" ${style} points="${points.map((p) => `${f(lx(p.threads))},${f(ly(p.value))}`).join(" ")}"/>`,
    );
    for (const p of points) {
      // The spread as a vertical bar, the median as a dot.
      out.push(
        `<line x1="${f(lx(p.threads))}" y1="${f(ly(p.spread.min))}" x2="${f(lx(p.threads))}" y2="${f(ly(p.spread.max))}" stroke="${colour}" stroke-width="1"/>`,
        `<circle cx="${f(lx(p.threads))}" cy="${f(ly(p.value))}" r="${ours ? 4 : 3}" fill="${colour}"/>`,
      );
    }
    const y = PLOT.top + 10 + i * 22;
    out.push(
      `<line x1="${PLOT.right + 20}" y1="${y}" x2="${PLOT.right + 50}" y2="${y}" ${style}/>`,
      `<text x="${PLOT.right + 58}" y="${y + 4}"${ours ? ' font-weight="bold"' : ""}>${escapeXml(SERIES_LABELS.get(s) ?? s)}</text>`,
    );
  });
  out.push(
    `<text x="${PLOT.right + 20}" y="${PLOT.top + 10 + series.length * 22 + 10}" fill="#555" font-size="11">dashed: raw generators, no scheduler</text>`,
    `<text x="${PLOT.right + 20}" y="${PLOT.top + 10 + series.length * 22 + 26}" fill="#555" font-size="11">bars: fastest to slowest ${results.run.mode === "full" ? "repeat" : "batch"}</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
