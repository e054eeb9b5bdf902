/**
 * Both builds of the package in one process share one runtime state: the
 * ESM build and the CommonJS build, as tsup makes them, loaded side by side
 * in a child process, step each other's threads and helpers.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "tsup";
import { afterAll, beforeAll, expect, test } from "vitest";
import config from "../tsup.config.js";

const packageDir = join(import.meta.dirname, "..");
let outDir = "";

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "greenthreads-scheduler-dist-"));
  const options = Array.isArray(config) ? config[0] : config;
  // The package's own build (entries, formats, splitting), core only, without
  // declarations, into a scratch directory so dist/ is left alone.
  await build({
    ...(options as object),
    entry: { index: join(packageDir, "src/index.ts") },
    outDir,
    dts: false,
    sourcemap: false,
    silent: true,
  });
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test("a CommonJS join, channel and currentThread work inside a thread the ESM Runtime runs", () => {
  const script = join(outDir, "mixed.mjs");
  writeFileSync(
    script,
    `
import { createRequire } from "node:module";
const esm = await import(${JSON.stringify(join(outDir, "index.js"))});
const cjs = createRequire(import.meta.url)(${JSON.stringify(join(outDir, "index.cjs"))});
const out = { twoCopies: esm.Runtime !== cjs.Runtime };
const rt = new esm.Runtime();
const ch = new cjs.Channel(0);
const target = rt.spawn(function* () {
  yield;
  yield* ch.send(41);
  return 1;
});
const main = rt.spawn(function* (self) {
  out.sameThread = cjs.currentThread() === self;
  out.instance = self instanceof cjs.Thread && rt instanceof cjs.Runtime;
  const got = yield* ch.recv();
  return got + (yield* cjs.join(target));
});
rt.run();
out.result = main.result;
try {
  [...cjs.join(target)];
} catch (e) {
  out.outside = e.code;
}
console.log(JSON.stringify(out));
`,
  );
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({
    twoCopies: true,
    sameThread: true,
    instance: true,
    result: 42,
    outside: "NOT_IN_THREAD",
  });
});
