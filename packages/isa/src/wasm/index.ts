/**
 * WebAssembly: a thread program lowered to a module, encoded to bytes, and
 * the little of the host's WebAssembly API that instantiating it needs.
 *
 * What it is for: the WebAssembly backend of `@greenthreads/switch` (the
 * fast portable fallback, and the one that runs in a browser) instantiates
 * what `lowerProgramToWasm` makes; the module's thread block and interface
 * (`WASM_THREAD_BLOCK`, `WASM_INTERFACE`) are the control-block protocol
 * of {@link protocol} in linear memory. `formatWat` prints a module as text
 * for reading and for golden files. An application needs this namespace
 * only to run thread programs on WebAssembly without the switch package.
 *
 * @example
 * ```ts
 * import { parseProgram, wasm } from "@greenthreads/isa";
 * const module = wasm.lowerProgramToWasm(parseProgram("yield 7\nexit 0"));
 * const bytes = wasm.encodeWasmModule(module);
 * console.log(bytes[0], bytes[1], bytes[2], bytes[3]); // 0 97 115 109 ("\0asm")
 * ```
 *
 * @module
 */
export { formatWat } from "./format-wat.js";
export {
  lowerProgramToWasm,
  WASM_MAX_BR_TABLE,
  type WasmLowerOptions,
} from "./lower-to-wasm.js";
export {
  encodeWasmModule,
  WASM_OPCODES,
  type WasmFunction,
  type WasmInstruction,
  type WasmModule,
  type WasmPlainOp,
  type WasmValueType,
} from "./wasm-encoding.js";
export { WASM_INTERFACE, WASM_THREAD_BLOCK } from "./wasm-thread-layout.js";
export {
  type WasmInstanceObject,
  type WasmJsApi,
  type WasmMemoryObject,
  webAssembly,
} from "./webassembly-api.js";
