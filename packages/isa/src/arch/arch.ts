/**
 * The contract each instruction set fulfils: typed instructions, selection
 * from {@link LirOp}, an encoder, a GNU assembler formatter and an
 * interpreter.
 *
 * Why this split: routines are generated once, as LIR, from ABI data; an
 * instruction set only has to say how each portable operation maps to its own
 * instructions and how those are encoded, printed and executed. The same
 * instruction values then feed three consumers that must agree: the encoder
 * (bytes for the native backend), the formatter (text that GNU `as` turns into
 * the same bytes, which is how the golden tests check the encoder) and the
 * interpreter (the emulated backend).
 *
 * @module
 */

import type { LirOp, Reg } from "../lir/lir.js";
import type { Memory } from "../memory/memory.js";

/**
 * Names of the supported instruction sets.
 *
 * @example
 * ```ts
 * import type { ArchName } from "@greenthreads/isa";
 * const a: ArchName = "aarch64";
 * ```
 */
export type ArchName = "x86_64" | "aarch64" | "riscv64";

/**
 * A label in an instruction list: marks the address of the next instruction.
 *
 * @example
 * ```ts
 * import type { LabelItem } from "@greenthreads/isa";
 * const l: LabelItem = { op: "label", name: "loop" };
 * ```
 */
export interface LabelItem {
  readonly op: "label";
  readonly name: string;
  /** Exported as a global symbol in assembler text. */
  readonly global?: boolean;
}

/**
 * The minimum shape of an instruction value: a discriminating `op`. Each
 * instruction set defines its own union of instruction types.
 *
 * @example
 * ```ts
 * import type { Instruction } from "@greenthreads/isa";
 * const i: Instruction = { op: "nop" };
 * ```
 */
export interface Instruction {
  readonly op: string;
}

/**
 * One instruction placed at an address by {@link assemble}.
 *
 * @example
 * ```ts
 * import type { PlacedInstruction } from "@greenthreads/isa";
 * const p: PlacedInstruction = { address: 0x1000n, size: 1, instruction: { op: "nop" } };
 * ```
 */
export interface PlacedInstruction<I extends Instruction = Instruction> {
  readonly address: bigint;
  readonly size: number;
  readonly instruction: I;
}

/**
 * Code assembled at a base address: its bytes, every instruction with its
 * address, and the address of every label.
 *
 * @example
 * ```ts
 * import { assemble, x86_64 } from "@greenthreads/isa";
 * const code = assemble(x86_64, [{ op: "label", name: "f" }, { op: "nop" }], 0x1000n);
 * console.log(code.labels.get("f")); // 4096n
 * ```
 */
export interface AssembledCode<I extends Instruction = Instruction> {
  readonly arch: ArchName;
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly instructions: readonly PlacedInstruction<I>[];
  readonly labels: ReadonlyMap<string, bigint>;
}

/**
 * Why an interpreter stopped.
 *
 * - `stopped`: the program counter reached one of the `stopAt` addresses.
 * - `fault`: a memory access faulted (guard page, unmapped, permission).
 * - `illegal`: no instruction at the program counter, or a trap instruction.
 * - `step-limit`: `maxSteps` instructions ran.
 *
 * @example
 * ```ts
 * import type { StopReason } from "@greenthreads/isa";
 * function describe(r: StopReason): string {
 *   return r.kind === "fault" ? `fault at 0x${r.address.toString(16)}` : r.kind;
 * }
 * ```
 */
export type StopReason =
  | { readonly kind: "stopped"; readonly pc: bigint }
  | {
      readonly kind: "fault";
      readonly pc: bigint;
      readonly address: bigint;
      readonly access: "read" | "write" | "execute";
    }
  | { readonly kind: "illegal"; readonly pc: bigint; readonly reason: string }
  | { readonly kind: "step-limit"; readonly pc: bigint };

/**
 * An interpreter for one instruction set: registers, a program counter, and a
 * {@link Memory}. Register values are unsigned `bigint`s of the register's
 * width (64 bits for integer registers; 128 for x86-64's xmm and AArch64's q
 * registers, 64 for AArch64's d and RISC-V's f registers). Control registers
 * are registers too: `mxcsr` (32 bits), `x87cw` (16), `fpcr` (its 32
 * defined bits), `fcsr` (8 defined bits, with `frm` and `fflags`), and so are
 * x86-64's `gs_base` and `rflags`, AArch64's `nzcv`, and `pc` where named.
 *
 * @example
 * ```ts
 * import { memory, x86_64 } from "@greenthreads/isa";
 * const cpu = x86_64.createCpu(new memory.Memory());
 * cpu.set("rax", 7n);
 * console.log(cpu.get("rax")); // 7n
 * ```
 */
export interface Cpu {
  readonly arch: ArchName;
  readonly memory: Memory;
  /** Address of the next instruction. */
  pc: bigint;
  /** Instructions executed since creation. */
  readonly steps: number;
  /** Reads a register; throws an IsaError `UNKNOWN_REGISTER` for a name the instruction set lacks. */
  get(reg: Reg): bigint;
  /** Writes a register (the value is truncated to the register's width). */
  set(reg: Reg, value: bigint): void;
  /**
   * Makes assembled code's instructions fetchable at their addresses. The
   * caller maps the code's pages executable (and writes its bytes) in memory;
   * fetching checks the execute permission of the page.
   */
  load(code: AssembledCode): void;
  /** Runs until the program counter reaches one of `stopAt`, a fault, an illegal instruction, or `maxSteps`. */
  run(options: { stopAt: readonly bigint[]; maxSteps?: number }): StopReason;
}

/**
 * One instruction set: its registers, its instruction selection from LIR, its
 * encoder, formatter and interpreter.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * const items = riscv64.select([{ op: "li", dst: "a0", imm: 1n }]);
 * console.log(riscv64.format(items));
 * ```
 */
export interface Arch<I extends Instruction = Instruction> {
  readonly name: ArchName;
  /** Integer registers, in encoding order. */
  readonly integerRegisters: readonly Reg[];
  /** Float/vector registers, in encoding order. */
  readonly floatRegisters: readonly Reg[];
  /** The stack pointer's name. */
  readonly stackPointer: Reg;
  /**
   * Registers that {@link Arch.select} may clobber to build operations the
   * instruction set lacks (large immediates, memory-to-memory moves), and
   * that the long forms of branch relaxation may clobber ({@link Relaxation}).
   * No generator may keep a value in them across an LIR operation.
   */
  readonly reserved: readonly Reg[];
  /** Instruction selection: LIR in, instructions and labels out. */
  select(ops: readonly LirOp[]): (I | LabelItem)[];
  /** Size in bytes of an instruction's encoding (independent of label addresses). */
  sizeOf(instruction: I): number;
  /**
   * Encodes one instruction placed at `address`; `label` resolves label names
   * to addresses. Throws IsaError `OPERAND_OUT_OF_RANGE` or
   * `UNSUPPORTED_INSTRUCTION` with the instruction in the message.
   */
  encode(instruction: I, address: bigint, label: (name: string) => bigint): Uint8Array;
  /**
   * Branch relaxation, where some encodings reach a label only so far (see
   * {@link Relaxation}); absent where every encoding reaches every label
   * that code of any size may name.
   */
  readonly relaxation?: Relaxation<I>;
  /** GNU assembler text for a list of instructions and labels (no section directives). */
  format(items: readonly (I | LabelItem)[]): string;
  /** The directives that make `format`'s output assemble with GNU `as` (syntax, options). */
  readonly asmPrologue: string;
  /** The instruction set's interpreter class: `new arch.Cpu(memory)`, every register zero. */
  readonly Cpu: new (
    memory: Memory,
  ) => Cpu;
  /** A new interpreter over `memory`, every register zero. */
  createCpu(memory: Memory): Cpu;
}

/**
 * How an instruction set lengthens an instruction whose label lies beyond
 * the reach of its encoding: {@link assemble} places every instruction in
 * the form it was given, asks `reaches` of each one that names a label, and
 * puts `lengthen`'s form in place of each one that does not reach, until
 * every one does (a longer form moves the code after it, which may put
 * other labels out of reach in turn; forms only grow, so this ends).
 *
 * A longer form is an instruction value of its own, with a size of its own
 * that never depends on label addresses, and the same meaning: a
 * conditional branch taken to the same label, the same address formed in
 * the same register. Only the instruction set's reserved registers
 * ({@link Arch.reserved}) may differ afterwards. So an interpreter executes
 * it as the instruction it lengthens, and only its size (where the next
 * instruction starts) tells them apart.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * const far = { op: "bcond", cond: "eq", target: "f" } as const;
 * const at = () => 0x20_0000n; // 2 MiB away: beyond b.cond's ±1 MiB
 * console.log(aarch64.relaxation.reaches(far, 0n, at)); // false
 * console.log(aarch64.relaxation.lengthen(far)); // { op: "bcond", cond: "eq", target: "f", far: true }
 * ```
 */
export interface Relaxation<I extends Instruction = Instruction> {
  /**
   * Whether `instruction` placed at `address` reaches every label it names
   * (`label` resolves them). True for an instruction that names none, or
   * whose targets are byte offsets.
   */
  reaches(instruction: I, address: bigint, label: (name: string) => bigint): boolean;
  /** The next longer form of `instruction`, or `undefined` when it has none. */
  lengthen(instruction: I): I | undefined;
}
