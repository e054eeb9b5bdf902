import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { CATALOG, examplesPage } from "../src/catalog.js";

const docs = join(import.meta.dirname, "../../../docs");

test("docs/examples.md and its pictures are what the examples print today (pnpm --filter @greenthreads/examples docs:examples)", () => {
  const pictures = new Map<string, string>();
  const page = examplesPage((name, svg) => pictures.set(name, svg));
  expect(readFileSync(join(docs, "examples.md"), "utf8")).toBe(page);
  expect(pictures.size).toBeGreaterThan(0);
  for (const [name, svg] of pictures) {
    expect(readFileSync(join(docs, "media", name), "utf8"), name).toBe(svg);
  }
});

test("every example script in package.json is in the catalog, and the other way round", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8"));
  const scripts = Object.entries(pkg.scripts as Record<string, string>)
    .filter(([, command]) => command.includes("-cli.ts"))
    .map(([name]) => name);
  const listed = CATALOG.map((e) => e.name);
  for (const name of listed) expect(scripts).toContain(name);
  // fibers and machine-fibers are c-fibers' two halves; every-abi prints the host's native backend.
  const elsewhere = ["fibers", "machine-fibers", "every-abi"];
  expect(scripts.filter((s) => !listed.includes(s) && !elsewhere.includes(s))).toEqual([]);
});
