/**
 * Emulated memory: a sparse, paged 64-bit address space with per-page
 * permissions, where a wrong access throws a {@link memory.MemoryFault}
 * the way hardware faults.
 *
 * What it is for: the interpreters (`new x86_64.Cpu(memory)`) fetch and
 * access data here, so a jump into a data page or a push into a guard page
 * stops a run like it would on a machine; `@greenthreads/stack`'s emulated
 * allocator maps stacks with guard pages in it.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * mem.map(0x1000n, memory.PAGE_SIZE, "rw");
 * mem.write64(0x1000n, 42n);
 * console.log(mem.read64(0x1000n)); // 42n
 * ```
 *
 * @module
 */
export { type Access, Memory, MemoryFault, PAGE_SIZE, type Permission } from "./memory.js";
