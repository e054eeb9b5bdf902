import { expect, test } from "vitest";
import {
  NOT_RUNNABLE,
  RESUME_MASK,
  STEP_BLOCK,
  STEP_RETURN,
  STEP_THROW,
  STEP_YIELD,
} from "../src/thread.js";

// The hot path in runtime.ts spells these as literals (see GeneratorDriver.step).
test("the literals in the hot path match the constants", () => {
  expect([STEP_YIELD, STEP_BLOCK, STEP_RETURN, STEP_THROW]).toEqual([0, 1, 2, 3]);
  expect(RESUME_MASK).toBe(15);
  expect(NOT_RUNNABLE).toBe(8);
});
