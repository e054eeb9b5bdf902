import type { AbiName } from "@greenthreads/isa";
import { everyAbi } from "./every-abi.js";

// An ABI name as the first argument picks whose switch routine is shown.
everyAbi((line) => console.log(line), (process.argv[2] as AbiName | undefined) ?? undefined);
