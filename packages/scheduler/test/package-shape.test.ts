/**
 * The shape of the source: no import loop, and a core that knows nothing of
 * machines. Read from the files themselves, so a new import that breaks
 * either shows up here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

const srcDir = join(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return f.endsWith(".ts") ? [p] : [];
  });
}

interface Imports {
  /** Relative imports that exist at run time (not `import type`, not all-`type` names). */
  readonly values: string[];
  /** Every package name imported, types included. */
  readonly packages: string[];
}

function importsOf(file: string): Imports {
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const values: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(
    /^(?:import|export)\s+(type\s+)?(?:([^;]*?)\s+from\s+)?"([^"]+)";/gms,
  )) {
    const [, typeOnly, names, spec] = m as unknown as [
      string,
      string | undefined,
      string | undefined,
      string,
    ];
    if (!spec.startsWith(".")) {
      packages.push(spec);
      continue;
    }
    const allTypes =
      typeOnly !== undefined ||
      (names?.startsWith("{") &&
        names
          .replace(/[{}]/g, "")
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .every((n) => n.startsWith("type ")));
    if (!allTypes) values.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  }
  return { values, packages };
}

const files = sourceFiles(srcDir);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test("no module of the package imports itself back through its imports", () => {
  const loops: string[] = [];
  const state = new Map<string, "open" | "closed">();
  const path: string[] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    path.push(f);
    for (const g of graph.get(f)?.values ?? []) {
      if (state.get(g) === "open") {
        loops.push(
          path
            .slice(path.indexOf(g))
            .concat(g)
            .map((p) => relative(srcDir, p))
            .join(" -> "),
        );
      } else if (!state.has(g)) visit(g);
    }
    path.pop();
    state.set(f, "closed");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  expect(loops).toEqual([]);
});

test("the core imports neither @greenthreads/isa nor @greenthreads/switch; machine/ is where they come in", () => {
  const core = files.filter((f) => !relative(srcDir, f).startsWith("machine/"));
  const offenders = core.filter((f) =>
    graph.get(f)!.packages.some((p) => p.startsWith("@greenthreads/")),
  );
  expect(offenders.map((f) => relative(srcDir, f))).toEqual([]);
  // The core reaches no machine file either.
  const reached = new Set<string>();
  const walk = (f: string): void => {
    if (reached.has(f)) return;
    reached.add(f);
    for (const g of graph.get(f)?.values ?? []) walk(g);
  };
  walk(join(srcDir, "index.ts"));
  expect([...reached].filter((f) => relative(srcDir, f).startsWith("machine/"))).toEqual([]);
  const machineFiles = files.filter((f) => relative(srcDir, f).startsWith("machine/"));
  expect(machineFiles.some((f) => graph.get(f)!.packages.includes("@greenthreads/switch"))).toBe(
    true,
  );
});
