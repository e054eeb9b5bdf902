import { expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { FIBER_PROGRAM_1, FIBER_PROGRAM_2 } from "../../src/language/fibers.js";
import { formatProgram } from "../../src/language/format-program.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { diagnoseProgram, verifyProgram } from "../../src/language/verify.js";
import { ReferenceMachine } from "../../src/semantics/reference.js";
import { immediate, type Random, randomProgramText, withoutPositions, xorshift } from "./random.js";

const TEXT_INPUTS = 100_000;
const OBJECT_INPUTS = 20_000;

const VOCABULARY = [
  ..."mov add sub mul and or xor shl shr sar beq bne blt ble bgt bge bltu bleu bgtu bgeu jmp call ret push pop load store hostcall yield exit".split(
    " ",
  ),
  ..."r0 r1 r2 r3 r7 r8 r10 stack loop f .L _x a.b".split(" "),
  ..."0 1 -1 7 0x10 0xffffffffffffffff 18446744073709551616 -9223372036854775809 65535 65536 -65536 12ab 0x".split(
    " ",
  ),
  ...[",", ":", "[", "]", "(", ")", "+", "-", "->", ";", "\t", "@", "#", "\u00e9"],
  "\n",
  "\r\n",
  "",
];

function tokenStream(r: Random): string {
  const parts: string[] = [];
  const n = r.int(40);
  for (let i = 0; i < n; i++) {
    parts.push(r.pick(VOCABULARY));
    parts.push(r.pick([" ", " ", "", ", ", "\n", ":"]));
  }
  return parts.join("");
}

function mutate(r: Random, text: string): string {
  let lines = text.split("\n");
  const rounds = 1 + r.int(3);
  for (let k = 0; k < rounds; k++) {
    const i = r.int(lines.length);
    const j = r.int(lines.length);
    switch (r.int(8)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[j]);
        break;
      case 2:
        [lines[i], lines[j]] = [lines[j], lines[i]];
        break;
      case 3: {
        const s = lines.join("\n");
        const at = r.int(s.length + 1);
        const c = String.fromCharCode(r.chance(0.8) ? r.int(128) : r.int(0x10000));
        lines = (s.slice(0, at) + c + s.slice(at + (r.chance(0.5) ? 1 : 0))).split("\n");
        break;
      }
      case 4: {
        const s = lines.join("\n");
        lines = s.slice(0, r.int(s.length + 1)).split("\n");
        break;
      }
      case 5: {
        const words = (lines[i] ?? "").split(/(\s+|,)/);
        words[r.int(words.length)] = r.pick(VOCABULARY);
        lines[i] = words.join("");
        break;
      }
      case 6:
        lines[i] = (lines[i] ?? "").replace(/-?\b\d+\b/, String(immediate(r)));
        break;
      default:
        lines.splice(i, 0, `  ${r.pick(VOCABULARY)} ${r.pick(VOCABULARY)}, ${r.pick(VOCABULARY)}`);
    }
  }
  return lines.join("\n");
}

const POOL: unknown[] = [
  null,
  undefined,
  -1,
  8,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "x",
  "",
  "r0",
  1n,
  2n ** 64n,
  -(2n ** 63n) - 1n,
  {},
  [],
  [1, 2],
  { reg: 9 },
  { imm: 5 },
  { imm: 3n },
  { reg: 1 },
  { line: 0, column: 1 },
  Symbol("s"),
  () => 0,
  new Map(),
];

/** Replaces or deletes one field somewhere in a copy of a program. */
function mutateObject(r: Random, p: Program): unknown {
  const instructions = p.instructions.map((i) => ({ ...i }) as Record<string, unknown>);
  const labels = new Map<unknown, unknown>(p.labels);
  let hostcalls: unknown = [...p.hostcalls];
  switch (r.int(6)) {
    case 0: {
      const ins = instructions[r.int(instructions.length)];
      const keys = Object.keys(ins);
      const key = r.pick(keys);
      if (r.chance(0.2)) delete ins[key];
      else ins[key] = r.pick(POOL);
      break;
    }
    case 1:
      labels.set(r.chance(0.5) ? r.pick([...labels.keys(), "zz"]) : r.pick(POOL), r.pick(POOL));
      break;
    case 2:
      hostcalls = r.pick(POOL);
      break;
    case 3:
      instructions.splice(
        r.int(instructions.length + 1),
        0,
        r.pick(POOL) as Record<string, unknown>,
      );
      break;
    case 4:
      return { instructions: r.pick(POOL), labels, hostcalls };
    default:
      return r.pick(POOL);
  }
  return { instructions, labels, hostcalls };
}

function expectIsaError(e: unknown, code: string, input: unknown): void {
  if (
    !(e instanceof IsaError) ||
    e.code !== code ||
    e.line === undefined ||
    e.column === undefined
  ) {
    throw new Error(`unexpected failure ${String(e)} for input ${JSON.stringify(String(input))}`, {
      cause: e,
    });
  }
}

/** Runs a verified program for a few resumes under a small budget; only IsaErrors may escape. */
function run(r: Random, p: Program): number {
  const m = new ReferenceMachine(p, { stackWords: r.int(6), budget: BigInt(1 + r.int(64)) });
  let steps = 0;
  for (let k = 0; k < 8; k++) {
    const t = m.resume(r.chance(0.5) ? immediate(r) : undefined);
    if (t.kind === "exit" || t.kind === "fault") {
      expect(m.resume()).toBe(t);
      break;
    }
    steps++;
  }
  return steps + m.executed;
}

test(`fuzz: ${TEXT_INPUTS} random and mutated texts, ${OBJECT_INPUTS} mutated program objects`, () => {
  const r = xorshift(0x6a09e667);
  const corpus = [FIBER_PROGRAM_1, FIBER_PROGRAM_2];
  const counts = {
    parseErrors: 0,
    verifyErrors: 0,
    verified: 0,
    objectsRejected: 0,
    objectsVerified: 0,
    steps: 0,
  };
  const started = performance.now();

  for (let i = 0; i < TEXT_INPUTS; i++) {
    let text: string;
    switch (i % 4) {
      case 0:
        text = tokenStream(r);
        break;
      case 1:
        text = randomProgramText(r, 10);
        if (corpus.length < 64) corpus.push(text);
        else corpus[r.int(corpus.length)] = text;
        break;
      default:
        text = mutate(r, r.pick(corpus));
    }
    let p: Program;
    try {
      p = parseProgram(text);
    } catch (e) {
      expectIsaError(e, "PARSE_ERROR", text);
      counts.parseErrors++;
      continue;
    }
    try {
      verifyProgram(p, r.chance(0.1) ? { hostcalls: ["print", "now"] } : undefined);
    } catch (e) {
      expectIsaError(e, "VERIFY_ERROR", text);
      counts.verifyErrors++;
      continue;
    }
    counts.verified++;
    try {
      counts.steps += run(r, p);
      if (i % 16 === 1) {
        expect(withoutPositions(parseProgram(formatProgram(p)))).toEqual(withoutPositions(p));
      }
    } catch (e) {
      throw new Error(`failure on a verified program:\n${text}`, { cause: e });
    }
  }

  const seeds = corpus.map((t) => parseProgram(formatProgram(parseProgram(t))));
  for (let i = 0; i < OBJECT_INPUTS; i++) {
    const input = mutateObject(r, r.pick(seeds));
    const problems = diagnoseProgram(input as Program);
    for (const e of problems) expectIsaError(e, "VERIFY_ERROR", input);
    try {
      verifyProgram(input as Program);
    } catch (e) {
      expectIsaError(e, "VERIFY_ERROR", input);
      expect(problems.length).toBeGreaterThan(0);
      counts.objectsRejected++;
      continue;
    }
    expect(problems).toEqual([]);
    counts.objectsVerified++;
    counts.steps += run(r, input as Program);
  }

  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
  expect(counts.parseErrors).toBeGreaterThan(0);
  expect(counts.verifyErrors).toBeGreaterThan(0);
  expect(counts.verified).toBeGreaterThan(0);
  expect(counts.objectsRejected).toBeGreaterThan(0);
  expect(counts.objectsVerified).toBeGreaterThan(0);
  expect(counts.parseErrors + counts.verifyErrors + counts.verified).toBe(TEXT_INPUTS);
}, 60_000);
