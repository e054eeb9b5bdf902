import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { build } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Packed, packAll, publicPackages, repositoryRoot } from "./pack.js";
import { relativeLinks } from "./readme-links.js";

const scratch = mkdtempSync(join(tmpdir(), "greenthreads-packed-"));
let packed: Packed[] = [];
const byName = (name: string) => packed.find((p) => p.name === name)!;

beforeAll(() => {
  const missing = publicPackages().filter(({ source }) => !existsSync(join(source, "dist")));
  if (missing.length > 0) {
    throw new Error(
      `no dist/ in ${missing.map((m) => m.name).join(", ")}: run \`pnpm build\` before these tests`,
    );
  }
  packed = packAll(scratch);
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whether this Node is one the packages' `engines` range names (npm warns about the others). */
function supportedNode(): boolean {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  return (major === 22 && minor >= 12) || major === 24 || major >= 26;
}

test("the README link check finds relative links and leaves the rest", () => {
  const readme = [
    "See [the guide](docs/guide.md#start), [API](<docs/api one.md>) and [site](https://example.org/x).",
    '[anchor](#usage) ![diagram](images/flow.svg) <a href="../../LICENSE">license</a>',
    "[ref]: notes/ref.md",
    "```md",
    "[in a code block](not/a/link.md)",
    "```",
  ].join("\n");
  expect(relativeLinks(readme).sort()).toEqual(
    ["../../LICENSE", "docs/api one.md", "docs/guide.md", "images/flow.svg", "notes/ref.md"].sort(),
  );
});

const names = publicPackages().map((p) => p.name);

describe.each(names)("the packed %s", (name) => {
  test("has its README, the MIT LICENSE and the metadata registries show", () => {
    const p = byName(name);
    expect(p.files).toContain("README.md");
    expect(readFileSync(join(p.root, "LICENSE"), "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 the greenthreads authors\n/,
    );
    const manifest = JSON.parse(readFileSync(join(p.root, "package.json"), "utf8"));
    expect(manifest.license).toBe("MIT");
    expect(manifest.repository).toMatchObject({
      type: "git",
      url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/),
      directory: posix.relative(
        repositoryRoot.split("\\").join("/"),
        p.source.split("\\").join("/"),
      ),
    });
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs.url).toMatch(/^https:\/\//);
    expect(manifest.keywords.length).toBeGreaterThan(2);
    expect(manifest.engines.node).toBeTruthy();
    // Nothing for a package manager to run at install time, and no binding.gyp that would
    // make npm run `node-gyp rebuild` (or pnpm refuse an unapproved build).
    expect(
      manifest.scripts?.preinstall ?? manifest.scripts?.install ?? manifest.scripts?.postinstall,
    ).toBeUndefined();
    expect(p.files).not.toContain("binding.gyp");
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain("workspace:");
  });

  test("every relative link in its README resolves to a file in the tarball", () => {
    const p = byName(name);
    const links = relativeLinks(readFileSync(join(p.root, "README.md"), "utf8"));
    const broken = links.filter((link) => {
      const target = posix.normalize(link.replace(/^\.\//, "")).replace(/\/$/, "");
      if (target.startsWith("../")) return true; // outside the package
      return !p.files.some((f) => f === target || f.startsWith(`${target}/`));
    });
    expect(broken).toEqual([]);
  });

  test("publint (strict) finds nothing", async () => {
    const p = byName(name);
    const tarball = readFileSync(p.tarball);
    const { messages } = await publint({
      pack: {
        tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength),
      },
      strict: true,
    });
    const manifest = JSON.parse(readFileSync(join(p.root, "package.json"), "utf8"));
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest) ?? m.code}`)).toEqual([]);
  });

  test("attw finds the types right for every module resolution", () => {
    const p = byName(name);
    const attw = join(repositoryRoot, "node_modules", ".bin", "attw");
    const result = spawnSync(attw, [p.tarball, "--format", "ascii", "--no-color", "--no-emoji"], {
      encoding: "utf8",
    });
    expect({ status: result.status, output: result.stdout + result.stderr }).toMatchObject({
      status: 0,
    });
  }, 60_000);
});

describe("installed from the tarballs", () => {
  let project = "";
  let npmOutput = "";

  beforeAll(() => {
    project = join(scratch, "npm-project");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), '{ "private": true, "type": "module" }\n');
    const result = spawnSync(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--foreground-scripts",
        ...packed.map((p) => p.tarball),
      ],
      { cwd: project, encoding: "utf8" },
    );
    npmOutput = result.stdout + result.stderr;
    expect({ status: result.status, output: npmOutput }).toMatchObject({ status: 0 });
  }, 180_000);

  test("npm prints no warning about them and runs nothing of theirs", () => {
    const warnings = npmOutput
      .split("\n")
      .filter((l) => /\bwarn/i.test(l))
      // On a Node outside `engines` (the CI host's own), npm rightly says so.
      .filter((l) => supportedNode() || !/EBADENGINE/.test(l));
    expect(warnings).toEqual([]);
    expect(npmOutput).not.toMatch(/node-gyp|gyp (info|ERR)/);
    expect(existsSync(join(project, "node_modules", "@greenthreads", "switch", "build"))).toBe(
      false,
    );
  });

  test("pnpm installs them without an ignored build script", () => {
    const pnpmProject = join(scratch, "pnpm-project");
    execFileSync("mkdir", ["-p", pnpmProject]);
    writeFileSync(join(pnpmProject, "package.json"), '{ "private": true, "type": "module" }\n');
    // The tarballs' dependencies on each other point at the registry; send them to the tarballs.
    const overrides = packed.map((p) => `  "${p.name}": "file:${p.tarball}"`).join("\n");
    writeFileSync(join(pnpmProject, "pnpm-workspace.yaml"), `overrides:\n${overrides}\n`);
    const result = spawnSync("pnpm", ["add", ...packed.map((p) => p.tarball)], {
      cwd: pnpmProject,
      encoding: "utf8",
    });
    const output = result.stdout + result.stderr;
    expect({ status: result.status, output }).toMatchObject({ status: 0 });
    expect(output).not.toMatch(/ignored build|approve-builds|WARN/i);
  }, 120_000);

  test("ESM and CommonJS consumers load them, and the prebuilt addon runs where one is shipped", () => {
    const prebuild = byName("@greenthreads/switch").files.some((f) =>
      f.startsWith(`prebuilds/${process.platform}-${process.arch}/`),
    );
    const esm = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { Runtime, join } from "@greenthreads/scheduler";
         import { loadBackend } from "@greenthreads/switch";
         const rt = new Runtime();
         const t = rt.spawn(function* () { yield; return 41; });
         let got;
         rt.spawn(function* () { got = (yield* join(t)) + 1; });
         rt.run();
         console.log(JSON.stringify({ got, backend: loadBackend().kind }));`,
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect(esm.stderr).toBe("");
    expect(JSON.parse(esm.stdout)).toEqual({ got: 42, backend: prebuild ? "native" : "emulated" });
    const cjs = spawnSync(
      process.execPath,
      [
        "-e",
        `const { parseProgram, ReferenceMachine } = require("@greenthreads/isa");
         const { loadBackend } = require("@greenthreads/switch");
         const m = new ReferenceMachine(parseProgram("mov r0, 6\\nmul r0, r0, 7\\nexit r0"), { stackWords: 8 });
         console.log(JSON.stringify({ trap: String(m.resume().code), backend: loadBackend().kind }));`,
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect(cjs.stderr).toBe("");
    expect(JSON.parse(cjs.stdout)).toEqual({
      trap: "42",
      backend: prebuild ? "native" : "emulated",
    });
  });

  /** Bundles `contents` from the installed packages for the browser, with no aliases, shims or defines. */
  async function bundleForBrowser(contents: string): Promise<string[]> {
    const result = await build({
      stdin: { contents, resolveDir: project, loader: "ts" },
      absWorkingDir: project,
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.filter((i) => /(^|\/)node:|\.node$/.test(i))).toEqual([]);
    return inputs;
  }

  test("the scheduler's core bundles for the browser on its own", async () => {
    const inputs = await bundleForBrowser(
      `export { Runtime, join } from "@greenthreads/scheduler";`,
    );
    // Built files, not the TypeScript sources; and the core needs no machine-thread package.
    expect(inputs.some((i) => i.includes("@greenthreads/scheduler/dist/"))).toBe(true);
    expect(inputs.filter((i) => /@greenthreads\/(switch|isa)\//.test(i))).toEqual([]);
  });

  test("machine threads on the emulated backend bundle for the browser", async () => {
    const inputs = await bundleForBrowser(
      `export { Runtime, join } from "@greenthreads/scheduler";
       export { spawnMachine } from "@greenthreads/scheduler/machine";
       export { EmulatedBackend, loadBackend } from "@greenthreads/switch";`,
    );
    expect(inputs.some((i) => i.includes("@greenthreads/switch/dist/"))).toBe(true);
  });
});
