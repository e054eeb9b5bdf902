/**
 * The verifier of thread programs.
 *
 * Why a verifier separate from the parser: a {@link Program} is a plain value
 * that can come from text, from the builder, or from any JavaScript that
 * builds the object by hand. Lowering and the reference machine trust what
 * they are given, so everything they rely on is checked here, once, for all
 * three sources: operand shapes and ranges, labels, host-call names, and two
 * properties of control flow.
 *
 * Control flow is checked conservatively. A `ret` may continue after any
 * `call` of the program (a program can push a forged return index), so the
 * instruction after every call counts as reachable, as does instruction 0.
 * From there, the verifier rejects a program if a reachable path can run past
 * the last instruction, and rejects every `call` whose target has no path to a
 * `ret` (following inner calls only into callees that can themselves return).
 *
 * Every check is linear in the size of the program (programs come from
 * untrusted text too, and may have a million instructions).
 *
 * Whatever it is given, the verifier throws nothing but {@link IsaError}.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Program } from "./program.js";
import {
  CONDS,
  isImmediate,
  isProgramIdentifier,
  isRegisterNumber,
  isStackOffset,
  OPS,
  PROGRAM_LIMITS,
  tooManyInstructions,
} from "./syntax.js";

/**
 * Options of {@link verifyProgram} and {@link diagnoseProgram}.
 *
 * @example
 * ```ts
 * import type { VerifyOptions } from "@greenthreads/isa";
 * const options: VerifyOptions = { hostcalls: ["print", "started", "finished"] };
 * ```
 */
export interface VerifyOptions {
  /** The host calls the host answers. When given, any other host-call name is an error. */
  readonly hostcalls?: readonly string[];
  /**
   * The most instructions a program may have: a whole number from 1 to
   * `PROGRAM_LIMITS.maxInstructions` (the default). A host that takes
   * programs from untrusted sources can set it lower, to bound the time and
   * memory that lowering and loading one program may take.
   */
  readonly maxInstructions?: number;
}

interface Position {
  line: number;
  column: number;
}

function show(v: unknown): string {
  switch (typeof v) {
    case "bigint":
      return `${v}n`;
    case "string":
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
    case "number":
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "object":
      return v === null ? "null" : Array.isArray(v) ? "an array" : "an object";
    default:
      return `a ${typeof v}`;
  }
}

function problem(at: Position, reason: string): IsaError {
  return new IsaError("VERIFY_ERROR", `line ${at.line}, column ${at.column}: ${reason}`, at);
}

const TOP: Position = { line: 1, column: 1 };

function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
}

type Mode = "verify" | "shape";

interface Context {
  readonly mode: Mode;
  readonly problems: IsaError[];
  readonly labels: Map<string, number> | null;
  readonly allowed: ReadonlySet<string> | null;
}

function checkRegister(ctx: Context, at: Position, field: string, v: unknown): boolean {
  if (isRegisterNumber(v)) return true;
  ctx.problems.push(problem(at, `${field} must be a register number 0..7, got ${show(v)}`));
  return false;
}

function checkOptionalRegister(ctx: Context, at: Position, field: string, v: unknown): boolean {
  if (v === null) return true;
  if (isRegisterNumber(v)) return true;
  ctx.problems.push(
    problem(at, `${field} must be a register number 0..7 or null (no result), got ${show(v)}`),
  );
  return false;
}

function checkImmediate(ctx: Context, at: Position, field: string, v: unknown): boolean {
  if (isImmediate(v)) return true;
  if (typeof v === "bigint") {
    ctx.problems.push(
      problem(
        at,
        `immediate ${v} in ${field} is out of range: immediates must lie in -2^63..2^64-1`,
      ),
    );
  } else {
    ctx.problems.push(problem(at, `${field}.imm must be a bigint (write 5n), got ${show(v)}`));
  }
  return false;
}

function checkOperand(ctx: Context, at: Position, field: string, v: unknown): boolean {
  if (typeof v !== "object" || v === null) {
    ctx.problems.push(
      problem(at, `${field} must be an operand { reg: 0..7 } or { imm: bigint }, got ${show(v)}`),
    );
    return false;
  }
  const hasReg = "reg" in v;
  const hasImm = "imm" in v;
  if (hasReg && hasImm) {
    ctx.problems.push(problem(at, `${field} has both reg and imm: an operand is one or the other`));
    return false;
  }
  if (hasReg) return checkRegister(ctx, at, `${field}.reg`, (v as { reg: unknown }).reg);
  if (hasImm) return checkImmediate(ctx, at, field, (v as { imm: unknown }).imm);
  ctx.problems.push(
    problem(at, `${field} must be an operand { reg: 0..7 } or { imm: bigint }, got ${show(v)}`),
  );
  return false;
}

function checkTarget(ctx: Context, at: Position, v: unknown): boolean {
  if (!isProgramIdentifier(v)) {
    ctx.problems.push(
      problem(at, `target must be a label name ([A-Za-z_.][A-Za-z0-9_.]*), got ${show(v)}`),
    );
    return false;
  }
  if (ctx.mode === "verify" && ctx.labels !== null && !ctx.labels.has(v)) {
    ctx.problems.push(
      problem(at, `undefined label "${v}": define it with "${v}:" before an instruction`),
    );
    return false;
  }
  return true;
}

function checkAddress(ctx: Context, at: Position, ins: Record<string, unknown>): boolean {
  let ok = checkOptionalRegister(ctx, at, "index", ins.index);
  if (!isStackOffset(ins.offset)) {
    ctx.problems.push(
      problem(
        at,
        `stack offset must be an integer in ${PROGRAM_LIMITS.offsetMin}..${PROGRAM_LIMITS.offsetMax}, got ${show(ins.offset)}`,
      ),
    );
    ok = false;
  }
  return ok;
}

/** Checks one instruction's shape; returns whether it is well formed. */
function checkInstruction(ctx: Context, at: Position, ins: Record<string, unknown>): boolean {
  const op = ins.op;
  if (typeof op !== "string" || !OPS.includes(op)) {
    ctx.problems.push(problem(at, `unknown op ${show(op)}: expected one of ${OPS.join(", ")}`));
    return false;
  }
  const checks: boolean[] = [];
  switch (op) {
    case "mov":
      checks.push(checkRegister(ctx, at, "dst", ins.dst), checkOperand(ctx, at, "src", ins.src));
      break;
    case "br":
      if (typeof ins.cond !== "string" || !(CONDS as readonly string[]).includes(ins.cond)) {
        ctx.problems.push(
          problem(
            at,
            `unknown branch condition ${show(ins.cond)}: expected one of ${CONDS.join(", ")}`,
          ),
        );
        checks.push(false);
      }
      checks.push(
        checkRegister(ctx, at, "a", ins.a),
        checkOperand(ctx, at, "b", ins.b),
        checkTarget(ctx, at, ins.target),
      );
      break;
    case "jmp":
    case "call":
      checks.push(checkTarget(ctx, at, ins.target));
      break;
    case "ret":
      break;
    case "push":
      checks.push(checkOperand(ctx, at, "src", ins.src));
      break;
    case "pop":
      checks.push(checkRegister(ctx, at, "dst", ins.dst));
      break;
    case "load":
      checks.push(checkRegister(ctx, at, "dst", ins.dst), checkAddress(ctx, at, ins));
      break;
    case "store":
      checks.push(checkOperand(ctx, at, "src", ins.src), checkAddress(ctx, at, ins));
      break;
    case "hostcall": {
      const name = ins.name;
      if (!isProgramIdentifier(name)) {
        ctx.problems.push(
          problem(at, `host-call name must match [A-Za-z_.][A-Za-z0-9_.]*, got ${show(name)}`),
        );
        checks.push(false);
      } else if (ctx.allowed !== null && !ctx.allowed.has(name)) {
        ctx.problems.push(
          problem(
            at,
            `unknown host call "${name}": the host answers ${[...ctx.allowed].map((n) => `"${n}"`).join(", ") || "no host calls"}`,
          ),
        );
        checks.push(false);
      }
      const args = ins.args;
      if (!Array.isArray(args)) {
        ctx.problems.push(
          problem(at, `args must be an array of register numbers, got ${show(args)}`),
        );
        checks.push(false);
      } else {
        if (args.length > PROGRAM_LIMITS.maxHostcallArgs) {
          ctx.problems.push(
            problem(
              at,
              `host call has ${args.length} arguments: at most ${PROGRAM_LIMITS.maxHostcallArgs} are allowed`,
            ),
          );
          checks.push(false);
        }
        for (let i = 0; i < args.length && i <= PROGRAM_LIMITS.maxHostcallArgs; i++) {
          checks.push(checkRegister(ctx, at, `args[${i}]`, args[i]));
        }
      }
      checks.push(checkOptionalRegister(ctx, at, "dst", ins.dst));
      break;
    }
    case "yield":
      checks.push(
        checkOperand(ctx, at, "value", ins.value),
        checkOptionalRegister(ctx, at, "dst", ins.dst),
      );
      break;
    case "exit":
      checks.push(checkOperand(ctx, at, "code", ins.code));
      break;
    default:
      // The ALU operations.
      checks.push(
        checkRegister(ctx, at, "dst", ins.dst),
        checkRegister(ctx, at, "a", ins.a),
        checkOperand(ctx, at, "b", ins.b),
      );
  }
  return checks.every((c) => c);
}

function positionOf(ctx: Context, ins: unknown, index: number): Position {
  const fallback = { line: index + 1, column: 1 };
  if (typeof ins !== "object" || ins === null) return fallback;
  const at = (ins as { at?: unknown }).at;
  if (typeof at === "object" && at !== null) {
    const { line, column } = at as { line?: unknown; column?: unknown };
    if (isPositiveInt(line) && isPositiveInt(column)) return { line, column };
  }
  ctx.problems.push(
    problem(
      fallback,
      `instruction ${index} has no source position: at must be { line, column } with positive integers, got ${show(at)}`,
    ),
  );
  return fallback;
}

function readLabels(ctx: Context, labels: unknown): Map<string, number> | null {
  let entries: [unknown, unknown][];
  try {
    entries = [...Map.prototype.entries.call(labels as Map<unknown, unknown>)];
  } catch {
    ctx.problems.push(
      problem(
        TOP,
        `labels must be a Map from label name to instruction index, got ${show(labels)}`,
      ),
    );
    return null;
  }
  const out = new Map<string, number>();
  for (const [name, index] of entries) {
    if (!isProgramIdentifier(name)) {
      ctx.problems.push(
        problem(TOP, `label name must match [A-Za-z_.][A-Za-z0-9_.]*, got ${show(name)}`),
      );
      continue;
    }
    out.set(name, index as number);
  }
  return out;
}

/** What control flow needs of an instruction: its op, and its target's index when it has one. */
interface Node {
  readonly op: string;
  readonly target: number | null;
}

function successors(nodes: readonly (Node | null)[], i: number, into: number[]): void {
  const n = nodes[i];
  if (n === null) return;
  switch (n.op) {
    case "exit":
    case "ret":
      return;
    case "jmp":
    case "call":
      if (n.target !== null) into.push(n.target);
      return;
    case "br":
      if (n.target !== null) into.push(n.target);
      into.push(i + 1);
      return;
    default:
      into.push(i + 1);
  }
}

function checkFlow(ctx: Context, nodes: readonly (Node | null)[], at: readonly Position[]): void {
  const count = nodes.length;
  // Reachability from the entry and from every return point.
  const reached = new Uint8Array(count + 1);
  const work: number[] = [0];
  for (let i = 0; i + 1 < count; i++) if (nodes[i]?.op === "call") work.push(i + 1);
  const next: number[] = [];
  while (work.length > 0) {
    const i = work.pop()!;
    if (reached[i]) continue;
    reached[i] = 1;
    if (i >= count) continue;
    next.length = 0;
    successors(nodes, i, next);
    for (const j of next) if (!reached[j]) work.push(j);
  }
  const last = nodes[count - 1];
  if (last !== null && last.op === "call") {
    ctx.problems.push(
      problem(
        at[count - 1],
        "the last instruction is a call, so there is no instruction to return to: add one after it",
      ),
    );
  } else if (reached[count] && last !== null) {
    ctx.problems.push(
      problem(
        at[count - 1],
        "execution can run past the last instruction: end every path with exit, jmp or ret",
      ),
    );
  }

  if (!nodes.some((n) => n !== null && n.op === "call" && n.target !== null)) return;
  const returns = canReturn(nodes);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    if (n !== null && n.op === "call" && n.target !== null && !returns[n.target]) {
      ctx.problems.push(
        problem(
          at[i],
          `the call at instruction ${i} never returns: no path from its target (line ${at[n.target].line}) reaches a ret`,
        ),
      );
    }
  }
}

/**
 * Which instructions have a path to a `ret`, where a `call` continues to the
 * instruction after it only if its target has such a path itself: the least
 * fixed point, so that a function whose only way back is through itself
 * counts as never returning.
 *
 * Computed backwards from the `ret`s in one pass over the reversed edges, so
 * every edge is looked at a bounded number of times: linear in the program.
 * (Searching forwards from each call target until nothing changes is
 * quadratic or worse: one search per target per round, and a chain of calls
 * settles one target per round.) An instruction is marked when a successor
 * is marked, except a `call`, which is marked when both the instruction
 * after it and its target are, whichever of the two is marked last.
 */
function canReturn(nodes: readonly (Node | null)[]): Uint8Array {
  const count = nodes.length;
  // Predecessors along ordinary edges, in compressed rows: into[start[j]..start[j+1]).
  const start = new Int32Array(count + 2);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    if (n === null || n.op === "call" || n.op === "ret" || n.op === "exit") {
      continue;
    }
    if (n.target !== null) start[n.target + 1]++;
    if (n.op !== "jmp" && i + 1 < count) start[i + 2]++;
  }
  for (let j = 1; j < count + 2; j++) start[j] += start[j - 1];
  const into = new Int32Array(start[count + 1]);
  const fill = start.slice(0, count + 1);
  // Calls by target, in compressed rows too.
  const callStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    if (n !== null && n.op === "call" && n.target !== null) callStart[n.target + 1]++;
  }
  for (let j = 1; j < count + 1; j++) callStart[j] += callStart[j - 1];
  const callers = new Int32Array(callStart[count]);
  const callFill = callStart.slice(0, count);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    if (n === null || n.op === "ret" || n.op === "exit") continue;
    if (n.op === "call") {
      if (n.target !== null) callers[callFill[n.target]++] = i;
      continue;
    }
    if (n.target !== null) into[fill[n.target]++] = i;
    if (n.op !== "jmp" && i + 1 < count) into[fill[i + 1]++] = i;
  }

  const marked = new Uint8Array(count);
  const work: number[] = [];
  const mark = (i: number): void => {
    if (!marked[i]) {
      marked[i] = 1;
      work.push(i);
    }
  };
  for (let i = 0; i < count; i++) if (nodes[i]?.op === "ret") mark(i);
  while (work.length > 0) {
    const j = work.pop()!;
    for (let k = start[j]; k < start[j + 1]; k++) mark(into[k]);
    // The call just before j returns to j: it can return once its target can.
    const before = j > 0 ? nodes[j - 1] : null;
    if (before?.op === "call" && before.target !== null && marked[before.target]) mark(j - 1);
    // Calls of j, now known to return, continue where they return to.
    for (let k = callStart[j]; k < callStart[j + 1]; k++) {
      const c = callers[k];
      if (c + 1 < count && marked[c + 1]) mark(c);
    }
  }
  return marked;
}

/** The index of the first instruction that names each target label. */
function firstUsers(instructions: readonly unknown[]): Map<string, number> {
  const users = new Map<string, number>();
  instructions.forEach((ins, i) => {
    if (typeof ins !== "object" || ins === null || !("target" in ins)) return;
    const target = (ins as { target: unknown }).target;
    if (typeof target === "string" && !users.has(target)) users.set(target, i);
  });
  return users;
}

function collect(program: unknown, options: unknown, mode: Mode): IsaError[] {
  const problems: IsaError[] = [];
  let allowed: Set<string> | null = null;
  let limit: number = PROGRAM_LIMITS.maxInstructions;
  if (options !== undefined) {
    if (typeof options !== "object" || options === null) {
      throw new IsaError("BAD_ARGUMENT", `verify options must be an object, got ${show(options)}`);
    }
    const list = (options as { hostcalls?: unknown }).hostcalls;
    if (list !== undefined) {
      if (!Array.isArray(list) || !list.every((n) => typeof n === "string")) {
        throw new IsaError(
          "BAD_ARGUMENT",
          `options.hostcalls must be an array of host-call names, got ${show(list)}`,
        );
      }
      allowed = new Set(list);
    }
    const max = (options as { maxInstructions?: unknown }).maxInstructions;
    if (max !== undefined) {
      if (!isPositiveInt(max) || max > PROGRAM_LIMITS.maxInstructions) {
        throw new IsaError(
          "BAD_ARGUMENT",
          `options.maxInstructions must be a whole number from 1 to ${PROGRAM_LIMITS.maxInstructions}, got ${show(max)}`,
        );
      }
      limit = max;
    }
  }
  if (typeof program !== "object" || program === null) {
    problems.push(
      problem(
        TOP,
        `a program must be an object { instructions, labels, hostcalls }, got ${show(program)}`,
      ),
    );
    return problems;
  }
  const p = program as Record<string, unknown>;
  const instructions = p.instructions;
  if (!Array.isArray(instructions)) {
    problems.push(problem(TOP, `instructions must be an array, got ${show(instructions)}`));
    return problems;
  }
  const count = instructions.length;
  if (count > limit) {
    problems.push(problem(TOP, tooManyInstructions(count, limit)));
    return problems;
  }
  if (count === 0 && mode === "verify") {
    problems.push(
      problem(TOP, "the program is empty: it needs at least one instruction, e.g. exit 0"),
    );
    return problems;
  }
  const shapeCtx: Context = { mode, problems, labels: null, allowed: null };
  const labels = readLabels(shapeCtx, p.labels);
  const ctx: Context = { mode, problems, labels, allowed: mode === "verify" ? allowed : null };

  const at: Position[] = [];
  const nodes: (Node | null)[] = [];
  const used: string[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < count; i++) {
    const ins = instructions[i];
    const pos = positionOf(ctx, ins, i);
    at.push(pos);
    if (typeof ins !== "object" || ins === null) {
      problems.push(problem(pos, `instruction ${i} must be an object, got ${show(ins)}`));
      nodes.push(null);
      continue;
    }
    const record = ins as Record<string, unknown>;
    checkInstruction(ctx, pos, record);
    if (
      record.op === "hostcall" &&
      isProgramIdentifier(record.name) &&
      !usedNames.has(record.name)
    ) {
      used.push(record.name);
      usedNames.add(record.name);
    }
    // A malformed instruction still has its place in control flow, so that
    // one bad operand does not hide the flow problems around it; only an
    // unknown op is a dead end.
    const op = record.op;
    if (typeof op !== "string" || !OPS.includes(op)) {
      nodes.push(null);
      continue;
    }
    const target =
      op === "br" || op === "jmp" || op === "call"
        ? (labels?.get(record.target as string) ?? null)
        : null;
    const inside = typeof target === "number" && Number.isInteger(target) && target >= 0;
    nodes.push({ op, target: inside && target < count ? target : null });
  }

  if (labels !== null) {
    const highest = mode === "verify" ? count - 1 : count;
    let firstUser: Map<string, number> | null = null;
    for (const [name, index] of labels) {
      if (Number.isInteger(index) && index >= 0 && index <= highest) continue;
      // Built once, on the first bad label, so that many bad labels stay linear.
      firstUser ??= firstUsers(instructions);
      const user = firstUser.get(name) ?? -1;
      const pos = user >= 0 ? at[user] : count > 0 ? at[count - 1] : TOP;
      const reason =
        typeof index === "number" && index === count
          ? `label "${name}" points past the last instruction, a jump into nowhere: put an instruction after it`
          : `label "${name}" points at ${show(index)}, outside the program's instructions 0..${count - 1}`;
      problems.push(problem(pos, reason));
    }
  }

  if (mode === "verify") {
    const list = p.hostcalls;
    const same =
      Array.isArray(list) && list.length === used.length && used.every((n, i) => list[i] === n);
    if (!same) {
      problems.push(
        problem(
          TOP,
          `hostcalls must list the host-call names in order of first use: expected [${used.map((n) => `"${n}"`).join(", ")}], got ${Array.isArray(list) ? `[${list.map(show).join(", ")}]` : show(list)}`,
        ),
      );
    }
    checkFlow(ctx, nodes, at);
  }
  return problems.sort((a, b) => a.line! - b.line! || a.column! - b.column!);
}

function guarded(program: unknown, options: unknown, mode: Mode): IsaError[] {
  try {
    return collect(program, options, mode);
  } catch (e) {
    if (e instanceof IsaError) throw e;
    let why = "unknown failure";
    try {
      why = e instanceof Error ? e.message : String(e);
    } catch {
      // A thrown value may refuse to become a string.
    }
    return [problem(TOP, `the program could not be read: ${why}`)];
  }
}

/**
 * Shape problems only (operands, ranges, names, positions, labels within
 * 0..length): what the formatter needs to print a program.
 *
 * @internal
 */
export function shapeProblems(program: unknown): IsaError[] {
  return guarded(program, undefined, "shape");
}

/**
 * Every problem of a program, sorted by line and column; an empty array means
 * the program is valid. Each problem is an {@link IsaError} with code
 * `VERIFY_ERROR`, `line`, `column`, and a message that says what is wrong.
 * For instructions built in code, `line` is the instruction index + 1.
 *
 * @throws {@link IsaError} `BAD_ARGUMENT` when `options` is malformed.
 *
 * @example
 * ```ts
 * import { diagnoseProgram, parseProgram } from "@greenthreads/isa";
 * const problems = diagnoseProgram(parseProgram("beq r0, 0, nowhere\nmov r0, 1"));
 * for (const e of problems) console.log(e.line, e.message);
 * // 1 line 1, column 1: undefined label "nowhere": ...
 * // 2 line 2, column 1: execution can run past the last instruction: ...
 * ```
 */
export function diagnoseProgram(program: Program, options?: VerifyOptions): IsaError[] {
  return guarded(program, options, "verify");
}

/**
 * Checks that a program is safe to lower and run: registers 0..7, known ops,
 * immediates in -2^63..2^64-1, stack offsets in -65536..65535, at most 6
 * host-call arguments, every label defined and pointing at an instruction, no
 * path running past the last instruction, every `call` able to return, and,
 * when `options.hostcalls` is given, only those host calls; at most
 * `options.maxInstructions` instructions (by default, and at most,
 * `PROGRAM_LIMITS.maxInstructions`). Runs in time linear in the program.
 * Throws nothing but {@link IsaError}, whatever it is given.
 *
 * @throws {@link IsaError} `VERIFY_ERROR` for the first problem (by line and
 *   column), with `line` and `column` set; `BAD_ARGUMENT` when `options` is
 *   malformed. Use {@link diagnoseProgram} to get every problem.
 *
 * @example
 * ```ts
 * import { parseProgram, verifyProgram } from "@greenthreads/isa";
 * const p = parseProgram("hostcall print(r0)\nexit 0");
 * verifyProgram(p, { hostcalls: ["print"] }); // passes
 * try {
 *   verifyProgram(p, { hostcalls: [] });
 * } catch (e) {
 *   console.log((e as Error).message); // line 1, column 1: unknown host call "print": …
 * }
 * ```
 */
export function verifyProgram(program: Program, options?: VerifyOptions): void {
  const problems = guarded(program, options, "verify");
  if (problems.length > 0) throw problems[0];
}
