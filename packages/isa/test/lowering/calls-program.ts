/**
 * A thread program with calls, returns, a forged return and every kind of
 * trap, for the tests that put lowered code through GNU `as`: its return
 * table, ret dispatch and shared trap sequences must assemble to the bytes
 * that assemble() gives.
 */
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";

export const CALLS_PROGRAM_TEXT = `
  mov r0, 5
  call fact
  hostcall print(r0) -> r1
  push 7
  call twice
  pop r2
  yield r2 -> r3
  load r4, stack[r3 + 1]
  store stack[0], r4
  push 12345
  ret                     ; forged: faults unless 12345 is a return site
fact:
  bleu r0, 1, base
  push r0
  sub r0, r0, 1
  call fact
  pop r1
  mul r0, r0, r1
  ret
base:
  mov r0, 1
  ret
twice:
  call fact
  exit r0
`;

export function callsProgram(): Program {
  return parseProgram(CALLS_PROGRAM_TEXT);
}
