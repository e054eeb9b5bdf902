/**
 * A run of machine threads taking turns to their ends, for backends the test
 * process cannot load itself (the win32 prebuild under wine): the child runs
 * it on the native backend, the test on the emulated one for the same ABI,
 * whose runTurns is held to the reference machine in turns.test.ts.
 */
import { parseProgram } from "@greenthreads/isa";
import { type Backend, type MachineThread, TURN_YIELD, TurnRing } from "../src/index.js";

/** Counters that yield their count into a register and exit at different counts. */
export const TURN_COUNTER_SOURCES: readonly string[] = [5, 9, 14, 2].map(
  (n) =>
    `  mov r1, 0\nloop:\n  add r1, r1, 1\n  add r2, r1, 9\n  yield r1 -> r2\n  add r1, r1, r2\n  blt r1, ${n}, loop\n  exit r1`,
);
const COUNTERS = TURN_COUNTER_SOURCES.map((source) => parseProgram(source));

/** How many runs of turns a scenario may take (each at most 7 runs). */
export const TURN_RUN_LIMIT = 7;

/** Each run of turns: how far the ring went and the trap it stopped at; then an endless ring stopped by time. */
export function turnScenario(backend: Backend): {
  runs: { turns: number; pending: unknown }[];
  timed: boolean;
} {
  const programs = COUNTERS.map((p) => backend.load(p));
  let live: MachineThread[] = programs.map((p) => backend.spawn(p));
  const ring = new TurnRing();
  const runs: { turns: number; pending: unknown }[] = [];
  while (live.length > 0 && runs.length < 20) {
    ring.clear();
    for (const t of live) ring.add(t, TURN_YIELD);
    const { turns, pending } = backend.runTurns(ring, TURN_RUN_LIMIT);
    runs.push({ turns, pending });
    // The ring as the policy would hold it now: rotated, the thread that exited gone.
    const at = turns % live.length;
    live = [...live.slice(at), ...live.slice(0, at)];
    if (pending?.kind === "exit") backend.release(live.shift()!);
  }
  const spin = backend.load(parseProgram("loop:\n  yield 1\n  jmp loop"));
  const endless = [backend.spawn(spin), backend.spawn(spin)];
  ring.clear();
  for (const t of endless) ring.add(t, TURN_YIELD);
  const timed = backend.runTurns(ring, Number.POSITIVE_INFINITY, 5).turns > 0;
  for (const t of [...live, ...endless]) backend.release(t);
  return { runs, timed };
}
