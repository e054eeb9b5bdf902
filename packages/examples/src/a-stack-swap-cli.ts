import { stackSwap } from "./a-stack-swap.js";

stackSwap((line) => console.log(line));
