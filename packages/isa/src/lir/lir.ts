/**
 * LIR, the portable low-level operations from which every routine of the
 * runtime is generated.
 *
 * Why a portable layer: the context switch, the start-up trampoline, the exit
 * routine and every lowered thread program are written once, in terms of an
 * ABI's data, as a list of LIR operations over that ABI's physical register
 * names. Each instruction set then selects its own instructions for each
 * operation ({@link Arch.select}). Nothing is written by hand per ABI, and a
 * new ABI is new data, not new code.
 *
 * Conventions every {@link Arch.select} honours:
 * - Registers are the ABI's physical names (`rbx`, `x19`, `s1`...). `sp` is
 *   spelled as the ABI's stack pointer name and may appear only where noted.
 * - Values are 64-bit. Immediates of any size are accepted; an instruction set
 *   whose encodings are narrower builds the value in its reserved scratch
 *   registers ({@link Arch.reserved}), which no generator may use.
 * - Immediates range from -2^63 to 2^64-1 (a bit pattern either way); wider
 *   values are rejected with `OPERAND_OUT_OF_RANGE`.
 * - Shifts use the low 6 bits of the amount on every instruction set.
 * - `mul` keeps the low 64 bits of the product.
 * - Reserved registers are never operands. x86-64 reserves r11 always and
 *   rcx for the two selections that need it (a shift by a register, which
 *   must go through cl, and a wide immediate whose other operand is r11), so
 *   a routine may keep an argument in rcx as long as it does neither.
 * - `load` reads 8 bytes unless it names a narrower `width` (4 or 2); a
 *   narrow load zero-extends the value to 64 bits on every instruction set.
 *   It exists so that a routine can read back exactly what a narrow store
 *   (such as `storectl` on x86-64) wrote: a wider load of a value still in
 *   the store buffer cannot be forwarded from it and waits for the store to
 *   reach the cache.
 * - `loadf`/`storef` of width 16 exist on x86-64 (xmm) and AArch64 (q); RISC-V
 *   float registers are 8 bytes.
 * - `loadctl`/`storectl` use the first {@link CONTROL_STORE_WIDTH} bytes of
 *   an 8-byte slot; the rest of the slot is neither read nor written.
 * - `trap` stops an interpreter with the stop reason `illegal`.
 *
 * @module
 */

/**
 * A physical register name of the instruction set (`"rax"`, `"x19"`, `"s0"`).
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const r: lir.Reg = "rbx";
 * ```
 */
export type Reg = string;

/**
 * Two-operand arithmetic and logic: `dst = a <kind> b`.
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const k: lir.AluKind = "add";
 * ```
 */
export type AluKind = "add" | "sub" | "mul" | "and" | "or" | "xor" | "shl" | "shr" | "sar";

/**
 * Branch conditions. `lt`/`le`/`gt`/`ge` compare signed, the `u` forms unsigned.
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const c: lir.Cond = "ltu";
 * ```
 */
export type Cond = "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "ltu" | "leu" | "gtu" | "geu";

/**
 * Floating-point control state that a context switch keeps: x86-64's MXCSR
 * (32 bits) and x87 control word (16 bits), AArch64's FPCR, RISC-V's fcsr.
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const c: lir.ControlRegister = "mxcsr";
 * ```
 */
export type ControlRegister = "mxcsr" | "x87cw" | "fpcr" | "fcsr";

/**
 * How many bytes `storectl` writes (and `loadctl` reads) at the start of a
 * control register's 8-byte slot: what each instruction set's selection
 * moves. x86-64 stores the registers themselves (`stmxcsr` 4 bytes,
 * `fnstcw` 2); AArch64 and RISC-V move FPCR and fcsr through an integer
 * register and store all 8 bytes of it, zero-extended.
 *
 * A routine that reads a saved control value back loads exactly this width,
 * so that the load takes its value from the store that is still in flight.
 *
 * @example
 * ```ts
 * import { lir } from "@greenthreads/isa";
 * console.log(lir.CONTROL_STORE_WIDTH.mxcsr, lir.CONTROL_STORE_WIDTH.fcsr); // 4 8
 * ```
 */
export const CONTROL_STORE_WIDTH: Readonly<Record<ControlRegister, LoadWidth>> = {
  mxcsr: 4,
  x87cw: 2,
  fpcr: 8,
  fcsr: 8,
};

/**
 * The widths of an integer `load`, in bytes: 8, or 4 and 2 zero-extended.
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const w: lir.LoadWidth = 4;
 * ```
 */
export type LoadWidth = 8 | 4 | 2;

/**
 * One portable operation. See the module comment for the conventions.
 *
 * | op | meaning |
 * |---|---|
 * | `label` | marks the next operation's address; `global` exports it as a symbol |
 * | `mov` | `dst = src`; either may be the stack pointer |
 * | `li` | `dst = imm` (any 64-bit value) |
 * | `la` | `dst =` address of `label` (PC-relative) |
 * | `alu` | `dst = a <kind> b` |
 * | `alui` | `dst = a <kind> imm`; `add`/`sub` may name the stack pointer as `dst` and `a` |
 * | `load` | `dst =` the `width` bytes (8, 4 or 2; default 8) at `base + offset`, zero-extended; `base`, and `dst` of an 8-byte load, may be the stack pointer |
 * | `store` | the 8 bytes at `base + offset` `= src`; `base` and `src` may be the stack pointer |
 * | `loadf`/`storef` | a float/vector register, `width` 8 or 16 bytes |
 * | `loadctl`/`storectl` | floating-point control state to or from an 8-byte slot (of which {@link CONTROL_STORE_WIDTH} bytes are used) |
 * | `loadtls`/`storetls` | 64-bit word at `gs:offset` (x86-64 Windows thread information block) |
 * | `pop` | `dst = [sp]; sp += 8` (x86-64 only: takes the return address a `call` pushed) |
 * | `br` | if `a <cond> b` then go to `target`; `b` is a register or an integer |
 * | `jmp` | go to `target` |
 * | `jr` | go to the address in `reg` |
 * | `call` | native call of `target` (pushes the return address on x86-64, sets the link register elsewhere) |
 * | `callr` | native call of the address in `reg` |
 * | `trap` | an illegal instruction (`ud2`, `brk`, `ebreak`): the thread cannot continue |
 * | `table` | data, not an instruction: one 32-bit word per entry, the distance from the word back to the entry's label (which must come before the table, less than 4 GiB away), or 0 for `null`; read it with a 4-byte `load`, subtract the word from its own address, `jr` there |
 *
 * @example
 * ```ts
 * import type { lir } from "@greenthreads/isa";
 * const ops: lir.LirOp[] = [
 *   { op: "label", name: "answer", global: true },
 *   { op: "li", dst: "rax", imm: 42n },
 *   { op: "pop", dst: "rcx" },
 *   { op: "jr", reg: "rcx" },
 * ];
 * ```
 */
export type LirOp =
  | { op: "label"; name: string; global?: boolean }
  | { op: "mov"; dst: Reg; src: Reg }
  | { op: "li"; dst: Reg; imm: bigint }
  | { op: "la"; dst: Reg; label: string }
  | { op: "alu"; kind: AluKind; dst: Reg; a: Reg; b: Reg }
  | { op: "alui"; kind: AluKind; dst: Reg; a: Reg; imm: bigint }
  | { op: "load"; dst: Reg; base: Reg; offset: number; width?: LoadWidth }
  | { op: "store"; src: Reg; base: Reg; offset: number }
  | { op: "loadf"; dst: Reg; base: Reg; offset: number; width: 8 | 16 }
  | { op: "storef"; src: Reg; base: Reg; offset: number; width: 8 | 16 }
  | { op: "loadctl"; control: ControlRegister; base: Reg; offset: number }
  | { op: "storectl"; control: ControlRegister; base: Reg; offset: number }
  | { op: "loadtls"; dst: Reg; offset: number }
  | { op: "storetls"; src: Reg; offset: number }
  | { op: "pop"; dst: Reg }
  | { op: "br"; cond: Cond; a: Reg; b: Reg | bigint; target: string }
  | { op: "jmp"; target: string }
  | { op: "jr"; reg: Reg }
  | { op: "call"; target: string }
  | { op: "callr"; reg: Reg }
  | { op: "trap" }
  | { op: "table"; entries: readonly (string | null)[] };
