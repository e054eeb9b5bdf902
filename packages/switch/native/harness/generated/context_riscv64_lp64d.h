/* Context layout, checked slots and initial frame of RISC-V 64 LP64D: Linux, for the switch harness.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */
#ifndef GT_HARNESS_CONTEXT_RISCV64_LP64D_H
#define GT_HARNESS_CONTEXT_RISCV64_LP64D_H

#include <stdint.h>
#include <string.h>

#define GT_ABI_NAME "riscv64-lp64d"
#define GT_BINARY_FORMAT "elf"
#define GT_CONTEXT_SIZE 224
#define GT_STACK_ALIGNMENT 16
/* sp modulo the alignment at a function's first instruction */
#define GT_ENTRY_STACK_OFFSET 0
#define GT_SHADOW_SPACE 0
/* the thread's first sp, below the (aligned) top of its stack */
#define GT_INITIAL_SP_BELOW_HIGH 0

#define GT_SWITCH gt_switch_riscv64_lp64d
#define GT_START gt_start_riscv64_lp64d
#define GT_EXIT gt_exit_riscv64_lp64d
#define GT_CHECK gt_check_riscv64_lp64d
#define GT_PROBE_ENTRY gt_probe_entry_riscv64_lp64d
#define GT_READ_THREAD_INFORMATION gt_read_thread_information_riscv64_lp64d
#define GT_SWITCH_LOWERED gt_switch_lowered_riscv64_lp64d
#define GT_CHECK_LOWERED gt_check_lowered_riscv64_lp64d
#define GT_CLOBBER_THREAD gt_clobber_thread_riscv64_lp64d
#define GT_PINGPONG_LOWERED gt_pingpong_lowered_riscv64_lp64d

/* Context slots: byte offsets. */
#define GT_SLOT_PC 0 /* pc, 8 bytes */
#define GT_SLOT_SP 8 /* sp, 8 bytes */
#define GT_SLOT_S0 16 /* integer, 8 bytes */
#define GT_SLOT_S1 24 /* integer, 8 bytes */
#define GT_SLOT_S2 32 /* integer, 8 bytes */
#define GT_SLOT_S3 40 /* integer, 8 bytes */
#define GT_SLOT_S4 48 /* integer, 8 bytes */
#define GT_SLOT_S5 56 /* integer, 8 bytes */
#define GT_SLOT_S6 64 /* integer, 8 bytes */
#define GT_SLOT_S7 72 /* integer, 8 bytes */
#define GT_SLOT_S8 80 /* integer, 8 bytes */
#define GT_SLOT_S9 88 /* integer, 8 bytes */
#define GT_SLOT_S10 96 /* integer, 8 bytes */
#define GT_SLOT_S11 104 /* integer, 8 bytes */
#define GT_SLOT_FS0 112 /* float, 8 bytes */
#define GT_SLOT_FS1 120 /* float, 8 bytes */
#define GT_SLOT_FS2 128 /* float, 8 bytes */
#define GT_SLOT_FS3 136 /* float, 8 bytes */
#define GT_SLOT_FS4 144 /* float, 8 bytes */
#define GT_SLOT_FS5 152 /* float, 8 bytes */
#define GT_SLOT_FS6 160 /* float, 8 bytes */
#define GT_SLOT_FS7 168 /* float, 8 bytes */
#define GT_SLOT_FS8 176 /* float, 8 bytes */
#define GT_SLOT_FS9 184 /* float, 8 bytes */
#define GT_SLOT_FS10 192 /* float, 8 bytes */
#define GT_SLOT_FS11 200 /* float, 8 bytes */
#define GT_SLOT_FCSR 208 /* control, 8 bytes */

#define GT_INTEGER_COUNT 12
#define GT_FLOAT_COUNT 12
#define GT_CONTROL_COUNT 1
#define GT_THREAD_INFORMATION_COUNT 0
#define GT_CHECKED_COUNT 25

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
  {"s0", GT_KIND_INTEGER, 16, 8, 0u, ~(uint64_t)0},
  {"s1", GT_KIND_INTEGER, 24, 8, 0u, ~(uint64_t)0},
  {"s2", GT_KIND_INTEGER, 32, 8, 0u, ~(uint64_t)0},
  {"s3", GT_KIND_INTEGER, 40, 8, 0u, ~(uint64_t)0},
  {"s4", GT_KIND_INTEGER, 48, 8, 0u, ~(uint64_t)0},
  {"s5", GT_KIND_INTEGER, 56, 8, 0u, ~(uint64_t)0},
  {"s6", GT_KIND_INTEGER, 64, 8, 0u, ~(uint64_t)0},
  {"s7", GT_KIND_INTEGER, 72, 8, 0u, ~(uint64_t)0},
  {"s8", GT_KIND_INTEGER, 80, 8, 0u, ~(uint64_t)0},
  {"s9", GT_KIND_INTEGER, 88, 8, 0u, ~(uint64_t)0},
  {"s10", GT_KIND_INTEGER, 96, 8, 0u, ~(uint64_t)0},
  {"s11", GT_KIND_INTEGER, 104, 8, 0u, ~(uint64_t)0},
  {"fs0", GT_KIND_FLOAT, 112, 8, 0u, ~(uint64_t)0},
  {"fs1", GT_KIND_FLOAT, 120, 8, 0u, ~(uint64_t)0},
  {"fs2", GT_KIND_FLOAT, 128, 8, 0u, ~(uint64_t)0},
  {"fs3", GT_KIND_FLOAT, 136, 8, 0u, ~(uint64_t)0},
  {"fs4", GT_KIND_FLOAT, 144, 8, 0u, ~(uint64_t)0},
  {"fs5", GT_KIND_FLOAT, 152, 8, 0u, ~(uint64_t)0},
  {"fs6", GT_KIND_FLOAT, 160, 8, 0u, ~(uint64_t)0},
  {"fs7", GT_KIND_FLOAT, 168, 8, 0u, ~(uint64_t)0},
  {"fs8", GT_KIND_FLOAT, 176, 8, 0u, ~(uint64_t)0},
  {"fs9", GT_KIND_FLOAT, 184, 8, 0u, ~(uint64_t)0},
  {"fs10", GT_KIND_FLOAT, 192, 8, 0u, ~(uint64_t)0},
  {"fs11", GT_KIND_FLOAT, 200, 8, 0u, ~(uint64_t)0},
  {"fcsr", GT_KIND_CONTROL, 208, 8, 0x0u, 0x7fu},
};

/* Float control state a new thread starts with: name, native width, value. */
typedef struct {
  const char *name;
  unsigned width;
  uint64_t value;
} gt_control_default;
static const gt_control_default gt_control_defaults[1] = {
  {"fcsr", 8, 0x0u},
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
  gt_put64(context + 8, high); /* sp */
  gt_put64(context + 24, entry); /* s1 */
  gt_put64(context + 32, argument); /* s2 */
  gt_put64(context + 40, on_exit); /* s3 */
}

#endif /* GT_HARNESS_CONTEXT_RISCV64_LP64D_H */
