/**
 * Running lowered thread programs in the interpreter: the host side of a
 * machine thread, emulated.
 *
 * Everything a native host does happens here too, with the same generated
 * code: the ABI's switch routine, start trampoline and the lowered program
 * are assembled and placed in executable pages of an emulated address space,
 * each thread gets a control block, a context and a stack, and a resume is a
 * call of the switch routine from the host's context. The only difference is
 * who executes the instructions. That is what makes the emulated backend a
 * faithful stand-in for the native one, on any ABI, on any host.
 *
 * Emulated address space:
 *
 * ```
 *   0x0ff0_0000  host return sentinel    unmapped: the interpreter stops here
 *   0x1000_0000  thread routines         r-x  switch, start, exit
 *   0x1100_0000  program code            r-x  lowered programs, one after another
 *   0x2000_0000  host blocks             rw-  host context, control blocks, contexts
 *   0x2f00_0000  thread information      rw-  Win64's TIB, which gs points at
 *   0x3000_0000  host stack              rw-  the emulated caller of the switch
 *   0x4000_0000  thread stacks           given by the caller (see @greenthreads/stack)
 * ```
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch, AssembledCode, Cpu } from "../arch/arch.js";
import { assemble } from "../arch/assemble.js";
import { getArch } from "../arch/registry.js";
import { IsaError } from "../errors.js";
import { Memory, PAGE_SIZE } from "../machine/memory.js";
import { initialFrame } from "../routines/initial-frame.js";
import { routineSymbol } from "../routines/symbols.js";
import { threadRoutines } from "../routines/trampolines.js";
import { lowerProgram } from "./lower.js";
import { PROGRAM_REGISTERS, type Program } from "./program.js";
import { FRAME_RESERVE, stackCapacityWords } from "./stack-capacity.js";
import { decodeTrap, resumeValueOffset, TCB } from "./thread-control-block.js";
import type { Trap } from "./trap.js";

/**
 * Where the interpreted host puts things in its address space (see the
 * module comment).
 *
 * @example
 * ```ts
 * import { INTERPRETED_LAYOUT } from "@greenthreads/isa";
 * console.log(INTERPRETED_LAYOUT.stacks.toString(16)); // "40000000"
 * ```
 */
export const INTERPRETED_LAYOUT = {
  sentinel: 0x0ff0_0000n,
  routines: 0x1000_0000n,
  programs: 0x1100_0000n,
  programsEnd: 0x2000_0000n,
  blocks: 0x2000_0000n,
  blocksSize: 16 * 1024 * 1024,
  threadInformation: 0x2f00_0000n,
  threadInformationSize: 8192,
  hostStack: 0x3000_0000n,
  hostStackSize: 64 * 1024,
  stacks: 0x4000_0000n,
} as const;

/**
 * A program lowered and placed in the interpreter's code region.
 *
 * @example
 * ```ts
 * import type { InterpretedProgram } from "@greenthreads/isa";
 * function where(p: InterpretedProgram): bigint {
 *   return p.entry;
 * }
 * ```
 */
export interface InterpretedProgram {
  readonly program: Program;
  readonly code: AssembledCode;
  readonly entry: bigint;
  readonly fuel: boolean;
}

/**
 * A machine thread in the interpreter: its control block, context and stack.
 *
 * @example
 * ```ts
 * import type { InterpretedThread } from "@greenthreads/isa";
 * function words(t: InterpretedThread): number {
 *   return t.capacityWords;
 * }
 * ```
 */
export interface InterpretedThread {
  readonly program: InterpretedProgram;
  /** Address of the thread control block. */
  readonly tcb: bigint;
  /** Address of the thread's saved context. */
  readonly context: bigint;
  readonly stackLow: bigint;
  readonly stackHigh: bigint;
  /** Words the program may push. */
  readonly capacityWords: number;
  /** The instruction budget refilled after each budget trap, if any. */
  readonly budget: bigint | undefined;
  /** The last trap, or `undefined` before the first resume. */
  readonly lastTrap: Trap | undefined;
}

interface ThreadState extends InterpretedThread {
  lastTrap: Trap | undefined;
  lastInstruction: number;
  released: boolean;
}

const align = (n: bigint, to: bigint): bigint => ((n + to - 1n) / to) * to;

/**
 * Runs lowered thread programs in the interpreter for one ABI.
 *
 * @example
 * ```ts
 * import { getAbi, InterpretedHost, INTERPRETED_LAYOUT, parseProgram } from "@greenthreads/isa";
 * const host = new InterpretedHost(getAbi("aarch64-aapcs64"));
 * const program = host.loadProgram(parseProgram("yield 7\nexit 0"));
 * host.memory.map(INTERPRETED_LAYOUT.stacks, 16384, "rw");
 * const thread = host.createThread(program, {
 *   stackLow: INTERPRETED_LAYOUT.stacks,
 *   stackHigh: INTERPRETED_LAYOUT.stacks + 16384n,
 * });
 * console.log(host.resume(thread)); // { kind: "yield", value: 7n }
 * console.log(host.resume(thread)); // { kind: "exit", code: 0n }
 * ```
 */
export class InterpretedHost {
  readonly abi: Abi;
  readonly arch: Arch;
  readonly memory: Memory;
  readonly cpu: Cpu;
  /** The assembled switch routine, start trampoline and exit routine. */
  readonly routines: AssembledCode;
  readonly #hostContext: bigint;
  #nextCode: bigint = INTERPRETED_LAYOUT.programs;
  #nextBlock: bigint;
  readonly #freeBlocks: bigint[] = [];
  readonly #blockSize: bigint;
  #programs = 0;

  constructor(abi: Abi, options: { memory?: Memory } = {}) {
    this.abi = abi;
    this.arch = getArch(abi);
    this.memory = options.memory ?? new Memory();
    this.cpu = this.arch.createCpu(this.memory);
    this.routines = this.#place(
      this.arch.select(threadRoutines(abi, this.arch)),
      INTERPRETED_LAYOUT.routines,
    );
    this.memory.map(INTERPRETED_LAYOUT.blocks, INTERPRETED_LAYOUT.blocksSize, "rw");
    this.memory.map(INTERPRETED_LAYOUT.hostStack, INTERPRETED_LAYOUT.hostStackSize, "rw");
    if (abi.threadInformation.length > 0) {
      // The switch swaps the stack words of the thread information block, so there must be one.
      this.memory.map(
        INTERPRETED_LAYOUT.threadInformation,
        INTERPRETED_LAYOUT.threadInformationSize,
        "rw",
      );
      this.cpu.set("gs_base", INTERPRETED_LAYOUT.threadInformation);
    }
    this.#hostContext = INTERPRETED_LAYOUT.blocks;
    this.#blockSize = align(BigInt(TCB.size + abi.context.size), 16n);
    this.#nextBlock = INTERPRETED_LAYOUT.blocks + align(BigInt(abi.context.size), 16n);
  }

  /** Address of a routine of this host's ABI. */
  routine(which: "switch" | "start" | "exit"): bigint {
    return this.routines.labels.get(routineSymbol(which, this.abi.name))!;
  }

  /**
   * Lowers `program` (which must already be verified) and places it in the
   * code region. `fuel` makes the code count an instruction budget.
   */
  loadProgram(program: Program, options: { fuel?: boolean } = {}): InterpretedProgram {
    const fuel = options.fuel ?? false;
    const prefix = `p${this.#programs++}_`;
    const lowered = lowerProgram(program, this.abi, this.arch, { fuel, prefix });
    const code = this.#place(this.arch.select(lowered.ops), this.#nextCode);
    this.#nextCode = align(this.#nextCode + BigInt(code.bytes.length), BigInt(PAGE_SIZE));
    return { program, code, entry: code.labels.get(lowered.entry)!, fuel };
  }

  /**
   * Creates a thread of a loaded program on the stack `[stackLow, stackHigh)`,
   * which the caller has mapped read-write (with a guard region below, for
   * safety in depth). `budget` needs a program loaded with `fuel`.
   */
  createThread(
    program: InterpretedProgram,
    options: { stackLow: bigint; stackHigh: bigint; budget?: bigint },
  ): InterpretedThread {
    const { stackLow, stackHigh } = options;
    if (options.budget !== undefined && (!program.fuel || options.budget <= 0n)) {
      throw new IsaError(
        "BAD_ARGUMENT",
        program.fuel
          ? `budget must be a positive number of instructions, not ${options.budget}`
          : "a budget needs a program loaded with { fuel: true }",
      );
    }
    const capacityWords = stackCapacityWords(Number(stackHigh - stackLow));
    const block = this.#freeBlocks.pop() ?? this.#allocateBlock();
    const tcb = block;
    const context = block + BigInt(TCB.size);
    this.memory.poke(block, new Uint8Array(Number(this.#blockSize)));
    const frame = initialFrame(this.abi, {
      stackLow,
      stackHigh,
      entry: program.entry,
      argument: tcb,
      onExit: 0n,
      start: this.routine("start"),
      exit: this.routine("exit"),
    });
    for (const word of frame.stack) this.memory.write64(word.address, word.value);
    for (const { slot, value } of frame.context)
      this.memory.write64(context + BigInt(slot.offset), value);
    if (frame.sp - BigInt(8 * capacityWords) < stackLow + BigInt(FRAME_RESERVE) / 2n) {
      throw new IsaError("BAD_ARGUMENT", "the stack is too small for its initial frame");
    }
    const words: [number, bigint][] = [
      [TCB.fuel, options.budget ?? 0n],
      [TCB.stackLimit, frame.sp - BigInt(8 * capacityWords)],
      [TCB.hostContext, this.#hostContext],
      [TCB.threadContext, context],
      [TCB.switchRoutine, this.routine("switch")],
    ];
    for (const [offset, value] of words) this.memory.write64(tcb + BigInt(offset), value);
    const thread: ThreadState = {
      program,
      tcb,
      context,
      stackLow,
      stackHigh,
      capacityWords,
      budget: options.budget,
      lastTrap: undefined,
      lastInstruction: -1,
      released: false,
    };
    return thread;
  }

  /**
   * Runs the thread until its next trap. `value` answers the previous trap:
   * it becomes the result of a host call or yield with a destination
   * register. After a budget trap the budget is refilled.
   */
  resume(thread: InterpretedThread, value = 0n): Trap {
    const state = thread as ThreadState;
    if (state.released) {
      throw new IsaError("BAD_ARGUMENT", "resume: the thread was released; create a new one");
    }
    const last = state.lastTrap;
    if (last?.kind === "exit" || last?.kind === "fault") return last;
    if (last !== undefined) {
      const offset = resumeValueOffset(thread.program.program, state.lastInstruction);
      if (offset !== undefined) this.memory.write64(thread.tcb + BigInt(offset), value);
      if (last.kind === "budget" && thread.budget !== undefined) {
        this.memory.write64(thread.tcb + BigInt(TCB.fuel), thread.budget);
      }
    }
    this.#callSwitch(thread.context);
    const read = (offset: number): bigint => this.memory.read64(thread.tcb + BigInt(offset));
    const trap = decodeTrap(thread.program.program, read);
    state.lastTrap = trap;
    state.lastInstruction = Number(read(TCB.trapInstruction));
    return trap;
  }

  /** The program registers r0..r7 of a stopped thread. */
  registers(thread: InterpretedThread): bigint[] {
    return Array.from({ length: PROGRAM_REGISTERS }, (_, i) =>
      this.memory.read64(thread.tcb + BigInt(TCB.registers + 8 * i)),
    );
  }

  /** Frees a thread's control block and context (not its stack, which the caller owns). */
  releaseThread(thread: InterpretedThread): void {
    const state = thread as ThreadState;
    if (state.released)
      throw new IsaError("BAD_ARGUMENT", "releaseThread: the thread was already released");
    state.released = true;
    this.#freeBlocks.push(thread.tcb);
  }

  /** Emulates the host calling `switch(hostContext, to, 0)` and returning when switched back. */
  #callSwitch(to: bigint): void {
    const { cpu, abi } = this;
    const [from, toReg, value] = abi.argumentRegisters as [string, string, string];
    cpu.set(from, this.#hostContext);
    cpu.set(toReg, to);
    cpu.set(value, 0n);
    const top = INTERPRETED_LAYOUT.hostStack + BigInt(INTERPRETED_LAYOUT.hostStackSize);
    if (abi.returnAddress.kind === "stack") {
      cpu.set(abi.stackPointer, top - 8n);
      this.memory.write64(top - 8n, INTERPRETED_LAYOUT.sentinel);
    } else {
      cpu.set(abi.stackPointer, top);
      cpu.set(abi.returnAddress.reg, INTERPRETED_LAYOUT.sentinel);
    }
    cpu.pc = this.routine("switch");
    const stop = cpu.run({ stopAt: [INTERPRETED_LAYOUT.sentinel] });
    if (stop.kind !== "stopped") {
      const where =
        stop.kind === "fault"
          ? `${stop.access} of 0x${stop.address.toString(16)} at pc 0x${stop.pc.toString(16)}`
          : `${stop.kind} at pc 0x${stop.pc.toString(16)}`;
      throw new IsaError(
        "MACHINE_FAULT",
        `the interpreted thread stopped outside a trap: ${where}`,
      );
    }
  }

  #allocateBlock(): bigint {
    const block = this.#nextBlock;
    if (
      block + this.#blockSize >
      INTERPRETED_LAYOUT.blocks + BigInt(INTERPRETED_LAYOUT.blocksSize)
    ) {
      throw new IsaError("BAD_ARGUMENT", "too many live interpreted threads; release some first");
    }
    this.#nextBlock += this.#blockSize;
    return block;
  }

  /** Assembles selected instructions at `at` and maps them read-execute. */
  #place(items: ReturnType<Arch["select"]>, at: bigint): AssembledCode {
    const code = assemble(this.arch, items, at);
    const size = Number(align(BigInt(Math.max(code.bytes.length, 1)), BigInt(PAGE_SIZE)));
    if (at + BigInt(size) > INTERPRETED_LAYOUT.programsEnd && at !== INTERPRETED_LAYOUT.routines) {
      throw new IsaError("BAD_ARGUMENT", "the interpreter's code region is full");
    }
    this.memory.map(at, size, "rx");
    this.memory.poke(at, code.bytes);
    this.cpu.load(code);
    return code;
  }
}
