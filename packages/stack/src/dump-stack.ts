/**
 * A readable dump of a stack, word by word.
 *
 * When a thread crashes, or before it first runs, the quickest way to see
 * whether its stack is right is to print it: every 8-byte word from the top
 * down, with what it is. A raw hex dump leaves the reader to work out that
 * `0x1210` is the exit routine and that the thousand `0xa5a5…` words below
 * are paint, so {@link dumpStack} names words from three sources:
 *
 * - annotations: words someone wrote on purpose, e.g. the entries of an
 *   initial frame ("return address of the entry: exit routine") or the
 *   registers a switch pushed ("saved register rbx");
 * - symbols: a word in use that equals a known code address is read as a
 *   return address into that routine;
 * - the stack pointer and the paint pattern: words below `sp` are free
 *   ("unused", or "unused (stale return address into …)" when they still
 *   point into code, a hint of where the thread has just been), and words
 *   still holding the pattern were never written ("painted").
 *
 * {@link formatStackDump} turns the rows into aligned text, collapsing long
 * runs of painted or unused words into one line, so a 64 KiB stack with a
 * small frame prints in a handful of lines:
 *
 * ```
 *   0x0000000000120ff8  0x0000000000001210  return address into gt_exit_x86_64_sysv  <- sp
 *   0x0000000000120ff0  …                   511 painted words, down to 0x0000000000120000
 * ```
 *
 * @module
 */
import { StackError } from "./errors.js";
import { formatAddress } from "./format-address.js";
import { STACK_PAINT_PATTERN } from "./paint.js";
import type { Stack } from "./stack.js";

/**
 * How a dumped word was classified.
 *
 * - `annotated`: an annotation names it;
 * - `return-address`: in use and equal to a known symbol's address;
 * - `data`: in use, otherwise unknown;
 * - `painted`: still holds the paint pattern (in use or not);
 * - `unused`: below the stack pointer and not the pattern (free, stale).
 *
 * @example
 * ```ts
 * import type { StackWordKind } from "@greenthreads/stack";
 * const k: StackWordKind = "painted";
 * ```
 */
export type StackWordKind = "annotated" | "return-address" | "data" | "painted" | "unused";

/**
 * One word of a stack dump.
 *
 * @example
 * ```ts
 * import type { StackDumpRow } from "@greenthreads/stack";
 * const row: StackDumpRow = {
 *   address: 0x20ff8n, word: 0x1210n, what: "return address into gt_exit_x86_64_sysv",
 *   kind: "return-address", atSp: true,
 * };
 * ```
 */
export interface StackDumpRow {
  /** Address of the word (a multiple of 8). */
  readonly address: bigint;
  /** The word's value, unsigned. */
  readonly word: bigint;
  /** What the word is, in words ("" for unknown data). */
  readonly what: string;
  /** The classification behind `what`. */
  readonly kind: StackWordKind;
  /** Whether the stack pointer points at this word. */
  readonly atSp: boolean;
}

/**
 * A note on one stack word, e.g. an entry of
 * {@link @greenthreads/isa!routines.InitialFrame}'s `stack`. When `value` is given the
 * note applies only while the word still holds it.
 *
 * @example
 * ```ts
 * import type { StackAnnotation } from "@greenthreads/stack";
 * const a: StackAnnotation = { address: 0x20ff0n, what: "saved register rbx" };
 * ```
 */
export interface StackAnnotation {
  readonly address: bigint;
  readonly value?: bigint;
  readonly what: string;
}

/**
 * What {@link dumpStack} needs besides the stack.
 *
 * @example
 * ```ts
 * import type { DumpStackOptions } from "@greenthreads/stack";
 * const options: DumpStackOptions = {
 *   sp: 0x20ff8n,
 *   symbols: new Map([[0x1210n, "gt_exit_x86_64_sysv"]]),
 * };
 * ```
 */
export interface DumpStackOptions {
  /** The thread's stack pointer: words at or above it are in use. Within `[low - guardSize, high]`. */
  readonly sp: bigint;
  /** Names of code addresses: a map of exact addresses, or a lookup function. */
  readonly symbols?: ReadonlyMap<bigint, string> | ((address: bigint) => string | undefined);
  /** Notes on particular words (e.g. an initial frame's `stack`). */
  readonly annotations?: readonly StackAnnotation[];
  /** The paint pattern to recognise; default {@link STACK_PAINT_PATTERN}. */
  readonly pattern?: bigint;
  /** Lowest address to dump (multiple of 8, within the stack); default `stack.low`. */
  readonly from?: bigint;
  /** One past the highest address to dump (multiple of 8, within the stack); default `stack.high`. */
  readonly to?: bigint;
}

/**
 * The words of `stack` in `[from, to)`, highest address first, each with
 * what it is (see {@link StackWordKind}). Reads through `stack.memory.peek`,
 * so it works whatever the page permissions. Throws a {@link StackError}
 * `BAD_ADDRESS` when `sp`, `from` or `to` lie outside the stack or are
 * misaligned.
 *
 * @example
 * ```ts
 * import { getAbi, memory } from "@greenthreads/isa";
 * import {
 *   EmulatedStackAllocator, dumpStack, formatStackDump, paint, writeInitialFrame,
 * } from "@greenthreads/stack";
 * const mem = new memory.Memory();
 * mem.map(0x10000n, 4096, "rw");
 * const stack = new EmulatedStackAllocator({ memory: mem, base: 0x100000n, limit: 0x200000n }).allocate(4096);
 * paint(stack);
 * const frame = writeInitialFrame(stack, getAbi("x86_64-sysv"), mem, 0x10000n, {
 *   entry: 0x1000n, argument: 7n, onExit: 0x1100n, start: 0x1200n, exit: 0x1210n,
 * });
 * const rows = dumpStack(stack, {
 *   sp: frame.sp,
 *   symbols: new Map([[0x1210n, "gt_exit_x86_64_sysv"]]),
 * });
 * console.log(formatStackDump(rows).join("\n"));
 * // 0x0000000000101ff8  0x0000000000001210  return address into gt_exit_x86_64_sysv  <- sp
 * // 0x0000000000101ff0  …                   511 painted words, down to 0x0000000000101000
 * ```
 */
export function dumpStack(stack: Stack, options: DumpStackOptions): StackDumpRow[] {
  const { sp } = options;
  const from = options.from ?? stack.low;
  const to = options.to ?? stack.high;
  const pattern = options.pattern ?? STACK_PAINT_PATTERN;
  const where = `dumpStack(stack ${formatAddress(stack.low)}..${formatAddress(stack.high)})`;
  if (typeof sp !== "bigint" || sp > stack.high || sp < stack.low - BigInt(stack.guardSize)) {
    throw new StackError(
      "BAD_ADDRESS",
      `${where}: sp ${typeof sp === "bigint" ? formatAddress(sp) : String(sp)} is not in this stack ` +
        "or its guard; pass the stack pointer of the thread that runs on this stack",
    );
  }
  if (
    typeof from !== "bigint" ||
    typeof to !== "bigint" ||
    from % 8n !== 0n ||
    to % 8n !== 0n ||
    from < stack.low ||
    to > stack.high ||
    from > to
  ) {
    throw new StackError(
      "BAD_ADDRESS",
      `${where}: the range ${String(from)}..${String(to)} must be multiples of 8 with ` +
        "low <= from <= to <= high",
    );
  }
  const lookup = symbolLookup(options.symbols);
  const notes = new Map<bigint, StackAnnotation>();
  for (const a of options.annotations ?? []) notes.set(a.address, a);
  const length = Number(to - from);
  const bytes = length === 0 ? new Uint8Array(0) : stack.memory.peek(from, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: StackDumpRow[] = [];
  for (let offset = length - 8; offset >= 0; offset -= 8) {
    const address = from + BigInt(offset);
    const word = view.getBigUint64(offset, true);
    rows.push({ address, word, atSp: address === sp, ...classify(address, word) });
  }
  return rows;

  function classify(address: bigint, word: bigint): { what: string; kind: StackWordKind } {
    const inUse = address >= sp;
    const note = notes.get(address);
    if (inUse && note && (note.value === undefined || note.value === word)) {
      const symbol = lookup(word);
      return { what: symbol ? `${note.what} (${symbol})` : note.what, kind: "annotated" };
    }
    if (word === pattern) return { what: "painted", kind: "painted" };
    const symbol = lookup(word);
    if (!inUse) {
      // A stale return address below sp tells where the thread was recently.
      return {
        what: symbol ? `unused (stale return address into ${symbol})` : "unused",
        kind: "unused",
      };
    }
    if (symbol) return { what: `return address into ${symbol}`, kind: "return-address" };
    return { what: "", kind: "data" };
  }
}

/**
 * Options of {@link formatStackDump}.
 *
 * @example
 * ```ts
 * import type { FormatStackDumpOptions } from "@greenthreads/stack";
 * const options: FormatStackDumpOptions = { collapseAt: 8 };
 * ```
 */
export interface FormatStackDumpOptions {
  /** Runs of at least this many painted (or unused) words print as one line; default 3. */
  readonly collapseAt?: number;
}

/**
 * Formats rows of {@link dumpStack} as aligned text lines:
 * address, word, what, and `<- sp` on the stack pointer's word. Runs of
 * `collapseAt` or more painted words (or unused words) become one line such
 * as `… 500 painted words, down to 0x…`; the word at `sp` is never folded
 * into a run.
 *
 * @example
 * ```ts
 * import { formatStackDump } from "@greenthreads/stack";
 * const lines = formatStackDump([
 *   { address: 0x20ff8n, word: 0x1210n, what: "return address into gt_exit_x86_64_sysv", kind: "return-address", atSp: true },
 * ]);
 * console.log(lines[0]);
 * // 0x0000000000020ff8  0x0000000000001210  return address into gt_exit_x86_64_sysv  <- sp
 * ```
 */
export function formatStackDump(
  rows: readonly StackDumpRow[],
  options: FormatStackDumpOptions = {},
): string[] {
  const collapseAt = Math.max(2, options.collapseAt ?? 3);
  const lines: string[] = [];
  const blank = "…".padEnd(18);
  let i = 0;
  while (i < rows.length) {
    const row = rows[i]!;
    // Only plain painted/unused words fold: a stale return address keeps its line.
    const foldable = (r: StackDumpRow) =>
      (r.kind === "painted" || r.kind === "unused") && r.what === r.kind && !r.atSp;
    let end = i;
    if (foldable(row)) {
      while (end + 1 < rows.length && rows[end + 1]!.kind === row.kind && foldable(rows[end + 1]!))
        end++;
    }
    const run = end - i + 1;
    if (run >= collapseAt) {
      const last = rows[end]!;
      lines.push(
        `${formatAddress(row.address)}  ${blank}  ${run} ${row.kind} words, down to ${formatAddress(last.address)}`,
      );
      i = end + 1;
      continue;
    }
    const text = `${formatAddress(row.address)}  ${formatAddress(row.word)}  ${row.what}`.trimEnd();
    lines.push(row.atSp ? `${text}  <- sp` : text);
    i++;
  }
  return lines;
}

function symbolLookup(
  symbols: DumpStackOptions["symbols"],
): (address: bigint) => string | undefined {
  if (!symbols) return () => undefined;
  if (typeof symbols === "function") return symbols;
  return (address) => symbols.get(address);
}
