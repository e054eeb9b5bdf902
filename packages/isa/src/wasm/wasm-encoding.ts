/**
 * WebAssembly binary encoding: the small part of the format that thread
 * programs lower to.
 *
 * Why our own encoder: a thread program lowers to one function over i32 and
 * i64 locals, loads and stores, integer arithmetic and structured branches.
 * That is a few dozen opcodes and five sections, little enough to encode
 * here from the WebAssembly core specification (release 2.0, chapter 5,
 * "Binary Format") instead of depending on a toolchain. Every opcode value
 * below is the one in the specification's instruction tables (§5.4), every
 * section id the one in §5.5.2.
 *
 * A module is data ({@link WasmModule}): one imported memory, functions with
 * their locals and a flat list of instructions in which `block`, `loop` and
 * `if` open a nesting level that `end` closes. The same list is encoded to
 * bytes here and printed as text by `formatWat`, so what one reads is what
 * runs.
 *
 * ```
 *   module   = magic "\0asm" · version 1 · section*
 *   section  = id:byte · size:u32 · contents
 *   type 1   vec(functype)       functype = 0x60 vec(valtype) vec(valtype)
 *   import 2 vec(import)         the memory, "env" "memory" by default
 *   func 3   vec(typeidx)        one per function
 *   export 7 vec(export)         functions by name
 *   code 10  vec(size · vec(locals) · expr · 0x0b)
 * ```
 *
 * Integers in the format are LEB128: unsigned for sizes, counts and
 * indices, signed for `i32.const` and `i64.const` (whose values the format
 * reads as two's complement).
 *
 * @module
 */
import { IsaError } from "../errors.js";

/**
 * Value types of the locals and signatures this encoder writes.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmValueType = wasm.WasmValueType;
 * const t: WasmValueType = "i64";
 * ```
 */
export type WasmValueType = "i32" | "i64";

/**
 * Instructions that take no immediate, by their text name, with their
 * opcode byte from the core specification (§5.4.1 control, §5.4.7 numeric).
 *
 * @example
 * ```ts
 * import { WASM_OPCODES } from "./wasm-encoding.js";
 * console.log(WASM_OPCODES["i64.add"].toString(16)); // "7c"
 * ```
 */
export const WASM_OPCODES = {
  unreachable: 0x00,
  nop: 0x01,
  else: 0x05,
  end: 0x0b,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  "i32.eqz": 0x45,
  "i32.eq": 0x46,
  "i32.ne": 0x47,
  "i32.lt_u": 0x49,
  "i32.gt_u": 0x4b,
  "i32.le_u": 0x4d,
  "i32.ge_u": 0x4f,
  "i64.eqz": 0x50,
  "i64.eq": 0x51,
  "i64.ne": 0x52,
  "i64.lt_s": 0x53,
  "i64.lt_u": 0x54,
  "i64.gt_s": 0x55,
  "i64.gt_u": 0x56,
  "i64.le_s": 0x57,
  "i64.le_u": 0x58,
  "i64.ge_s": 0x59,
  "i64.ge_u": 0x5a,
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.div_u": 0x6e,
  "i32.shl": 0x74,
  "i32.shr_u": 0x76,
  "i64.add": 0x7c,
  "i64.sub": 0x7d,
  "i64.mul": 0x7e,
  "i64.and": 0x83,
  "i64.or": 0x84,
  "i64.xor": 0x85,
  "i64.shl": 0x86,
  "i64.shr_s": 0x87,
  "i64.shr_u": 0x88,
  "i32.wrap_i64": 0xa7,
  "i64.extend_i32_u": 0xad,
} as const;

/**
 * An instruction without immediates (see {@link WASM_OPCODES}).
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmPlainOp = wasm.WasmPlainOp;
 * const op: WasmPlainOp = "i64.mul";
 * ```
 */
export type WasmPlainOp = keyof typeof WASM_OPCODES;

/**
 * Opcodes of the instructions with immediates (§5.4.1, §5.4.4, §5.4.6,
 * §5.4.7): block, loop and if take a block type (always the empty one here,
 * 0x40); branches take label depths; `call` a function index (functions
 * are numbered in the order of {@link WasmModule}`.functions`); locals an index; memory accesses an
 * alignment (log2) and an offset; constants a signed LEB128 value.
 *
 * @example
 * ```ts
 * import { WASM_IMMEDIATE_OPCODES } from "./wasm-encoding.js";
 * console.log(WASM_IMMEDIATE_OPCODES.br_table); // 14
 * ```
 */
export const WASM_IMMEDIATE_OPCODES = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  call: 0x10,
  "local.get": 0x20,
  "local.set": 0x21,
  "local.tee": 0x22,
  "i32.load": 0x28,
  "i64.load": 0x29,
  "i32.store": 0x36,
  "i64.store": 0x37,
  "i32.const": 0x41,
  "i64.const": 0x42,
} as const;

/**
 * One instruction as a tuple: the text name, then its immediates. A
 * `["comment", text]` pseudo-instruction is printed by `formatWat` and
 * skipped by the encoder.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmInstruction = wasm.WasmInstruction;
 * const body: WasmInstruction[] = [
 *   ["local.get", 0], ["i64.const", 1n], ["i64.add"], ["local.set", 0],
 *   ["i32.const", 8], ["i64.load", 3, 16], ["drop"],
 * ];
 * ```
 */
export type WasmInstruction =
  | readonly [op: WasmPlainOp]
  | readonly [op: "block" | "loop" | "if"]
  | readonly [op: "br" | "br_if", depth: number]
  | readonly [op: "call", functionIndex: number]
  | readonly [op: "br_table", depths: readonly number[], otherwise: number]
  | readonly [op: "local.get" | "local.set" | "local.tee", index: number]
  | readonly [
      op: "i32.load" | "i64.load" | "i32.store" | "i64.store",
      alignLog2: number,
      offset: number,
    ]
  | readonly [op: "i32.const", value: number]
  | readonly [op: "i64.const", value: bigint]
  | readonly [op: "comment", text: string];

/**
 * A function of a {@link WasmModule}.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmFunction = wasm.WasmFunction;
 * const identity: WasmFunction = {
 *   name: "id", params: ["i64"], results: ["i64"], locals: [], body: [["local.get", 0]],
 *   export: "id",
 * };
 * ```
 */
export interface WasmFunction {
  /** Name for the text format (`$name`). */
  readonly name: string;
  readonly params: readonly WasmValueType[];
  readonly results: readonly WasmValueType[];
  /** Locals after the parameters, in index order. */
  readonly locals: readonly WasmValueType[];
  /** Names of parameters and locals for the text format, by index (optional). */
  readonly localNames?: readonly string[];
  /** The body, without the final `end` (the encoder adds it). */
  readonly body: readonly WasmInstruction[];
  /** Export name, if exported. */
  readonly export?: string;
}

/**
 * A module: one imported linear memory and some functions.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmModule = wasm.WasmModule;
 * const m: WasmModule = {
 *   memory: { module: "env", name: "memory", minimumPages: 1 },
 *   functions: [],
 * };
 * ```
 */
export interface WasmModule {
  /** The imported memory and its minimum size in 64 KiB pages. */
  readonly memory: {
    readonly module: string;
    readonly name: string;
    readonly minimumPages: number;
  };
  readonly functions: readonly WasmFunction[];
}

const VALUE_TYPE: Readonly<Record<WasmValueType, number>> = { i32: 0x7f, i64: 0x7e };
const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
const FUNCTION_TYPE = 0x60;
const EMPTY_BLOCK_TYPE = 0x40;
const IMPORT_MEMORY = 0x02;
const EXPORT_FUNCTION = 0x00;
const LIMITS_MIN_ONLY = 0x00;

/**
 * Bytes being written: a byte array that doubles when full. A module at the
 * isa's instruction limit is tens of megabytes; as a JavaScript array of
 * numbers it took eight bytes of heap per byte, and more while it grew.
 */
class Bytes {
  #bytes = new Uint8Array(64);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(...values: number[]): void {
    this.#reserve(values.length);
    for (const v of values) this.#bytes[this.#length++] = v;
  }

  append(other: Bytes): void {
    this.#reserve(other.#length);
    this.#bytes.set(other.view(), this.#length);
    this.#length += other.#length;
  }

  #reserve(more: number): void {
    if (this.#length + more <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + more) size *= 2;
    const larger = new Uint8Array(size);
    larger.set(this.view());
    this.#bytes = larger;
  }

  /** The bytes written (a view: later writes may move them). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** Appends the unsigned LEB128 of `value` (checked by the caller or by {@link unsignedLeb128}). */
function pushUnsigned(out: Bytes, value: number): void {
  let v = value;
  for (;;) {
    const byte = v % 128;
    v = Math.floor(v / 128);
    if (v === 0) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function checkU32(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `unsigned LEB128: ${value} is not an integer in 0..2^32-1; WebAssembly indices, counts and sizes are u32`,
    );
  }
}

/**
 * Unsigned LEB128 of a non-negative integer up to 2^32 - 1 (§5.2.2).
 *
 * @example
 * ```ts
 * import { unsignedLeb128 } from "./wasm-encoding.js";
 * console.log(unsignedLeb128(624485)); // [229, 142, 38]
 * ```
 */
export function unsignedLeb128(value: number): number[] {
  checkU32(value);
  const out = new Bytes();
  pushUnsigned(out, value);
  return [...out.view()];
}

/** Appends the signed LEB128 of `value`, which fits in `bits` bits. */
function pushSigned(out: Bytes, value: bigint, bits: 32 | 64): void {
  if (BigInt.asIntN(bits, value) !== value) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `signed LEB128: ${value} does not fit in a signed ${bits}-bit integer; wrap it with BigInt.asIntN(${bits}, value)`,
    );
  }
  let v = value;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n; // arithmetic: keeps the sign
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/**
 * Signed LEB128 of a two's complement integer of `bits` bits (§5.2.2):
 * `i32.const` takes 32, `i64.const` 64. Values outside the signed range of
 * `bits` are rejected; pass `BigInt.asIntN(bits, v)` to wrap.
 *
 * @example
 * ```ts
 * import { signedLeb128 } from "./wasm-encoding.js";
 * console.log(signedLeb128(-123456n, 64)); // [192, 187, 120]
 * ```
 */
export function signedLeb128(value: bigint, bits: 32 | 64): number[] {
  const out = new Bytes();
  pushSigned(out, value, bits);
  return [...out.view()];
}

/** Appends a UTF-8 name, prefixed with its length (§5.2.4). */
function pushName(out: Bytes, text: string): void {
  const bytes = new TextEncoder().encode(text);
  pushUnsigned(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** A section: its id, its size, its contents (§5.5.2). */
function section(id: number, contents: Bytes): Uint8Array {
  const head = new Bytes();
  head.push(id);
  pushUnsigned(head, contents.length);
  const bytes = new Uint8Array(head.length + contents.length);
  bytes.set(head.view());
  bytes.set(contents.view(), head.length);
  return bytes;
}

/** Appends the bytes of one instruction (nothing for a comment). */
function pushInstruction(out: Bytes, ins: WasmInstruction): void {
  switch (ins[0]) {
    case "comment":
      return;
    case "block":
    case "loop":
    case "if":
      out.push(WASM_IMMEDIATE_OPCODES[ins[0]], EMPTY_BLOCK_TYPE);
      return;
    case "br":
    case "br_if":
    case "call":
    case "local.get":
    case "local.set":
    case "local.tee":
      checkU32(ins[1]);
      out.push(WASM_IMMEDIATE_OPCODES[ins[0]]);
      pushUnsigned(out, ins[1]);
      return;
    case "br_table":
      out.push(WASM_IMMEDIATE_OPCODES.br_table);
      pushUnsigned(out, ins[1].length);
      for (const d of ins[1]) {
        checkU32(d);
        pushUnsigned(out, d);
      }
      checkU32(ins[2]);
      pushUnsigned(out, ins[2]);
      return;
    case "i32.load":
    case "i64.load":
    case "i32.store":
    case "i64.store":
      checkU32(ins[1]);
      checkU32(ins[2]);
      out.push(WASM_IMMEDIATE_OPCODES[ins[0]]);
      pushUnsigned(out, ins[1]);
      pushUnsigned(out, ins[2]);
      return;
    case "i32.const":
      out.push(WASM_IMMEDIATE_OPCODES["i32.const"]);
      pushSigned(out, BigInt(ins[1]), 32);
      return;
    case "i64.const":
      out.push(WASM_IMMEDIATE_OPCODES["i64.const"]);
      pushSigned(out, ins[1], 64);
      return;
    default: {
      const opcode = WASM_OPCODES[ins[0]];
      if (opcode === undefined) {
        throw new IsaError(
          "UNSUPPORTED_INSTRUCTION",
          `WebAssembly encoder: no opcode for "${String(ins[0])}"; use one of WASM_OPCODES or WASM_IMMEDIATE_OPCODES`,
        );
      }
      out.push(opcode);
    }
  }
}

/**
 * The bytes of one instruction (nothing for a comment).
 *
 * @example
 * ```ts
 * import { encodeInstruction } from "./wasm-encoding.js";
 * console.log(encodeInstruction(["i64.load", 3, 88])); // [41, 3, 88]
 * ```
 */
export function encodeInstruction(ins: WasmInstruction): number[] {
  const out = new Bytes();
  pushInstruction(out, ins);
  return [...out.view()];
}

/** Appends a function's entry of the code section: size, locals as `(count, type)` runs, body, `end` (§5.5.13). */
function pushFunctionBody(out: Bytes, f: WasmFunction): void {
  const code = new Bytes();
  const groups: [number, WasmValueType][] = [];
  for (const t of f.locals) {
    const last = groups.at(-1);
    if (last?.[1] === t) last[0]++;
    else groups.push([1, t]);
  }
  pushUnsigned(code, groups.length);
  for (const [count, t] of groups) {
    pushUnsigned(code, count);
    code.push(VALUE_TYPE[t]);
  }
  let open = 0;
  // Read once: a lowered function may compute its body on each read.
  for (const ins of f.body) {
    if (ins[0] === "block" || ins[0] === "loop" || ins[0] === "if") open++;
    else if (ins[0] === "end") open--;
    if (open < 0) {
      throw new IsaError(
        "LOWERING_ERROR",
        `WebAssembly encoder: function ${f.name} has an "end" without a block; the body must be balanced`,
      );
    }
    pushInstruction(code, ins);
  }
  if (open !== 0) {
    throw new IsaError(
      "LOWERING_ERROR",
      `WebAssembly encoder: function ${f.name} leaves ${open} block(s) open; close each with "end"`,
    );
  }
  code.push(WASM_OPCODES.end);
  pushUnsigned(out, code.length);
  out.append(code);
}

/**
 * Encodes a module to the binary format: magic, version, then the type,
 * import, function, export and code sections (§5.5). Each function gets a
 * type of its own (identical signatures are shared).
 *
 * @throws {@link IsaError} `OPERAND_OUT_OF_RANGE` for an immediate that does
 *   not fit, `LOWERING_ERROR` for an unbalanced body.
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { encodeWasmModule } = wasm;
 * const bytes = encodeWasmModule({
 *   memory: { module: "env", name: "memory", minimumPages: 1 },
 *   functions: [{ name: "one", params: [], results: ["i32"], locals: [], body: [["i32.const", 1]], export: "one" }],
 * });
 * console.log(bytes.subarray(0, 8)); // Uint8Array [0, 97, 115, 109, 1, 0, 0, 0]
 * ```
 */
export function encodeWasmModule(module: WasmModule): Uint8Array {
  const signatures: string[] = [];
  const typeOf = module.functions.map((f) => {
    const key = `${f.params.join(",")}->${f.results.join(",")}`;
    let index = signatures.indexOf(key);
    if (index < 0) index = signatures.push(key) - 1;
    return index;
  });
  const types = new Bytes();
  pushUnsigned(types, signatures.length);
  signatures.forEach((_, index) => {
    const f = module.functions[typeOf.indexOf(index)]!;
    types.push(FUNCTION_TYPE);
    pushUnsigned(types, f.params.length);
    for (const t of f.params) types.push(VALUE_TYPE[t]);
    pushUnsigned(types, f.results.length);
    for (const t of f.results) types.push(VALUE_TYPE[t]);
  });
  const imports = new Bytes();
  imports.push(1);
  pushName(imports, module.memory.module);
  pushName(imports, module.memory.name);
  checkU32(module.memory.minimumPages);
  imports.push(IMPORT_MEMORY, LIMITS_MIN_ONLY);
  pushUnsigned(imports, module.memory.minimumPages);
  const functions = new Bytes();
  pushUnsigned(functions, typeOf.length);
  for (const t of typeOf) pushUnsigned(functions, t);
  const exported = module.functions.flatMap((f, index) =>
    f.export === undefined ? [] : [{ f, index }],
  );
  const exports = new Bytes();
  pushUnsigned(exports, exported.length);
  for (const { f, index } of exported) {
    pushName(exports, f.export!);
    exports.push(EXPORT_FUNCTION);
    pushUnsigned(exports, index);
  }
  const code = new Bytes();
  pushUnsigned(code, module.functions.length);
  for (const f of module.functions) pushFunctionBody(code, f);
  const parts = [
    // "\0asm", version 1
    Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
    section(SECTION.type, types),
    section(SECTION.import, imports),
    section(SECTION.function, functions),
    section(SECTION.export, exports),
    section(SECTION.code, code),
  ];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}
