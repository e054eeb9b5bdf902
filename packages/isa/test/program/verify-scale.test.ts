/**
 * The verifier at scale: its return analysis against a direct statement of
 * the rule, programs of many thousands of instructions, and the instruction
 * limit (parser, builder and verifier refuse alike, before any work
 * proportional to the program).
 */
import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { program } from "../../src/language/builder.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { PROGRAM_LIMITS } from "../../src/language/syntax.js";
import { diagnoseProgram, verifyProgram } from "../../src/language/verify.js";
import { xorshift } from "./random.js";

/**
 * The rule as the verifier's documentation states it, computed the slow way:
 * a call target returns if a search from it reaches a `ret`, stepping over
 * inner calls only into targets already known to return; repeated until
 * nothing changes.
 */
function neverReturningCalls(p: Program): number[] {
  const ins = p.instructions;
  const target = (i: number): number => p.labels.get((ins[i] as { target: string }).target)!;
  const returns = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    for (let t = 0; t < ins.length; t++) {
      if (returns.has(t)) continue;
      const seen = new Set<number>();
      const stack = [t];
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (i >= ins.length || seen.has(i)) continue;
        seen.add(i);
        const op = ins[i].op;
        if (op === "ret") {
          returns.add(t);
          changed = true;
          break;
        }
        if (op === "exit") continue;
        if (op === "call") {
          if (returns.has(target(i))) stack.push(i + 1);
        } else if (op === "jmp") stack.push(target(i));
        else if (op === "br") stack.push(target(i), i + 1);
        else stack.push(i + 1);
      }
    }
  }
  const out: number[] = [];
  ins.forEach((x, i) => {
    if (x.op === "call" && !returns.has(target(i))) out.push(i);
  });
  return out;
}

/** Random control flow: calls, jumps, branches, rets and exits between labelled instructions. */
function randomFlow(seed: number): string {
  const rng = xorshift(seed);
  const n = 4 + rng.int(40);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const to = `l${rng.int(n)}`;
    const body = rng.pick([
      `call ${to}`,
      `call ${to}`,
      `jmp ${to}`,
      `beq r0, 1, ${to}`,
      "ret",
      "ret",
      "exit 0",
      "add r0, r0, 1",
    ]);
    lines.push(`l${i}: ${body}`);
  }
  lines.push("exit 0");
  return lines.join("\n");
}

function callErrors(p: Program): number[] {
  return diagnoseProgram(p)
    .filter((e) => e.message.includes("never returns"))
    .map((e) => Number(/the call at instruction (\d+)/.exec(e.message)![1]));
}

describe("which calls never return", () => {
  test("agrees with the rule computed by repeated search, on 2,000 random programs", () => {
    let flagged = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const p = parseProgram(randomFlow(seed));
      const expected = neverReturningCalls(p);
      flagged += expected.length;
      expect(callErrors(p), randomFlow(seed)).toEqual(expected);
    }
    // The corpus exercises both answers.
    expect(flagged).toBeGreaterThan(100);
  });

  test("a chain of 20,000 calls returns; broken at its far end, every call of it never returns", () => {
    const chain = (returns: boolean): Program => {
      const b = program().call("f0").exit(0);
      for (let i = 0; i < 10_000; i++)
        b.label(`f${i}`)
          .call(`f${i + 1}`)
          .ret();
      b.label("f10000").add("r0", "r0", 1);
      return (returns ? b.ret() : b.jmp("f10000")).build();
    };
    verifyProgram(chain(true));
    const errors = callErrors(chain(false));
    expect(errors.length).toBe(10_001);
    expect(errors[0]).toBe(0);
  });
});

describe("the instruction limit", () => {
  const limit = PROGRAM_LIMITS.maxInstructions;

  test("a program over options.maxInstructions is refused, saying its size, the limit and what to do", () => {
    const p = parseProgram("add r0, r0, 1\nadd r0, r0, 1\nexit r0");
    verifyProgram(p, { maxInstructions: 3 });
    let error: unknown;
    try {
      verifyProgram(p, { maxInstructions: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IsaError);
    expect((error as IsaError).code).toBe("VERIFY_ERROR");
    expect((error as IsaError).message).toContain("has 3 instructions");
    expect((error as IsaError).message).toContain("limit of 2 set by options.maxInstructions");
    expect((error as IsaError).message).toContain("split it into several programs");
  });

  test("the default limit is checked before any instruction is looked at", () => {
    // A sparse array: any look at an instruction would find holes and report them.
    const huge = { instructions: new Array(limit + 1), labels: new Map(), hostcalls: [] };
    const problems = diagnoseProgram(huge as unknown as Program);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(`has ${limit + 1} instructions`);
    expect(problems[0].message).toContain(`PROGRAM_LIMITS.maxInstructions, ${limit}`);
  });

  test.each([0, -1, 1.5, limit + 1, "10", null])(
    "options.maxInstructions %s is BAD_ARGUMENT",
    (max) => {
      const p = parseProgram("exit 0");
      expect(() => verifyProgram(p, { maxInstructions: max as number })).toThrow(
        expect.objectContaining({ code: "BAD_ARGUMENT" }),
      );
    },
  );

  test("the parser stops at the first instruction over the limit, with its line", () => {
    // Labels and blank lines do not count; the limit is in instructions.
    const text = `start:\n\n${"ret\n".repeat(limit)}ret\nret\n`;
    let error: unknown;
    try {
      parseProgram(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IsaError);
    expect((error as IsaError).code).toBe("PARSE_ERROR");
    expect((error as IsaError).line).toBe(limit + 3);
    expect((error as IsaError).message).toContain("split it into several programs");
  }, 120_000);

  test("the builder refuses the instruction over the limit", () => {
    const b = program();
    for (let i = 0; i < limit; i++) b.ret();
    expect(() => b.ret()).toThrow(/more than the most a program may have/);
    expect(b.build().instructions).toHaveLength(limit);
  }, 120_000);
});
