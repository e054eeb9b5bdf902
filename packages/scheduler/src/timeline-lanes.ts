/**
 * The shape both timeline renderings draw: a lane per thread, a cell per
 * step (switch), each cell one of not-yet-spawned, ready, running, blocked
 * or done. timeline-text.ts prints the cells as rows; timeline-svg.ts draws
 * runs of equal cells as spans. Both read this and nothing else, so the two
 * pictures of a trace cannot disagree.
 *
 * A thread's cell at step n is its state while step n ran: the thread the
 * n-th switch picked is running; a thread woken during step n was still
 * blocked during it, and is ready from step n + 1.
 */
import type { Trace, TraceEvent, TraceFailure, TraceThread } from "./trace.js";

/** A cell's state. */
export const CELL_NONE = 0;
export const CELL_READY = 1;
export const CELL_RUNNING = 2;
export const CELL_BLOCKED = 3;
export const CELL_DONE = 4;

/** One thread's lane: its state at steps 1..steps, and what happened at each step. */
export interface Lane {
  readonly thread: TraceThread;
  /** cells[n] for step n (index 0 unused). */
  readonly cells: Uint8Array;
  /** While blocked: what it waits for, by step (only at blocked cells). */
  readonly waits: Map<number, string>;
  /** How each running step ended: "yield", "block", "exit", "threw", "cancelled". */
  readonly ends: Map<number, string>;
  /** The events of this thread other than run, by step. */
  readonly events: Map<number, TraceEvent[]>;
}

/** The lanes of a trace over its steps. */
export interface Lanes {
  readonly lanes: readonly Lane[];
  readonly steps: number;
  readonly failure: TraceFailure | undefined;
  /** Every event but run, spawn and yield, by step, in the order they happened. */
  readonly notes: Map<number, TraceEvent[]>;
}

/** Lay a trace out as lanes. */
export function layLanes(trace: Trace): Lanes {
  const steps = trace.steps;
  const byId = new Map<number, Lane>();
  const state = new Map<number, number>();
  const waiting = new Map<number, string>();
  const lanes: Lane[] = trace.threads.map((thread) => {
    const lane: Lane = {
      thread,
      cells: new Uint8Array(steps + 1),
      waits: new Map(),
      ends: new Map(),
      events: new Map(),
    };
    byId.set(thread.id, lane);
    return lane;
  });
  const events = trace.events;
  const notes = new Map<number, TraceEvent[]>();
  let i = 0;
  for (let s = 0; s <= steps; s++) {
    if (s > 0) {
      for (const lane of lanes) {
        const id = lane.thread.id;
        const st = state.get(id) ?? CELL_NONE;
        lane.cells[s] = st;
        if (st === CELL_BLOCKED) lane.waits.set(s, waiting.get(id) ?? "");
      }
    }
    for (; i < events.length && events[i]!.step <= s; i++) {
      const e = events[i]!;
      const lane = byId.get(e.thread);
      if (lane === undefined) continue; // spawned before tracing began
      const id = e.thread;
      switch (e.kind) {
        case "run":
          lane.cells[s] = CELL_RUNNING;
          lane.waits.delete(s);
          continue;
        case "spawn":
        case "yield":
        case "wake":
          state.set(id, CELL_READY);
          if (e.kind === "yield") lane.ends.set(s, "yield");
          break;
        case "block":
          state.set(id, CELL_BLOCKED);
          waiting.set(id, e.detail ?? "");
          lane.ends.set(s, "block");
          break;
        case "exit": {
          state.set(id, CELL_DONE);
          const d = e.detail ?? "returned";
          lane.ends.set(s, d.startsWith("threw") ? "threw" : d);
          break;
        }
        default:
          break;
      }
      if (e.kind === "spawn") continue;
      pushAt(lane.events, s, e);
      if (e.kind !== "yield") pushAt(notes, s, e);
    }
  }
  return { lanes, steps, failure: trace.failure, notes };
}

function pushAt(map: Map<number, TraceEvent[]>, step: number, e: TraceEvent): void {
  const list = map.get(step);
  if (list === undefined) map.set(step, [e]);
  else list.push(e);
}

/** A sentence for one event, for notes and tooltips: `b waits for recv on channel "c"`. */
export function describeEvent(trace: Trace, e: TraceEvent): string {
  const who = trace.nameOf(e.thread);
  switch (e.kind) {
    case "block":
      return `${who} blocks on ${e.detail ?? "something"}`;
    case "wake":
      return `${who} woken ${e.detail ?? ""}`.trimEnd();
    case "exit":
      return `${who} ${e.detail ?? "returned"}`;
    case "host-call":
      return `${who} host call ${e.detail ?? ""}()`;
    case "budget":
      return `${who} preempted (budget used up)`;
    case "fault":
      return `${who} ${e.detail ?? "faulted"}`;
    case "cancel":
      return `${who} cancel requested`;
    case "note":
      return `${who}: ${e.detail ?? ""}`;
    case "yield":
      return `${who} yields`;
    default:
      return `${who} ${e.kind}`;
  }
}
