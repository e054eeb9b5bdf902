import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { Memory, MemoryFault, PAGE_SIZE } from "../../src/memory/memory.js";

const BASE = 0x10_0000n;

describe("Memory", () => {
  test("reads back little-endian values of every width, across a page boundary", () => {
    const mem = new Memory();
    mem.map(BASE, 2 * PAGE_SIZE, "rw");
    const edge = BASE + BigInt(PAGE_SIZE) - 3n;
    mem.write64(edge, 0x1122_3344_5566_7788n);
    expect(mem.read64(edge)).toBe(0x1122_3344_5566_7788n);
    expect(mem.read8(edge)).toBe(0x88);
    expect(mem.read16(edge + 6n)).toBe(0x1122);
    mem.write32(BASE, 0xdead_beef);
    expect(mem.read32(BASE)).toBe(0xdead_beef);
    mem.write128(BASE + 16n, (1n << 127n) | 5n);
    expect(mem.read128(BASE + 16n)).toBe((1n << 127n) | 5n);
    mem.write64(BASE + 40n, -1n);
    expect(mem.read64(BASE + 40n)).toBe(0xffff_ffff_ffff_ffffn);
  });

  test("a guard page faults with the faulting address and the kind of access", () => {
    const mem = new Memory();
    mem.map(BASE, PAGE_SIZE, "");
    mem.map(BASE + BigInt(PAGE_SIZE), PAGE_SIZE, "rw");
    const below = BASE + BigInt(PAGE_SIZE) - 8n;
    try {
      mem.write64(below, 1n);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MemoryFault);
      expect((e as MemoryFault).address).toBe(below);
      expect((e as MemoryFault).access).toBe("write");
    }
    expect(() => mem.read8(BASE)).toThrow(/read of address 0x100000 faulted/);
    expect(() => mem.read8(0x9000_0000n)).toThrow(/not mapped/);
  });

  test("a straddling write that faults writes nothing", () => {
    const mem = new Memory();
    mem.map(BASE, PAGE_SIZE, "rw");
    mem.map(BASE + BigInt(PAGE_SIZE), PAGE_SIZE, "r");
    const at = BASE + BigInt(PAGE_SIZE) - 4n;
    expect(() => mem.write64(at, -1n)).toThrow(MemoryFault);
    expect(mem.read32(at)).toBe(0);
  });

  test("permissions: execute needs x, write needs w; poke and peek ignore them", () => {
    const mem = new Memory();
    mem.map(BASE, PAGE_SIZE, "rx");
    expect(() => mem.write8(BASE, 1)).toThrow(MemoryFault);
    mem.poke(BASE, new Uint8Array([0x90, 0xc3]));
    expect([...mem.peek(BASE, 2)]).toEqual([0x90, 0xc3]);
    expect(() => mem.checkExecute(BASE)).not.toThrow();
    mem.protect(BASE, PAGE_SIZE, "rw");
    expect(mem.permission(BASE)).toBe("rw");
    expect(() => mem.checkExecute(BASE)).toThrow(/execute/);
  });

  test("bad maps are IsaErrors and change nothing", () => {
    const mem = new Memory();
    mem.map(BASE, PAGE_SIZE, "rw");
    expect(() => mem.map(BASE + 1n, PAGE_SIZE, "rw")).toThrow(IsaError);
    expect(() => mem.map(BASE, 100, "rw")).toThrow(/multiple of the page size/);
    expect(() => mem.map(BASE - BigInt(PAGE_SIZE), 2 * PAGE_SIZE, "rw")).toThrow(/already mapped/);
    expect(mem.mappedPages).toBe(1);
    expect(() => mem.unmap(BASE, 2 * PAGE_SIZE)).toThrow(/not mapped/);
    expect(mem.mappedPages).toBe(1);
    expect(() => mem.read8(-1n)).toThrow(MemoryFault);
  });
});
