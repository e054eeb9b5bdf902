/**
 * The thread control block: the memory a lowered thread program shares with
 * its host.
 *
 * A machine thread and the JavaScript that drives it never share a stack, so
 * they talk through this block. The lowered code keeps its address in a
 * callee-saved register for the thread's whole life; the host (the native
 * addon, or the interpreter) knows its address because it allocated it.
 *
 * ```
 *   offset  field            written by   meaning
 *   ──────  ───────────────  ───────────  ─────────────────────────────────────
 *      0    trap kind        thread       1 yield, 2 hostcall, 3 budget, 4 exit, 5 fault
 *      8    trap a           thread       yield value, hostcall name index, exit code, fault kind
 *     16    trap instruction thread       index of the trapping program instruction
 *     24    trap index       thread       offending word index or return value (faults)
 *     32    fuel             both         instructions left before a budget trap
 *     40    stack limit      host         lowest stack pointer a push may reach
 *     48    stack high       thread       stack pointer at program start (empty stack)
 *     56    host context     host         where the switch saves the host
 *     64    thread context   host         where the switch saves this thread
 *     72    switch routine   host         address of the ABI's switch routine
 *     80    resume pc        thread       where the thread continues after a trap
 *     88    r0 … r7          both         the program's registers while it is trapped
 *    152    (end)
 * ```
 *
 * While the thread is stopped, its program registers live in the block, so
 * the host reads host-call arguments from there and writes a resume value
 * straight into the destination register's slot.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Program } from "../language/program.js";
import { PROGRAM_REGISTERS } from "../language/program.js";
import type { FaultKind, Trap } from "./trap.js";

/**
 * Byte offsets of the thread control block's fields (see the module comment).
 *
 * @example
 * ```ts
 * import { protocol } from "@greenthreads/isa";
 * console.log(protocol.TCB.fuel, protocol.TCB.size); // 32 152
 * ```
 */
export const TCB = {
  trapKind: 0,
  trapA: 8,
  trapInstruction: 16,
  trapIndex: 24,
  fuel: 32,
  stackLimit: 40,
  stackHigh: 48,
  hostContext: 56,
  threadContext: 64,
  switchRoutine: 72,
  resumePc: 80,
  registers: 88,
  size: 88 + 8 * PROGRAM_REGISTERS,
} as const;

/**
 * Numeric trap kinds stored at {@link TCB}`.trapKind`.
 *
 * @example
 * ```ts
 * import { protocol } from "@greenthreads/isa";
 * console.log(protocol.TRAP_KIND.exit); // 4
 * ```
 */
export const TRAP_KIND = { yield: 1, hostcall: 2, budget: 3, exit: 4, fault: 5 } as const;

/**
 * Numeric fault codes stored at {@link TCB}`.trapA` for a fault trap: the
 * fault kind, and whether `trapIndex` holds an offending index.
 *
 * @example
 * ```ts
 * import { FAULT_CODE } from "./thread-control-block.js";
 * console.log(FAULT_CODE.outOfBoundsIndex); // 3
 * ```
 */
export const FAULT_CODE = { stackOverflow: 1, outOfBounds: 2, outOfBoundsIndex: 3 } as const;

/**
 * Reads a 64-bit word of a thread control block, wherever it lives.
 *
 * @example
 * ```ts
 * import type { TcbReader } from "./thread-control-block.js";
 * const words = new BigUint64Array(19);
 * const read: TcbReader = (offset) => words[offset / 8]!;
 * ```
 */
export type TcbReader = (offset: number) => bigint;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Decodes the trap a stopped thread left in its control block, in the terms
 * of its program. Both backends use this, so their traps cannot differ in
 * shape.
 *
 * Throws an IsaError `BAD_ARGUMENT` if the block holds no valid trap (which
 * means the thread's memory was corrupted from outside).
 *
 * @example
 * ```ts
 * import { parseProgram, protocol } from "@greenthreads/isa";
 * import { decodeTrap } from "./thread-control-block.js";
 * const program = parseProgram("exit 3");
 * const words = new BigUint64Array(protocol.TCB.size / 8);
 * words[protocol.TCB.trapKind / 8] = 4n; // exit
 * words[protocol.TCB.trapA / 8] = 3n;
 * console.log(decodeTrap(program, (o) => words[o / 8]!)); // { kind: "exit", code: 3n }
 * ```
 */
export function decodeTrap(program: Program, read: TcbReader): Trap {
  const kind = Number(read(TCB.trapKind));
  const a = read(TCB.trapA);
  switch (kind) {
    case TRAP_KIND.yield:
      return { kind: "yield", value: u64(a) };
    case TRAP_KIND.budget:
      return { kind: "budget" };
    case TRAP_KIND.exit:
      return { kind: "exit", code: u64(a) };
    case TRAP_KIND.hostcall: {
      const instruction = program.instructions[Number(read(TCB.trapInstruction))];
      const name = program.hostcalls[Number(a)];
      if (instruction?.op !== "hostcall" || name === undefined) break;
      return {
        kind: "hostcall",
        name,
        args: instruction.args.map((r) => u64(read(TCB.registers + 8 * r))),
      };
    }
    case TRAP_KIND.fault: {
      const index = Number(read(TCB.trapInstruction));
      const instruction = program.instructions[index];
      if (!instruction) break;
      const fault: FaultKind =
        a === BigInt(FAULT_CODE.stackOverflow) ? "stack-overflow" : "out-of-bounds";
      // A stack access reports its word index, which is signed; a bad return the raw word it popped.
      const raw = read(TCB.trapIndex);
      const offending = instruction.op === "ret" ? u64(raw) : BigInt.asIntN(64, raw);
      const details =
        a === BigInt(FAULT_CODE.outOfBoundsIndex)
          ? { instruction: index, line: instruction.at.line, index: offending }
          : { instruction: index, line: instruction.at.line };
      return { kind: "fault", fault, details };
    }
  }
  throw new IsaError(
    "BAD_ARGUMENT",
    `the thread control block holds no valid trap (kind ${kind}); the thread's memory was changed from outside`,
  );
}

/**
 * Where a resume value goes: the register-file offset (in the control block)
 * of the destination register of the instruction a thread trapped at, or
 * `undefined` when that instruction takes no value.
 *
 * @example
 * ```ts
 * import { parseProgram, protocol } from "@greenthreads/isa";
 * const program = parseProgram("hostcall now() -> r2\nexit r2");
 * console.log(protocol.resumeValueOffset(program, 0)); // 104
 * ```
 */
export function resumeValueOffset(program: Program, instruction: number): number | undefined {
  const at = program.instructions[instruction];
  if (!at) return undefined;
  if ((at.op === "hostcall" || at.op === "yield") && at.dst !== null) {
    return TCB.registers + 8 * at.dst;
  }
  return undefined;
}
