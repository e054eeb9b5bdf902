/**
 * Where a WebAssembly machine thread keeps its state: one linear memory per
 * backend, shared by every loaded program and every thread.
 *
 * Why one memory and not one per thread: a `WebAssembly.Memory` is at least
 * one 64 KiB page, and engines reserve gigabytes of address space behind
 * each one so that bounds checks can be done by guard pages. Ten thousand
 * memories exhaust that reservation; one memory holds a hundred thousand
 * threads, and spawning one is carving a block and a stack out of it (the
 * switch package's bench measures both ways). Isolation does not need
 * separate memories: the lowered code checks every stack access against
 * the bounds in the thread's control block, exactly as the machine
 * lowering does, so a thread cannot reach another thread's words.
 *
 * ```
 *   linear memory (grown in 64 KiB pages as threads are spawned)
 *   0x0000 ┌─────────────────────────────┐
 *          │ page 0: never handed out    │  address 0 is never a block
 *   0x1_0000├────────────────────────────┤
 *          │ thread block  (BLOCK.size)  │◄── resume(block) of the program's instance
 *          │ thread block                │
 *          │ …                           │
 *          ├─────────────────────────────┤
 *          │ stack of a thread           │  [low, high), page multiple
 *          │ stack of a thread           │
 *          │ …  free: reused by size     │
 *          └─────────────────────────────┘
 *
 *   thread block                               word stack of that thread
 *   +0    ┌──────────────────────────────┐     high ┌────────────────────┐ ◄ sp at start
 *         │ thread control block         │          │ word 0 … (oldest)  │
 *         │ (TCB: trap record, fuel,     │          │ …                  │ ▼ push: sp -= 8
 *         │  stack limit, stack high,    │          │ free               │
 *         │  resume pc, r0 … r7)         │   limit ├────────────────────┤ ◄ sp when full
 *   +152  ├──────────────────────────────┤          │ unused             │
 *         │ saved stack pointer (i32)    │     low  └────────────────────┘
 *   +160  └──────────────────────────────┘
 * ```
 *
 * The control block is the machine lowering's, field for field
 * (`thread-control-block.ts`), so the host decodes traps and writes resume
 * values with the same functions for every backend. In WebAssembly the
 * fields hold linear-memory addresses where the machine holds machine
 * addresses: `stack limit` and `stack high` bound the word stack, and
 * `resume pc` is the index of the program instruction to continue at (the
 * dispatch table's index, see `lower-to-wasm.ts`). The host and switch
 * fields (`host context`, `thread context`, `switch routine`) are unused: a
 * resume is a call of the exported function, and a trap is its return. What
 * a machine thread's switch saves in its context is here one word, the
 * stack pointer, kept right after the control block.
 *
 * @module
 */
import { TCB } from "../protocol/thread-control-block.js";

/**
 * Byte offsets in a WebAssembly thread block (see the module comment), its
 * size, and its alignment in linear memory.
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { WASM_THREAD_BLOCK } = wasm;
 * console.log(WASM_THREAD_BLOCK.stackPointer, WASM_THREAD_BLOCK.size); // 152 160
 * ```
 */
export const WASM_THREAD_BLOCK = {
  /** The thread control block, at the block's start. */
  controlBlock: 0,
  /** The word stack's pointer while the thread is stopped (an i32 address). */
  stackPointer: TCB.size,
  size: TCB.size + 8,
  /** Blocks start at multiples of this. */
  alignment: 16,
} as const;

/**
 * How a lowered module meets its host: the memory it imports and the
 * function it exports. `resume(block: i32) -> i32` runs the thread whose
 * block starts at `block` until its next trap, and returns the trap kind
 * (also stored in the control block).
 *
 * @example
 * ```ts
 * import { wasm } from "@greenthreads/isa";
 * const { WASM_INTERFACE } = wasm;
 * const memory = new WebAssembly.Memory({ initial: 2 });
 * const imports = { [WASM_INTERFACE.module]: { [WASM_INTERFACE.memory]: memory } };
 * ```
 */
export const WASM_INTERFACE = {
  module: "greenthreads",
  memory: "memory",
  resume: "resume",
  /** The lowest address a block may have: page 0 stays unused. */
  firstAddress: 0x1_0000,
  pageSize: 0x1_0000,
} as const;
