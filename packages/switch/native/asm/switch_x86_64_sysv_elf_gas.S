/* the context switches: gt_switch(from, to, value) for any code, gt_switch_lowered(from, to, value) and gt_switch_to_host(from, to, value) between the host and lowered programs, for x86-64 System V: Linux, macOS, FreeBSD.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.intel_syntax noprefix
    .text
    .type gt_switch_x86_64_sysv, %function
    .type gt_switch_lowered_x86_64_sysv, %function
    .type gt_switch_to_host_x86_64_sysv, %function
    .p2align 4
.globl gt_switch_x86_64_sysv
gt_switch_x86_64_sysv:
  pop r10
  mov qword ptr [rdi], r10
  mov qword ptr [rdi + 8], rsp
  mov qword ptr [rdi + 16], rbx
  mov qword ptr [rdi + 24], rbp
  mov qword ptr [rdi + 32], r12
  mov qword ptr [rdi + 40], r13
  mov qword ptr [rdi + 48], r14
  mov qword ptr [rdi + 56], r15
  stmxcsr dword ptr [rdi + 64]
  fnstcw word ptr [rdi + 72]
  ldmxcsr dword ptr [rsi + 64]
  movzx r10d, word ptr [rsi + 72]
  movzx eax, word ptr [rdi + 72]
  cmp r10, rax
  {disp32} je .Lgt_switch_x86_64_sysv_x87cw_kept
  fldcw word ptr [rsi + 72]
.Lgt_switch_x86_64_sysv_x87cw_kept:
  mov rbx, qword ptr [rsi + 16]
  mov rbp, qword ptr [rsi + 24]
  mov r12, qword ptr [rsi + 32]
  mov r13, qword ptr [rsi + 40]
  mov r14, qword ptr [rsi + 48]
  mov r15, qword ptr [rsi + 56]
  mov rsp, qword ptr [rsi + 8]
  mov r10, qword ptr [rsi]
  mov rax, rdx
  jmp r10
    .size gt_switch_x86_64_sysv, . - gt_switch_x86_64_sysv
    .p2align 4
.globl gt_switch_lowered_x86_64_sysv
gt_switch_lowered_x86_64_sysv:
  pop r10
  mov qword ptr [rdi], r10
  mov qword ptr [rdi + 8], rsp
  mov qword ptr [rdi + 16], rbx
  mov qword ptr [rdi + 32], r12
  mov qword ptr [rdi + 40], r13
  mov qword ptr [rdi + 48], r14
  mov qword ptr [rdi + 56], r15
  mov rbx, qword ptr [rsi + 16]
  mov r12, qword ptr [rsi + 32]
  mov r13, qword ptr [rsi + 40]
  mov r14, qword ptr [rsi + 48]
  mov r15, qword ptr [rsi + 56]
  mov rsp, qword ptr [rsi + 8]
  mov r10, qword ptr [rsi]
  mov rax, rdx
  jmp r10
    .size gt_switch_lowered_x86_64_sysv, . - gt_switch_lowered_x86_64_sysv
    .p2align 4
.globl gt_switch_to_host_x86_64_sysv
gt_switch_to_host_x86_64_sysv:
  pop r10
  mov qword ptr [rdi], r10
  mov qword ptr [rdi + 8], rsp
  mov qword ptr [rdi + 16], rbx
  mov rbx, qword ptr [rsi + 16]
  mov r12, qword ptr [rsi + 32]
  mov r13, qword ptr [rsi + 40]
  mov r14, qword ptr [rsi + 48]
  mov r15, qword ptr [rsi + 56]
  mov rsp, qword ptr [rsi + 8]
  mov r10, qword ptr [rsi]
  mov rax, rdx
  jmp r10
    .size gt_switch_to_host_x86_64_sysv, . - gt_switch_to_host_x86_64_sysv
    .section .note.GNU-stack,"",%progbits
