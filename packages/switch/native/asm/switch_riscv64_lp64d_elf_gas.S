/* the context switches: gt_switch(from, to, value) for any code, gt_switch_lowered(from, to, value) and gt_switch_to_host(from, to, value) between the host and lowered programs, for RISC-V 64 LP64D: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.option norvc
.option norelax
    .text
    .type gt_switch_riscv64_lp64d, %function
    .type gt_switch_lowered_riscv64_lp64d, %function
    .type gt_switch_to_host_riscv64_lp64d, %function
    .p2align 4
.globl gt_switch_riscv64_lp64d
.hidden gt_switch_riscv64_lp64d
gt_switch_riscv64_lp64d:
  sd ra, 0(a0)
  sd sp, 8(a0)
  sd s0, 16(a0)
  sd s1, 24(a0)
  sd s2, 32(a0)
  sd s3, 40(a0)
  sd s4, 48(a0)
  sd s5, 56(a0)
  sd s6, 64(a0)
  sd s7, 72(a0)
  sd s8, 80(a0)
  sd s9, 88(a0)
  sd s10, 96(a0)
  sd s11, 104(a0)
  fsd fs0, 112(a0)
  fsd fs1, 120(a0)
  fsd fs2, 128(a0)
  fsd fs3, 136(a0)
  fsd fs4, 144(a0)
  fsd fs5, 152(a0)
  fsd fs6, 160(a0)
  fsd fs7, 168(a0)
  fsd fs8, 176(a0)
  fsd fs9, 184(a0)
  fsd fs10, 192(a0)
  fsd fs11, 200(a0)
  csrrs t6, fcsr, zero
  sd t6, 208(a0)
  ld t0, 208(a1)
  ld t1, 208(a0)
  bne t0, t1, . + 8
  jal zero, .Lgt_switch_riscv64_lp64d_fcsr_kept
  ld t6, 208(a1)
  csrrw zero, fcsr, t6
.Lgt_switch_riscv64_lp64d_fcsr_kept:
  fld fs0, 112(a1)
  fld fs1, 120(a1)
  fld fs2, 128(a1)
  fld fs3, 136(a1)
  fld fs4, 144(a1)
  fld fs5, 152(a1)
  fld fs6, 160(a1)
  fld fs7, 168(a1)
  fld fs8, 176(a1)
  fld fs9, 184(a1)
  fld fs10, 192(a1)
  fld fs11, 200(a1)
  ld s0, 16(a1)
  ld s1, 24(a1)
  ld s2, 32(a1)
  ld s3, 40(a1)
  ld s4, 48(a1)
  ld s5, 56(a1)
  ld s6, 64(a1)
  ld s7, 72(a1)
  ld s8, 80(a1)
  ld s9, 88(a1)
  ld s10, 96(a1)
  ld s11, 104(a1)
  ld sp, 8(a1)
  ld t0, 0(a1)
  addi a0, a2, 0
  jalr zero, 0(t0)
    .size gt_switch_riscv64_lp64d, . - gt_switch_riscv64_lp64d
    .p2align 4
.globl gt_switch_lowered_riscv64_lp64d
.hidden gt_switch_lowered_riscv64_lp64d
gt_switch_lowered_riscv64_lp64d:
  sd ra, 0(a0)
  sd sp, 8(a0)
  sd s1, 24(a0)
  sd s2, 32(a0)
  sd s3, 40(a0)
  ld s1, 24(a1)
  ld s2, 32(a1)
  ld s3, 40(a1)
  ld sp, 8(a1)
  ld t0, 0(a1)
  addi a0, a2, 0
  jalr zero, 0(t0)
    .size gt_switch_lowered_riscv64_lp64d, . - gt_switch_lowered_riscv64_lp64d
    .p2align 4
.globl gt_switch_to_host_riscv64_lp64d
.hidden gt_switch_to_host_riscv64_lp64d
gt_switch_to_host_riscv64_lp64d:
  sd ra, 0(a0)
  sd sp, 8(a0)
  sd s1, 24(a0)
  ld s1, 24(a1)
  ld s2, 32(a1)
  ld s3, 40(a1)
  ld sp, 8(a1)
  ld t0, 0(a1)
  addi a0, a2, 0
  jalr zero, 0(t0)
    .size gt_switch_to_host_riscv64_lp64d, . - gt_switch_to_host_riscv64_lp64d
    .section .note.GNU-stack,"",%progbits
