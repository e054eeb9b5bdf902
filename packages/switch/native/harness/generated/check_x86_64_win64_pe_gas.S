/* Register check, entry probe and thread-information reader of the switch harness, for x86-64 Windows (Microsoft x64 calling convention).
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */

.intel_syntax noprefix
    .text
    .p2align 4
.globl gt_check_x86_64_win64
gt_check_x86_64_win64:
  sub rsp, 296
  mov qword ptr [rsp + 32], r9
  mov qword ptr [rsp + 40], rbx
  mov qword ptr [rsp + 48], rbp
  mov qword ptr [rsp + 56], rdi
  mov qword ptr [rsp + 64], rsi
  mov qword ptr [rsp + 72], r12
  mov qword ptr [rsp + 80], r13
  mov qword ptr [rsp + 88], r14
  mov qword ptr [rsp + 96], r15
  movdqu xmmword ptr [rsp + 112], xmm6
  movdqu xmmword ptr [rsp + 128], xmm7
  movdqu xmmword ptr [rsp + 144], xmm8
  movdqu xmmword ptr [rsp + 160], xmm9
  movdqu xmmword ptr [rsp + 176], xmm10
  movdqu xmmword ptr [rsp + 192], xmm11
  movdqu xmmword ptr [rsp + 208], xmm12
  movdqu xmmword ptr [rsp + 224], xmm13
  movdqu xmmword ptr [rsp + 240], xmm14
  movdqu xmmword ptr [rsp + 256], xmm15
  stmxcsr dword ptr [rsp + 272]
  fnstcw word ptr [rsp + 280]
  ldmxcsr dword ptr [r8 + 240]
  fldcw word ptr [r8 + 248]
  movdqu xmm6, xmmword ptr [r8 + 80]
  movdqu xmm7, xmmword ptr [r8 + 96]
  movdqu xmm8, xmmword ptr [r8 + 112]
  movdqu xmm9, xmmword ptr [r8 + 128]
  movdqu xmm10, xmmword ptr [r8 + 144]
  movdqu xmm11, xmmword ptr [r8 + 160]
  movdqu xmm12, xmmword ptr [r8 + 176]
  movdqu xmm13, xmmword ptr [r8 + 192]
  movdqu xmm14, xmmword ptr [r8 + 208]
  movdqu xmm15, xmmword ptr [r8 + 224]
  mov rbx, qword ptr [r8 + 16]
  mov rbp, qword ptr [r8 + 24]
  mov rdi, qword ptr [r8 + 32]
  mov rsi, qword ptr [r8 + 40]
  mov r12, qword ptr [r8 + 48]
  mov r13, qword ptr [r8 + 56]
  mov r14, qword ptr [r8 + 64]
  mov r15, qword ptr [r8 + 72]
  call gt_switch_x86_64_win64
  mov r10, qword ptr [rsp + 32]
  mov qword ptr [r10 + 16], rbx
  mov qword ptr [r10 + 24], rbp
  mov qword ptr [r10 + 32], rdi
  mov qword ptr [r10 + 40], rsi
  mov qword ptr [r10 + 48], r12
  mov qword ptr [r10 + 56], r13
  mov qword ptr [r10 + 64], r14
  mov qword ptr [r10 + 72], r15
  movdqu xmmword ptr [r10 + 80], xmm6
  movdqu xmmword ptr [r10 + 96], xmm7
  movdqu xmmword ptr [r10 + 112], xmm8
  movdqu xmmword ptr [r10 + 128], xmm9
  movdqu xmmword ptr [r10 + 144], xmm10
  movdqu xmmword ptr [r10 + 160], xmm11
  movdqu xmmword ptr [r10 + 176], xmm12
  movdqu xmmword ptr [r10 + 192], xmm13
  movdqu xmmword ptr [r10 + 208], xmm14
  movdqu xmmword ptr [r10 + 224], xmm15
  stmxcsr dword ptr [r10 + 240]
  fnstcw word ptr [r10 + 248]
  ldmxcsr dword ptr [rsp + 272]
  fldcw word ptr [rsp + 280]
  movdqu xmm6, xmmword ptr [rsp + 112]
  movdqu xmm7, xmmword ptr [rsp + 128]
  movdqu xmm8, xmmword ptr [rsp + 144]
  movdqu xmm9, xmmword ptr [rsp + 160]
  movdqu xmm10, xmmword ptr [rsp + 176]
  movdqu xmm11, xmmword ptr [rsp + 192]
  movdqu xmm12, xmmword ptr [rsp + 208]
  movdqu xmm13, xmmword ptr [rsp + 224]
  movdqu xmm14, xmmword ptr [rsp + 240]
  movdqu xmm15, xmmword ptr [rsp + 256]
  mov rbx, qword ptr [rsp + 40]
  mov rbp, qword ptr [rsp + 48]
  mov rdi, qword ptr [rsp + 56]
  mov rsi, qword ptr [rsp + 64]
  mov r12, qword ptr [rsp + 72]
  mov r13, qword ptr [rsp + 80]
  mov r14, qword ptr [rsp + 88]
  mov r15, qword ptr [rsp + 96]
  add rsp, 296
  pop r10
  jmp r10
.globl gt_probe_entry_x86_64_win64
gt_probe_entry_x86_64_win64:
  mov r10, rsp
  mov qword ptr [rcx + 8], r10
  stmxcsr dword ptr [rcx + 16]
  fnstcw word ptr [rcx + 24]
  mov r10, qword ptr gs:[8]
  mov qword ptr [rcx + 32], r10
  mov r10, qword ptr gs:[16]
  mov qword ptr [rcx + 40], r10
  mov r10, qword ptr gs:[5240]
  mov qword ptr [rcx + 48], r10
  mov r10, qword ptr [rcx]
  jmp r10
.globl gt_read_thread_information_x86_64_win64
gt_read_thread_information_x86_64_win64:
  mov r10, qword ptr gs:[8]
  mov qword ptr [rcx], r10
  mov r10, qword ptr gs:[16]
  mov qword ptr [rcx + 8], r10
  mov r10, qword ptr gs:[5240]
  mov qword ptr [rcx + 16], r10
  pop r10
  jmp r10
.globl gt_check_lowered_x86_64_win64
gt_check_lowered_x86_64_win64:
  sub rsp, 296
  mov qword ptr [rsp + 32], r9
  mov qword ptr [rsp + 40], rbx
  mov qword ptr [rsp + 48], rbp
  mov qword ptr [rsp + 56], rdi
  mov qword ptr [rsp + 64], rsi
  mov qword ptr [rsp + 72], r12
  mov qword ptr [rsp + 80], r13
  mov qword ptr [rsp + 88], r14
  mov qword ptr [rsp + 96], r15
  movdqu xmmword ptr [rsp + 112], xmm6
  movdqu xmmword ptr [rsp + 128], xmm7
  movdqu xmmword ptr [rsp + 144], xmm8
  movdqu xmmword ptr [rsp + 160], xmm9
  movdqu xmmword ptr [rsp + 176], xmm10
  movdqu xmmword ptr [rsp + 192], xmm11
  movdqu xmmword ptr [rsp + 208], xmm12
  movdqu xmmword ptr [rsp + 224], xmm13
  movdqu xmmword ptr [rsp + 240], xmm14
  movdqu xmmword ptr [rsp + 256], xmm15
  stmxcsr dword ptr [rsp + 272]
  fnstcw word ptr [rsp + 280]
  ldmxcsr dword ptr [r8 + 240]
  fldcw word ptr [r8 + 248]
  movdqu xmm6, xmmword ptr [r8 + 80]
  movdqu xmm7, xmmword ptr [r8 + 96]
  movdqu xmm8, xmmword ptr [r8 + 112]
  movdqu xmm9, xmmword ptr [r8 + 128]
  movdqu xmm10, xmmword ptr [r8 + 144]
  movdqu xmm11, xmmword ptr [r8 + 160]
  movdqu xmm12, xmmword ptr [r8 + 176]
  movdqu xmm13, xmmword ptr [r8 + 192]
  movdqu xmm14, xmmword ptr [r8 + 208]
  movdqu xmm15, xmmword ptr [r8 + 224]
  mov rbx, qword ptr [r8 + 16]
  mov rbp, qword ptr [r8 + 24]
  mov rdi, qword ptr [r8 + 32]
  mov rsi, qword ptr [r8 + 40]
  mov r12, qword ptr [r8 + 48]
  mov r13, qword ptr [r8 + 56]
  mov r14, qword ptr [r8 + 64]
  mov r15, qword ptr [r8 + 72]
  call gt_switch_lowered_x86_64_win64
  mov r10, qword ptr [rsp + 32]
  mov qword ptr [r10 + 16], rbx
  mov qword ptr [r10 + 24], rbp
  mov qword ptr [r10 + 32], rdi
  mov qword ptr [r10 + 40], rsi
  mov qword ptr [r10 + 48], r12
  mov qword ptr [r10 + 56], r13
  mov qword ptr [r10 + 64], r14
  mov qword ptr [r10 + 72], r15
  movdqu xmmword ptr [r10 + 80], xmm6
  movdqu xmmword ptr [r10 + 96], xmm7
  movdqu xmmword ptr [r10 + 112], xmm8
  movdqu xmmword ptr [r10 + 128], xmm9
  movdqu xmmword ptr [r10 + 144], xmm10
  movdqu xmmword ptr [r10 + 160], xmm11
  movdqu xmmword ptr [r10 + 176], xmm12
  movdqu xmmword ptr [r10 + 192], xmm13
  movdqu xmmword ptr [r10 + 208], xmm14
  movdqu xmmword ptr [r10 + 224], xmm15
  stmxcsr dword ptr [r10 + 240]
  fnstcw word ptr [r10 + 248]
  ldmxcsr dword ptr [rsp + 272]
  fldcw word ptr [rsp + 280]
  movdqu xmm6, xmmword ptr [rsp + 112]
  movdqu xmm7, xmmword ptr [rsp + 128]
  movdqu xmm8, xmmword ptr [rsp + 144]
  movdqu xmm9, xmmword ptr [rsp + 160]
  movdqu xmm10, xmmword ptr [rsp + 176]
  movdqu xmm11, xmmword ptr [rsp + 192]
  movdqu xmm12, xmmword ptr [rsp + 208]
  movdqu xmm13, xmmword ptr [rsp + 224]
  movdqu xmm14, xmmword ptr [rsp + 240]
  movdqu xmm15, xmmword ptr [rsp + 256]
  mov rbx, qword ptr [rsp + 40]
  mov rbp, qword ptr [rsp + 48]
  mov rdi, qword ptr [rsp + 56]
  mov rsi, qword ptr [rsp + 64]
  mov r12, qword ptr [rsp + 72]
  mov r13, qword ptr [rsp + 80]
  mov r14, qword ptr [rsp + 88]
  mov r15, qword ptr [rsp + 96]
  add rsp, 296
  pop r10
  jmp r10
.globl gt_clobber_thread_x86_64_win64
gt_clobber_thread_x86_64_win64:
  sub rsp, 16
  mov qword ptr [rsp], rcx
  movabs r8, 0xc10bb0000000000
.Lgt_clobber_loop_x86_64_win64:
  add r8, 1
  mov qword ptr [rsp + 8], r8
  mov rax, qword ptr [rsp + 8]
  xor rax, 4369
  mov rcx, qword ptr [rsp + 8]
  xor rcx, 8738
  mov rdx, qword ptr [rsp + 8]
  xor rdx, 13107
  mov rbx, qword ptr [rsp + 8]
  xor rbx, 17476
  mov rsi, qword ptr [rsp + 8]
  xor rsi, 21845
  mov rdi, qword ptr [rsp + 8]
  xor rdi, 26214
  mov r9, qword ptr [rsp + 8]
  xor r9, 34952
  mov r10, qword ptr [rsp + 8]
  xor r10, 39321
  mov r11, qword ptr [rsp + 8]
  xor r11, 43690
  mov r12, qword ptr [rsp + 8]
  xor r12, 48059
  mov r13, qword ptr [rsp + 8]
  xor r13, 52428
  mov r14, qword ptr [rsp + 8]
  xor r14, 56797
  mov r15, qword ptr [rsp + 8]
  xor r15, 61166
  mov r10, qword ptr [rsp]
  mov rcx, qword ptr [r10]
  mov rdx, qword ptr [r10 + 8]
  mov r8, qword ptr [rsp + 8]
  lea r10, [rip + .Lgt_clobber_back_x86_64_win64]
  sub rsp, 8
  mov qword ptr [rsp], r10
  {disp32} jmp gt_switch_to_host_x86_64_win64
.Lgt_clobber_back_x86_64_win64:
  mov r8, qword ptr [rsp + 8]
  {disp32} jmp .Lgt_clobber_loop_x86_64_win64
.globl gt_pingpong_lowered_x86_64_win64
gt_pingpong_lowered_x86_64_win64:
  mov rbx, rcx
  mov rax, 0
.Lgt_pingpong_loop_x86_64_win64:
  mov r8, rax
  add r8, 1
  mov rcx, qword ptr [rbx]
  mov rdx, qword ptr [rbx + 8]
  lea r10, [rip + .Lgt_pingpong_loop_x86_64_win64]
  sub rsp, 8
  mov qword ptr [rsp], r10
  {disp32} jmp gt_switch_to_host_x86_64_win64
