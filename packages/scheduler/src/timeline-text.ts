/**
 * A trace as text for a terminal: one column per thread, one row per switch,
 * and on the right what happened in that step in words.
 *
 * ```
 *   step │ producer │ consumer │
 *      1 │ ▶ yield  │ ·        │
 *      2 │ ·        │ ▶ block  │ consumer blocks on recv on channel "jobs" (capacity 0, empty)
 *      3 │ ▶ exit   │ ░        │ consumer woken by producer; producer returned
 * ```
 *
 * `▶` is the running thread and how its step ended, `·` a ready thread, `░`
 * a blocked one; a lane is empty before its thread is spawned and after it
 * ended. The failing step of a marked trace is flagged at the row's end.
 */
import {
  CELL_BLOCKED,
  CELL_READY,
  CELL_RUNNING,
  describeEvent,
  layLanes,
} from "./timeline-lanes.js";
import type { Trace } from "./trace.js";

/**
 * Options of {@link timelineText}.
 *
 * @example
 * ```ts
 * import type { TimelineTextOptions } from "@greenthreads/scheduler";
 * const options: TimelineTextOptions = { notes: false, maxSteps: 50 };
 * ```
 */
export interface TimelineTextOptions {
  /** Print what happened in each step on the right. Default true. */
  readonly notes?: boolean;
  /** Print at most this many steps (the first ones, and the failing step); default all. */
  readonly maxSteps?: number;
}

const RUN_WORD: Record<string, string> = {
  yield: "yield",
  block: "block",
  returned: "exit",
  cancelled: "cancelled",
  threw: "THREW",
};

/**
 * Render a trace as plain text: a column per thread, a row per switch (see
 * the module comment for the symbols).
 *
 * @example
 * ```ts
 * import { Runtime, timelineText } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * for (const name of ["ping", "pong"]) {
 *   rt.spawn(function* () {
 *     yield;
 *   }, { name });
 * }
 * rt.run();
 * console.log(timelineText(rt.trace!, { notes: false }));
 * // step │ ping    │ pong    │
 * // ─────┼─────────┼─────────┤
 * //    1 │ ▶ yield │ ·       │
 * //    2 │ ·       │ ▶ yield │
 * //    3 │ ▶ exit  │ ·       │
 * //    4 │         │ ▶ exit  │
 * ```
 */
export function timelineText(trace: Trace, options: TimelineTextOptions = {}): string {
  const { lanes, steps, failure, notes: noted } = layLanes(trace);
  const notes = options.notes !== false;
  const maxSteps = options.maxSteps ?? steps;
  const width = lanes.map((l) => Math.max(7, l.thread.name.length));
  const stepWidth = Math.max(4, String(steps).length);
  const out: string[] = [];
  out.push(
    `${"step".padStart(stepWidth)} │ ${lanes.map((l, i) => l.thread.name.padEnd(width[i]!)).join(" │ ")} │`,
  );
  out.push(`${"─".repeat(stepWidth + 1)}┼${width.map((w) => "─".repeat(w + 2)).join("┼")}┤`);
  let skipped = 0;
  for (let s = 1; s <= steps; s++) {
    const failing = failure !== undefined && failure.step === s;
    if (s > maxSteps && !failing) {
      skipped++;
      continue;
    }
    if (skipped > 0) {
      out.push(`${"…".padStart(stepWidth)} │ (${skipped} steps not shown)`);
      skipped = 0;
    }
    const cells = lanes.map((lane, i) => {
      const c = lane.cells[s];
      let text = "";
      if (c === CELL_RUNNING) text = `▶ ${RUN_WORD[lane.ends.get(s) ?? "yield"] ?? "run"}`;
      else if (c === CELL_READY) text = "·";
      else if (c === CELL_BLOCKED) text = "░";
      return text.padEnd(width[i]!);
    });
    let row = `${String(s).padStart(stepWidth)} │ ${cells.join(" │ ")} │`;
    const said = notes ? noted.get(s) : undefined;
    if (said !== undefined) row += ` ${said.map((e) => describeEvent(trace, e)).join("; ")}`;
    if (failing) row += `  ◄ fails: ${failure.message}`;
    out.push(row.trimEnd());
  }
  if (skipped > 0) out.push(`${"…".padStart(stepWidth)} │ (${skipped} steps not shown)`);
  if (failure !== undefined && failure.step === 0)
    out.push(`fails before the first switch: ${failure.message}`);
  return out.join("\n");
}
