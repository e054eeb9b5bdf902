/**
 * The C ping-pong harness of the generated switch routines, on every ABI:
 * natively for the host's ABI, under qemu-user for the other Linux
 * instruction sets, under wine for Win64. Each run sets every callee-saved
 * register and the float control state to fresh values before each switch
 * and checks them after it, on both sides, plus the stack pointer at a new
 * thread's entry, the exit path and (Win64) the stack bounds in the thread
 * information block. See native/harness/harness.c.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAbi, getArch, type lir, routines } from "@greenthreads/isa";
import { afterAll, describe, expect, test } from "vitest";
import { generatedHarnessFiles, renderRoutines } from "../scripts/harness-files.js";
import {
  compileHarness,
  HARNESS_DIR,
  HarnessCommandError,
  harnessTargets,
  PACKAGE_DIR,
  runHarness,
} from "../scripts/harness-toolchains.js";

const { loweredSwitchRoutine, loweredSwitchState, switchRoutine, switchToHostRoutine } = routines;

const ROUNDS = 2000;
const work = mkdtempSync(join(tmpdir(), "greenthreads-harness-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How the harness program at `exe` fails in 3 rounds, or undefined if it passes. */
function failureOf(
  target: ReturnType<typeof harnessTargets>[number],
  exe: string,
): HarnessCommandError | undefined {
  try {
    runHarness(target, exe, ["3"]);
    return undefined;
  } catch (e) {
    if (!(e instanceof HarnessCommandError)) throw e;
    return e;
  }
}

describe("generated harness files", () => {
  test("native/harness/generated matches the ABI data (run generate:harness after a change)", () => {
    const files = generatedHarnessFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const { path, text } of files) {
      let committed: string;
      try {
        committed = readFileSync(join(HARNESS_DIR, path), "utf8");
      } catch {
        throw new Error(`native/harness/${path} is missing; run generate:harness`);
      }
      expect(committed, `native/harness/${path} is stale; run generate:harness`).toBe(text);
    }
    const onDisk = readdirSync(join(HARNESS_DIR, "generated")).sort();
    expect(onDisk).toEqual(files.map((f) => f.path.replace("generated/", "")).sort());
  });

  test("every switch routine ends in an indirect jump, never ret (the return-stack buffer would mispredict)", () => {
    const switches = readdirSync(join(PACKAGE_DIR, "native", "asm")).filter((f) =>
      f.startsWith("switch_"),
    );
    expect(switches.length).toBe(harnessTargets().length);
    for (const name of switches) {
      const text = readFileSync(join(PACKAGE_DIR, "native", "asm", name), "utf8");
      const instructions = text
        .split("\n")
        .filter((l) => /^\s+[a-z]/.test(l) && !/^\s+\./.test(l))
        .map((l) => l.trim());
      expect(
        instructions.filter((i) => /^ret\b/.test(i)),
        `${name} contains ret`,
      ).toEqual([]);
      const last = instructions.at(-1) ?? "";
      expect(last, `${name} must end in an indirect jump`).toMatch(
        /^(jmp [a-z0-9]+|br x[0-9]+|jr [a-z0-9]+|jalr (x0|zero), ?[a-z0-9]+(, ?0)?|jalr (x0|zero), ?0\([a-z0-9]+\))$/,
      );
    }
  });
});

describe("ping-pong harness", () => {
  for (const target of harnessTargets()) {
    const name = target.missing
      ? `${target.abi} (${target.how}) (skipped: ${target.missing} not installed)`
      : `${target.abi} (${target.how}): every callee-saved register, float control state, entry sp and exit path`;
    test.skipIf(target.missing !== undefined)(
      name,
      () => {
        let exe: string;
        try {
          exe = compileHarness(target, "harness.c", join(work, target.cName));
        } catch (e) {
          if (e instanceof HarnessCommandError) {
            throw new Error(
              `the generated routines of ${target.abi} do not build:\n${e.output.trim()}\n(command: ${e.command})`,
            );
          }
          throw e;
        }
        let out: string;
        try {
          out = runHarness(target, exe, [String(ROUNDS)]);
        } catch (e) {
          if (e instanceof HarnessCommandError) {
            throw new Error(
              `the harness of ${target.abi} failed (exit ${e.status}):\n${e.output.trim()}`,
            );
          }
          throw e;
        }
        expect(out).toMatch(new RegExp(`^ok ${target.abi}: ${ROUNDS} rounds`, "m"));
        expect(out).toMatch(
          new RegExp(
            `^ok ${target.abi}: ${ROUNDS} rounds through gt_switch_lowered_${target.cName} against a thread clobbering its footprint`,
            "m",
          ),
        );
        expect(out).not.toMatch(/FAIL/);
      },
      240_000,
    );
  }
});

/**
 * The harness must notice a switch that drops state: a switch routine
 * generated without restoring one integer register, one float register (where
 * the ABI saves any) and one float control register must fail, naming each.
 */
describe("the harness catches a broken switch", () => {
  for (const target of harnessTargets()) {
    const name = target.missing
      ? `${target.abi} (${target.how}) (skipped: ${target.missing} not installed)`
      : `${target.abi} (${target.how}): a switch that forgets registers fails, naming them`;
    test.skipIf(target.missing !== undefined)(
      name,
      () => {
        const abi = getAbi(target.abi);
        const integer = abi.calleeSavedInteger.at(-1)!;
        const float = abi.calleeSavedFloat.at(-1)?.reg;
        const control = abi.floatControl[0]!;
        const dropped = (op: lir.LirOp): boolean =>
          (op.op === "load" && op.dst === integer) ||
          (op.op === "loadf" && op.dst === float) ||
          (op.op === "loadctl" && op.control === control);
        const ops = [
          ...switchRoutine(abi, getArch(abi)).filter((op) => !dropped(op)),
          ...loweredSwitchRoutine(abi, getArch(abi)),
          ...switchToHostRoutine(abi, getArch(abi)),
        ];
        const dir = join(work, `broken_${target.cName}`);
        const exe = compileHarness(target, "harness.c", dir, {
          switchFile: (() => {
            const file = join(work, `broken_switch_${target.cName}.S`);
            writeFileSync(
              file,
              renderRoutines(abi, ops, "a broken switch", "harness.test.ts", target.format),
            );
            return file;
          })(),
        });
        const failure = failureOf(target, exe);
        expect(failure, "the harness passed a switch that drops registers").toBeDefined();
        expect(failure!.status).toBe(1);
        expect(failure!.output).toMatch(
          new RegExp(`main side in round 0: integer register ${integer}:`),
        );
        expect(failure!.output).toMatch(
          new RegExp(`thread side in round 0: integer register ${integer}:`),
        );
        expect(failure!.output).toMatch(new RegExp(`float control ${control}:`));
        if (float)
          expect(failure!.output).toMatch(new RegExp(`float register \\(low 64 bits\\) ${float}:`));
        for (const other of abi.calleeSavedInteger.filter((r) => r !== integer)) {
          expect(failure!.output).not.toMatch(new RegExp(`integer register ${other}:`));
        }
      },
      240_000,
    );
  }
});

/**
 * The lowered-switch check must notice a lowered switch that drops one of
 * the callee-saved registers in the footprint: the clobbering thread
 * overwrites it, and the host finds the thread's value.
 */
describe("the harness catches a lowered switch that forgets a footprint register", () => {
  for (const target of harnessTargets()) {
    const name = target.missing
      ? `${target.abi} (${target.how}) (skipped: ${target.missing} not installed)`
      : `${target.abi} (${target.how}): the register is named`;
    test.skipIf(target.missing !== undefined)(
      name,
      () => {
        const abi = getAbi(target.abi);
        const arch = getArch(abi);
        const integer = loweredSwitchState(abi, arch).integer.at(-1)!;
        const ops = [
          ...switchRoutine(abi, arch),
          ...loweredSwitchRoutine(abi, arch),
          ...switchToHostRoutine(abi, arch).filter(
            (op) => !(op.op === "load" && op.dst === integer),
          ),
        ];
        const file = join(work, `broken_lowered_${target.cName}.S`);
        writeFileSync(
          file,
          renderRoutines(abi, ops, "a broken lowered switch", "harness.test.ts", target.format),
        );
        const exe = compileHarness(
          target,
          "harness.c",
          join(work, `broken_lowered_${target.cName}`),
          {
            switchFile: file,
          },
        );
        const failure = failureOf(target, exe);
        expect(failure, "the harness passed a lowered switch that drops a register").toBeDefined();
        expect(failure!.output).toMatch(
          new RegExp(`lowered main side in round 0: integer register ${integer}:`),
        );
        expect(failure!.output).not.toMatch(/FAIL [^:]+: main side/);
      },
      240_000,
    );
  }
});

describe("the benchmark program", () => {
  const host = harnessTargets().find((t) => t.how === "native");
  const missing = host ? host.missing : `a native ${process.arch} target`;
  test.skipIf(missing !== undefined)(
    missing
      ? `builds and ping-pongs (skipped: ${missing} not installed)`
      : `builds and ping-pongs on ${host!.abi} (timings are reported by bench:harness, not checked here)`,
    () => {
      const exe = compileHarness(host!, "bench.c", join(work, "bench"), { name: "bench" });
      const out = runHarness(host!, exe, ["1000", "3"]);
      expect(out).toMatch(
        new RegExp(`^routine gt_switch_${host!.cName} cpu median [0-9.]+ ns/switch`, "m"),
      );
      expect(out).toMatch(/^peer skipped: libboost-context-dev not installed$/m);
      expect(out).not.toMatch(/FAIL/);
    },
    60_000,
  );
});
