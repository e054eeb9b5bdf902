/**
 * Every `@example` in the package's TSDoc runs, the way the stack package
 * runs its own: imports of the three packages are bound to the real modules,
 * the TypeScript is transpiled, and the code must finish without throwing.
 * Examples are the first code people copy.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as isa from "@greenthreads/isa";
import * as stack from "@greenthreads/stack";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import * as switchPackage from "../src/index.js";

const srcDir = new URL("../src/", import.meta.url);

interface Example {
  readonly file: string;
  readonly index: number;
  readonly code: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  const files = (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .sort();
  for (const file of files) {
    const text = readFileSync(new URL(file, srcDir), "utf8");
    const blocks = text.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\//g);
    let index = 0;
    for (const [, block] of blocks) {
      const body = block!.replace(/^\s*\* ?/gm, "");
      const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
      if (code) found.push({ file, index: index++, code });
    }
  }
  return found;
}

/** Turns `import { a, type B } from "pkg"` into `const { a } = __pkg;` and drops type imports. */
function bindImports(code: string): string {
  return code.replace(
    /import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@greenthreads\/(isa|stack|switch)";/g,
    (_all, typeOnly: string | undefined, names: string, pkg: string) => {
      if (typeOnly) return "";
      const values = names
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type "));
      return values.length ? `const { ${values.join(", ")} } = __${pkg};` : "";
    },
  );
}

const all = examples();

describe("TSDoc examples", () => {
  test("there is an example per export", () => {
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(switchPackage).length);
  });

  test.each(all.map((e) => [`${e.file} #${e.index}`, e] as const))("%s runs", (_name, e) => {
    const js = ts.transpileModule(bindImports(e.code), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    expect(js).not.toMatch(/\bimport\b/);
    const logs: unknown[][] = [];
    const quiet = { log: (...args: unknown[]) => logs.push(args) };
    // `process` is the real one except for listeners, which an example must not leave behind.
    const proc = Object.create(process, { on: { value: () => proc } });
    const run = new Function("__isa", "__stack", "__switch", "console", "process", js);
    expect(() => run(isa, stack, switchPackage, quiet, proc)).not.toThrow();
  });
});
