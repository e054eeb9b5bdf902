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
import type { Arch, AssembledCode, Cpu, StopReason } from "../arch/arch.js";
import { assemble } from "../arch/assemble.js";
import { getArch } from "../arch/registry.js";
import { IsaError } from "../errors.js";
import { PROGRAM_REGISTERS, type Program } from "../language/program.js";
import { lowerProgram } from "../lowering/lower.js";
import { stackCapacityWords } from "../lowering/stack-capacity.js";
import { Memory, PAGE_SIZE } from "../memory/memory.js";
import { initialFrame } from "../routines/initial-frame.js";
import { loweredSwitchRoutine, switchToHostRoutine } from "../routines/lowered-switch.js";
import { type RoutineName, routineSymbol } from "../routines/symbols.js";
import { threadRoutines } from "../routines/trampolines.js";
import { toBudget } from "../semantics/budget.js";
import { TCB, TRAP_KIND } from "./thread-control-block.js";
import { resumeSlots, ThreadControl, threadStackLimit } from "./thread-protocol.js";
import type { Trap } from "./trap.js";

/**
 * Where the interpreted host puts things in its address space (see the
 * module comment).
 *
 * @example
 * ```ts
 * import { protocol } from "@greenthreads/isa";
 * console.log(protocol.INTERPRETED_LAYOUT.stacks.toString(16)); // "40000000"
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
 * import type { protocol } from "@greenthreads/isa";
 * function where(p: protocol.InterpretedProgram): bigint {
 *   return p.entry;
 * }
 * ```
 */
export interface InterpretedProgram {
  readonly program: Program;
  readonly code: AssembledCode;
  readonly entry: bigint;
  readonly fuel: boolean;
  /** Per instruction, where a resume value goes (see `resumeSlots`). */
  readonly slots: Int32Array;
  /** Prefix of the lowered code's labels (`<prefix>i<n>` starts instruction n). */
  readonly prefix: string;
}

/**
 * A machine thread in the interpreter: its control block, context and stack.
 *
 * @example
 * ```ts
 * import type { protocol } from "@greenthreads/isa";
 * function words(t: protocol.InterpretedThread): number {
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
  /** The host side of the protocol: a mirror of the control block, copied around each run. */
  readonly control: ThreadControl;
  /** The last trap, or `undefined` before the first resume. */
  readonly lastTrap: Trap | undefined;
}

class ThreadState implements InterpretedThread {
  released = false;
  constructor(
    readonly program: InterpretedProgram,
    readonly tcb: bigint,
    readonly context: bigint,
    readonly stackLow: bigint,
    readonly stackHigh: bigint,
    readonly capacityWords: number,
    readonly budget: bigint | undefined,
    readonly control: ThreadControl,
  ) {}

  get lastTrap(): Trap | undefined {
    return this.control.lastTrap;
  }
}

const align = (n: bigint, to: bigint): bigint => ((n + to - 1n) / to) * to;
const TRAP_RECORD_WORDS = 4;
const FIRST_REGISTER = TCB.registers >> 3;

/**
 * Runs lowered thread programs in the interpreter for one ABI.
 *
 * @example
 * ```ts
 * import { getAbi, parseProgram, protocol } from "@greenthreads/isa";
 * const host = new protocol.InterpretedHost(getAbi("aarch64-aapcs64"));
 * const program = host.loadProgram(parseProgram("yield 7\nexit 0"));
 * host.memory.map(protocol.INTERPRETED_LAYOUT.stacks, 16384, "rw");
 * const thread = host.createThread(program, {
 *   stackLow: protocol.INTERPRETED_LAYOUT.stacks,
 *   stackHigh: protocol.INTERPRETED_LAYOUT.stacks + 16384n,
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
  /** Free runs of the code region as [first page, page count], by address. */
  readonly #freeCode: [number, number][];
  readonly #placed = new WeakSet<InterpretedProgram>();
  #nextBlock: bigint;
  readonly #freeBlocks: bigint[] = [];
  readonly #blockSize: bigint;
  #programs = 0;

  /**
   * `codePages` bounds the code region (default: all of it, 61,440 pages);
   * a smaller one makes reuse of freed pages easy to see.
   */
  constructor(abi: Abi, options: { memory?: Memory; codePages?: number } = {}) {
    const regionPages =
      Number(INTERPRETED_LAYOUT.programsEnd - INTERPRETED_LAYOUT.programs) / PAGE_SIZE;
    const codePages = options.codePages ?? regionPages;
    if (!Number.isSafeInteger(codePages) || codePages < 1 || codePages > regionPages) {
      throw new IsaError(
        "BAD_ARGUMENT",
        `InterpretedHost: codePages must be a whole number from 1 to ${regionPages}, got ${String(codePages)}`,
      );
    }
    this.#freeCode = [[Number(INTERPRETED_LAYOUT.programs) / PAGE_SIZE, codePages]];
    this.abi = abi;
    this.arch = getArch(abi);
    this.memory = options.memory ?? new Memory();
    this.cpu = this.arch.createCpu(this.memory);
    this.routines = this.#place(
      this.arch.select([
        ...threadRoutines(abi, this.arch),
        ...loweredSwitchRoutine(abi, this.arch),
        ...switchToHostRoutine(abi, this.arch),
      ]),
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

  /** Pages of the code region that no loaded program holds. */
  get freeCodePages(): number {
    return this.#freeCode.reduce((sum, run) => sum + run[1], 0);
  }

  /** Address of a routine of this host's ABI. */
  routine(which: RoutineName): bigint {
    return this.routines.labels.get(routineSymbol(which, this.abi.name))!;
  }

  /**
   * Lowers `program` (which must already be verified) and places it in the
   * code region, in the first free run of pages that holds it (pages freed
   * by {@link unloadProgram} are reused). `fuel` makes the code count an
   * instruction budget.
   */
  loadProgram(program: Program, options: { fuel?: boolean } = {}): InterpretedProgram {
    const fuel = options.fuel ?? false;
    const prefix = `p${this.#programs++}_`;
    const lowered = lowerProgram(program, this.abi, this.arch, { fuel, prefix });
    const items = this.arch.select(lowered.ops);
    // The code is position independent (branches are PC-relative), so its size does not depend
    // on where it goes: assemble at the first free run, and again only if it did not fit there.
    const guess = BigInt(this.#freeCode[0]?.[0] ?? 0) * BigInt(PAGE_SIZE);
    let assembled = assemble(this.arch, items, guess);
    const at = this.#allocateCode(assembled.bytes.length);
    if (at !== guess) assembled = assemble(this.arch, items, at);
    let code: AssembledCode;
    try {
      code = this.#map(assembled);
    } catch (e) {
      this.#freeCodePages(at, assembled.bytes.length);
      throw e;
    }
    const loaded: InterpretedProgram = {
      program,
      code,
      entry: code.labels.get(lowered.entry)!,
      fuel,
      slots: resumeSlots(program),
      prefix,
    };
    this.#placed.add(loaded);
    return loaded;
  }

  /**
   * Unmaps a loaded program's code and gives its pages back to the code
   * region. Its threads must all be released first (the caller's duty: the
   * host does not count them).
   */
  unloadProgram(program: InterpretedProgram): void {
    if (!this.#placed.delete(program)) {
      throw new IsaError(
        "BAD_ARGUMENT",
        "unloadProgram: the program is not loaded in this host (unloaded already, or another host's)",
      );
    }
    const size = program.code.bytes.length;
    this.memory.unmap(program.code.base, pageBytes(size));
    this.#freeCodePages(program.code.base, size);
  }

  /**
   * Creates a thread of a loaded program on the stack `[stackLow, stackHigh)`,
   * which the caller has mapped read-write (with a guard region below, for
   * safety in depth). `budget` (see `toBudget`) needs a program loaded with
   * `fuel`; a fuel program without one runs without limit.
   */
  createThread(
    program: InterpretedProgram,
    options: { stackLow: bigint; stackHigh: bigint; budget?: bigint | number },
  ): InterpretedThread {
    const { stackLow, stackHigh } = options;
    const budget =
      options.budget === undefined ? undefined : toBudget(options.budget, "createThread");
    if (budget !== undefined && !program.fuel) {
      throw new IsaError(
        "BAD_ARGUMENT",
        "createThread: a budget needs a program loaded with { fuel: true }",
      );
    }
    const capacityWords = stackCapacityWords(Number(stackHigh - stackLow));
    const block = this.#freeBlocks.pop() ?? this.#allocateBlock();
    const tcb = block;
    const context = block + BigInt(TCB.size);
    const frame = initialFrame(this.abi, {
      stackLow,
      stackHigh,
      entry: program.entry,
      argument: tcb,
      onExit: 0n,
      start: this.routine("start"),
      exit: this.routine("exit"),
    });
    let stackLimit: bigint;
    try {
      stackLimit = threadStackLimit(stackLow, frame.sp, capacityWords);
    } catch (e) {
      this.#freeBlocks.push(block);
      throw e;
    }
    this.memory.poke(block, new Uint8Array(Number(this.#blockSize)));
    for (const word of frame.stack) this.memory.write64(word.address, word.value);
    for (const { slot, value } of frame.context)
      this.memory.write64(context + BigInt(slot.offset), value);
    const control = new ThreadControl(
      program.program,
      program.slots,
      new ArrayBuffer(TCB.size),
      0,
      budget,
      {
        stackLimit,
        hostContext: this.#hostContext,
        threadContext: context,
        switchRoutine: this.routine("switch_to_host"),
      },
    );
    const words = control.words;
    for (let i = 0; i < words.length; i++) this.memory.write64(tcb + BigInt(8 * i), words[i]!);
    return new ThreadState(
      program,
      tcb,
      context,
      stackLow,
      stackHigh,
      capacityWords,
      budget,
      control,
    );
  }

  /**
   * Runs the thread until its next trap. `value` answers the previous trap:
   * it becomes the result of a host call or yield with a destination
   * register. After a budget trap the budget is refilled. After an exit or a
   * fault, returns that trap again.
   */
  resume(thread: InterpretedThread, value = 0n): Trap {
    const state = this.#own(thread, "resume");
    const last = state.control.lastTrap;
    if (last?.kind === "exit" || last?.kind === "fault") return last;
    state.control.enter(value);
    this.runUntilTrap(state);
    return state.control.leave();
  }

  /**
   * The interpreter's "run until trap": copies the word that
   * {@link ThreadControl.enter} wrote (if any) into emulated memory, runs the
   * switch into the thread until it switches back, and copies the trap
   * record (and, for a host call, the registers) out for
   * {@link ThreadControl.leave}. Throws an
   * {@link IsaError} `MACHINE_FAULT` if the code stopped outside a trap (it
   * never should). Backends call it between `enter` and `leave`.
   */
  runUntilTrap(thread: InterpretedThread): void {
    this.prepareRun(thread);
    const stop = this.cpu.run({ stopAt: [INTERPRETED_LAYOUT.sentinel] });
    this.#checkStop(stop);
    this.collectTrap(thread);
  }

  /**
   * The first half of {@link InterpretedHost.runUntilTrap}, for stepping:
   * copies the word the protocol wrote into emulated memory and sets the CPU
   * up to call the switch into the thread, without running anything. Step
   * with `cpu.run({ stopAt: [INTERPRETED_LAYOUT.sentinel], maxSteps: 1 })`
   * until the program counter is the sentinel (the thread has switched back),
   * then call {@link InterpretedHost.collectTrap}.
   *
   * @example
   * ```ts
   * import { getAbi, parseProgram, protocol } from "@greenthreads/isa";
   * const host = new protocol.InterpretedHost(getAbi("x86_64-sysv"));
   * host.memory.map(protocol.INTERPRETED_LAYOUT.stacks, 16384, "rw");
   * const thread = host.createThread(host.loadProgram(parseProgram("yield 7\nexit 0")), {
   *   stackLow: protocol.INTERPRETED_LAYOUT.stacks,
   *   stackHigh: protocol.INTERPRETED_LAYOUT.stacks + 16384n,
   * });
   * thread.control.enter(0n);
   * host.prepareRun(thread);
   * let steps = 0;
   * while (host.cpu.pc !== protocol.INTERPRETED_LAYOUT.sentinel) {
   *   host.cpu.run({ stopAt: [protocol.INTERPRETED_LAYOUT.sentinel], maxSteps: 1 });
   *   steps++;
   * }
   * host.collectTrap(thread);
   * console.log(thread.control.leave(), steps > 0); // { kind: "yield", value: 7n } true
   * ```
   */
  prepareRun(thread: InterpretedThread): void {
    const { control, tcb } = thread;
    // After setup the host writes one word at most: a resume value or refilled fuel.
    const written = control.written;
    if (written >= 0) this.memory.write64(tcb + BigInt(8 * written), control.words[written]!);
    this.#prepareSwitch(thread.context);
  }

  /**
   * The second half of {@link InterpretedHost.runUntilTrap}: once the thread
   * has switched back to the host, copies the trap record (and, for a host
   * call, the registers) out of emulated memory for
   * {@link ThreadControl.leave}. See {@link InterpretedHost.prepareRun}.
   *
   * @example
   * ```ts
   * import type { protocol } from "@greenthreads/isa";
   * const collect: protocol.InterpretedHost["collectTrap"] = (t) => {};
   * ```
   */
  collectTrap(thread: InterpretedThread): void {
    const { control, tcb } = thread;
    const words = control.words;
    const memory = this.memory;
    // The trap record; the registers only when the trap reads them (a host call's arguments).
    for (let w = 0; w < TRAP_RECORD_WORDS; w++) words[w] = memory.read64(tcb + BigInt(8 * w));
    if (words[TCB.trapKind >> 3] === BigInt(TRAP_KIND.hostcall)) {
      for (let w = FIRST_REGISTER; w < FIRST_REGISTER + PROGRAM_REGISTERS; w++) {
        words[w] = memory.read64(tcb + BigInt(8 * w));
      }
    }
  }

  /** The program registers r0..r7 of a stopped thread. */
  registers(thread: InterpretedThread): bigint[] {
    const { tcb } = this.#own(thread, "registers");
    return Array.from({ length: PROGRAM_REGISTERS }, (_, i) =>
      this.memory.read64(tcb + BigInt(TCB.registers + 8 * i)),
    );
  }

  /** Frees a thread's control block and context (not its stack, which the caller owns). */
  releaseThread(thread: InterpretedThread): void {
    const state = this.#own(thread, "releaseThread");
    state.released = true;
    this.#freeBlocks.push(thread.tcb);
  }

  #own(thread: InterpretedThread, what: string): ThreadState {
    if (!(thread instanceof ThreadState)) {
      throw new IsaError("BAD_ARGUMENT", `${what}: not a thread made by createThread`);
    }
    if (thread.released) {
      throw new IsaError("BAD_ARGUMENT", `${what}: the thread was released; create a new one`);
    }
    return thread;
  }

  /**
   * Sets the CPU up as if the host called `switch(hostContext, to, 0)`,
   * returning to the sentinel, through the lowered switch as the native
   * host does.
   */
  #prepareSwitch(to: bigint): void {
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
    cpu.pc = this.routine("switch_lowered");
  }

  /** The switch came back to the host, or the thread stopped outside a trap (it never should). */
  #checkStop(stop: StopReason): void {
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

  /** First fit in the code region; throws when no free run is large enough. */
  #allocateCode(size: number): bigint {
    const pages = pageBytes(size) / PAGE_SIZE;
    const free = this.#freeCode;
    for (let i = 0; i < free.length; i++) {
      const run = free[i]!;
      if (run[1] < pages) continue;
      const first = run[0];
      if (run[1] === pages) free.splice(i, 1);
      else free[i] = [first + pages, run[1] - pages];
      return BigInt(first * PAGE_SIZE);
    }
    throw new IsaError(
      "BAD_ARGUMENT",
      `the interpreter's code region has no ${pages} free pages in a row; unload programs first`,
    );
  }

  /** Gives pages back to the code region, merging with free neighbours. */
  #freeCodePages(at: bigint, size: number): void {
    const first = Number(at) / PAGE_SIZE;
    const pages = pageBytes(size) / PAGE_SIZE;
    const free = this.#freeCode;
    let i = 0;
    while (i < free.length && free[i]![0] < first) i++;
    free.splice(i, 0, [first, pages]);
    // Merge with the next run, then with the previous one.
    if (i + 1 < free.length && free[i]![0] + free[i]![1] === free[i + 1]![0]) {
      free[i] = [first, free[i]![1] + free[i + 1]![1]];
      free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1]![0] + free[i - 1]![1] === free[i]![0]) {
      free[i - 1] = [free[i - 1]![0], free[i - 1]![1] + free[i]![1]];
      free.splice(i, 1);
    }
  }

  /** Assembles selected instructions at `at` and maps them read-execute. */
  #place(items: ReturnType<Arch["select"]>, at: bigint): AssembledCode {
    return this.#map(assemble(this.arch, items, at));
  }

  /** Maps assembled code read-execute at its address and makes it fetchable. */
  #map(code: AssembledCode): AssembledCode {
    this.memory.map(code.base, pageBytes(code.bytes.length), "rx");
    try {
      this.memory.poke(code.base, code.bytes);
      this.cpu.load(code);
    } catch (e) {
      this.memory.unmap(code.base, pageBytes(code.bytes.length));
      throw e;
    }
    return code;
  }
}

/** Bytes of whole pages that hold `size` bytes (at least one page). */
function pageBytes(size: number): number {
  return Math.max(1, Math.ceil(size / PAGE_SIZE)) * PAGE_SIZE;
}
