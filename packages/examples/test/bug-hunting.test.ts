import { explore, PCT, Replay, Runtime } from "@greenthreads/scheduler";
import { expect, test } from "vitest";
import { bugHunting, spawnLocked, spawnRacy, THREADS } from "../src/bug-hunting.js";

test("explore (pct) finds the lost update, and its schedule replays the same wrong total", () => {
  const lines: string[] = [];
  const { racy, replayed, locked } = bugHunting((l) => lines.push(l), { runs: 100, seed: 1 });
  expect(racy.ok).toBe(false);
  const failure = racy.failure!;
  expect(failure.strategy).toBe("pct");
  expect(String(failure.error)).toMatch(/lost an update: the counter is \d+, not 2/);
  const lost = Number(/the counter is (\d+)/.exec(String(failure.error))![1]);
  expect(lost).toBeLessThan(THREADS);
  expect(replayed).toBe(lost);
  expect(failure.seed).toBe(1 + failure.run); // run i of explore uses seed + i
  expect(lines.some((l) => l.includes(`seed:     ${String(failure.seed)}`))).toBe(true);
  expect(lines.some((l) => l.includes(`schedule: ${failure.schedule}`))).toBe(true);
  expect(lines).toContain(`replay of that schedule: the counter is ${lost} again`);

  // Replaying is repeatable: every replay takes the same switches and loses the same update.
  for (let i = 0; i < 3; i++) {
    const rt = new Runtime({ scheduler: new Replay(failure.schedule) });
    const counter = spawnRacy(rt);
    rt.run();
    expect(counter.value).toBe(lost);
  }

  // The printed seed reruns the failing run under PCT as well.
  const rerun = new Runtime({
    scheduler: new PCT({ seed: failure.seed!, steps: failure.steps! }),
  });
  const counter = spawnRacy(rerun);
  rerun.run();
  expect(counter.value).toBe(lost);

  expect(locked.ok).toBe(true);
  expect(locked.runs).toBe(100);
  expect(lines.at(-1)).toBe("with a Mutex: explore (pct) passed all 100 runs");
});

test("every schedule of the locked threads keeps both updates (dfs, exhaustive)", () => {
  const result = explore(
    (rt) => {
      const counter = spawnLocked(rt);
      return () => expect(counter.value).toBe(THREADS);
    },
    { strategy: "dfs", runs: 10_000 },
  );
  expect(result.ok).toBe(true);
  expect(result.exhausted).toBe(true);
  // ...while the racy threads have a losing schedule that dfs finds as well.
  const racy = explore(
    (rt) => {
      const counter = spawnRacy(rt);
      return () => {
        if (counter.value !== THREADS) throw new Error(`lost: ${counter.value}`);
      };
    },
    { strategy: "dfs", runs: 10_000 },
  );
  expect(racy.ok).toBe(false);
});
