/* the start trampoline and the exit routine of a new thread, for x86-64 Windows (Microsoft x64 calling convention).
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.intel_syntax noprefix
    .text
    .p2align 4
.globl gt_start_x86_64_win64
gt_start_x86_64_win64:
  mov rcx, rdi
  jmp rbx
    .p2align 4
.globl gt_exit_x86_64_win64
gt_exit_x86_64_win64:
  mov rdx, rax
  mov rcx, rdi
  call rsi
  ud2
