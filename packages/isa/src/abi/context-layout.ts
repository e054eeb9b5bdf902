/**
 * Derives a context layout from an ABI's data.
 *
 * A context holds what a suspended thread needs to continue: the address to
 * continue at, its stack pointer, and every piece of state the ABI makes
 * callee-saved. Caller-saved registers are not in it: the thread entered the
 * switch routine by an ordinary call, so it already assumes they are lost.
 *
 * ```
 *   offset 0   pc            where the thread continues
 *          8   sp            its stack pointer after the switch "returns"
 *         16   integer       each callee-saved integer register, 8 bytes
 *          …   float         each callee-saved float register, 8 or 16 bytes
 *                            (16-byte slots aligned to 16)
 *          …   control       each float control register, in an 8-byte slot
 *          …   thread-info   each OS thread-information word, 8 bytes
 *   size       rounded up to 16
 * ```
 *
 * @module
 */
import { IsaError } from "../errors.js";
import type { ControlRegister, Reg } from "../lir/lir.js";
import type { ContextLayout, ContextSlot, SavedFloat, ThreadInformationSlot } from "./abi.js";

/**
 * The inputs of {@link deriveContextLayout}: the callee-saved parts of an ABI.
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const inputs: abiLayout.LayoutInputs = {
 *   calleeSavedInteger: ["rbx"], calleeSavedFloat: [], floatControl: [], threadInformation: [],
 * };
 * ```
 */
export interface LayoutInputs {
  readonly calleeSavedInteger: readonly Reg[];
  readonly calleeSavedFloat: readonly SavedFloat[];
  readonly floatControl: readonly ControlRegister[];
  readonly threadInformation: readonly ThreadInformationSlot[];
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * Lays out a context for the callee-saved state of an ABI.
 *
 * @example
 * ```ts
 * import { abiLayout } from "@greenthreads/isa";
 * const { deriveContextLayout } = abiLayout;
 * const layout = deriveContextLayout({
 *   calleeSavedInteger: ["s0", "s1"],
 *   calleeSavedFloat: [],
 *   floatControl: ["fcsr"],
 *   threadInformation: [],
 * });
 * console.log(layout.slot("fcsr").offset, layout.size); // 32 48
 * ```
 */
export function deriveContextLayout(abi: LayoutInputs): ContextLayout {
  const slots: ContextSlot[] = [
    { name: "pc", kind: "pc", offset: 0, width: 8 },
    { name: "sp", kind: "sp", offset: 8, width: 8 },
  ];
  let offset = 16;
  for (const reg of abi.calleeSavedInteger) {
    slots.push({ name: reg, kind: "integer", offset, width: 8 });
    offset += 8;
  }
  for (const { reg, width } of abi.calleeSavedFloat) {
    offset = align(offset, width);
    slots.push({ name: reg, kind: "float", offset, width });
    offset += width;
  }
  for (const control of abi.floatControl) {
    slots.push({ name: control, kind: "control", offset, width: 8 });
    offset += 8;
  }
  for (const info of abi.threadInformation) {
    slots.push({ name: info.name, kind: "thread-information", offset, width: 8 });
    offset += 8;
  }
  const byName = new Map(slots.map((s) => [s.name, s]));
  return {
    size: align(offset, 16),
    slots,
    slot(name: string): ContextSlot {
      const found = byName.get(name);
      if (!found) {
        throw new IsaError(
          "UNKNOWN_REGISTER",
          `the context has no slot "${name}"; it holds ${slots.map((s) => s.name).join(", ")}`,
        );
      }
      return found;
    },
  };
}
