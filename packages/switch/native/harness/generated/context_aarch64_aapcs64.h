/* Context layout, checked slots and initial frame of AArch64 AAPCS64: Linux, for the switch harness.
 * Generated from the ABI data of @greenthreads/isa by scripts/harness-generate.ts; do not edit. */
#ifndef GT_HARNESS_CONTEXT_AARCH64_AAPCS64_H
#define GT_HARNESS_CONTEXT_AARCH64_AAPCS64_H

#include <stdint.h>
#include <string.h>

#define GT_ABI_NAME "aarch64-aapcs64"
#define GT_BINARY_FORMAT "elf"
#define GT_CONTEXT_SIZE 176
#define GT_STACK_ALIGNMENT 16
/* sp modulo the alignment at a function's first instruction */
#define GT_ENTRY_STACK_OFFSET 0
#define GT_SHADOW_SPACE 0
/* the thread's first sp, below the (aligned) top of its stack */
#define GT_INITIAL_SP_BELOW_HIGH 0

#define GT_SWITCH gt_switch_aarch64_aapcs64
#define GT_START gt_start_aarch64_aapcs64
#define GT_EXIT gt_exit_aarch64_aapcs64
#define GT_CHECK gt_check_aarch64_aapcs64
#define GT_PROBE_ENTRY gt_probe_entry_aarch64_aapcs64
#define GT_READ_THREAD_INFORMATION gt_read_thread_information_aarch64_aapcs64
#define GT_SWITCH_LOWERED gt_switch_lowered_aarch64_aapcs64
#define GT_CHECK_LOWERED gt_check_lowered_aarch64_aapcs64
#define GT_CLOBBER_THREAD gt_clobber_thread_aarch64_aapcs64
#define GT_PINGPONG_LOWERED gt_pingpong_lowered_aarch64_aapcs64

/* Context slots: byte offsets. */
#define GT_SLOT_PC 0 /* pc, 8 bytes */
#define GT_SLOT_SP 8 /* sp, 8 bytes */
#define GT_SLOT_X19 16 /* integer, 8 bytes */
#define GT_SLOT_X20 24 /* integer, 8 bytes */
#define GT_SLOT_X21 32 /* integer, 8 bytes */
#define GT_SLOT_X22 40 /* integer, 8 bytes */
#define GT_SLOT_X23 48 /* integer, 8 bytes */
#define GT_SLOT_X24 56 /* integer, 8 bytes */
#define GT_SLOT_X25 64 /* integer, 8 bytes */
#define GT_SLOT_X26 72 /* integer, 8 bytes */
#define GT_SLOT_X27 80 /* integer, 8 bytes */
#define GT_SLOT_X28 88 /* integer, 8 bytes */
#define GT_SLOT_X29 96 /* integer, 8 bytes */
#define GT_SLOT_D8 104 /* float, 8 bytes */
#define GT_SLOT_D9 112 /* float, 8 bytes */
#define GT_SLOT_D10 120 /* float, 8 bytes */
#define GT_SLOT_D11 128 /* float, 8 bytes */
#define GT_SLOT_D12 136 /* float, 8 bytes */
#define GT_SLOT_D13 144 /* float, 8 bytes */
#define GT_SLOT_D14 152 /* float, 8 bytes */
#define GT_SLOT_D15 160 /* float, 8 bytes */
#define GT_SLOT_FPCR 168 /* control, 8 bytes */

#define GT_INTEGER_COUNT 11
#define GT_FLOAT_COUNT 8
#define GT_CONTROL_COUNT 1
#define GT_THREAD_INFORMATION_COUNT 0
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
  {"x19", GT_KIND_INTEGER, 16, 8, 0u, ~(uint64_t)0},
  {"x20", GT_KIND_INTEGER, 24, 8, 0u, ~(uint64_t)0},
  {"x21", GT_KIND_INTEGER, 32, 8, 0u, ~(uint64_t)0},
  {"x22", GT_KIND_INTEGER, 40, 8, 0u, ~(uint64_t)0},
  {"x23", GT_KIND_INTEGER, 48, 8, 0u, ~(uint64_t)0},
  {"x24", GT_KIND_INTEGER, 56, 8, 0u, ~(uint64_t)0},
  {"x25", GT_KIND_INTEGER, 64, 8, 0u, ~(uint64_t)0},
  {"x26", GT_KIND_INTEGER, 72, 8, 0u, ~(uint64_t)0},
  {"x27", GT_KIND_INTEGER, 80, 8, 0u, ~(uint64_t)0},
  {"x28", GT_KIND_INTEGER, 88, 8, 0u, ~(uint64_t)0},
  {"x29", GT_KIND_INTEGER, 96, 8, 0u, ~(uint64_t)0},
  {"d8", GT_KIND_FLOAT, 104, 8, 0u, ~(uint64_t)0},
  {"d9", GT_KIND_FLOAT, 112, 8, 0u, ~(uint64_t)0},
  {"d10", GT_KIND_FLOAT, 120, 8, 0u, ~(uint64_t)0},
  {"d11", GT_KIND_FLOAT, 128, 8, 0u, ~(uint64_t)0},
  {"d12", GT_KIND_FLOAT, 136, 8, 0u, ~(uint64_t)0},
  {"d13", GT_KIND_FLOAT, 144, 8, 0u, ~(uint64_t)0},
  {"d14", GT_KIND_FLOAT, 152, 8, 0u, ~(uint64_t)0},
  {"d15", GT_KIND_FLOAT, 160, 8, 0u, ~(uint64_t)0},
  {"fpcr", GT_KIND_CONTROL, 168, 8, 0x0u, 0x7c00000u},
};

/* Float control state a new thread starts with: name, native width, value. */
typedef struct {
  const char *name;
  unsigned width;
  uint64_t value;
} gt_control_default;
static const gt_control_default gt_control_defaults[1] = {
  {"fpcr", 8, 0x0u},
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
  gt_put64(context + 16, entry); /* x19 */
  gt_put64(context + 24, argument); /* x20 */
  gt_put64(context + 32, on_exit); /* x21 */
}

#endif /* GT_HARNESS_CONTEXT_AARCH64_AAPCS64_H */
