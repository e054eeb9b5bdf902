/**
 * The listing part of every formatter: labels on lines of their own,
 * instructions indented, one per line. Each instruction set supplies only
 * how one instruction reads, and whether exported labels are hidden.
 *
 * @module
 */
import type { Instruction, LabelItem } from "./arch.js";

/**
 * GNU assembler text for a list of instructions and labels. An instruction
 * whose text spans several lines (a pair with a local anchor label) keeps its
 * `label:` lines unindented. With `hideGlobals`, a global label is also
 * `.hidden`: still global to the objects of one link, but not preemptible, so
 * PC-relative references to it link into a shared object.
 *
 * @example
 * ```ts
 * import { formatListing } from "./format-listing.js";
 * const text = formatListing([{ op: "label", name: "f", global: true }, { op: "nop" }], () => "nop", {
 *   hideGlobals: true,
 * });
 * console.log(text); // ".globl f\n.hidden f\nf:\n  nop\n"
 * ```
 */
export function formatListing<I extends Instruction>(
  items: readonly (I | LabelItem)[],
  formatInstruction: (instruction: I) => string,
  options: { readonly hideGlobals: boolean },
): string {
  let out = "";
  for (const item of items) {
    if (item.op === "label") {
      const label = item as LabelItem;
      if (label.global) {
        out += `.globl ${label.name}\n`;
        if (options.hideGlobals) out += `.hidden ${label.name}\n`;
      }
      out += `${label.name}:\n`;
      continue;
    }
    for (const line of formatInstruction(item as I).split("\n")) {
      out += line.endsWith(":") ? `${line}\n` : `  ${line}\n`;
    }
  }
  return out;
}
