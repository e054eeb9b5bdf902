import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ReferenceMachine } from "@greenthreads/isa";
import { build } from "esbuild";
import { expect, test } from "vitest";
import { chromiumInstalled, launchChromium } from "../../../scripts/chromium.js";
import { BUDGET, EVERY_ABI_PROGRAM, transcript } from "../src/every-abi.js";
import { fibers } from "../src/fibers.js";

const here = dirname(fileURLToPath(import.meta.url));
const installed = chromiumInstalled;

interface PageResult {
  error?: string;
  picked: { kind: string; reason: string };
  kinds: string[];
  fibers: string[];
  machineFibers: Record<string, string[]>;
  traps: Record<string, string[]>;
}

/** Bundles the page's entry as a browser would get it: no aliases, shims or defines. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, "fixtures", "browser-entry.ts")],
    bundle: true,
    platform: "browser",
    format: "esm",
    // The packages' TypeScript sources, as everywhere in these tests (the packed
    // builds are bundled the same way by the packaging checks).
    conditions: ["@greenthreads/source"],
    write: false,
    logLevel: "silent",
  });
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  return result.outputFiles[0]!.text;
}

/** Opens the bundle in headless Chromium and returns what the page computed. */
async function runInChromium(code: string): Promise<PageResult> {
  const profile = mkdtempSync(join(tmpdir(), "greenthreads-chromium-"));
  const context = await launchChromium(profile);
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Served from memory: the page never reaches the network.
    await page.route("http://greenthreads.test/**", (route) => {
      const url = route.request().url();
      return url.endsWith("/bundle.js")
        ? route.fulfill({ contentType: "text/javascript", body: code })
        : route.fulfill({
            contentType: "text/html",
            body: '<!doctype html><script type="module" src="/bundle.js"></script>',
          });
    });
    await page.goto("http://greenthreads.test/");
    const handle = await page.waitForFunction(
      () => (globalThis as Record<string, unknown>).greenthreadsResult,
      undefined,
      { timeout: 60_000 },
    );
    const result = (await handle.jsonValue()) as PageResult;
    expect(pageErrors).toEqual([]);
    return result;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The every-ABI program's traps on the reference machine, the semantics every backend must match. */
function referenceTraps(): string[] {
  const reference = new ReferenceMachine(EVERY_ABI_PROGRAM, {
    stackWords: 64,
    hostcalls: ["report"],
    budget: BUDGET,
  });
  return transcript((value) => reference.resume(value));
}

test.skipIf(!installed)(
  installed
    ? "in headless Chromium the book's fibers print their transcript, and machine threads run on the emulated and wasm backends"
    : "in headless Chromium the book's fibers run (skipped: chromium not installed)",
  async () => {
    const result = await runInChromium(await bundle());
    expect(result.error).toBeUndefined();

    // JavaScript threads: the book's transcript, line for line as in Node.
    const book: string[] = [];
    fibers((line) => book.push(line));
    expect(result.fibers).toEqual(book);
    expect(result.fibers.slice(0, 4)).toEqual([
      "THREAD 1 STARTING",
      "thread: 1 counter: 0",
      "THREAD 2 STARTING",
      "thread: 2 counter: 0",
    ]);
    expect(result.fibers.at(-1)).toBe("THREAD 2 FINISHED");

    // No addon loads in a page: loadBackend() falls back and says why.
    expect(result.picked.kind).not.toBe("native");
    expect(result.picked.reason).toMatch(/not running in Node/);
    expect(result.kinds).toEqual(["emulated", "wasm"]);

    // Machine threads through the runtime print the same fibers, on both backends.
    expect(result.machineFibers).toEqual({ emulated: book, wasm: book });

    // A machine thread stops at the reference machine's traps, on each backend.
    const expected = referenceTraps();
    expect(expected.at(-1)).toMatch(/^exit \d+$/);
    expect(Object.keys(result.traps)).toHaveLength(3);
    for (const [backend, traps] of Object.entries(result.traps)) {
      expect({ backend, traps }).toEqual({ backend, traps: expected });
    }
  },
  120_000,
);
