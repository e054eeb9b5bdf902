import { type Backend, loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import { stackSwap, swapAsMachineThread, swapByHand, WAKE_UP } from "../src/a-stack-swap.js";
import { handMadeStackViews, machineThreadStackView } from "../src/b-show-stack.js";
import { cFibers } from "../src/c-fibers.js";
import { closureFibers, machineClosureFibers } from "../src/d-fibers-closure.js";
import { fibersWindows, win64Switch } from "../src/e-fibers-windows.js";
import { fibers } from "../src/fibers.js";
import { labFloat, SwitchLab } from "../src/switch-lab.js";

const backends: Backend[] = [loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" })];
const native = loadBackend({ prefer: "native" });
if (native.kind === "native") backends.push(native);
const named = backends.map((b) => [`${b.kind} ${b.abi.name}`, b] as const);

/** The book's fibers transcript, from the JavaScript version (itself checked against the book's rule). */
function bookLines(): string[] {
  const lines: string[] = [];
  fibers((l) => lines.push(l));
  return lines;
}

describe("a-stack-swap", () => {
  test("the book's switch lands in hello on the new stack, 16 bytes below its aligned top", () => {
    const swap = swapByHand();
    expect(swap.printed).toBe(WAKE_UP);
    expect(swap.contextRsp).toBe((swap.high & ~15n) - 16n);
    // ret popped hello's address (rsp + 8), then hello's call pushed one word (rsp - 8).
    expect(swap.rspInHello).toBe(swap.contextRsp);
    expect(swap.rspInHello >= swap.low && swap.rspInHello < swap.high).toBe(true);
    // mov rsp + ret + hello's three instructions up to the call target.
    expect(swap.steps).toBe(5);
  });

  test.each(named)(
    "as a machine thread on %s: prints once, then loops until the budget stops it",
    (_, b) => {
      const lines: string[] = [];
      const { budgetTraps } = swapAsMachineThread((l) => lines.push(l), b);
      expect(lines.filter((l) => l.trim() === WAKE_UP)).toHaveLength(1);
      expect(budgetTraps).toBe(3);
    },
  );

  test("the whole example prints the line once per kind of thread", () => {
    const lines: string[] = [];
    stackSwap((l) => lines.push(l), backends[0]);
    expect(lines.filter((l) => l.trim() === WAKE_UP)).toHaveLength(3);
  });
});

describe("b-show-stack", () => {
  test("before the switch, sp points at hello's address; while hello runs, at its return address", () => {
    const { before, during } = handMadeStackViews();
    const swap = swapByHand();
    const atSp = (rows: typeof before.rows) => rows.find((r) => r.atSp)!;
    expect(atSp(before.rows).address).toBe(swap.contextRsp);
    expect(atSp(before.rows).word).toBe(swap.hello);
    expect(atSp(before.rows).what).toMatch(/hello's address/);
    // The call in hello pushed the address of the instruction after it: the endless loop.
    expect(atSp(during.rows).word).toBe(swap.forever);
    expect(before.rows).toHaveLength(6); // the book's 48 bytes
    expect(before.svg).toContain("<svg");
    expect(during.lines.join("\n")).toContain("return address of hello's call to print");
  });

  test.each(named)("a machine thread's stack on %s shows its id and counter", (_, b) => {
    const v = machineThreadStackView(b);
    const words = v.rows.map((r) => r.word);
    const at = words.indexOf(2n);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(words[at - 1]).toBe(1n); // the id, pushed first, sits above the counter
    expect(v.rows.find((r) => r.atSp)?.word).toBe(2n);
    expect(v.svg).toContain(">sp<");
  });
});

describe("c-fibers", () => {
  test.each(named)("JavaScript and machine threads (%s) print the book's transcript", (_, b) => {
    const lines: string[] = [];
    cFibers((l) => lines.push(l), b);
    const book = bookLines();
    const [js, machine] = lines.join("\n").split("\n\n");
    expect(
      js!
        .split("\n")
        .slice(1)
        .map((l) => l.trim()),
    ).toEqual(book);
    expect(
      machine!
        .split("\n")
        .slice(1)
        .map((l) => l.trim()),
    ).toEqual(book);
  });
});

describe("d-fibers-closure", () => {
  test("closure threads print the book's transcript", () => {
    const lines: string[] = [];
    closureFibers((l) => lines.push(l));
    expect(lines).toEqual(bookLines());
  });

  test.each(named)(
    "machine threads with closures as host calls (%s) agree with JavaScript closures",
    (_, b) => {
      const jobs = [
        { id: 7, count: 3 },
        { id: 8, count: 1 },
        { id: 9, count: 5 },
      ];
      const js: string[] = [];
      closureFibers((l) => js.push(l), jobs);
      const machine: string[] = [];
      machineClosureFibers((l) => machine.push(l), b, jobs);
      expect(machine).toEqual(js);
      expect(js.filter((l) => l.includes("counter"))).toHaveLength(3 + 1 + 5);
      const book: string[] = [];
      machineClosureFibers((l) => book.push(l), b);
      expect(book).toEqual(bookLines());
    },
  );
});

describe("e-fibers-windows", () => {
  test("the Win64 switch keeps xmm6-xmm15 and the TIB stack words for each side", () => {
    const report = win64Switch();
    expect(report.mainRestored).toBe(true);
    expect(report.greenRestored).toBe(true);
    const xmm = report.rows.filter((r) => r.name.startsWith("xmm"));
    expect(xmm.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `xmm${i + 6}`));
    xmm.forEach((r, i) => {
      expect(r.main).toBe(labFloat("main", i));
      expect(r.green).toBe(labFloat("green", i));
    });
    expect(report.greenTls.get("StackBase")).toBe(report.greenStack.high);
    expect(report.greenTls.get("StackLimit")).toBe(report.greenStack.low);
  });

  test("the same lab on System V keeps no xmm register: the check would see a difference", () => {
    const lab = new SwitchLab("x86_64-sysv");
    lab.switchToGreenAndBack();
    expect(lab.compare()).toEqual([]); // nothing float is callee-saved there
  });

  test("the fibers on the Win64 ABI print the book's transcript", () => {
    const lines: string[] = [];
    fibersWindows((l) => lines.push(l));
    const at = lines.findIndex((l) => l.startsWith("the fibers as machine threads"));
    expect(lines.slice(at + 1).map((l) => l.trim())).toEqual(bookLines());
  });
});
