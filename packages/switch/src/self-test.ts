/**
 * The self-test a backend must pass before {@link loadBackend} hands it out.
 *
 * A native addon can load and still be wrong for this machine (a stale
 * build, a prebuild for a different CPU level, generated routines that do not
 * match the isa's ABI data). So selection runs one tiny program that
 * exercises every kind of trap a thread can produce (a host call with an
 * argument and a result, a yield with a value, an exhausted budget and an
 * exit) and compares every trap with what the thread-program semantics say.
 *
 * @module
 */
import { parseProgram, type Trap } from "@greenthreads/isa";
import type { Backend } from "./backend.js";

const SELF_TEST_SOURCE = `
  mov r0, 20
  hostcall probe(r0) -> r1
  yield r1 -> r2
loop:
  sub r2, r2, 1
  bne r2, 0, loop
  add r3, r1, 1
  exit r3
`;

/** The traps the self-test program must produce, and the values to resume with. */
const EXPECTED: readonly { trap: Trap; answer: bigint }[] = [
  { trap: { kind: "hostcall", name: "probe", args: [20n] }, answer: 41n },
  { trap: { kind: "yield", value: 41n }, answer: 30n },
  { trap: { kind: "budget" }, answer: 0n },
  { trap: { kind: "exit", code: 42n }, answer: 0n },
];

function same(a: Trap, b: Trap): boolean {
  return (
    JSON.stringify(a, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ===
    JSON.stringify(b, (_, v) => (typeof v === "bigint" ? `${v}n` : v))
  );
}

/**
 * Runs the self-test program on `backend`; returns `undefined` when every
 * trap matched, otherwise what went wrong.
 *
 * @example
 * ```ts
 * import { loadBackend, selfTest } from "@greenthreads/switch";
 * console.log(selfTest(loadBackend({ prefer: "emulated" }))); // undefined
 * ```
 */
export function selfTest(backend: Backend): string | undefined {
  try {
    const program = backend.load(parseProgram(SELF_TEST_SOURCE), { fuel: true });
    // 30 loop iterations of two instructions cannot finish within a budget of 50 after the yield.
    const thread = backend.spawn(program, {
      stackSize: backend.stacks.minimumSize * 2,
      budget: 50n,
    });
    try {
      let value = 0n;
      for (const [i, step] of EXPECTED.entries()) {
        const trap = backend.resume(thread, value);
        if (!same(trap, step.trap)) {
          const show = (t: Trap): string =>
            JSON.stringify(t, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
          return `trap ${i + 1} of the self-test was ${show(trap)}, expected ${show(step.trap)}`;
        }
        value = step.answer;
      }
    } finally {
      backend.release(thread);
    }
    return undefined;
  } catch (e) {
    return `the self-test threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}
