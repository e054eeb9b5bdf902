/**
 * The AArch64 instruction subset as typed values.
 *
 * Why this subset: it is exactly what the runtime's generated routines need
 * (building constants, moving the stack pointer, saving and restoring x and d
 * registers and FPCR, comparing and branching, calling through the link
 * register) plus the neighbouring forms that make the encoder's coverage
 * honest (all shifts, all conditions, both load/store offset forms).
 *
 * Every instruction is one 32-bit word, except the longer forms that
 * branch relaxation gives a `b.cond` or an `adr` whose label lies beyond
 * ±1 MiB (`far: true`, see below); sizes never depend on labels.
 * Each value names its operands the way GNU `as` spells them; `op` is the
 * mnemonic, with an `i` suffix where one mnemonic has an immediate and a
 * register form that the subset keeps apart (`addi` prints as `add x0, x1, #1`).
 * Immediates are plain numbers: every AArch64 immediate field is at most 26 bits.
 * A load into a `w` register (`ldr w0`, `ldrh w0`) zero-extends into the
 * whole `x` register.
 *
 * @module
 */
import type { LabelItem } from "../arch.js";

/**
 * A condition code of `b.cond`, in encoding order.
 *
 * @example
 * ```ts
 * import type { aarch64 } from "@greenthreads/isa";
 * const c: aarch64.Condition = "hs";
 * ```
 */
export type A64Condition =
  | "eq"
  | "ne"
  | "hs"
  | "lo"
  | "mi"
  | "pl"
  | "vs"
  | "vc"
  | "hi"
  | "ls"
  | "ge"
  | "lt"
  | "gt"
  | "le"
  | "al"
  | "nv";

/**
 * The conditions in encoding order: the index is the 4-bit `cond` field.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.CONDITIONS.indexOf("lt")); // 11
 * ```
 */
export const A64_CONDITIONS: readonly A64Condition[] = [
  "eq",
  "ne",
  "hs",
  "lo",
  "mi",
  "pl",
  "vs",
  "vc",
  "hi",
  "ls",
  "ge",
  "lt",
  "gt",
  "le",
  "al",
  "nv",
];

/**
 * Shift applied to the last register operand of the shifted-register forms.
 * `ror` is valid only for the logical instructions.
 *
 * @example
 * ```ts
 * import type { aarch64 } from "@greenthreads/isa";
 * const s: aarch64.Shift = "asr";
 * ```
 */
export type A64Shift = "lsl" | "lsr" | "asr" | "ror";

/**
 * One instruction of the AArch64 subset.
 *
 * | op | GNU form | notes |
 * |---|---|---|
 * | `movz`/`movk`/`movn` | `movz x0, #imm16, lsl #shift` | shift 0/16/32/48 |
 * | `mov` | `mov x0, x1` | `orr` alias; with `sp` on either side the `add #0` alias |
 * | `addi`/`subi` | `add x0, x1, #imm12{, lsl #12}` | Rd and Rn may be `sp` |
 * | `addsi`/`subsi` | `adds x0, x1, #imm12` | Rn may be `sp`, Rd may be `xzr` |
 * | `cmpi`/`cmni` | `cmp x1, #imm12` | `subs`/`adds` with Rd `xzr` |
 * | `add`/`sub`/`adds`/`subs` | `add x0, x1, x2{, lsl #n}` | shifted register |
 * | `cmp` | `cmp x1, x2` | `subs xzr, ...` |
 * | `and`/`orr`/`eor`/`ands` | `and x0, x1, x2{, ror #n}` | shifted register |
 * | `mul` | `mul x0, x1, x2` | `madd` alias |
 * | `lslv`/`lsrv`/`asrv` | `lslv x0, x1, x2` | amount modulo 64 |
 * | `lsli`/`lsri`/`asri` | `lsl x0, x1, #n` | `ubfm`/`sbfm` aliases |
 * | `ldr`/`str` | `ldr x0, [x1, #off]` | unsigned offset scaled by the size (x 8, w 4, d 8, q 16) |
 * | `ldur`/`stur` | `ldur x0, [x1, #-8]` | unscaled offset -256..255 |
 * | `ldrh` | `ldrh w0, [x1, #off]` | 16 bits zero-extended, unsigned offset scaled by 2 |
 * | `ldurh` | `ldurh w0, [x1, #-2]` | 16 bits zero-extended, unscaled offset -256..255 |
 * | `b`/`bl` | `b label` | ±128 MiB |
 * | `bcond` | `b.eq label` | ±1 MiB; `far`: `b.ne . + 8` / `b label`, ±128 MiB (8 bytes) |
 * | `br`/`blr`/`ret` | `br x0` | `ret` defaults to x30 |
 * | `adr` | `adr x0, label` | ±1 MiB; `far`: `movz`/`movk` of the distance into x16 (x17 when Rd is x16), `adr x0, .`, `add x0, x0, w16, sxtw`, ±2 GiB (16 bytes) |
 * | `mrs`/`msr` | `mrs x0, fpcr` | FPCR only |
 * | `brk` | `brk #imm16` | the interpreter stops with `illegal` |
 * | `nop` | `nop` | |
 * | `table` | `.4byte . - target` per entry | data, 4 bytes per entry (see LIR `table`) |
 *
 * @example
 * ```ts
 * import type { aarch64 } from "@greenthreads/isa";
 * const code: aarch64.Instruction[] = [
 *   { op: "movz", rd: "x0", imm: 0x1234, shift: 16 },
 *   { op: "addi", rd: "sp", rn: "sp", imm: 16 },
 *   { op: "ldr", rt: "d8", rn: "sp", offset: 8 },
 *   { op: "ret" },
 * ];
 * ```
 */
export type A64Instruction =
  | {
      readonly op: "movz" | "movk" | "movn";
      readonly rd: string;
      readonly imm: number;
      readonly shift?: 0 | 16 | 32 | 48;
    }
  | { readonly op: "mov"; readonly rd: string; readonly rn: string }
  | {
      readonly op: "addi" | "subi" | "addsi" | "subsi";
      readonly rd: string;
      readonly rn: string;
      readonly imm: number;
      readonly lsl12?: boolean;
    }
  | {
      readonly op: "cmpi" | "cmni";
      readonly rn: string;
      readonly imm: number;
      readonly lsl12?: boolean;
    }
  | {
      readonly op: "add" | "sub" | "adds" | "subs" | "and" | "orr" | "eor" | "ands";
      readonly rd: string;
      readonly rn: string;
      readonly rm: string;
      readonly shift?: A64Shift;
      readonly amount?: number;
    }
  | {
      readonly op: "cmp";
      readonly rn: string;
      readonly rm: string;
      readonly shift?: A64Shift;
      readonly amount?: number;
    }
  | {
      readonly op: "mul" | "lslv" | "lsrv" | "asrv";
      readonly rd: string;
      readonly rn: string;
      readonly rm: string;
    }
  | {
      readonly op: "lsli" | "lsri" | "asri";
      readonly rd: string;
      readonly rn: string;
      readonly amount: number;
    }
  | {
      readonly op: "ldr" | "str" | "ldur" | "stur" | "ldrh" | "ldurh";
      readonly rt: string;
      readonly rn: string;
      readonly offset: number;
    }
  | { readonly op: "b" | "bl"; readonly target: string }
  | {
      readonly op: "bcond";
      readonly cond: A64Condition;
      readonly target: string;
      /** The long form: the inverted condition skips a `b` (not for `al`/`nv`). */
      readonly far?: true;
    }
  | { readonly op: "br" | "blr"; readonly rn: string }
  | { readonly op: "ret"; readonly rn?: string }
  | {
      readonly op: "adr";
      readonly rd: string;
      readonly target: string;
      /** The long form: the distance built in x16 (x17 when Rd is x16) and added to `adr Rd, .`. */
      readonly far?: true;
    }
  | { readonly op: "mrs"; readonly rt: string; readonly sysreg: "fpcr" }
  | { readonly op: "msr"; readonly sysreg: "fpcr"; readonly rt: string }
  | { readonly op: "brk"; readonly imm: number }
  | { readonly op: "nop" }
  | { readonly op: "table"; readonly entries: readonly (string | null)[] };

/**
 * An AArch64 instruction or a label, the items of an instruction list.
 *
 * @example
 * ```ts
 * import type { aarch64 } from "@greenthreads/isa";
 * const items: aarch64.Item[] = [{ op: "label", name: "top" }, { op: "b", target: "top" }];
 * ```
 */
export type A64Item = A64Instruction | LabelItem;
