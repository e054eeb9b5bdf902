/**
 * How to build and run the C harness for each ABI on this machine: natively
 * where the host runs the ABI, under qemu-user for other Linux instruction
 * sets, under wine for Win64.
 *
 * The harness links the committed generated files (native/asm/*.S, the
 * routines the addon ships, and native/harness/generated/*), so a routine
 * that fails to assemble fails here with the assembler's own message.
 *
 * Shared by the harness test, the harness benchmark and `harness.sh`.
 *
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the harness sources and generated files live. */
export const HARNESS_DIR = join(PACKAGE_DIR, "native", "harness");
const ASM_DIR = join(PACKAGE_DIR, "native", "asm");

/** One ABI the harness runs: how to compile for it and how to run the result. */
export interface HarnessTarget {
  /** isa's ABI name, e.g. `x86_64-sysv`. */
  readonly abi: string;
  /** The ABI's C name, e.g. `x86_64_sysv`. */
  readonly cName: string;
  readonly format: "elf" | "pe";
  /** How it runs: `native`, `qemu-aarch64`, `wine`... */
  readonly how: string;
  /** The C compiler, resolved on PATH (or undefined when missing). */
  readonly compiler: string | undefined;
  /** Extra compiler flags (e.g. `-static` for qemu-user). */
  readonly flags: readonly string[];
  /** Program and arguments that run the executable (empty: run it directly). */
  readonly runner: readonly string[] | undefined;
  /** Environment for the runner. */
  readonly env: Readonly<Record<string, string>>;
  /** The first tool that is not installed, or undefined when the target can run. */
  readonly missing: string | undefined;
  /** File name of the executable. */
  readonly executable: string;
}

/** The absolute path of `tool` on PATH (or an absolute path that exists), else undefined. */
export function findTool(tool: string): string | undefined {
  if (tool.startsWith("/")) return existsSync(tool) ? tool : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

function firstTool(candidates: readonly string[]): string | undefined {
  for (const c of candidates) {
    const found = findTool(c);
    if (found) return found;
  }
  return undefined;
}

const hostIs = (arch: string): boolean => process.platform === "linux" && process.arch === arch;

function linuxTarget(
  abi: string,
  cName: string,
  hostArch: string,
  gnuTriple: string,
  qemu: string,
): HarnessTarget {
  const native = hostIs(hostArch);
  const compilerName = native ? "gcc" : `${gnuTriple}-gcc`;
  const compiler = findTool(compilerName);
  const runner = native ? [] : findTool(qemu) ? [findTool(qemu)!] : undefined;
  return {
    abi,
    cName,
    format: "elf",
    how: native ? "native" : qemu,
    compiler,
    flags: native ? [] : ["-static"],
    runner,
    env: {},
    missing: !compiler ? compilerName : !runner ? qemu : undefined,
    executable: `harness_${cName}`,
  };
}

function winTarget(): HarnessTarget {
  const compilerName = "x86_64-w64-mingw32-gcc";
  const compiler = findTool(compilerName);
  // Debian's wine64 package puts the loader outside PATH.
  const wine = firstTool(["wine64", "wine", "/usr/lib/wine/wine64"]);
  const prefix = join(tmpdir(), `greenthreads-harness-wine-${process.getuid?.() ?? 0}`);
  return {
    abi: "x86_64-win64",
    cName: "x86_64_win64",
    format: "pe",
    how: "wine",
    compiler,
    flags: [],
    runner: wine ? [wine] : undefined,
    env: { WINEDEBUG: "-all", WINEPREFIX: prefix },
    missing: !compiler ? compilerName : !wine ? "wine64" : undefined,
    executable: "harness_x86_64_win64.exe",
  };
}

/** Every ABI the harness covers, with this machine's tools for it. */
export function harnessTargets(): HarnessTarget[] {
  return [
    linuxTarget("x86_64-sysv", "x86_64_sysv", "x64", "x86_64-linux-gnu", "qemu-x86_64"),
    linuxTarget("aarch64-aapcs64", "aarch64_aapcs64", "arm64", "aarch64-linux-gnu", "qemu-aarch64"),
    linuxTarget("riscv64-lp64d", "riscv64_lp64d", "riscv64", "riscv64-linux-gnu", "qemu-riscv64"),
    winTarget(),
  ];
}

/**
 * The generated assembler files a harness program links, in native/asm and
 * native/harness/generated; `switchFile` replaces the committed switch routine.
 */
export function harnessAssemblerFiles(target: HarnessTarget, switchFile?: string): string[] {
  const suffix = `${target.cName}_${target.format}_gas.S`;
  return [
    switchFile ?? join(ASM_DIR, `switch_${suffix}`),
    join(ASM_DIR, `start_${suffix}`),
    join(HARNESS_DIR, "generated", `check_${suffix}`),
  ];
}

/** A failed compile or run: the command, its exit status and output. */
export class HarnessCommandError extends Error {
  constructor(
    readonly command: string,
    readonly status: number | null,
    readonly output: string,
  ) {
    super(`${command}\nexited with ${status}:\n${output}`);
  }
}

function run(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
  timeoutMs = 300_000,
): { stdout: string; stderr: string } {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
  if (r.status !== 0) throw new HarnessCommandError(argv.join(" "), r.status, output);
  return { stdout: r.stdout, stderr: r.stderr };
}

/**
 * Compiles `source` (a C file of native/harness) with the generated files of
 * `target` into `outDir`; throws {@link HarnessCommandError} with the
 * compiler's (or assembler's) message on failure. Returns the executable.
 */
export function compileHarness(
  target: HarnessTarget,
  source: string,
  outDir: string,
  options: {
    extraFlags?: readonly string[];
    extraSources?: readonly string[];
    switchFile?: string;
    libraries?: readonly string[];
    name?: string;
  } = {},
): string {
  if (!target.compiler) throw new Error(`skipped: ${target.missing} not installed`);
  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, options.name ?? target.executable);
  run([
    target.compiler,
    "-O2",
    "-std=gnu11",
    "-Wall",
    "-Wextra",
    "-Werror",
    ...target.flags,
    ...(options.extraFlags ?? []),
    `-I${join(HARNESS_DIR, "generated")}`,
    `-DGT_CONTEXT_HEADER="context_${target.cName}.h"`,
    "-o",
    exe,
    join(HARNESS_DIR, source),
    ...harnessAssemblerFiles(target, options.switchFile),
    ...(options.extraSources ?? []),
    ...(options.libraries ?? []),
  ]);
  return exe;
}

/** Runs a compiled harness program under the target's runner; throws {@link HarnessCommandError} when it fails. */
export function runHarness(
  target: HarnessTarget,
  exe: string,
  args: readonly string[] = [],
  timeoutMs = 300_000,
): string {
  if (!target.runner) throw new Error(`skipped: ${target.missing} not installed`);
  return run([...target.runner, exe, ...args], target.env, timeoutMs).stdout;
}

/** The version line of a tool, for reports. */
export function toolVersion(tool: string): string {
  try {
    return execFileSync(tool, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  } catch {
    return "";
  }
}
