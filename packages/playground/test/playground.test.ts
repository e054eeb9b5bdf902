import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProgramLab } from "@greenthreads/examples/program-lab";
import { SwitchLab } from "@greenthreads/examples/switch-lab";
import type { AbiName } from "@greenthreads/isa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumInstalled, launchChromium } from "../../../scripts/chromium.js";
import { hex } from "../src/app.js";
import { trapText } from "../src/program-view.js";

const here = dirname(fileURLToPath(import.meta.url));
const installed = chromiumInstalled;
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
    let context: Awaited<ReturnType<typeof launchChromium>>;

    beforeAll(async () => {
      site = mkdtempSync(join(tmpdir(), "greenthreads-playground-"));
      const { execFileSync } = await import("node:child_process");
      execFileSync(process.execPath, [join(here, "..", "scripts", "build.mjs"), site]);
      profile = mkdtempSync(join(tmpdir(), "greenthreads-chromium-"));
      context = await launchChromium(profile);
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

    test("the fast backend of the browser (WebAssembly) runs the program with the interpreter's traps", async () => {
      const page = await context.newPage();
      await page.goto(`file://${join(site, "index.html")}`);
      await page.click("#tab-program");
      await page.click("#p-fast");
      const text = await page.textContent("#p-fast-result");
      const lab = new ProgramLab("x86_64-sysv");
      while (!lab.finished) lab.runToTrap();
      expect(text).toMatch(
        new RegExp(
          `^wasm: ${lab.traps.length} traps in [0-9.]+ ms; the same as the interpreter's: yes$`,
        ),
      );
      await page.close();
    });

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
