import { loadBackend } from "@greenthreads/switch";
import { expect, test } from "vitest";
import { fibers } from "../src/fibers.js";
import { machineFibers, showStack } from "../src/machine-fibers.js";

const backends = [
  loadBackend({ prefer: "emulated", abi: "x86_64-win64" }),
  loadBackend({ prefer: "emulated", abi: "riscv64-lp64d" }),
];
const native = loadBackend({ prefer: "native" });
if (native.kind === "native") backends.push(native);

test.each(backends.map((b) => [`${b.kind} ${b.abi.name}`, b] as const))(
  "machine fibers on %s print what the JavaScript fibers print",
  (_, backend) => {
    const js: string[] = [];
    fibers((l) => js.push(l));
    const machine: string[] = [];
    machineFibers((l) => machine.push(l), backend);
    expect(machine).toEqual(js);
    expect(machine).toHaveLength(2 + 10 + 15 + 2);
  },
);

test.each(backends.map((b) => [`${b.kind} ${b.abi.name}`, b] as const))(
  "the stack dump on %s shows the saved counter and the thread's id",
  (_, backend) => {
    const lines = showStack(backend);
    expect(lines.length).toBeGreaterThan(1);
    // The dump lists the top of the stack first: the thread's id (1), then the counter (2) it
    // pushed before its third yield.
    const words = lines.map((l) => l.split(/\s+/)[1]);
    const at = words.indexOf("0x0000000000000002");
    expect(at).toBeGreaterThan(0);
    expect(words[at - 1]).toBe("0x0000000000000001");
    if (backend.abi.returnAddress.kind === "stack") {
      expect(lines.some((l) => /return address into gt_exit_x86_64_/.test(l))).toBe(true);
    }
  },
);
