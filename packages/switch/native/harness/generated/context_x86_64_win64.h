/* Context layout, checked slots and initial frame of x86-64 Windows (Microsoft x64 calling convention), for the switch harness.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */
#ifndef GT_HARNESS_CONTEXT_X86_64_WIN64_H
#define GT_HARNESS_CONTEXT_X86_64_WIN64_H

#include <stdint.h>
#include <string.h>

#define GT_ABI_NAME "x86_64-win64"
#define GT_BINARY_FORMAT "pe"
#define GT_CONTEXT_SIZE 288
#define GT_STACK_ALIGNMENT 16
/* sp modulo the alignment at a function's first instruction */
#define GT_ENTRY_STACK_OFFSET 8
#define GT_SHADOW_SPACE 32
/* the thread's first sp, below the (aligned) top of its stack */
#define GT_INITIAL_SP_BELOW_HIGH 40

#define GT_SWITCH gt_switch_x86_64_win64
#define GT_START gt_start_x86_64_win64
#define GT_EXIT gt_exit_x86_64_win64
#define GT_CHECK gt_check_x86_64_win64
#define GT_PROBE_ENTRY gt_probe_entry_x86_64_win64
#define GT_READ_THREAD_INFORMATION gt_read_thread_information_x86_64_win64
#define GT_SWITCH_LOWERED gt_switch_lowered_x86_64_win64
#define GT_CHECK_LOWERED gt_check_lowered_x86_64_win64
#define GT_CLOBBER_THREAD gt_clobber_thread_x86_64_win64
#define GT_PINGPONG_LOWERED gt_pingpong_lowered_x86_64_win64

/* Context slots: byte offsets. */
#define GT_SLOT_PC 0 /* pc, 8 bytes */
#define GT_SLOT_SP 8 /* sp, 8 bytes */
#define GT_SLOT_RBX 16 /* integer, 8 bytes */
#define GT_SLOT_RBP 24 /* integer, 8 bytes */
#define GT_SLOT_RDI 32 /* integer, 8 bytes */
#define GT_SLOT_RSI 40 /* integer, 8 bytes */
#define GT_SLOT_R12 48 /* integer, 8 bytes */
#define GT_SLOT_R13 56 /* integer, 8 bytes */
#define GT_SLOT_R14 64 /* integer, 8 bytes */
#define GT_SLOT_R15 72 /* integer, 8 bytes */
#define GT_SLOT_XMM6 80 /* float, 16 bytes */
#define GT_SLOT_XMM7 96 /* float, 16 bytes */
#define GT_SLOT_XMM8 112 /* float, 16 bytes */
#define GT_SLOT_XMM9 128 /* float, 16 bytes */
#define GT_SLOT_XMM10 144 /* float, 16 bytes */
#define GT_SLOT_XMM11 160 /* float, 16 bytes */
#define GT_SLOT_XMM12 176 /* float, 16 bytes */
#define GT_SLOT_XMM13 192 /* float, 16 bytes */
#define GT_SLOT_XMM14 208 /* float, 16 bytes */
#define GT_SLOT_XMM15 224 /* float, 16 bytes */
#define GT_SLOT_MXCSR 240 /* control, 8 bytes */
#define GT_SLOT_X87CW 248 /* control, 8 bytes */
#define GT_SLOT_STACKBASE 256 /* thread-information, 8 bytes */
#define GT_SLOT_STACKLIMIT 264 /* thread-information, 8 bytes */
#define GT_SLOT_DEALLOCATIONSTACK 272 /* thread-information, 8 bytes */

#define GT_INTEGER_COUNT 8
#define GT_FLOAT_COUNT 10
#define GT_CONTROL_COUNT 2
#define GT_THREAD_INFORMATION_COUNT 3
#define GT_CHECKED_COUNT 20

#ifndef GT_KIND_INTEGER
#define GT_KIND_INTEGER 1
#define GT_KIND_FLOAT 2
#define GT_KIND_CONTROL 3
#endif

/* Every slot the check routine loads before a switch and stores after it:
 * name, kind, offset, width in bytes (a control register's native width),
 * bits always set, bits that may vary (per 8-byte word). */
typedef struct {
  const char *name;
  int kind;
  unsigned offset;
  unsigned width;
  uint64_t fixed;
  uint64_t vary;
} gt_checked_slot;
static const gt_checked_slot gt_checked_slots[GT_CHECKED_COUNT] = {
  {"rbx", GT_KIND_INTEGER, 16, 8, 0u, ~(uint64_t)0},
  {"rbp", GT_KIND_INTEGER, 24, 8, 0u, ~(uint64_t)0},
  {"rdi", GT_KIND_INTEGER, 32, 8, 0u, ~(uint64_t)0},
  {"rsi", GT_KIND_INTEGER, 40, 8, 0u, ~(uint64_t)0},
  {"r12", GT_KIND_INTEGER, 48, 8, 0u, ~(uint64_t)0},
  {"r13", GT_KIND_INTEGER, 56, 8, 0u, ~(uint64_t)0},
  {"r14", GT_KIND_INTEGER, 64, 8, 0u, ~(uint64_t)0},
  {"r15", GT_KIND_INTEGER, 72, 8, 0u, ~(uint64_t)0},
  {"xmm6", GT_KIND_FLOAT, 80, 16, 0u, ~(uint64_t)0},
  {"xmm7", GT_KIND_FLOAT, 96, 16, 0u, ~(uint64_t)0},
  {"xmm8", GT_KIND_FLOAT, 112, 16, 0u, ~(uint64_t)0},
  {"xmm9", GT_KIND_FLOAT, 128, 16, 0u, ~(uint64_t)0},
  {"xmm10", GT_KIND_FLOAT, 144, 16, 0u, ~(uint64_t)0},
  {"xmm11", GT_KIND_FLOAT, 160, 16, 0u, ~(uint64_t)0},
  {"xmm12", GT_KIND_FLOAT, 176, 16, 0u, ~(uint64_t)0},
  {"xmm13", GT_KIND_FLOAT, 192, 16, 0u, ~(uint64_t)0},
  {"xmm14", GT_KIND_FLOAT, 208, 16, 0u, ~(uint64_t)0},
  {"xmm15", GT_KIND_FLOAT, 224, 16, 0u, ~(uint64_t)0},
  {"mxcsr", GT_KIND_CONTROL, 240, 4, 0x1f80u, 0xe07fu},
  {"x87cw", GT_KIND_CONTROL, 248, 2, 0x7fu, 0xf00u},
};

/* Float control state a new thread starts with: name, native width, value. */
typedef struct {
  const char *name;
  unsigned width;
  uint64_t value;
} gt_control_default;
static const gt_control_default gt_control_defaults[2] = {
  {"mxcsr", 4, 0x1f80u},
  {"x87cw", 2, 0x37fu},
};

/* Thread-information words the switch swaps: name, gs offset. */
typedef struct {
  const char *name;
  unsigned offset;
} gt_thread_information_word;
static const gt_thread_information_word gt_thread_information[3] = {
  {"StackBase", 0x8u},
  {"StackLimit", 0x10u},
  {"DeallocationStack", 0x1478u},
};

static inline void gt_put64(uint8_t *at, uint64_t value) { memcpy(at, &value, 8); }

/* A new thread's context and stack words, as isa's initialFrame derives them.
 * `high` must be aligned to GT_STACK_ALIGNMENT. */
static inline void gt_initial_frame(uint8_t *context, uint64_t low, uint64_t high,
                                    uint64_t entry, uint64_t argument, uint64_t on_exit,
                                    uint64_t start, uint64_t exit_routine) {
  (void)low; (void)high; (void)entry; (void)argument; (void)on_exit; (void)start; (void)exit_routine;
  memset(context, 0, GT_CONTEXT_SIZE);
  gt_put64(context + 0, start); /* pc */
  gt_put64(context + 8, high - 40); /* sp */
  gt_put64(context + 16, entry); /* rbx */
  gt_put64(context + 32, argument); /* rdi */
  gt_put64(context + 40, on_exit); /* rsi */
  gt_put64(context + 240, (uint64_t)0x1f80u); /* mxcsr */
  gt_put64(context + 248, (uint64_t)0x37fu); /* x87cw */
  gt_put64(context + 256, high); /* StackBase */
  gt_put64(context + 264, low); /* StackLimit */
  gt_put64(context + 272, low); /* DeallocationStack */
  gt_put64((uint8_t *)(uintptr_t)(high - 40), exit_routine); /* return address of the entry: exit routine */
}

#endif /* GT_HARNESS_CONTEXT_X86_64_WIN64_H */
