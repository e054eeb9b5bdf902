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

/** The type names an index file exports: they have no value to look up at run time. */
function typeNames(index: URL): Set<string> {
  const types = new Set<string>();
  for (const [, typeOnly, names] of readFileSync(index, "utf8").matchAll(
    /export\s+(type\s+)?\{([^}]*)\}/g,
  )) {
    for (const raw of names!.split(",")) {
      // "type A as B" exports B.
      const name = raw
        .trim()
        .split(/\s+as\s+/)
        .at(-1)!;
      if (typeOnly && name) types.add(name);
      else if (raw.trim().startsWith("type ")) types.add(name.replace(/^type\s+/, ""));
    }
  }
  return types;
}

const typeExports = typeNames(new URL("../src/index.ts", import.meta.url));
const isTypeOnlyExport = (name: string): boolean => typeExports.has(name);

/**
 * The face's namespaces (`export * as protocol from "./protocol/index.js"`)
 * and the type names each exports, so that `protocol.TCB` in an example is
 * checked like a name imported from the face.
 */
const namespaceTypes = new Map<string, Set<string>>();
for (const [, name, path] of readFileSync(
  new URL("../src/index.ts", import.meta.url),
  "utf8",
).matchAll(/export \* as (\w+) from "(\.\/[^"]+)"/g)) {
  namespaceTypes.set(name!, typeNames(new URL(path!.replace(/\.js$/, ".ts"), srcDir)));
}

/** Names that `ns.name` in an example uses from a namespace the example imports. */
function qualifiedMisses(code: string, imported: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const [, ns, name] of code.matchAll(/(?<![\w$.])(\w+)\.(\w+)/g)) {
    if (!imported.has(ns!)) continue;
    const types = namespaceTypes.get(ns!);
    if (!types) continue;
    const values = (isa as unknown as Record<string, Record<string, unknown>>)[ns!]!;
    if (!types.has(name!) && !(name! in values)) missing.push(`${ns}.${name}`);
  }
  return missing;
}

describe("TSDoc examples", () => {
  test("there is an example per export", () => {
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(isa).length);
  });

  test("every example imports only names the package exports", () => {
    const missing: string[] = [];
    for (const e of all) {
      const imported = new Set<string>();
      for (const [, names] of e.code.matchAll(
        /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"@greenthreads\/isa"/g,
      )) {
        for (const raw of names!.split(",")) {
          const name = raw.trim().replace(/^type\s+/, "");
          if (!name) continue;
          imported.add(name);
          if (!isTypeOnlyExport(name) && !(name in isa))
            missing.push(`${e.file} #${e.index}: ${name}`);
        }
      }
      for (const name of qualifiedMisses(e.code, imported))
        missing.push(`${e.file} #${e.index}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  test("the namespace check sees a name a namespace does not export", () => {
    const imported = new Set(["protocol", "wasm"]);
    expect(qualifiedMisses("protocol.TCB.fuel; wasm.WasmModule; protocol.Nope", imported)).toEqual([
      "protocol.Nope",
    ]);
    expect(namespaceTypes.get("memory")).toContain("Permission");
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
