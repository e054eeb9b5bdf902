/**
 * Packing the public packages as they would be published: `pnpm pack` (which
 * turns `workspace:*` into versions) into a scratch folder, and each tarball
 * unpacked next to it, so tests can look at exactly the files a user gets.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** One packed package. */
export interface Packed {
  /** The package's name, e.g. `@greenthreads/switch`. */
  readonly name: string;
  /** Its folder in the repository. */
  readonly source: string;
  /** The .tgz file. */
  readonly tarball: string;
  /** The tarball unpacked: the package's root as installed. */
  readonly root: string;
  /** Every file in the tarball, relative to its root, with "/" separators. */
  readonly files: readonly string[];
}

/** The workspace packages that are published (not private). */
export function publicPackages(): { name: string; source: string }[] {
  const packages = join(repositoryRoot, "packages");
  return readdirSync(packages)
    .map((dir) => join(packages, dir))
    .map((source) => ({
      source,
      manifest: JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as {
        name: string;
        private?: boolean;
      },
    }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ source, manifest }) => ({ name: manifest.name, source }));
}

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** Packs every public package into `into` and unpacks each tarball there. */
export function packAll(into: string): Packed[] {
  return publicPackages().map(({ name, source }) => {
    const out = execFileSync("pnpm", ["pack", "--pack-destination", into], {
      cwd: source,
      encoding: "utf8",
    });
    const tarball = out.trim().split("\n").at(-1)!.trim();
    const root = join(into, name.replace("/", "+"));
    mkdirSync(root, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", root, "--strip-components=1"]);
    return { name, source, tarball, root, files: walk(root) };
  });
}
