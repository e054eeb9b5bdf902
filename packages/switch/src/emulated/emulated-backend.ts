/**
 * The emulated backend: the same lowered code, executed by the isa's
 * interpreter.
 *
 * It runs wherever Node runs and for any ABI the isa knows, including ones
 * that are not the host's (Win64 on Linux, AArch64 on x86-64). Nothing is
 * simplified: the program is lowered for the chosen ABI exactly as for the
 * native backend, the ABI's switch routine, start trampoline and exit
 * routine run in the interpreter, and stacks come from the stack package's
 * {@link EmulatedStackAllocator} with guard regions, carved out of the
 * interpreter's address space:
 *
 * ```
 *   INTERPRETED_LAYOUT.stacks + STACK_RANGE ┌────────────────────────────┐
 *                                           │ stacks with guard regions, │
 *                                           │ first fit from the bottom  │
 *   INTERPRETED_LAYOUT.stacks ─────────────►└────────────────────────────┘
 * ```
 *
 * That is what makes the differential tests meaningful: a program whose traps
 * differ between the two backends points at the instruction set, not at a
 * difference in lowering.
 *
 * @module
 */
import { type Abi, IsaError, type Program, protocol, routines, type Trap } from "@greenthreads/isa";
import { EmulatedStackAllocator, type Stack } from "@greenthreads/stack";
import { type LoadedProgram, MAX_STACK_SIZE } from "../backend.js";
import { BackendBase, instructionAt, type ProgramRecord, ThreadRecord } from "../backend-base.js";
import { SwitchError } from "../errors.js";

const { INTERPRETED_LAYOUT, InterpretedHost } = protocol;
const { routineSymbol } = routines;

/** Bytes of interpreter address space given to stacks: 1 GiB. */
const STACK_RANGE = 0x4000_0000n;

interface EmulatedProgram extends ProgramRecord {
  readonly interpreted: protocol.InterpretedProgram;
}

class EmulatedThread extends ThreadRecord {
  declare readonly code: EmulatedProgram;

  constructor(
    owner: object,
    program: LoadedProgram,
    code: EmulatedProgram,
    stack: Stack,
    readonly interpreted: protocol.InterpretedThread,
  ) {
    super(owner, program, code, stack, interpreted.capacityWords, interpreted.control);
  }
}

/**
 * Runs machine threads in the isa's interpreter, for any ABI. Normally made
 * by {@link loadBackend}.
 *
 * @example
 * ```ts
 * import { getAbi, parseProgram } from "@greenthreads/isa";
 * import { EmulatedBackend } from "@greenthreads/switch";
 * const backend = new EmulatedBackend(getAbi("x86_64-win64"));
 * const thread = backend.spawn(backend.load(parseProgram("yield 1\nexit 2")));
 * console.log(backend.resume(thread)); // { kind: "yield", value: 1n }
 * ```
 */
export class EmulatedBackend extends BackendBase<EmulatedProgram, EmulatedThread> {
  readonly kind = "emulated" as const;
  readonly abi: Abi;
  readonly stacks: EmulatedStackAllocator;
  /** The interpreter's host: its memory, CPU and routines. */
  readonly host: protocol.InterpretedHost;

  constructor(abi: Abi) {
    super();
    if (typeof abi !== "object" || abi === null || typeof abi.name !== "string") {
      throw new SwitchError(
        "BAD_OPTIONS",
        `new EmulatedBackend(abi): abi must be an ABI of @greenthreads/isa (getAbi("x86_64-sysv")), got ${String(abi)}`,
      );
    }
    this.abi = abi;
    this.host = new InterpretedHost(abi);
    this.stacks = new EmulatedStackAllocator({
      memory: this.host.memory,
      base: INTERPRETED_LAYOUT.stacks,
      limit: INTERPRETED_LAYOUT.stacks + STACK_RANGE,
      maximumSize: MAX_STACK_SIZE,
    });
  }

  protected place(program: Program, fuel: boolean): EmulatedProgram {
    const interpreted = this.host.loadProgram(program, { fuel });
    return {
      program,
      fuel,
      slots: interpreted.slots,
      codeSize: interpreted.code.bytes.length,
      interpreted,
    };
  }

  protected create(
    program: LoadedProgram,
    code: EmulatedProgram,
    stack: Stack,
    budget: bigint | undefined,
  ): EmulatedThread {
    const interpreted = this.host.createThread(code.interpreted, {
      stackLow: stack.low,
      stackHigh: stack.high,
      ...(budget === undefined ? {} : { budget }),
    });
    return new EmulatedThread(this, program, code, stack, interpreted);
  }

  protected runUntilTrap(thread: EmulatedThread): Trap | undefined {
    try {
      this.host.runUntilTrap(thread.interpreted);
      return undefined;
    } catch (e) {
      if (!(e instanceof IsaError) || e.code !== "MACHINE_FAULT") throw e;
      // Lowered code never faults; if it did, report it the way the native backend does.
      const address = /of 0x([0-9a-f]+) at pc/.exec(e.message)?.[1];
      const code = thread.code.interpreted;
      const where = instructionAt(code.code.labels, code.prefix, code.program, this.host.cpu.pc);
      const inGuard =
        address !== undefined &&
        BigInt(`0x${address}`) < thread.stack.low &&
        BigInt(`0x${address}`) >= thread.stack.low - BigInt(thread.stack.guardSize);
      return thread.control.fault({
        kind: "fault",
        fault: inGuard ? "stack-overflow" : "out-of-bounds",
        details: where ?? { instruction: -1, line: 0 },
      });
    }
  }

  get routineSymbols(): ReadonlyMap<bigint, string> {
    return new Map(
      (["switch_lowered", "switch_to_host", "start", "exit"] as const).map((r) => [
        this.host.routine(r),
        routineSymbol(r, this.abi.name),
      ]),
    );
  }

  protected contextStackPointer(thread: EmulatedThread): bigint {
    const slot = this.abi.context.slot("sp");
    return this.host.memory.read64(thread.interpreted.context + BigInt(slot.offset));
  }

  protected destroy(thread: EmulatedThread): void {
    this.host.releaseThread(thread.interpreted);
  }

  /** @internal Where a loaded program's code lives in the interpreter's memory, and its labels (for tests). */
  codeRegion(
    program: LoadedProgram,
  ): { address: bigint; size: number; label(name: string): bigint | undefined } | undefined {
    const record = this.recordOf(program);
    if (record === undefined) return undefined;
    const { code, prefix } = record.interpreted;
    return {
      address: code.base,
      size: record.codeSize,
      label: (name) => code.labels.get(prefix + name),
    };
  }

  protected freeCode(program: EmulatedProgram): void {
    this.host.unloadProgram(program.interpreted);
  }
}
