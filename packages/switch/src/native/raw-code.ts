/**
 * Running raw machine code as a thread: for testing the addon's fault
 * handler only, and deliberately not exported from the package.
 *
 * A thread program cannot touch a guard page (its lowered code checks every
 * access), so proving that the fault handler works needs code that does: a
 * few hand-written instructions that push until they fall off the stack.
 *
 * @module
 */
import { parseProgram } from "@greenthreads/isa";
import type { LoadedProgram } from "../backend.js";
import { NativeBackend } from "./native-backend.js";

/** A native backend that can also load raw, position-independent machine code. */
export class RawCodeBackend extends NativeBackend {
  /** Loads `bytes` as code whose entry is its first byte (the control block's address arrives in the first argument register). */
  loadRaw(bytes: Uint8Array): LoadedProgram {
    return this.adopt(this.placeCode(parseProgram("exit 0"), false, bytes, new Map(), 0n));
  }
}
