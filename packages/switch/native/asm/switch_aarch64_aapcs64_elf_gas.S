/* the context switches: gt_switch(from, to, value) for any code, gt_switch_lowered(from, to, value) and gt_switch_to_host(from, to, value) between the host and lowered programs, for AArch64 AAPCS64: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.arch armv8-a
    .text
    .type gt_switch_aarch64_aapcs64, %function
    .type gt_switch_lowered_aarch64_aapcs64, %function
    .type gt_switch_to_host_aarch64_aapcs64, %function
    .p2align 4
.globl gt_switch_aarch64_aapcs64
.hidden gt_switch_aarch64_aapcs64
gt_switch_aarch64_aapcs64:
  str x30, [x0]
  mov x17, sp
  str x17, [x0, #8]
  str x19, [x0, #16]
  str x20, [x0, #24]
  str x21, [x0, #32]
  str x22, [x0, #40]
  str x23, [x0, #48]
  str x24, [x0, #56]
  str x25, [x0, #64]
  str x26, [x0, #72]
  str x27, [x0, #80]
  str x28, [x0, #88]
  str x29, [x0, #96]
  str d8, [x0, #104]
  str d9, [x0, #112]
  str d10, [x0, #120]
  str d11, [x0, #128]
  str d12, [x0, #136]
  str d13, [x0, #144]
  str d14, [x0, #152]
  str d15, [x0, #160]
  mrs x17, fpcr
  str x17, [x0, #168]
  ldr x9, [x1, #168]
  ldr x10, [x0, #168]
  cmp x9, x10
  b.eq .Lgt_switch_aarch64_aapcs64_fpcr_kept
  ldr x17, [x1, #168]
  msr fpcr, x17
.Lgt_switch_aarch64_aapcs64_fpcr_kept:
  ldr d8, [x1, #104]
  ldr d9, [x1, #112]
  ldr d10, [x1, #120]
  ldr d11, [x1, #128]
  ldr d12, [x1, #136]
  ldr d13, [x1, #144]
  ldr d14, [x1, #152]
  ldr d15, [x1, #160]
  ldr x19, [x1, #16]
  ldr x20, [x1, #24]
  ldr x21, [x1, #32]
  ldr x22, [x1, #40]
  ldr x23, [x1, #48]
  ldr x24, [x1, #56]
  ldr x25, [x1, #64]
  ldr x26, [x1, #72]
  ldr x27, [x1, #80]
  ldr x28, [x1, #88]
  ldr x29, [x1, #96]
  ldr x17, [x1, #8]
  mov sp, x17
  ldr x9, [x1]
  mov x0, x2
  br x9
    .size gt_switch_aarch64_aapcs64, . - gt_switch_aarch64_aapcs64
    .p2align 4
.globl gt_switch_lowered_aarch64_aapcs64
.hidden gt_switch_lowered_aarch64_aapcs64
gt_switch_lowered_aarch64_aapcs64:
  str x30, [x0]
  mov x17, sp
  str x17, [x0, #8]
  str x19, [x0, #16]
  str x20, [x0, #24]
  str x21, [x0, #32]
  ldr x19, [x1, #16]
  ldr x20, [x1, #24]
  ldr x21, [x1, #32]
  ldr x17, [x1, #8]
  mov sp, x17
  ldr x9, [x1]
  mov x0, x2
  br x9
    .size gt_switch_lowered_aarch64_aapcs64, . - gt_switch_lowered_aarch64_aapcs64
    .p2align 4
.globl gt_switch_to_host_aarch64_aapcs64
.hidden gt_switch_to_host_aarch64_aapcs64
gt_switch_to_host_aarch64_aapcs64:
  str x30, [x0]
  mov x17, sp
  str x17, [x0, #8]
  str x19, [x0, #16]
  str x20, [x0, #24]
  ldr x19, [x1, #16]
  ldr x20, [x1, #24]
  ldr x21, [x1, #32]
  ldr x17, [x1, #8]
  mov sp, x17
  ldr x9, [x1]
  mov x0, x2
  br x9
    .size gt_switch_to_host_aarch64_aapcs64, . - gt_switch_to_host_aarch64_aapcs64
    .section .note.GNU-stack,"",%progbits
