/**
 * The thread program of the signal storm tests: periodic on purpose, so
 * that the reference machine (about a thousand times slower than the CPU)
 * runs two rounds and knows every round.
 *
 * It fills `depth` words of its stack with an LCG sequence, then repeats
 * one round (reset r3 and r4, spin `spin` times mixing r3 into r4, count
 * the round in r2, yield r4) until resumed with a nonzero value, and then
 * pops its words into a checksum that it exits with. Every round yields
 * the same value and leaves the same registers but r2 and the same stack.
 */
export function stormProgram(depth: number, seed: number, spin: number): string {
  return `
  mov r0, ${seed}
  mov r1, 0
fill:
  beq r1, ${depth}, filled
  mul r0, r0, 6364136223846793005
  add r0, r0, 1442695040888963407
  push r0
  add r1, r1, 1
  jmp fill
filled:
  mov r2, 0
round:
  mov r3, 0
  mov r4, 0
spin:
  add r3, r3, 1
  mul r4, r4, 3
  xor r4, r4, r3
  blt r3, ${spin}, spin
  add r2, r2, 1
  yield r4 -> r7
  beq r7, 0, round
  mov r5, 0
drain:
  beq r1, 0, done
  pop r6
  mul r5, r5, 31
  add r5, r5, r6
  sub r1, r1, 1
  jmp drain
done:
  exit r5`;
}
