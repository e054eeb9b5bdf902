import { swapDemo } from "./swap.js";

swapDemo((line) => console.log(line));
