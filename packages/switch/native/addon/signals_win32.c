/*
 * Asynchronous events while a green thread runs, on Windows: what replaces
 * the POSIX signal design of signals_posix.c.
 *
 * Windows has none of the POSIX asynchronous signals. The things that can
 * run code on a thread without that thread calling it are:
 *
 * - Console control events (Ctrl+C, Ctrl+Break, closing the console): the
 *   OS runs the handlers on a new thread it creates, never on the
 *   interrupted one. Node's SIGINT/SIGBREAK emulation rides on these.
 * - Samplers and debuggers (V8's CPU profiler on Windows, ETW): another
 *   thread suspends this one and reads its context (SuspendThread,
 *   GetThreadContext). Nothing is written to the suspended thread's stack.
 * - User-mode APCs (QueueUserAPC, completion routines of ReadFileEx and
 *   friends): they run on the thread's current stack, but only when the
 *   thread is in an alertable wait (SleepEx, WaitForSingleObjectEx and the
 *   like with bAlertable, or NtTestAlert). A green thread runs lowered code
 *   only, and lowered code calls nothing: the x86-64 subset of
 *   @greenthreads/isa has no call out of the program and no syscall
 *   instruction; every host call, yield, budget stop and exit is a trap
 *   that switches back to the main stack first. So a regular APC never runs
 *   on a green stack.
 * - Special user-mode APCs (QueueUserAPC2 with
 *   QUEUE_USER_APC_FLAGS_SPECIAL_USER_APC, Windows 11 / Server 2022): they
 *   interrupt user-mode code without an alertable wait, like a signal
 *   without SA_ONSTACK. Node and libuv queue none; one queued by other
 *   native code would run below the green thread's stack pointer, in the
 *   dispatch room described below (one frame's worth), exactly as an
 *   uncovered POSIX handler runs in the signal headroom.
 * - Exceptions: the OS writes the exception's frame on the faulting stack
 *   and runs the vectored handlers there (fault_win32.c).
 *
 * So there is nothing to cover (signalsCover() changes nothing and answers
 * 0) and no alternate stack to install: Windows has none. What stays is
 * headroom below every green stack, for the exception dispatcher's frame:
 *
 *   frame   = sizeof(CONTEXT) + the XSAVE area this CPU enables (cpuid leaf
 *             0xD, like AT_MINSIGSTKSZ on Linux) + CONTEXT_EX
 *             + EXCEPTION_RECORD + the dispatcher's and the handler's frames
 *             (HANDLER_ALLOWANCE)
 *   room    = pages(2 × frame)   (a nested fault, or a special APC, on top)
 *   headroom = tripwire (GT_TRIPWIRE_PAGES, memory_win32.c) + room
 *
 * Under wine on this machine (AVX2): 1232 + 832 + 32 + 152 + 1024 = 3272,
 * room 8 KiB (two pages), headroom 20 KiB.
 */
#include <windows.h>
#include <cpuid.h>

#include "gt.h"

#define HANDLER_ALLOWANCE 1024
#define NESTED_FRAMES 2
#define CONTEXT_EX_BYTES 32

static size_t xsave_size = 0; /* cpuid(0xD, 0).ebx: the XSAVE area for the enabled features */
static size_t frame_size = 0;
static size_t headroom = 0;

static size_t round_pages(size_t n) {
  size_t page = gt_page_size();
  return (n + page - 1) / page * page;
}

void gt_signals_measure(void) {
  if (frame_size) return;
  unsigned int a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_count(0xD, 0, &a, &b, &c, &d)) xsave_size = b;
  frame_size = sizeof(CONTEXT) + xsave_size + CONTEXT_EX_BYTES + sizeof(EXCEPTION_RECORD) +
               HANDLER_ALLOWANCE;
  headroom = GT_TRIPWIRE_PAGES * gt_page_size() + round_pages(NESTED_FRAMES * frame_size);
}

size_t gt_signal_headroom(void) {
  gt_signals_measure();
  return headroom;
}

/* No alternate stacks on Windows: exceptions are dispatched on the faulting stack. */
int gt_alt_stack_install(gt_instance *instance) {
  (void)instance;
  gt_signals_measure();
  return 1;
}

void gt_alt_stack_uninstall(gt_instance *instance) { (void)instance; }

/* Nothing to cover; makes sure the vectored handler is installed. */
int gt_signals_cover(void) {
  gt_fault_install();
  return 0;
}

/*
 * The figures of signalInfo() (signal_info.c), in the shape POSIX gives
 * them: the exception frame estimated above, the XSAVE area from cpuid in
 * place of AT_MINSIGSTKSZ, the headroom, and no alternate stack.
 */
gt_signal_figures gt_signal_figures_now(void) {
  gt_signals_measure();
  gt_signal_figures f = {frame_size, xsave_size, headroom, 0};
  return f;
}

/* Nothing is ever uncovered: there are no signal handlers to cover. */
int gt_signals_uncovered(int *out, int capacity) {
  (void)out;
  (void)capacity;
  return 0;
}
