/**
 * The step loop the three interpreters share: everything about running code
 * that does not depend on the instruction set.
 *
 * Why one loop: the interpreters must agree on when a run stops and what it
 * says when it does, or the emulated backend would trap differently per ABI.
 * Each step here is:
 *
 * ```
 *   pc in stopAt?                    → stopped      (before the step; nothing ran)
 *   maxSteps instructions ran?       → step-limit
 *   fetch pc (code index: decode on first use, execute permission of the
 *             pages of the first and last fetch unit)
 *     nothing loaded at pc           → illegal "no <arch> instruction is loaded at 0x…"
 *     page not executable            → fault (access "execute")
 *   execute(instruction, pc)         ← the instruction set's part
 *     returns the next pc            → count the step, go on
 *     returns a reason               → illegal (a trap instruction, a missing
 *                                      system register: nothing changed)
 *     throws MemoryFault             → fault (the access did not happen, no
 *                                      register changed, pc stays on it)
 * ```
 *
 * An instruction set supplies only `decode` (placed instruction → record, at
 * first execution) and `[EXECUTE]` (record → next pc), a method of its CPU. The program counter
 * lives in a local during the run and is written back to the CPU when the
 * run stops, however it stops.
 *
 * @module
 */
import { type Memory, MemoryFault } from "../memory/memory.js";
import type { ArchName, AssembledCode, PlacedInstruction, StopReason } from "./arch.js";
import { CodeIndex, type DecodedInstruction } from "./code-index.js";

/**
 * The key of an interpreter's part of a step. A symbol, not a name: the
 * method is not part of the interpreter's public shape, and the loop calls
 * it directly (no closure between them on the hot path).
 *
 * @internal
 */
export const EXECUTE: unique symbol = Symbol("execute");

/**
 * What the loop runs: a program counter, and the instruction set's part of a
 * step, which executes one decoded instruction at `pc` and returns the
 * address of the next one, or the reason why it is illegal (having changed
 * nothing). A memory access that faults throws a {@link MemoryFault} before
 * any register changes.
 *
 * @internal
 */
export interface SteppingCpu<D extends DecodedInstruction> {
  pc: bigint;
  [EXECUTE](instruction: D, pc: bigint): bigint | string;
}

/**
 * Turns a placed instruction into the record `execute` takes, resolving
 * labels; throws IsaError for an instruction outside the subset.
 *
 * @internal
 */
export type DecodeInstruction<D extends DecodedInstruction> = (
  placed: PlacedInstruction,
  labels: ReadonlyMap<string, bigint>,
) => D;

/**
 * Loaded code and the run loop of one interpreter; the interpreter class
 * keeps one and forwards `load`, `run` and `steps` to it.
 *
 * @internal
 */
export class InterpreterLoop<D extends DecodedInstruction> {
  readonly #arch: ArchName;
  readonly #code: CodeIndex<D>;
  #steps = 0;

  constructor(arch: ArchName, memory: Memory, decode: DecodeInstruction<D>) {
    this.#arch = arch;
    this.#code = new CodeIndex<D>(arch, memory, decode);
  }

  /** Instructions executed since creation. */
  get steps(): number {
    return this.#steps;
  }

  /** See {@link CodeIndex.load}. */
  load(code: AssembledCode): void {
    this.#code.load(code);
  }

  /** Runs `cpu` from its program counter until a stop; leaves `cpu.pc` where it stopped. */
  run(cpu: SteppingCpu<D>, options: { stopAt: readonly bigint[]; maxSteps?: number }): StopReason {
    const stops = new Set(options.stopAt.map(Number));
    const limit = options.maxSteps ?? Number.POSITIVE_INFINITY;
    const code = this.#code;
    code.beginRun();
    let pc = cpu.pc;
    let n = 0;
    let stop: StopReason;
    try {
      for (;;) {
        if (stops.has(Number(pc))) {
          stop = { kind: "stopped", pc };
          break;
        }
        if (n >= limit) {
          stop = { kind: "step-limit", pc };
          break;
        }
        const d = code.fetch(pc);
        if (d === undefined) {
          const reason = `no ${this.#arch} instruction is loaded at 0x${pc.toString(16)}`;
          stop = { kind: "illegal", pc, reason };
          break;
        }
        const next = cpu[EXECUTE](d, pc);
        if (typeof next === "string") {
          stop = { kind: "illegal", pc, reason: next };
          break;
        }
        pc = next;
        n++;
      }
    } catch (e) {
      cpu.pc = pc;
      this.#steps += n;
      if (e instanceof MemoryFault)
        return { kind: "fault", pc, address: e.address, access: e.access };
      throw e;
    }
    cpu.pc = pc;
    this.#steps += n;
    return stop;
  }
}
