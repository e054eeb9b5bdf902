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
 * routines) on a thread whose stack is still mapped returns to JavaScript as
 * a fault, with the process intact, provided the signal can be delivered:
 * the handler runs on an alternate signal stack that the addon installs for
 * each OS thread that loads it (signals_posix.c). A fault raised by another
 * signal handler that runs on that alternate stack while a green thread is
 * interrupted (a profiler's sampler, say) is not the thread's: it goes to
 * the previous handler, as any fault outside a green thread does.
 *
 * Replaced handlers: whoever installs a SIGSEGV or SIGBUS handler after the
 * addon replaces this one; Node itself does when JavaScript adds a
 * `process.on("SIGSEGV")` listener (libuv installs its handler then, and
 * sets the default action back when the last listener goes). The addon
 * re-installs its handler whenever it covers the signal handlers
 * (signals_posix.c: when the addon loads, when a signal listener is added or
 * removed, and at spawn time at most every 100 ms), keeping the replacing
 * handler as the one it chains to, so the replacing handler still gets
 * every fault outside green threads. faultHandlerInstalled() asks the
 * kernel, so it answers whether the handler is installed now.
 *
 * What is not guaranteed: faults outside a green thread go to the handler
 * that was installed before (Node's, or the default action, which ends the
 * process); a program that corrupts the host's memory through a wild store
 * that happens to hit mapped memory is not detected (lowered code cannot do
 * that; raw machine code can); a handler installed by native code between
 * two coverings is in charge until the next one.
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
static struct sigaction previous_segv, previous_bus;
/* How many times the handler was found replaced and installed again. */
int gt_fault_reinstalls = 0;

static void on_fault(int sig, siginfo_t *info, void *ucv);

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
  ucontext_t *uc = (ucontext_t *)ucv;
#if defined(__x86_64__)
  uintptr_t sp_at_fault = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
  uintptr_t sp_at_fault = (uintptr_t)uc->uc_mcontext.sp;
#endif
  /* Not a green thread's instruction: none runs, or another handler on the signal stack faulted. */
  if (thread == NULL || (sp_at_fault >= gt_current.alt_low && sp_at_fault < gt_current.alt_high)) {
    chain(sig, info, ucv);
    return;
  }
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

static int is_ours(int sig) {
  struct sigaction current;
  return sigaction(sig, NULL, &current) == 0 && (current.sa_flags & SA_SIGINFO) &&
         current.sa_sigaction == on_fault && (current.sa_flags & SA_ONSTACK);
}

/* Whether the kernel has this addon's handler for both SIGSEGV and SIGBUS now. */
int gt_fault_handler_live(void) { return is_ours(SIGSEGV) && is_ours(SIGBUS); }

/*
 * Installs the process-wide handler for SIGSEGV and SIGBUS where it is not
 * installed (first load, or replaced since), keeping the handler it
 * replaces to chain to. Returns 1 if the handler is installed.
 */
int gt_fault_install(void) {
  static int ever = 0;
  pthread_mutex_lock(&install_lock);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  int ok = 1;
  const int sigs[2] = {SIGSEGV, SIGBUS};
  for (int i = 0; i < 2; i++) {
    if (is_ours(sigs[i])) continue;
    struct sigaction replaced;
    if (sigaction(sigs[i], &sa, &replaced) != 0) {
      ok = 0;
      continue;
    }
    /* Never chain to ourselves (a handler with our function but other flags). */
    if (!((replaced.sa_flags & SA_SIGINFO) && replaced.sa_sigaction == on_fault)) {
      *(sigs[i] == SIGSEGV ? &previous_segv : &previous_bus) = replaced;
    }
    if (ever) gt_fault_reinstalls++;
  }
  ever = 1;
  pthread_mutex_unlock(&install_lock);
  return ok;
}

napi_value gt_fault_handler_installed(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_get_boolean(env, gt_fault_handler_live(), &v);
  return v;
}
