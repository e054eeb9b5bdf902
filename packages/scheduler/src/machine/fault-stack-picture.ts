/**
 * The stack of a machine thread that faulted, as text and as a picture.
 *
 * "stack-overflow at instruction 0 (line 2)" says what went wrong; the
 * stack says how the thread got there: how deep it was, what it pushed last,
 * how close it came to the guard. The fault's error carries a copy of the
 * stack taken before the thread gave its stack back (stack-snapshot.ts);
 * this turns that copy into the dump of `@greenthreads/stack` (`dumpStack`,
 * `formatStackDump`) and its picture (`renderStackSvg`), with the word at
 * the stack pointer, the last one written, highlighted and the guard region
 * drawn below the stack's lowest word.
 */
import {
  dumpStack,
  formatAddress,
  formatStackDump,
  renderStackSvg,
  type StackDumpRow,
} from "@greenthreads/stack";
import { SchedulerError } from "../index.js";
import { MachineFaultError } from "./machine-fault-error.js";

/**
 * Options of {@link faultStackPicture}.
 *
 * @example
 * ```ts
 * import type { FaultStackPictureOptions } from "@greenthreads/scheduler/machine";
 * const options: FaultStackPictureOptions = { words: 8, title: "the overflow" };
 * ```
 */
export interface FaultStackPictureOptions {
  /** Words shown from the stack pointer up (the rest of the stack is summarised); default 16. */
  readonly words?: number;
  /** The picture's title; default the fault's message. */
  readonly title?: string;
}

/**
 * What {@link faultStackPicture} draws.
 *
 * @example
 * ```ts
 * import type { FaultStackPicture } from "@greenthreads/scheduler/machine";
 * const show = (p: FaultStackPicture) => console.log(p.text);
 * ```
 */
export interface FaultStackPicture {
  /** The text dump: a heading, a line per word (runs of free words folded), the guard. */
  readonly text: string;
  /** The same as an SVG picture, the highlighted word outlined in red, the guard hatched. */
  readonly svg: string;
  /** The stack pointer when the thread faulted. */
  readonly sp: bigint;
  /** The highlighted word's address (the word at the stack pointer), if the stack was not empty. */
  readonly highlight: bigint | undefined;
  /** The rows drawn, from `dumpStack`. */
  readonly rows: readonly StackDumpRow[];
}

/**
 * The faulted thread's stack, as a text dump and an SVG picture, from the
 * copy the fault's {@link MachineFaultError} carries. Throws a SchedulerError
 * `BAD_ARGUMENT` for anything but a MachineFaultError with a stack copy (a
 * backend that cannot report a stack pointer gives none).
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * import { faultStackPicture, MachineFaultError, spawnMachine } from "@greenthreads/scheduler/machine";
 * const rt = new Runtime();
 * const t = spawnMachine(rt, "loop:\n  push r0\n  jmp loop", { name: "deep", stackSize: 16384 });
 * try { rt.run(); } catch {}
 * const error = t.outcome?.kind === "threw" ? t.outcome.error : undefined;
 * if (error instanceof MachineFaultError) {
 *   const picture = faultStackPicture(error, { words: 4 });
 *   console.log(picture.text.split("\n")[0]); // thread "deep" (#1): machine thread faulted: stack-overflow at instruction 0 (line 2)
 *   console.log(picture.svg.includes("guard")); // true
 * }
 * ```
 */
export function faultStackPicture(
  error: MachineFaultError,
  options: FaultStackPictureOptions = {},
): FaultStackPicture {
  if (!(error instanceof MachineFaultError)) {
    throw new SchedulerError(
      "faultStackPicture(error): error must be the MachineFaultError a faulted machine thread ended with",
      { code: "BAD_ARGUMENT" },
    );
  }
  const snapshot = error.stackAtFault;
  if (snapshot === undefined) {
    throw new SchedulerError(
      "faultStackPicture(error): this fault carries no copy of the stack (its backend could not report the stack pointer)",
      { code: "BAD_ARGUMENT" },
    );
  }
  const words = options.words ?? 16;
  if (!Number.isInteger(words) || words < 1) {
    throw new SchedulerError(
      `faultStackPicture(): words must be an integer >= 1, got ${String(words)}`,
      { code: "BAD_ARGUMENT" },
    );
  }
  const { stack, sp, symbols } = snapshot;
  // From the stack pointer up (bigints: Math.max does not take them).
  let to = sp + BigInt(words) * 8n;
  if (sp < stack.low) to = stack.low + BigInt(words) * 8n;
  if (to > stack.high) to = stack.high;
  const rows = dumpStack(stack, { sp, symbols, to });
  const highlight = sp >= stack.low && sp < stack.high ? sp : undefined;
  const above = Number(stack.high - to) / 8;
  const guard = stack.guardSize;
  const lines = [
    error.message,
    `stack ${formatAddress(stack.low)}..${formatAddress(stack.high)} (${stack.size} bytes), sp ${formatAddress(sp)}: ${Number(stack.high - sp) / 8} words in use`,
  ];
  if (above > 0) lines.push(`… ${above} more words above, up to ${formatAddress(stack.high)}`);
  for (const line of formatStackDump(rows, { collapseAt: 4 })) {
    lines.push(line.replace("<- sp", "<- sp: the last word written"));
  }
  if (guard > 0) {
    lines.push(
      `${formatAddress(stack.low - BigInt(guard))}  guard, ${guard} bytes below ${formatAddress(stack.low)}: no access`,
    );
  }
  const svg = renderStackSvg(rows, {
    title: options.title ?? error.message,
    guardSize: guard,
    collapseAt: 4,
    ...(highlight === undefined ? {} : { highlight }),
  });
  return { text: lines.join("\n"), svg, sp, highlight, rows };
}
