import { loadBackend } from "@greenthreads/switch";
import { preemption } from "./preemption.js";

const backend = loadBackend();
console.log(`backend: ${backend.kind} ${backend.abi.name} (${backend.reason})\n`);
preemption((line) => console.log(line), backend);
