/*
 * Memory from the operating system, Windows version: pages for code and
 * stacks from VirtualAlloc, protections from VirtualProtect
 * (memory_posix.c is the Linux counterpart).
 *
 * Code pages are committed read-write, filled, then made read-execute with
 * VirtualProtect and FlushInstructionCache: never writable and executable
 * at once.
 *
 * Stacks. Windows keeps the bounds of the running stack in the thread
 * information block (StackBase, StackLimit, DeallocationStack), and the
 * generated Win64 switch swaps them with the stack (the ABI data in
 * @greenthreads/isa lists them). While a green thread runs, the OS therefore
 * treats its stack exactly as it treats a thread stack, and a green stack is
 * laid out like one:
 *
 *   high ─► ┌──────────────────────────┐  ◄─ StackBase (the initial frame sets it)
 *           │ usable         RW        │     Stack.low .. Stack.high
 *   low  ─► ├──────────────────────────┤
 *           │ dispatch room  RW        │  ┐ where the OS writes an exception's
 *           │                          │  │ frame (signals_win32.c sizes it)
 *           ├──────────────────────────┤  │ ◄─ StackLimit: lowest committed byte
 *           │ tripwire  RW|PAGE_GUARD  │  │ GT_TRIPWIRE_PAGES pages   headroom
 *           ├──────────────────────────┤  ┘
 *           │ floor: reserved only     │  the allocator's guard (≥ 1 page): no access
 *   base ─► └──────────────────────────┘  ◄─ DeallocationStack
 *
 * Why PAGE_GUARD pages and not only PAGE_NOACCESS ones. Windows has no
 * alternate stack for exceptions: the kernel writes the exception's frame
 * (the CONTEXT with its XSAVE area, the EXCEPTION_RECORD) on the faulting
 * thread's own stack, below its stack pointer, before any handler runs. A
 * stack pointer that ran into a no-access page leaves no room for that
 * frame, and the process is ended without any handler seeing the fault
 * (wine: "stack overflow ... in thread", then the process goes). A
 * PAGE_GUARD page is one-shot: the first touch raises the fault and turns
 * the page into a plain read-write one, and because the TIB words describe
 * this stack, the OS handles the touch as it handles a thread stack's
 * guard: it commits the touched pages and raises STATUS_STACK_OVERFLOW
 * once fewer than its guarantee of pages (at least two on x64) are left
 * above DeallocationStack, with the exception's frame written into the
 * pages just unguarded. The vectored handler (fault_win32.c) then moves the
 * thread off its stack at once. Below the tripwire, the floor stays
 * reserved and uncommitted: nothing runs past it.
 *
 * After such a fault the tripwire is spent; gt_stack_rearm puts it back
 * (and decommits anything the OS committed in the floor), so the stack can
 * be used again by a later thread.
 *
 * Which thread-information words a switch swaps. The generated Win64
 * switch swaps StackBase, StackLimit and DeallocationStack: the words the
 * OS itself checks against the stack in use (stack probes and the memory
 * manager's stack growth compare with StackLimit and DeallocationStack, the
 * exception dispatcher refuses frames outside StackLimit..StackBase, and
 * wine's fault path does the same). SwitchToFiber swaps two more, which
 * were weighed and left out:
 *
 * - FiberData (NT_TIB +0x20) names the current fiber for GetCurrentFiber,
 *   GetFiberData and fiber-local storage. A green thread is not a fiber:
 *   lowered code calls no API, so nothing reads the word while it runs, and
 *   neither fault handling nor stack growth consults it. Left alone, a host
 *   thread that is a fiber stays that fiber across resume().
 * - GuaranteedStackBytes (TEB +0x1748, set by SetThreadStackGuarantee) is
 *   how much stack the OS keeps for the handler of a stack overflow; the
 *   documentation attaches it to the thread or fiber that set it. On a green
 *   stack it only moves where in the tripwire STATUS_STACK_OVERFLOW is
 *   raised: a green thread never handles its own overflow (the vectored
 *   handler moves it off its stack at once), and the room the exception
 *   frame needs is there for any guarantee (the OS keeps at least two pages
 *   on x64, the tripwire has three, above a reserved floor). So the host's
 *   value (0 unless the host set one) stays in force while a green thread
 *   runs; a larger one makes the first touch of the tripwire the overflow,
 *   which is still a fault trap.
 *
 * Both would cost two loads and two stores per switch for no behaviour
 * the addon relies on, so the ABI data in @greenthreads/isa lists the three
 * stack words only.
 *
 * Windows has no per-process mapping limit like vm.max_map_count (address
 * space and commit charge are the limits, and VirtualAlloc's failure says
 * so), so the mapping budget is unlimited here.
 */
#include <windows.h>
#include <malloc.h>
#include <string.h>

#include "gt.h"

/* Offsets of the TIB words in the x86-64 Win64 context (isa's x86_64-win64 layout; a test checks them). */
#define CONTEXT_STACK_LIMIT 264
#define CONTEXT_DEALLOCATION_STACK 272

size_t gt_page_size(void) {
  static size_t page = 0;
  if (page == 0) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    page = info.dwPageSize;
  }
  return page;
}

void *gt_aligned_alloc(size_t size) { return _aligned_malloc(size, 64); }

void gt_aligned_free(void *p) { _aligned_free(p); }

void *gt_code_pages(const void *bytes, size_t length, size_t mapped, const char **error) {
  void *base = VirtualAlloc(NULL, mapped, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!base) {
    *error = "VirtualAlloc of code pages failed";
    return NULL;
  }
  memcpy(base, bytes, length);
  DWORD old;
  if (!VirtualProtect(base, mapped, PAGE_EXECUTE_READ, &old)) {
    VirtualFree(base, 0, MEM_RELEASE);
    *error = "VirtualProtect of code pages to read-execute failed";
    return NULL;
  }
  FlushInstructionCache(GetCurrentProcess(), base, length);
  return base;
}

static size_t tripwire_bytes(void) { return GT_TRIPWIRE_PAGES * gt_page_size(); }

/* The tripwire as new: committed read-write with PAGE_GUARD; the floor uncommitted. */
static int arm(uint8_t *base, size_t guard) {
  DWORD old;
  if (!VirtualAlloc(base + guard, tripwire_bytes(), MEM_COMMIT, PAGE_READWRITE)) return 0;
  return VirtualProtect(base + guard, tripwire_bytes(), PAGE_READWRITE | PAGE_GUARD, &old) != 0;
}

void *gt_stack_pages(size_t length, size_t guard, size_t headroom, const char **error) {
  if (headroom < tripwire_bytes()) {
    *error = "the stack headroom is smaller than its tripwire";
    return NULL;
  }
  uint8_t *base = VirtualAlloc(NULL, length, MEM_RESERVE, PAGE_NOACCESS);
  if (!base) {
    *error = "VirtualAlloc of a stack's address range failed";
    return NULL;
  }
  if (!VirtualAlloc(base + guard, length - guard, MEM_COMMIT, PAGE_READWRITE) || !arm(base, guard)) {
    VirtualFree(base, 0, MEM_RELEASE);
    *error = "committing a stack or its guard pages failed";
    return NULL;
  }
  return base;
}

void gt_pages_free(void *base, size_t length) {
  (void)length;
  VirtualFree(base, 0, MEM_RELEASE);
}

/*
 * The initial frame (isa) knows only the usable stack, so it sets
 * StackLimit and DeallocationStack to Stack.low; the addon knows the
 * mapping and gives the OS the whole of it: StackLimit is the lowest
 * committed byte above the tripwire, DeallocationStack the reservation's
 * base. StackBase stays as the frame set it (Stack.high).
 */
void gt_context_prepare(gt_thread *thread) {
  gt_region *stack = thread->stack;
  uint8_t *context = (uint8_t *)thread->context;
  uint64_t limit = (uint64_t)(uintptr_t)stack->base + stack->guard + tripwire_bytes();
  uint64_t deallocation = (uint64_t)(uintptr_t)stack->base;
  memcpy(context + CONTEXT_STACK_LIMIT, &limit, 8);
  memcpy(context + CONTEXT_DEALLOCATION_STACK, &deallocation, 8);
}

void gt_stack_rearm(gt_region *stack) {
  if (stack->freed) return;
  VirtualFree(stack->base, stack->guard, MEM_DECOMMIT);
  arm((uint8_t *)stack->base, stack->guard);
}

int gt_maps_allow(long n) {
  (void)n;
  return 1;
}

gt_map_budget gt_maps_budget(int recount) {
  (void)recount;
  gt_map_budget result = {0, -1, -1};
  return result;
}
