/**
 * The WebAssembly backend reaches no Node built-in: esbuild bundles an entry
 * that imports it for the browser platform (where a `node:` import is an
 * error), and the bundle runs a thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

type Build = (options: Record<string, unknown>) => Promise<{ outputFiles: { text: string }[] }>;
const esbuild: { build: Build } | undefined = await import("esbuild" as string).catch(
  () => undefined,
);

const name = "a browser bundle of the wasm backend runs a thread";
test.skipIf(!esbuild)(esbuild ? name : `${name} (skipped: esbuild not installed)`, async () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "gt-wasm-bundle-"));
  try {
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      [
        `import { parseProgram } from ${JSON.stringify(join(here, "../../isa/src/index.ts"))};`,
        `import { WasmBackend } from ${JSON.stringify(join(here, "../src/wasm/wasm-backend.ts"))};`,
        "const b = new WasmBackend();",
        'const t = b.spawn(b.load(parseProgram("hostcall f(r0) -> r0\\nyield r0\\nexit 0")));',
        "b.resume(t);",
        "export const trap = b.resume(t, 41n);",
      ].join("\n"),
    );
    const result = await esbuild!.build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      conditions: ["@greenthreads/source"],
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*"node:|require\("node:/);
    const bundle = join(dir, "bundle.mjs");
    writeFileSync(bundle, code);
    const { trap } = (await import(bundle)) as { trap: unknown };
    expect(trap).toEqual({ kind: "yield", value: 41n });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
