/** Facts of each ABI that the switch and the lowering depend on. */
import { describe, expect, test } from "vitest";
import { abis, getAbi, hostAbi } from "../../src/abi/registry.js";
import { getArch } from "../../src/arch/registry.js";
import { IsaError } from "../../src/errors.js";

describe.each(Object.values(abis))("$name", (abi) => {
  test("names only registers its instruction set has", () => {
    const arch = getArch(abi);
    const known = new Set([...arch.integerRegisters, arch.stackPointer]);
    const all = [
      abi.stackPointer,
      abi.framePointer,
      ...abi.calleeSavedInteger,
      ...abi.argumentRegisters,
      ...abi.returnRegisters,
      ...abi.temporaries,
      ...abi.reservedRegisters.map((r) => r.reg),
      ...(abi.returnAddress.kind === "register" ? [abi.returnAddress.reg] : []),
    ];
    for (const reg of all) expect(known.has(reg) || reg === "zero", reg).toBe(true);
    for (const { reg } of abi.calleeSavedFloat) expect(arch.floatRegisters).toContain(reg);
  });

  test("keeps callee-saved, argument and temporary sets apart", () => {
    const saved = new Set(abi.calleeSavedInteger);
    for (const r of [...abi.argumentRegisters, ...abi.temporaries])
      expect(saved.has(r), r).toBe(false);
    expect(saved.has(abi.stackPointer)).toBe(false);
  });

  test("lays out a context with every saved register once, aligned, within its size", () => {
    const names = abi.context.slots.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of abi.context.slots) {
      expect(s.offset % Math.min(s.width, 16), s.name).toBe(0);
      expect(s.offset + s.width).toBeLessThanOrEqual(abi.context.size);
    }
    expect(abi.context.size % 16).toBe(0);
    expect(names).toEqual([
      "pc",
      "sp",
      ...abi.calleeSavedInteger,
      ...abi.calleeSavedFloat.map((f) => f.reg),
      ...abi.floatControl,
      ...abi.threadInformation.map((t) => t.name),
    ]);
  });
});

test("the documented differences between the ABIs hold", () => {
  expect(getAbi("x86_64-win64").calleeSavedFloat.map((f) => f.width)).toEqual(Array(10).fill(16));
  expect(getAbi("x86_64-win64").shadowSpace).toBe(32);
  expect(getAbi("x86_64-sysv").redZone).toBe(128);
  expect(getAbi("aarch64-apple").redZone).toBe(128);
  expect(getAbi("aarch64-aapcs64").redZone).toBe(0);
  expect(getAbi("aarch64-apple").reservedRegisters.map((r) => r.reg)).toContain("x18");
  expect(getAbi("x86_64-win64").threadInformation.map((t) => t.offset)).toEqual([
    0x08, 0x10, 0x1478,
  ]);
  expect(getAbi("riscv64-lp64d").floatControl).toEqual(["fcsr"]);
});

test("an unknown ABI is an IsaError that lists the known ones", () => {
  expect(() => getAbi("pdp11-unix")).toThrow(IsaError);
  expect(() => getAbi("toString")).toThrow(
    /unknown ABI "toString"; supported ABIs are x86_64-sysv/,
  );
  expect(() => getAbi("constructor")).toThrow(expect.objectContaining({ code: "UNKNOWN_ABI" }));
});

test("the host ABI follows platform and architecture", () => {
  expect(hostAbi("linux", "x64")?.name).toBe("x86_64-sysv");
  expect(hostAbi("win32", "x64")?.name).toBe("x86_64-win64");
  expect(hostAbi("darwin", "arm64")?.name).toBe("aarch64-apple");
  expect(hostAbi("linux", "arm64")?.name).toBe("aarch64-aapcs64");
  expect(hostAbi("linux", "riscv64")?.name).toBe("riscv64-lp64d");
  expect(hostAbi("linux", "ia32")).toBeUndefined();
});
