/**
 * Timelines: the text and SVG renderings of a trace show a lane per thread
 * named after it, a row or a column per switch, what blocked threads wait
 * for, exits, throws, faults, and a marked failing step.
 */
import { loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import { explore, RunFailedError, Runtime, timelineSvg, timelineText } from "../src/index.js";
import { spawnMachine } from "../src/machine/index.js";
import { tracedProducerConsumer } from "./producer-consumer.js";

/** A producer and a consumer over an unbuffered channel, and a third thread that throws. */
function traced(): Runtime {
  const rt = tracedProducerConsumer();
  rt.spawn(function* () {
    throw new Error("no");
  });
  try {
    rt.run();
  } catch (e) {
    rt.trace!.markFailure(e);
  }
  return rt;
}

/** Checks that every tag is closed in order: the SVG is well-formed XML as far as tags go. */
function expectBalancedTags(svg: string): void {
  const open: string[] = [];
  for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClose) continue;
    if (close) expect(open.pop()).toBe(name);
    else open.push(name!);
  }
  expect(open).toEqual([]);
}

describe("timelineText", () => {
  test("a column per thread, a row per switch, notes, and the failing step", () => {
    // Round robin: producer blocks on the unbuffered send (1), consumer yields
    // (2), #3 throws (3), consumer takes the value and wakes producer (4),
    // producer finishes its send (5).
    expect(timelineText(traced().trace!)).toBe(
      [
        "step │ producer │ consumer │ #3      │",
        "─────┼──────────┼──────────┼─────────┤",
        '   1 │ ▶ block  │ ·        │ ·       │ producer blocks on send on channel "jobs" (capacity 0, 0 buffered)',
        "   2 │ ░        │ ▶ yield  │ ·       │",
        "   3 │ ░        │ ·        │ ▶ THREW │ #3 threw: no  ◄ fails: no",
        "   4 │ ░        │ ▶ exit   │         │ producer woken by consumer; consumer returned",
        "   5 │ ▶ exit   │          │         │ producer returned",
      ].join("\n"),
    );
  });

  test("maxSteps keeps the first steps and the failing one", () => {
    const text = timelineText(traced().trace!, { maxSteps: 1, notes: false });
    expect(text.split("\n").slice(2)).toEqual([
      "   1 │ ▶ block  │ ·        │ ·       │",
      "   … │ (1 steps not shown)",
      "   3 │ ░        │ ·        │ ▶ THREW │  ◄ fails: no",
      "   … │ (2 steps not shown)",
    ]);
  });
});

describe("timelineSvg", () => {
  test("lanes named after the threads, blocked spans titled with the wait, exits and the failure marked", () => {
    const svg = timelineSvg(traced().trace!, { title: "three threads" });
    expect(svg.startsWith("<svg xmlns=")).toBe(true);
    expectBalancedTags(svg);
    expect(svg).toContain(">three threads</text>");
    for (const name of ["producer", "consumer", "#3"]) expect(svg).toContain(`>${name}</text>`);
    // producer is blocked during steps 2-4, on the channel.
    expect(svg).toContain(
      "<title>producer blocked on send on channel &quot;jobs&quot; (capacity 0, 0 buffered), steps 2–4</title>",
    );
    expect(svg).toContain("<title>failing step 3: no</title>");
    expect(svg).toContain("✗ failing step 3: no");
    // Two threads returned (a bar each), one threw (a cross).
    expect(svg.match(/<title>step \d+: \S+ returned<\/title>/g)).toHaveLength(2);
    expect(svg.match(/<title>step 3: #3 threw: no<\/title>/g)).toHaveLength(1);
    // Five switches: five running steps.
    expect(svg.match(/runs, step \d/g)).toHaveLength(5);
  });

  test("escapes names and keeps long runs within bounds", () => {
    const rt = new Runtime({ trace: true });
    rt.spawn(
      function* () {
        for (let i = 0; i < 300; i++) yield;
      },
      { name: "<a&b>" },
    );
    rt.run();
    const svg = timelineSvg(rt.trace!, { width: 800 });
    expectBalancedTags(svg);
    expect(svg).toContain(">&lt;a&amp;b&gt;</text>");
    expect(svg).not.toContain("<a&b>");
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(800);
  });

  test("a machine thread's fault and host calls are marked", () => {
    const backend = loadBackend({ prefer: "emulated", abi: "x86_64-sysv" });
    const rt = new Runtime({ trace: true });
    spawnMachine(rt, "hostcall hello()\nloop:\n  push r0\n  jmp loop", {
      backend,
      name: "deep",
      stackSize: 16384,
      hostcalls: { hello: () => {} },
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    const svg = timelineSvg(rt.trace!);
    expect(svg).toContain("<title>step 1: deep host call hello()</title>");
    expect(svg).toMatch(/<title>step 1: deep stack-overflow at instruction 1 \(line 3\)<\/title>/);
  });

  test("explore()'s failing run draws with its failing step", () => {
    const result = explore(
      (rt) => {
        const c = { n: 0 };
        for (const name of ["inc 1", "inc 2"]) {
          rt.spawn(
            function* () {
              const seen = c.n;
              yield;
              c.n = seen + 1;
            },
            { name },
          );
        }
        return () => {
          if (c.n !== 2) throw new Error(`lost an update: ${c.n}`);
        };
      },
      { strategy: "dfs", trace: true },
    );
    const svg = timelineSvg(result.failure!.trace!);
    expect(svg).toContain(">inc 1</text>");
    expect(svg).toContain(">inc 2</text>");
    expect(svg).toContain("<title>failing step 4: lost an update: 1</title>");
  });
});
