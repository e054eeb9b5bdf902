/**
 * The book's c-fibers: main spawns two threads that count, print and yield
 * to each other round robin. The JavaScript version is `fibers.ts`; the
 * machine-thread version, `machine-fibers.ts`, runs the same transcript as
 * thread programs on real stacks. This prints both, one after the other.
 */
import { type Backend, loadBackend } from "@greenthreads/switch";
import { fibers } from "./fibers.js";
import { machineFibers } from "./machine-fibers.js";

/** Prints the transcript of the JavaScript fibers, then of the machine fibers. */
export function cFibers(print: (line: string) => void, backend: Backend = loadBackend()): void {
  print("JavaScript threads:");
  fibers((line) => print(`  ${line}`));
  print("");
  print(`machine threads (${backend.kind}, ${backend.abi.name}):`);
  machineFibers((line) => print(`  ${line}`), backend);
}
