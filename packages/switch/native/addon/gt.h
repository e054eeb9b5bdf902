/*
 * Shared declarations of the greenthreads switch addon.
 *
 * The addon is deliberately small: it owns the memory that must be real
 * (stacks with guard pages, code pages that are never writable and executable
 * at once, the per-thread control blocks and contexts) and the one operation
 * JavaScript cannot do itself, calling the generated switch routine. Every
 * decision about what a thread does lives in the lowered program and in the
 * TypeScript around this addon.
 */
#ifndef GT_ADDON_H
#define GT_ADDON_H

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/* The generated routines of the host ABI (generated into native/asm). */
#if defined(__x86_64__) && defined(_WIN32)
#define GT_ABI_NAME "x86_64-win64"
#define GT_SWITCH gt_switch_x86_64_win64
#define GT_SWITCH_LOWERED gt_switch_lowered_x86_64_win64
#define GT_SWITCH_TO_HOST gt_switch_to_host_x86_64_win64
#define GT_START gt_start_x86_64_win64
#define GT_EXIT gt_exit_x86_64_win64
#elif defined(__x86_64__)
#define GT_ABI_NAME "x86_64-sysv"
#define GT_SWITCH gt_switch_x86_64_sysv
#define GT_SWITCH_LOWERED gt_switch_lowered_x86_64_sysv
#define GT_SWITCH_TO_HOST gt_switch_to_host_x86_64_sysv
#define GT_START gt_start_x86_64_sysv
#define GT_EXIT gt_exit_x86_64_sysv
#elif defined(__aarch64__)
#define GT_ABI_NAME "aarch64-aapcs64"
#define GT_SWITCH gt_switch_aarch64_aapcs64
#define GT_SWITCH_LOWERED gt_switch_lowered_aarch64_aapcs64
#define GT_SWITCH_TO_HOST gt_switch_to_host_aarch64_aapcs64
#define GT_START gt_start_aarch64_aapcs64
#define GT_EXIT gt_exit_aarch64_aapcs64
#else
#error "greenthreads: no switch routine for this architecture"
#endif

/*
 * Hidden: the routines bind inside this shared object, so the PC-relative
 * references between them (AArch64's `adr` of the exit routine) link, and
 * no other library can interpose them. The linker gives a symbol the most
 * restrictive visibility any object declares.
 */
#if defined(_WIN32)
/* A DLL exports only what it names (NAPI_MODULE_INIT's functions): nothing to hide. */
#define GT_HIDDEN
#else
#define GT_HIDDEN __attribute__((visibility("hidden")))
#endif
GT_HIDDEN uint64_t GT_SWITCH(void *from, void *to, uint64_t value);
/*
 * The switch every thread of the addon goes through (gt_enter, the lowered
 * trap sequence, the fault handler): it saves only the callee-saved
 * registers that lowered code can write, and no float state (isa
 * lowered-switch.ts). The addon runs nothing but lowered programs on green
 * stacks, so every other register of the host is still the host's when a
 * thread switches back. A context it saved must be loaded by it too.
 */
GT_HIDDEN uint64_t GT_SWITCH_LOWERED(void *from, void *to, uint64_t value);
/* Its twin for the way back (the lowered trap sequence, the fault handlers):
 * saves only what a trapping thread needs again, loads what it saved. */
GT_HIDDEN uint64_t GT_SWITCH_TO_HOST(void *from, void *to, uint64_t value);
GT_HIDDEN void GT_START(void);
GT_HIDDEN void GT_EXIT(void);

#define GT_STR2(x) #x
#define GT_STR(x) GT_STR2(x)

/*
 * gt_enter(from, to, value): GT_SWITCH_LOWERED(from, to, value), entered by a jump
 * with the return address placed where a call would have put it. Neither
 * side of a switch calls or returns, so the CPU's return-prediction stack
 * is left as it was: a call here would push an entry that no return
 * consumes (the switch leaves by an indirect jump), and every return on
 * the way back to JavaScript would then be predicted from the wrong entry.
 * Lowered thread programs enter the switch the same way (isa lower.ts).
 * Clobbers what a call would: the ABI's caller-saved registers.
 */
static inline __attribute__((always_inline)) uint64_t gt_enter(void *from, void *to,
                                                               uint64_t value) {
#if defined(__x86_64__) && defined(_WIN32)
  /* Microsoft x64: arguments in rcx, rdx, r8; no red zone below rsp to step over. */
  register void *a0 __asm__("rcx") = from;
  register void *a1 __asm__("rdx") = to;
  register uint64_t a2 __asm__("r8") = value;
  register uint64_t result __asm__("rax");
  __asm__ volatile(
      "lea 1f(%%rip), %%rax\n\t"
      "push %%rax\n\t"
      "jmp " GT_STR(GT_SWITCH_LOWERED) "\n"
      "1:"
      : "+r"(a0), "+r"(a1), "+r"(a2), "=r"(result)
      :
      : "r9", "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "memory", "cc");
  return result;
#elif defined(__x86_64__)
  register void *a0 __asm__("rdi") = from;
  register void *a1 __asm__("rsi") = to;
  register uint64_t a2 __asm__("rdx") = value;
  register uint64_t result __asm__("rax");
  /* Below the System V red zone first: the pushed return address must not land in it. */
  __asm__ volatile(
      "lea -128(%%rsp), %%rsp\n\t"
      "lea 1f(%%rip), %%rax\n\t"
      "push %%rax\n\t"
      "jmp " GT_STR(GT_SWITCH_LOWERED) "\n"
      "1:\n\t"
      "lea 128(%%rsp), %%rsp"
      : "+r"(a0), "+r"(a1), "+r"(a2), "=r"(result)
      :
      : "rcx", "r8", "r9", "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
        "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory",
        "cc");
  return result;
#elif defined(__aarch64__)
  register void *a0 __asm__("x0") = from;
  register void *a1 __asm__("x1") = to;
  register uint64_t a2 __asm__("x2") = value;
  __asm__ volatile(
      "adr x30, 1f\n\t"
      "b " GT_STR(GT_SWITCH_LOWERED) "\n"
      "1:"
      : "+r"(a0), "+r"(a1), "+r"(a2)
      :
      : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
        "x17", "x18", "x30", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18",
        "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31",
        "memory", "cc");
  return (uint64_t)(uintptr_t)a0;
#endif
}

/* Bytes reserved for a saved context: larger than any ABI's layout in @greenthreads/isa. */
#define GT_CONTEXT_CAPACITY 1024
/* What the fault handler passes through the switch so that resume() can tell a fault from a trap. */
#define GT_FAULT_VALUE 0x6774666c74ULL
/* Windows: PAGE_GUARD pages between a stack's no-access floor and its dispatch room (memory_win32.c). */
#define GT_TRIPWIRE_PAGES 3
/* Trap kind written into the control block after a machine fault (isa kinds are 1..5). */
#define GT_TRAP_MACHINE_FAULT 255

/* A piece of memory the addon owns: a stack mapping or a code mapping. */
typedef enum { GT_REGION_STACK, GT_REGION_CODE } gt_region_kind;

typedef struct gt_region {
  gt_region_kind kind;
  void *base;      /* start of the mapping (guard and headroom included) */
  size_t length;   /* bytes of the mapping */
  void *data;      /* usable part */
  size_t size;     /* usable bytes */
  size_t guard;    /* no-access bytes at base (stacks) */
  int freed;       /* memory given back */
  int holders;     /* table slot or JS handle, and threads: the struct lives while > 0 */
  /* Code: per instruction of the program, the control-block word a resume value goes to, or -1. */
  int32_t *slots;
  uint32_t slot_count;
} gt_region;

/*
 * A machine thread: a slot of a thread chunk (see thread.c). Its control
 * block and context are in the chunk's block memory, which JavaScript sees
 * as one ArrayBuffer per chunk.
 */
typedef struct gt_thread {
  gt_region *stack;
  gt_region *code; /* its program's code region (held: turns read its resume slots) */
  uint8_t *tcb;
  void *context;
  uint32_t next_free; /* free-list link while the slot is unused */
  int live;     /* created and not released */
  int dead;     /* context unusable after a machine fault */
  int running;
  int fresh;    /* not run yet: gt_context_prepare is due */
  uint32_t fault_signal; /* POSIX signal number, or Windows exception code */
  uint64_t fault_address;
  uint64_t fault_pc;
  /* Where the fault handler lets the switch save the dead thread's registers. */
  _Alignas(64) uint8_t scratch_context[GT_CONTEXT_CAPACITY];
  _Alignas(16) uint64_t scratch_stack[8];
} gt_thread;

/* Threads per chunk: ids are chunk * GT_CHUNK_THREADS + slot. */
#define GT_CHUNK_THREADS 256
#define GT_NO_ID 0xffffffffu

typedef struct gt_chunk {
  uint8_t *blocks; /* GT_CHUNK_THREADS * block_stride bytes, 64-byte aligned */
  gt_thread threads[GT_CHUNK_THREADS];
} gt_chunk;

/*
 * The control-block fields the addon itself reads and writes when threads
 * take turns (turns.c), as 32-bit half or 64-bit word indexes: given by
 * JavaScript from the isa's layout in configure(), so the layout has one
 * source. A zero `words` means not configured: turns refuse to run.
 */
typedef struct gt_protocol {
  uint32_t words;            /* 64-bit words of the control block */
  uint32_t kind_half;        /* trap kind */
  uint32_t instruction_half; /* trapping instruction */
  uint32_t fuel_word;        /* fuel left */
  uint32_t refill_word;      /* fuel a budget trap refills (after the block, the addon's word) */
  uint32_t yield_kind;
  uint32_t budget_kind;
} gt_protocol;

/* An entry of runTurns' ring: a thread checked to be runnable (or NULL: the run stops there). */
typedef struct gt_turn {
  struct gt_thread *thread;
  uint32_t how;
} gt_turn;

/* Per addon instance (main thread or worker): the host context, threads and stacks. */
typedef struct gt_instance {
  _Alignas(64) uint8_t host_context[GT_CONTEXT_CAPACITY];
  gt_chunk **chunks;
  uint32_t chunk_count;
  uint32_t free_thread;  /* head of the free list of thread slots, GT_NO_ID if none */
  size_t context_size;   /* bytes of the ABI's context, set by configure() */
  size_t context_offset; /* where a block's context starts, set by configure() */
  size_t block_stride;   /* bytes per block, a multiple of 64 */
  gt_protocol protocol;  /* where the control block keeps what turns read and write */
  gt_region **stacks;    /* live stacks by id */
  uint32_t *stack_next;  /* free-list links of stack ids */
  uint32_t stack_capacity;
  uint32_t stack_count;
  uint32_t free_stack;
  void *alt_stack;       /* the signal stack mapping this instance installed, if any (POSIX) */
  size_t alt_stack_length;
  /*
   * The id of the thread resume() runs, written by JavaScript through an
   * external ArrayBuffer over these bytes (exports.selection): resume then
   * takes no argument, which saves converting one on every switch. It is
   * only a request: resume() checks it against the table like any id.
   */
  _Alignas(64) uint32_t selected[2];
  /* runTurns' ring as thread pointers and their TURN_* bits (turns.c), grown as needed. */
  struct gt_turn *turns;
  uint32_t turn_capacity;
  /* The turn buffer JavaScript writes rings into (turns.c), and every one made, freed at the end. */
  struct gt_turn_header *turn_header;
  void **turn_buffers;
  uint32_t turn_buffer_count;
} gt_instance;

/* What the signal handlers need to know about this OS thread. */
typedef struct gt_running {
  gt_thread *thread;     /* the green thread running, or NULL */
  void *host_context;
  uintptr_t alt_low;     /* the alternate signal stack of this OS thread */
  uintptr_t alt_high;
} gt_running;

#if defined(_WIN32)
/* mingw-w64 has no native TLS model for C: gcc emulates __thread (TlsGetValue underneath). */
#define GT_THREAD_LOCAL __thread
#else
#define GT_THREAD_LOCAL __thread __attribute__((tls_model("initial-exec")))
#endif
extern GT_THREAD_LOCAL gt_running gt_current;

/* region.c: code pages */
napi_value gt_code_map(napi_env env, napi_callback_info info);
napi_value gt_region_release(napi_env env, napi_callback_info info);
/* The code region behind a handle (NULL and an exception if it is not one). */
gt_region *gt_code_of(napi_env env, napi_value handle);
/* Lets go of one hold on a code region: the last one frees it. */
void gt_code_drop(gt_region *region);

/* memory_posix.c / memory_win32.c: pages from the operating system */
typedef struct gt_map_budget {
  long max_map_count; /* 0 where the OS has no such limit */
  long budget;        /* mappings the process may have before stacks are refused, -1: no limit */
  long total;         /* mappings of the process at the last count, -1: never counted */
} gt_map_budget;
size_t gt_page_size(void);
void *gt_aligned_alloc(size_t size); /* 64-byte aligned, freed with gt_aligned_free */
void gt_aligned_free(void *p);
/* Fresh pages holding `bytes`, read-execute (never writable and executable at once); NULL and *error on failure. */
void *gt_code_pages(const void *bytes, size_t length, size_t mapped, const char **error);
/* A stack mapping of `length` bytes: guard at the base, then headroom, then the usable part. */
void *gt_stack_pages(size_t length, size_t guard, size_t headroom, const char **error);
void gt_pages_free(void *base, size_t length);
/* Before a thread first runs: what the OS must know about its stack goes into its context. */
void gt_context_prepare(gt_thread *thread);
/* After a fault on a thread's stack: the guard as it was. */
void gt_stack_rearm(gt_region *stack);
int gt_maps_allow(long n);
gt_map_budget gt_maps_budget(int recount);

/* stack.c: stacks, their table and the mapping budget */
napi_value gt_stack_map(napi_env env, napi_callback_info info);
napi_value gt_stack_unmap(napi_env env, napi_callback_info info);
napi_value gt_stack_peek(napi_env env, napi_callback_info info);
napi_value gt_stack_poke(napi_env env, napi_callback_info info);
napi_value gt_mappings(napi_env env, napi_callback_info info);
gt_region *gt_stack_of(gt_instance *instance, uint32_t id);
void gt_region_drop(gt_region *region);
void gt_instance_free_stacks(gt_instance *instance);
extern long gt_vmas;

/* thread.c */
napi_value gt_thread_create(napi_env env, napi_callback_info info);
napi_value gt_thread_blocks(napi_env env, napi_callback_info info);
napi_value gt_thread_resume(napi_env env, napi_callback_info info);
napi_value gt_thread_resume_many(napi_env env, napi_callback_info info);
napi_value gt_thread_release(napi_env env, napi_callback_info info);
napi_value gt_thread_fault(napi_env env, napi_callback_info info);
void gt_instance_free_threads(gt_instance *instance);
/* The thread with this id if it is live, or NULL. */
gt_thread *gt_thread_of_id(gt_instance *instance, uint32_t id);

/*
 * Runs the thread until it traps: 0, its trap is in its control block; or
 * until the CPU faults on it: 1, the thread is dead and its block says
 * GT_TRAP_MACHINE_FAULT. The caller checked that it may run. Inline: it is
 * the body of every resume and turn.
 */
static inline int gt_thread_run(gt_instance *instance, gt_thread *thread) {
  if (thread->fresh) {
    thread->fresh = 0;
    gt_context_prepare(thread);
  }
  thread->running = 1;
  gt_current.thread = thread;
  gt_current.host_context = instance->host_context;
  uint64_t how = gt_enter(instance->host_context, thread->context, 0);
  gt_current.thread = NULL;
  thread->running = 0;
  if (how != GT_FAULT_VALUE) return 0;
  thread->dead = 1;
  ((uint64_t *)thread->tcb)[0] = GT_TRAP_MACHINE_FAULT;
  gt_stack_rearm(thread->stack);
  return 1;
}

/* turns.c */
napi_value gt_turn_buffer(napi_env env, napi_callback_info info);
napi_value gt_thread_run_turns(napi_env env, napi_callback_info info);

/* A monotonic clock in nanoseconds, for the time limit of a turn run. */
#if defined(_WIN32)
#include <windows.h>
static inline uint64_t gt_now_ns(void) {
  LARGE_INTEGER count, frequency;
  QueryPerformanceCounter(&count);
  QueryPerformanceFrequency(&frequency);
  return (uint64_t)((double)count.QuadPart * 1e9 / (double)frequency.QuadPart);
}
#else
#include <time.h>
static inline uint64_t gt_now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}
#endif

/* fault_posix.c / fault_win32.c */
int gt_fault_install(void);
int gt_fault_handler_live(void);
extern int gt_fault_reinstalls;
napi_value gt_fault_handler_installed(napi_env env, napi_callback_info info);

/* signals_posix.c / signals_win32.c */
void gt_signals_measure(void);
int gt_alt_stack_install(gt_instance *instance);
void gt_alt_stack_uninstall(gt_instance *instance);
int gt_signals_cover(void);
size_t gt_signal_headroom(void);
typedef struct gt_signal_figures {
  size_t frame_size;     /* bytes of the frame the OS writes for a handler */
  size_t reported_frame; /* what the OS or CPU reports it from (AT_MINSIGSTKSZ; XSAVE size) */
  size_t headroom;       /* below every stack */
  size_t alt_stack_size; /* this OS thread's signal stack, 0 if none */
} gt_signal_figures;
gt_signal_figures gt_signal_figures_now(void);
int gt_signals_uncovered(int *out, int capacity);

/* signal_info.c */
napi_value gt_signals_cover_napi(napi_env env, napi_callback_info info);
napi_value gt_signal_info(napi_env env, napi_callback_info info);

/* addon.c */
napi_value gt_throw(napi_env env, const char *code, const char *message);
#define GT_CALL(env, call)                                                     \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      gt_throw((env), "NATIVE_CALL_FAILED", #call " failed");                  \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

#endif
