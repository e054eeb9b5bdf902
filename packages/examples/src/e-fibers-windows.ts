/**
 * The book's e-fibers-windows: the same fibers on the Windows x64 ABI, where
 * a switch must keep more than on Linux. Windows makes xmm6–xmm15
 * callee-saved (System V saves no vector register), and it keeps the bounds
 * of the current stack in the thread-information block (`gs:[0x08]`
 * StackBase, `gs:[0x10]` StackLimit, `gs:[0x1478]` DeallocationStack),
 * which its stack probes and exception dispatch check: a green thread whose
 * TIB still describes main's stack is a thread that Windows may kill.
 *
 * The example first shows that state crossing a switch, in the interpreter
 * with the generated Win64 switch routine (the {@link SwitchLab}): main's
 * values before, the green thread's saved in its context, main's restored
 * after the round trip, the green thread's found again when it is resumed.
 * Then it runs the fibers as machine threads on Win64: natively where the
 * addon runs on Windows, on the emulated Win64 ABI everywhere else, with
 * c-fibers' transcript.
 */
import { getAbi } from "@greenthreads/isa";
import { formatAddress } from "@greenthreads/stack";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { machineFibers } from "./machine-fibers.js";
import { type LabRow, labFloat, SwitchLab } from "./switch-lab.js";

/** What the switch demonstration observed. */
export interface Win64SwitchReport {
  /** Main's state and the green thread's, after the first round trip (main running). */
  readonly rows: readonly LabRow[];
  /** Main got every xmm and TIB word back after each round trip. */
  readonly mainRestored: boolean;
  /** The green thread found its own xmm values after being resumed. */
  readonly greenRestored: boolean;
  /** The TIB words the green thread saw while it ran: its own stack's bounds. */
  readonly greenTls: ReadonlyMap<string, bigint>;
  /** The green thread's stack, for comparison with `greenTls`. */
  readonly greenStack: { readonly low: bigint; readonly high: bigint };
}

/** Switches main → green → main twice on the Win64 routine and compares what each side holds. */
export function win64Switch(): Win64SwitchReport {
  const lab = new SwitchLab("x86_64-win64");
  const mainBefore = lab.compare().map((r) => r.main);
  lab.switchToGreenAndBack();
  const rows = lab.compare();
  lab.switchToGreenAndBack();
  const mainAfter = lab.compare().map((r) => r.main);
  const mainRestored =
    rows.every((r, i) => r.main === mainBefore[i]) &&
    mainAfter.every((v, i) => v === mainBefore[i]);
  const greenRestored = lab.seenByGreenFloats().every((v, i) => v === labFloat("green", i));
  return {
    rows,
    mainRestored,
    greenRestored,
    greenTls: lab.seenByGreenTls(),
    greenStack: { low: lab.stack.low, high: lab.stack.high },
  };
}

/** A Win64 backend: native on Windows when the addon runs there, else the emulated Win64 ABI. */
export function win64Backend(): Backend {
  const native = loadBackend({ prefer: "native" });
  if (native.kind === "native" && native.abi.name === "x86_64-win64") return native;
  return loadBackend({ prefer: "emulated", abi: "x86_64-win64" });
}

const hex = (v: bigint, digits: number) => `0x${v.toString(16).padStart(digits, "0")}`;

/** Prints the switch demonstration and the fibers transcript. */
export function fibersWindows(
  print: (line: string) => void,
  backend: Backend = win64Backend(),
): void {
  const abi = getAbi("x86_64-win64");
  print(
    `what the ${abi.name} switch keeps: ${abi.calleeSavedInteger.length} integer registers, ` +
      `${abi.calleeSavedFloat.length} xmm registers (${abi.calleeSavedFloat[0]!.reg}–` +
      `${abi.calleeSavedFloat.at(-1)!.reg}), ${abi.floatControl.join(" and ")}, and the TIB words ` +
      abi.threadInformation.map((t) => `${t.name} gs:[${hex(BigInt(t.offset), 2)}]`).join(", "),
  );
  print("");
  const report = win64Switch();
  print("after main → green → main (main is running; the green thread's state is in its context):");
  print(`  ${"".padEnd(18)} ${"main".padEnd(34)} green thread`);
  for (const row of report.rows) {
    const digits = row.name.startsWith("xmm") ? 32 : 16;
    print(`  ${row.name.padEnd(18)} ${hex(row.main, digits).padEnd(34)} ${hex(row.green, digits)}`);
  }
  print(`  main's xmm6–xmm15 and TIB words restored: ${report.mainRestored ? "yes" : "NO"}`);
  print(
    `  the green thread found its own xmm6–xmm15 when resumed: ${report.greenRestored ? "yes" : "NO"}`,
  );
  print(
    `  while it ran, its TIB said StackBase ${formatAddress(report.greenTls.get("StackBase") ?? 0n)}` +
      `, StackLimit ${formatAddress(report.greenTls.get("StackLimit") ?? 0n)}` +
      ` (its stack: ${formatAddress(report.greenStack.low)}..${formatAddress(report.greenStack.high)})`,
  );
  print("");
  print(`the fibers as machine threads on ${backend.abi.name} (${backend.kind}):`);
  machineFibers((line) => print(`  ${line}`), backend);
}
