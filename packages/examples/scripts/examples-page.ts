// Writes docs/examples.md and its pictures from the examples' own output.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { examplesPage } from "../src/catalog.js";

const docs = join(dirname(fileURLToPath(import.meta.url)), "../../../docs");
mkdirSync(join(docs, "media"), { recursive: true });
const page = examplesPage((name, svg) => writeFileSync(join(docs, "media", name), svg));
writeFileSync(join(docs, "examples.md"), page);
console.log(`wrote ${join(docs, "examples.md")}`);
