/* Register check, entry probe and thread-information reader of the switch harness, for x86-64 System V: Linux, macOS, FreeBSD.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */

.intel_syntax noprefix
    .text
    .p2align 4
    .type gt_check_x86_64_sysv, %function
    .type gt_probe_entry_x86_64_sysv, %function
    .type gt_read_thread_information_x86_64_sysv, %function
    .type gt_check_lowered_x86_64_sysv, %function
    .type gt_clobber_thread_x86_64_sysv, %function
    .type gt_pingpong_lowered_x86_64_sysv, %function
.globl gt_check_x86_64_sysv
gt_check_x86_64_sysv:
  sub rsp, 72
  mov qword ptr [rsp], rcx
  mov qword ptr [rsp + 8], rbx
  mov qword ptr [rsp + 16], rbp
  mov qword ptr [rsp + 24], r12
  mov qword ptr [rsp + 32], r13
  mov qword ptr [rsp + 40], r14
  mov qword ptr [rsp + 48], r15
  stmxcsr dword ptr [rsp + 56]
  fnstcw word ptr [rsp + 64]
  ldmxcsr dword ptr [rdx + 64]
  fldcw word ptr [rdx + 72]
  mov rbx, qword ptr [rdx + 16]
  mov rbp, qword ptr [rdx + 24]
  mov r12, qword ptr [rdx + 32]
  mov r13, qword ptr [rdx + 40]
  mov r14, qword ptr [rdx + 48]
  mov r15, qword ptr [rdx + 56]
  call gt_switch_x86_64_sysv
  mov r10, qword ptr [rsp]
  mov qword ptr [r10 + 16], rbx
  mov qword ptr [r10 + 24], rbp
  mov qword ptr [r10 + 32], r12
  mov qword ptr [r10 + 40], r13
  mov qword ptr [r10 + 48], r14
  mov qword ptr [r10 + 56], r15
  stmxcsr dword ptr [r10 + 64]
  fnstcw word ptr [r10 + 72]
  ldmxcsr dword ptr [rsp + 56]
  fldcw word ptr [rsp + 64]
  mov rbx, qword ptr [rsp + 8]
  mov rbp, qword ptr [rsp + 16]
  mov r12, qword ptr [rsp + 24]
  mov r13, qword ptr [rsp + 32]
  mov r14, qword ptr [rsp + 40]
  mov r15, qword ptr [rsp + 48]
  add rsp, 72
  pop r10
  jmp r10
.globl gt_probe_entry_x86_64_sysv
gt_probe_entry_x86_64_sysv:
  mov r10, rsp
  mov qword ptr [rdi + 8], r10
  stmxcsr dword ptr [rdi + 16]
  fnstcw word ptr [rdi + 24]
  mov r10, qword ptr [rdi]
  jmp r10
.globl gt_read_thread_information_x86_64_sysv
gt_read_thread_information_x86_64_sysv:
  pop r10
  jmp r10
.globl gt_check_lowered_x86_64_sysv
gt_check_lowered_x86_64_sysv:
  sub rsp, 72
  mov qword ptr [rsp], rcx
  mov qword ptr [rsp + 8], rbx
  mov qword ptr [rsp + 16], rbp
  mov qword ptr [rsp + 24], r12
  mov qword ptr [rsp + 32], r13
  mov qword ptr [rsp + 40], r14
  mov qword ptr [rsp + 48], r15
  stmxcsr dword ptr [rsp + 56]
  fnstcw word ptr [rsp + 64]
  ldmxcsr dword ptr [rdx + 64]
  fldcw word ptr [rdx + 72]
  mov rbx, qword ptr [rdx + 16]
  mov rbp, qword ptr [rdx + 24]
  mov r12, qword ptr [rdx + 32]
  mov r13, qword ptr [rdx + 40]
  mov r14, qword ptr [rdx + 48]
  mov r15, qword ptr [rdx + 56]
  call gt_switch_lowered_x86_64_sysv
  mov r10, qword ptr [rsp]
  mov qword ptr [r10 + 16], rbx
  mov qword ptr [r10 + 24], rbp
  mov qword ptr [r10 + 32], r12
  mov qword ptr [r10 + 40], r13
  mov qword ptr [r10 + 48], r14
  mov qword ptr [r10 + 56], r15
  stmxcsr dword ptr [r10 + 64]
  fnstcw word ptr [r10 + 72]
  ldmxcsr dword ptr [rsp + 56]
  fldcw word ptr [rsp + 64]
  mov rbx, qword ptr [rsp + 8]
  mov rbp, qword ptr [rsp + 16]
  mov r12, qword ptr [rsp + 24]
  mov r13, qword ptr [rsp + 32]
  mov r14, qword ptr [rsp + 40]
  mov r15, qword ptr [rsp + 48]
  add rsp, 72
  pop r10
  jmp r10
.globl gt_clobber_thread_x86_64_sysv
gt_clobber_thread_x86_64_sysv:
  sub rsp, 16
  mov qword ptr [rsp], rdi
  movabs rdx, 0xc10bb0000000000
.Lgt_clobber_loop_x86_64_sysv:
  add rdx, 1
  mov qword ptr [rsp + 8], rdx
  mov rax, qword ptr [rsp + 8]
  xor rax, 4369
  mov rcx, qword ptr [rsp + 8]
  xor rcx, 8738
  mov rbx, qword ptr [rsp + 8]
  xor rbx, 17476
  mov rsi, qword ptr [rsp + 8]
  xor rsi, 21845
  mov rdi, qword ptr [rsp + 8]
  xor rdi, 26214
  mov r8, qword ptr [rsp + 8]
  xor r8, 30583
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
  mov rdi, qword ptr [r10]
  mov rsi, qword ptr [r10 + 8]
  mov rdx, qword ptr [rsp + 8]
  lea r10, [rip + .Lgt_clobber_back_x86_64_sysv]
  sub rsp, 8
  mov qword ptr [rsp], r10
  {disp32} jmp gt_switch_to_host_x86_64_sysv
.Lgt_clobber_back_x86_64_sysv:
  mov rdx, qword ptr [rsp + 8]
  {disp32} jmp .Lgt_clobber_loop_x86_64_sysv
.globl gt_pingpong_lowered_x86_64_sysv
gt_pingpong_lowered_x86_64_sysv:
  mov rbx, rdi
  mov rax, 0
.Lgt_pingpong_loop_x86_64_sysv:
  mov rdx, rax
  add rdx, 1
  mov rdi, qword ptr [rbx]
  mov rsi, qword ptr [rbx + 8]
  lea r10, [rip + .Lgt_pingpong_loop_x86_64_sysv]
  sub rsp, 8
  mov qword ptr [rsp], r10
  {disp32} jmp gt_switch_to_host_x86_64_sysv
    .size gt_check_x86_64_sysv, . - gt_check_x86_64_sysv
    .size gt_probe_entry_x86_64_sysv, . - gt_probe_entry_x86_64_sysv
    .size gt_read_thread_information_x86_64_sysv, . - gt_read_thread_information_x86_64_sysv
    .size gt_check_lowered_x86_64_sysv, . - gt_check_lowered_x86_64_sysv
    .size gt_clobber_thread_x86_64_sysv, . - gt_clobber_thread_x86_64_sysv
    .size gt_pingpong_lowered_x86_64_sysv, . - gt_pingpong_lowered_x86_64_sysv
    .section .note.GNU-stack,"",%progbits
