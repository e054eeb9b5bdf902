/**
 * Where a native thread's control block and saved context live.
 *
 * The addon keeps thread slots in chunks (native/addon/thread.c): one
 * allocation per chunk holds the blocks of all its threads, and JavaScript
 * sees each chunk as one ArrayBuffer, fetched once and kept for the life of
 * the process. A thread's block is the window `[slot * stride, +stride)` of
 * its chunk's buffer:
 *
 * ```
 *   chunk buffer (threadsPerChunk blocks)
 *   ┌──────────────────────────┬──────────────────────────┬─────
 *   │ TCB │ pad │ context      │ TCB │ pad │ context      │ …
 *   └──────────────────────────┴──────────────────────────┴─────
 *   ◄─────────── stride ──────►  contextOffset = TCB rounded up to 64 bytes
 * ```
 *
 * Reusing slots is what keeps spawn and release free of per-thread native
 * allocations and of finalizers (each external ArrayBuffer has one, and
 * Node-API finalizers wait for the event loop).
 *
 * @module
 */
import type { NativeAddon } from "./addon.js";

/** A thread's block: its chunk's buffer, its offset there, and its address. */
export interface ThreadBlock {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly address: bigint;
}

/** Chunk buffers per addon: one ArrayBuffer per chunk, ever (two over the same memory would be one too many). */
const chunkBuffers = new WeakMap<NativeAddon, [ArrayBuffer, bigint][]>();

/** The block of thread `id`, `stride` bytes per thread. */
export function threadBlock(
  addon: NativeAddon,
  threadsPerChunk: number,
  stride: number,
  id: number,
): ThreadBlock {
  let chunks = chunkBuffers.get(addon);
  if (!chunks) {
    chunks = [];
    chunkBuffers.set(addon, chunks);
  }
  const chunk = Math.floor(id / threadsPerChunk);
  let entry = chunks[chunk];
  if (!entry) {
    entry = addon.threadBlocks(chunk);
    chunks[chunk] = entry;
  }
  const byteOffset = (id % threadsPerChunk) * stride;
  return { buffer: entry[0], byteOffset, address: entry[1] + BigInt(byteOffset) };
}
