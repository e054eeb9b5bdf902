/**
 * The x86-64 instruction subset as typed values.
 *
 * Why a small, explicit subset: the runtime only ever generates context
 * switches, trampolines and lowered thread programs, which need 64-bit moves,
 * arithmetic, compares, branches, the stack instructions, and the few SSE/x87
 * instructions that save and restore floating-point state. Each variant below
 * is one encoding family with a fixed operand shape, so that the encoder, the
 * formatter and the interpreter can switch on `op` and agree exactly.
 *
 * `load32`/`load16` name their destination by its 64-bit name (`rax`) and
 * print it as the 32-bit register (`eax`): writing a 32-bit register clears
 * the upper half, so both are zero-extending loads into the 64-bit register.
 *
 * Memory operands are `[base + disp]` with a 64-bit integer base register and
 * a signed 32-bit displacement; `rip`-relative addressing appears only in
 * `lea` of a label, and `gs:`-relative absolute addressing only in
 * `loadGs`/`storeGs`.
 *
 * @module
 */
import type { Reg } from "../../lir/lir.js";

/**
 * The sixteen condition codes of `jcc`, in encoding order (`0F 80+cc`).
 * `b`/`be`/`a`/`ae` compare unsigned, `l`/`le`/`g`/`ge` signed.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.CONDITIONS.indexOf("e")); // 4
 * ```
 */
export const X86_CONDITIONS = [
  "o",
  "no",
  "b",
  "ae",
  "e",
  "ne",
  "be",
  "a",
  "s",
  "ns",
  "p",
  "np",
  "l",
  "ge",
  "le",
  "g",
] as const;

/**
 * A `jcc` condition code.
 *
 * @example
 * ```ts
 * import type { x86_64 } from "@greenthreads/isa";
 * const signedLess: x86_64.Condition = "l";
 * ```
 */
export type X86Condition = (typeof X86_CONDITIONS)[number];

/**
 * The two-operand arithmetic/logic instructions of the subset (`cmp` is `sub`
 * that only sets flags).
 *
 * @example
 * ```ts
 * import type { x86_64 } from "@greenthreads/isa";
 * const k: x86_64.AluKind = "cmp";
 * ```
 */
export type X86AluKind = "add" | "sub" | "and" | "or" | "xor" | "cmp";

/**
 * The shift instructions of the subset.
 *
 * @example
 * ```ts
 * import type { x86_64 } from "@greenthreads/isa";
 * const k: x86_64.ShiftKind = "sar";
 * ```
 */
export type X86ShiftKind = "shl" | "shr" | "sar";

/**
 * One instruction of the x86-64 subset. Register operands are 64-bit integer
 * register names (`rax`...`r15`) or, for the SSE moves, `xmm0`...`xmm15`.
 *
 * | op | assembler | encoding |
 * |---|---|---|
 * | `mov` | `mov dst, src` | `REX.W 89 /r` |
 * | `movi` | `mov dst, imm32` or `movabs dst, imm64` | `REX.W C7 /0 id` when the value fits a sign-extended imm32, else `REX.W B8+r io` |
 * | `load` | `mov dst, qword ptr [base + disp]` | `REX.W 8B /r` |
 * | `store` | `mov qword ptr [base + disp], src` | `REX.W 89 /r` |
 * | `load32` | `mov dst32, dword ptr [base + disp]` (zero-extends into dst) | `8B /r`, REX only for r8-r15 |
 * | `load16` | `movzx dst32, word ptr [base + disp]` (zero-extends into dst) | `0F B7 /r`, REX only for r8-r15 |
 * | `lea` | `lea dst, [rip + label]` | `REX.W 8D /r` rel32 |
 * | `alu` | `add dst, src` ... | `REX.W 01/29/21/09/31/39 /r` |
 * | `alui` | `add dst, imm` ... | `REX.W 83 /n ib`, `REX.W 05..3D id` for rax, else `REX.W 81 /n id` |
 * | `imul` | `imul dst, src` | `REX.W 0F AF /r` |
 * | `shift` | `shl dst, cl` ... | `REX.W D3 /4,/5,/7` |
 * | `shifti` | `shl dst, imm` ... | `REX.W D1 /n` for 1, else `REX.W C1 /n ib` |
 * | `push`/`pop` | `push reg` / `pop reg` | `50+r` / `58+r` |
 * | `jmp`/`jcc`/`call` | `{disp32} jmp label`, `{disp32} je label`, `call label` | `E9`, `0F 80+cc`, `E8`, all rel32 |
 * | `jmpr`/`callr` | `jmp reg` / `call reg` | `FF /4` / `FF /2` |
 * | `ret`/`nop`/`ud2` | | `C3` / `90` / `0F 0B` |
 * | `movdquLoad`/`movdquStore` | `movdqu xmm, xmmword ptr [m]` and back | `F3 0F 6F` / `F3 0F 7F` |
 * | `movqLoad`/`movqStore` | `movq xmm, qword ptr [m]` and back | `F3 0F 7E` / `66 0F D6` |
 * | `ldmxcsr`/`stmxcsr` | `ldmxcsr dword ptr [m]` | `0F AE /2` / `0F AE /3` |
 * | `fldcw`/`fnstcw` | `fldcw word ptr [m]` | `D9 /5` / `D9 /7` |
 * | `loadGs`/`storeGs` | `mov dst, qword ptr gs:[disp]` and back | `65 REX.W 8B/89 /r` with SIB `25` disp32 |
 * | `table` | `.4byte . - target` per entry (data; see LIR `table`) | 4 bytes per entry |
 *
 * @example
 * ```ts
 * import type { x86_64 } from "@greenthreads/isa";
 * const program: x86_64.Instruction[] = [
 *   { op: "movi", dst: "rax", imm: 42n },
 *   { op: "load", dst: "rbx", base: "rsp", disp: 8 },
 *   { op: "ret" },
 * ];
 * ```
 */
export type X86Instruction =
  | { readonly op: "mov"; readonly dst: Reg; readonly src: Reg }
  | { readonly op: "movi"; readonly dst: Reg; readonly imm: bigint }
  | { readonly op: "load"; readonly dst: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "store"; readonly src: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "load32"; readonly dst: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "load16"; readonly dst: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "lea"; readonly dst: Reg; readonly label: string }
  | { readonly op: "alu"; readonly kind: X86AluKind; readonly dst: Reg; readonly src: Reg }
  | { readonly op: "alui"; readonly kind: X86AluKind; readonly dst: Reg; readonly imm: bigint }
  | { readonly op: "imul"; readonly dst: Reg; readonly src: Reg }
  | { readonly op: "shift"; readonly kind: X86ShiftKind; readonly dst: Reg }
  | { readonly op: "shifti"; readonly kind: X86ShiftKind; readonly dst: Reg; readonly imm: number }
  | { readonly op: "push"; readonly reg: Reg }
  | { readonly op: "pop"; readonly reg: Reg }
  | { readonly op: "jmp"; readonly target: string }
  | { readonly op: "jcc"; readonly cond: X86Condition; readonly target: string }
  | { readonly op: "jmpr"; readonly reg: Reg }
  | { readonly op: "call"; readonly target: string }
  | { readonly op: "callr"; readonly reg: Reg }
  | { readonly op: "ret" }
  | { readonly op: "nop" }
  | { readonly op: "ud2" }
  | { readonly op: "movdquLoad"; readonly dst: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "movdquStore"; readonly src: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "movqLoad"; readonly dst: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "movqStore"; readonly src: Reg; readonly base: Reg; readonly disp: number }
  | { readonly op: "ldmxcsr"; readonly base: Reg; readonly disp: number }
  | { readonly op: "stmxcsr"; readonly base: Reg; readonly disp: number }
  | { readonly op: "fldcw"; readonly base: Reg; readonly disp: number }
  | { readonly op: "fnstcw"; readonly base: Reg; readonly disp: number }
  | { readonly op: "loadGs"; readonly dst: Reg; readonly disp: number }
  | { readonly op: "storeGs"; readonly src: Reg; readonly disp: number }
  | { readonly op: "table"; readonly entries: readonly (string | null)[] };

/**
 * The `op` of every x86-64 instruction.
 *
 * @example
 * ```ts
 * import type { X86Op } from "./instructions.js";
 * const op: X86Op = "jcc";
 * ```
 */
export type X86Op = X86Instruction["op"];
