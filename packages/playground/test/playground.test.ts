import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProgramLab } from "@greenthreads/examples/program-lab";
import { SwitchLab } from "@greenthreads/examples/switch-lab";
import type { AbiName } from "@greenthreads/isa";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hex } from "../src/app.js";
import { trapText } from "../src/program-view.js";

const CHROMIUM = "/usr/bin/chromium";
const here = dirname(fileURLToPath(import.meta.url));
const installed = existsSync(CHROMIUM);
const out = join(here, "output");

/** The registers the lab holds after `steps` steps of a round trip, computed here in Node. */
function expected(abi: AbiName, steps: number): Map<string, string> {
  const lab = new SwitchLab(abi);
  lab.beginRoundTrip();
  for (let i = 0; i < steps; i++) {
    if (lab.backInMain) lab.beginRoundTrip();
    lab.step();
  }
  return new Map([...lab.registers()].map(([k, v]) => [k, hex(v)]));
}

describe.skipIf(!installed)(
  `the playground in headless Chromium${installed ? "" : " (skipped: chromium not installed)"}`,
  { timeout: 60_000 },
  () => {
    let site: string;
    let profile: string;
    let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;

    beforeAll(async () => {
      site = mkdtempSync(join(tmpdir(), "greenthreads-playground-"));
      const { execFileSync } = await import("node:child_process");
      execFileSync(process.execPath, [join(here, "..", "scripts", "build.mjs"), site]);
      profile = mkdtempSync(join(tmpdir(), "greenthreads-chromium-"));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(site, { recursive: true, force: true });
    });

    test.each([
      ["x86_64-win64", 23],
      ["riscv64-lp64d", 31],
    ] as const)(
      "on %s, %i steps show the registers the interpreter holds after them",
      async (abi, steps) => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`file://${join(site, "index.html")}`);
        await page.selectOption("#abi", abi);
        for (let i = 0; i < steps; i++) await page.click("#step");
        expect(await page.textContent("#steps")).toBe(String(steps));
        const shown = new Map(
          await page.$$eval("#registers tr", (rows) =>
            rows.map((r) => [r.getAttribute("data-reg")!, r.querySelector(".value")!.textContent!]),
          ),
        );
        expect(shown).toEqual(expected(abi, steps));
        // The last step's changes are highlighted, and only registers the step changed.
        const changed = await page.$$eval("#registers tr.changed", (rows) =>
          rows.map((r) => r.getAttribute("data-reg")),
        );
        expect(changed.length).toBeGreaterThan(0);
        expect(changed).toContain("pc");
        mkdirSync(out, { recursive: true });
        await page.screenshot({ path: join(out, `playground-${abi}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      },
    );

    test.each([
      ["aarch64-aapcs64", 40],
      ["x86_64-sysv", 57],
    ] as const)(
      "a thread program on %s: %i steps show the interpreter's registers, and traps match",
      async (abi, steps) => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`file://${join(site, "index.html")}`);
        await page.click("#tab-program");
        await page.selectOption("#p-abi", abi);
        for (let i = 0; i < steps; i++) await page.click("#p-step");
        const lab = new ProgramLab(abi);
        for (let i = 0; i < steps; i++) lab.step();
        expect(await page.textContent("#p-steps")).toBe(String(steps));
        const shown = new Map(
          await page.$$eval("#p-registers tr", (rows) =>
            rows.map((r) => [r.getAttribute("data-reg")!, r.querySelector(".value")!.textContent!]),
          ),
        );
        expect(shown).toEqual(new Map([...lab.registers()].map(([k, v]) => [k, hex(v)])));
        await page.click("#p-trap");
        await page.click("#p-trap");
        lab.runToTrap();
        lab.runToTrap();
        const traps = await page.$$eval("#p-trap-list li", (items) =>
          items.map((i) => i.textContent),
        );
        expect(traps).toEqual(lab.traps.map(trapText));
        const tcb = new Map(
          await page.$$eval("#p-tcb tr", (rows) =>
            rows.map((r) => [
              r.getAttribute("data-field")!,
              r.querySelector(".value")!.textContent!,
            ]),
          ),
        );
        expect(tcb).toEqual(new Map(lab.controlBlock().map((f) => [f.name, hex(f.value)])));
        mkdirSync(out, { recursive: true });
        await page.screenshot({ path: join(out, `playground-program-${abi}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      },
    );

    test("running back to main completes a round trip: main's context holds main's registers", async () => {
      const page = await context.newPage();
      await page.goto(`file://${join(site, "index.html")}`);
      await page.selectOption("#abi", "aarch64-aapcs64");
      await page.click("#run");
      expect(await page.textContent("#where")).toBe("main");
      const lab = new SwitchLab("aarch64-aapcs64");
      const steps = lab.switchToGreenAndBack();
      expect(await page.textContent("#steps")).toBe(String(steps));
      const green = new Map(
        await page.$$eval("#context-green tr", (rows) =>
          rows.map((r) => [r.getAttribute("data-slot")!, r.querySelector(".value")!.textContent!]),
        ),
      );
      expect(green).toEqual(new Map(lab.context("green").map((s) => [s.name, hex(s.value)])));
      await page.close();
    });
  },
);
