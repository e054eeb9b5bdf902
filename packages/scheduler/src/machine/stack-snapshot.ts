/**
 * A copy of a machine thread's stack, taken when it faults.
 *
 * The driver gives a thread's stack back to the backend's allocator the
 * moment the thread ends (machine-driver.ts), and a native stack is unmapped
 * or reused then: after the fault, its memory is not the thread's any more.
 * So the driver copies the stack's usable bytes and its stack pointer first,
 * and the copy answers the {@link Stack} interface, read-only, for
 * `dumpStack` and the picture of fault-stack-picture.ts. Only a fault pays
 * for the copy (the stack's size in bytes, once); the release is not delayed.
 *
 * ```
 *   high ┌───────────────┐  copied: [low, high)
 *        │ frames        │
 *   sp ─►│ last word     │
 *        │ free words    │
 *   low  ╞═══════════════╡  not copied: the guard has no access;
 *        │ guard         │  its size is kept, so a picture can draw it
 *        └───────────────┘
 * ```
 */

import type { Backend, MachineThread } from "@greenthreads/switch";
import { SchedulerError } from "../index.js";

/** The stack type of `@greenthreads/stack`, as a machine thread has it. */
export type Stack = MachineThread["stack"];

/**
 * A faulted machine thread's stack, copied before the thread released it:
 * see {@link MachineFaultError.stackAtFault}.
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * import { MachineFaultError, spawnMachine, type StackSnapshot } from "@greenthreads/scheduler/machine";
 * const rt = new Runtime();
 * const t = spawnMachine(rt, "loop:\n  push r0\n  jmp loop", { stackSize: 16384 });
 * try { rt.run(); } catch {}
 * const error = t.outcome?.kind === "threw" ? t.outcome.error : undefined;
 * const snapshot: StackSnapshot | undefined = error instanceof MachineFaultError ? error.stackAtFault : undefined;
 * console.log(snapshot !== undefined && snapshot.sp >= snapshot.stack.low); // true
 * ```
 */
export interface StackSnapshot {
  /** The copy, read-only: `memory.read64` and `peek` work, writes throw. */
  readonly stack: Stack;
  /** The stack pointer when the thread faulted. */
  readonly sp: bigint;
  /** Names of the backend's routines by address, for a dump's return addresses. */
  readonly symbols: ReadonlyMap<bigint, string>;
}

/** Copy the thread's stack; undefined when the backend cannot say where its stack pointer is. */
export function snapshotStack(backend: Backend, machine: MachineThread): StackSnapshot | undefined {
  let sp: bigint;
  let bytes: Uint8Array;
  const live = machine.stack;
  try {
    sp = backend.savedStackPointer(machine);
    bytes = live.memory.peek(live.low, live.size);
  } catch {
    return undefined;
  }
  const { low, high, size, guardSize } = live;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = (address: bigint, length: number): number => {
    if (address < low || address + BigInt(length) > high) {
      throw new SchedulerError(
        `stack snapshot: ${length} bytes at 0x${address.toString(16)} are outside the copied stack 0x${low.toString(16)}..0x${high.toString(16)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    return Number(address - low);
  };
  const readOnly = (): never => {
    throw new SchedulerError("stack snapshot: a copy of a faulted thread's stack is read-only", {
      code: "BAD_ARGUMENT",
    });
  };
  const stack: Stack = {
    low,
    high,
    size,
    guardSize,
    memory: {
      peek: (address, length) =>
        bytes.slice(offset(address, length), offset(address, length) + length),
      read64: (address) => view.getBigUint64(offset(address, 8), true),
      poke: readOnly,
      write64: readOnly,
    },
  };
  return { stack, sp, symbols: backend.routineSymbols };
}
