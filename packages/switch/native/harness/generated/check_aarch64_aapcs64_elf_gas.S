/* Register check, entry probe and thread-information reader of the switch harness, for AArch64 AAPCS64: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */

.arch armv8-a
    .text
    .p2align 4
    .type gt_check_aarch64_aapcs64, %function
    .type gt_probe_entry_aarch64_aapcs64, %function
    .type gt_read_thread_information_aarch64_aapcs64, %function
    .type gt_check_lowered_aarch64_aapcs64, %function
    .type gt_clobber_thread_aarch64_aapcs64, %function
    .type gt_pingpong_lowered_aarch64_aapcs64, %function
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
.globl gt_check_lowered_aarch64_aapcs64
.hidden gt_check_lowered_aarch64_aapcs64
gt_check_lowered_aarch64_aapcs64:
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
  bl gt_switch_lowered_aarch64_aapcs64
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
.globl gt_clobber_thread_aarch64_aapcs64
.hidden gt_clobber_thread_aarch64_aapcs64
gt_clobber_thread_aarch64_aapcs64:
  sub sp, sp, #16
  str x0, [sp]
  movz x2, #47872, lsl #32
  movk x2, #3088, lsl #48
.Lgt_clobber_loop_aarch64_aapcs64:
  add x2, x2, #1
  str x2, [sp, #8]
  ldr x0, [sp, #8]
  movz x16, #4369
  eor x0, x0, x16
  ldr x1, [sp, #8]
  movz x16, #8738
  eor x1, x1, x16
  ldr x3, [sp, #8]
  movz x16, #17476
  eor x3, x3, x16
  ldr x4, [sp, #8]
  movz x16, #21845
  eor x4, x4, x16
  ldr x5, [sp, #8]
  movz x16, #26214
  eor x5, x5, x16
  ldr x6, [sp, #8]
  movz x16, #30583
  eor x6, x6, x16
  ldr x7, [sp, #8]
  movz x16, #34952
  eor x7, x7, x16
  ldr x9, [sp, #8]
  movz x16, #39321
  eor x9, x9, x16
  ldr x10, [sp, #8]
  movz x16, #43690
  eor x10, x10, x16
  ldr x11, [sp, #8]
  movz x16, #48059
  eor x11, x11, x16
  ldr x16, [sp, #8]
  movz x16, #52428
  eor x16, x16, x16
  ldr x17, [sp, #8]
  movz x16, #56797
  eor x17, x17, x16
  ldr x19, [sp, #8]
  movz x16, #61166
  eor x19, x19, x16
  ldr x20, [sp, #8]
  movz x16, #65535
  eor x20, x20, x16
  ldr x21, [sp, #8]
  movz x16, #4368
  movk x16, #1, lsl #16
  eor x21, x21, x16
  ldr x30, [sp, #8]
  movz x16, #8737
  movk x16, #1, lsl #16
  eor x30, x30, x16
  ldr x9, [sp]
  ldr x0, [x9]
  ldr x1, [x9, #8]
  ldr x2, [sp, #8]
  adr x30, .Lgt_clobber_back_aarch64_aapcs64
  b gt_switch_to_host_aarch64_aapcs64
.Lgt_clobber_back_aarch64_aapcs64:
  ldr x2, [sp, #8]
  b .Lgt_clobber_loop_aarch64_aapcs64
.globl gt_pingpong_lowered_aarch64_aapcs64
.hidden gt_pingpong_lowered_aarch64_aapcs64
gt_pingpong_lowered_aarch64_aapcs64:
  mov x19, x0
  movz x0, #0
.Lgt_pingpong_loop_aarch64_aapcs64:
  add x2, x0, #1
  ldr x0, [x19]
  ldr x1, [x19, #8]
  adr x30, .Lgt_pingpong_loop_aarch64_aapcs64
  b gt_switch_to_host_aarch64_aapcs64
    .size gt_check_aarch64_aapcs64, . - gt_check_aarch64_aapcs64
    .size gt_probe_entry_aarch64_aapcs64, . - gt_probe_entry_aarch64_aapcs64
    .size gt_read_thread_information_aarch64_aapcs64, . - gt_read_thread_information_aarch64_aapcs64
    .size gt_check_lowered_aarch64_aapcs64, . - gt_check_lowered_aarch64_aapcs64
    .size gt_clobber_thread_aarch64_aapcs64, . - gt_clobber_thread_aarch64_aapcs64
    .size gt_pingpong_lowered_aarch64_aapcs64, . - gt_pingpong_lowered_aarch64_aapcs64
    .section .note.GNU-stack,"",%progbits
