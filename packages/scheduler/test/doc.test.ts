import { readFileSync } from "node:fs";
import { dirname, join as joinPath } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { explore, Replay, Runtime } from "../src/index.js";
import { ShortestJobFirst } from "./doc/shortest-job-first.js";

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(joinPath(here, "../../../docs/writing-a-scheduler.md"), "utf8");
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

test("the doc's policy is exactly test/doc/shortest-job-first.ts, in under 40 lines", () => {
  const file = readFileSync(joinPath(here, "doc/shortest-job-first.ts"), "utf8");
  expect(blocks[0]).toBe(file);
  expect(file.trimEnd().split("\n").length).toBeLessThan(40);
});

test("the doc's usage example gives the order it says", () => {
  // The second block, run as written (its import of the policy is the file above).
  const rt = new Runtime({ scheduler: new ShortestJobFirst() });
  const order: string[] = [];
  for (const [name, work] of [
    ["long", 3],
    ["short", 1],
    ["medium", 2],
  ] as const) {
    rt.spawn(
      function* () {
        for (let turn = 1; turn < work; turn++) yield;
        order.push(name);
      },
      { name, work },
    );
  }
  rt.run();
  expect(order).toEqual(["short", "medium", "long"]);
  expect(blocks[1]).toContain('// order: ["short", "medium", "long"]');
  expect(blocks[1]).toContain("for (let turn = 1; turn < work; turn++) yield;");
});

test("the custom policy works with recording, Replay, blocking and explore", () => {
  const body = (rt: Runtime) => {
    const done: number[] = [];
    for (const work of [5, 2, 4]) {
      rt.spawn(
        function* () {
          for (let i = 1; i < work; i++) yield;
          done.push(work);
        },
        { work },
      );
    }
    return done;
  };
  const rt = new Runtime({ scheduler: new ShortestJobFirst(), record: true });
  const done = body(rt);
  const s = rt.run();
  expect(done).toEqual([2, 4, 5]);
  const again = new Runtime({ scheduler: new Replay(s.schedule!) });
  body(again);
  expect(again.run().switches).toBe(s.switches);
  expect(explore((r) => void body(r), { strategy: "dfs", runs: 50 }).ok).toBe(true);
});
