/**
 * Every `@example` in the package's TSDoc runs, the way the stack package
 * runs its own: imports of the three packages are bound to the real modules,
 * the TypeScript is transpiled, and the code must finish without throwing.
 * Examples are the first code people copy.
 */
import * as isa from "@greenthreads/isa";
import * as stack from "@greenthreads/stack";
import { describe, expect, test } from "vitest";
import { exampleScript, examples } from "../../stack/test/tsdoc-examples.js";
import * as switchPackage from "../src/index.js";

const all = examples(new URL("../src/", import.meta.url));

describe("TSDoc examples", () => {
  test("there is an example per export", () => {
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(switchPackage).length);
  });

  test.each(all.map((e) => [`${e.file} #${e.index}`, e] as const))("%s runs", (_name, e) => {
    const js = exampleScript(e.code);
    expect(js).not.toMatch(/\bimport\b/);
    const logs: unknown[][] = [];
    const quiet = { log: (...args: unknown[]) => logs.push(args) };
    // `process` is the real one except for listeners, which an example must not leave behind.
    const proc = Object.create(process, { on: { value: () => proc } });
    const run = new Function("__isa", "__stack", "__switch", "console", "process", js);
    expect(() => run(isa, stack, switchPackage, quiet, proc)).not.toThrow();
  });
});
