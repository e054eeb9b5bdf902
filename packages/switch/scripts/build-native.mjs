#!/usr/bin/env node
// Builds the native addon for this machine into prebuilds/<platform>-<arch>
// with prebuildify, when a C compiler is available. It never fails the
// package build: without a compiler (or if the build breaks) the committed
// prebuild, or else the emulated backend, is used, and this says so.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cc = process.env.CC ?? "cc";
if (spawnSync(cc, ["--version"], { stdio: "ignore" }).status !== 0) {
  console.log(
    `build-native: no C compiler (${cc}); using the committed prebuild or the emulated backend`,
  );
  process.exit(0);
}
const env = { ...process.env };
// Offline: use the installed Node headers when they exist, instead of downloading them.
if (!env.npm_config_nodedir && existsSync("/usr/include/node/node_api.h"))
  env.npm_config_nodedir = "/usr";
const bin = join(
  root,
  "node_modules",
  ".bin",
  process.platform === "win32" ? "prebuildify.cmd" : "prebuildify",
);
// The gyp project sits in native/, not at the package root, so that no package
// manager runs its default `node-gyp rebuild` when installing the package.
const result = spawnSync(
  bin,
  ["--napi", "--strip", "--cwd", "native", "--out", ".", "--name", "@greenthreads/switch"],
  { cwd: root, env, stdio: "inherit" },
);
if (result.status !== 0) {
  console.log(
    "build-native: the addon did not build; using the committed prebuild or the emulated backend",
  );
}
process.exit(0);
