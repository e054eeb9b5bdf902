import { loadBackend } from "@greenthreads/switch";
import { machineFibers, showStack } from "./machine-fibers.js";

const backend = loadBackend();
console.log(`backend: ${backend.kind} ${backend.abi.name} (${backend.reason})`);
machineFibers((line) => console.log(line), backend);
console.log("\nstack of a counting machine thread at its third yield:");
for (const line of showStack(backend)) console.log(line);
