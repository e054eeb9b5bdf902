/* Register check, entry probe and thread-information reader of the switch harness, for RISC-V 64 LP64D: Linux.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */

.option norvc
.option norelax
    .text
    .p2align 4
    .type gt_check_riscv64_lp64d, %function
    .type gt_probe_entry_riscv64_lp64d, %function
    .type gt_read_thread_information_riscv64_lp64d, %function
    .type gt_check_lowered_riscv64_lp64d, %function
    .type gt_clobber_thread_riscv64_lp64d, %function
    .type gt_pingpong_lowered_riscv64_lp64d, %function
.globl gt_check_riscv64_lp64d
.hidden gt_check_riscv64_lp64d
gt_check_riscv64_lp64d:
  addi sp, sp, -224
  sd a3, 0(sp)
  sd ra, 8(sp)
  sd s0, 16(sp)
  sd s1, 24(sp)
  sd s2, 32(sp)
  sd s3, 40(sp)
  sd s4, 48(sp)
  sd s5, 56(sp)
  sd s6, 64(sp)
  sd s7, 72(sp)
  sd s8, 80(sp)
  sd s9, 88(sp)
  sd s10, 96(sp)
  sd s11, 104(sp)
  fsd fs0, 112(sp)
  fsd fs1, 120(sp)
  fsd fs2, 128(sp)
  fsd fs3, 136(sp)
  fsd fs4, 144(sp)
  fsd fs5, 152(sp)
  fsd fs6, 160(sp)
  fsd fs7, 168(sp)
  fsd fs8, 176(sp)
  fsd fs9, 184(sp)
  fsd fs10, 192(sp)
  fsd fs11, 200(sp)
  csrrs t6, fcsr, zero
  sd t6, 208(sp)
  ld t6, 208(a2)
  csrrw zero, fcsr, t6
  fld fs0, 112(a2)
  fld fs1, 120(a2)
  fld fs2, 128(a2)
  fld fs3, 136(a2)
  fld fs4, 144(a2)
  fld fs5, 152(a2)
  fld fs6, 160(a2)
  fld fs7, 168(a2)
  fld fs8, 176(a2)
  fld fs9, 184(a2)
  fld fs10, 192(a2)
  fld fs11, 200(a2)
  ld s0, 16(a2)
  ld s1, 24(a2)
  ld s2, 32(a2)
  ld s3, 40(a2)
  ld s4, 48(a2)
  ld s5, 56(a2)
  ld s6, 64(a2)
  ld s7, 72(a2)
  ld s8, 80(a2)
  ld s9, 88(a2)
  ld s10, 96(a2)
  ld s11, 104(a2)
  jal ra, gt_switch_riscv64_lp64d
  ld t0, 0(sp)
  sd s0, 16(t0)
  sd s1, 24(t0)
  sd s2, 32(t0)
  sd s3, 40(t0)
  sd s4, 48(t0)
  sd s5, 56(t0)
  sd s6, 64(t0)
  sd s7, 72(t0)
  sd s8, 80(t0)
  sd s9, 88(t0)
  sd s10, 96(t0)
  sd s11, 104(t0)
  fsd fs0, 112(t0)
  fsd fs1, 120(t0)
  fsd fs2, 128(t0)
  fsd fs3, 136(t0)
  fsd fs4, 144(t0)
  fsd fs5, 152(t0)
  fsd fs6, 160(t0)
  fsd fs7, 168(t0)
  fsd fs8, 176(t0)
  fsd fs9, 184(t0)
  fsd fs10, 192(t0)
  fsd fs11, 200(t0)
  csrrs t6, fcsr, zero
  sd t6, 208(t0)
  ld t6, 208(sp)
  csrrw zero, fcsr, t6
  fld fs0, 112(sp)
  fld fs1, 120(sp)
  fld fs2, 128(sp)
  fld fs3, 136(sp)
  fld fs4, 144(sp)
  fld fs5, 152(sp)
  fld fs6, 160(sp)
  fld fs7, 168(sp)
  fld fs8, 176(sp)
  fld fs9, 184(sp)
  fld fs10, 192(sp)
  fld fs11, 200(sp)
  ld s0, 16(sp)
  ld s1, 24(sp)
  ld s2, 32(sp)
  ld s3, 40(sp)
  ld s4, 48(sp)
  ld s5, 56(sp)
  ld s6, 64(sp)
  ld s7, 72(sp)
  ld s8, 80(sp)
  ld s9, 88(sp)
  ld s10, 96(sp)
  ld s11, 104(sp)
  ld ra, 8(sp)
  addi sp, sp, 224
  jalr zero, 0(ra)
.globl gt_probe_entry_riscv64_lp64d
.hidden gt_probe_entry_riscv64_lp64d
gt_probe_entry_riscv64_lp64d:
  addi t0, sp, 0
  sd t0, 8(a0)
  csrrs t6, fcsr, zero
  sd t6, 16(a0)
  ld t0, 0(a0)
  jalr zero, 0(t0)
.globl gt_read_thread_information_riscv64_lp64d
.hidden gt_read_thread_information_riscv64_lp64d
gt_read_thread_information_riscv64_lp64d:
  jalr zero, 0(ra)
.globl gt_check_lowered_riscv64_lp64d
.hidden gt_check_lowered_riscv64_lp64d
gt_check_lowered_riscv64_lp64d:
  addi sp, sp, -224
  sd a3, 0(sp)
  sd ra, 8(sp)
  sd s0, 16(sp)
  sd s1, 24(sp)
  sd s2, 32(sp)
  sd s3, 40(sp)
  sd s4, 48(sp)
  sd s5, 56(sp)
  sd s6, 64(sp)
  sd s7, 72(sp)
  sd s8, 80(sp)
  sd s9, 88(sp)
  sd s10, 96(sp)
  sd s11, 104(sp)
  fsd fs0, 112(sp)
  fsd fs1, 120(sp)
  fsd fs2, 128(sp)
  fsd fs3, 136(sp)
  fsd fs4, 144(sp)
  fsd fs5, 152(sp)
  fsd fs6, 160(sp)
  fsd fs7, 168(sp)
  fsd fs8, 176(sp)
  fsd fs9, 184(sp)
  fsd fs10, 192(sp)
  fsd fs11, 200(sp)
  csrrs t6, fcsr, zero
  sd t6, 208(sp)
  ld t6, 208(a2)
  csrrw zero, fcsr, t6
  fld fs0, 112(a2)
  fld fs1, 120(a2)
  fld fs2, 128(a2)
  fld fs3, 136(a2)
  fld fs4, 144(a2)
  fld fs5, 152(a2)
  fld fs6, 160(a2)
  fld fs7, 168(a2)
  fld fs8, 176(a2)
  fld fs9, 184(a2)
  fld fs10, 192(a2)
  fld fs11, 200(a2)
  ld s0, 16(a2)
  ld s1, 24(a2)
  ld s2, 32(a2)
  ld s3, 40(a2)
  ld s4, 48(a2)
  ld s5, 56(a2)
  ld s6, 64(a2)
  ld s7, 72(a2)
  ld s8, 80(a2)
  ld s9, 88(a2)
  ld s10, 96(a2)
  ld s11, 104(a2)
  jal ra, gt_switch_lowered_riscv64_lp64d
  ld t0, 0(sp)
  sd s0, 16(t0)
  sd s1, 24(t0)
  sd s2, 32(t0)
  sd s3, 40(t0)
  sd s4, 48(t0)
  sd s5, 56(t0)
  sd s6, 64(t0)
  sd s7, 72(t0)
  sd s8, 80(t0)
  sd s9, 88(t0)
  sd s10, 96(t0)
  sd s11, 104(t0)
  fsd fs0, 112(t0)
  fsd fs1, 120(t0)
  fsd fs2, 128(t0)
  fsd fs3, 136(t0)
  fsd fs4, 144(t0)
  fsd fs5, 152(t0)
  fsd fs6, 160(t0)
  fsd fs7, 168(t0)
  fsd fs8, 176(t0)
  fsd fs9, 184(t0)
  fsd fs10, 192(t0)
  fsd fs11, 200(t0)
  csrrs t6, fcsr, zero
  sd t6, 208(t0)
  ld t6, 208(sp)
  csrrw zero, fcsr, t6
  fld fs0, 112(sp)
  fld fs1, 120(sp)
  fld fs2, 128(sp)
  fld fs3, 136(sp)
  fld fs4, 144(sp)
  fld fs5, 152(sp)
  fld fs6, 160(sp)
  fld fs7, 168(sp)
  fld fs8, 176(sp)
  fld fs9, 184(sp)
  fld fs10, 192(sp)
  fld fs11, 200(sp)
  ld s0, 16(sp)
  ld s1, 24(sp)
  ld s2, 32(sp)
  ld s3, 40(sp)
  ld s4, 48(sp)
  ld s5, 56(sp)
  ld s6, 64(sp)
  ld s7, 72(sp)
  ld s8, 80(sp)
  ld s9, 88(sp)
  ld s10, 96(sp)
  ld s11, 104(sp)
  ld ra, 8(sp)
  addi sp, sp, 224
  jalr zero, 0(ra)
.globl gt_clobber_thread_riscv64_lp64d
.hidden gt_clobber_thread_riscv64_lp64d
gt_clobber_thread_riscv64_lp64d:
  addi sp, sp, -16
  sd a0, 0(sp)
  lui a2, 193
  addiw a2, a2, 187
  slli a2, a2, 40
.Lgt_clobber_loop_riscv64_lp64d:
  addi a2, a2, 1
  sd a2, 8(sp)
  ld ra, 8(sp)
  lui t6, 1
  addiw t6, t6, 273
  xor ra, ra, t6
  ld t0, 8(sp)
  lui t6, 2
  addiw t6, t6, 546
  xor t0, t0, t6
  ld t1, 8(sp)
  lui t6, 3
  addiw t6, t6, 819
  xor t1, t1, t6
  ld t2, 8(sp)
  lui t6, 4
  addiw t6, t6, 1092
  xor t2, t2, t6
  ld s1, 8(sp)
  lui t6, 5
  addiw t6, t6, 1365
  xor s1, s1, t6
  ld a0, 8(sp)
  lui t6, 6
  addiw t6, t6, 1638
  xor a0, a0, t6
  ld a1, 8(sp)
  lui t6, 7
  addiw t6, t6, 1911
  xor a1, a1, t6
  ld a3, 8(sp)
  lui t6, 10
  addiw t6, t6, -1639
  xor a3, a3, t6
  ld a4, 8(sp)
  lui t6, 11
  addiw t6, t6, -1366
  xor a4, a4, t6
  ld a5, 8(sp)
  lui t6, 12
  addiw t6, t6, -1093
  xor a5, a5, t6
  ld a6, 8(sp)
  lui t6, 13
  addiw t6, t6, -820
  xor a6, a6, t6
  ld a7, 8(sp)
  lui t6, 14
  addiw t6, t6, -547
  xor a7, a7, t6
  ld s2, 8(sp)
  lui t6, 15
  addiw t6, t6, -274
  xor s2, s2, t6
  ld s3, 8(sp)
  lui t6, 16
  addiw t6, t6, -1
  xor s3, s3, t6
  ld t5, 8(sp)
  lui t6, 17
  addiw t6, t6, 272
  xor t5, t5, t6
  ld t6, 8(sp)
  lui t5, 18
  addiw t5, t5, 545
  xor t6, t6, t5
  ld t0, 0(sp)
  ld a0, 0(t0)
  ld a1, 8(t0)
  ld a2, 8(sp)
1:
  auipc ra, %pcrel_hi(.Lgt_clobber_back_riscv64_lp64d)
  addi ra, ra, %pcrel_lo(1b)
  jal zero, gt_switch_to_host_riscv64_lp64d
.Lgt_clobber_back_riscv64_lp64d:
  ld a2, 8(sp)
  jal zero, .Lgt_clobber_loop_riscv64_lp64d
.globl gt_pingpong_lowered_riscv64_lp64d
.hidden gt_pingpong_lowered_riscv64_lp64d
gt_pingpong_lowered_riscv64_lp64d:
  addi s1, a0, 0
  addi a0, zero, 0
.Lgt_pingpong_loop_riscv64_lp64d:
  addi a2, a0, 1
  ld a0, 0(s1)
  ld a1, 8(s1)
1:
  auipc ra, %pcrel_hi(.Lgt_pingpong_loop_riscv64_lp64d)
  addi ra, ra, %pcrel_lo(1b)
  jal zero, gt_switch_to_host_riscv64_lp64d
    .size gt_check_riscv64_lp64d, . - gt_check_riscv64_lp64d
    .size gt_probe_entry_riscv64_lp64d, . - gt_probe_entry_riscv64_lp64d
    .size gt_read_thread_information_riscv64_lp64d, . - gt_read_thread_information_riscv64_lp64d
    .size gt_check_lowered_riscv64_lp64d, . - gt_check_lowered_riscv64_lp64d
    .size gt_clobber_thread_riscv64_lp64d, . - gt_clobber_thread_riscv64_lp64d
    .size gt_pingpong_lowered_riscv64_lp64d, . - gt_pingpong_lowered_riscv64_lp64d
    .section .note.GNU-stack,"",%progbits
