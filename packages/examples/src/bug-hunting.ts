/**
 * Bug hunting: find a race with explore(), replay it, fix it.
 *
 * Two threads each add one to a shared counter by reading it, yielding, and
 * writing back what they read plus one. Run alone, each is correct; run
 * together, a switch between one thread's read and its write loses the other
 * thread's update:
 *
 * ```
 *   thread 0        thread 1        counter
 *   read 0                          0
 *   (yield) ──────► read 0          0
 *                   write 1         1
 *   write 1 ◄────── (exit)          1   <- should be 2
 * ```
 *
 * Whether that happens depends only on the schedule, so a test that runs the
 * threads once may pass forever. `explore()` runs the body under many
 * schedules (here PCT, which randomises priorities and changes them at a few
 * random points), stops at the first failing run and hands back its seed and
 * its schedule string. `new Replay(schedule)` runs the same threads through
 * exactly the same switches, as often as you like, so the failure can be
 * looked at in a debugger. With `trace: true`, explore() also replays the
 * failing schedule once with tracing on and hands back its trace, which
 * `timelineText` prints a row per switch and `timelineSvg` draws, the
 * failing step marked. Holding a `Mutex` across read, yield and write makes
 * the update atomic again, and explore() then finds no failing run.
 */
import {
  type ExploreBody,
  type ExploreResult,
  explore,
  Mutex,
  Replay,
  Runtime,
  type Thread,
  timelineSvg,
  timelineText,
} from "@greenthreads/scheduler";

/** The shared state of one run. */
interface Counter {
  value: number;
}

/**
 * The racy increment: read, let others run, write. It notes what it read
 * and wrote in the trace, when the runtime keeps one (a traced replay).
 */
function* racyIncrement(self: Thread, counter: Counter) {
  const seen = counter.value; // read
  self.runtime.trace?.note(self, "note", `read ${seen}`);
  yield; // another thread may run here and update the counter
  counter.value = seen + 1; // write what we read plus one, losing any update made meanwhile
  self.runtime.trace?.note(self, "note", `write ${seen + 1}`);
}

/** The same increment with the read-yield-write held under a lock. */
function* lockedIncrement(self: Thread, counter: Counter, lock: Mutex) {
  yield* lock.lock();
  try {
    yield* racyIncrement(self, counter);
  } finally {
    lock.unlock();
  }
}

export const THREADS = 2;

/** Spawns the racy threads on `rt` and returns the counter they share. */
export function spawnRacy(rt: Runtime): Counter {
  const counter = { value: 0 };
  for (let i = 0; i < THREADS; i++) {
    rt.spawn(
      function* (self) {
        yield* racyIncrement(self, counter);
      },
      { name: `thread ${i}` },
    );
  }
  return counter;
}

/** Spawns the locked threads on `rt` and returns the counter they share. */
export function spawnLocked(rt: Runtime): Counter {
  const counter = { value: 0 };
  const lock = new Mutex();
  for (let i = 0; i < THREADS; i++) {
    rt.spawn(
      function* (self) {
        yield* lockedIncrement(self, counter, lock);
      },
      { name: `thread ${i}` },
    );
  }
  return counter;
}

/** Turns a spawning function into an explore() body that checks the total after each run. */
function checked(spawn: (rt: Runtime) => Counter): ExploreBody {
  return (rt) => {
    const counter = spawn(rt);
    return () => {
      if (counter.value !== THREADS) {
        throw new Error(`lost an update: the counter is ${counter.value}, not ${THREADS}`);
      }
    };
  };
}

/** What the demo found, for tests. */
export interface BugHunt {
  /** explore() over the racy threads. */
  racy: ExploreResult;
  /** The counter after replaying the failing schedule, if explore() found one. */
  replayed: number | undefined;
  /** explore() over the locked threads. */
  locked: ExploreResult;
}

/** The file name under which {@link bugHunting} saves the failing run's timeline. */
export const TIMELINE_FILE = "bug-hunting-timeline.svg";

/**
 * Hunts the lost update with PCT, prints the failing run's timeline, replays
 * it, then checks the fix, printing each step. `save(name, svg)` receives the
 * failing run's timeline as an SVG picture.
 */
export function bugHunting(
  print: (line: string) => void,
  save?: (name: string, svg: string) => void,
  options: { runs?: number; seed?: number } = {},
): BugHunt {
  const runs = options.runs ?? 100;
  const seed = options.seed ?? 1;

  const racy = explore(checked(spawnRacy), { strategy: "pct", runs, seed, trace: true });
  const failure = racy.failure;
  if (!failure) {
    print(`explore (pct): no failure in ${racy.runs} runs`);
    return { racy, replayed: undefined, locked: racy };
  }
  const cause = failure.error instanceof Error ? failure.error.message : String(failure.error);
  print(`explore (pct): run ${failure.run + 1} of up to ${runs} failed: ${cause}`);
  print(
    `  seed:     ${String(failure.seed)} (new PCT({ seed, steps: ${failure.steps} }) reruns it)`,
  );
  print(`  schedule: ${failure.schedule}`);
  const trace = failure.trace!;
  print("the failing run, switch by switch:");
  for (const line of timelineText(trace).split("\n")) print(`  ${line}`);
  save?.(
    TIMELINE_FILE,
    timelineSvg(trace, {
      title: `bug-hunting: the failing run (pct, seed ${String(failure.seed)})`,
    }),
  );

  // Replay: the same threads, the same switches, the same wrong total.
  const rt = new Runtime({ scheduler: new Replay(failure.schedule) });
  const counter = spawnRacy(rt);
  rt.run();
  print(`replay of that schedule: the counter is ${counter.value} again`);

  const locked = explore(checked(spawnLocked), { strategy: "pct", runs, seed });
  print(
    locked.ok
      ? `with a Mutex: explore (pct) passed all ${locked.runs} runs`
      : `with a Mutex: still failing: ${locked.failure?.message}`,
  );
  return { racy, replayed: counter.value, locked };
}
