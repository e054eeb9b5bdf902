import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readResults } from "../src/results.js";
import { renderSwitchChart } from "../src/switch-chart.js";

const fixture = readResults(join(dirname(fileURLToPath(import.meta.url)), "fixtures/results.json"));

describe("renderSwitchChart", () => {
  it("draws one line per series of the js-switch rows, with its label in the legend", () => {
    const svg = renderSwitchChart(fixture);
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    // Three series in the fixture: greenthreads (two points), raw (two points), effection (one).
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(
      (m) => m[1]!.split(" ").length,
    );
    expect(lines).toEqual([2, 2, 1]);
    for (const label of [
      "greenthreads, shared function*",
      "raw generators, shared, g.next()",
      "effection 4.1.1",
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
    // Log axes: decade ticks from 1 to 100k tasks and from 10 ns to 100k ns (the data's range, rounded out).
    for (const tick of [">1<", ">10<", ">100<", ">1k<", ">10k<", ">100k<"])
      expect(svg).toContain(tick);
  });

  it("puts a slower series higher on the chart", () => {
    const svg = renderSwitchChart(fixture);
    const y = (colourIndex: number) =>
      Number([...svg.matchAll(/<circle cx="[^"]*" cy="([^"]*)"/g)][colourIndex]![1]);
    // circles in order: greenthreads 2, greenthreads 10k, raw 2, raw 10k, effection 10k
    expect(y(4)).toBeLessThan(y(1));
    expect(y(3)).toBeGreaterThan(y(1));
  });

  it("refuses results without js-switch rows", () => {
    expect(() => renderSwitchChart({ ...fixture, rows: [] })).toThrow(/nothing to chart/);
  });

  it("gives the same bytes for the same results", () => {
    expect(renderSwitchChart(fixture)).toBe(renderSwitchChart(structuredClone(fixture)));
  });
});
