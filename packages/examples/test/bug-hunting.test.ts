import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { explore, PCT, Replay, Runtime } from "@greenthreads/scheduler";
import { expect, test } from "vitest";
import { bugHunting, spawnLocked, spawnRacy, THREADS, TIMELINE_FILE } from "../src/bug-hunting.js";

test("explore (pct) finds the lost update, and its schedule replays the same wrong total", () => {
  const lines: string[] = [];
  const saved = new Map<string, string>();
  const { racy, replayed, locked } = bugHunting(
    (l) => lines.push(l),
    (name, svg) => saved.set(name, svg),
    { runs: 100, seed: 1 },
  );
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

  // The failing run's timeline: a lane per thread, named after it, each
  // thread's read and write in its steps, and the failing step marked. The
  // lost update means both threads read before either wrote: in switch
  // order, both "read 0" come before the first "write 1".
  const trace = failure.trace!;
  expect(trace.threads.map((t) => t.name)).toEqual(["thread 0", "thread 1"]);
  const notes = trace.events.filter((e) => e.kind === "note").map((e) => e.detail);
  expect(notes.slice(0, 2)).toEqual(["read 0", "read 0"]);
  expect(notes.slice(2)).toEqual(["write 1", "write 1"]);
  expect(trace.failure?.message).toBe(String(failure.error).replace(/^Error: /, ""));
  expect(trace.failure?.step).toBe(trace.steps);
  const text = lines.slice(lines.indexOf("the failing run, switch by switch:") + 1);
  expect(text[0]).toMatch(/^ {2}step │ thread 0 │ thread 1 │$/);
  const failingRow = text.find((l) => l.includes("◄ fails"));
  expect(failingRow).toMatch(new RegExp(`^ +${trace.steps} │ .*write 1.*◄ fails: lost an update`));
  const svg = saved.get(TIMELINE_FILE)!;
  expect([...saved.keys()]).toEqual([TIMELINE_FILE]);
  expect(svg).toContain(">thread 0</text>");
  expect(svg).toContain(">thread 1</text>");
  expect(svg).toContain(`<title>failing step ${trace.steps}: lost an update`);
  expect(svg.match(/>read 0<\/text>/g)).toHaveLength(2);

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

test("the command writes the failing run's timeline to a file and says where", () => {
  const dir = mkdtempSync(join(tmpdir(), "bug-hunting-"));
  try {
    const out = execFileSync(
      process.execPath,
      [
        "--conditions=@greenthreads/source",
        "--import",
        "tsx",
        "src/bug-hunting-cli.ts",
        "--svg",
        dir,
      ],
      { cwd: join(import.meta.dirname, ".."), encoding: "utf8" },
    );
    const path = join(dir, TIMELINE_FILE);
    expect(out).toContain(`timeline of the failing run: ${path}`);
    expect(out).toContain("the failing run, switch by switch:");
    const svg = readFileSync(path, "utf8");
    expect(svg).toContain(">thread 0</text>");
    expect(svg).toMatch(/<title>failing step \d+: lost an update/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
