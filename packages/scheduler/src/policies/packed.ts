import type { Thread } from "../thread.js";

/**
 * An array of `n` undefineds with PACKED elements. `new Array(n).fill()` stays
 * HOLEY, and V8 then checks every load from it for the hole.
 */
export function packedArray(n: number): (Thread | undefined)[] {
  const a: (Thread | undefined)[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}
