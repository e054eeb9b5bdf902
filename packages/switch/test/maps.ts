/** Reading /proc/self/maps: the kernel's word on what is mapped and how. */
import { readFileSync } from "node:fs";

export interface Mapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly perms: string;
  readonly name: string;
}

export const HAS_PROC_MAPS = (() => {
  try {
    readFileSync("/proc/self/maps");
    return true;
  } catch {
    return false;
  }
})();

export function mappings(): Mapping[] {
  return readFileSync("/proc/self/maps", "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [range, perms, , , , ...name] = line.split(/\s+/);
      const [start, end] = range!.split("-");
      return {
        start: BigInt(`0x${start}`),
        end: BigInt(`0x${end}`),
        perms: perms!,
        name: name.join(" "),
      };
    });
}

/** The mapping containing `address`. */
export function mappingAt(address: bigint): Mapping | undefined {
  return mappings().find((m) => address >= m.start && address < m.end);
}
