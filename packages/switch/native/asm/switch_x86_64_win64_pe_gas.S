/* the context switches: gt_switch(from, to, value) for any code, gt_switch_lowered(from, to, value) and gt_switch_to_host(from, to, value) between the host and lowered programs, for x86-64 Windows (Microsoft x64 calling convention).
 * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */

.intel_syntax noprefix
    .text
    .p2align 4
.globl gt_switch_x86_64_win64
gt_switch_x86_64_win64:
  pop r10
  mov qword ptr [rcx], r10
  mov qword ptr [rcx + 8], rsp
  mov qword ptr [rcx + 16], rbx
  mov qword ptr [rcx + 24], rbp
  mov qword ptr [rcx + 32], rdi
  mov qword ptr [rcx + 40], rsi
  mov qword ptr [rcx + 48], r12
  mov qword ptr [rcx + 56], r13
  mov qword ptr [rcx + 64], r14
  mov qword ptr [rcx + 72], r15
  movdqu xmmword ptr [rcx + 80], xmm6
  movdqu xmmword ptr [rcx + 96], xmm7
  movdqu xmmword ptr [rcx + 112], xmm8
  movdqu xmmword ptr [rcx + 128], xmm9
  movdqu xmmword ptr [rcx + 144], xmm10
  movdqu xmmword ptr [rcx + 160], xmm11
  movdqu xmmword ptr [rcx + 176], xmm12
  movdqu xmmword ptr [rcx + 192], xmm13
  movdqu xmmword ptr [rcx + 208], xmm14
  movdqu xmmword ptr [rcx + 224], xmm15
  stmxcsr dword ptr [rcx + 240]
  fnstcw word ptr [rcx + 248]
  mov rax, qword ptr gs:[8]
  mov qword ptr [rcx + 256], rax
  mov rax, qword ptr gs:[16]
  mov qword ptr [rcx + 264], rax
  mov rax, qword ptr gs:[5240]
  mov qword ptr [rcx + 272], rax
  mov rax, qword ptr [rdx + 256]
  mov qword ptr gs:[8], rax
  mov rax, qword ptr [rdx + 264]
  mov qword ptr gs:[16], rax
  mov rax, qword ptr [rdx + 272]
  mov qword ptr gs:[5240], rax
  ldmxcsr dword ptr [rdx + 240]
  movzx r10d, word ptr [rdx + 248]
  movzx eax, word ptr [rcx + 248]
  cmp r10, rax
  {disp32} je .Lgt_switch_x86_64_win64_x87cw_kept
  fldcw word ptr [rdx + 248]
.Lgt_switch_x86_64_win64_x87cw_kept:
  movdqu xmm6, xmmword ptr [rdx + 80]
  movdqu xmm7, xmmword ptr [rdx + 96]
  movdqu xmm8, xmmword ptr [rdx + 112]
  movdqu xmm9, xmmword ptr [rdx + 128]
  movdqu xmm10, xmmword ptr [rdx + 144]
  movdqu xmm11, xmmword ptr [rdx + 160]
  movdqu xmm12, xmmword ptr [rdx + 176]
  movdqu xmm13, xmmword ptr [rdx + 192]
  movdqu xmm14, xmmword ptr [rdx + 208]
  movdqu xmm15, xmmword ptr [rdx + 224]
  mov rbx, qword ptr [rdx + 16]
  mov rbp, qword ptr [rdx + 24]
  mov rdi, qword ptr [rdx + 32]
  mov rsi, qword ptr [rdx + 40]
  mov r12, qword ptr [rdx + 48]
  mov r13, qword ptr [rdx + 56]
  mov r14, qword ptr [rdx + 64]
  mov r15, qword ptr [rdx + 72]
  mov rsp, qword ptr [rdx + 8]
  mov r10, qword ptr [rdx]
  mov rax, r8
  jmp r10
    .p2align 4
.globl gt_switch_lowered_x86_64_win64
gt_switch_lowered_x86_64_win64:
  pop r10
  mov qword ptr [rcx], r10
  mov qword ptr [rcx + 8], rsp
  mov qword ptr [rcx + 16], rbx
  mov qword ptr [rcx + 32], rdi
  mov qword ptr [rcx + 40], rsi
  mov qword ptr [rcx + 48], r12
  mov qword ptr [rcx + 56], r13
  mov qword ptr [rcx + 64], r14
  mov qword ptr [rcx + 72], r15
  mov rax, qword ptr gs:[8]
  mov qword ptr [rcx + 256], rax
  mov rax, qword ptr gs:[16]
  mov qword ptr [rcx + 264], rax
  mov rax, qword ptr gs:[5240]
  mov qword ptr [rcx + 272], rax
  mov rax, qword ptr [rdx + 256]
  mov qword ptr gs:[8], rax
  mov rax, qword ptr [rdx + 264]
  mov qword ptr gs:[16], rax
  mov rax, qword ptr [rdx + 272]
  mov qword ptr gs:[5240], rax
  mov rbx, qword ptr [rdx + 16]
  mov rdi, qword ptr [rdx + 32]
  mov rsi, qword ptr [rdx + 40]
  mov r12, qword ptr [rdx + 48]
  mov r13, qword ptr [rdx + 56]
  mov r14, qword ptr [rdx + 64]
  mov r15, qword ptr [rdx + 72]
  mov rsp, qword ptr [rdx + 8]
  mov r10, qword ptr [rdx]
  mov rax, r8
  jmp r10
    .p2align 4
.globl gt_switch_to_host_x86_64_win64
gt_switch_to_host_x86_64_win64:
  pop r10
  mov qword ptr [rcx], r10
  mov qword ptr [rcx + 8], rsp
  mov qword ptr [rcx + 16], rbx
  mov rax, qword ptr gs:[8]
  mov qword ptr [rcx + 256], rax
  mov rax, qword ptr gs:[16]
  mov qword ptr [rcx + 264], rax
  mov rax, qword ptr gs:[5240]
  mov qword ptr [rcx + 272], rax
  mov rax, qword ptr [rdx + 256]
  mov qword ptr gs:[8], rax
  mov rax, qword ptr [rdx + 264]
  mov qword ptr gs:[16], rax
  mov rax, qword ptr [rdx + 272]
  mov qword ptr gs:[5240], rax
  mov rbx, qword ptr [rdx + 16]
  mov rdi, qword ptr [rdx + 32]
  mov rsi, qword ptr [rdx + 40]
  mov r12, qword ptr [rdx + 48]
  mov r13, qword ptr [rdx + 56]
  mov r14, qword ptr [rdx + 64]
  mov r15, qword ptr [rdx + 72]
  mov rsp, qword ptr [rdx + 8]
  mov r10, qword ptr [rdx]
  mov rax, r8
  jmp r10
