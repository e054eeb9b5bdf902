/**
 * A stack as a picture: the rows of {@link dumpStack} drawn as an SVG column
 * of words, highest address at the top, the way stacks are drawn in books.
 *
 * Text dumps are exact but a reader has to build the picture in their head:
 * where the frame ends, how much is free, how close the stack pointer is to
 * the guard. The picture shows that at a glance:
 *
 * ```
 *   address            word                 what
 *   0x…1ff8  ┌──────────────────────┐
 *            │ 0x…1210              │  return address into gt_exit…   ◄── sp
 *   0x…1ff0  ├──────────────────────┤
 *            │ 511 painted words    │  (one folded band)
 *   0x…1000  ╞══════════════════════╡
 *            │ ╱╱╱ guard 4096 B ╱╱╱ │  no access: an overflow faults here
 *            └──────────────────────┘
 * ```
 *
 * Each word gets a box coloured by its {@link StackWordKind}; runs of painted
 * or unused words fold into one band, as {@link formatStackDump} folds them
 * into one line, so a 64 KiB stack with a small frame stays a small picture.
 * The renderer writes SVG text directly: the picture is a few dozen
 * rectangles and labels, and a package that runs in browsers and in the
 * native addon's tests should not carry a drawing library for that.
 *
 * @module
 */

import type { StackDumpRow, StackWordKind } from "./dump-stack.js";
import { formatAddress } from "./format-address.js";

/**
 * Options of {@link renderStackSvg}.
 *
 * @example
 * ```ts
 * import type { StackPictureOptions } from "@greenthreads/stack";
 * const options: StackPictureOptions = { title: "thread 1 at its third yield", guardSize: 4096 };
 * ```
 */
export interface StackPictureOptions {
  /** A line above the picture. */
  readonly title?: string;
  /** Bytes of guard region to draw below the lowest row; 0 or absent draws none. */
  readonly guardSize?: number;
  /** Runs of at least this many painted (or unused) words are drawn as one band; default 3. */
  readonly collapseAt?: number;
  /** Rows to mark as the failing word, e.g. the address a fault reported. */
  readonly highlight?: bigint;
}

/** Fill colours of the word kinds: warm for what the thread wrote, grey for free words. */
const FILL: Record<StackWordKind, string> = {
  annotated: "#ffe2a8",
  "return-address": "#ffc6a8",
  data: "#d7e9ff",
  painted: "#f1f1f1",
  unused: "#e4e4e4",
};

const ROW = 26;
const X_ADDRESS = 12;
const X_BOX = 214;
const X_SP = 168;
const BOX_WIDTH = 190;
const X_WHAT = X_BOX + BOX_WIDTH + 14;
const WIDTH = 920;

/** One box of the picture: a word, or a folded run of words. */
interface Band {
  readonly top: bigint;
  readonly bottom: bigint;
  readonly label: string;
  readonly what: string;
  readonly kind: StackWordKind;
  readonly atSp: boolean;
  readonly highlighted: boolean;
}

/**
 * Draws rows of {@link dumpStack} (highest address first) as an SVG picture:
 * one box per word with its address and value, what it is beside it, runs of
 * painted or unused words folded into one band, an arrow at the stack
 * pointer, and the guard region hatched below the lowest word. Returns the
 * SVG document as a string.
 *
 * @example
 * ```ts
 * import { renderStackSvg } from "@greenthreads/stack";
 * const svg = renderStackSvg(
 *   [
 *     { address: 0x20ff8n, word: 0x1210n, what: "return address into gt_exit", kind: "return-address", atSp: true },
 *     { address: 0x20ff0n, word: 0xa5a5a5a5a5a5a5a5n, what: "painted", kind: "painted", atSp: false },
 *   ],
 *   { title: "a new thread", guardSize: 4096 },
 * );
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export function renderStackSvg(
  rows: readonly StackDumpRow[],
  options: StackPictureOptions = {},
): string {
  const bands = fold(rows, Math.max(2, options.collapseAt ?? 3), options.highlight);
  const top = options.title ? 40 : 14;
  const guardHeight = options.guardSize ? ROW * 1.6 : 0;
  const height = top + ROW + bands.length * ROW + guardHeight + 24;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="13">`,
    "<defs>",
    '<pattern id="guard" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '<rect width="8" height="8" fill="#fbe4e4"/><line x1="0" y1="0" x2="0" y2="8" stroke="#d45b5b" stroke-width="3"/>',
    "</pattern>",
    "</defs>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  );
  if (options.title) {
    out.push(
      `<text x="${X_ADDRESS}" y="24" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
    );
  }
  const header = top + 14;
  out.push(
    `<text x="${X_ADDRESS}" y="${header}" fill="#666">address</text>`,
    `<text x="${X_BOX + 8}" y="${header}" fill="#666">word</text>`,
    `<text x="${X_WHAT}" y="${header}" fill="#666">what</text>`,
  );
  let y = top + ROW;
  for (const band of bands) {
    const stroke = band.highlighted ? ' stroke="#c00000" stroke-width="2.5"' : ' stroke="#555"';
    out.push(
      `<text x="${X_ADDRESS}" y="${y + 17}">${formatAddress(band.top)}</text>`,
      `<rect x="${X_BOX}" y="${y}" width="${BOX_WIDTH}" height="${ROW}" fill="${FILL[band.kind]}"${stroke}/>`,
      `<text x="${X_BOX + 8}" y="${y + 17}">${escapeXml(band.label)}</text>`,
      `<text x="${X_WHAT}" y="${y + 17}">${escapeXml(band.what)}</text>`,
    );
    if (band.atSp) {
      // An arrow between the address and the box, pointing at the word sp holds.
      out.push(
        `<text x="${X_SP}" y="${y + 17}" fill="#1a5fb4" font-weight="bold">sp</text>`,
        `<path d="M ${X_SP + 20} ${y + 13} h 14 m -5 -4 l 5 4 l -5 4" fill="none" stroke="#1a5fb4" stroke-width="2"/>`,
      );
    }
    y += ROW;
  }
  if (options.guardSize) {
    const lowest = bands.length > 0 ? bands[bands.length - 1]!.bottom : 0n;
    out.push(
      `<text x="${X_ADDRESS}" y="${y + 17}" fill="#666">below ${formatAddress(lowest)}</text>`,
      `<rect x="${X_BOX}" y="${y}" width="${BOX_WIDTH}" height="${guardHeight}" fill="url(#guard)" stroke="#555"/>`,
      `<text x="${X_WHAT}" y="${y + 17}">guard, ${options.guardSize} bytes: no access, an overflow faults here</text>`,
    );
    y += guardHeight;
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Folds runs of plain painted or unused words into bands, as formatStackDump folds lines. */
function fold(
  rows: readonly StackDumpRow[],
  collapseAt: number,
  highlight: bigint | undefined,
): Band[] {
  const foldable = (r: StackDumpRow) =>
    (r.kind === "painted" || r.kind === "unused") &&
    r.what === r.kind &&
    !r.atSp &&
    r.address !== highlight;
  const bands: Band[] = [];
  let i = 0;
  while (i < rows.length) {
    const row = rows[i]!;
    let end = i;
    if (foldable(row)) {
      while (end + 1 < rows.length && rows[end + 1]!.kind === row.kind && foldable(rows[end + 1]!))
        end++;
    }
    const run = end - i + 1;
    if (run >= collapseAt) {
      bands.push({
        top: row.address,
        bottom: rows[end]!.address,
        label: `${run} ${row.kind} words`,
        what: `down to ${formatAddress(rows[end]!.address)}`,
        kind: row.kind,
        atSp: false,
        highlighted: false,
      });
      i = end + 1;
      continue;
    }
    bands.push({
      top: row.address,
      bottom: row.address,
      label: formatAddress(row.word),
      what: row.what,
      kind: row.kind,
      atSp: row.atSp,
      highlighted: row.address === highlight,
    });
    i++;
  }
  return bands;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
