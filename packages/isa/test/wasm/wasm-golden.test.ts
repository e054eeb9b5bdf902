/**
 * The text of one small lowered program, checked against a file kept under
 * review: a change to the lowering shows up as a readable diff of the
 * module. Regenerate with GREENTHREADS_UPDATE_GOLDEN=1 after checking it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { parseProgram } from "../../src/language/parse.js";
import { formatWat } from "../../src/wasm/format-wat.js";
import { lowerProgramToWasm } from "../../src/wasm/lower-to-wasm.js";

const SOURCE = `
  mov r0, 3
loop:
  add r1, r1, r0
  sub r0, r0, 1
  bne r0, 0, loop       ; a loop region: the back edge is one br_if
  call double
  yield r1              ; the resume enters instruction 6 through the dispatch table
  jmp loop              ; a backward jump outside the region: through the dispatch table
double:
  add r1, r1, r1
  ret
`;
test("golden text of a program with a loop region, a call, a return and a backward jump", () => {
  const path = join(dirname(fileURLToPath(import.meta.url)), "golden", "call-loop.wat");
  const text = formatWat(lowerProgramToWasm(parseProgram(SOURCE)));
  if (process.env.GREENTHREADS_UPDATE_GOLDEN === "1") writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, "utf8"));
});
