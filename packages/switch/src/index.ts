export * from "./backend.js";
export * from "./emulated/emulated-backend.js";
export * from "./errors.js";
export * from "./load-backend.js";
export * from "./native/native-backend.js";
export * from "./native/native-stack-allocator.js";
export * from "./self-test.js";
export {
  TURN_BUDGET_PASS,
  TURN_BUDGET_STAY,
  TURN_YIELD,
  type TurnResult,
  TurnRing,
} from "./turns.js";
export * from "./wasm/wasm-backend.js";
export * from "./wasm/wasm-stack-allocator.js";
