/**
 * The thread-control-block protocol: how a host starts a machine thread,
 * resumes it with a value, refills its fuel and reads back why it trapped.
 *
 * What it is for: every backend that runs thread programs (the native addon,
 * the WebAssembly backend, the interpreted host here) writes and reads the
 * same control block, so the layout (`TCB`, `TRAP_KIND`), the resume slots
 * and the host side of a run (`ThreadControl`) live in one place.
 * `InterpretedHost` is the protocol run on an interpreter over emulated
 * memory, for any ABI. Used by `@greenthreads/switch`; an application needs
 * it only to write a backend of its own. The traps themselves ({@link Trap})
 * are on the package face.
 *
 * @example
 * ```ts
 * import { parseProgram, protocol } from "@greenthreads/isa";
 * const slots = protocol.resumeSlots(parseProgram("yield 1 -> r2\nexit r2"));
 * console.log(protocol.TCB.fuel, slots[0]); // 32 13
 * ```
 *
 * @module
 */
export {
  INTERPRETED_LAYOUT,
  InterpretedHost,
  type InterpretedProgram,
  type InterpretedThread,
} from "./interpreted-host.js";
export { resumeValueOffset, TCB, TRAP_KIND } from "./thread-control-block.js";
export {
  type ControlBlockSetup,
  resumeSlots,
  ThreadControl,
  threadStackLimit,
} from "./thread-protocol.js";
