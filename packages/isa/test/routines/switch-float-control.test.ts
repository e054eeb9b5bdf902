/**
 * Float control state in the derived switch routine, on every ABI: `storectl`
 * writes exactly {@link CONTROL_STORE_WIDTH} bytes of its slot, the routine
 * reads a saved value back with that width, and the next thread always gets
 * its own control state, whether the routine writes it unconditionally or
 * only when it differs, and whatever the bytes of the slot beyond that width
 * hold.
 */
import { describe, expect, test } from "vitest";
import type { Abi } from "../../src/abi/abi.js";
import { abis } from "../../src/abi/registry.js";
import { assemble } from "../../src/arch/assemble.js";
import { getArch } from "../../src/arch/registry.js";
import { CONTROL_STORE_WIDTH, type ControlRegister, type LirOp } from "../../src/lir/lir.js";
import { Memory } from "../../src/memory/memory.js";
import { CONTROL_WRITE_WHEN_CHANGED, switchRoutine } from "../../src/routines/switch-routine.js";
import { routineSymbol } from "../../src/routines/symbols.js";

const CODE = 0x10_0000n;
const FROM = 0x20_0000n;
const TO = 0x20_1000n;
const STACK_TOP = 0x30_1000n;
const RESUME = 0x40_0000n; // where the next thread continues: a stop address, no code
const GS_BASE = 0x50_0000n; // thread information words, where the ABI has them
const GARBAGE = 0xa5n;

/** Two settings per register that differ in the highest defined bit the register keeps. */
const SETTINGS: Record<ControlRegister, [bigint, bigint]> = {
  mxcsr: [0x1f80n, 0x9f80n | (1n << 13n)], // FZ (bit 15) and a rounding mode
  x87cw: [0x037fn, 0x0f7fn], // rounding control (bits 10-11)
  fpcr: [0n, 1n << 24n], // FZ (bit 24): beyond 16 bits
  fcsr: [0x00n, 0x80n], // frm's top bit
};

const bytesOf = (value: bigint, width: number): number[] =>
  Array.from({ length: width }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));

/** The 8 bytes of a slot: the value in its first `width` bytes, garbage after. */
function slotBytes(value: bigint, width: number): Uint8Array {
  return Uint8Array.from([...bytesOf(value, width), ...Array(8 - width).fill(Number(GARBAGE))]);
}

function machine(abi: Abi) {
  const arch = getArch(abi);
  const code = assemble(arch, arch.select(switchRoutine(abi, arch)), CODE);
  const memory = new Memory();
  memory.map(CODE, 0x2000, "rx");
  memory.poke(CODE, code.bytes);
  memory.map(FROM, 0x2000, "rw");
  memory.map(STACK_TOP - 0x1000n, 0x1000, "rw");
  memory.map(GS_BASE, 0x2000, "rw");
  const cpu = arch.createCpu(memory);
  cpu.load(code);
  return { arch, memory, cpu, entry: code.labels.get(routineSymbol("switch", abi.name))! };
}

describe.each(Object.values(abis).filter((abi) => abi.floatControl.length > 0))(
  "float control in the switch on $name",
  (abi) => {
    test("storectl writes CONTROL_STORE_WIDTH bytes and leaves the rest of the slot", () => {
      const { arch, memory, cpu } = machine(abi);
      const [base] = abi.argumentRegisters as [string];
      for (const control of abi.floatControl) {
        const width = CONTROL_STORE_WIDTH[control];
        const ops: LirOp[] = [{ op: "storectl", control, base, offset: 0 }, { op: "trap" }];
        const code = assemble(arch, arch.select(ops), CODE + 0x1000n);
        memory.poke(CODE + 0x1000n, code.bytes);
        cpu.load(code);
        memory.poke(FROM, Uint8Array.from(Array(16).fill(Number(GARBAGE))));
        const value = SETTINGS[control][1];
        cpu.set(control, value);
        cpu.set(base, FROM);
        cpu.pc = CODE + 0x1000n;
        expect(cpu.run({ stopAt: [] }).kind).toBe("illegal");
        expect([...memory.peek(FROM, 16)], control).toEqual([
          ...bytesOf(value, width),
          ...Array(16 - width).fill(Number(GARBAGE)),
        ]);
      }
    });

    test("the routine reads saved control values back with the width storectl wrote", () => {
      const ops = switchRoutine(abi, getArch(abi));
      for (const control of abi.floatControl) {
        const offset = abi.context.slot(control).offset;
        const reads = ops.filter(
          (op): op is Extract<LirOp, { op: "load" }> => op.op === "load" && op.offset === offset,
        );
        const writes = ops.filter((op) => op.op === "loadctl" && op.control === control);
        expect(writes, control).toHaveLength(1);
        if (CONTROL_WRITE_WHEN_CHANGED[control]) {
          expect(
            reads.map((op) => op.width),
            control,
          ).toEqual([CONTROL_STORE_WIDTH[control], CONTROL_STORE_WIDTH[control]]);
          expect(
            ops.some((op) => op.op === "br"),
            control,
          ).toBe(true);
        } else {
          expect(reads, control).toEqual([]);
        }
      }
    });

    test.each([
      ["the same", 0, 0],
      ["a different", 0, 1],
      ["a different", 1, 0],
    ] as const)(
      "the next thread gets its state when the current one has %s setting (%i -> %i)",
      (_, current, next) => {
        const { memory, cpu, entry } = machine(abi);
        const [from, to] = abi.argumentRegisters as [string, string];
        const slots = abi.context;
        memory.poke(FROM, Uint8Array.from(Array(slots.size).fill(Number(GARBAGE))));
        memory.poke(TO, new Uint8Array(slots.size));
        memory.write64(TO + BigInt(slots.slot("pc").offset), RESUME);
        memory.write64(TO + BigInt(slots.slot("sp").offset), STACK_TOP - 0x100n);
        for (const control of abi.floatControl) {
          const width = CONTROL_STORE_WIDTH[control];
          cpu.set(control, SETTINGS[control][current]);
          const at = TO + BigInt(slots.slot(control).offset);
          memory.poke(at, slotBytes(SETTINGS[control][next], width));
        }
        cpu.set(from, FROM);
        if (abi.threadInformation.length > 0) cpu.set("gs_base", GS_BASE);
        cpu.set(to, TO);
        let sp = STACK_TOP - 0x40n;
        if (abi.returnAddress.kind === "stack") {
          sp -= 8n;
          memory.write64(sp, 0x1234n);
        } else {
          cpu.set(abi.returnAddress.reg, 0x1234n);
        }
        cpu.set(abi.stackPointer, sp);
        cpu.pc = entry;
        expect(cpu.run({ stopAt: [RESUME], maxSteps: 1000 })).toEqual({
          kind: "stopped",
          pc: RESUME,
        });
        expect(cpu.get(abi.stackPointer)).toBe(STACK_TOP - 0x100n);
        for (const control of abi.floatControl) {
          const width = CONTROL_STORE_WIDTH[control];
          expect(cpu.get(control), control).toBe(SETTINGS[control][next]);
          const saved = memory.peek(FROM + BigInt(slots.slot(control).offset), 8);
          expect([...saved], control).toEqual([...slotBytes(SETTINGS[control][current], width)]);
        }
        expect(memory.read64(FROM + BigInt(slots.slot("pc").offset))).toBe(0x1234n);
      },
    );
  },
);
