/* the start trampoline and the exit routine of a new thread, for RISC-V 64 LP64D: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.option norvc
.option norelax
    .text
    .type gt_start_riscv64_lp64d, %function
    .type gt_exit_riscv64_lp64d, %function
    .p2align 4
.globl gt_start_riscv64_lp64d
.hidden gt_start_riscv64_lp64d
gt_start_riscv64_lp64d:
  addi a0, s2, 0
1:
  auipc ra, %pcrel_hi(gt_exit_riscv64_lp64d)
  addi ra, ra, %pcrel_lo(1b)
  jalr zero, 0(s1)
    .size gt_start_riscv64_lp64d, . - gt_start_riscv64_lp64d
    .p2align 4
.globl gt_exit_riscv64_lp64d
.hidden gt_exit_riscv64_lp64d
gt_exit_riscv64_lp64d:
  addi a1, a0, 0
  addi a0, s2, 0
  jalr ra, 0(s3)
  ebreak
    .size gt_exit_riscv64_lp64d, . - gt_exit_riscv64_lp64d
    .section .note.GNU-stack,"",%progbits
