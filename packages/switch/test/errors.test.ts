import { getAbi, IsaError, parseProgram } from "@greenthreads/isa";
import { StackError } from "@greenthreads/stack";
import { describe, expect, test } from "vitest";
import { type Backend, EmulatedBackend, NativeBackend, SwitchError } from "../src/index.js";

const backends: [string, Backend | undefined][] = [
  ["emulated", new EmulatedBackend(getAbi("x86_64-sysv"))],
  [
    "native",
    (() => {
      try {
        return new NativeBackend();
      } catch {
        return undefined;
      }
    })(),
  ],
];

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof SwitchError) return e.code;
    throw e;
  }
  return undefined;
};

describe.each(backends)("%s backend", (name, maybe) => {
  const skip = maybe === undefined;
  const tag = skip ? " (skipped: native addon not built)" : "";
  const backend = maybe!;

  test.skipIf(skip)(`resuming or releasing a released thread is THREAD_RELEASED${tag}`, () => {
    const thread = backend.spawn(backend.load(parseProgram("yield 1\nexit 0")));
    backend.resume(thread);
    backend.release(thread);
    expect(thread.state).toBe("released");
    expect(code(() => backend.resume(thread))).toBe("THREAD_RELEASED");
    expect(code(() => backend.release(thread))).toBe("THREAD_RELEASED");
  });

  test.skipIf(skip)(`resuming an exited or faulted thread is THREAD_FINISHED${tag}`, () => {
    const exited = backend.spawn(backend.load(parseProgram("exit 3")));
    expect(backend.resume(exited)).toEqual({ kind: "exit", code: 3n });
    expect(code(() => backend.resume(exited))).toBe("THREAD_FINISHED");
    const faulted = backend.spawn(backend.load(parseProgram("pop r0\nexit 0")));
    expect(backend.resume(faulted).kind).toBe("fault");
    expect(code(() => backend.resume(faulted))).toBe("THREAD_FINISHED");
    backend.release(exited);
    backend.release(faulted);
  });

  test.skipIf(skip)(
    `a bad stackSize is BAD_STACK_SIZE with the StackError as cause, and allocates nothing${tag}`,
    () => {
      const program = backend.load(parseProgram("exit 0"));
      const live = backend.stacks.stats().live;
      for (const stackSize of [0, -4096, 5000, 1.5, 2 ** 60]) {
        let error: unknown;
        try {
          backend.spawn(program, { stackSize });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SwitchError);
        expect((error as SwitchError).code).toBe("BAD_STACK_SIZE");
        expect((error as SwitchError).cause).toBeInstanceOf(StackError);
      }
      expect(backend.stacks.stats().live).toBe(live);
    },
  );

  test.skipIf(skip)(
    `an unverified program is INVALID_PROGRAM wrapping the isa's VERIFY_ERROR${tag}`,
    () => {
      let error: unknown;
      try {
        backend.load(parseProgram("mov r0, 1\njmp nowhere"));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SwitchError);
      expect((error as SwitchError).code).toBe("INVALID_PROGRAM");
      expect((error as SwitchError).line).toBe(2);
      expect((error as SwitchError).cause).toBeInstanceOf(IsaError);
      expect(((error as SwitchError).cause as IsaError).code).toBe("VERIFY_ERROR");
    },
  );

  test.skipIf(skip)(`budgets: BAD_BUDGET without fuel or for a non-positive budget${tag}`, () => {
    const plain = backend.load(parseProgram("exit 0"));
    const fueled = backend.load(parseProgram("exit 0"), { fuel: true });
    expect(code(() => backend.spawn(plain, { budget: 10n }))).toBe("BAD_BUDGET");
    expect(code(() => backend.spawn(fueled, { budget: 0n }))).toBe("BAD_BUDGET");
    expect(code(() => backend.spawn(fueled, { budget: 10 as unknown as bigint }))).toBe(
      "BAD_BUDGET",
    );
    const thread = backend.spawn(fueled);
    expect(backend.resume(thread)).toEqual({ kind: "exit", code: 0n });
    backend.release(thread);
  });

  test.skipIf(skip)(`foreign programs and threads, bad values and options${tag}`, () => {
    const other = new EmulatedBackend(getAbi("x86_64-sysv"));
    const program = other.load(parseProgram("yield 0\nexit 0"));
    const thread = other.spawn(program);
    expect(code(() => backend.spawn(program))).toBe("FOREIGN_PROGRAM");
    expect(code(() => backend.resume(thread))).toBe("FOREIGN_THREAD");
    expect(code(() => backend.release(thread))).toBe("FOREIGN_THREAD");
    expect(code(() => other.resume(thread, 1 as unknown as bigint))).toBe("BAD_VALUE");
    expect(
      code(() => backend.load(parseProgram("exit 0"), { fuel: "yes" as unknown as boolean })),
    ).toBe("BAD_OPTIONS");
    other.release(thread);
  });

  test.skipIf(skip)(`a thread's state follows its traps${tag}`, () => {
    const thread = backend.spawn(backend.load(parseProgram("yield 1\nexit 0")));
    expect(thread.state).toBe("new");
    backend.resume(thread);
    expect(thread.state).toBe("suspended");
    expect(thread.lastTrap).toEqual({ kind: "yield", value: 1n });
    backend.resume(thread);
    expect(thread.state).toBe("exited");
    backend.release(thread);
    expect(name).toBe(backend.kind);
  });
});
