/**
 * The RV64G instruction set: typed instructions, encoder, GNU assembler
 * formatter, interpreter and instruction selection from LIR. This module is
 * the one re-export point of the instruction set's public API.
 *
 * @module
 */
export * from "./encode.js";
export * from "./format.js";
export * from "./instructions.js";
export * from "./registers.js";
