/**
 * The TSDoc examples of the concurrency toolkit run, and print what their
 * comments say: each `console.log(...); // expected` line is checked against
 * what the example really logged (values as JSON, separated by spaces).
 */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import * as scheduler from "../src/index.js";

const files = [
  "helpers/select.ts",
  "helpers/scope.ts",
  "helpers/all.ts",
  "helpers/race.ts",
  "helpers/timeout.ts",
  "helpers/semaphore.ts",
  "helpers/wait-group.ts",
  "helpers/condition.ts",
];
/** The toolkit's examples in files shared with the rest of the runtime. */
const elsewhere: [string, RegExp][] = [
  ["errors.ts", /TimeoutError/],
  ["runtime.ts", /\.choose\(/],
];

interface Example {
  readonly name: string;
  readonly code: string;
}

function examplesOf(file: string): Example[] {
  const text = readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8");
  const found: Example[] = [];
  let i = 0;
  for (const [, block] of text.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\//g)) {
    const body = block!.replace(/^\s*\* ?/gm, "");
    const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
    if (code) found.push({ name: `${file} #${i++}`, code });
  }
  return found;
}

/** `import { a, type B } from "@greenthreads/scheduler"` -> `const { a } = __scheduler;` */
function bindImports(code: string): string {
  return code.replace(
    /import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@greenthreads\/scheduler";/g,
    (_all, typeOnly: string | undefined, names: string) => {
      if (typeOnly) return "";
      const values = names
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type "));
      return values.length ? `const { ${values.join(", ")} } = __scheduler;` : "";
    },
  );
}

/** The comments after `console.log(...);`, in order: what each log should print. */
function expectedLogs(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
}

const normal = (s: string) => s.replace(/\s+/g, "");

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

const examples = [
  ...files.flatMap(examplesOf),
  ...elsewhere.flatMap(([file, re]) => examplesOf(file).filter((e) => re.test(e.code))),
];

describe("toolkit TSDoc examples", () => {
  test("every toolkit file has examples", () => {
    for (const f of files) expect(examplesOf(f).length, f).toBeGreaterThan(0);
    for (const [f, re] of elsewhere)
      expect(
        examples.some((e) => e.name.startsWith(f) && re.test(e.code)),
        f,
      ).toBe(true);
  });

  test.each(examples.map((e) => [e.name, e] as const))(
    "%s runs and logs what it says",
    async (_n, e) => {
      const js = ts.transpileModule(bindImports(e.code), {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      }).outputText;
      expect(js).not.toMatch(/\bimport\b/);
      const logs: string[] = [];
      const quiet = {
        log: (...args: unknown[]) =>
          logs.push(
            args.map((a) => (typeof a === "bigint" ? `${a}n` : JSON.stringify(a))).join(" "),
          ),
      };
      await new AsyncFunction("__scheduler", "console", js)(scheduler, quiet);
      const expected = expectedLogs(e.code);
      expect(logs.map(normal)).toEqual(expected.map(normal));
    },
  );
});
