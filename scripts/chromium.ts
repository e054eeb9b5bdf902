/**
 * Debian's Chromium as the browser tests drive it: headless, through
 * playwright-core (no browser download), with a fresh profile each time and
 * every background service off, so a page reaches nothing but what the test
 * serves it.
 */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser is installed (tests skip with `skipped: chromium not installed` otherwise). */
export const chromiumInstalled = existsSync(CHROMIUM);

/** Launches headless Chromium with `profile` as its (fresh) user data directory. */
export function launchChromium(profile: string) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
