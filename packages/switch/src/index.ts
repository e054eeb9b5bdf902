export * from "./backend.js";
export * from "./emulated/emulated-backend.js";
export * from "./errors.js";
export * from "./load-backend.js";
export * from "./native/native-backend.js";
export * from "./native/native-stack-allocator.js";
export * from "./self-test.js";
