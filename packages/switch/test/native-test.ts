/**
 * Tests that need something optional (the native addon, /proc, qemu): a
 * plain `test` when it is there, else a skipped test whose name says what
 * is missing. A test that runs never has "skipped" in its name.
 */
import { test } from "vitest";

type TestFn = typeof test;

/** `test` when `ready`; otherwise `test.skip` with `(skipped: <reason>)` added to the name. */
export function testWhen(ready: boolean, reason: string): TestFn {
  if (ready) return test;
  const skipped = (name: string, ...rest: unknown[]) =>
    (test.skip as (...args: unknown[]) => void)(`${name} (skipped: ${reason})`, ...rest);
  return skipped as unknown as TestFn;
}
