/**
 * A context switch you can watch: the generated switch routine of any ABI,
 * one main thread and one green thread, in the interpreter of
 * `@greenthreads/isa`, with every register, context slot and
 * thread-information word readable between switches.
 *
 * Memory of the lab (addresses are the interpreter's):
 *
 * ```
 *   0x0010_0000  code      switch routine, start/exit trampolines, the thread's body
 *   0x0020_0000  data      what the thread loads at entry and records after each resume
 *   0x0021_0000  main ctx  where the switch saves the main thread
 *   0x0022_0000  green ctx where it saves the green thread (first: its initial frame)
 *   0x0030_0000  stacks    the green thread's stack, from the emulated allocator (guard below)
 *   0x0041_0000  main stack top (one page below it)
 *   0x0050_0000  TIB       thread-information block, on ABIs that keep words there (Win64)
 * ```
 *
 * The green thread's body loads its own values into every callee-saved
 * float register, records the thread-information words it sees, and then
 * switches back to main forever, recording what it finds each time it is
 * resumed:
 *
 * ```
 *   entry:  float callee-saved ← data.threadFloats        (its own values)
 *           data.seenTls ← thread-information words
 *   loop:   switch(green ctx, main ctx, 0)                 (yield to main)
 *           data.seenFloats ← float callee-saved           (after a resume)
 *           data.seenTls ← thread-information words
 *           jump loop
 * ```
 */
import {
  type Abi,
  type AbiName,
  type Arch,
  type AssembledCode,
  assemble,
  type Cpu,
  getAbi,
  getArch,
  type lir,
  memory,
  routines,
} from "@greenthreads/isa";
import { EmulatedStackAllocator, type Stack } from "@greenthreads/stack";
import {
  instructionAt,
  type LabInstruction,
  type LabStep,
  routineAt,
  stepOnce,
} from "./lab-step.js";

const { Memory } = memory;
const { initialFrame, routineSymbol, scratchRegisters, threadRoutines } = routines;

export type { LabChange, LabStep } from "./lab-step.js";

const CODE = 0x10_0000n;
const DATA = 0x20_0000n;
const MAIN_CTX = 0x21_0000n;
const GREEN_CTX = 0x22_0000n;
const STACKS = 0x30_0000n;
const MAIN_STACK_TOP = 0x41_0000n;
const TIB = 0x50_0000n;
/** The address main "returns" to after its switch: the interpreter stops there. */
const BACK_IN_MAIN = 0xdead_0000n;

/** Main's float control registers: the values a process starts with. */
const MAIN_FLOAT_CONTROL: Record<string, bigint> = {
  mxcsr: 0x1f80n,
  x87cw: 0x037fn,
  fpcr: 0n,
  fcsr: 0n,
};

/** Offsets in the data block. */
const D = {
  greenCtx: 0,
  mainCtx: 8,
  switchAddress: 16,
  threadFloats: 0x100,
  seenFloats: 0x300,
  seenTls: 0x500,
};

/** A recognisable 128-bit value for float register `i` of main (`0x6…`) or the green thread (`0x7…`). */
export function labFloat(owner: "main" | "green", i: number): bigint {
  const nibble = owner === "main" ? 0x6n : 0x7n;
  return ((nibble * 0x1111_1111_1111_1111n) << 64n) | (nibble * 0x1111_0000n + BigInt(i));
}

/** One row of {@link SwitchLab.compare}: a piece of callee-saved state, in main and in the green thread. */
export interface LabRow {
  readonly name: string;
  /** What main holds (in the CPU while main runs). */
  readonly main: bigint;
  /** What the green thread holds (saved in its context while main runs). */
  readonly green: bigint;
}

/** The switch of one ABI between a main thread and one green thread, in the interpreter. */
export class SwitchLab {
  readonly abi: Abi;
  readonly memory = new Memory();
  readonly cpu: Cpu;
  readonly arch: Arch;
  readonly code: AssembledCode;
  readonly stack: Stack;
  /** Switches made so far (main → green and back counts two). */
  switches = 0;

  constructor(abi: AbiName) {
    this.abi = getAbi(abi);
    const arch = getArch(this.abi);
    this.arch = arch;
    const scratch = scratchRegisters(this.abi, arch)[0]!;
    this.code = assemble(
      arch,
      arch.select([...threadRoutines(this.abi, arch), ...greenBody(this.abi, scratch)]),
      CODE,
    );
    const m = this.memory;
    m.map(CODE, 0x1_0000, "rx");
    m.poke(CODE, this.code.bytes);
    for (const [at, size] of [
      [DATA, 0x1000],
      [MAIN_CTX, 0x1000],
      [GREEN_CTX, 0x1000],
      [MAIN_STACK_TOP - 0x1000n, 0x1000],
      [TIB, 0x2000],
    ] as const) {
      m.map(at, size, "rw");
    }
    this.stack = new EmulatedStackAllocator({
      memory: m,
      base: STACKS,
      limit: STACKS + 0x10_0000n,
    }).allocate(16384);
    this.cpu = arch.createCpu(m);
    this.cpu.load(this.code);

    const frame = initialFrame(this.abi, {
      stackLow: this.stack.low,
      stackHigh: this.stack.high,
      entry: this.label("green_entry"),
      argument: 0n,
      onExit: this.label("green_entry"), // never reached: the body never returns
      start: this.label(routineSymbol("start", this.abi.name)),
      exit: this.label(routineSymbol("exit", this.abi.name)),
    });
    for (const w of frame.stack) m.write64(w.address, w.value);
    for (const { slot, value } of frame.context) this.writeSlot(GREEN_CTX, slot.name, value);
    m.write64(DATA + BigInt(D.greenCtx), GREEN_CTX);
    m.write64(DATA + BigInt(D.mainCtx), MAIN_CTX);
    m.write64(DATA + BigInt(D.switchAddress), this.label(routineSymbol("switch", this.abi.name)));
    for (const [i] of this.abi.calleeSavedFloat.entries()) {
      m.write128(DATA + BigInt(D.threadFloats + 16 * i), labFloat("green", i));
    }

    // Main's own state: recognisable float values, and (Win64) a TIB that
    // describes main's stack, as Windows keeps it for the running fiber.
    for (const [i, { reg }] of this.abi.calleeSavedFloat.entries())
      this.cpu.set(reg, labFloat("main", i));
    // Float control registers as a process starts with them (round to nearest, exceptions masked).
    for (const control of this.abi.floatControl)
      this.cpu.set(control, MAIN_FLOAT_CONTROL[control] ?? 0n);
    if (this.abi.threadInformation.length > 0) {
      this.cpu.set("gs_base", TIB);
      const main: Record<string, bigint> = {
        StackBase: MAIN_STACK_TOP,
        StackLimit: MAIN_STACK_TOP - 0x1000n,
        DeallocationStack: MAIN_STACK_TOP - 0x10_0000n,
      };
      for (const info of this.abi.threadInformation) {
        m.write64(TIB + BigInt(info.offset), main[info.name] ?? 0n);
      }
    }
  }

  /** The address of a label of the lab's code. */
  label(name: string): bigint {
    const at = this.code.labels.get(name);
    if (at === undefined) throw new Error(`no label ${name}`);
    return at;
  }

  /**
   * Main calls `switch(main ctx, green ctx, 0)`; the green thread runs until
   * it switches back. Returns the number of instructions that took.
   */
  switchToGreenAndBack(): number {
    const before = this.cpu.steps;
    this.beginRoundTrip();
    const stop = this.cpu.run({ stopAt: [BACK_IN_MAIN], maxSteps: 100_000 });
    if (stop.kind !== "stopped")
      throw new Error(`the switch did not come back: ${JSON.stringify(stop)}`);
    this.switches += 2;
    return this.cpu.steps - before;
  }

  /**
   * Sets main up to call `switch(main ctx, green ctx, 0)`, with the return
   * address pointing back into main, without running anything: the next
   * {@link SwitchLab.step} executes the switch routine's first instruction.
   */
  beginRoundTrip(): void {
    const [a0, a1, a2] = this.abi.argumentRegisters as [string, string, string];
    const cpu = this.cpu;
    cpu.set(a0, MAIN_CTX);
    cpu.set(a1, GREEN_CTX);
    cpu.set(a2, 0n);
    let sp = MAIN_STACK_TOP;
    if (this.abi.returnAddress.kind === "stack") {
      sp -= 8n;
      this.memory.write64(sp, BACK_IN_MAIN);
    } else {
      cpu.set(this.abi.returnAddress.reg, BACK_IN_MAIN);
    }
    cpu.set(this.abi.stackPointer, sp);
    cpu.pc = this.label(routineSymbol("switch", this.abi.name));
  }

  /** Whether the round trip begun by {@link SwitchLab.beginRoundTrip} is back in main. */
  get backInMain(): boolean {
    return this.cpu.pc === BACK_IN_MAIN;
  }

  /** The instruction at the program counter, as assembler text, and where it is. */
  current(): LabInstruction {
    const pc = this.cpu.pc;
    if (pc === BACK_IN_MAIN) return { address: pc, text: "(back in main)", where: "main" };
    return instructionAt([this.code], (items) => this.arch.format(items), pc);
  }

  /** Which routine of the lab's code holds `address`: the nearest label at or below it. */
  routineAt(address: bigint): string {
    return routineAt([this.code], address);
  }

  /**
   * Executes one instruction and returns what it changed: registers (by
   * name, old and new value) and 8-byte words of memory in the stacks,
   * contexts and TIB.
   */
  step(): LabStep {
    const step = stepOnce(this.cpu, [BACK_IN_MAIN], this.current(), () => this.observe());
    if (this.backInMain) this.switches += 2;
    return step;
  }

  /** Every register the lab shows: integer, callee-saved float, float control, pc. */
  registers(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    for (const r of this.arch.integerRegisters) out.set(r, this.cpu.get(r));
    for (const { reg, width } of this.abi.calleeSavedFloat) {
      out.set(reg, this.cpu.get(reg) & ((1n << BigInt(8 * width)) - 1n));
    }
    for (const c of this.abi.floatControl) out.set(c, this.cpu.get(c));
    out.set("pc", this.cpu.pc);
    return out;
  }

  /** Where the context of `which` thread lives. */
  contextAddress(which: "main" | "green"): bigint {
    return which === "main" ? MAIN_CTX : GREEN_CTX;
  }

  /** The context of `which` thread, slot by slot, as the switch laid it out. */
  context(which: "main" | "green"): { name: string; offset: number; value: bigint }[] {
    const ctx = which === "main" ? MAIN_CTX : GREEN_CTX;
    return this.abi.context.slots.map((slot) => ({
      name: slot.name,
      offset: slot.offset,
      value: this.readSlot(ctx, slot.name),
    }));
  }

  /** The top `words` words of a stack, highest address first. */
  stackTop(which: "main" | "green", words = 12): { address: bigint; value: bigint }[] {
    const high = which === "main" ? MAIN_STACK_TOP : this.stack.high;
    return Array.from({ length: words }, (_, i) => {
      const address = high - 8n * BigInt(i + 1);
      return { address, value: this.memory.read64(address) };
    });
  }

  /** The words the lab watches for changes: both stacks' tops, both contexts, the TIB words. */
  private observe(): { registers: Map<string, bigint>; words: Map<bigint, bigint> } {
    const words = new Map<bigint, bigint>();
    for (const which of ["main", "green"] as const) {
      for (const w of this.stackTop(which, 32)) words.set(w.address, w.value);
      const ctx = which === "main" ? MAIN_CTX : GREEN_CTX;
      for (let o = 0; o < this.abi.context.size; o += 8) {
        words.set(ctx + BigInt(o), this.memory.read64(ctx + BigInt(o)));
      }
    }
    for (const info of this.abi.threadInformation) {
      words.set(TIB + BigInt(info.offset), this.memory.read64(TIB + BigInt(info.offset)));
    }
    return { registers: this.registers(), words };
  }

  /**
   * The callee-saved float registers and thread-information words, as main
   * holds them now (CPU, TIB) and as the green thread has them saved (its
   * context). Call it while main runs.
   */
  compare(): LabRow[] {
    const rows: LabRow[] = [];
    for (const { reg, width } of this.abi.calleeSavedFloat) {
      const mask = (1n << BigInt(8 * width)) - 1n;
      rows.push({
        name: reg,
        main: this.cpu.get(reg) & mask,
        green: this.readSlot(GREEN_CTX, reg),
      });
    }
    for (const info of this.abi.threadInformation) {
      rows.push({
        name: info.name,
        main: this.memory.read64(TIB + BigInt(info.offset)),
        green: this.readSlot(GREEN_CTX, info.name),
      });
    }
    return rows;
  }

  /** What the green thread found in its float registers the last time it was resumed. */
  seenByGreenFloats(): bigint[] {
    return this.abi.calleeSavedFloat.map(({ width }, i) => {
      const mask = (1n << BigInt(8 * width)) - 1n;
      return this.memory.read128(DATA + BigInt(D.seenFloats + 16 * i)) & mask;
    });
  }

  /** The thread-information words the green thread saw while it ran (by name). */
  seenByGreenTls(): Map<string, bigint> {
    return new Map(
      this.abi.threadInformation.map((info, i) => [
        info.name,
        this.memory.read64(DATA + BigInt(D.seenTls + 8 * i)),
      ]),
    );
  }

  private readSlot(ctx: bigint, name: string): bigint {
    const slot = this.abi.context.slot(name);
    const at = ctx + BigInt(slot.offset);
    return slot.width === 16
      ? this.memory.read128(at)
      : this.memory.read64(at) & ((1n << BigInt(8 * slot.width)) - 1n);
  }

  private writeSlot(ctx: bigint, name: string, value: bigint): void {
    const slot = this.abi.context.slot(name);
    const at = ctx + BigInt(slot.offset);
    if (slot.width === 16) this.memory.write128(at, value);
    else this.memory.write64(at, value);
  }
}

/** The green thread's body, as LIR (see the module comment). */
function greenBody(abi: Abi, base: string): lir.LirOp[] {
  const [arg0, arg1, arg2] = abi.argumentRegisters as [string, string, string];
  const data = (): lir.LirOp => ({ op: "li", dst: base, imm: DATA });
  const recordTls = (): lir.LirOp[] =>
    abi.threadInformation.flatMap((info, i): lir.LirOp[] => [
      { op: "loadtls", dst: arg2, offset: info.offset },
      { op: "store", src: arg2, base, offset: D.seenTls + 8 * i },
    ]);
  return [
    { op: "label", name: "green_entry" },
    data(),
    ...abi.calleeSavedFloat.map(
      ({ reg, width }, i): lir.LirOp => ({
        op: "loadf",
        dst: reg,
        base,
        offset: D.threadFloats + 16 * i,
        width,
      }),
    ),
    ...recordTls(),
    { op: "label", name: "green_loop" },
    { op: "load", dst: arg0, base, offset: D.greenCtx },
    { op: "load", dst: arg1, base, offset: D.mainCtx },
    { op: "load", dst: base, base, offset: D.switchAddress },
    { op: "li", dst: arg2, imm: 0n },
    { op: "callr", reg: base },
    data(),
    ...abi.calleeSavedFloat.map(
      ({ reg, width }, i): lir.LirOp => ({
        op: "storef",
        src: reg,
        base,
        offset: D.seenFloats + 16 * i,
        width,
      }),
    ),
    ...recordTls(),
    { op: "jmp", target: "green_loop" },
  ];
}
