/**
 * Lowering a thread program to a WebAssembly module.
 *
 * Why WebAssembly: where the native addon cannot load (a browser, Deno, a
 * platform without a prebuild), a machine thread still has to run fast. A
 * thread program keeps its whole state in eight registers, a word stack and
 * an instruction index, and `call` pushes instruction indices rather than
 * machine addresses, so it needs no stack switching from the engine: the
 * module exports one function, `resume(block)`, that runs the thread whose
 * block starts at `block` until its next trap and returns. (A long program
 * is several functions behind that one export: see "Functions" below.) The registers,
 * the word stack and the control block live in linear memory between
 * resumes (see `wasm-thread-layout.ts`); while the thread runs, the
 * registers are locals, which the engine keeps in machine registers.
 *
 * The rules are the machine lowering's (`lower.ts`), instruction for
 * instruction: every push, pop, call, return and stack access is checked
 * against the bounds in the control block, fuel is counted before every
 * instruction when the module is built with fuel, and every stop (host
 * call, yield, budget, exit, fault) is a trap record in the control block.
 * A faulting instruction changes nothing, and a fault or a budget trap
 * resumes at the same instruction, as on the reference machine.
 *
 * Dispatch. WebAssembly has no goto; its branches leave enclosing blocks.
 * Every program instruction `k` gets a block `$b<k>`, nested so that the
 * code of instruction `k` follows the `end` of `$b<k>`, inside a loop:
 *
 * ```
 *   (prologue: r0..r7, sp, limit, high, fuel, pc ← block)
 *   block $exit
 *     loop $dispatch
 *       block $b<N-1>  …  block $b1
 *         block $b0
 *           block $ret
 *             br_table pc: $b0 $b1 … $b<N-1>, default $ret
 *           end                  ;; pc = N: a ret's popped word in `index`
 *           (return check: a return site k jumps to $b<k>, else fault)
 *         end $b0
 *         code of instruction 0        falls through to 1
 *       end $b1
 *       code of instruction 1
 *       …
 *     end $dispatch
 *   end $exit
 *   (epilogue: trap record, r0..r7, sp, fuel → block; return the trap kind)
 * ```
 *
 * A jump forward to `t` is `br $b<t>`: leaving that block lands on the code
 * of `t`. A jump backward sets `pc = t` and branches to `$dispatch`, whose
 * `br_table` lands on `t`. `call` pushes the index of the next instruction
 * and jumps; `ret` reads the word on top of the stack into `index`, sets
 * `pc = N` and dispatches: the table's default leads to the return check,
 * which pops the word and enters instruction `k` if `k` follows a `call`,
 * and otherwise faults `out-of-bounds` with the word (and the word stays on
 * the stack), exactly as the reference machine does with a forged return.
 * A trap sets `kind`, `a`, `ins`, `pc` (where to resume) and branches to
 * `$exit`; the epilogue stores them, so a resume starts at the dispatch
 * with the `pc` it left.
 *
 * Loops. A backward jump through the dispatch costs a table jump per
 * iteration, which a counting loop notices (about a fifth of native speed).
 * So every backward `br`/`jmp` from `last` to `head` becomes a WebAssembly
 * `loop` (innermost first, regions never overlapping): the blocks of the
 * instructions after `head` open inside the loop instead of in the outer
 * nest, and the back edge is one `br_if`:
 *
 * ```
 *       end $b<head>                ;; the dispatch enters the region here
 *       loop $loop<head>
 *         block $b<last> … block $b<head+1>
 *           (entry check)           ;; entry = k + 1 names an instruction inside
 *           code of head
 *         end $b<head+1>
 *         code of head+1 …
 *         code of last              ;; br_if $loop<head>
 *       end $loop<head>
 *     end $b<last+1>
 * ```
 *
 * Where the dispatch must reach an instruction inside (a trap resumes
 * there, which with fuel is every instruction; a call returns there; a jump
 * from outside lands there), its table entry leads to the region's head
 * with the `entry` local set to the index + 1, and a check at the head
 * (one subtraction and compare per iteration) clears it and branches to
 * that instruction's block. A jump from outside into a region goes through
 * the dispatch the same way. An instruction inside a region nothing can
 * enter has the table entry `unreachable`.
 *
 * Functions. Engines bound a function: V8 refuses a body over 7,654,321
 * bytes, which one function with fuel (45–110 bytes per instruction:
 * `push` 83) passed between 70,000 and 165,000 instructions, and a
 * `br_table` over 65,520 entries. So a
 * program of more than `chunkSize` instructions (default 16,384) is cut
 * into chunks of that many, each lowered as above into a function of its
 * own over its own instructions, and the exported `resume` becomes a
 * driver that calls them:
 *
 * ```
 *   resume(block) ─ driver ───────────────────────────────────────────┐
 *   │ loop                                                            │
 *   │   k = pc < N ? pc : the word a ret hands over   (from the block)  │
 *   │   call $chunk<k / chunkSize>(block) ──► kind                      │
 *   │   kind = 0 (transfer): again    otherwise: return kind (a trap)   │
 *   └─────────────────────────────────────────────────────────────────┘
 *   $chunk0(block)   i0 … i<S-1>          prologue · dispatch · code · epilogue
 *   $chunk1(block)   i<S> … i<2S-1>       the same shape, tables indexed pc - base
 *   …
 * ```
 *
 * Control that stays in a chunk is as above. Control that leaves it (a
 * jump, branch or call to another chunk's instruction, falling through
 * the chunk's last instruction, a trap resuming elsewhere) is a transfer:
 * `pc` is set to the target, the epilogue stores the thread's state, and
 * the function returns 0, which no trap kind is; the driver calls the
 * chunk that holds `pc`, whose prologue loads the state. A `ret` whose word
 * is another chunk's instruction transfers with `pc = N` and the word in
 * `index` (stored in the block's trap index); the driver calls the word's
 * chunk, whose return check pops it or faults, so a return site is known
 * only to the chunk that holds it. A word that is no instruction faults
 * where the `ret` is. Loop regions never cross a chunk. Fuel is a local
 * stored and loaded with the rest, and a transfer spends none, so budget
 * traps fall where they fall in one function.
 *
 * Why a driver and not a call from chunk to chunk: without tail calls a
 * chain of calls grows the engine's stack with every crossing (a loop over
 * two chunks would overflow it), and `return_call` arrived in engines only
 * recently (Safari 18.2) while the rest of this module is WebAssembly 1.0
 * plus nothing (no multi-value, no tail calls, no bulk memory). A transfer
 * costs a store and a load of the dozen words of state and one call, paid
 * only where control crosses a chunk; a program of one chunk is exactly the
 * one function above, with no driver.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import { formatInstruction } from "../language/format-program.js";
import type { Operand, Program, ProgramInstruction } from "../language/program.js";
import { PROGRAM_REGISTERS } from "../language/program.js";
import type { AluKind, Cond } from "../lir/lir.js";
import { FAULT_CODE, TCB, TRAP_KIND } from "../protocol/thread-control-block.js";
import type {
  WasmFunction,
  WasmInstruction,
  WasmModule,
  WasmPlainOp,
  WasmValueType,
} from "./wasm-encoding.js";
import { WASM_INTERFACE, WASM_THREAD_BLOCK } from "./wasm-thread-layout.js";

/**
 * Options of {@link lowerProgramToWasm}.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmLowerOptions = wasm.WasmLowerOptions;
 * const o: WasmLowerOptions = { fuel: true };
 * ```
 */
export interface WasmLowerOptions {
  /** Count an instruction budget and trap when it runs out. Default false. */
  readonly fuel?: boolean;
  /**
   * The most program instructions one function of the module holds (see
   * {@link WASM_MAX_BR_TABLE}); a longer program is split into functions of
   * this many instructions and a driver (see the module comment). Default
   * 16,384; from 1 to {@link WASM_MAX_BR_TABLE}. Smaller values exist to
   * test the split on small programs.
   */
  readonly chunkSize?: number;
}

/**
 * The most program instructions one function of a lowered module may hold:
 * a function's dispatch is one `br_table` over its instructions, and V8
 * refuses a `br_table` of more than 65,520 entries. (The default chunk is
 * smaller, 16,384, so that a function stays far below V8's 7,654,321-byte
 * cap on a function body whatever its instructions are.)
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { WASM_MAX_BR_TABLE } = wasm;
 * console.log(WASM_MAX_BR_TABLE); // 60000
 * ```
 */
export const WASM_MAX_BR_TABLE = 60_000;

/**
 * Instructions per function by default: 2^14, so that a branch depth is at
 * most a two-byte LEB128 and the largest lowering of one instruction (a
 * fueled `store` with a 64-bit immediate, about 106 bytes) times this stays
 * under 2 MB, a quarter of V8's cap. A program at the isa's limit is 16
 * functions and the driver.
 */
const DEFAULT_CHUNK = 16_384;

/**
 * What a function returns to the driver instead of a trap kind when the
 * program continues in another function (no trap kind is 0); `resume pc`
 * then says where.
 */
const TRANSFER = 0;

// Locals of `resume`: the block address, then registers and the state of the run.
const BLOCK = 0;
const R0 = 1;
const FUEL = R0 + PROGRAM_REGISTERS;
const A = FUEL + 1;
const INDEX = A + 1;
const SP = INDEX + 1;
const LIMIT = SP + 1;
const HIGH = LIMIT + 1;
const PC = HIGH + 1;
const KIND = PC + 1;
const INS = KIND + 1;
const ENTRY = INS + 1;
const LOCALS: readonly WasmValueType[] = [
  ...new Array<WasmValueType>(PROGRAM_REGISTERS + 3).fill("i64"),
  ...new Array<WasmValueType>(7).fill("i32"),
];
const LOCAL_NAMES: readonly string[] = [
  "block",
  ...Array.from({ length: PROGRAM_REGISTERS }, (_, i) => `r${i}`),
  "fuel",
  "a",
  "index",
  "sp",
  "limit",
  "high",
  "pc",
  "kind",
  "ins",
  "entry",
];

const ALU: Readonly<Record<AluKind, WasmPlainOp>> = {
  add: "i64.add",
  sub: "i64.sub",
  mul: "i64.mul",
  and: "i64.and",
  or: "i64.or",
  xor: "i64.xor",
  shl: "i64.shl",
  shr: "i64.shr_u",
  sar: "i64.shr_s",
};

const COMPARE: Readonly<Record<Cond, WasmPlainOp>> = {
  eq: "i64.eq",
  ne: "i64.ne",
  lt: "i64.lt_s",
  le: "i64.le_s",
  gt: "i64.gt_s",
  ge: "i64.ge_s",
  ltu: "i64.lt_u",
  leu: "i64.le_u",
  gtu: "i64.gt_u",
  geu: "i64.ge_u",
};

/** Instructions without immediates are shared: a large program has hundreds of thousands. */
const OPEN = { block: ["block"], loop: ["loop"], if: ["if"] } as const satisfies Record<
  string,
  WasmInstruction
>;
const END: WasmInstruction = ["end"];

/** Natural alignment (log2) of 64- and 32-bit accesses. */
const WORD = 3;
const HALF = 2;

/**
 * Lowers a verified program (run `verifyProgram` first) to a module that
 * imports {@link WASM_INTERFACE}'s memory and exports `resume(block: i32) ->
 * i32`. Encode it with `encodeWasmModule`, read it with `formatWat`.
 *
 * @example
 * ```ts
 * import { parseProgram, wasm } from "@greenthreads/isa";
 * const { encodeWasmModule, formatWat, lowerProgramToWasm } = wasm;
 * const module = lowerProgramToWasm(parseProgram("yield 1\nexit 0"), { fuel: true });
 * console.log(formatWat(module));
 * const bytes = encodeWasmModule(module); // WebAssembly.validate(bytes) === true
 * ```
 */
export function lowerProgramToWasm(program: Program, options: WasmLowerOptions = {}): WasmModule {
  const fuel = options.fuel ?? false;
  const size = chunkSize(options);
  const n = program.instructions.length;
  const regions = loopRegions(program, fuel, size);
  const memory = { module: WASM_INTERFACE.module, name: WASM_INTERFACE.memory, minimumPages: 1 };
  const common = {
    params: ["i32"],
    results: ["i32"],
    locals: LOCALS,
    localNames: LOCAL_NAMES,
  } as const satisfies Partial<WasmFunction>;
  if (n <= size) {
    const body = new WasmLowering(program, fuel, regions, 0, n).run();
    return {
      memory,
      functions: [{ name: "resume", export: WASM_INTERFACE.resume, ...common, body }],
    };
  }
  const chunks = Math.ceil(n / size);
  const functions: WasmFunction[] = [driver(n, size, chunks)];
  for (let j = 0; j < chunks; j++) {
    const base = j * size;
    const end = Math.min(n, base + size);
    // Lowered when the encoder (or formatWat) reads it, and not kept: only one
    // function's instruction list is alive at a time while a large program loads.
    functions.push({
      name: `chunk${j}`,
      ...common,
      get body() {
        return new WasmLowering(program, fuel, regions, base, end).run();
      },
    });
  }
  return { memory, functions };
}

/**
 * The exported `resume(block)` of a module of several functions: calls the
 * function that holds the instruction to run (the resume pc, or for a
 * return in flight, pc = N, the word it returns to), and again while a
 * function hands over with {@link TRANSFER}; any other result is the trap.
 *
 * ```
 *   loop $next
 *     block $none  block $c<K-1> … block $c0
 *       (pc < N ? pc : word) / size; br_table $c0 … $c<K-1>, default $none
 *     end $c0   call $chunk0; tee kind; eqz; br_if $next; return kind
 *     …
 *     end $c<K-1>  call $chunk<K-1>; …
 *   end $none …  unreachable
 * ```
 */
function driver(n: number, size: number, chunks: number): WasmFunction {
  const KIND_HERE = 1;
  const body: WasmInstruction[] = [
    ["comment", "call the function that holds the next instruction until one traps"],
    OPEN.loop,
    OPEN.block,
  ];
  for (let j = 0; j < chunks; j++) body.push(OPEN.block);
  body.push(
    ["local.get", BLOCK],
    ["i32.load", HALF, TCB.resumePc],
    ["local.get", BLOCK],
    ["i64.load", WORD, TCB.trapIndex],
    ["i32.wrap_i64"],
    ["local.get", BLOCK],
    ["i32.load", HALF, TCB.resumePc],
    ["i32.const", n],
    ["i32.lt_u"],
    ["select"],
    ["i32.const", size],
    ["i32.div_u"],
    ["br_table", Array.from({ length: chunks }, (_, j) => j), chunks],
  );
  for (let j = 0; j < chunks; j++) {
    body.push(
      END,
      ["comment", `i${j * size}..i${Math.min(n, (j + 1) * size) - 1}`],
      ["local.get", BLOCK],
      ["call", j + 1],
      ["local.tee", KIND_HERE],
      ["i32.eqz"],
      // Inside the blocks of the later chunks and $none, then the loop.
      ["br_if", chunks - j],
      ["local.get", KIND_HERE],
      ["return"],
    );
  }
  body.push(END, END, ["unreachable"]);
  return {
    name: "resume",
    export: WASM_INTERFACE.resume,
    params: ["i32"],
    results: ["i32"],
    locals: ["i32"],
    localNames: ["block", "kind"],
    body,
  };
}

function chunkSize(options: WasmLowerOptions): number {
  const m = options.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(m) || m < 1 || m > WASM_MAX_BR_TABLE) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `lowerProgramToWasm: chunkSize must be a whole number from 1 to ${WASM_MAX_BR_TABLE} (instructions per function), got ${String(m)}`,
    );
  }
  return m;
}

/**
 * A loop region: instructions `head..last`, a WebAssembly `loop` whose back
 * edge is a direct branch. `entered`: the dispatch must be able to enter
 * some instruction after `head` (a trap resumes there, a call returns there,
 * or a jump from elsewhere lands there); it does so through the loop's head,
 * which checks the `entry` local.
 */
interface LoopRegion {
  readonly head: number;
  readonly last: number;
  readonly entered: boolean;
}

/**
 * Instructions the dispatch must reach: the start, where traps resume
 * (after a host call or yield; every instruction when fuel is counted,
 * since a budget trap resumes at the instruction it stopped), return sites,
 * and targets of backward jumps.
 */
function dispatchTargets(program: Program, fuel: boolean): Set<number> {
  const targets = new Set<number>([0]);
  program.instructions.forEach((ins, i) => {
    if (fuel) targets.add(i);
    if (ins.op === "hostcall" || ins.op === "yield" || ins.op === "call") targets.add(i + 1);
    if (ins.op === "br" || ins.op === "jmp" || ins.op === "call") {
      const t = program.labels.get(ins.target)!;
      if (t <= i) targets.add(t);
    }
  });
  return targets;
}

/**
 * Every backward `br`/`jmp` from `last` to `head` is a loop region,
 * innermost first, as long as it overlaps no region already chosen and lies
 * within one function (chunks of `chunk` instructions). Returns each
 * instruction's region.
 */
function loopRegions(program: Program, fuel: boolean, chunk: number): (LoopRegion | undefined)[] {
  const jumps: [from: number, to: number][] = [];
  program.instructions.forEach((ins, i) => {
    if (ins.op === "br" || ins.op === "jmp" || ins.op === "call") {
      jumps.push([i, program.labels.get(ins.target)!]);
    }
  });
  const candidates = jumps
    .filter(
      ([from, to]) =>
        to <= from &&
        program.instructions[from]!.op !== "call" &&
        Math.floor(to / chunk) === Math.floor(from / chunk),
    )
    .map(([from, to]) => ({ head: to, last: from }))
    .sort((a, b) => a.last - a.head - (b.last - b.head) || a.head - b.head);
  const targets = dispatchTargets(program, fuel);
  const chosen: LoopRegion[] = [];
  for (const r of candidates) {
    if (chosen.some((c) => c.head <= r.last && r.head <= c.last)) continue;
    let entered = false;
    for (let k = r.head + 1; k <= r.last; k++) if (targets.has(k)) entered = true;
    for (const [from, to] of jumps) {
      if ((from < r.head || from > r.last) && to > r.head && to <= r.last) entered = true;
    }
    chosen.push({ ...r, entered });
  }
  const regionOf = new Array<LoopRegion | undefined>(program.instructions.length).fill(undefined);
  for (const r of chosen) for (let k = r.head; k <= r.last; k++) regionOf[k] = r;
  return regionOf;
}

/**
 * The body of one function: instructions `base..end - 1` of the program
 * (all of it when the module is one function).
 */
class WasmLowering {
  readonly #program: Program;
  readonly #fuel: boolean;
  /** Instructions in the whole program: a `ret` dispatches `pc = n`. */
  readonly #n: number;
  readonly #base: number;
  readonly #end: number;
  /** Whether the program is split into several functions (this is one of them). */
  readonly #chunked: boolean;
  readonly #out: WasmInstruction[] = [];
  /** Labels of the open blocks, loops and ifs, innermost last. */
  readonly #labels: string[] = [];
  /** Where each open label is in `#labels` (an `if` nests: only its own `end` leaves it). */
  readonly #where = new Map<string, number>();
  /** The instruction whose code is being emitted. */
  #i = 0;
  /** The loop region the current instruction is in, if any. */
  #region: LoopRegion | undefined;
  readonly #regionOf: readonly (LoopRegion | undefined)[];
  /** Whether some region is entered past its head (then the dispatch sets `entry`). */
  #entries = false;

  constructor(
    program: Program,
    fuel: boolean,
    regionOf: readonly (LoopRegion | undefined)[],
    base: number,
    end: number,
  ) {
    this.#program = program;
    this.#fuel = fuel;
    this.#n = program.instructions.length;
    this.#base = base;
    this.#end = end;
    this.#chunked = base > 0 || end < this.#n;
    this.#regionOf = regionOf;
    for (let k = base; k < end; k++) if (regionOf[k]?.entered) this.#entries = true;
  }

  /** Whether instruction `t` is in this function. */
  #here(t: number): boolean {
    return t >= this.#base && t < this.#end;
  }

  /** Whether instruction `k` has a block in the outer nest (the dispatch can reach it). */
  #outer(k: number): boolean {
    const r = this.#regionOf[k];
    return r === undefined || r.head === k;
  }

  /**
   * The depth a dispatch table entry for instruction `k` branches to: its
   * block, or the head of the region it is inside (which enters it through
   * `entry`), or `otherwise` when nothing can enter it.
   */
  #dispatchDepth(k: number, otherwise: string): number {
    if (this.#outer(k)) return this.#depth(`b${k}`);
    const r = this.#regionOf[k]!;
    return this.#depth(r.entered ? `b${r.head}` : otherwise);
  }

  /**
   * At a region's head: when the dispatch meant an instruction inside
   * (`entry` = its index + 1), clear `entry` and branch to it; otherwise
   * run the head. A stale `entry` never names an instruction inside a
   * region: it is set only by the dispatch, and cleared where it does.
   */
  #regionEntry(r: LoopRegion): void {
    const out = this.#out;
    const span = r.last - r.head;
    out.push(["comment", `enter i${r.head + 1}..i${r.last} when the dispatch meant one of them`]);
    this.#open("block", "entered");
    out.push(
      ["local.get", ENTRY],
      ["i32.const", r.head + 2],
      ["i32.sub"],
      ["i32.const", span],
      ["i32.ge_u"],
      ["br_if", 0],
    );
    out.push(
      ["local.get", ENTRY],
      ["i32.const", r.head + 2],
      ["i32.sub"],
      ["i32.const", 0],
      ["local.set", ENTRY],
    );
    this.#table(span, (j) => this.#depth(`b${r.head + 1 + j}`), "entered");
    this.#close("entered");
  }

  /**
   * `br_table` over `count` targets on the i32 on the operand stack
   * (`target(k)` gives the depth of entry k, computed where the table is
   * emitted) and a default. A table has at most a function's instructions,
   * which {@link WASM_MAX_BR_TABLE} bounds.
   */
  #table(count: number, target: (k: number) => number, otherwise: string): void {
    const table = Array.from({ length: count }, (_, k) => target(k));
    this.#out.push(["br_table", table, this.#depth(otherwise)]);
  }

  #open(kind: "block" | "loop" | "if", label: string): void {
    this.#out.push(OPEN[kind]);
    // Nothing branches to an `if` by name: only blocks and loops are looked up.
    if (kind !== "if") this.#where.set(label, this.#labels.length);
    this.#labels.push(label);
  }

  #close(label: string): void {
    const top = this.#labels.pop();
    if (top !== label) {
      throw new IsaError("LOWERING_ERROR", `wasm lowering: closing ${label} but ${top} is open`);
    }
    if (this.#where.get(label) === this.#labels.length) this.#where.delete(label);
    this.#out.push(END);
  }

  /** Branch depth of an open label (an `if` is only ever left by its own `end`). */
  #depth(label: string): number {
    const at = this.#where.get(label);
    if (at === undefined) {
      throw new IsaError("LOWERING_ERROR", `wasm lowering: no open label ${label}`);
    }
    return this.#labels.length - 1 - at;
  }

  #br(label: string): void {
    this.#out.push(["br", this.#depth(label)]);
  }

  run(): WasmInstruction[] {
    const out = this.#out;
    const base = this.#base;
    const end = this.#end;
    this.#prologue();
    this.#open("block", "exit");
    this.#open("loop", "dispatch");
    for (let k = end - 1; k >= base; k--) if (this.#outer(k)) this.#open("block", `b${k}`);
    this.#open("block", "ret");
    this.#open("block", "unreachable");
    if (this.#entries)
      out.push(["local.get", PC], ["i32.const", 1], ["i32.add"], ["local.set", ENTRY]);
    out.push(["local.get", PC]);
    if (base > 0) out.push(["i32.const", base], ["i32.sub"]);
    this.#table(end - base, (k) => this.#dispatchDepth(base + k, "unreachable"), "ret");
    this.#close("unreachable");
    out.push(["unreachable"]);
    this.#close("ret");
    this.#returnCheck();
    for (let i = base; i < end; i++) {
      const ins = this.#program.instructions[i]!;
      const region = this.#regionOf[i];
      if (region?.head === i) {
        this.#close(`b${i}`);
        this.#open("loop", `loop${i}`);
        for (let k = region.last; k > i; k--) this.#open("block", `b${k}`);
        if (region.entered) this.#regionEntry(region);
      } else {
        this.#close(`b${i}`);
      }
      out.push(["comment", `i${i}: ${formatInstruction(ins)}`]);
      this.#i = i;
      this.#region = region;
      if (this.#fuel) this.#fuelCheck();
      this.#lower(ins);
      if (region?.last === i) this.#close(`loop${region.head}`);
    }
    // The last instruction here may fall through to the next function's first.
    if (end < this.#n) this.#transfer(end);
    this.#close("dispatch");
    this.#close("exit");
    this.#epilogue();
    return out;
  }

  #prologue(): void {
    const out = this.#out;
    out.push(["comment", "prologue: the thread's state from its block"]);
    for (let r = 0; r < PROGRAM_REGISTERS; r++) {
      out.push(
        ["local.get", BLOCK],
        ["i64.load", WORD, TCB.registers + 8 * r],
        ["local.set", R0 + r],
      );
    }
    const i32s: [number, number][] = [
      [SP, WASM_THREAD_BLOCK.stackPointer],
      [LIMIT, TCB.stackLimit],
      [HIGH, TCB.stackHigh],
      [PC, TCB.resumePc],
    ];
    for (const [local, offset] of i32s) {
      out.push(["local.get", BLOCK], ["i32.load", HALF, offset], ["local.set", local]);
    }
    if (this.#fuel)
      out.push(["local.get", BLOCK], ["i64.load", WORD, TCB.fuel], ["local.set", FUEL]);
    if (this.#chunked) {
      // A return handed over from another function (pc = n): the word and the ret's index.
      out.push(
        ["local.get", BLOCK],
        ["i64.load", WORD, TCB.trapIndex],
        ["local.set", INDEX],
        ["local.get", BLOCK],
        ["i32.load", HALF, TCB.trapInstruction],
        ["local.set", INS],
      );
    }
  }

  #epilogue(): void {
    const out = this.#out;
    out.push(["comment", "epilogue: the trap record and the thread's state to its block"]);
    const words: [number, number, boolean][] = [
      [TCB.trapKind, KIND, true],
      [TCB.trapA, A, false],
      [TCB.trapInstruction, INS, true],
      [TCB.trapIndex, INDEX, false],
      [TCB.resumePc, PC, true],
    ];
    for (let r = 0; r < PROGRAM_REGISTERS; r++) words.push([TCB.registers + 8 * r, R0 + r, false]);
    if (this.#fuel) words.push([TCB.fuel, FUEL, false]);
    for (const [offset, local, widen] of words) {
      out.push(["local.get", BLOCK], ["local.get", local]);
      if (widen) out.push(["i64.extend_i32_u"]);
      out.push(["i64.store", WORD, offset]);
    }
    out.push(
      ["local.get", BLOCK],
      ["local.get", SP],
      ["i32.store", HALF, WASM_THREAD_BLOCK.stackPointer],
      ["local.get", KIND],
    );
  }

  /**
   * Where the dispatch's default leads: `index` holds the word a `ret` read
   * and `ins` that `ret`'s index. Emitted inside the first instruction's
   * block, before any instruction's code, so every `$b<k>` is a branch
   * target from here. A word in another function's range is handed over to
   * it with `pc = n` (the driver sends it to that function's return check);
   * the word stays on the stack until a return check pops it.
   */
  #returnCheck(): void {
    const out = this.#out;
    const n = this.#n;
    const base = this.#base;
    const size = this.#end - base;
    const program = this.#program.instructions;
    out.push(["comment", "return check: pop the word in $index and enter it if it follows a call"]);
    this.#open("block", "bad");
    out.push(["local.get", INDEX], ["i64.const", BigInt(n)], ["i64.ge_u"], ["br_if", 0]);
    if (this.#chunked) {
      out.push(
        ["local.get", INDEX],
        ["i32.wrap_i64"],
        ["i32.const", base],
        ["i32.sub"],
        ["i32.const", size],
        ["i32.ge_u"],
      );
      this.#if(() => this.#transfer(n));
    }
    this.#open("block", "undo");
    out.push(["local.get", SP], ["i32.const", 8], ["i32.add"], ["local.set", SP]);
    if (this.#entries) {
      out.push(
        ["local.get", INDEX],
        ["i32.wrap_i64"],
        ["i32.const", 1],
        ["i32.add"],
        ["local.set", ENTRY],
      );
    }
    out.push(["local.get", INDEX], ["i32.wrap_i64"]);
    if (base > 0) out.push(["i32.const", base], ["i32.sub"]);
    // A return site is an instruction right after a call.
    this.#table(
      size,
      (k) =>
        base + k > 0 && program[base + k - 1]!.op === "call"
          ? this.#dispatchDepth(base + k, "undo")
          : this.#depth("undo"),
      "undo",
    );
    this.#close("undo");
    out.push(["local.get", SP], ["i32.const", 8], ["i32.sub"], ["local.set", SP]);
    this.#close("bad");
    out.push(
      ["i64.const", BigInt(FAULT_CODE.outOfBoundsIndex)],
      ["local.set", A],
      ["i32.const", TRAP_KIND.fault],
      ["local.set", KIND],
      ["local.get", INS],
      ["local.set", PC],
    );
    this.#br("exit");
  }

  /**
   * Continue at instruction `t`: a branch to the loop's head, or out of
   * `$b<t>` forward, or through the dispatch backward.
   */
  #jump(t: number): void {
    const direct = this.#direct(t);
    if (!this.#here(t)) this.#transfer(t);
    else if (direct !== undefined) this.#br(direct);
    else {
      this.#out.push(["i32.const", t], ["local.set", PC]);
      this.#br("dispatch");
    }
  }

  /**
   * The label a jump to `t` can branch to directly: this region's loop (back
   * to its head), or `$b<t>` forward when that block is open here (outside
   * any region, or inside this one); otherwise the jump goes through the
   * dispatch.
   */
  #direct(t: number): string | undefined {
    const here = this.#region;
    if (here !== undefined && t === here.head && t <= this.#i) return `loop${t}`;
    if (!this.#here(t)) return undefined;
    if (t > this.#i && (this.#outer(t) || this.#regionOf[t] === here)) return `b${t}`;
    return undefined;
  }

  /**
   * Continue at instruction `t` of another function: return {@link TRANSFER}
   * to the driver with `pc = t` (every local the next function needs is
   * stored by the epilogue and loaded by its prologue).
   */
  #transfer(t: number): void {
    this.#out.push(
      ["i32.const", t],
      ["local.set", PC],
      ["i32.const", TRANSFER],
      ["local.set", KIND],
    );
    this.#br("exit");
  }

  #if(body: () => void): void {
    this.#open("if", "if");
    body();
    this.#close("if");
  }

  /** Stops with a trap of `kind` at this instruction; a resume continues at `resumeAt`. */
  #trap(kind: number, resumeAt: number): void {
    this.#out.push(
      ["i32.const", kind],
      ["local.set", KIND],
      ["i32.const", this.#i],
      ["local.set", INS],
      ["i32.const", resumeAt],
      ["local.set", PC],
    );
    this.#br("exit");
  }

  /** A fault of `code` at this instruction (an offending index, if any, already in `index`). */
  #fault(code: number): void {
    this.#out.push(["i64.const", BigInt(code)], ["local.set", A]);
    this.#trap(TRAP_KIND.fault, this.#i);
  }

  #fuelCheck(): void {
    this.#out.push(["local.get", FUEL], ["i64.eqz"]);
    this.#if(() => this.#trap(TRAP_KIND.budget, this.#i));
    this.#out.push(["local.get", FUEL], ["i64.const", 1n], ["i64.sub"], ["local.set", FUEL]);
  }

  #operand(o: Operand): void {
    if ("reg" in o) this.#out.push(["local.get", R0 + o.reg]);
    else this.#out.push(["i64.const", BigInt.asIntN(64, o.imm)]);
  }

  /** Faults stack-overflow unless one more word fits. */
  #checkRoom(): void {
    this.#out.push(["local.get", SP], ["local.get", LIMIT], ["i32.le_u"]);
    this.#if(() => this.#fault(FAULT_CODE.stackOverflow));
  }

  /** Faults out-of-bounds when the stack holds no word. */
  #checkNotEmpty(): void {
    this.#out.push(["local.get", SP], ["local.get", HIGH], ["i32.ge_u"]);
    this.#if(() => this.#fault(FAULT_CODE.outOfBounds));
  }

  #push(value: () => void): void {
    this.#out.push(["local.get", SP], ["i32.const", 8], ["i32.sub"], ["local.tee", SP]);
    value();
    this.#out.push(["i64.store", WORD, 0]);
  }

  /** Leaves the address of stack word `index` (checked against the depth) on the operand stack. */
  #stackAddress(index: number | null, offset: number): void {
    const out = this.#out;
    if (index === null) out.push(["i64.const", BigInt(offset)]);
    else {
      out.push(["local.get", R0 + index]);
      if (offset !== 0) out.push(["i64.const", BigInt(offset)], ["i64.add"]);
    }
    out.push(
      ["local.tee", INDEX],
      ["local.get", HIGH],
      ["local.get", SP],
      ["i32.sub"],
      ["i32.const", 3],
      ["i32.shr_u"],
      ["i64.extend_i32_u"],
      ["i64.ge_u"],
    );
    this.#if(() => this.#fault(FAULT_CODE.outOfBoundsIndex));
    out.push(
      ["local.get", SP],
      ["local.get", INDEX],
      ["i32.wrap_i64"],
      ["i32.const", 3],
      ["i32.shl"],
      ["i32.add"],
    );
  }

  #lower(ins: ProgramInstruction): void {
    const out = this.#out;
    const i = this.#i;
    const labels = this.#program.labels;
    switch (ins.op) {
      case "mov":
        this.#operand(ins.src);
        out.push(["local.set", R0 + ins.dst]);
        return;
      case "br":
        out.push(["local.get", R0 + ins.a]);
        this.#operand(ins.b);
        out.push([COMPARE[ins.cond]]);
        {
          const t = labels.get(ins.target)!;
          const direct = this.#direct(t);
          if (direct !== undefined) out.push(["br_if", this.#depth(direct)]);
          else this.#if(() => this.#jump(t));
        }
        return;
      case "jmp":
        this.#jump(labels.get(ins.target)!);
        return;
      case "call":
        this.#checkRoom();
        this.#push(() => out.push(["i64.const", BigInt(i + 1)]));
        this.#jump(labels.get(ins.target)!);
        return;
      case "ret":
        this.#checkNotEmpty();
        out.push(
          ["local.get", SP],
          ["i64.load", WORD, 0],
          ["local.set", INDEX],
          ["i32.const", i],
          ["local.set", INS],
          ["i32.const", this.#n],
          ["local.set", PC],
        );
        this.#br("dispatch");
        return;
      case "push":
        this.#checkRoom();
        this.#push(() => this.#operand(ins.src));
        return;
      case "pop":
        this.#checkNotEmpty();
        out.push(
          ["local.get", SP],
          ["i64.load", WORD, 0],
          ["local.set", R0 + ins.dst],
          ["local.get", SP],
          ["i32.const", 8],
          ["i32.add"],
          ["local.set", SP],
        );
        return;
      case "load":
        this.#stackAddress(ins.index, ins.offset);
        out.push(["i64.load", WORD, 0], ["local.set", R0 + ins.dst]);
        return;
      case "store":
        this.#stackAddress(ins.index, ins.offset);
        this.#operand(ins.src);
        out.push(["i64.store", WORD, 0]);
        return;
      case "hostcall":
        out.push(
          ["i64.const", BigInt(this.#program.hostcalls.indexOf(ins.name))],
          ["local.set", A],
        );
        this.#trap(TRAP_KIND.hostcall, i + 1);
        return;
      case "yield":
        this.#operand(ins.value);
        out.push(["local.set", A]);
        this.#trap(TRAP_KIND.yield, i + 1);
        return;
      case "exit":
        this.#operand(ins.code);
        out.push(["local.set", A]);
        this.#trap(TRAP_KIND.exit, i);
        return;
      default:
        out.push(["local.get", R0 + ins.a]);
        this.#operand(ins.b);
        out.push([ALU[ins.op]], ["local.set", R0 + ins.dst]);
    }
  }
}
