/**
 * Thread programs that exercise every instruction, every fault and the
 * budget, for the tests that compare lowered code with the reference machine.
 */
export interface CorpusProgram {
  readonly name: string;
  readonly source: string;
  readonly budget?: bigint;
  /** Stack size in bytes given to the thread. */
  readonly stackSize?: number;
}

export const CORPUS: readonly CorpusProgram[] = [
  {
    name: "counting loop with yields",
    source: `
      mov r0, 0
    loop:
      yield r0
      add r0, r0, 1
      blt r0, 5, loop
      exit r0`,
  },
  {
    name: "factorial by recursion",
    source: `
      mov r0, 10
      call fact
      yield r1
      exit 0
    fact:                 ; r1 = r0!
      bgt r0, 1, recurse
      mov r1, 1
      ret
    recurse:
      push r0
      sub r0, r0, 1
      call fact
      pop r0
      mul r1, r1, r0
      ret`,
  },
  {
    name: "fibonacci by recursion",
    source: `
      mov r0, 12
      call fib
      exit r1
    fib:                  ; r1 = fib(r0)
      blt r0, 2, base
      push r0
      sub r0, r0, 1
      call fib
      pop r0
      push r1
      push r0
      sub r0, r0, 2
      call fib
      pop r0
      pop r2
      add r1, r1, r2
      ret
    base:
      mov r1, r0
      ret`,
  },
  {
    name: "array on the stack",
    source: `
      mov r0, 0
    fill:
      mul r1, r0, r0
      push r1
      add r0, r0, 1
      blt r0, 10, fill
      mov r2, 0            ; sum
      mov r3, 0            ; index
    sum:
      load r4, stack[r3]
      add r2, r2, r4
      add r3, r3, 1
      blt r3, 10, sum
      store stack[r3 + -1], 777
      load r5, stack[9]
      yield r5
      exit r2`,
  },
  {
    name: "host calls with arguments and results",
    source: `
      mov r0, 3
      mov r1, 4
      mov r2, 5
      hostcall add3(r0, r1, r2) -> r3
      hostcall mix(r3, r0, r1, r2, r3, r0) -> r4
      hostcall note()
      hostcall note(r4)
      exit r4`,
  },
  {
    name: "yield receives a value",
    source: `
      yield 1 -> r0
      yield r0 -> r1
      add r2, r0, r1
      exit r2`,
  },
  {
    name: "stack overflow by pushing",
    stackSize: 1024,
    source: `
    loop:
      push r0
      add r0, r0, 1
      jmp loop`,
  },
  {
    name: "stack overflow by recursion",
    stackSize: 2048,
    source: `
      call deep
      exit 0
    deep:                 ; returns only past a depth the stack cannot hold
      bgt r0, 1000000, done
      add r0, r0, 1
      call deep
    done:
      ret`,
  },
  {
    name: "load past the stack's top",
    source: `
      push 1
      push 2
      load r0, stack[1]
      yield r0
      load r0, stack[2]
      exit 0`,
  },
  {
    name: "negative index",
    source: `
      push 1
      mov r1, -3
      load r0, stack[r1 + 2]
      exit 0`,
  },
  {
    name: "store out of bounds",
    source: `
      store stack[0], 5
      exit 0`,
  },
  {
    name: "pop on an empty stack",
    source: `
      push 9
      pop r0
      yield r0
      pop r0
      exit 0`,
  },
  {
    name: "ret on an empty stack",
    source: `
      ret`,
  },
  {
    name: "forged return",
    source: `
      push 12345
      ret`,
  },
  {
    name: "forged return to a real site is allowed only for return sites",
    source: `
      call f
      yield 1
      push 0
      ret
    f:
      ret`,
  },
  {
    name: "forged return to the last instruction, which is in the table but no return site",
    source: `
      call f
      push 4
      ret
    f:
      ret
      exit 9`,
  },
  {
    name: "forged return to a return site goes there",
    source: `
      call f
      add r0, r0, 1       ; the return site, reached again by each forged return
      bgeu r0, 3, done
      push 1
      ret
    done:
      exit r0
    f:
      ret`,
  },
  {
    name: "forged return one past the last instruction",
    source: `
      call f
      push 4
      ret
    f:
      ret`,
  },
  {
    name: "forged return of the largest word",
    source: `
      call f
      push -1
      ret
    f:
      ret`,
  },
  {
    name: "forged return to a call instruction itself",
    source: `
      call f
      push 0
      ret
    f:
      ret`,
  },
  {
    name: "budget preempts a loop",
    budget: 7n,
    source: `
      mov r0, 0
    loop:
      add r0, r0, 1
      blt r0, 20, loop
      exit r0`,
  },
  {
    name: "budget with host calls and faults",
    budget: 3n,
    stackSize: 1024,
    source: `
      hostcall tick() -> r0
      push r0
      push r0
      push r0
      hostcall tick() -> r1
    loop:
      push r1
      jmp loop`,
  },
  {
    name: "arithmetic edge cases",
    source: `
      mov r0, -1
      mov r1, 0x7fffffffffffffff
      add r2, r1, 1          ; wraps to the most negative value
      yield r2
      mul r3, r1, r1
      yield r3
      sub r4, r0, r1
      yield r4
      shl r5, r0, 63
      yield r5
      shr r5, r0, 63
      yield r5
      sar r5, r2, 63
      yield r5
      mov r6, 64
      shl r5, r0, r6         ; shift amounts use their low 6 bits
      yield r5
      mov r6, 65
      shr r5, r0, r6
      yield r5
      and r5, r1, 0xff00
      yield r5
      or r5, r2, 0x1234567890
      yield r5
      xor r5, r0, 0x5555555555555555
      yield r5
      mul r5, r0, -3
      yield r5
      sub r5, r5, 0xffffffffffff
      yield r5
      exit 0`,
  },
  {
    name: "every branch condition, signed and unsigned",
    source: `
      mov r0, -1
      mov r1, 1
      mov r7, 0
      beq r0, -1, a
      jmp fail
    a: bne r0, r1, b
      jmp fail
    b: blt r0, r1, c
      jmp fail
    c: ble r0, r0, d
      jmp fail
    d: bgt r1, r0, e
      jmp fail
    e: bge r1, r1, f
      jmp fail
    f: bltu r1, r0, g
      jmp fail
    g: bleu r0, r0, h
      jmp fail
    h: bgtu r0, r1, i
      jmp fail
    i: bgeu r0, 0xffffffffffffffff, j
      jmp fail
    j: bltu r0, r1, fail
      blt r1, r0, fail
      bgeu r1, r0, fail
      bgt r0, 0, fail
      exit 1
    fail:
      exit 99`,
  },
];
