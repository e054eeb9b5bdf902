/** The tables in each ABI's TSDoc are what its data says (regenerate with scripts/abi-tables.ts). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ABI_FILES, abiDir, withFreshTables } from "../../scripts/abi-tables.js";
import { abis } from "../../src/abi/registry.js";

describe.each(Object.entries(ABI_FILES))("the TSDoc of %s", (name, file) => {
  test("shows the registers and context layout of its data", () => {
    const text = readFileSync(join(abiDir, file), "utf8");
    const abi = abis[name as keyof typeof abis];
    expect(text).toContain(`| callee-saved integer | ${abi.calleeSavedInteger.join(" ")} |`);
    expect(withFreshTables(text, abi), "run: pnpm exec tsx scripts/abi-tables.ts").toBe(text);
  });
});
