/* Context layout, checked slots and initial frame of x86-64 System V: Linux, macOS, FreeBSD, for the switch harness.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */
#ifndef GT_HARNESS_CONTEXT_X86_64_SYSV_H
#define GT_HARNESS_CONTEXT_X86_64_SYSV_H

#include <stdint.h>
#include <string.h>

#define GT_ABI_NAME "x86_64-sysv"
#define GT_BINARY_FORMAT "elf"
#define GT_CONTEXT_SIZE 80
#define GT_STACK_ALIGNMENT 16
/* sp modulo the alignment at a function's first instruction */
#define GT_ENTRY_STACK_OFFSET 8
#define GT_SHADOW_SPACE 0
/* the thread's first sp, below the (aligned) top of its stack */
#define GT_INITIAL_SP_BELOW_HIGH 8

#define GT_SWITCH gt_switch_x86_64_sysv
#define GT_START gt_start_x86_64_sysv
#define GT_EXIT gt_exit_x86_64_sysv
#define GT_CHECK gt_check_x86_64_sysv
#define GT_PROBE_ENTRY gt_probe_entry_x86_64_sysv
#define GT_READ_THREAD_INFORMATION gt_read_thread_information_x86_64_sysv
#define GT_SWITCH_LOWERED gt_switch_lowered_x86_64_sysv
#define GT_CHECK_LOWERED gt_check_lowered_x86_64_sysv
#define GT_CLOBBER_THREAD gt_clobber_thread_x86_64_sysv
#define GT_PINGPONG_LOWERED gt_pingpong_lowered_x86_64_sysv

/* Context slots: byte offsets. */
#define GT_SLOT_PC 0 /* pc, 8 bytes */
#define GT_SLOT_SP 8 /* sp, 8 bytes */
#define GT_SLOT_RBX 16 /* integer, 8 bytes */
#define GT_SLOT_RBP 24 /* integer, 8 bytes */
#define GT_SLOT_R12 32 /* integer, 8 bytes */
#define GT_SLOT_R13 40 /* integer, 8 bytes */
#define GT_SLOT_R14 48 /* integer, 8 bytes */
#define GT_SLOT_R15 56 /* integer, 8 bytes */
#define GT_SLOT_MXCSR 64 /* control, 8 bytes */
#define GT_SLOT_X87CW 72 /* control, 8 bytes */

#define GT_INTEGER_COUNT 6
#define GT_FLOAT_COUNT 0
#define GT_CONTROL_COUNT 2
#define GT_THREAD_INFORMATION_COUNT 0
#define GT_CHECKED_COUNT 8

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
  {"r12", GT_KIND_INTEGER, 32, 8, 0u, ~(uint64_t)0},
  {"r13", GT_KIND_INTEGER, 40, 8, 0u, ~(uint64_t)0},
  {"r14", GT_KIND_INTEGER, 48, 8, 0u, ~(uint64_t)0},
  {"r15", GT_KIND_INTEGER, 56, 8, 0u, ~(uint64_t)0},
  {"mxcsr", GT_KIND_CONTROL, 64, 4, 0x1f80u, 0xe07fu},
  {"x87cw", GT_KIND_CONTROL, 72, 2, 0x7fu, 0xf00u},
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
static const gt_thread_information_word gt_thread_information[1] = {
  {"", 0},
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
  gt_put64(context + 8, high - 8); /* sp */
  gt_put64(context + 16, entry); /* rbx */
  gt_put64(context + 32, argument); /* r12 */
  gt_put64(context + 40, on_exit); /* r13 */
  gt_put64(context + 64, (uint64_t)0x1f80u); /* mxcsr */
  gt_put64(context + 72, (uint64_t)0x37fu); /* x87cw */
  gt_put64((uint8_t *)(uintptr_t)(high - 8), exit_routine); /* return address of the entry: exit routine */
}

#endif /* GT_HARNESS_CONTEXT_X86_64_SYSV_H */
