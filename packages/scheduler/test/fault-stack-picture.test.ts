/**
 * A faulted machine thread's stack, as text and picture: the copy is taken
 * before the stack goes back to the allocator, its words are the ones the
 * reference semantics (ReferenceMachine of the isa) had on its stack when it
 * faulted the same way, the word at the stack pointer is highlighted and the
 * guard is drawn. On the emulated backends, and natively where the addon loads.
 */
import { parseProgram, ReferenceMachine } from "@greenthreads/isa";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import { RunFailedError, Runtime, SchedulerError } from "../src/index.js";
import { faultStackPicture, MachineFaultError, spawnMachine } from "../src/machine/index.js";

/** Recursion that pushes a counter per level and never stops in time: a stack overflow. */
const DEEP = `
  mov r0, 7
  call f
  exit 0
f:
  push r0
  add r0, r0, 1
  blt r0, 100000, deeper
  pop r0
  ret
deeper:
  call f
  pop r0
  ret`;
const STACK_SIZE = 16384;

const native = loadBackend({ prefer: "native" });
const backends: [string, () => Backend][] = [
  ["emulated x86_64-sysv", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
  ["emulated aarch64-aapcs64", () => loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" })],
];

function faultOn(backend: Backend): { error: MachineFaultError; capacity: number } {
  // The program's capacity on this backend and stack size: the reference runs with the same.
  const probe = backend.spawn(backend.load(parseProgram(DEEP)), { stackSize: STACK_SIZE });
  const capacity = probe.capacityWords;
  backend.release(probe);
  const rt = new Runtime();
  const t = spawnMachine(rt, DEEP, { backend, name: "deep", stackSize: STACK_SIZE });
  expect(() => rt.run()).toThrow(RunFailedError);
  const error = t.outcome?.kind === "threw" ? t.outcome.error : undefined;
  expect(error).toBeInstanceOf(MachineFaultError);
  // The thread's stack went back to the allocator: the picture is drawn from the copy.
  expect(backend.stacks.stats().live).toBe(0);
  return { error: error as MachineFaultError, capacity };
}

function checkAgainstReference(backend: Backend): void {
  const { error, capacity } = faultOn(backend);
  const reference = new ReferenceMachine(parseProgram(DEEP), { stackWords: capacity });
  const trap = reference.resume();
  expect(trap).toMatchObject({ kind: "fault", fault: "stack-overflow" });
  expect(error.fault).toBe("stack-overflow");
  expect(error.instruction).toBe(
    (trap as { details: { instruction: number } }).details.instruction,
  );

  const picture = faultStackPicture(error, { words: 12 });
  const words = reference.stack; // top first
  expect(picture.highlight).toBe(picture.sp);
  // The words from sp up are the reference's stack, top first.
  const fromSp = picture.rows
    .filter((r) => r.address >= picture.sp)
    .sort((a, b) => (a.address < b.address ? -1 : 1));
  expect(fromSp).toHaveLength(12);
  expect(fromSp.map((r) => r.word)).toEqual(words.slice(0, 12));
  expect(fromSp[0]!.atSp).toBe(true);

  const stack = error.stackAtFault!.stack;
  const lines = picture.text.split("\n");
  expect(lines[0]).toBe(error.message);
  expect(lines[1]).toContain(`${Number(stack.high - picture.sp) / 8} words in use`);
  const spLine = lines.find((l) => l.includes("<- sp: the last word written"))!;
  expect(spLine).toContain(`0x${words[0]!.toString(16).padStart(16, "0")}`);
  expect(lines.at(-1)).toMatch(
    new RegExp(`guard, ${stack.guardSize} bytes below 0x0*${stack.low.toString(16)}: no access$`),
  );

  // The picture: the highlighted word outlined, the guard hatched.
  expect(picture.svg).toContain('stroke="#c00000"');
  expect(picture.svg).toContain('fill="url(#guard)"');
  expect(picture.svg).toContain(`guard, ${stack.guardSize} bytes`);
}

describe("faultStackPicture", () => {
  for (const [name, make] of backends) {
    test(`a stack overflow on ${name}: the words at the fault, the word at sp highlighted, the guard`, () => {
      checkAgainstReference(make());
    });
  }

  test.skipIf(native.kind !== "native")(
    native.kind === "native"
      ? "a stack overflow natively: the copy of the real stack holds the reference's words"
      : "skipped: native addon not built",
    () => {
      checkAgainstReference(loadBackend({ prefer: "native" }));
    },
  );

  test("the copy is read-only, and bad arguments are refused", () => {
    const { error } = faultOn(loadBackend({ prefer: "emulated", abi: "x86_64-sysv" }));
    const stack = error.stackAtFault!.stack;
    expect(() => stack.memory.write64(stack.high - 8n, 1n)).toThrow(/read-only/);
    expect(() => stack.memory.read64(stack.low - 8n)).toThrow(/outside the copied stack/);
    expect(() => faultStackPicture(new Error("x") as MachineFaultError)).toThrow(SchedulerError);
    expect(() => faultStackPicture(error, { words: 0 })).toThrow(/words must be an integer >= 1/);
  });
});
