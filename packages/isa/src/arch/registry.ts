/**
 * Looking instruction sets up by name, and by ABI.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import { IsaError } from "../errors.js";
import * as aarch64 from "./aarch64/index.js";
import type { Arch, ArchName } from "./arch.js";
import * as riscv64 from "./riscv64/index.js";
import * as x86_64 from "./x86_64/index.js";

/**
 * Every supported instruction set, by name.
 *
 * @example
 * ```ts
 * import { arches } from "./registry.js";
 * console.log(Object.keys(arches)); // ["x86_64", "aarch64", "riscv64"]
 * ```
 */
export const arches: Readonly<Record<ArchName, Arch>> = {
  x86_64,
  aarch64,
  riscv64,
};

/**
 * The instruction set called `name`, or of an ABI. Throws an IsaError
 * `UNKNOWN_ARCH` listing the supported names.
 *
 * @example
 * ```ts
 * import { getAbi, getArch } from "@greenthreads/isa";
 * console.log(getArch(getAbi("aarch64-apple")).name); // "aarch64"
 * ```
 */
export function getArch(nameOrAbi: string | Abi): Arch {
  const name = typeof nameOrAbi === "string" ? nameOrAbi : nameOrAbi.arch;
  if (!Object.hasOwn(arches, name)) {
    throw new IsaError(
      "UNKNOWN_ARCH",
      `unknown instruction set "${name}"; supported: ${Object.keys(arches).join(", ")}`,
    );
  }
  return arches[name as ArchName];
}
