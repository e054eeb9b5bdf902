/**
 * Snapshots of everything an allocator call may change, so tests can assert
 * that a failing call changed nothing.
 */
import type { EmulatedStackAllocator, PoolingAllocator } from "../src/index.js";

export function emulatedState(allocator: EmulatedStackAllocator) {
  return {
    stats: allocator.stats(),
    free: allocator.freeRanges(),
    freeBytes: allocator.freeBytes,
    mappedPages: allocator.memory.mappedPages,
  };
}

export function poolState(pool: PoolingAllocator, inner: EmulatedStackAllocator) {
  return { pool: pool.stats(), inner: emulatedState(inner) };
}
