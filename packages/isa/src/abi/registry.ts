/**
 * Looking ABIs up by name, and knowing which one the running process uses.
 *
 * @module
 */
import { IsaError } from "../errors.js";
import { aarch64Aapcs64 } from "./aarch64-aapcs64.js";
import { aarch64Apple } from "./aarch64-apple.js";
import type { Abi, AbiName } from "./abi.js";
import { riscv64Lp64d } from "./riscv64-lp64d.js";
import { x86_64Sysv } from "./x86_64-sysv.js";
import { x86_64Win64 } from "./x86_64-win64.js";

/**
 * Every supported ABI, by name.
 *
 * @example
 * ```ts
 * import { abis } from "@greenthreads/isa";
 * console.log(Object.keys(abis));
 * ```
 */
export const abis: Readonly<Record<AbiName, Abi>> = {
  "x86_64-sysv": x86_64Sysv,
  "x86_64-win64": x86_64Win64,
  "aarch64-aapcs64": aarch64Aapcs64,
  "aarch64-apple": aarch64Apple,
  "riscv64-lp64d": riscv64Lp64d,
};

/**
 * The ABI called `name`. Throws an IsaError `UNKNOWN_ABI` that lists the
 * supported names.
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * console.log(getAbi("riscv64-lp64d").stackAlignment); // 16
 * ```
 */
export function getAbi(name: string): Abi {
  const abi = (abis as Record<string, Abi>)[name];
  if (!abi || !Object.hasOwn(abis, name)) {
    throw new IsaError(
      "UNKNOWN_ABI",
      `unknown ABI "${name}"; supported ABIs are ${Object.keys(abis).join(", ")}`,
    );
  }
  return abi;
}

/**
 * The ABI of the running process, from `process.platform` and `process.arch`,
 * or `undefined` on a platform without one here.
 *
 * @example
 * ```ts
 * import { hostAbi } from "@greenthreads/isa";
 * console.log(hostAbi(process.platform, process.arch)?.name); // "x86_64-sysv" on Linux x64
 * ```
 */
export function hostAbi(platform: string, arch: string): Abi | undefined {
  if (arch === "x64") return platform === "win32" ? x86_64Win64 : x86_64Sysv;
  if (arch === "arm64")
    return platform === "darwin" || platform === "ios" ? aarch64Apple : aarch64Aapcs64;
  if (arch === "riscv64") return riscv64Lp64d;
  return undefined;
}
