/**
 * The parts of an ABI record: what a context switch saves (callee-saved
 * float registers, float control, thread-information words), what it must
 * never touch (reserved registers), and the context layout derived from them.
 *
 * What it is for: every {@link Abi} on the face carries these as fields
 * (`calleeSavedFloat`, `reservedRegisters`, `threadInformation`, `context`),
 * and the routines of {@link routines} read them to save and restore a
 * thread; code that only reads an ABI never needs to name them. Name them
 * here to write an ABI record of one's own (`deriveContextLayout` gives its
 * `context`), or to pass a slot or a saved register around by its type.
 *
 * @example
 * ```ts
 * import { abiLayout, getAbi } from "@greenthreads/isa";
 * const { deriveContextLayout } = abiLayout;
 * const win64 = getAbi("x86_64-win64");
 * const layout = deriveContextLayout(win64);
 * const xmm6: abiLayout.ContextSlot = layout.slot("xmm6");
 * console.log(layout.size === win64.context.size, xmm6.width); // true 16
 * ```
 *
 * @module
 */
export type {
  ContextLayout,
  ContextSlot,
  ContextSlotKind,
  ReservedRegister,
  SavedFloat,
  ThreadInformationSlot,
} from "./abi.js";
export { deriveContextLayout, type LayoutInputs } from "./context-layout.js";
