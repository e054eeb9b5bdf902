/**
 * Assembly of an instruction list at a base address: two passes, because every
 * encoding's size is independent of label addresses (branches always use their
 * long form), so the first pass places labels and the second encodes.
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
  const placed: { address: bigint; size: number; instruction: I }[] = [];
  let address = base;
  for (const item of items) {
    if (item.op === "label") {
      const name = (item as LabelItem).name;
      if (labels.has(name)) {
        throw new IsaError("DUPLICATE_LABEL", `label "${name}" is defined twice; rename one`);
      }
      labels.set(name, address);
      continue;
    }
    const instruction = item as I;
    const size = arch.sizeOf(instruction);
    placed.push({ address, size, instruction });
    address += BigInt(size);
  }
  const bytes = new Uint8Array(Number(address - base));
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
  for (const p of placed) {
    const encoded = arch.encode(p.instruction, p.address, resolve);
    if (encoded.length !== p.size) {
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `${arch.name}: ${p.instruction.op} encoded to ${encoded.length} bytes but sizeOf said ${p.size}`,
      );
    }
    bytes.set(encoded, Number(p.address - base));
  }
  return {
    arch: arch.name,
    base,
    bytes,
    instructions: placed as readonly PlacedInstruction<I>[],
    labels,
  };
}
