/**
 * Selection that shares the instructions of immutable operations.
 *
 * Why: a lowered thread program places the same few operation objects (a
 * fuel check, a stack check, a jump to a shared trap sequence) at every
 * instruction, frozen so that nothing can change them. Their selection is
 * the same everywhere, so it is made once and its instruction objects are
 * placed again, instead of a fresh copy per program instruction: a large
 * program keeps half as many objects alive while it is assembled, and the
 * collector has half as much to trace. Assembly, formatting and the
 * interpreters never change an instruction object, so sharing one is safe.
 *
 * @module
 */
import type { LirOp } from "../lir/lir.js";
import type { Instruction, LabelItem } from "./arch.js";

/**
 * Wraps an instruction set's selection: frozen operations are selected once
 * (per wrapped function) and their instructions shared; the others are
 * selected in runs, as before.
 *
 * @internal
 */
export function sharingFrozen<I extends Instruction>(
  select: (ops: readonly LirOp[]) => (I | LabelItem)[],
): (ops: readonly LirOp[]) => (I | LabelItem)[] {
  const selected = new WeakMap<LirOp, readonly (I | LabelItem)[]>();
  return (ops) => {
    const out: (I | LabelItem)[] = [];
    let from = 0;
    const flush = (to: number): void => {
      if (to > from) for (const item of select(ops.slice(from, to))) out.push(item);
    };
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k]!;
      if (!Object.isFrozen(op)) continue;
      flush(k);
      from = k + 1;
      let items = selected.get(op);
      if (items === undefined) {
        items = Object.freeze(select([op]));
        selected.set(op, items);
      }
      for (const item of items) out.push(item);
    }
    flush(ops.length);
    return out;
  };
}
