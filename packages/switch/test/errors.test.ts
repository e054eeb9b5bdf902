import { budgetProblem, getAbi, IsaError, parseProgram, protocol } from "@greenthreads/isa";
import { StackError } from "@greenthreads/stack";
import { describe, expect, test } from "vitest";
import {
  type Backend,
  EmulatedBackend,
  MAX_STACK_SIZE,
  NativeBackend,
  SwitchError,
} from "../src/index.js";

const { TCB } = protocol;

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

  test.skipIf(skip)(
    `stack sizes: null, strings and above MAX_STACK_SIZE are BAD_STACK_SIZE; MAX_STACK_SIZE runs${tag}`,
    () => {
      const program = backend.load(parseProgram("exit 0"));
      const live = backend.stacks.stats().live;
      for (const stackSize of [null, "16384", MAX_STACK_SIZE + 4096, Number.NaN]) {
        expect(code(() => backend.spawn(program, { stackSize: stackSize as number }))).toBe(
          "BAD_STACK_SIZE",
        );
      }
      expect(backend.stacks.stats().live).toBe(live);
      const big = backend.spawn(program, { stackSize: MAX_STACK_SIZE });
      expect(backend.resume(big)).toEqual({ kind: "exit", code: 0n });
      backend.release(big);
    },
  );

  test.skipIf(skip)(`budgets: one rule, BAD_BUDGET with the isa's words${tag}`, () => {
    const plain = backend.load(parseProgram("exit 0"));
    const fueled = backend.load(parseProgram("exit 0"), { fuel: true });
    expect(code(() => backend.spawn(plain, { budget: 10n }))).toBe("BAD_BUDGET");
    for (const budget of [0n, 0, -1n, -3, 1.5, 2n ** 64n, 2 ** 64, "10", null, Number.NaN]) {
      let error: unknown;
      try {
        backend.spawn(fueled, { budget: budget as bigint });
      } catch (e) {
        error = e;
      }
      expect((error as SwitchError).code).toBe("BAD_BUDGET");
      expect((error as SwitchError).message).toBe(
        `${backend.kind} backend: spawn: ${budgetProblem(budget)}`,
      );
    }
    for (const budget of [1, 1n, 2n ** 64n - 1n, 1000]) {
      const thread = backend.spawn(fueled, { budget });
      expect(thread.budget).toBe(BigInt(budget));
      expect(backend.resume(thread)).toEqual({ kind: "exit", code: 0n });
      backend.release(thread);
    }
    const thread = backend.spawn(fueled);
    expect(backend.resume(thread)).toEqual({ kind: "exit", code: 0n });
    backend.release(thread);
  });

  test.skipIf(skip)(
    `ownership: copies of a loaded program or a thread are refused; unload ends spawning${tag}`,
    () => {
      const program = backend.load(parseProgram("yield 5\nexit 0"));
      expect(code(() => backend.spawn({ ...program }))).toBe("FOREIGN_PROGRAM");
      expect(code(() => backend.spawn(Object.create(program)))).toBe("FOREIGN_PROGRAM");
      const thread = backend.spawn(program);
      const copy = { ...thread };
      expect(code(() => backend.resume(copy))).toBe("FOREIGN_THREAD");
      expect(code(() => backend.release(copy))).toBe("FOREIGN_THREAD");
      // Unloaded with a live thread: the thread still runs, no new thread can start.
      backend.unload(program);
      expect(code(() => backend.spawn(program))).toBe("PROGRAM_UNLOADED");
      expect(code(() => backend.unload(program))).toBe("PROGRAM_UNLOADED");
      expect(backend.resume(thread)).toEqual({ kind: "yield", value: 5n });
      expect(backend.resume(thread)).toEqual({ kind: "exit", code: 0n });
      backend.release(thread);
      expect(code(() => backend.unload({ ...program }))).toBe("FOREIGN_PROGRAM");
    },
  );

  test.skipIf(skip)(`load copies the program: later changes to it change nothing${tag}`, () => {
    const source = parseProgram("hostcall f(r0) -> r1\nexit r1");
    const mutable = structuredClone(source) as unknown as { instructions: { op: string }[] };
    const program = backend.load(mutable as never);
    mutable.instructions[0]!.op = "ret";
    mutable.instructions.length = 0;
    const thread = backend.spawn(program);
    expect(backend.resume(thread)).toEqual({ kind: "hostcall", name: "f", args: [0n] });
    expect(backend.resume(thread, 9n)).toEqual({ kind: "exit", code: 9n });
    backend.release(thread);
    expect(Object.isFrozen(program.program.instructions[0])).toBe(true);
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

  test.skipIf(skip)(
    `a control block with no valid trap is CORRUPT_THREAD, whatever the backend${tag}`,
    () => {
      const loaded = backend.load(parseProgram("yield 1\nexit 0"));
      const thread = backend.spawn(loaded);
      expect(backend.resume(thread)).toEqual({ kind: "yield", value: 1n });
      // Memory changed from outside: an unknown trap kind, and a resume pc that re-enters the
      // shared trap sequence (which switches back without writing a trap record).
      const region = (backend as NativeBackend | EmulatedBackend).codeRegion(loaded)!;
      const poke = (offset: number, value: bigint): void => {
        if (backend instanceof EmulatedBackend) {
          const { tcb } = (thread as unknown as { interpreted: { tcb: bigint } }).interpreted;
          backend.host.memory.write64(tcb + BigInt(offset), value);
        } else {
          (thread as unknown as { control: protocol.ThreadControl }).control.words[offset / 8] =
            value;
        }
      };
      poke(TCB.trapKind, 99n);
      poke(TCB.resumePc, region.label("trap")!);
      let error: unknown;
      try {
        backend.resume(thread);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SwitchError);
      expect((error as SwitchError).code).toBe("CORRUPT_THREAD");
      expect((error as SwitchError).message).toMatch(/holds no valid trap \(kind 99\)/);
      backend.release(thread);
      backend.unload(loaded);
    },
  );

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

test("new EmulatedBackend without an ABI is a SwitchError BAD_OPTIONS, not a TypeError", async () => {
  const { EmulatedBackend, SwitchError } = await import("../src/index.js");
  const make = () => new EmulatedBackend(undefined as never);
  expect(make).toThrow(SwitchError);
  expect(make).toThrow(/abi must be an ABI/);
});
