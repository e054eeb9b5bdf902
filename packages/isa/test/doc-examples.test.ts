/**
 * Every `@example` in the package's TSDoc runs, the way the stack and switch
 * packages run theirs: imports of the package are bound to its real face
 * (so an example that names something the face does not export fails), the
 * TypeScript is transpiled, and the code must finish without throwing.
 * Examples are the first code people copy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { exampleScript, examples } from "../../stack/test/tsdoc-examples.js";
import * as isa from "../src/index.js";

const srcDir = new URL("../src/", import.meta.url);
const all = examples(srcDir);

/** The type names `src/index.ts` exports: they have no value to look up at run time. */
const typeExports = new Set<string>();
for (const [, typeOnly, names] of readFileSync(
  new URL("../src/index.ts", import.meta.url),
  "utf8",
).matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
  for (const raw of names!.split(",")) {
    const name = raw.trim();
    if (typeOnly && name) typeExports.add(name);
    else if (name.startsWith("type ")) typeExports.add(name.slice(5).trim());
  }
}
const isTypeOnlyExport = (name: string): boolean => typeExports.has(name);

describe("TSDoc examples", () => {
  test("there is an example per export", () => {
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(isa).length);
  });

  test("every example imports only names the package exports", () => {
    const missing: string[] = [];
    for (const e of all) {
      for (const [, names] of e.code.matchAll(
        /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"@greenthreads\/isa"/g,
      )) {
        for (const raw of names!.split(",")) {
          const name = raw.trim().replace(/^type\s+/, "");
          if (name && !isTypeOnlyExport(name) && !(name in isa))
            missing.push(`${e.file} #${e.index}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test.each(all.map((e) => [`${e.file} #${e.index}`, e] as const))("%s runs", async (_name, e) => {
    // An example on a module-internal declaration imports it from its module
    // ("./registers.js"), as code inside the package would; bind those too.
    const locals: Record<string, unknown>[] = [];
    const code = await replaceAsync(
      e.code,
      /import\s+(type\s+)?\{([^}]*)\}\s+from\s+"(\.{1,2}\/[^"]+)";/g,
      async (typeOnly, names, path) => {
        if (typeOnly) return "";
        locals.push(await import(new URL(path, new URL(e.file, srcDir)).href));
        const values = names
          .split(",")
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith("type "));
        return values.length
          ? `const { ${values.join(", ")} } = __local[${locals.length - 1}];`
          : "";
      },
    );
    const js = exampleScript(code);
    expect(js).not.toMatch(/^\s*import\s/m);
    const logs: unknown[][] = [];
    const quiet = { log: (...args: unknown[]) => logs.push(args) };
    const run = new Function("__isa", "__local", "console", js);
    expect(() => run(isa, locals, quiet)).not.toThrow();
  });
});

async function replaceAsync(
  text: string,
  pattern: RegExp,
  replace: (typeOnly: string | undefined, names: string, path: string) => Promise<string>,
): Promise<string> {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += text.slice(last, m.index) + (await replace(m[1], m[2]!, m[3]!));
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}
