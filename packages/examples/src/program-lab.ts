/**
 * A thread program you can watch: lowered for any ABI, placed in the
 * interpreter's memory by `@greenthreads/isa`'s interpreted host, and run
 * one machine instruction at a time, through the switch into the thread,
 * the program's lowered code, its trap sequence and the switch back.
 *
 * Between steps everything is readable: the machine registers, which
 * program register each machine register holds, the thread control block
 * (where traps, fuel, the stack bounds and the spilled program registers
 * live), the top of the thread's stack, and the traps so far. Traps are
 * answered the way the examples answer them: a host call gets its first
 * argument plus one, a yield its own value.
 *
 * ```
 *   step()  ──►  at host? enter the protocol, set the CPU up to call the switch
 *           ──►  execute one instruction
 *           ──►  back at the host sentinel? collect the trap, answer it next time
 * ```
 */
import {
  type AbiName,
  getAbi,
  lowering,
  parseProgram,
  protocol,
  type Trap,
} from "@greenthreads/isa";
import type { Backend } from "@greenthreads/switch";
import { instructionAt, type LabInstruction, type LabStep, stepOnce } from "./lab-step.js";

const { INTERPRETED_LAYOUT, InterpretedHost, TCB } = protocol;
const { assignRegisters } = lowering;

/** Bytes of the lab thread's stack. */
const STACK_SIZE = 16384;

/** A program that shows every kind of trap but a fault in a few lines. */
export const LAB_PROGRAM = `    mov r1, 3
  loop:
    push r1
    hostcall tell(r1) -> r2
    pop r1
    sub r1, r1, 1
    yield r2
    bgt r1, 0, loop
    exit 0`;

/** The answer the lab gives a trap when it resumes the thread after it. */
export function labAnswer(trap: Trap): bigint {
  if (trap.kind === "hostcall") return (trap.args[0] ?? 0n) + 1n;
  if (trap.kind === "yield") return trap.value;
  return 0n;
}

/**
 * Runs `text` to its end on `backend` (any backend of `@greenthreads/switch`,
 * e.g. the WebAssembly one in a browser), answering traps as the lab does,
 * and returns the traps and how long the run took in milliseconds.
 */
export function runOnBackend(
  backend: Backend,
  text: string,
  options: { budget?: bigint } = {},
): { traps: Trap[]; ms: number } {
  const loaded = backend.load(parseProgram(text), { fuel: options.budget !== undefined });
  const thread = backend.spawn(
    loaded,
    options.budget === undefined ? {} : { budget: options.budget },
  );
  const traps: Trap[] = [];
  const started = performance.now();
  try {
    let answer = 0n;
    for (;;) {
      const trap = backend.resume(thread, answer);
      traps.push(trap);
      if (trap.kind === "exit" || trap.kind === "fault") break;
      answer = labAnswer(trap);
    }
  } finally {
    backend.release(thread);
    backend.unload(loaded);
  }
  return { traps, ms: performance.now() - started };
}

/** One thread program, stepped in the interpreter for one ABI. */
export class ProgramLab {
  readonly host: protocol.InterpretedHost;
  readonly program: protocol.InterpretedProgram;
  readonly thread: protocol.InterpretedThread;
  /** Program register i lives in machine register `programRegisters[i]` while the program runs. */
  readonly programRegisters: readonly string[];
  /** Traps so far, in order. */
  readonly traps: Trap[] = [];
  /** Machine instructions executed so far. */
  steps = 0;
  #inside = false;

  constructor(abi: AbiName, text: string = LAB_PROGRAM, options: { budget?: bigint } = {}) {
    const a = getAbi(abi);
    this.host = new InterpretedHost(a);
    this.program = this.host.loadProgram(parseProgram(text), {
      fuel: options.budget !== undefined,
    });
    this.host.memory.map(INTERPRETED_LAYOUT.stacks, STACK_SIZE, "rw");
    this.thread = this.host.createThread(this.program, {
      stackLow: INTERPRETED_LAYOUT.stacks,
      stackHigh: INTERPRETED_LAYOUT.stacks + BigInt(STACK_SIZE),
      ...(options.budget === undefined ? {} : { budget: options.budget }),
    });
    this.programRegisters = assignRegisters(a, this.host.arch).program;
  }

  /** The thread exited or faulted: nothing more to step. */
  get finished(): boolean {
    const last = this.traps.at(-1);
    return last?.kind === "exit" || last?.kind === "fault";
  }

  /** Whether the CPU is inside the thread's switch or code (false: the host holds it, between traps). */
  get inside(): boolean {
    return this.#inside;
  }

  /** The instruction the next step executes (at the host: the switch routine's first). */
  current(): LabInstruction {
    const pc = this.#inside ? this.host.cpu.pc : this.host.routine("switch");
    return instructionAt(this.codes(), (items) => this.host.arch.format(items), pc);
  }

  /** Index of the program instruction whose lowered code holds the program counter, if any. */
  programInstruction(): number | undefined {
    if (!this.#inside) return undefined;
    const pc = this.host.cpu.pc;
    let best: number | undefined;
    let at = -1n;
    const prefix = `${this.program.prefix}i`;
    for (const [name, address] of this.program.code.labels) {
      if (name.startsWith(prefix) && address <= pc && address > at) {
        const n = Number(name.slice(prefix.length));
        if (Number.isInteger(n)) {
          best = n;
          at = address;
        }
      }
    }
    return best;
  }

  /**
   * Executes one machine instruction. At the host, it first starts a resume
   * (the answer to the last trap goes in); when the thread switches back,
   * the trap is collected and returned with the step.
   */
  step(): LabStep & { readonly trap?: Trap } {
    if (this.finished) throw new Error("the thread has finished; make a new lab");
    if (!this.#inside) {
      const last = this.traps.at(-1);
      this.thread.control.enter(last === undefined ? 0n : labAnswer(last));
      this.host.prepareRun(this.thread);
      this.#inside = true;
    }
    const step = stepOnce(this.host.cpu, [INTERPRETED_LAYOUT.sentinel], this.current(), () =>
      this.observe(),
    );
    this.steps++;
    if (this.host.cpu.pc !== INTERPRETED_LAYOUT.sentinel) return step;
    this.#inside = false;
    this.host.collectTrap(this.thread);
    const trap = this.thread.control.leave();
    this.traps.push(trap);
    return { ...step, trap };
  }

  /** Steps until the next trap (or the end); returns it. */
  runToTrap(): Trap {
    for (;;) {
      const s = this.step();
      if (s.trap !== undefined) return s.trap;
    }
  }

  /** The machine registers (integer and pc). */
  registers(): Map<string, bigint> {
    const cpu = this.host.cpu;
    const out = new Map<string, bigint>();
    for (const r of this.host.arch.integerRegisters) out.set(r, cpu.get(r));
    out.set("pc", cpu.pc);
    return out;
  }

  /** The thread control block, field by field (the program registers as r0..r7). */
  controlBlock(): { name: string; offset: number; value: bigint }[] {
    const m = this.host.memory;
    const tcb = this.thread.tcb;
    const fields: { name: string; offset: number; value: bigint }[] = [];
    for (const [name, offset] of Object.entries(TCB)) {
      if (name === "size" || name === "registers") continue;
      fields.push({ name, offset, value: m.read64(tcb + BigInt(offset)) });
    }
    for (let i = 0; i < this.programRegisters.length; i++) {
      const offset = TCB.registers + 8 * i;
      fields.push({ name: `r${i}`, offset, value: m.read64(tcb + BigInt(offset)) });
    }
    return fields.sort((a, b) => a.offset - b.offset);
  }

  /** The top `words` words of the thread's stack, highest address first. */
  stackTop(words = 12): { address: bigint; value: bigint }[] {
    const high = this.thread.stackHigh;
    return Array.from({ length: words }, (_, i) => {
      const address = high - 8n * BigInt(i + 1);
      return { address, value: this.host.memory.read64(address) };
    });
  }

  /** The code the lab steps through: the routines, then the lowered program. */
  codes() {
    return [this.host.routines, this.program.code];
  }

  private observe() {
    const words = new Map<bigint, bigint>();
    for (const w of this.stackTop(32)) words.set(w.address, w.value);
    for (const f of this.controlBlock()) words.set(this.thread.tcb + BigInt(f.offset), f.value);
    return { registers: this.registers(), words };
  }
}
