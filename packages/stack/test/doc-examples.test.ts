/**
 * Every `@example` in the package's TSDoc runs: imports of the two packages
 * are bound to the real modules, the TypeScript is transpiled, and the code
 * must finish without throwing. Examples are the first code people copy.
 */
import * as isa from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import * as stack from "../src/index.js";
import { exampleScript, examples } from "./tsdoc-examples.js";

const runnable = examples(new URL("../src/", import.meta.url)).filter(
  (e) => e.file !== "stack-handle.ts", // internal, needs `this`
);

describe("TSDoc examples", () => {
  test("there is an example per export", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(Object.keys(stack).length);
  });

  test.each(runnable.map((e) => [`${e.file} #${e.index}`, e] as const))("%s runs", (_name, e) => {
    const js = exampleScript(e.code);
    expect(js).not.toMatch(/\bimport\b/);
    const logs: unknown[][] = [];
    const quiet = { log: (...args: unknown[]) => logs.push(args) };
    const run = new Function("__isa", "__stack", "console", js);
    expect(() => run(isa, stack, quiet)).not.toThrow();
  });
});
