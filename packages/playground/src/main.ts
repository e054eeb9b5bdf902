// The page's entry: mount the playground.
import { mount } from "./app.js";

mount(document.getElementById("app")!);
