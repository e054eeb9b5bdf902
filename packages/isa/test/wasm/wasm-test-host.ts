/**
 * A small host for lowered WebAssembly modules, for the isa's tests: one
 * memory, one thread block and one stack, and a resume loop that answers
 * traps the way the lowering differential tests do.
 */
import type { Program } from "../../src/language/program.js";
import { stackCapacityWords } from "../../src/lowering/stack-capacity.js";
import {
  decodeTrap,
  resumeValueOffset,
  TCB,
  TRAP_KIND,
} from "../../src/protocol/thread-control-block.js";
import type { Trap } from "../../src/protocol/trap.js";
import { lowerProgramToWasm } from "../../src/wasm/lower-to-wasm.js";
import { encodeWasmModule } from "../../src/wasm/wasm-encoding.js";
import { WASM_INTERFACE, WASM_THREAD_BLOCK } from "../../src/wasm/wasm-thread-layout.js";
import { type WasmMemoryObject, webAssembly } from "../../src/wasm/webassembly-api.js";

const api = webAssembly()!;
const BLOCK = WASM_INTERFACE.firstAddress;
const STACK_LOW = BLOCK + WASM_INTERFACE.pageSize;

/** The host's answer to a trap: deterministic, and different per trap. */
export function answer(trap: Trap): bigint | undefined {
  if (trap.kind === "hostcall") {
    return trap.args.reduce((a, b) => a * 3n + b, BigInt(trap.name.length)) & 0xffff_ffff_ffffn;
  }
  if (trap.kind === "yield") return trap.value * 2n + 1n;
  return undefined;
}

export interface CompiledProgram {
  readonly program: Program;
  readonly bytes: Uint8Array;
  readonly resume: (block: number) => number;
}

export class WasmTestHost {
  readonly memory: WasmMemoryObject;

  constructor(maxStackSize = 1 << 20) {
    const pages = Math.ceil((STACK_LOW + maxStackSize) / WASM_INTERFACE.pageSize);
    this.memory = new api.Memory({ initial: pages });
  }

  /** `chunkSize`: instructions per function (several functions for a longer program). */
  compile(program: Program, fuel: boolean, chunkSize?: number): CompiledProgram {
    const bytes = encodeWasmModule(
      lowerProgramToWasm(program, chunkSize === undefined ? { fuel } : { fuel, chunkSize }),
    );
    const instance = new api.Instance(new api.Module(bytes), {
      [WASM_INTERFACE.module]: { [WASM_INTERFACE.memory]: this.memory },
    });
    return { program, bytes, resume: instance.exports.resume as (block: number) => number };
  }

  /** Runs a fresh thread of `compiled` until exit, fault or `maxTraps` traps. */
  run(
    compiled: CompiledProgram,
    options: { stackSize: number; budget?: bigint; maxTraps: number },
  ): Trap[] {
    const view = new DataView(this.memory.buffer);
    const read = (offset: number): bigint => view.getBigUint64(BLOCK + offset, true);
    const write = (offset: number, value: bigint): void =>
      view.setBigUint64(BLOCK + offset, BigInt.asUintN(64, value), true);
    new Uint8Array(this.memory.buffer, BLOCK, WASM_THREAD_BLOCK.size).fill(0);
    const high = STACK_LOW + options.stackSize;
    const limit = high - 8 * stackCapacityWords(options.stackSize);
    write(TCB.fuel, options.budget ?? (1n << 64n) - 1n);
    write(TCB.stackLimit, BigInt(limit));
    write(TCB.stackHigh, BigInt(high));
    view.setUint32(BLOCK + WASM_THREAD_BLOCK.stackPointer, high, true);
    const traps: Trap[] = [];
    let value: bigint | undefined;
    while (traps.length < options.maxTraps) {
      const kind = compiled.resume(BLOCK);
      if (BigInt(kind) !== read(TCB.trapKind)) throw new Error("resume returned another kind");
      const trap = decodeTrap(compiled.program, read);
      traps.push(trap);
      if (trap.kind === "exit" || trap.kind === "fault") break;
      value = answer(trap);
      // Only a host call or a yield takes a value (a budget trap may stop at one, before it runs).
      const offset = resumeValueOffset(compiled.program, Number(read(TCB.trapInstruction)));
      if (offset !== undefined && kind !== TRAP_KIND.budget) write(offset, value ?? 0n);
      if (kind === TRAP_KIND.budget) write(TCB.fuel, options.budget!);
    }
    return traps;
  }
}
