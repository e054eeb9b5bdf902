/**
 * The WebAssembly text format (WAT) of a {@link WasmModule}, for reading what
 * a thread program lowers to.
 *
 * It prints the same instruction list the encoder turns into bytes, in the
 * flat (linear) form of the text format: one instruction a line, indented
 * by nesting, with `;;` comments where the lowering left them (each thread
 * program instruction is announced by one). Locals print by name when the
 * function names them. Branch depths stay numeric, as in the binary, so a
 * reader can check the dispatch table against the nesting directly.
 *
 * @module
 */
import type { WasmFunction, WasmInstruction, WasmModule } from "./wasm-encoding.js";

const quote = (s: string): string => JSON.stringify(s);

function local(f: WasmFunction, index: number): string {
  const n = f.localNames?.[index];
  return n === undefined ? String(index) : `$${n}`;
}

function instructionText(f: WasmFunction, ins: WasmInstruction): string {
  switch (ins[0]) {
    case "comment":
      return `;; ${ins[1]}`;
    case "br_table":
      return `br_table ${[...ins[1], ins[2]].join(" ")}`;
    case "local.get":
    case "local.set":
    case "local.tee":
      return `${ins[0]} ${local(f, ins[1])}`;
    case "i32.load":
    case "i64.load":
    case "i32.store":
    case "i64.store": {
      const natural = ins[0].startsWith("i64") ? 3 : 2;
      const parts: string[] = [ins[0]];
      if (ins[2] !== 0) parts.push(`offset=${ins[2]}`);
      if (ins[1] !== natural) parts.push(`align=${2 ** ins[1]}`);
      return parts.join(" ");
    }
    default:
      return ins.length === 1 ? ins[0] : `${ins[0]} ${String(ins[1])}`;
  }
}

function functionText(f: WasmFunction): string[] {
  const head = [`(func $${f.name}`];
  if (f.export !== undefined) head.push(`(export ${quote(f.export)})`);
  f.params.forEach((t, i) => {
    const n = f.localNames?.[i];
    head.push(n === undefined ? `(param ${t})` : `(param $${n} ${t})`);
  });
  if (f.results.length > 0) head.push(`(result ${f.results.join(" ")})`);
  const lines = [`  ${head.join(" ")}`];
  f.locals.forEach((t, j) => {
    const n = f.localNames?.[f.params.length + j];
    lines.push(n === undefined ? `    (local ${t})` : `    (local $${n} ${t})`);
  });
  let indent = 2;
  for (const ins of f.body) {
    if (ins[0] === "end" || ins[0] === "else") indent--;
    lines.push(`${"  ".repeat(indent)}${instructionText(f, ins)}`);
    if (ins[0] === "block" || ins[0] === "loop" || ins[0] === "if" || ins[0] === "else") indent++;
  }
  lines.push("  )");
  return lines;
}

/**
 * The text format of a module: `(module (import …) (func …))`, flat
 * instructions indented by nesting.
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { formatWat } = wasm;
 * console.log(formatWat({
 *   memory: { module: "env", name: "memory", minimumPages: 1 },
 *   functions: [{ name: "one", params: [], results: ["i32"], locals: [], body: [["i32.const", 1]], export: "one" }],
 * }));
 * // (module
 * //   (import "env" "memory" (memory 1))
 * //   (func $one (export "one") (result i32)
 * //     i32.const 1
 * //   )
 * // )
 * ```
 */
export function formatWat(module: WasmModule): string {
  const { memory } = module;
  const lines = [
    "(module",
    `  (import ${quote(memory.module)} ${quote(memory.name)} (memory ${memory.minimumPages}))`,
  ];
  for (const f of module.functions) lines.push(...functionText(f));
  lines.push(")");
  return `${lines.join("\n")}\n`;
}
