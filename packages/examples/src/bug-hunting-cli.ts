import { bugHunting } from "./bug-hunting.js";

bugHunting((line) => console.log(line));
