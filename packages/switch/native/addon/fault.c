/*
 * Turning a machine fault on a green thread into a trap.
 *
 * Lowered thread programs check every stack access, call and return, so a
 * well-formed program never faults. This handler is the second line: if a
 * SIGSEGV or SIGBUS arrives while this OS thread is running a green thread
 * (gt_current.thread is set only between the switch in and the switch back),
 * the handler records the signal, the faulting address and pc, and rewrites
 * the interrupted context so that returning from the handler enters the
 * switch routine as if the thread had called
 *
 *     gt_switch(thread->scratch_context, host_context, GT_FAULT_VALUE)
 *
 * on a small scratch stack. The kernel's sigreturn then restores the signal
 * mask and leaves the alternate stack, the switch restores the host's
 * registers, and resume() sees GT_FAULT_VALUE and marks the thread dead.
 *
 *   thread stack         signal (alt stack)          sigreturn → gt_switch → host
 *   guard hit ─────────► on_fault: record, ─────────► scratch stack ───────► resume() returns
 *                        rewrite pc/sp/args
 *
 * What is guaranteed: a SIGSEGV/SIGBUS raised by an instruction of a green
 * thread (its program code, the switch routine, the start and exit
 * routines) on a thread whose stack and block are still mapped returns to
 * JavaScript as a fault, with the process intact, provided the signal can
 * be delivered: the handler runs on an alternate signal stack that the addon
 * installs for each OS thread that loads it (if none is installed yet).
 *
 * What is not guaranteed: faults outside a green thread go to the handler
 * that was installed before (Node's, or the default action, which ends the
 * process); a program that corrupts the host's memory through a wild store
 * that happens to hit mapped memory is not detected (lowered code cannot do
 * that; raw machine code can); another library that installs its own
 * SIGSEGV handler after this addon without chaining disables this one; and
 * a fault while the kernel cannot deliver the signal (no alternate stack on
 * this OS thread) kills the process as before.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "gt.h"

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static int installed = 0;
static struct sigaction previous_segv, previous_bus;

static void chain(int sig, siginfo_t *info, void *ucv) {
  struct sigaction *old = sig == SIGSEGV ? &previous_segv : &previous_bus;
  if (old->sa_flags & SA_SIGINFO) {
    if (old->sa_sigaction) {
      old->sa_sigaction(sig, info, ucv);
      return;
    }
  } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
    return;
  }
  /* Default action: let the faulting instruction run again without us, and die as it should. */
  signal(sig, SIG_DFL);
}

static void on_fault(int sig, siginfo_t *info, void *ucv) {
  gt_thread *thread = gt_current.thread;
  if (thread == NULL) {
    chain(sig, info, ucv);
    return;
  }
  ucontext_t *uc = (ucontext_t *)ucv;
  thread->fault_signal = sig;
  thread->fault_address = (uint64_t)(uintptr_t)info->si_addr;
  /* Hand the switch a stack that is surely mapped: the thread's own may be the culprit. */
  uint64_t *sp = &thread->scratch_stack[4];
  sp[0] = 0;
#if defined(__x86_64__)
  thread->fault_pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)sp;
  uc->uc_mcontext.gregs[REG_RDI] = (greg_t)(uintptr_t)thread->scratch_context;
  uc->uc_mcontext.gregs[REG_RSI] = (greg_t)(uintptr_t)gt_current.host_context;
  uc->uc_mcontext.gregs[REG_RDX] = (greg_t)GT_FAULT_VALUE;
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)&GT_SWITCH;
#elif defined(__aarch64__)
  thread->fault_pc = uc->uc_mcontext.pc;
  uc->uc_mcontext.sp = (uint64_t)(uintptr_t)sp;
  uc->uc_mcontext.regs[0] = (uint64_t)(uintptr_t)thread->scratch_context;
  uc->uc_mcontext.regs[1] = (uint64_t)(uintptr_t)gt_current.host_context;
  uc->uc_mcontext.regs[2] = GT_FAULT_VALUE;
  uc->uc_mcontext.pc = (uint64_t)(uintptr_t)&GT_SWITCH;
#endif
}

/* Installs the process-wide handler once, and an alternate stack on this OS thread if it has none. */
int gt_fault_install(gt_instance *instance) {
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    size_t size = 64 * 1024;
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED) {
      stack_t ss = {.ss_sp = mem, .ss_size = size, .ss_flags = 0};
      if (sigaltstack(&ss, NULL) == 0) {
        instance->alt_stack = mem;
        instance->alt_stack_size = size;
      } else {
        munmap(mem, size);
      }
    }
  }
  pthread_mutex_lock(&install_lock);
  if (!installed) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &previous_segv) == 0 && sigaction(SIGBUS, &sa, &previous_bus) == 0) {
      installed = 1;
    }
  }
  pthread_mutex_unlock(&install_lock);
  return installed;
}

/* Removes the alternate stack this instance installed (a worker is ending); the handler stays. */
void gt_fault_uninstall(gt_instance *instance) {
  if (!instance->alt_stack) return;
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && current.ss_sp == instance->alt_stack) {
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
  }
  munmap(instance->alt_stack, instance->alt_stack_size);
  instance->alt_stack = NULL;
}

napi_value gt_fault_handler_installed(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_get_boolean(env, installed != 0, &v);
  return v;
}
