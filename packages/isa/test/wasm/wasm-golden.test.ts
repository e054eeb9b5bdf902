/**
 * The text of one small lowered program, checked against a file kept under
 * review: a change to the lowering shows up as a readable diff of the
 * module. Regenerate with GREENTHREADS_UPDATE_GOLDEN=1 after checking it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { parseProgram } from "../../src/program/parse.js";
import { formatWat } from "../../src/wasm/format-wat.js";
import { lowerProgramToWasm } from "../../src/wasm/lower-to-wasm.js";

const SOURCE = `
  mov r0, 2
loop:
  call double
  sub r0, r0, 1
  bne r0, 0, loop
  yield r1
  exit 0
double:
  add r1, r1, r1
  ret
`;

test("golden text of a program with a loop, a call and a return", () => {
  const path = join(dirname(fileURLToPath(import.meta.url)), "golden", "call-loop.wat");
  const text = formatWat(lowerProgramToWasm(parseProgram(SOURCE)));
  if (process.env.GREENTHREADS_UPDATE_GOLDEN === "1") writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, "utf8"));
});
