/**
 * Thread programs that exercise every part of lowering and every trap, with
 * the answers a host gives them. Shared by the differential test and the
 * benchmark.
 */
import type { Trap } from "@greenthreads/isa";

export interface CorpusEntry {
  readonly name: string;
  readonly source: string;
  readonly stackSize?: number;
  readonly budget?: bigint;
}

const MASK = (1n << 64n) - 1n;

/** What the host answers: host calls compute, yields echo a function of their value. */
export function answer(trap: Trap): bigint | undefined {
  if (trap.kind === "hostcall") {
    if (trap.name === "add") return trap.args.reduce((a, b) => (a + b) & MASK, 0n);
    if (trap.name === "mul") return trap.args.reduce((a, b) => (a * b) & MASK, 1n);
    if (trap.name === "now") return 1_700_000_000n;
    return 0n;
  }
  if (trap.kind === "yield") return (trap.value * 3n + 1n) & MASK;
  return undefined;
}

export const CORPUS: readonly CorpusEntry[] = [
  {
    name: "a budget trap on a host call whose result register is its argument",
    source: "mov r1, 42\nhostcall h(r1) -> r1\nexit r1",
    budget: 1n,
  },
  {
    name: "a budget trap on a yield whose result register is its value",
    source: "mov r1, 42\nyield r1 -> r1\nexit r1",
    budget: 1n,
  },
  {
    name: "counting loop",
    source: "mov r0, 0\nloop:\n  add r0, r0, 1\n  blt r0, 1000, loop\n  exit r0",
  },
  {
    name: "recursive factorial via call/ret",
    source: `
  mov r0, 15
  call fact
  exit r1
fact:
  bne r0, 0, rec
  mov r1, 1
  ret
rec:
  push r0
  sub r0, r0, 1
  call fact
  pop r0
  mul r1, r1, r0
  ret`,
  },
  {
    name: "host calls with arguments and results",
    source: `
  mov r0, 3
  mov r1, 4
  hostcall add(r0, r1) -> r2
  hostcall mul(r2, r2, r0, r1, r1, r1) -> r3
  hostcall now() -> r4
  hostcall log(r3, r4)
  sub r5, r3, r4
  exit r5`,
  },
  {
    name: "yields with values",
    source: `
  mov r0, 0
  mov r1, 1
loop:
  yield r1 -> r1
  add r0, r0, 1
  blt r0, 6, loop
  yield -1
  exit r1`,
  },
  {
    name: "arithmetic edge values",
    source: `
  mov r0, 0x8000000000000000
  sar r1, r0, 63
  shr r2, r0, 63
  shl r3, r1, 4
  mul r4, r0, r0
  sub r5, r2, 2
  xor r6, r5, r3
  and r7, r6, 0xff00ff
  or r7, r7, r2
  hostcall add(r1, r2, r3, r4, r5, r6)
  yield r7
  mov r0, 1
  shl r0, r0, 70
  exit r0`,
  },
  {
    name: "stack words: load and store by index",
    source: `
  push 10
  push 20
  push 30
  mov r1, 1
  load r0, stack[r1 + 1]
  store stack[0], r0
  load r2, stack[0]
  pop r3
  pop r4
  pop r5
  hostcall add(r2, r3, r4, r5)
  exit r5`,
  },
  {
    name: "stack overflow by pushing",
    source: "loop:\n  push r0\n  add r0, r0, 1\n  jmp loop",
    stackSize: 8192,
  },
  {
    name: "stack overflow by unbounded recursion",
    source: "  call f\n  exit 0\nf:\n  yield 0\n  bne r0, 0, done\n  call f\ndone:\n  ret",
    stackSize: 4096,
  },
  { name: "out-of-bounds load", source: "push 1\nload r0, stack[1]\nexit r0" },
  {
    name: "out-of-bounds store at a negative index",
    source: "mov r1, -1\nstore stack[r1], 5\nexit 0",
  },
  { name: "pop on an empty stack", source: "pop r0\nexit r0" },
  { name: "bad return to a forged address", source: "push 77\nret\ncall x\nexit 0\nx: ret" },
  { name: "ret on an empty stack", source: "ret" },
  {
    name: "exhausted budget with resumes",
    source: "mov r0, 0\nloop:\n  add r0, r0, 1\n  blt r0, 200, loop\n  hostcall add(r0)\n  exit r0",
    budget: 37n,
  },
  {
    name: "budget across yields and calls",
    source:
      "  mov r0, 5\nloop:\n  call f\n  sub r0, r0, 1\n  bne r0, 0, loop\n  exit r1\nf:\n  add r1, r1, r0\n  yield r1\n  ret",
    budget: 4n,
  },
];
