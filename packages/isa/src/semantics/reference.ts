/**
 * The reference machine: thread-program semantics, executed directly.
 *
 * Why it exists: every lowering of a thread program (x86-64, AArch64, RV64G,
 * under every ABI, natively or interpreted) must produce the same traps with
 * the same values. This machine is the oracle they are compared with, so it
 * is written for exactness, not speed: it follows the semantics in
 * `program.ts` step by step, with values as unsigned 64-bit bigints.
 *
 * The stack model, as the program sees it (capacity `stackWords` words,
 * `depth` of them in use). It grows down: a push claims the next free word
 * to the right in this drawing and makes it index 0.
 *
 * ```text
 *   high addresses                                          low addresses
 *   +-----------+-----+---------+---------+- - - - - - - - - - - - - -+
 *   | depth - 1 | ... |    1    |    0    |  free: capacity - depth   |
 *   | (oldest)  |     |         |  (top)  |                           |
 *   +-----------+-----+---------+---------+- - - - - - - - - - - - - -+
 *                                ^ stack pointer
 *   load/store stack[rI + k] name the word at index rI + k, computed
 *   modulo 2^64 and read as signed, as a 64-bit machine adds them.
 * ```
 *
 * Details the semantics leave to the machine, fixed here for every backend:
 * - Trap values (`yield`, `exit`, host-call arguments) are unsigned 64-bit.
 * - A faulting instruction has no effect; `details.index` is the signed word
 *   index of a bad `load`/`store`, or the popped value of a bad `ret`, and is
 *   absent for a `pop`/`ret` on an empty stack and for `stack-overflow`.
 * - A `ret` may continue at `c + 1` for any `call` at index `c` (the verifier
 *   guarantees that `c + 1` is an instruction).
 * - After `exit` or a fault, every further resume returns the same trap.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Operand, Program } from "../language/program.js";
import { type VerifyOptions, verifyProgram } from "../language/verify.js";
import type { AluKind, Cond } from "../lir/lir.js";
import type { FaultKind, Trap } from "../protocol/trap.js";
import { toBudget } from "./budget.js";

/**
 * Options of {@link ReferenceMachine}.
 *
 * @example
 * ```ts
 * import type { ReferenceOptions } from "@greenthreads/isa";
 * const options: ReferenceOptions = { stackWords: 64, budget: 1000n, hostcalls: ["print"] };
 * ```
 */
export interface ReferenceOptions extends VerifyOptions {
  /** The stack's capacity in 64-bit words (a non-negative integer). */
  readonly stackWords: number;
  /**
   * The instruction budget per resume after a `budget` trap: fuel starts at
   * `budget`, and resuming after a `budget` trap refills it. No budget: no limit.
   * The one rule of `toBudget`: 1 to 2^64 - 1, a bigint or an integer number.
   */
  readonly budget?: bigint | number;
}

/**
 * Where a {@link ReferenceMachine} stands: `ready` before the first resume
 * and after a yield, host call or budget trap; `exited` or `faulted` for good.
 *
 * @example
 * ```ts
 * import type { ReferenceState } from "@greenthreads/isa";
 * const s: ReferenceState = "exited";
 * ```
 */
export type ReferenceState = "ready" | "exited" | "faulted";

const MASK = (1n << 64n) - 1n;

type Value = { readonly reg: number; readonly imm: bigint };

type Step =
  | { readonly op: "mov"; readonly dst: number; readonly src: Value }
  | { readonly op: AluKind; readonly dst: number; readonly a: number; readonly b: Value }
  | {
      readonly op: "br";
      readonly cond: Cond;
      readonly a: number;
      readonly b: Value;
      readonly target: number;
    }
  | { readonly op: "jmp" | "call"; readonly target: number }
  | { readonly op: "ret" }
  | { readonly op: "push"; readonly src: Value }
  | { readonly op: "pop"; readonly dst: number }
  | { readonly op: "load"; readonly dst: number; readonly index: number; readonly offset: bigint }
  | { readonly op: "store"; readonly src: Value; readonly index: number; readonly offset: bigint }
  | {
      readonly op: "hostcall";
      readonly name: string;
      readonly args: readonly number[];
      readonly dst: number;
    }
  | { readonly op: "yield"; readonly value: Value; readonly dst: number }
  | { readonly op: "exit"; readonly code: Value };

/** Registers resolve to their number; immediates to `reg: -1` and the value modulo 2^64. */
function value(o: Operand): Value {
  return "reg" in o ? { reg: o.reg, imm: 0n } : { reg: -1, imm: BigInt.asUintN(64, o.imm) };
}

function compile(program: Program): { steps: Step[]; lines: number[] } {
  const steps: Step[] = [];
  const lines: number[] = [];
  const labels = new Map(Map.prototype.entries.call(program.labels) as Iterable<[string, number]>);
  const label = (name: string): number => labels.get(name)!;
  for (const ins of program.instructions) {
    lines.push(ins.at.line);
    switch (ins.op) {
      case "mov":
        steps.push({ op: "mov", dst: ins.dst, src: value(ins.src) });
        break;
      case "br":
        steps.push({
          op: "br",
          cond: ins.cond,
          a: ins.a,
          b: value(ins.b),
          target: label(ins.target),
        });
        break;
      case "jmp":
      case "call":
        steps.push({ op: ins.op, target: label(ins.target) });
        break;
      case "ret":
        steps.push({ op: "ret" });
        break;
      case "push":
        steps.push({ op: "push", src: value(ins.src) });
        break;
      case "pop":
        steps.push({ op: "pop", dst: ins.dst });
        break;
      case "load":
        steps.push({
          op: "load",
          dst: ins.dst,
          index: ins.index ?? -1,
          offset: BigInt(ins.offset),
        });
        break;
      case "store":
        steps.push({
          op: "store",
          src: value(ins.src),
          index: ins.index ?? -1,
          offset: BigInt(ins.offset),
        });
        break;
      case "hostcall":
        steps.push({ op: "hostcall", name: ins.name, args: [...ins.args], dst: ins.dst ?? -1 });
        break;
      case "yield":
        steps.push({ op: "yield", value: value(ins.value), dst: ins.dst ?? -1 });
        break;
      case "exit":
        steps.push({ op: "exit", code: value(ins.code) });
        break;
      default:
        steps.push({ op: ins.op, dst: ins.dst, a: ins.a, b: value(ins.b) });
    }
  }
  return { steps, lines };
}

function compare(cond: Cond, a: bigint, b: bigint): boolean {
  switch (cond) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "ltu":
      return a < b;
    case "leu":
      return a <= b;
    case "gtu":
      return a > b;
    case "geu":
      return a >= b;
  }
  const x = BigInt.asIntN(64, a);
  const y = BigInt.asIntN(64, b);
  switch (cond) {
    case "lt":
      return x < y;
    case "le":
      return x <= y;
    case "gt":
      return x > y;
    default:
      return x >= y;
  }
}

function alu(op: AluKind, a: bigint, b: bigint): bigint {
  switch (op) {
    case "add":
      return (a + b) & MASK;
    case "sub":
      return (a - b) & MASK;
    case "mul":
      return (a * b) & MASK;
    case "and":
      return a & b;
    case "or":
      return a | b;
    case "xor":
      return a ^ b;
    case "shl":
      return (a << (b & 63n)) & MASK;
    case "shr":
      return a >> (b & 63n);
    case "sar":
      return (BigInt.asIntN(64, a) >> (b & 63n)) & MASK;
  }
}

/**
 * A thread program running on the reference semantics: a resumable machine
 * that stops at each trap. It is the oracle for every lowering of thread
 * programs; see the module comment for the details it fixes.
 *
 * @example
 * ```ts
 * import { parseProgram, ReferenceMachine } from "@greenthreads/isa";
 * const p = parseProgram(`
 *   hostcall ask() -> r0
 *   add r0, r0, 1
 *   yield r0
 *   exit 0
 * `);
 * const m = new ReferenceMachine(p, { stackWords: 16, budget: 100n });
 * m.resume();     // { kind: "hostcall", name: "ask", args: [] }
 * m.resume(41n);  // { kind: "yield", value: 42n }
 * m.resume();     // { kind: "exit", code: 0n }
 * ```
 */
export class ReferenceMachine {
  private readonly steps: Step[];
  private readonly lines: number[];
  private readonly returns: ReadonlySet<bigint>;
  private readonly capacity: number;
  private readonly budget: bigint | undefined;
  private readonly regs: bigint[] = new Array<bigint>(8).fill(0n);
  /** Stack words, oldest first: index `i` from the top is `words[words.length - 1 - i]`. */
  private readonly words: bigint[] = [];
  private pc = 0;
  private remaining: bigint | undefined;
  private pendingDst = -1;
  private refill = false;
  private final: Trap | null = null;
  private count = 0;

  /**
   * Verifies `program` (with `options.hostcalls` when given) and prepares it
   * to run: registers and stack empty, fuel at `budget`.
   *
   * @throws {@link IsaError} `VERIFY_ERROR` for an invalid program;
   *   `BAD_ARGUMENT` for bad options.
   */
  constructor(program: Program, options: ReferenceOptions) {
    if (typeof options !== "object" || options === null) {
      throw new IsaError("BAD_ARGUMENT", "ReferenceMachine needs options { stackWords, budget? }");
    }
    const { stackWords, budget } = options;
    if (typeof stackWords !== "number" || !Number.isSafeInteger(stackWords) || stackWords < 0) {
      throw new IsaError(
        "BAD_ARGUMENT",
        `stackWords must be a non-negative integer, got ${String(stackWords)}`,
      );
    }
    const fuel = budget === undefined ? undefined : toBudget(budget, "ReferenceMachine");
    verifyProgram(program, options.hostcalls === undefined ? undefined : options);
    try {
      const { steps, lines } = compile(program);
      this.steps = steps;
      this.lines = lines;
    } catch (e) {
      throw new IsaError("VERIFY_ERROR", "the program changed while it was being read", {
        line: 1,
        column: 1,
        cause: e,
      });
    }
    const returns = new Set<bigint>();
    this.steps.forEach((s, i) => {
      if (s.op === "call") returns.add(BigInt(i + 1));
    });
    this.returns = returns;
    this.capacity = stackWords;
    this.budget = fuel;
    this.remaining = fuel;
  }

  /** `ready` while the program can run on, else `exited` or `faulted`. */
  get state(): ReferenceState {
    if (this.final === null) return "ready";
    return this.final.kind === "exit" ? "exited" : "faulted";
  }

  /** The eight registers, as unsigned 64-bit values (a copy). */
  get registers(): readonly bigint[] {
    return [...this.regs];
  }

  /** The words on the stack, top first (index 0 is the most recent push; a copy). */
  get stack(): readonly bigint[] {
    return [...this.words].reverse();
  }

  /** Index of the instruction that runs next. */
  get instruction(): number {
    return this.pc;
  }

  /** Fuel left before the next `budget` trap, or `undefined` without a budget. */
  get fuel(): bigint | undefined {
    return this.remaining;
  }

  /** Instructions executed so far (faulting instructions not counted). */
  get executed(): number {
    return this.count;
  }

  /**
   * Runs until the next trap. `value` answers the previous `hostcall` or
   * `yield` when it named a result register (taken modulo 2^64; absent means
   * 0n) and is ignored otherwise. After a `budget` trap, fuel is refilled to
   * the budget first. After `exit` or a fault, returns that same trap again.
   *
   * @throws {@link IsaError} `BAD_ARGUMENT` when `value` is not a bigint; the
   *   machine is left unchanged.
   */
  resume(value?: bigint): Trap {
    if (value !== undefined && typeof value !== "bigint") {
      throw new IsaError("BAD_ARGUMENT", `resume value must be a bigint, got ${typeof value}`);
    }
    if (this.final !== null) return this.final;
    if (this.pendingDst >= 0) {
      this.regs[this.pendingDst] = BigInt.asUintN(64, value ?? 0n);
      this.pendingDst = -1;
    }
    if (this.refill) {
      this.remaining = this.budget;
      this.refill = false;
    }
    return this.run();
  }

  private fault(fault: FaultKind, index?: bigint): Trap {
    const details =
      index === undefined
        ? { instruction: this.pc, line: this.lines[this.pc] }
        : { instruction: this.pc, line: this.lines[this.pc], index };
    this.final = { kind: "fault", fault, details };
    return this.final;
  }

  private run(): Trap {
    const regs = this.regs;
    const words = this.words;
    const read = (v: Value): bigint => (v.reg < 0 ? v.imm : regs[v.reg]);
    /** Stack position of word index `base + offset`, or the bad index. */
    const slot = (index: number, offset: bigint): number | bigint => {
      const i = BigInt.asIntN(64, (index < 0 ? 0n : regs[index]) + offset);
      return i >= 0n && i < BigInt(words.length) ? words.length - 1 - Number(i) : i;
    };
    for (;;) {
      if (this.remaining !== undefined) {
        if (this.remaining === 0n) {
          this.refill = true;
          return { kind: "budget" };
        }
        this.remaining--;
      }
      const s = this.steps[this.pc];
      switch (s.op) {
        case "mov":
          regs[s.dst] = read(s.src);
          break;
        case "br":
          if (compare(s.cond, regs[s.a], read(s.b))) {
            this.pc = s.target;
            this.count++;
            continue;
          }
          break;
        case "jmp":
          this.pc = s.target;
          this.count++;
          continue;
        case "call":
          if (words.length >= this.capacity) return this.fault("stack-overflow");
          words.push(BigInt(this.pc + 1));
          this.pc = s.target;
          this.count++;
          continue;
        case "ret": {
          if (words.length === 0) return this.fault("out-of-bounds");
          const v = words[words.length - 1];
          if (!this.returns.has(v)) return this.fault("out-of-bounds", v);
          words.pop();
          this.pc = Number(v);
          this.count++;
          continue;
        }
        case "push":
          if (words.length >= this.capacity) return this.fault("stack-overflow");
          words.push(read(s.src));
          break;
        case "pop":
          if (words.length === 0) return this.fault("out-of-bounds");
          regs[s.dst] = words.pop()!;
          break;
        case "load": {
          const at = slot(s.index, s.offset);
          if (typeof at === "bigint") return this.fault("out-of-bounds", at);
          regs[s.dst] = words[at];
          break;
        }
        case "store": {
          const at = slot(s.index, s.offset);
          if (typeof at === "bigint") return this.fault("out-of-bounds", at);
          words[at] = read(s.src);
          break;
        }
        case "hostcall":
          this.pc++;
          this.count++;
          this.pendingDst = s.dst;
          return { kind: "hostcall", name: s.name, args: s.args.map((r) => regs[r]) };
        case "yield":
          this.pc++;
          this.count++;
          this.pendingDst = s.dst;
          return { kind: "yield", value: read(s.value) };
        case "exit":
          this.count++;
          this.final = { kind: "exit", code: read(s.code) };
          return this.final;
        default:
          regs[s.dst] = alu(s.op, regs[s.a], read(s.b));
      }
      this.pc++;
      this.count++;
    }
  }
}

/**
 * Options of {@link runReference}: those of {@link ReferenceMachine}, plus
 * how to answer traps and when to give up.
 *
 * @example
 * ```ts
 * import type { RunReferenceOptions } from "@greenthreads/isa";
 * const options: RunReferenceOptions = { stackWords: 64, answer: () => 0n, maxTraps: 100 };
 * ```
 */
export interface RunReferenceOptions extends ReferenceOptions {
  /** The value to resume with after each trap (default: no value). */
  readonly answer?: (trap: Trap) => bigint | undefined;
  /** Stop after this many traps even if the program has not ended (default 100000). */
  readonly maxTraps?: number;
}

/**
 * Runs a program on a fresh {@link ReferenceMachine} until it exits or faults
 * (or `maxTraps` traps have happened), resuming after every trap with
 * `answer(trap)`. Returns every trap in order; the last is the `exit` or
 * `fault` unless the run was cut short.
 *
 * @throws {@link IsaError} as the {@link ReferenceMachine} constructor does.
 *
 * @example
 * ```ts
 * import { parseProgram, runReference } from "@greenthreads/isa";
 * const p = parseProgram("yield 1\nyield 2\nexit 0");
 * console.log(runReference(p, { stackWords: 8 }).map((t) => t.kind)); // ["yield", "yield", "exit"]
 * ```
 */
export function runReference(program: Program, options: RunReferenceOptions): Trap[] {
  const machine = new ReferenceMachine(program, options);
  const maxTraps = options.maxTraps ?? 100_000;
  const traps: Trap[] = [];
  let value: bigint | undefined;
  while (traps.length < maxTraps) {
    const trap = machine.resume(value);
    traps.push(trap);
    if (trap.kind === "exit" || trap.kind === "fault") break;
    value = options.answer?.(trap);
  }
  return traps;
}
