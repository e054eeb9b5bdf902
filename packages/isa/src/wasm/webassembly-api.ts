/**
 * The part of the JavaScript WebAssembly API that running lowered thread
 * programs needs, typed here and found on `globalThis` at run time.
 *
 * Why not the DOM typings: the packages compile against ES2022 and Node's
 * types, which declare no `WebAssembly` namespace, and the runtimes that
 * matter (Node, Deno, browsers, workers) all provide the same few
 * constructors. Looking the API up at run time also lets a backend say
 * "no WebAssembly here" instead of failing on a missing global.
 *
 * @module
 */

/**
 * A linear memory: its bytes and how to grow it (by 64 KiB pages).
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { webAssembly } = wasm;
 * const memory = new (webAssembly()!.Memory)({ initial: 1 });
 * console.log(memory.buffer.byteLength); // 65536
 * ```
 */
export interface WasmMemoryObject {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * An instance: its exports by name.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmInstanceObject = wasm.WasmInstanceObject;
 * function resume(i: WasmInstanceObject): (block: number) => number {
 *   return i.exports.resume as (block: number) => number;
 * }
 * ```
 */
export interface WasmInstanceObject {
  readonly exports: Record<string, unknown>;
}

/**
 * The constructors and checks of the `WebAssembly` namespace used here.
 *
 * @example
 * ```ts
 * import type { wasm } from "@greenthreads/isa";
 * type WasmJsApi = wasm.WasmJsApi;
 * function valid(api: WasmJsApi, bytes: Uint8Array): boolean {
 *   return api.validate(bytes);
 * }
 * ```
 */
export interface WasmJsApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => WasmInstanceObject;
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemoryObject;
  readonly RuntimeError: new (...args: never[]) => Error;
  readonly CompileError: new (...args: never[]) => Error;
}

/**
 * The runtime's `WebAssembly` namespace, or `undefined` where there is none
 * (or it lacks a constructor used here).
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { webAssembly } = wasm;
 * console.log(webAssembly() === undefined ? "no WebAssembly" : "WebAssembly");
 * ```
 */
export function webAssembly(): WasmJsApi | undefined {
  const api = (globalThis as { WebAssembly?: Partial<WasmJsApi> }).WebAssembly;
  if (
    api === undefined ||
    typeof api.validate !== "function" ||
    typeof api.Module !== "function" ||
    typeof api.Instance !== "function" ||
    typeof api.Memory !== "function"
  ) {
    return undefined;
  }
  return api as WasmJsApi;
}
