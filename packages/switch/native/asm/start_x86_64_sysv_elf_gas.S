/* the start trampoline and the exit routine of a new thread, for x86-64 System V: Linux, macOS, FreeBSD.
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.intel_syntax noprefix
    .text
    .type gt_start_x86_64_sysv, %function
    .type gt_exit_x86_64_sysv, %function
    .p2align 4
.globl gt_start_x86_64_sysv
gt_start_x86_64_sysv:
  mov rdi, r12
  jmp rbx
    .size gt_start_x86_64_sysv, . - gt_start_x86_64_sysv
    .p2align 4
.globl gt_exit_x86_64_sysv
gt_exit_x86_64_sysv:
  mov rsi, rax
  mov rdi, r12
  call r13
  ud2
    .size gt_exit_x86_64_sysv, . - gt_exit_x86_64_sysv
    .section .note.GNU-stack,"",%progbits
