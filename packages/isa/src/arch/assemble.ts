/**
 * Assembly of an instruction list at a base address: two passes, because every
 * encoding's size is independent of label addresses (branches always use their
 * long form), so the first pass places labels (and encodes what names no
 * label) and the second encodes the instructions that name labels.
 *
 * Memory matters here: a program of a million instructions selects to tens of
 * millions of machine instructions, so assembly keeps nothing per item
 * besides the code and the few that name labels, encodes most instructions
 * once, and makes the placed-instruction list only when an interpreter asks
 * for it.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Arch, AssembledCode, Instruction, LabelItem, PlacedInstruction } from "./arch.js";

/**
 * Places and encodes `items` at `base` for `arch`.
 *
 * Throws an {@link IsaError} `DUPLICATE_LABEL` or `UNDEFINED_LABEL` naming
 * the label, or the encoder's own error for an operand out of range.
 *
 * @example
 * ```ts
 * import { assemble, aarch64 } from "@greenthreads/isa";
 * const code = assemble(aarch64, aarch64.select([{ op: "li", dst: "x0", imm: 5n }]), 0x4000n);
 * console.log(code.bytes.length); // 4
 * ```
 */
export function assemble<I extends Instruction>(
  arch: Arch<I>,
  items: readonly (I | LabelItem)[],
  base: bigint,
): AssembledCode<I> {
  const labels = new Map<string, bigint>();
  // Pass 1 encodes every instruction where it lands, with each label it names
  // standing in at 4 bytes before the instruction (in reach of every branch
  // form, and before every table entry): the size is what counts, and the
  // bytes are final for every instruction that names no label. Offsets from
  // the base are plain numbers (code is far smaller than 2^53 bytes).
  let bytes = new Uint8Array(1024);
  let offset = 0;
  let named = false;
  let here = base;
  const probe = (): bigint => {
    named = true;
    return here - 4n;
  };
  // Items to encode again once every label is placed, and their offsets.
  // Each item's size, one byte (0 for labels and for data of 256 bytes or more, sized again when needed).
  const sizes = new Uint8Array(items.length);
  let again = new Int32Array(256);
  let againAt = new Float64Array(256);
  let agains = 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.op === "label") {
      const name = (item as LabelItem).name;
      if (labels.has(name)) {
        throw new IsaError("DUPLICATE_LABEL", `label "${name}" is defined twice; rename one`);
      }
      labels.set(name, base + BigInt(offset));
      continue;
    }
    named = false;
    here = base + BigInt(offset);
    const encoded = arch.encode(item as I, here, probe);
    if (offset + encoded.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, offset + encoded.length));
      grown.set(bytes);
      bytes = grown;
    }
    bytes.set(encoded, offset);
    if (encoded.length < 256) sizes[k] = encoded.length;
    if (named) {
      if (agains === again.length) {
        again = grow(again, new Int32Array(agains * 2));
        againAt = grow(againAt, new Float64Array(agains * 2));
      }
      again[agains] = k;
      againAt[agains++] = offset;
    }
    offset += encoded.length;
  }
  bytes = bytes.slice(0, offset);
  const resolve = (name: string): bigint => {
    const at = labels.get(name);
    if (at === undefined) {
      throw new IsaError(
        "UNDEFINED_LABEL",
        `label "${name}" is used but never defined; define it or fix the name`,
      );
    }
    return at;
  };
  // Pass 2: the instructions that name labels, now that every label is placed.
  for (let j = 0; j < agains; j++) {
    const k = again[j]!;
    const instruction = items[k] as I;
    const at = againAt[j]!;
    const size = sizes[k] || arch.sizeOf(instruction);
    const encoded = arch.encode(instruction, base + BigInt(at), resolve);
    if (encoded.length !== size) {
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `${arch.name}: ${instruction.op} encoded to ${encoded.length} bytes once its labels were placed, but to ${size} before: an encoding's size must not depend on label addresses`,
      );
    }
    bytes.set(encoded, at);
  }
  return {
    arch: arch.name,
    base,
    bytes,
    // Made when asked for (by an interpreter's load), not kept: an object
    // per instruction that native placement never needs.
    get instructions(): readonly PlacedInstruction<I>[] {
      const placed: PlacedInstruction<I>[] = [];
      let at = 0;
      for (let k = 0; k < items.length; k++) {
        const item = items[k]!;
        if (item.op === "label") continue;
        const size = sizes[k] || arch.sizeOf(item as I);
        placed.push({ address: base + BigInt(at), size, instruction: item as I });
        at += size;
      }
      return placed;
    },
    labels,
  };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
