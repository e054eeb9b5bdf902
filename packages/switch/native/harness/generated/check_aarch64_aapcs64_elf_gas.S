/* Register check, entry probe and thread-information reader of the switch harness, for AArch64 AAPCS64: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */

.arch armv8-a
    .text
    .p2align 4
    .type gt_check_aarch64_aapcs64, %function
    .type gt_probe_entry_aarch64_aapcs64, %function
    .type gt_read_thread_information_aarch64_aapcs64, %function
.globl gt_check_aarch64_aapcs64
.hidden gt_check_aarch64_aapcs64
gt_check_aarch64_aapcs64:
  sub sp, sp, #176
  str x3, [sp]
  str x30, [sp, #8]
  str x19, [sp, #16]
  str x20, [sp, #24]
  str x21, [sp, #32]
  str x22, [sp, #40]
  str x23, [sp, #48]
  str x24, [sp, #56]
  str x25, [sp, #64]
  str x26, [sp, #72]
  str x27, [sp, #80]
  str x28, [sp, #88]
  str x29, [sp, #96]
  str d8, [sp, #104]
  str d9, [sp, #112]
  str d10, [sp, #120]
  str d11, [sp, #128]
  str d12, [sp, #136]
  str d13, [sp, #144]
  str d14, [sp, #152]
  str d15, [sp, #160]
  mrs x17, fpcr
  str x17, [sp, #168]
  ldr x17, [x2, #168]
  msr fpcr, x17
  ldr d8, [x2, #104]
  ldr d9, [x2, #112]
  ldr d10, [x2, #120]
  ldr d11, [x2, #128]
  ldr d12, [x2, #136]
  ldr d13, [x2, #144]
  ldr d14, [x2, #152]
  ldr d15, [x2, #160]
  ldr x19, [x2, #16]
  ldr x20, [x2, #24]
  ldr x21, [x2, #32]
  ldr x22, [x2, #40]
  ldr x23, [x2, #48]
  ldr x24, [x2, #56]
  ldr x25, [x2, #64]
  ldr x26, [x2, #72]
  ldr x27, [x2, #80]
  ldr x28, [x2, #88]
  ldr x29, [x2, #96]
  bl gt_switch_aarch64_aapcs64
  ldr x9, [sp]
  str x19, [x9, #16]
  str x20, [x9, #24]
  str x21, [x9, #32]
  str x22, [x9, #40]
  str x23, [x9, #48]
  str x24, [x9, #56]
  str x25, [x9, #64]
  str x26, [x9, #72]
  str x27, [x9, #80]
  str x28, [x9, #88]
  str x29, [x9, #96]
  str d8, [x9, #104]
  str d9, [x9, #112]
  str d10, [x9, #120]
  str d11, [x9, #128]
  str d12, [x9, #136]
  str d13, [x9, #144]
  str d14, [x9, #152]
  str d15, [x9, #160]
  mrs x17, fpcr
  str x17, [x9, #168]
  ldr x17, [sp, #168]
  msr fpcr, x17
  ldr d8, [sp, #104]
  ldr d9, [sp, #112]
  ldr d10, [sp, #120]
  ldr d11, [sp, #128]
  ldr d12, [sp, #136]
  ldr d13, [sp, #144]
  ldr d14, [sp, #152]
  ldr d15, [sp, #160]
  ldr x19, [sp, #16]
  ldr x20, [sp, #24]
  ldr x21, [sp, #32]
  ldr x22, [sp, #40]
  ldr x23, [sp, #48]
  ldr x24, [sp, #56]
  ldr x25, [sp, #64]
  ldr x26, [sp, #72]
  ldr x27, [sp, #80]
  ldr x28, [sp, #88]
  ldr x29, [sp, #96]
  ldr x30, [sp, #8]
  add sp, sp, #176
  br x30
.globl gt_probe_entry_aarch64_aapcs64
.hidden gt_probe_entry_aarch64_aapcs64
gt_probe_entry_aarch64_aapcs64:
  mov x9, sp
  str x9, [x0, #8]
  mrs x17, fpcr
  str x17, [x0, #16]
  ldr x9, [x0]
  br x9
.globl gt_read_thread_information_aarch64_aapcs64
.hidden gt_read_thread_information_aarch64_aapcs64
gt_read_thread_information_aarch64_aapcs64:
  br x30
    .size gt_check_aarch64_aapcs64, . - gt_check_aarch64_aapcs64
    .size gt_probe_entry_aarch64_aapcs64, . - gt_probe_entry_aarch64_aapcs64
    .size gt_read_thread_information_aarch64_aapcs64, . - gt_read_thread_information_aarch64_aapcs64
    .section .note.GNU-stack,"",%progbits
