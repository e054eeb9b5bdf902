import { fibersWindows } from "./e-fibers-windows.js";

fibersWindows((line) => console.log(line));
