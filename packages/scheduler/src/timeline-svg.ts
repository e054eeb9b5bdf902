/**
 * A trace as a picture: a lane per thread, switches along the x axis.
 *
 * ```
 *            1   2   3   4   5
 *   producer ███▒▒▒▒▒▒▒───███▏        ███ running   ─── ready
 *   consumer ───███───────███✗        ▒▒▒ blocked (hatched; hover: on what)
 *                        ┆ failing step 5: lost an update
 * ```
 *
 * Running spans are filled in the lane's colour, ready spans are a thin
 * line, blocked spans are hatched and carry a `<title>` saying what the
 * thread waits for (a browser shows it on hover). An exit is a bar at the
 * end of the thread's last step, a throw or a fault a red cross; host calls
 * and budget traps of machine threads are small marks inside the step. The
 * failing step of a marked trace (explore() with `trace: true`) is a red
 * band across all lanes, labelled with the failure.
 *
 * The renderer writes SVG text itself, like the stack picture of
 * @greenthreads/stack: the picture is rectangles, lines and labels, and the
 * scheduler runs in browsers, so it should not carry a charting library.
 */
import {
  CELL_BLOCKED,
  CELL_READY,
  CELL_RUNNING,
  describeEvent,
  type Lane,
  layLanes,
} from "./timeline-lanes.js";
import type { Trace, TraceEvent } from "./trace.js";

/**
 * Options of {@link timelineSvg}.
 *
 * @example
 * ```ts
 * import type { TimelineSvgOptions } from "@greenthreads/scheduler";
 * const options: TimelineSvgOptions = { title: "the lost update", width: 900 };
 * ```
 */
export interface TimelineSvgOptions {
  /** A line above the picture. */
  readonly title?: string;
  /** Width of the picture in pixels; default 1000. Steps get narrower, never under 2 px. */
  readonly width?: number;
}

/** Lane colours: distinct hues, dark enough for white marks on top. */
const PALETTE = [
  "#3b6fb6",
  "#2e8b57",
  "#8a5cc2",
  "#c27c0e",
  "#1f8a99",
  "#b5497a",
  "#5b7a29",
  "#6d6d6d",
];
const BLOCKED = "#e08a2c";
const FAIL = "#d12b2b";
const LANE = 26;
const GAP = 12;
const TOP = 58;
const CHAR = 7.4;
/** Widest a step gets (short traces): room for a short note inside a running step. */
const MAX_STEP_WIDTH = 72;
/** The legend's width: its labels' characters, and 46 px a swatch. */
const LEGEND_WIDTH =
  12 + 6 * 46 + "runningreadyblocked (hover: on what)exitthrewfault".length * 7.4;

const escapeXml = (s: string): string =>
  s.replace(/[<>&"]/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&quot;",
  );

/**
 * Render a trace as an SVG timeline (see the module comment for what is
 * drawn). The result is a complete `<svg>` document: write it to a `.svg`
 * file, or put it in a page.
 *
 * @example
 * ```ts
 * import { Mutex, Runtime, timelineSvg } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * const lock = new Mutex({ name: "lock" });
 * for (const name of ["alice", "bob"]) {
 *   rt.spawn(function* () {
 *     yield* lock.lock();
 *     yield;
 *     lock.unlock();
 *   }, { name });
 * }
 * rt.run();
 * const svg = timelineSvg(rt.trace!, { title: "two threads, one lock" });
 * console.log(svg.startsWith("<svg"), svg.includes(">bob</text>")); // true true
 * ```
 */
export function timelineSvg(trace: Trace, options: TimelineSvgOptions = {}): string {
  const { lanes, steps, failure } = layLanes(trace);
  const maxWidth = Math.max(320, options.width ?? 1000);
  const nameWidth = Math.ceil(Math.max(40, ...lanes.map((l) => l.thread.name.length * CHAR)) + 24);
  const left = nameWidth;
  const right = 24;
  const cw = Math.max(
    2,
    Math.min(MAX_STEP_WIDTH, Math.floor((maxWidth - left - right) / Math.max(1, steps))),
  );
  const plotRight = left + cw * steps;
  const title = options.title ?? `${lanes.length} threads, ${steps} switches`;
  const failureLine =
    failure === undefined
      ? ""
      : `✗ ${failure.step > 0 ? `failing step ${failure.step}` : "fails before the first switch"}: ${failure.message}`;
  // As wide as what is drawn: the lanes, the legend, the title, the failure.
  const width = Math.ceil(
    Math.max(
      plotRight + right,
      LEGEND_WIDTH,
      24 + Math.max(title.length * 8.4, failureLine.length * CHAR),
    ),
  );
  const lanesBottom = TOP + lanes.length * (LANE + GAP);
  const footer = failure === undefined ? 34 : 56;
  const height = lanesBottom + footer;
  const x = (step: number) => left + (step - 1) * cw;
  const yOf = (i: number) => TOP + i * (LANE + GAP);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">`,
    "<defs>",
    `<pattern id="gt-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3c8"/><line x1="0" y1="0" x2="0" y2="6" stroke="${BLOCKED}" stroke-width="3"/></pattern>`,
    "</defs>",
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  out.push(`<text x="12" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);

  // The step axis: a label every `every` steps, so labels never crowd.
  const every = niceStep(Math.ceil(36 / cw));
  out.push(`<text x="${left - 8}" y="${TOP - 12}" text-anchor="end" fill="#666">switch</text>`);
  for (let s = 1; s <= steps; s++) {
    if (s !== 1 && s % every !== 0) continue;
    const cx = x(s) + cw / 2;
    out.push(
      `<text x="${cx}" y="${TOP - 12}" text-anchor="middle" fill="#666">${s}</text>`,
      `<line x1="${cx}" y1="${TOP - 8}" x2="${cx}" y2="${lanesBottom - GAP}" stroke="#eeeeee"/>`,
    );
  }

  if (failure !== undefined && failure.step > 0) {
    out.push(
      `<rect x="${x(failure.step) - 1}" y="${TOP - 6}" width="${cw + 2}" height="${lanesBottom - TOP}" fill="${FAIL}" fill-opacity="0.12" stroke="${FAIL}" stroke-dasharray="4 3"><title>failing step ${failure.step}: ${escapeXml(failure.message)}</title></rect>`,
    );
  }

  lanes.forEach((lane, i) => {
    const y = yOf(i);
    const colour = PALETTE[i % PALETTE.length]!;
    const failingLane = failure?.thread === lane.thread.id;
    out.push(
      `<text x="${left - 8}" y="${y + LANE / 2 + 4}" text-anchor="end" fill="${failingLane ? FAIL : "#222"}"${failingLane ? ' font-weight="bold"' : ""}>${escapeXml(lane.thread.name)}</text>`,
    );
    for (const span of spansOf(lane, steps)) {
      out.push(drawSpan(trace, lane, span, x, y, cw, colour));
    }
    for (const [step, events] of lane.events) {
      const calls = events.filter((e) => e.kind === "host-call");
      for (const e of events)
        if (e.kind !== "host-call") out.push(drawMark(trace, e, x(step), y, cw));
      if (calls.length > 0) out.push(drawHostCalls(trace, calls, x(step), y, cw));
    }
  });

  // Legend, and the failure in words.
  let lx = 12;
  const ly = lanesBottom + 8;
  const legend: [(at: number) => string, string][] = [
    [(at) => `<rect x="${at}" y="${ly}" width="18" height="12" fill="${PALETTE[0]}"/>`, "running"],
    [
      (at) =>
        `<line x1="${at}" y1="${ly + 6}" x2="${at + 18}" y2="${ly + 6}" stroke="#9a9a9a" stroke-width="3"/>`,
      "ready",
    ],
    [
      (at) =>
        `<rect x="${at}" y="${ly}" width="18" height="12" fill="url(#gt-hatch)" stroke="${BLOCKED}"/>`,
      "blocked (hover: on what)",
    ],
    [(at) => `<rect x="${at + 7}" y="${ly - 2}" width="4" height="16" fill="#222"/>`, "exit"],
    [(at) => crossAt(at + 9, ly + 6, 5), "threw"],
    [
      (at) =>
        `<circle cx="${at + 9}" cy="${ly + 6}" r="5" fill="#ffffff" stroke="${FAIL}" stroke-width="2.5"/>`,
      "fault",
    ],
    [
      (at) =>
        `<rect x="${at}" y="${ly}" width="18" height="12" fill="${PALETTE[4]}"/><circle cx="${at + 9}" cy="${ly + 8}" r="2.5" fill="#ffffff"/>`,
      "host call",
    ],
    [
      (at) =>
        `<rect x="${at}" y="${ly}" width="18" height="12" fill="${PALETTE[4]}"/><path d="M${at + 11} ${ly + 1}h6v6z" fill="#ffffff"/>`,
      "budget trap",
    ],
  ];
  for (const [shape, label] of legend) {
    out.push(
      shape(lx),
      `<text x="${lx + 24}" y="${ly + 11}" fill="#444">${escapeXml(label)}</text>`,
    );
    lx += 24 + label.length * CHAR + 22;
  }
  if (failure !== undefined) {
    out.push(
      `<text x="12" y="${lanesBottom + 44}" fill="${FAIL}" font-weight="bold">${escapeXml(failureLine)}</text>`,
    );
  }
  out.push(
    `<line x1="${left}" y1="${lanesBottom - GAP + 2}" x2="${plotRight}" y2="${lanesBottom - GAP + 2}" stroke="#cccccc"/>`,
  );
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** 1, 2, 5, 10, 20, 50...: the smallest at least `n`. */
function niceStep(n: number): number {
  for (let p = 1; ; p *= 10) {
    for (const m of [1, 2, 5]) if (m * p >= n) return m * p;
  }
}

interface Span {
  readonly from: number;
  readonly to: number;
  readonly cell: number;
  readonly wait: string;
}

/** Runs of equal cells (and, when blocked, the same wait). */
function spansOf(lane: Lane, steps: number): Span[] {
  const spans: Span[] = [];
  for (let s = 1; s <= steps; ) {
    const cell = lane.cells[s]!;
    const wait = lane.waits.get(s) ?? "";
    let e = s;
    while (e + 1 <= steps && lane.cells[e + 1] === cell && (lane.waits.get(e + 1) ?? "") === wait)
      e++;
    if (cell === CELL_READY || cell === CELL_RUNNING || cell === CELL_BLOCKED) {
      spans.push({ from: s, to: e, cell, wait });
    }
    s = e + 1;
  }
  return spans;
}

function drawSpan(
  trace: Trace,
  lane: Lane,
  span: Span,
  x: (step: number) => number,
  y: number,
  cw: number,
  colour: string,
): string {
  const x0 = x(span.from);
  const w = (span.to - span.from + 1) * cw;
  const name = escapeXml(lane.thread.name);
  const steps = span.from === span.to ? `step ${span.from}` : `steps ${span.from}–${span.to}`;
  if (span.cell === CELL_READY) {
    return `<line x1="${x0}" y1="${y + LANE / 2}" x2="${x0 + w}" y2="${y + LANE / 2}" stroke="#9a9a9a" stroke-width="3"><title>${name} ready, ${steps}</title></line>`;
  }
  if (span.cell === CELL_BLOCKED) {
    return `<rect x="${x0}" y="${y + 4}" width="${w}" height="${LANE - 8}" fill="url(#gt-hatch)" stroke="${BLOCKED}"><title>${name} blocked on ${escapeXml(span.wait)}, ${steps}</title></rect>`;
  }
  // Running: one rectangle per step, so adjacent steps of one thread stay
  // visibly separate switches, each with how it ended in its title.
  const parts: string[] = [];
  for (let s = span.from; s <= span.to; s++) {
    const end = lane.ends.get(s) ?? "yield";
    const said = (lane.events.get(s) ?? []).map((e) => describeEvent(trace, e)).join("; ");
    const inset = cw >= 6 ? 1 : 0;
    parts.push(
      `<rect x="${x(s) + inset}" y="${y}" width="${cw - 2 * inset}" height="${LANE}" fill="${colour}" rx="${cw >= 8 ? 2 : 0}"><title>${name} runs, step ${s}: ${escapeXml(said || `${end}s`)}</title></rect>`,
    );
    // The thread's own notes, inside the step when they fit.
    const note = (lane.events.get(s) ?? [])
      .filter((e) => e.kind === "note")
      .map((e) => e.detail ?? "")
      .join(", ");
    if (note !== "" && note.length * CHAR + 8 <= cw) {
      parts.push(
        `<text x="${x(s) + cw / 2}" y="${y + LANE / 2 + 4}" text-anchor="middle" fill="#ffffff" pointer-events="none">${escapeXml(note)}</text>`,
      );
    }
  }
  return parts.join("\n");
}

function crossAt(cx: number, cy: number, r: number): string {
  return `<path d="M${cx - r} ${cy - r}L${cx + r} ${cy + r}M${cx + r} ${cy - r}L${cx - r} ${cy + r}" stroke="${FAIL}" stroke-width="3" stroke-linecap="round"/>`;
}

/** One dot for a step's host calls, however many: its title counts them by name. */
function drawHostCalls(
  trace: Trace,
  calls: TraceEvent[],
  x0: number,
  y: number,
  cw: number,
): string {
  const first = calls[0]!;
  let said = describeEvent(trace, first);
  if (calls.length > 1) {
    const counts = new Map<string, number>();
    for (const e of calls) counts.set(e.detail ?? "", (counts.get(e.detail ?? "") ?? 0) + 1);
    const names = [...counts].map(([name, n]) => `${name}() ×${n}`).join(", ");
    said = `${trace.nameOf(first.thread)} made ${calls.length} host calls: ${names}`;
  }
  return `<circle cx="${x0 + cw / 2}" cy="${y + LANE - 6}" r="2.5" fill="#ffffff"><title>step ${first.step}: ${escapeXml(said)}</title></circle>`;
}

/** A mark for an event inside a step: exits, throws, faults, host calls, budget traps, cancels. */
function drawMark(trace: Trace, e: TraceEvent, x0: number, y: number, cw: number): string {
  const title = `<title>step ${e.step}: ${escapeXml(describeEvent(trace, e))}</title>`;
  const mid = y + LANE / 2;
  switch (e.kind) {
    case "exit":
      if (e.detail?.startsWith("threw") === true) {
        return `<g>${crossAt(x0 + cw + 7, mid, 6)}${title}</g>`;
      }
      return `<rect x="${x0 + cw}" y="${y - 3}" width="4" height="${LANE + 6}" fill="#222">${title}</rect>`;
    case "fault":
      return `<g><circle cx="${x0 + cw / 2}" cy="${mid}" r="${Math.max(3, Math.min(8, cw / 2 - 1))}" fill="#ffffff" stroke="${FAIL}" stroke-width="2.5"/>${title}</g>`;
    case "budget":
      return `<path d="M${x0 + cw - 7} ${y + 1}h6v6z" fill="#ffffff">${title}</path>`;
    case "cancel":
      return `<circle cx="${x0 + cw / 2}" cy="${y - 4}" r="3" fill="none" stroke="${FAIL}">${title}</circle>`;
    default:
      return "";
  }
}
