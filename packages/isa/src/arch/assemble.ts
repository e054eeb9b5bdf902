/**
 * Assembly of an instruction list at a base address, with branch relaxation
 * where the instruction set has it.
 *
 * Every instruction value has a size that does not depend on label
 * addresses, so assembly places the list as given, then checks each
 * instruction that names a label: where the instruction set says the label
 * is out of the instruction's reach ({@link Relaxation}), the instruction
 * takes its next longer form (on AArch64 a `b.cond` becomes the inverted
 * `b.cond` over a `b`; on RISC-V a `jal` becomes `auipc` + `jalr`). That
 * moves the code after it, so the check runs again with the new layout,
 * until no instruction needs a longer form. Forms only grow, so this ends,
 * normally after two or three rounds; code within every short reach (every
 * routine, every small program) is placed once and keeps its short forms.
 *
 * ```
 *   as given:   … b.eq far …                 far beyond ±1 MiB
 *   relaxed:    … b.ne . + 8; b far …        b reaches ±128 MiB
 * ```
 *
 * Memory matters here: a program at the instruction limit selects to
 * millions of machine instructions, so assembly keeps nothing per item
 * besides the code, one byte of size, and, for the items that name labels,
 * their offsets and how often each was lengthened. A lengthened instruction
 * is made again from the given one when it is encoded or listed, not kept;
 * the placed-instruction list is made only when an interpreter asks for it.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { Arch, AssembledCode, Instruction, LabelItem, PlacedInstruction } from "./arch.js";

/**
 * Places and encodes `items` at `base` for `arch`, lengthening branches and
 * address formations whose labels lie beyond their reach (see the module
 * comment).
 *
 * Throws an {@link IsaError} `DUPLICATE_LABEL` or `UNDEFINED_LABEL` naming
 * the label, or the encoder's own error for an operand out of range (a label
 * beyond the reach of an instruction's longest form).
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
  // Items that name labels, to check and encode again once every label is
  // placed, with their offsets as given.
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
  // Item j of the again list: its size as given, and its form lengthened `times` times.
  const given = (j: number): number => sizes[again[j]!] || arch.sizeOf(items[again[j]!] as I);
  const lengthened = (j: number, times: number): I => {
    let instruction = items[again[j]!] as I;
    for (let n = times; n > 0; n--) instruction = arch.relaxation!.lengthen(instruction)!;
    return instruction;
  };
  const relaxed =
    arch.relaxation === undefined
      ? undefined
      : relax(arch, base, labels, resolve, { againAt, agains, given, lengthened });
  // Only how often each was lengthened outlives assembly (for the placed-instruction list).
  const forms = relaxed?.forms;
  const form = (j: number): I => lengthened(j, forms?.[j] ?? 0);
  const current = relaxed?.current;
  // Pass 2: the instructions that name labels, now that every label is placed.
  let code = bytes;
  if (relaxed !== undefined) {
    // Lengthened forms move the code after them: copy the pieces between them over.
    code = new Uint8Array(offset + relaxed.growth);
    let from = 0;
    let to = 0;
    for (let j = 0; j < agains; j++) {
      const at = againAt[j]!;
      code.set(bytes.subarray(from, at), to);
      to += at - from;
      againAt[j] = to;
      from = at + given(j);
      to += relaxed.size[j]!;
      const k = again[j]!;
      if (relaxed.size[j]! < 256) sizes[k] = relaxed.size[j]!;
    }
    code.set(bytes.subarray(from), to);
  }
  for (let j = 0; j < agains; j++) {
    const instruction = current === undefined ? (items[again[j]!] as I) : current[j]!;
    const at = againAt[j]!;
    const size = relaxed?.size[j] ?? given(j);
    const encoded = arch.encode(instruction, base + BigInt(at), resolve);
    if (encoded.length !== size) {
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `${arch.name}: ${instruction.op} encoded to ${encoded.length} bytes once its labels were placed, but to ${size} before: an encoding's size must not depend on label addresses`,
      );
    }
    code.set(encoded, at);
  }
  return {
    arch: arch.name,
    base,
    bytes: code,
    // Made when asked for (by an interpreter's load), not kept: an object
    // per instruction that native placement never needs.
    get instructions(): readonly PlacedInstruction<I>[] {
      const placed: PlacedInstruction<I>[] = [];
      let at = 0;
      let j = 0;
      for (let k = 0; k < items.length; k++) {
        const item = items[k]!;
        if (item.op === "label") continue;
        let instruction = item as I;
        if (j < agains && again[j] === k) instruction = form(j++);
        const size = sizes[k] || arch.sizeOf(instruction);
        placed.push({ address: base + BigInt(at), size, instruction });
        at += size;
      }
      return placed;
    },
    labels,
  };
}

/**
 * The outcome of relaxation, per item of the again list: how often it was
 * lengthened, its size, and its current form (kept only while
 * assembling); the bytes added in all.
 */
interface Relaxed<I extends Instruction> {
  readonly forms: Uint8Array;
  readonly size: Float64Array;
  readonly current: readonly I[];
  readonly growth: number;
}

/**
 * Lengthens, round after round, each instruction that names a label out of
 * its reach, and moves the labels after it, until every one reaches (see
 * the module comment). Each round checks the layout that the previous one
 * left, whole, and only then applies what it found. Returns `undefined`
 * when nothing needed a longer form; otherwise `labels` holds the final
 * addresses.
 */
function relax<I extends Instruction>(
  arch: Arch<I>,
  base: bigint,
  labels: Map<string, bigint>,
  resolve: (name: string) => bigint,
  list: {
    againAt: Float64Array;
    agains: number;
    given: (j: number) => number;
    lengthened: (j: number, times: number) => I;
  },
): Relaxed<I> | undefined {
  const relaxation = arch.relaxation!;
  const { againAt, agains, given, lengthened } = list;
  let forms: Uint8Array | undefined;
  let size: Float64Array | undefined;
  // Each item's current form, once any item was lengthened; until then, the given one.
  let current: I[] | undefined;
  // Label offsets as given, in the order the labels were placed (address order).
  let labelAt: Float64Array | undefined;
  let growth = 0;
  for (;;) {
    let moved = 0;
    const found: number[] = [];
    for (let j = 0; j < agains; j++) {
      const instruction = current === undefined ? lengthened(j, 0) : current[j]!;
      if (!relaxation.reaches(instruction, base + BigInt(againAt[j]! + moved), resolve)) {
        found.push(j);
      }
      if (size !== undefined) moved += size[j]! - given(j);
    }
    let lengthenedAny = false;
    for (const j of found) {
      const form = relaxation.lengthen(current === undefined ? lengthened(j, 0) : current[j]!);
      if (form === undefined) continue;
      if (forms === undefined || size === undefined || current === undefined) {
        forms = new Uint8Array(agains);
        size = new Float64Array(agains);
        current = [];
        for (let i = 0; i < agains; i++) {
          size[i] = given(i);
          current.push(lengthened(i, 0));
        }
      }
      forms[j]!++;
      current[j] = form;
      size[j] = arch.sizeOf(form);
      lengthenedAny = true;
    }
    if (!lengthenedAny || size === undefined) break;
    if (labelAt === undefined) {
      labelAt = new Float64Array(labels.size);
      let n = 0;
      for (const at of labels.values()) labelAt[n++] = Number(at - base);
    }
    // Every label moves by what the lengthened instructions before it added.
    let j = 0;
    let added = 0;
    let n = 0;
    for (const name of labels.keys()) {
      const at = labelAt[n++]!;
      while (j < agains && againAt[j]! < at) added += size[j]! - given(j++);
      labels.set(name, base + BigInt(at + added));
    }
    while (j < agains) added += size[j]! - given(j++);
    growth = added;
  }
  if (forms === undefined || size === undefined || current === undefined) return undefined;
  return { forms, size, current, growth };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
