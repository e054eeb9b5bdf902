/**
 * Lowering a thread program to LIR for one ABI.
 *
 * The lowered code runs on the thread's own machine stack and enforces the
 * program semantics of `program.ts` by itself: it checks every push, pop,
 * call, return and stack access against the bounds in the thread control
 * block, so a program can never touch memory outside its stack or jump
 * outside its code, and it counts fuel when asked to. Every check that fails
 * becomes a trap, never a machine fault.
 *
 * Layout of the generated code:
 *
 * ```
 *   <p>entry:     tcb ← arg0; stack high ← sp; r0..r7 ← 0
 *   <p>i0:        [fuel check]  body of instruction 0
 *   <p>i1:        [fuel check]  body of instruction 1
 *   …
 *   cold stubs:   one per check that can fail: the instruction's index into
 *                 a temporary, then a jump to the shared sequence of its kind
 *   <p>trapkind<k>: shared: store trap kind k, instruction, resume pc; jump to <p>trap
 *   <p>faultcode<c>: shared: store fault code c (and the offending value); <p>trapkind5
 *   <p>trap:      spill r0..r7 → tcb; jump to switch(thread ctx, host ctx)
 *                 with <p>back as its return address (pushed, or in the link register)
 *   <p>back:      reload r0..r7 ← tcb; jump to tcb.resume pc
 *   <p>returns:   the return table: one 32-bit word per program instruction
 * ```
 *
 * A trap site stores its values in the control block, puts its instruction
 * index and where to continue in two temporaries, and jumps to the shared
 * sequence of its trap kind, which stores them and enters the shared trap
 * sequence. Everything a site needs of its own is a few instructions, so the
 * code grows by a bounded amount per program instruction: code size is
 * linear in the program. Nothing of it uses the stack except the return
 * address it pushes for the switch
 * (where the ABI keeps return addresses on the stack), one word below the
 * stack pointer: the stack limit leaves {@link STACK_RESERVE} bytes for that.
 * The switch is entered by a jump, not a call, so that the thread leaves no
 * entry on the CPU's return-prediction stack (see the switch routine).
 *
 * The machine stack and the program stack are the same: `push` moves the
 * stack pointer by 8, so a program uses exactly as much stack on every
 * instruction set, and overflows at the same instruction. (Where the ABI
 * wants the machine stack pointer aligned at all times, the program's is a
 * register and the machine's follows it, rounded down.) A `call` pushes the
 * index of the return instruction, not a machine address; `ret` pops it and
 * finds the machine address in the return table, indexed by instruction:
 *
 * ```
 *   ret:  t0 ← popped index
 *         t0 ≥ instruction count          → fault out-of-bounds (index t0)
 *         t2 ← <p>returns + 4·t0;  t1 ← 32-bit word at t2
 *         t1 = 0 (not a return site)      → fault out-of-bounds (index t0)
 *         jump to t2 − t1                 (the word is its distance back to <p>i<t0>)
 * ```
 *
 * A word is non-zero exactly for the instructions that follow a `call`, so a
 * forged return faults, as the reference machine says, and never jumps
 * anywhere else. The table lies after the code, in the same pages: read-only
 * and executable once placed, and addressed PC-relative, so the code needs
 * no relocation wherever it is placed.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import { TABLE_ENTRY_SIZE } from "../arch/table.js";
import type { Operand, Program, ProgramInstruction } from "../language/program.js";
import { PROGRAM_REGISTERS } from "../language/program.js";
import type { Cond, LirOp, Reg } from "../lir/lir.js";
import { FAULT_CODE, TCB, TRAP_KIND } from "../protocol/thread-control-block.js";
import { assignRegisters } from "./register-assignment.js";

/**
 * Bytes below the stack limit that lowered code may touch: the return
 * address that the trap sequence pushes for the switch routine on x86-64,
 * with room to spare.
 *
 * @example
 * ```ts
 * import { lowering } from "@greenthreads/isa";
 * console.log(lowering.STACK_RESERVE); // 64
 * ```
 */
export const STACK_RESERVE = 64;

/**
 * Options of {@link lowerProgram}.
 *
 * @example
 * ```ts
 * import type { lowering } from "@greenthreads/isa";
 * const o: lowering.LowerOptions = { fuel: true, prefix: "fiber1_" };
 * ```
 */
export interface LowerOptions {
  /** Count an instruction budget and trap when it runs out. Default false. */
  readonly fuel?: boolean;
  /** Prefix of every label, so several programs can share one code region. Default `"gtp_"`. */
  readonly prefix?: string;
}

/**
 * A lowered program: its LIR and the label of its entry point.
 *
 * @example
 * ```ts
 * import type { lowering } from "@greenthreads/isa";
 * function entry(l: lowering.LoweredProgram): string {
 *   return l.entry;
 * }
 * ```
 */
export interface LoweredProgram {
  readonly ops: readonly LirOp[];
  /** Label to start the thread at, with the control block's address in the first argument register. */
  readonly entry: string;
}

/**
 * Lowers a verified program to LIR for `abi` (run `verifyProgram` first:
 * lowering assumes labels and registers are valid).
 *
 * @example
 * ```ts
 * import { getAbi, lowering, parseProgram, x86_64 } from "@greenthreads/isa";
 * const { lowerProgram } = lowering;
 * const lowered = lowerProgram(parseProgram("yield 1\nexit 0"), getAbi("x86_64-sysv"), x86_64, { fuel: true });
 * console.log(x86_64.format(x86_64.select(lowered.ops)));
 * ```
 */
export function lowerProgram(
  program: Program,
  abi: Abi,
  arch: Arch,
  options: LowerOptions = {},
): LoweredProgram {
  return new Lowering(program, abi, arch, options).run();
}

class Lowering {
  readonly #program: Program;
  readonly #abi: Abi;
  readonly #fuel: boolean;
  readonly #prefix: string;
  readonly #tcb: Reg;
  readonly #t: readonly [Reg, Reg, Reg];
  readonly #r: readonly Reg[];
  readonly #psp: Reg;
  readonly #hot: LirOp[] = [];
  readonly #cold: LirOp[] = [];
  /** The label of each program instruction, made once: the return table names them again. */
  readonly #labels: string[];
  /** The host-call index of each name. */
  readonly #hostcalls: Map<string, number>;
  /** The fault codes whose shared sequences are used. */
  readonly #faults = new Set<number>();
  /**
   * Operations that are the same wherever they occur, made once and placed
   * many times: most of a lowered instruction is one of these, and a
   * program of 2^18 instructions would otherwise make millions of equal
   * objects.
   */
  readonly #same: ReturnType<typeof sameOperations>;
  readonly #jumps = new Map<string, LirOp>();
  #stubs = 0;

  constructor(program: Program, abi: Abi, arch: Arch, options: LowerOptions) {
    this.#program = program;
    this.#abi = abi;
    this.#fuel = options.fuel ?? false;
    this.#prefix = options.prefix ?? "gtp_";
    const regs = assignRegisters(abi, arch);
    this.#tcb = regs.tcb;
    this.#t = regs.temps;
    this.#r = regs.program;
    this.#psp = regs.stackPointer;
    this.#labels = Array.from(program.instructions, (_, i) => `${this.#prefix}i${i}`);
    this.#hostcalls = new Map(program.hostcalls.map((name, i) => [name, i]));
    this.#same = sameOperations(abi, this.#tcb, this.#t, this.#psp);
  }

  run(): LoweredProgram {
    const entry = `${this.#prefix}entry`;
    const [t0] = this.#t;
    this.#hot.push(
      { op: "label", name: entry },
      { op: "mov", dst: this.#tcb, src: this.#abi.argumentRegisters[0]! },
      { op: "mov", dst: this.#psp, src: this.#abi.stackPointer },
      { op: "mov", dst: t0, src: this.#psp },
      { op: "store", src: t0, base: this.#tcb, offset: TCB.stackHigh },
    );
    for (const reg of this.#r) this.#hot.push({ op: "li", dst: reg, imm: 0n });
    const instructions = this.#program.instructions;
    for (let index = 0; index < instructions.length; index++) {
      this.#hot.push({ op: "label", name: this.#labels[index]! });
      if (this.#fuel) this.#fuelCheck(index);
      this.#lower(instructions[index]!, index);
    }
    // One array, appended in place: a copy of every operation would double the peak.
    const ops = this.#hot;
    for (const op of this.#cold) ops.push(op);
    this.#cold.length = 0;
    this.#sharedSequences(ops);
    this.#trapSequence(ops);
    ops.push({ op: "label", name: `${this.#prefix}returns` }, this.#returnTable());
    return { ops, entry };
  }

  #stub(what: string): string {
    return `${this.#prefix}${what}${this.#stubs++}`;
  }

  /** Fuel zero: trap out of line, and check again when resumed. Otherwise spend one. */
  #fuelCheck(index: number): void {
    const [t0, t1] = this.#t;
    const budget = this.#stub("budget");
    const same = this.#same;
    this.#hot.push(
      same.loadFuel,
      { op: "br", cond: "eq", a: t0, b: 0n, target: budget },
      same.spendFuel,
      same.storeFuel,
    );
    this.#cold.push(
      { op: "label", name: budget },
      { op: "li", dst: t1, imm: BigInt(index) },
      { op: "la", dst: t0, label: this.#labels[index]! },
      this.#jmp(this.#kind(TRAP_KIND.budget)),
    );
  }

  #lower(ins: ProgramInstruction, index: number): void {
    const out = this.#hot;
    const r = this.#r;
    const [t0, t1] = this.#t;
    switch (ins.op) {
      case "mov":
        if ("reg" in ins.src) out.push({ op: "mov", dst: r[ins.dst]!, src: r[ins.src.reg]! });
        else out.push({ op: "li", dst: r[ins.dst]!, imm: ins.src.imm });
        return;
      case "add":
      case "sub":
      case "mul":
      case "and":
      case "or":
      case "xor":
      case "shl":
      case "shr":
      case "sar":
        if ("reg" in ins.b) {
          out.push({ op: "alu", kind: ins.op, dst: r[ins.dst]!, a: r[ins.a]!, b: r[ins.b.reg]! });
        } else {
          out.push({ op: "alui", kind: ins.op, dst: r[ins.dst]!, a: r[ins.a]!, imm: ins.b.imm });
        }
        return;
      case "br":
        out.push({
          op: "br",
          cond: ins.cond as Cond,
          a: r[ins.a]!,
          b: "reg" in ins.b ? r[ins.b.reg]! : ins.b.imm,
          target: this.#label(ins.target),
        });
        return;
      case "jmp":
        out.push({ op: "jmp", target: this.#label(ins.target) });
        return;
      case "push":
        this.#checkRoom(index);
        out.push(this.#same.stackDown);
        this.#followStackPointer();
        out.push({ op: "store", src: this.#operand(ins.src, t0), base: this.#psp, offset: 0 });
        return;
      case "call":
        this.#checkRoom(index);
        out.push({ op: "li", dst: t0, imm: BigInt(index + 1) }, this.#same.stackDown);
        this.#followStackPointer();
        out.push(
          { op: "store", src: t0, base: this.#psp, offset: 0 },
          { op: "jmp", target: this.#label(ins.target) },
        );
        return;
      case "pop":
        this.#checkNotEmpty(index);
        out.push({ op: "load", dst: r[ins.dst]!, base: this.#psp, offset: 0 }, this.#same.stackUp);
        this.#followStackPointer();
        return;
      case "ret":
        this.#checkNotEmpty(index);
        out.push({ op: "load", dst: t0, base: this.#psp, offset: 0 }, this.#same.stackUp);
        this.#followStackPointer();
        this.#returnDispatch(index);
        return;
      case "load":
      case "store": {
        // t0 = word index; t1 = depth in words; t2 = sp. Unsigned compare rejects negative indices too.
        if (ins.index === null) out.push({ op: "li", dst: t0, imm: BigInt(ins.offset) });
        else
          out.push({ op: "alui", kind: "add", dst: t0, a: r[ins.index]!, imm: BigInt(ins.offset) });
        const fault = this.#faultStub(FAULT_CODE.outOfBoundsIndex, index);
        const same = this.#same;
        out.push(
          same.loadStackHigh,
          same.stackPointerToT2,
          same.depthBytes,
          same.depthWords,
          { op: "br", cond: "geu", a: t0, b: t1, target: fault },
          same.indexBytes,
          same.indexAddress,
        );
        if (ins.op === "load") out.push({ op: "load", dst: r[ins.dst]!, base: t0, offset: 0 });
        else out.push({ op: "store", src: this.#operand(ins.src, t1), base: t0, offset: 0 });
        return;
      }
      case "hostcall": {
        const resume = this.#stub("resume");
        out.push(
          { op: "li", dst: t0, imm: BigInt(this.#hostcalls.get(ins.name)!) },
          { op: "store", src: t0, base: this.#tcb, offset: TCB.trapA },
        );
        this.#trap(TRAP_KIND.hostcall, index, resume);
        out.push({ op: "label", name: resume });
        return;
      }
      case "yield": {
        const resume = this.#stub("resume");
        const value = this.#operand(ins.value, t0);
        out.push({ op: "store", src: value, base: this.#tcb, offset: TCB.trapA });
        this.#trap(TRAP_KIND.yield, index, resume);
        out.push({ op: "label", name: resume });
        return;
      }
      case "exit": {
        // An exited thread is never resumed; if it were, it reports the same exit again.
        const again = this.#stub("exit");
        out.push({ op: "label", name: again });
        const code = this.#operand(ins.code, t0);
        out.push({ op: "store", src: code, base: this.#tcb, offset: TCB.trapA });
        this.#trap(TRAP_KIND.exit, index, again);
        return;
      }
    }
  }

  #label(name: string): string {
    return this.#labels[this.#program.labels.get(name)!]!;
  }

  /** The register holding an operand: its program register, or `scratch` loaded with the immediate. */
  #operand(operand: Operand, scratch: Reg): Reg {
    if ("reg" in operand) return this.#r[operand.reg]!;
    this.#hot.push({ op: "li", dst: scratch, imm: operand.imm });
    return scratch;
  }

  /**
   * Where the program's stack pointer is a register of its own (see
   * register-assignment.ts), moves the machine's to it rounded down to the
   * ABI's alignment: below every live word, so that whatever the machine
   * pushes (a signal frame, the switch's return address) never lands on one.
   * Clobbers the second temporary.
   */
  #followStackPointer(): void {
    if (this.#psp === this.#abi.stackPointer) return;
    this.#hot.push(this.#same.alignedStackPointer, this.#same.followStackPointer);
  }

  /** Faults stack-overflow unless one more word fits above the limit. */
  #checkRoom(index: number): void {
    const [t0, t1] = this.#t;
    const fault = this.#faultStub(FAULT_CODE.stackOverflow, index);
    const same = this.#same;
    this.#hot.push(same.stackPointerToT0, same.nextWord, same.loadStackLimit, {
      op: "br",
      cond: "ltu",
      a: t0,
      b: t1,
      target: fault,
    });
  }

  /** Faults out-of-bounds when the stack holds no word. */
  #checkNotEmpty(index: number): void {
    const [t0, t1] = this.#t;
    const fault = this.#faultStub(FAULT_CODE.outOfBounds, index);
    this.#hot.push(this.#same.stackPointerToT0, this.#same.loadStackHigh, {
      op: "br",
      cond: "geu",
      a: t0,
      b: t1,
      target: fault,
    });
  }

  /**
   * Jumps to the instruction whose index is in t0 if it is a return site of
   * the program, through the return table (see the module comment); faults
   * with the popped value otherwise.
   */
  #returnDispatch(index: number): void {
    const [t0, t1, t2] = this.#t;
    const fault = this.#faultStub(FAULT_CODE.outOfBoundsIndex, index);
    this.#hot.push(
      {
        op: "br",
        cond: "geu",
        a: t0,
        b: BigInt(this.#program.instructions.length),
        target: fault,
      },
      { op: "alui", kind: "shl", dst: t2, a: t0, imm: BigInt(Math.log2(TABLE_ENTRY_SIZE)) },
      { op: "la", dst: t1, label: `${this.#prefix}returns` },
      { op: "alu", kind: "add", dst: t2, a: t2, b: t1 },
      { op: "load", dst: t1, base: t2, offset: 0, width: TABLE_ENTRY_SIZE },
      { op: "br", cond: "eq", a: t1, b: 0n, target: fault },
      { op: "alu", kind: "sub", dst: t2, a: t2, b: t1 },
      { op: "jr", reg: t2 },
    );
  }

  /** The return table: for each instruction, its label if it follows a call, else none. */
  #returnTable(): LirOp {
    const instructions = this.#program.instructions;
    const entries: (string | null)[] = new Array(instructions.length).fill(null);
    for (let i = 0; i + 1 < instructions.length; i++) {
      if (instructions[i]!.op === "call") entries[i + 1] = this.#labels[i + 1]!;
    }
    return { op: "table", entries };
  }

  /**
   * A cold stub that puts the instruction's index into the second
   * temporary and enters the shared sequence of fault `code` (which, for
   * `outOfBoundsIndex`, records the first temporary as the offending value).
   * Returns the stub's label.
   */
  #faultStub(code: number, index: number): string {
    const [, t1] = this.#t;
    const stub = this.#stub("check");
    this.#faults.add(code);
    this.#cold.push(
      { op: "label", name: stub },
      { op: "li", dst: t1, imm: BigInt(index) },
      this.#jmp(`${this.#prefix}faultcode${code}`),
    );
    return stub;
  }

  /**
   * Ends a trap site whose values are stored: the instruction's index into
   * the second temporary, the label to resume at (placed by the caller)
   * into the first, and on to the shared sequence of trap `kind`.
   */
  #trap(kind: number, index: number, resume: string): void {
    const [t0, t1] = this.#t;
    this.#hot.push(
      { op: "li", dst: t1, imm: BigInt(index) },
      { op: "la", dst: t0, label: resume },
      this.#jmp(this.#kind(kind)),
    );
  }

  /** A jump to a shared sequence, one object per target. */
  #jmp(target: string): LirOp {
    let op = this.#jumps.get(target);
    if (op === undefined) {
      op = Object.freeze({ op: "jmp", target });
      this.#jumps.set(target, op);
    }
    return op;
  }

  #kind(kind: number): string {
    return `${this.#prefix}trapkind${kind}`;
  }

  /**
   * The sequences that trap sites share. `<p>trapkind<k>` stores trap kind k,
   * the instruction index (second temporary) and the resume pc (first
   * temporary). `<p>faultcode<c>` stores fault code c, and the offending value
   * (first temporary) for `outOfBoundsIndex`; a faulted thread resumes at
   * the trap sequence itself, so it reports the same fault again.
   */
  #sharedSequences(ops: LirOp[]): void {
    const [t0, t1, t2] = this.#t;
    const trap = `${this.#prefix}trap`;
    for (const code of [...this.#faults].sort((a, b) => a - b)) {
      ops.push({ op: "label", name: `${this.#prefix}faultcode${code}` });
      if (code === FAULT_CODE.outOfBoundsIndex) {
        ops.push({ op: "store", src: t0, base: this.#tcb, offset: TCB.trapIndex });
      }
      ops.push(
        { op: "li", dst: t2, imm: BigInt(code) },
        { op: "store", src: t2, base: this.#tcb, offset: TCB.trapA },
        { op: "la", dst: t0, label: trap },
        { op: "jmp", target: this.#kind(TRAP_KIND.fault) },
      );
    }
    for (const kind of Object.values(TRAP_KIND)) {
      ops.push(
        { op: "label", name: this.#kind(kind) },
        { op: "store", src: t1, base: this.#tcb, offset: TCB.trapInstruction },
        { op: "store", src: t0, base: this.#tcb, offset: TCB.resumePc },
        { op: "li", dst: t2, imm: BigInt(kind) },
        { op: "store", src: t2, base: this.#tcb, offset: TCB.trapKind },
        { op: "jmp", target: trap },
      );
    }
  }

  /** Spill, switch to the host, reload, continue at the resume pc. */
  #trapSequence(ops: LirOp[]): void {
    const [t0] = this.#t;
    const [from, to, value] = this.#abi.argumentRegisters as [Reg, Reg, Reg];
    ops.push({ op: "label", name: `${this.#prefix}trap` });
    for (let i = 0; i < PROGRAM_REGISTERS; i++) {
      ops.push({ op: "store", src: this.#r[i]!, base: this.#tcb, offset: TCB.registers + 8 * i });
    }
    // Enter the switch by a jump, with the continuation where a call would
    // have put it: a call would leave a return-prediction entry that no
    // return ever consumes, and every return of the host after the switch
    // back would then be predicted from the wrong entry.
    const back = `${this.#prefix}back`;
    const sp = this.#abi.stackPointer;
    if (this.#abi.returnAddress.kind === "stack") {
      ops.push(
        { op: "la", dst: t0, label: back },
        { op: "alui", kind: "sub", dst: sp, a: sp, imm: 8n },
        { op: "store", src: t0, base: sp, offset: 0 },
      );
    }
    ops.push(
      { op: "load", dst: from, base: this.#tcb, offset: TCB.threadContext },
      { op: "load", dst: to, base: this.#tcb, offset: TCB.hostContext },
      { op: "li", dst: value, imm: 0n },
      { op: "load", dst: t0, base: this.#tcb, offset: TCB.switchRoutine },
    );
    if (this.#abi.returnAddress.kind === "register") {
      ops.push({ op: "la", dst: this.#abi.returnAddress.reg, label: back });
    }
    ops.push({ op: "jr", reg: t0 }, { op: "label", name: back });
    for (let i = 0; i < PROGRAM_REGISTERS; i++) {
      ops.push({ op: "load", dst: this.#r[i]!, base: this.#tcb, offset: TCB.registers + 8 * i });
    }
    ops.push({ op: "load", dst: t0, base: this.#tcb, offset: TCB.resumePc }, { op: "jr", reg: t0 });
  }
}

/** The operations of a lowering that never vary (see `Lowering.#same`). */
function sameOperations(abi: Abi, tcb: Reg, [t0, t1, t2]: readonly [Reg, Reg, Reg], psp: Reg) {
  const same = {
    alignedStackPointer: {
      op: "alui",
      kind: "and",
      dst: t1,
      a: psp,
      imm: -BigInt(abi.stackAlignment),
    },
    followStackPointer: { op: "mov", dst: abi.stackPointer, src: t1 },
    loadFuel: { op: "load", dst: t0, base: tcb, offset: TCB.fuel },
    spendFuel: { op: "alui", kind: "sub", dst: t0, a: t0, imm: 1n },
    storeFuel: { op: "store", src: t0, base: tcb, offset: TCB.fuel },
    stackDown: { op: "alui", kind: "sub", dst: psp, a: psp, imm: 8n },
    stackUp: { op: "alui", kind: "add", dst: psp, a: psp, imm: 8n },
    stackPointerToT0: { op: "mov", dst: t0, src: psp },
    stackPointerToT2: { op: "mov", dst: t2, src: psp },
    nextWord: { op: "alui", kind: "sub", dst: t0, a: t0, imm: 8n },
    loadStackLimit: { op: "load", dst: t1, base: tcb, offset: TCB.stackLimit },
    loadStackHigh: { op: "load", dst: t1, base: tcb, offset: TCB.stackHigh },
    depthBytes: { op: "alu", kind: "sub", dst: t1, a: t1, b: t2 },
    depthWords: { op: "alui", kind: "shr", dst: t1, a: t1, imm: 3n },
    indexBytes: { op: "alui", kind: "shl", dst: t0, a: t0, imm: 3n },
    indexAddress: { op: "alu", kind: "add", dst: t0, a: t0, b: t2 },
  } as const satisfies Record<string, LirOp>;
  // Frozen: each is placed many times, and selection may share what it makes of it.
  for (const op of Object.values(same)) Object.freeze(op);
  return same;
}
