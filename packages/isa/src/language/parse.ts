/**
 * The parser of thread-program text.
 *
 * Why hand-written and line-based: a statement never spans lines, so each
 * line is lexed and parsed on its own and every error can name the exact line
 * and column, plus what was expected there. The parser checks syntax only
 * (and duplicate labels, which a `Map` could not even represent); whether the
 * program makes sense — labels defined, no fall-through off the end, host
 * calls known — is the verifier's job, so that programs built in code get the
 * same checks as programs written as text.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Operand, Program, ProgramInstruction, ProgramRegister } from "./program.js";
import { ALU_OPS, CONDS, MNEMONICS, PROGRAM_LIMITS, tooManyInstructions } from "./syntax.js";

type Token =
  | { readonly kind: "ident"; readonly text: string; readonly column: number }
  | { readonly kind: "number"; readonly text: string; readonly column: number; value: bigint }
  | { readonly kind: "punct"; readonly text: string; readonly column: number }
  | { readonly kind: "end"; readonly text: ""; readonly column: number };

const PUNCT = ",:[]()+-";

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === ".";
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= "0" && c <= "9");
}

function fail(line: number, column: number, message: string): never {
  throw new IsaError("PARSE_ERROR", `line ${line}, column ${column}: ${message}`, {
    line,
    column,
  });
}

function lexLine(text: string, line: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === ";") break;
    const column = i + 1;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      tokens.push({ kind: "ident", text: text.slice(i, j), column });
      i = j;
    } else if (c >= "0" && c <= "9") {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      const word = text.slice(i, j);
      if (!/^(?:[0-9]+|0[xX][0-9a-fA-F]+)$/.test(word)) {
        fail(
          line,
          column,
          `malformed number "${word}": write decimal digits (42) or 0x and hex digits (0x2a)`,
        );
      }
      tokens.push({ kind: "number", text: word, column, value: BigInt(word) });
      i = j;
    } else if (c === "-" && text[i + 1] === ">") {
      tokens.push({ kind: "punct", text: "->", column });
      i += 2;
    } else if (PUNCT.includes(c)) {
      tokens.push({ kind: "punct", text: c, column });
      i++;
    } else {
      fail(line, column, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: "end", text: "", column: i + 1 });
  return tokens;
}

function describe(t: Token): string {
  return t.kind === "end" ? "end of line" : `"${t.text}"`;
}

const REGISTER = /^r([0-9]+)$/;

/** Parses the tokens of one line, starting after its labels. */
class LineParser {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly line: number,
  ) {}

  get here(): Token {
    return this.tokens[this.pos];
  }

  skipTo(pos: number): void {
    this.pos = pos;
  }

  advance(): void {
    this.pos++;
  }

  error(t: Token, expected: string): never {
    fail(this.line, t.column, `expected ${expected}, found ${describe(t)}`);
  }

  isPunct(text: string): boolean {
    const t = this.here;
    return t.kind === "punct" && t.text === text;
  }

  expect(text: string, what = `"${text}"`): void {
    if (!this.isPunct(text)) this.error(this.here, what);
    this.pos++;
  }

  isRegister(): boolean {
    const t = this.here;
    return t.kind === "ident" && REGISTER.test(t.text);
  }

  register(): ProgramRegister {
    const t = this.here;
    const m = t.kind === "ident" ? REGISTER.exec(t.text) : null;
    if (m === null) this.error(t, "a register (r0..r7)");
    const n = Number(m[1]);
    if (m[1].length > 1 || n > 7) {
      fail(this.line, t.column, `"${t.text}" is not a register: the registers are r0..r7`);
    }
    this.pos++;
    return n;
  }

  /** An optionally negated number token; returns the value and its column. */
  signedNumber(what: string): { value: bigint; column: number } {
    const start = this.here;
    let negative = false;
    if (this.isPunct("-")) {
      negative = true;
      this.pos++;
    }
    const t = this.here;
    if (t.kind !== "number") this.error(t, what);
    this.pos++;
    return { value: negative ? -t.value : t.value, column: start.column };
  }

  immediate(): bigint {
    const { value, column } = this.signedNumber("an immediate");
    if (value < PROGRAM_LIMITS.immediateMin || value > PROGRAM_LIMITS.immediateMax) {
      fail(
        this.line,
        column,
        `immediate ${value} is out of range: immediates must lie in -2^63..2^64-1`,
      );
    }
    return value;
  }

  source(): Operand {
    if (this.isRegister()) return { reg: this.register() };
    const t = this.here;
    if (t.kind === "number" || this.isPunct("-")) return { imm: this.immediate() };
    this.error(t, "a register (r0..r7) or an immediate");
  }

  offset(negate: boolean): number {
    const { value, column } = this.signedNumber("a stack offset");
    const k = negate ? -value : value;
    if (k < BigInt(PROGRAM_LIMITS.offsetMin) || k > BigInt(PROGRAM_LIMITS.offsetMax)) {
      fail(
        this.line,
        column,
        `stack offset ${k} is out of range: offsets must lie in ${PROGRAM_LIMITS.offsetMin}..${PROGRAM_LIMITS.offsetMax}`,
      );
    }
    return Number(k);
  }

  address(): { index: ProgramRegister | null; offset: number } {
    const t = this.here;
    if (t.kind !== "ident" || t.text !== "stack") this.error(t, 'a stack address "stack[...]"');
    this.pos++;
    this.expect("[");
    let index: ProgramRegister | null = null;
    let offset = 0;
    if (this.isRegister()) {
      index = this.register();
      if (this.isPunct("+") || this.isPunct("-")) {
        const negate = this.isPunct("-");
        this.pos++;
        offset = this.offset(negate);
      }
      this.expect("]", '"+", "-" or "]"');
    } else {
      const u = this.here;
      if (u.kind !== "number" && !this.isPunct("-")) {
        this.error(u, "a register (r0..r7) or a stack offset");
      }
      offset = this.offset(false);
      this.expect("]");
    }
    return { index, offset };
  }

  name(what: string): string {
    const t = this.here;
    if (t.kind !== "ident") this.error(t, what);
    this.pos++;
    return t.text;
  }

  comma(): void {
    this.expect(",");
  }

  optionalResult(): ProgramRegister | null {
    if (!this.isPunct("->")) return null;
    this.pos++;
    return this.register();
  }

  end(): void {
    const t = this.here;
    if (t.kind !== "end") this.error(t, "end of line (one instruction per line)");
  }
}

type Body = ProgramInstruction extends infer I
  ? I extends unknown
    ? Omit<I, "at">
    : never
  : never;

function parseInstruction(
  p: LineParser,
  line: number,
  hostcalls: string[],
  hostcallNames: Set<string>,
): Body {
  const t = p.here;
  if (t.kind !== "ident") {
    p.error(t, "an instruction or a label");
  }
  const m = t.text;
  p.advance();
  if (m === "mov") {
    const dst = p.register();
    p.comma();
    return { op: "mov", dst, src: p.source() };
  }
  if ((ALU_OPS as readonly string[]).includes(m)) {
    const dst = p.register();
    p.comma();
    const a = p.register();
    p.comma();
    return { op: m as (typeof ALU_OPS)[number], dst, a, b: p.source() };
  }
  if (m.startsWith("b") && (CONDS as readonly string[]).includes(m.slice(1))) {
    const a = p.register();
    p.comma();
    const b = p.source();
    p.comma();
    const target = p.name("a label");
    return { op: "br", cond: m.slice(1) as (typeof CONDS)[number], a, b, target };
  }
  switch (m) {
    case "jmp":
    case "call":
      return { op: m, target: p.name("a label") };
    case "ret":
      return { op: "ret" };
    case "push":
      return { op: "push", src: p.source() };
    case "pop":
      return { op: "pop", dst: p.register() };
    case "load": {
      const dst = p.register();
      p.comma();
      const { index, offset } = p.address();
      return { op: "load", dst, index, offset };
    }
    case "store": {
      const { index, offset } = p.address();
      p.comma();
      return { op: "store", src: p.source(), index, offset };
    }
    case "hostcall": {
      const name = p.name("a host-call name");
      p.expect("(");
      const args: ProgramRegister[] = [];
      if (!p.isPunct(")")) {
        for (;;) {
          const at = p.here;
          if (args.length === PROGRAM_LIMITS.maxHostcallArgs) {
            fail(
              line,
              at.column,
              `a host call takes at most ${PROGRAM_LIMITS.maxHostcallArgs} register arguments`,
            );
          }
          args.push(p.register());
          if (p.isPunct(")")) break;
          p.expect(",", '"," or ")"');
        }
      }
      p.expect(")");
      if (!hostcallNames.has(name)) {
        hostcallNames.add(name);
        hostcalls.push(name);
      }
      return { op: "hostcall", name, args: Object.freeze(args), dst: p.optionalResult() };
    }
    case "yield": {
      const value = p.source();
      return { op: "yield", value, dst: p.optionalResult() };
    }
    case "exit":
      return { op: "exit", code: p.source() };
  }
  fail(
    line,
    t.column,
    `unknown instruction "${m}": expected one of ${MNEMONICS.join(", ")}, or a label followed by ":"`,
  );
}

/**
 * Parses thread-program text into a {@link Program}. Checks syntax and
 * duplicate labels only; pass the result to {@link verifyProgram} before
 * running it. Each instruction's `at` is the line and column of its mnemonic.
 *
 * @throws {@link IsaError} `PARSE_ERROR` at the first error, with `line` and
 *   `column` set and a message that says what was expected there;
 *   `BAD_ARGUMENT` if `text` is not a string.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * const p = parseProgram(`
 *   mov r0, 0
 * loop:
 *   add r0, r0, 1        ; count to ten
 *   blt r0, 10, loop
 *   exit r0
 * `);
 * console.log(p.instructions.length, p.labels.get("loop")); // 4 1
 * ```
 */
export function parseProgram(text: string): Program {
  if (typeof text !== "string") {
    throw new IsaError("BAD_ARGUMENT", `parseProgram expects a string, got ${typeof text}`);
  }
  const instructions: ProgramInstruction[] = [];
  const labels = new Map<string, number>();
  const labelLines = new Map<string, number>();
  const hostcalls: string[] = [];
  const hostcallNames = new Set<string>();
  // Line by line, without splitting the whole text first: text far over the
  // instruction limit is refused when the limit is passed, not after
  // millions of lines have been copied.
  let line = 0;
  for (let from = 0; from <= text.length; ) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    line++;
    const tokens = lexLine(text.slice(from, to), line);
    from = to + 1;
    let pos = 0;
    for (;;) {
      const a = tokens[pos];
      const b = tokens[pos + 1];
      if (a.kind !== "ident" || b === undefined || b.kind !== "punct" || b.text !== ":") break;
      const before = labelLines.get(a.text);
      if (before !== undefined) {
        fail(
          line,
          a.column,
          `label "${a.text}" is already defined on line ${before}: rename one of them`,
        );
      }
      labels.set(a.text, instructions.length);
      labelLines.set(a.text, line);
      pos += 2;
    }
    if (tokens[pos].kind === "end") continue;
    const parser = new LineParser(tokens, line);
    parser.skipTo(pos);
    const column = tokens[pos].column;
    if (instructions.length === PROGRAM_LIMITS.maxInstructions) {
      fail(line, column, tooManyInstructions("more than that", PROGRAM_LIMITS.maxInstructions));
    }
    const body = parseInstruction(parser, line, hostcalls, hostcallNames);
    parser.end();
    instructions.push(Object.freeze({ ...body, at: Object.freeze({ line, column }) }));
  }
  return Object.freeze({
    instructions: Object.freeze(instructions),
    labels,
    hostcalls: Object.freeze(hostcalls),
  }) as Program;
}
