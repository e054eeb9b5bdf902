/* the start trampoline and the exit routine of a new thread, for AArch64 AAPCS64: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.arch armv8-a
    .text
    .type gt_start_aarch64_aapcs64, %function
    .type gt_exit_aarch64_aapcs64, %function
    .p2align 4
.globl gt_start_aarch64_aapcs64
.hidden gt_start_aarch64_aapcs64
gt_start_aarch64_aapcs64:
  mov x0, x20
  adr x30, gt_exit_aarch64_aapcs64
  br x19
    .size gt_start_aarch64_aapcs64, . - gt_start_aarch64_aapcs64
    .p2align 4
.globl gt_exit_aarch64_aapcs64
.hidden gt_exit_aarch64_aapcs64
gt_exit_aarch64_aapcs64:
  mov x1, x0
  mov x0, x20
  blr x21
  brk #0
    .size gt_exit_aarch64_aapcs64, . - gt_exit_aarch64_aapcs64
    .section .note.GNU-stack,"",%progbits
