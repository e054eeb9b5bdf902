/**
 * The generated files of the C ping-pong harness, derived from the ABI data
 * of @greenthreads/isa, so that nothing in the harness is written by hand per
 * ABI.
 *
 * Per ABI there are two files in native/harness/generated/:
 *
 * - `context_<abi>.h`: the context size and slot offsets, the slots the
 *   harness sets and verifies, the float control defaults a new thread starts
 *   with, and `gt_initial_frame()`, a C transcription of isa's `initialFrame`
 *   obtained by evaluating it on tagged inputs (see {@link initialFrameC}).
 * - `check_<abi>_<format>_gas.S`: three small routines built from LIR, like the
 *   switch routine itself:
 *
 * ```
 *   gt_check_<abi>(from, to, in, out)   save the caller's callee-saved state on
 *                                       the stack, load every callee-saved
 *                                       register and the float control state
 *                                       from `in`, call gt_switch_<abi>(from,
 *                                       to, in), store them all into `out` when
 *                                       the switch comes back, restore the
 *                                       caller's state, return the switch's
 *                                       value
 *   gt_probe_entry_<abi>(probe)         a thread's first instruction: records
 *                                       sp, the float control state and the
 *                                       thread-information words, then jumps
 *                                       to probe->entry with the stack as found
 *   gt_read_thread_information_<abi>(out)  the thread-information words now
 * ```
 *
 * `in` and `out` are laid out like a context (the same offsets), so the
 * slot table of the header serves both. The check routine's frame:
 *
 * ```
 *   caller's sp ─►  (x86-64: return address of gt_check)
 *                  ┌──────────────────────────────┐
 *                  │ padding to the ABI alignment │
 *                  │ saved float control state    │
 *                  │ saved float registers        │  16-byte slots 16-aligned
 *                  │ saved integer registers      │
 *                  │ saved link register          │  (link-register ABIs)
 *                  │ `out`                        │  reloaded after the switch
 *                  ├──────────────────────────────┤
 *                  │ shadow space (Win64: 32)     │  home area of gt_switch
 *   sp at the call ─► └──────────────────────────────┘  aligned to the ABI's alignment
 * ```
 *
 * Shared by `harness-generate.ts` (which writes the files) and the harness
 * test (which fails when the committed files differ from what the ABI data
 * gives).
 *
 * @module
 */
import { type Abi, getAbi, getArch, type lir, lowering, routines } from "@greenthreads/isa";
import { ASM_TARGETS } from "./asm-files.js";

const {
  DEFAULT_FLOAT_CONTROL,
  entryStackOffset,
  initialFrame,
  loweredFootprint,
  routineSymbol,
  scratchRegisters,
} = routines;
const { assignRegisters } = lowering;

/**
 * What the harness may write into each float control register, and how many
 * bytes of it the hardware stores. Values are `fixed | (random & vary)`: the
 * varied bits are rounding modes, flush-to-zero and similar control bits (and
 * sticky flags), never reserved bits, and every exception stays masked.
 */
const CONTROL_VALUES: Record<lir.ControlRegister, { width: number; fixed: bigint; vary: bigint }> =
  {
    // Exception masks set; flags, DAZ, rounding control and FTZ varied.
    mxcsr: { width: 4, fixed: 0x1f80n, vary: 0xe07fn },
    // Exception masks and the reserved bit 6 set; precision and rounding control varied.
    x87cw: { width: 2, fixed: 0x007fn, vary: 0x0f00n },
    // AHP, DN, FZ and the rounding mode.
    fpcr: { width: 8, fixed: 0n, vary: 0x07c0_0000n },
    // fflags and a rounding mode 0-3 (all valid).
    fcsr: { width: 8, fixed: 0n, vary: 0x7fn },
  };

/** The C name of an ABI: `x86_64-sysv` → `x86_64_sysv`. */
export function cName(abi: Abi): string {
  return abi.name.replaceAll("-", "_");
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;
const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** The routines of `check_<abi>_*.S`, as LIR. */
export function harnessRoutines(abi: Abi): lir.LirOp[] {
  const arch = getArch(abi);
  const [scratch] = scratchRegisters(abi, arch, 1) as [string];
  const [a0, , a2, a3] = abi.argumentRegisters as [string, string, string, string];
  const sp = abi.stackPointer;
  const ctx = abi.context;
  const link = abi.returnAddress.kind === "register" ? abi.returnAddress.reg : undefined;
  const name = cName(abi);
  // `return` from a routine: pop + indirect jump where call pushed, jump to the link register elsewhere.
  const ret = (): lir.LirOp[] =>
    link
      ? [{ op: "jr", reg: link }]
      : [
          { op: "pop", dst: scratch },
          { op: "jr", reg: scratch },
        ];

  // The check routine's frame (see the module comment).
  let off = abi.shadowSpace;
  const outOffset = off;
  off += 8;
  let linkOffset = -1;
  if (link) {
    linkOffset = off;
    off += 8;
  }
  const saved = new Map<string, number>();
  for (const reg of abi.calleeSavedInteger) {
    saved.set(reg, off);
    off += 8;
  }
  for (const { reg, width } of abi.calleeSavedFloat) {
    off = align(off, width);
    saved.set(reg, off);
    off += width;
  }
  for (const control of abi.floatControl) {
    saved.set(control, off);
    off += 8;
  }
  // At the call the stack pointer must be aligned; on entry it is `entryStackOffset` past alignment.
  const alignment = abi.stackAlignment;
  const frame = align(off + entryStackOffset(abi), alignment) - entryStackOffset(abi);

  const checkThrough = (label: string, switchSymbol: string): lir.LirOp[] => {
    const check: lir.LirOp[] = [
      { op: "label", name: label, global: true },
      { op: "alui", kind: "sub", dst: sp, a: sp, imm: BigInt(frame) },
      { op: "store", src: a3, base: sp, offset: outOffset },
    ];
    if (link) check.push({ op: "store", src: link, base: sp, offset: linkOffset });
    for (const reg of abi.calleeSavedInteger) {
      check.push({ op: "store", src: reg, base: sp, offset: saved.get(reg)! });
    }
    for (const { reg, width } of abi.calleeSavedFloat) {
      check.push({ op: "storef", src: reg, base: sp, offset: saved.get(reg)!, width });
    }
    for (const control of abi.floatControl) {
      check.push({ op: "storectl", control, base: sp, offset: saved.get(control)! });
    }
    // The values under test, from `in` (a2, which is also the switch's `value` argument).
    for (const control of abi.floatControl) {
      check.push({ op: "loadctl", control, base: a2, offset: ctx.slot(control).offset });
    }
    for (const { reg, width } of abi.calleeSavedFloat) {
      check.push({ op: "loadf", dst: reg, base: a2, offset: ctx.slot(reg).offset, width });
    }
    for (const reg of abi.calleeSavedInteger) {
      check.push({ op: "load", dst: reg, base: a2, offset: ctx.slot(reg).offset });
    }
    // from, to and value (= in) are already in the first three argument registers.
    check.push({ op: "call", target: switchSymbol });
    // Back: every callee-saved register must hold what `in` held. Record them in `out`.
    check.push({ op: "load", dst: scratch, base: sp, offset: outOffset });
    for (const reg of abi.calleeSavedInteger) {
      check.push({ op: "store", src: reg, base: scratch, offset: ctx.slot(reg).offset });
    }
    for (const { reg, width } of abi.calleeSavedFloat) {
      check.push({ op: "storef", src: reg, base: scratch, offset: ctx.slot(reg).offset, width });
    }
    for (const control of abi.floatControl) {
      check.push({ op: "storectl", control, base: scratch, offset: ctx.slot(control).offset });
    }
    // Give the caller its own state back.
    for (const control of abi.floatControl) {
      check.push({ op: "loadctl", control, base: sp, offset: saved.get(control)! });
    }
    for (const { reg, width } of abi.calleeSavedFloat) {
      check.push({ op: "loadf", dst: reg, base: sp, offset: saved.get(reg)!, width });
    }
    for (const reg of abi.calleeSavedInteger) {
      check.push({ op: "load", dst: reg, base: sp, offset: saved.get(reg)! });
    }
    if (link) check.push({ op: "load", dst: link, base: sp, offset: linkOffset });
    check.push({ op: "alui", kind: "add", dst: sp, a: sp, imm: BigInt(frame) });
    check.push(...ret());
    return check;
  };
  const check = checkThrough(`gt_check_${name}`, routineSymbol("switch", abi.name));
  const checkLowered = checkThrough(
    `gt_check_lowered_${name}`,
    routineSymbol("switch_lowered", abi.name),
  );

  // The probe: { entry, sp, control[...], threadInformation[...] } at a0.
  const probe: lir.LirOp[] = [
    { op: "label", name: `gt_probe_entry_${name}`, global: true },
    { op: "mov", dst: scratch, src: sp },
    { op: "store", src: scratch, base: a0, offset: 8 },
  ];
  abi.floatControl.forEach((control, i) => {
    probe.push({ op: "storectl", control, base: a0, offset: 16 + 8 * i });
  });
  abi.threadInformation.forEach((info, i) => {
    probe.push({ op: "loadtls", dst: scratch, offset: info.offset });
    probe.push({
      op: "store",
      src: scratch,
      base: a0,
      offset: 16 + 8 * abi.floatControl.length + 8 * i,
    });
  });
  probe.push({ op: "load", dst: scratch, base: a0, offset: 0 });
  probe.push({ op: "jr", reg: scratch });

  const read: lir.LirOp[] = [
    { op: "label", name: `gt_read_thread_information_${name}`, global: true },
  ];
  abi.threadInformation.forEach((info, i) => {
    read.push({ op: "loadtls", dst: scratch, offset: info.offset });
    read.push({ op: "store", src: scratch, base: a0, offset: 8 * i });
  });
  read.push(...ret());

  return [
    ...check,
    ...probe,
    ...read,
    ...checkLowered,
    ...clobberThread(abi),
    ...pingPongThread(abi),
  ];
}

/**
 * The continuation of a switch entered by a jump, the way the lowered trap
 * sequence enters it: pushed where `call` would push it, or in the link
 * register; `scratch` is clobbered.
 */
function continuationAt(abi: Abi, back: string, scratch: string): lir.LirOp[] {
  const sp = abi.stackPointer;
  return abi.returnAddress.kind === "stack"
    ? [
        { op: "la", dst: scratch, label: back },
        { op: "alui", kind: "sub", dst: sp, a: sp, imm: 8n },
        { op: "store", src: scratch, base: sp, offset: 0 },
      ]
    : [{ op: "la", dst: abi.returnAddress.reg, label: back }];
}

/**
 * `gt_pingpong_lowered_<abi>(pair)`: the benchmark's thread for the lowered
 * switch, written as lowered code would be (footprint registers only, the
 * switch entered by a jump): forever answers the value it was resumed with
 * plus one. `pair` = { thread context, host context } stays in the
 * control-block register, which the lowered switch keeps.
 */
export function pingPongThread(abi: Abi): lir.LirOp[] {
  const arch = getArch(abi);
  const name = cName(abi);
  const [from, to, value] = abi.argumentRegisters as [string, string, string];
  const [scratch] = scratchRegisters(abi, arch, 1) as [string];
  const keep = assignRegisters(abi, arch).tcb;
  const ret = abi.returnRegisters[0]!;
  const loop = `.Lgt_pingpong_loop_${name}`;
  return [
    { op: "label", name: `gt_pingpong_lowered_${name}`, global: true },
    { op: "mov", dst: keep, src: abi.argumentRegisters[0]! },
    { op: "li", dst: ret, imm: 0n },
    { op: "label", name: loop },
    // The answer first: the return register may be an argument register.
    { op: "alui", kind: "add", dst: value, a: ret, imm: 1n },
    { op: "load", dst: from, base: keep, offset: 0 },
    { op: "load", dst: to, base: keep, offset: 8 },
    // Resumed at the top of the loop.
    ...continuationAt(abi, loop, scratch),
    { op: "jmp", target: routineSymbol("switch_to_host", abi.name) },
  ];
}

/**
 * `gt_clobber_thread_<abi>(pair)`: a thread body that does to the registers
 * what lowered code may do, and nothing else. It is entered through the
 * start trampoline with `pair` = { thread context, host context }, and then,
 * forever: writes a fresh value into every register of the lowering's
 * footprint (isa `loweredFootprint`, the stack pointer aside), and switches
 * back to the host through `gt_switch_to_host` the way the lowered trap
 * sequence does (a jump, with the continuation pushed or in the link
 * register). The host's `gt_check_lowered` then finds every callee-saved
 * register, float register and float control value it had.
 */
export function clobberThread(abi: Abi): lir.LirOp[] {
  const arch = getArch(abi);
  const name = cName(abi);
  const [from, to, value] = abi.argumentRegisters as [string, string, string];
  const [scratch] = scratchRegisters(abi, arch, 1) as [string];
  const sp = abi.stackPointer;
  const loop = `.Lgt_clobber_loop_${name}`;
  const back = `.Lgt_clobber_back_${name}`;
  const ops: lir.LirOp[] = [
    { op: "label", name: `gt_clobber_thread_${name}`, global: true },
    // Keep `pair` in the thread's own frame: every register is about to be overwritten.
    { op: "alui", kind: "sub", dst: sp, a: sp, imm: BigInt(abi.stackAlignment) },
    { op: "store", src: abi.argumentRegisters[0]!, base: sp, offset: 0 },
    { op: "li", dst: value, imm: 0x0c10_bb00_0000_0000n },
    { op: "label", name: loop },
    // `value` counts rounds, so each round writes other values.
    { op: "alui", kind: "add", dst: value, a: value, imm: 1n },
    { op: "store", src: value, base: sp, offset: 8 },
  ];
  for (const [i, reg] of loweredFootprint(abi, arch).entries()) {
    if (reg === value) continue;
    ops.push({ op: "load", dst: reg, base: sp, offset: 8 });
    ops.push({ op: "alui", kind: "xor", dst: reg, a: reg, imm: BigInt(0x1111 * (i + 1)) });
  }
  ops.push(
    { op: "load", dst: scratch, base: sp, offset: 0 },
    { op: "load", dst: from, base: scratch, offset: 0 },
    { op: "load", dst: to, base: scratch, offset: 8 },
    { op: "load", dst: value, base: sp, offset: 8 },
  );
  ops.push(
    ...continuationAt(abi, back, scratch),
    { op: "jmp", target: routineSymbol("switch_to_host", abi.name) },
    { op: "label", name: back },
    { op: "load", dst: value, base: sp, offset: 8 },
    { op: "jmp", target: loop },
  );
  return ops;
}

/**
 * Assembler text of LIR routines for `abi`, framed like the files of
 * native/asm (prologue, text section, ELF symbol types and sizes, a
 * non-executable stack note).
 */
export function renderRoutines(
  abi: Abi,
  ops: readonly lir.LirOp[],
  what: string,
  generator: string,
  format: "elf" | "pe",
): string {
  const arch = getArch(abi);
  const globals = ops.flatMap((op) => (op.op === "label" && op.global ? [op.name] : []));
  const lines = [
    `/* ${what}, for ${abi.description}.`,
    ` * Generated from the ABI data of @greenthreads/isa by ${generator}; do not edit. */`,
    "",
    arch.asmPrologue.trimEnd(),
    "    .text",
    "    .p2align 4",
  ];
  if (format === "elf") for (const g of globals) lines.push(`    .type ${g}, %function`);
  lines.push(arch.format(arch.select(ops)).trimEnd());
  if (format === "elf") {
    for (const g of globals) lines.push(`    .size ${g}, . - ${g}`);
    lines.push('    .section .note.GNU-stack,"",%progbits');
  }
  return `${lines.filter((l, i) => l !== "" || i === 2).join("\n")}\n`;
}

function renderAsm(abi: Abi, format: "elf" | "pe"): string {
  return renderRoutines(
    abi,
    harnessRoutines(abi),
    "Register check, entry probe and thread-information reader of the switch harness",
    "scripts/harness-generate.ts",
    format,
  );
}

/**
 * `gt_initial_frame()` in C, from isa's `initialFrame`: the function is
 * evaluated on inputs with recognisable values, and each value it produces is
 * written back as the C expression it came from (`high - 40`, `start`, ...).
 * A value that matches no input is a constant of the ABI.
 */
export function initialFrameC(abi: Abi): { body: string[]; spBelowHigh: bigint } {
  const low = 0x1000_0000n;
  const high = 0x2000_0000n;
  const tags: [bigint, string][] = [
    [0x7100_0000_0000n, "entry"],
    [0x7200_0000_0000n, "argument"],
    [0x7300_0000_0000n, "on_exit"],
    [0x7400_0000_0000n, "start"],
    [0x7500_0000_0000n, "exit_routine"],
  ];
  const byTag = new Map(tags);
  const tag = (what: string): bigint => tags.find(([, w]) => w === what)![0];
  const frame = initialFrame(abi, {
    stackLow: low,
    stackHigh: high,
    entry: tag("entry"),
    argument: tag("argument"),
    onExit: tag("on_exit"),
    start: tag("start"),
    exit: tag("exit_routine"),
  });
  const expr = (v: bigint): string => {
    const named = byTag.get(v);
    if (named) return named;
    if (v === low) return "low";
    if (v === high) return "high";
    if (v > low && v < high) {
      return high - v < v - low ? `high - ${high - v}` : `low + ${v - low}`;
    }
    return `(uint64_t)${hex(v)}u`;
  };
  const body: string[] = [];
  for (const { slot, value } of frame.context) {
    body.push(`  gt_put64(context + ${slot.offset}, ${expr(value)}); /* ${slot.name} */`);
  }
  for (const { address, value, what } of frame.stack) {
    body.push(
      `  gt_put64((uint8_t *)(uintptr_t)(${expr(address)}), ${expr(value)}); /* ${what} */`,
    );
  }
  return { body, spBelowHigh: high - frame.sp };
}

function renderHeader(abi: Abi, format: "elf" | "pe"): string {
  const name = cName(abi);
  const guard = `GT_HARNESS_CONTEXT_${name.toUpperCase()}_H`;
  const ctx = abi.context;
  const checked = ctx.slots.filter(
    (s) => s.kind === "integer" || s.kind === "float" || s.kind === "control",
  );
  const row = (s: (typeof checked)[number]): string => {
    if (s.kind === "control") {
      const c = CONTROL_VALUES[s.name as lir.ControlRegister];
      return `  {"${s.name}", GT_KIND_CONTROL, ${s.offset}, ${c.width}, ${hex(c.fixed)}u, ${hex(c.vary)}u},`;
    }
    const kind = s.kind === "integer" ? "GT_KIND_INTEGER" : "GT_KIND_FLOAT";
    return `  {"${s.name}", ${kind}, ${s.offset}, ${s.width}, 0u, ~(uint64_t)0},`;
  };
  const controls = abi.floatControl.map((c) => {
    const { width } = CONTROL_VALUES[c];
    return `  {"${c}", ${width}, ${hex(DEFAULT_FLOAT_CONTROL[c])}u},`;
  });
  const info = abi.threadInformation.map((t) => `  {"${t.name}", ${hex(BigInt(t.offset))}u},`);
  const { body, spBelowHigh } = initialFrameC(abi);
  const lines = [
    `/* Context layout, checked slots and initial frame of ${abi.description}, for the switch harness.`,
    " * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */",
    `#ifndef ${guard}`,
    `#define ${guard}`,
    "",
    "#include <stdint.h>",
    "#include <string.h>",
    "",
    `#define GT_ABI_NAME "${abi.name}"`,
    `#define GT_BINARY_FORMAT "${format}"`,
    `#define GT_CONTEXT_SIZE ${ctx.size}`,
    `#define GT_STACK_ALIGNMENT ${abi.stackAlignment}`,
    "/* sp modulo the alignment at a function's first instruction */",
    `#define GT_ENTRY_STACK_OFFSET ${entryStackOffset(abi)}`,
    `#define GT_SHADOW_SPACE ${abi.shadowSpace}`,
    "/* the thread's first sp, below the (aligned) top of its stack */",
    `#define GT_INITIAL_SP_BELOW_HIGH ${spBelowHigh}`,
    "",
    `#define GT_SWITCH ${routineSymbol("switch", abi.name)}`,
    `#define GT_START ${routineSymbol("start", abi.name)}`,
    `#define GT_EXIT ${routineSymbol("exit", abi.name)}`,
    `#define GT_CHECK gt_check_${name}`,
    `#define GT_PROBE_ENTRY gt_probe_entry_${name}`,
    `#define GT_READ_THREAD_INFORMATION gt_read_thread_information_${name}`,
    `#define GT_SWITCH_LOWERED ${routineSymbol("switch_lowered", abi.name)}`,
    `#define GT_CHECK_LOWERED gt_check_lowered_${name}`,
    `#define GT_CLOBBER_THREAD gt_clobber_thread_${name}`,
    `#define GT_PINGPONG_LOWERED gt_pingpong_lowered_${name}`,
    "",
    "/* Context slots: byte offsets. */",
    ...ctx.slots.map(
      (s) =>
        `#define GT_SLOT_${s.name.toUpperCase()} ${s.offset} /* ${s.kind}, ${s.width} bytes */`,
    ),
    "",
    `#define GT_INTEGER_COUNT ${abi.calleeSavedInteger.length}`,
    `#define GT_FLOAT_COUNT ${abi.calleeSavedFloat.length}`,
    `#define GT_CONTROL_COUNT ${abi.floatControl.length}`,
    `#define GT_THREAD_INFORMATION_COUNT ${abi.threadInformation.length}`,
    `#define GT_CHECKED_COUNT ${checked.length}`,
    "",
    "#ifndef GT_KIND_INTEGER",
    "#define GT_KIND_INTEGER 1",
    "#define GT_KIND_FLOAT 2",
    "#define GT_KIND_CONTROL 3",
    "#endif",
    "",
    "/* Every slot the check routine loads before a switch and stores after it:",
    " * name, kind, offset, width in bytes (a control register's native width),",
    " * bits always set, bits that may vary (per 8-byte word). */",
    "typedef struct {",
    "  const char *name;",
    "  int kind;",
    "  unsigned offset;",
    "  unsigned width;",
    "  uint64_t fixed;",
    "  uint64_t vary;",
    "} gt_checked_slot;",
    "static const gt_checked_slot gt_checked_slots[GT_CHECKED_COUNT] = {",
    ...checked.map(row),
    "};",
    "",
    "/* Float control state a new thread starts with: name, native width, value. */",
    "typedef struct {",
    "  const char *name;",
    "  unsigned width;",
    "  uint64_t value;",
    "} gt_control_default;",
    `static const gt_control_default gt_control_defaults[${Math.max(controls.length, 1)}] = {`,
    ...(controls.length ? controls : ['  {"", 0, 0},']),
    "};",
    "",
    "/* Thread-information words the switch swaps: name, gs offset. */",
    "typedef struct {",
    "  const char *name;",
    "  unsigned offset;",
    "} gt_thread_information_word;",
    `static const gt_thread_information_word gt_thread_information[${Math.max(info.length, 1)}] = {`,
    ...(info.length ? info : ['  {"", 0},']),
    "};",
    "",
    "static inline void gt_put64(uint8_t *at, uint64_t value) { memcpy(at, &value, 8); }",
    "",
    "/* A new thread's context and stack words, as isa's initialFrame derives them.",
    " * `high` must be aligned to GT_STACK_ALIGNMENT. */",
    "static inline void gt_initial_frame(uint8_t *context, uint64_t low, uint64_t high,",
    "                                    uint64_t entry, uint64_t argument, uint64_t on_exit,",
    "                                    uint64_t start, uint64_t exit_routine) {",
    "  (void)low; (void)high; (void)entry; (void)argument; (void)on_exit; (void)start; (void)exit_routine;",
    "  memset(context, 0, GT_CONTEXT_SIZE);",
    ...body,
    "}",
    "",
    `#endif /* ${guard} */`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Every generated harness file: its path under native/harness/ and its text. */
export function generatedHarnessFiles(): { path: string; text: string }[] {
  return ASM_TARGETS.flatMap(({ abi: abiName, format }) => {
    const abi = getAbi(abiName);
    const name = cName(abi);
    return [
      { path: `generated/context_${name}.h`, text: renderHeader(abi, format) },
      { path: `generated/check_${name}_${format}_gas.S`, text: renderAsm(abi, format) },
    ];
  });
}
