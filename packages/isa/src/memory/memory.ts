/**
 * A byte-addressed, little-endian memory with page permissions, shared by the
 * interpreters of every instruction set.
 *
 * Why pages: the runtime's safety story rests on guard regions. A stack has a
 * no-access region below it, code is executable but not writable, and data is
 * writable but not executable. The interpreter must fault exactly where real
 * hardware would, with the faulting address, so that the emulated backend
 * reports the same traps as the native one. Memory is therefore a sparse map
 * of 4 KiB pages, each with read/write/execute bits; touching an unmapped page
 * or one without the needed permission throws a {@link MemoryFault}.
 *
 * Addresses are `bigint` at the API (registers are 64-bit) and plain numbers
 * inside (every emulated address space lives below 2^53).
 *
 * @module
 */
import { IsaError } from "../errors.js";

/**
 * Size in bytes of one page of emulated memory.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * // map() and protect() take page-aligned, page-multiple ranges.
 * mem.map(0x10000n, 2 * memory.PAGE_SIZE, "rw");
 * mem.protect(0x10000n, memory.PAGE_SIZE, ""); // a guard page below the second one
 * console.log(mem.permission(0x10000n + BigInt(memory.PAGE_SIZE))); // "rw"
 * ```
 */
export const PAGE_SIZE = 4096;

/**
 * Access rights of a page: any combination of `r`, `w` and `x`, or `""` for
 * a no-access guard page.
 *
 * @example
 * ```ts
 * import type { memory } from "@greenthreads/isa";
 * const code: memory.Permission = "rx";
 * const guard: memory.Permission = "";
 * ```
 */
export type Permission = "" | "r" | "rw" | "rx" | "x" | "w" | "rwx" | "wx";

/**
 * The kind of access that faulted.
 *
 * @example
 * ```ts
 * import type { memory } from "@greenthreads/isa";
 * const a: memory.Access = "write";
 * ```
 */
export type Access = "read" | "write" | "execute";

/**
 * Thrown by {@link Memory} when an access touches an unmapped page or a page
 * whose permission forbids it. Interpreters catch it and stop with a fault;
 * it is not an {@link IsaError} because it is the program's behaviour, not
 * bad input to the library.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * try {
 *   mem.read64(0x1000n);
 * } catch (e) {
 *   if (e instanceof memory.MemoryFault) console.log(e.address.toString(16), e.access); // "1000 read"
 * }
 * ```
 */
export class MemoryFault extends Error {
  /** The first address of the access that faulted. */
  readonly address: bigint;
  /** Whether the access read, wrote or fetched an instruction. */
  readonly access: Access;

  constructor(address: bigint, access: Access, why: string) {
    super(`${access} of address 0x${address.toString(16)} faulted: ${why}`);
    this.name = "MemoryFault";
    this.address = address;
    this.access = access;
  }
}

/**
 * One page of emulated memory. Its bytes are allocated on first use, so
 * mapping a large region (an interpreter's 16 MiB of control blocks, say)
 * costs nothing until it is touched; an untouched page reads as zeros.
 */
class Page {
  read = false;
  write = false;
  execute = false;
  #bytes: Uint8Array | undefined;
  #view: DataView | undefined;

  get bytes(): Uint8Array {
    if (this.#bytes === undefined) this.#bytes = new Uint8Array(PAGE_SIZE);
    return this.#bytes;
  }

  get view(): DataView {
    if (this.#view === undefined) this.#view = new DataView(this.bytes.buffer);
    return this.#view;
  }
}

/** One past the highest emulated address (addresses are plain numbers inside). */
const ADDRESS_LIMIT = 1n << 53n;

function toNumber(address: bigint, what: string): number {
  if (address < 0n || address >= ADDRESS_LIMIT) {
    throw new IsaError(
      "BAD_ADDRESS",
      `${what}: address 0x${address.toString(16)} is outside the emulated address space (0 to 2^53)`,
    );
  }
  return Number(address);
}

function checkRange(address: bigint, size: number, what: string): [number, number] {
  const start = toNumber(address, what);
  if (start % PAGE_SIZE !== 0) {
    throw new IsaError(
      "BAD_MEMORY_MAP",
      `${what}: address 0x${address.toString(16)} is not a multiple of the page size (${PAGE_SIZE})`,
    );
  }
  if (!Number.isInteger(size) || size <= 0 || size % PAGE_SIZE !== 0) {
    throw new IsaError(
      "BAD_MEMORY_MAP",
      `${what}: size ${size} must be a positive multiple of the page size (${PAGE_SIZE})`,
    );
  }
  return [start / PAGE_SIZE, size / PAGE_SIZE];
}

/**
 * Sparse emulated memory with per-page permissions.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * mem.map(0x10000n, 4096, "rw");
 * mem.write64(0x10008n, 42n);
 * console.log(mem.read64(0x10008n)); // 42n
 * ```
 */
export class Memory {
  readonly #pages = new Map<number, Page>();

  /**
   * Maps `size` bytes (a page multiple) at `address` (page aligned), zero
   * filled, with the given permission. Fails if any page is already mapped.
   */
  map(address: bigint, size: number, permission: Permission): void {
    const [first, count] = checkRange(address, size, "map");
    for (let p = first; p < first + count; p++) {
      if (this.#pages.has(p)) {
        throw new IsaError(
          "BAD_MEMORY_MAP",
          `map: page at 0x${(p * PAGE_SIZE).toString(16)} is already mapped; unmap it first`,
        );
      }
    }
    for (let p = first; p < first + count; p++) {
      const page = new Page();
      setPermission(page, permission);
      this.#pages.set(p, page);
    }
  }

  /** Changes the permission of mapped pages. Fails, changing nothing, if any page is unmapped. */
  protect(address: bigint, size: number, permission: Permission): void {
    const [first, count] = checkRange(address, size, "protect");
    this.#requireMapped(first, count, "protect");
    for (let p = first; p < first + count; p++) setPermission(this.#pages.get(p)!, permission);
  }

  /** Removes mapped pages. Fails, changing nothing, if any page is unmapped. */
  unmap(address: bigint, size: number): void {
    const [first, count] = checkRange(address, size, "unmap");
    this.#requireMapped(first, count, "unmap");
    for (let p = first; p < first + count; p++) this.#pages.delete(p);
  }

  /** The permission of the page holding `address`, or `undefined` when unmapped. */
  permission(address: bigint): Permission | undefined {
    const page = this.#pages.get(Math.floor(toNumber(address, "permission") / PAGE_SIZE));
    if (!page) return undefined;
    return `${page.read ? "r" : ""}${page.write ? "w" : ""}${page.execute ? "x" : ""}` as Permission;
  }

  /** Number of mapped pages. */
  get mappedPages(): number {
    return this.#pages.size;
  }

  /** Reads an unsigned 8-bit value. */
  read8(address: bigint): number {
    return this.#byteAccess(address, "read").bytes[Number(address) % PAGE_SIZE]!;
  }

  /** Writes an 8-bit value (the low 8 bits of `value`). */
  write8(address: bigint, value: number): void {
    this.#byteAccess(address, "write").bytes[Number(address) % PAGE_SIZE] = value & 0xff;
  }

  /** Reads an unsigned little-endian 16-bit value. */
  read16(address: bigint): number {
    return Number(this.#readN(address, 2));
  }

  /** Writes a little-endian 16-bit value. */
  write16(address: bigint, value: number): void {
    this.#writeN(address, BigInt(value & 0xffff), 2);
  }

  /** Reads an unsigned little-endian 32-bit value. */
  read32(address: bigint): number {
    return Number(this.#readN(address, 4));
  }

  /** Writes a little-endian 32-bit value. */
  write32(address: bigint, value: number): void {
    this.#writeN(address, BigInt(value >>> 0), 4);
  }

  /** Reads an unsigned little-endian 64-bit value. */
  read64(address: bigint): bigint {
    return this.#readN(address, 8);
  }

  /** Writes the low 64 bits of `value`, little-endian. */
  write64(address: bigint, value: bigint): void {
    this.#writeN(address, BigInt.asUintN(64, value), 8);
  }

  /** Reads an unsigned little-endian 128-bit value (a vector register's width). */
  read128(address: bigint): bigint {
    return this.#readN(address, 16);
  }

  /** Writes the low 128 bits of `value`, little-endian. */
  write128(address: bigint, value: bigint): void {
    this.#writeN(address, BigInt.asUintN(128, value), 16);
  }

  /** Copies `length` bytes out of memory (checking read permission). */
  readBytes(address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.read8(address + BigInt(i));
    return out;
  }

  /** Copies bytes into memory (checking write permission). */
  writeBytes(address: bigint, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.#byteAccess(address + BigInt(i), "write");
    for (let i = 0; i < bytes.length; i++) {
      const a = address + BigInt(i);
      this.#pages.get(Math.floor(Number(a) / PAGE_SIZE))!.bytes[Number(a) % PAGE_SIZE] = bytes[i]!;
    }
  }

  /**
   * Copies bytes into memory whatever the page permission (a loader's or a
   * debugger's write). The pages must be mapped.
   */
  poke(address: bigint, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const a = toNumber(address + BigInt(i), "poke");
      const page = this.#pages.get(Math.floor(a / PAGE_SIZE));
      if (!page) throw new MemoryFault(address + BigInt(i), "write", "page is not mapped");
      page.bytes[a % PAGE_SIZE] = bytes[i]!;
    }
  }

  /** Reads bytes whatever the page permission (a debugger's read). The pages must be mapped. */
  peek(address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const a = toNumber(address + BigInt(i), "peek");
      const page = this.#pages.get(Math.floor(a / PAGE_SIZE));
      if (!page) throw new MemoryFault(address + BigInt(i), "read", "page is not mapped");
      out[i] = page.bytes[a % PAGE_SIZE]!;
    }
    return out;
  }

  /**
   * Checks that an instruction may be fetched at `address` (mapped and
   * executable); throws a {@link MemoryFault} with access `execute` otherwise.
   */
  checkExecute(address: bigint): void {
    this.#byteAccess(address, "execute");
  }

  #requireMapped(first: number, count: number, what: string): void {
    for (let p = first; p < first + count; p++) {
      if (!this.#pages.has(p)) {
        throw new IsaError(
          "BAD_MEMORY_MAP",
          `${what}: page at 0x${(p * PAGE_SIZE).toString(16)} is not mapped`,
        );
      }
    }
  }

  #byteAccess(address: bigint, access: Access): Page {
    if (address < 0n || address >= ADDRESS_LIMIT) {
      throw new MemoryFault(address, access, "address is outside the emulated address space");
    }
    const page = this.#pages.get(Math.floor(Number(address) / PAGE_SIZE));
    if (!page) throw new MemoryFault(address, access, "page is not mapped");
    if (access === "read" ? !page.read : access === "write" ? !page.write : !page.execute) {
      throw new MemoryFault(
        address,
        access,
        `page permission is "${`${page.read ? "r" : ""}${page.write ? "w" : ""}${page.execute ? "x" : ""}`}"`,
      );
    }
    return page;
  }

  #readN(address: bigint, size: 2 | 4 | 8 | 16): bigint {
    const offset = Number(address) % PAGE_SIZE;
    const page = this.#byteAccess(address, "read");
    if (offset + size <= PAGE_SIZE) {
      if (size === 8) return page.view.getBigUint64(offset, true);
      if (size === 4) return BigInt(page.view.getUint32(offset, true));
      if (size === 2) return BigInt(page.view.getUint16(offset, true));
    }
    let value = 0n;
    for (let i = size - 1; i >= 0; i--)
      value = (value << 8n) | BigInt(this.read8(address + BigInt(i)));
    return value;
  }

  #writeN(address: bigint, value: bigint, size: 2 | 4 | 8 | 16): void {
    const offset = Number(address) % PAGE_SIZE;
    const page = this.#byteAccess(address, "write");
    if (offset + size <= PAGE_SIZE && size === 8) {
      page.view.setBigUint64(offset, value, true);
      return;
    }
    // Check every byte first so that a faulting access writes nothing.
    for (let i = 0; i < size; i++) this.#byteAccess(address + BigInt(i), "write");
    for (let i = 0; i < size; i++)
      this.write8(address + BigInt(i), Number((value >> BigInt(8 * i)) & 0xffn));
  }
}

function setPermission(page: Page, permission: Permission): void {
  page.read = permission.includes("r");
  page.write = permission.includes("w");
  page.execute = permission.includes("x");
}
