/**
 * The two operations turn-taking needs from a policy that keeps its ready
 * threads in a ring (a power-of-two circular buffer: `items`, `head`,
 * `size`, `mask`), shared by RoundRobin and FIFO: listing the ring in pick
 * order, and rotating it as k picks that each yield right back would.
 *
 * ```
 *   head          tail                  rotate by 2
 *   ┌───┬───┬───┬───┬───┬───┐           ┌───┬───┬───┬───┬───┬───┐
 *   │ a │ b │ c │ d │   │   │   ──────► │   │   │ c │ d │ a │ b │
 *   └───┴───┴───┴───┴───┴───┘           └───┴───┴───┴───┴───┴───┘
 *                                               head          tail
 * ```
 */
import type { Thread } from "../thread.js";

/** The first `min(size, max)` threads of the ring, in pick order, into `out`; returns how many. */
export function ringUpcoming(
  items: readonly (Thread | undefined)[],
  head: number,
  size: number,
  mask: number,
  out: Thread[],
  max: number,
): number {
  const n = Math.min(size, max);
  for (let i = 0; i < n; i++) out[i] = items[(head + i) & mask]!;
  return n;
}

/** Moves the first `k % size` threads to the back, in order; returns the new head. */
export function rotateRing(
  items: (Thread | undefined)[],
  head: number,
  size: number,
  mask: number,
  k: number,
): number {
  if (size === 0) return head;
  const r = k % size;
  // A full ring: the rotation is the head's move alone.
  if (size === mask + 1) return (head + r) & mask;
  for (let i = 0; i < r; i++) {
    items[(head + size) & mask] = items[head];
    items[head] = undefined;
    head = (head + 1) & mask;
  }
  return head;
}
