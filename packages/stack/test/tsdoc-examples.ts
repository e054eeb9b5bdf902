/**
 * Finding and preparing the `@example` blocks of a package's TSDoc so that a
 * test can run each one: used by every package's doc-examples test.
 */
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";

export interface Example {
  readonly file: string;
  readonly index: number;
  readonly code: string;
}

/** Every ```ts block of every `@example` under `srcDir` (subfolders included), in file order. */
export function examples(srcDir: URL): Example[] {
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

/**
 * An example as JavaScript for `new Function("__isa", "__stack", …, js)`:
 * `import { a, type B } from "@greenthreads/pkg"` becomes `const { a } = __pkg;`
 * and type-only imports go.
 */
export function exampleScript(code: string): string {
  const bound = code.replace(
    /import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@greenthreads\/(\w+)";/g,
    (_all, typeOnly: string | undefined, names: string, pkg: string) => {
      if (typeOnly) return "";
      const values = names
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type "));
      return values.length ? `const { ${values.join(", ")} } = __${pkg};` : "";
    },
  );
  return ts.transpileModule(bound, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
}
