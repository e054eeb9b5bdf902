import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, vi } from "vitest";

const here = import.meta.dirname;

test("the root README's taste is src/taste.ts, and it runs", async () => {
  const readme = readFileSync(join(here, "../../../README.md"), "utf8");
  const block = readme.split("## A taste")[1]!.split("```ts\n")[1]!.split("```")[0]!;
  expect(block).toBe(readFileSync(join(here, "../src/taste.ts"), "utf8"));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await import("../src/taste.js");
    expect(log).toHaveBeenCalledWith("worker:", 6, "counter:", 1_000_000n);
  } finally {
    log.mockRestore();
  }
});
