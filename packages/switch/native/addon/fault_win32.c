/*
 * Turning a machine fault on a green thread into a trap, on Windows.
 *
 * The POSIX addon catches SIGSEGV and SIGBUS (fault_posix.c); Windows
 * raises exceptions instead, and the first code to see one is a vectored
 * exception handler (AddVectoredExceptionHandler): it runs before any
 * frame-based (SEH) handler and before the unwinder looks at the faulting
 * stack, which has no unwind information. The addon installs one, first in
 * the chain, when it loads.
 *
 * If an access violation, a guard-page violation, an in-page error or a
 * stack overflow is raised while this OS thread runs a green thread
 * (gt_current.thread is set only between the switch in and the switch
 * back), the handler records the exception code, the faulting address and
 * the pc, and rewrites the exception's context so that continuing enters
 * the switch routine as if the thread had called
 *
 *     gt_switch(thread->scratch_context, host_context, GT_FAULT_VALUE)
 *
 * on a small scratch stack, then returns EXCEPTION_CONTINUE_EXECUTION. The
 * OS restores that context (NtContinue), the switch restores the host's
 * registers and thread-information words, and resume() sees
 * GT_FAULT_VALUE and marks the thread dead. Every other exception, and
 * every exception while no green thread runs, goes on to the next handler
 * (EXCEPTION_CONTINUE_SEARCH): Node's and the OS's handling is unchanged.
 *
 *   green stack            exception dispatch (same stack)        scratch stack → host
 *   fault ────────────────► vectored handler: record, ─────────────► gt_switch ──► resume() returns
 *                           rewrite Rip/Rsp/Rcx/Rdx/R8
 *
 * Unlike a POSIX signal handler, the handler runs on the faulting stack:
 * the OS writes the exception's frame there first. memory_win32.c lays out
 * each green stack so that there is always room for it, including when the
 * stack pointer itself ran off the usable stack (the PAGE_GUARD tripwire).
 *
 * Not guaranteed: a vectored handler that someone adds later in front of
 * this one sees green threads' faults first and may keep them; a program
 * that corrupts host memory through a wild store to mapped memory is not
 * detected (lowered code cannot; raw machine code can).
 */
#include <windows.h>

#include "gt.h"

static PVOID handler = NULL;
/* The handler cannot be replaced on Windows (handlers chain), so it is never put back. */
int gt_fault_reinstalls = 0;

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *pointers) {
  EXCEPTION_RECORD *record = pointers->ExceptionRecord;
  DWORD code = record->ExceptionCode;
  if (code != EXCEPTION_ACCESS_VIOLATION && code != EXCEPTION_GUARD_PAGE &&
      code != EXCEPTION_STACK_OVERFLOW && code != EXCEPTION_IN_PAGE_ERROR) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  gt_thread *thread = gt_current.thread;
  if (thread == NULL) return EXCEPTION_CONTINUE_SEARCH;
  CONTEXT *context = pointers->ContextRecord;
  thread->fault_signal = (uint32_t)code;
  /* Access violations and in-page errors say where; a stack overflow may not: then the stack pointer is the best witness. */
  thread->fault_address = record->NumberParameters >= 2
                              ? (uint64_t)record->ExceptionInformation[1]
                              : (uint64_t)context->Rsp;
  thread->fault_pc = (uint64_t)context->Rip;
  /* Hand the switch a stack that is surely mapped: the thread's own may be the culprit. */
  uint64_t *sp = &thread->scratch_stack[4];
  sp[0] = 0;
  context->Rsp = (DWORD64)(uintptr_t)sp;
  context->Rcx = (DWORD64)(uintptr_t)thread->scratch_context;
  context->Rdx = (DWORD64)(uintptr_t)gt_current.host_context;
  context->R8 = (DWORD64)GT_FAULT_VALUE;
  context->Rip = (DWORD64)(uintptr_t)&GT_SWITCH;
  return EXCEPTION_CONTINUE_EXECUTION;
}

int gt_fault_handler_live(void) { return handler != NULL; }

/* Installs the vectored handler, first in the chain, once per process. Returns 1 if it is installed. */
int gt_fault_install(void) {
  static SRWLOCK lock = SRWLOCK_INIT;
  AcquireSRWLockExclusive(&lock);
  if (handler == NULL) handler = AddVectoredExceptionHandler(1, on_exception);
  ReleaseSRWLockExclusive(&lock);
  return handler != NULL;
}

napi_value gt_fault_handler_installed(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_get_boolean(env, gt_fault_handler_live(), &v);
  return v;
}
