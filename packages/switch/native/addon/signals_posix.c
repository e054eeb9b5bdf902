/*
 * Asynchronous signals while a green thread runs.
 *
 * A thread program uses the machine stack as its program stack (isa
 * lower.ts): `push` moves the machine's stack pointer. When the kernel
 * delivers a signal to a handler it builds a signal frame (the interrupted
 * registers, the FPU/vector state saved by xsave, the siginfo) on the stack
 * the handler will run on, and the handler's own C frames go below it. For
 * a handler without SA_ONSTACK that stack is the interrupted one: the green
 * thread's, just below its stack pointer (past the 128-byte red zone on
 * x86-64). Signals that arrive in ordinary Node programs: SIGCHLD when a
 * child process exits, SIGUSR2/SIGINT/SIGTERM with a `process.on` listener
 * (libuv installs its handler when the first listener is added, without
 * SA_ONSTACK), SIGPROF from `node --cpu-prof`, SIGWINCH in a terminal.
 *
 * Measured here (x86-64, AVX2, Linux 6.x): getauxval(AT_MINSIGSTKSZ) = 1776
 * bytes (the kernel's frame with this CPU's xsave area, 832 bytes as cpuid
 * leaf 0xD reports), and a trivial handler's locals sit 1,560 bytes below the
 * interrupted function's. With AVX-512 the xsave area is ~2.7 KB, with AMX
 * ~11 KB: the frame size is a property of the machine, so it is read at
 * load time, never assumed.
 *
 * Two measures, each covering what the other cannot:
 *
 * 1. Every handler runs on the alternate signal stack. The addon installs
 *    a signal stack on each OS thread that loads it (with a guard page of
 *    its own), and "covers" the process's handlers: each installed handler
 *    that lacks SA_ONSTACK gets it added (the handler, its mask and other
 *    flags stay as they were). A handler with SA_ONSTACK never writes to a
 *    green stack: the kernel switches to the signal stack first, and nested
 *    signals stack up there. Covering costs one sigaction per signal
 *    (~40 µs for all of them, measured), far too much for a resume (~30 ns),
 *    so it happens when the addon loads, when JavaScript adds or removes a
 *    signal listener (the backend watches process "newListener" and
 *    "removeListener": libuv has installed or removed its handler by the
 *    time those are emitted), and when a thread is spawned, at most every
 *    100 ms. Covering also puts back the fault handler if it was replaced
 *    (fault_posix.c).
 *
 * 2. Headroom for what is not yet covered. A handler installed by native
 *    code between two coverings (libuv's SIGCHLD handler, installed at the
 *    first child_process.spawn, is the common one) still runs on the green
 *    stack until the next covering. Below every green stack's lowest usable
 *    word the addon keeps writable headroom, sized from the measured frame:
 *
 *        headroom = pages(2 × (frame + red zone + handler allowance))
 *        frame            = max(AT_MINSIGSTKSZ, sysconf(_SC_MINSIGSTKSZ))
 *        red zone         = 128 bytes (x86-64; none on AArch64)
 *        handler allowance = 2 KiB for the handler's own C frames (libuv's
 *                           handler writes one message to a pipe)
 *        × 2              = one nested signal of a second uncovered handler
 *                           (libuv blocks every signal while its handler
 *                           runs, so it does not nest itself)
 *
 *    On this machine: 2 × (1776 + 128 + 2048) = 7904 → 8 KiB (two pages).
 *    The headroom is part of the stack's mapping but outside the Stack
 *    that JavaScript sees, and the lowered code's stack limit is above the
 *    Stack's low end, so no program word lives there and no frame written
 *    there can reach a word of the program or the guard page:
 *
 *       high ─► ┌──────────────────────────┐
 *               │ initial frame            │
 *               │ program words …          │  ◄─ program stack, down to the limit
 *       limit ─►├──────────────────────────┤
 *               │ STACK_RESERVE (64 bytes) │  the trap's pushed return address
 *       low ──► ├══════════════════════════┤  ◄─ Stack.low
 *               │ signal headroom  rw-     │  an uncovered handler's frame:
 *               │  (red zone, sigframe,    │  ≤ red zone + sigframe + handler,
 *               │   handler, × 2)          │  twice, fits here
 *               ├──────────────────────────┤
 *               │ guard            ---     │  ≥ 1 page: anything past the
 *       base ─► └──────────────────────────┘  headroom faults (fault_posix.c)
 *
 *       OS thread's signal stack (sigaltstack, one per OS thread)
 *               ┌──────────────────────────┐
 *               │ covered handlers' frames │  max(64 KiB, 8 frames)
 *               ├──────────────────────────┤
 *               │ guard            ---     │
 *               └──────────────────────────┘
 *
 *    The thread control block and the saved context are not on the green
 *    stack at all (thread.c keeps them in the addon's heap), so no frame
 *    reaches them. A guard of zero pages is refused (the allocator throws):
 *    without one, a frame that outgrew the headroom would silently land in
 *    the neighbouring mapping, which may be another thread's stack.
 *
 * A covered handler also sees the green thread's registers in its context
 * (a profiler's sampler reads pc, sp and fp); whatever it does with them is
 * its own business, and a fault it raises on the signal stack goes to the
 * previous SIGSEGV handler, not to the green thread (fault_posix.c).
 *
 * Not covered: a handler that native code installs and whose signal arrives
 * before the next covering lands below the program's words (invisible to
 * the program, which can only reach its words in use, but written), and
 * more deeply nested than the headroom allows it would reach the guard;
 * a handler that another OS thread installs between a covering's reading
 * and writing of that signal's action is overwritten with the one read;
 * and signal stacks installed by others on an OS thread are used as they
 * are (the addon installs its own only where there is none).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gt.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

#if defined(__x86_64__)
#define RED_ZONE 128
#else
#define RED_ZONE 0
#endif
#define HANDLER_ALLOWANCE 2048
#define NESTED_FRAMES 2
#define ALT_STACK_FRAMES 8
#define ALT_STACK_MINIMUM (64 * 1024)

static size_t frame_size = 0;     /* the kernel's signal frame, measured */
static size_t auxv_frame = 0;     /* getauxval(AT_MINSIGSTKSZ), 0 if the kernel gives none */
static size_t headroom = 0;       /* below every green stack */
static size_t alt_stack_size = 0; /* per OS thread, without its guard */
static pthread_mutex_t cover_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t round_pages(size_t n) {
  size_t page = gt_page_size();
  return (n + page - 1) / page * page;
}

void gt_signals_measure(void) {
  if (frame_size) return;
  auxv_frame = (size_t)getauxval(AT_MINSIGSTKSZ);
  size_t frame = auxv_frame;
#ifdef _SC_MINSIGSTKSZ
  long sc = sysconf(_SC_MINSIGSTKSZ);
  if (sc > 0 && (size_t)sc > frame) frame = (size_t)sc;
#endif
  if (frame == 0) frame = MINSIGSTKSZ;
  frame_size = frame;
  size_t per_signal = frame + RED_ZONE + HANDLER_ALLOWANCE;
  headroom = round_pages(NESTED_FRAMES * per_signal);
  alt_stack_size = round_pages(ALT_STACK_FRAMES * per_signal);
  if (alt_stack_size < ALT_STACK_MINIMUM) alt_stack_size = ALT_STACK_MINIMUM;
}

size_t gt_signal_headroom(void) {
  gt_signals_measure();
  return headroom;
}

/* Installs a signal stack (with a guard page below it) on this OS thread if it has none; records its range. */
int gt_alt_stack_install(gt_instance *instance) {
  gt_signals_measure();
  stack_t current;
  if (sigaltstack(NULL, &current) != 0) return 0;
  if (!(current.ss_flags & SS_DISABLE)) {
    gt_current.alt_low = (uintptr_t)current.ss_sp;
    gt_current.alt_high = (uintptr_t)current.ss_sp + current.ss_size;
    return 1;
  }
  size_t page = gt_page_size();
  size_t length = alt_stack_size + page;
  void *mem = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return 0;
  if (mprotect(mem, page, PROT_NONE) != 0) {
    munmap(mem, length);
    return 0;
  }
  stack_t ss = {.ss_sp = (uint8_t *)mem + page, .ss_size = alt_stack_size, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) {
    munmap(mem, length);
    return 0;
  }
  instance->alt_stack = mem;
  instance->alt_stack_length = length;
  gt_current.alt_low = (uintptr_t)ss.ss_sp;
  gt_current.alt_high = (uintptr_t)ss.ss_sp + alt_stack_size;
  return 1;
}

/* Removes the signal stack this instance installed (a worker is ending). */
void gt_alt_stack_uninstall(gt_instance *instance) {
  if (!instance->alt_stack) return;
  stack_t current;
  size_t page = gt_page_size();
  if (sigaltstack(NULL, &current) == 0 && current.ss_sp == (uint8_t *)instance->alt_stack + page) {
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    gt_current.alt_low = gt_current.alt_high = 0;
  }
  munmap(instance->alt_stack, instance->alt_stack_length);
  instance->alt_stack = NULL;
}

/*
 * Covers the process's signal handlers (see above): adds SA_ONSTACK where a
 * handler lacks it and re-installs the fault handler if it was replaced.
 * Returns how many handlers it changed.
 */
int gt_signals_cover(void) {
  int changed = 0;
  pthread_mutex_lock(&cover_lock);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS) continue;
    struct sigaction current;
    if (sigaction(sig, NULL, &current) != 0) continue; /* reserved by libc */
    if (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN) continue;
    if (current.sa_flags & SA_ONSTACK) continue;
    current.sa_flags |= SA_ONSTACK;
    if (sigaction(sig, &current, NULL) == 0) changed++;
  }
  pthread_mutex_unlock(&cover_lock);
  gt_fault_install();
  return changed;
}

/* The measured figures of signalInfo() (signal_info.c). */
gt_signal_figures gt_signal_figures_now(void) {
  gt_signals_measure();
  gt_signal_figures f = {frame_size, auxv_frame, headroom,
                         (size_t)(gt_current.alt_high - gt_current.alt_low)};
  return f;
}

/* Signals whose handler lacks SA_ONSTACK now: up to `capacity` into `out`; returns how many were written. */
int gt_signals_uncovered(int *out, int capacity) {
  int n = 0;
  for (int sig = 1; sig < NSIG && n < capacity; sig++) {
    struct sigaction current;
    if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &current) != 0) continue;
    if (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN) continue;
    if (current.sa_flags & SA_ONSTACK) continue;
    out[n++] = sig;
  }
  return n;
}
