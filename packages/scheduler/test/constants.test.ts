import { expect, test } from "vitest";
import { NOT_RUNNABLE, RESUME_MASK } from "../src/thread.js";
import { STEP_BLOCK, STEP_RETURN, STEP_THROW, STEP_YIELD } from "../src/thread-driver.js";

// The hot path (GeneratorDriver.step, the loop in run-loop.ts) spells these as literals.
test("the literals in the hot path match the constants", () => {
  expect([STEP_YIELD, STEP_BLOCK, STEP_RETURN, STEP_THROW]).toEqual([0, 1, 2, 3]);
  expect(RESUME_MASK).toBe(15);
  expect(NOT_RUNNABLE).toBe(8);
});
