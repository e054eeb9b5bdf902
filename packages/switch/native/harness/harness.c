/*
 * Ping-pong harness of the generated switch routines.
 *
 * One source for every ABI: the per-ABI facts come from the generated header
 * (context layout, checked slots, initial frame), named at compile time with
 * `-I generated -DGT_CONTEXT_HEADER='"context_<abi>.h"'`, and the per-ABI code from the
 * generated assembler files (switch, start/exit, check/probe).
 *
 * What it proves, on both sides of every switch:
 *
 *   main                                   green thread
 *   ────                                   ────────────
 *   in_m := fresh values for every
 *           callee-saved register and
 *           the float control state
 *   gt_check(main, thread, in_m, out_m) ─► gt_probe_entry (first time): sp,
 *                                          alignment, float control defaults,
 *                                          thread-information words recorded
 *                                          ... or, later, its gt_check returns:
 *                                          out_t == in_t, value == in_m
 *                                          in_t := fresh values
 *   out_m == in_m, value == in_t     ◄──── gt_check(thread, main, in_t, out_t)
 *   ... N rounds ...
 *                                          entry returns result
 *                                          ─► gt_exit ─► on_exit(argument, result)
 *   value == GT_EXIT_VALUE           ◄──── gt_switch(dead, main, GT_EXIT_VALUE)
 *
 * gt_check loads `in` into the real registers right before the call of
 * gt_switch and stores the real registers into `out` right after it returns,
 * so any register the switch fails to carry over shows up as a mismatch. The
 * thread never calls the C library: on Win64 its stack bounds in the thread
 * information block are the ones the switch installed.
 *
 * Prints one line per failure and "ok ..." on success; exits 1 on failure.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GT_CONTEXT_HEADER
#error "name the ABI's generated header: -DGT_CONTEXT_HEADER='\"context_<abi>.h\"'"
#endif
#include GT_CONTEXT_HEADER

extern uint64_t GT_SWITCH(void *from, void *to, uint64_t value);
extern void GT_START(void);
extern void GT_EXIT(void);
extern uint64_t GT_CHECK(void *from, void *to, void *in, void *out);
extern void GT_PROBE_ENTRY(void);
extern void GT_READ_THREAD_INFORMATION(uint64_t *out);
extern uint64_t GT_CHECK_LOWERED(void *from, void *to, void *in, void *out);
extern void GT_CLOBBER_THREAD(void);

#define GT_STR2(x) #x
#define GT_STR(x) GT_STR2(x)
#define GT_EXIT_VALUE UINT64_C(0x5eed0fe0d0fe0d5e)
#define GT_RESULT_MAGIC UINT64_C(0x0e5017000000000)
#define STACK_SIZE (256 * 1024)
#define MAX_FAILURES 64
#define NO_ROUND (-1)

typedef struct {
  _Alignas(16) uint8_t bytes[GT_CONTEXT_SIZE];
} context;

/* The thread's argument. The first fields are written by gt_probe_entry. */
typedef struct {
  uint64_t entry;                                  /* probe: where to go */
  uint64_t entry_sp;                               /* probe: sp at the first instruction */
  /* probe: the float control state, then the thread-information words */
  uint64_t entry_words[GT_CONTROL_COUNT + GT_THREAD_INFORMATION_COUNT + 1];
  uint64_t rounds;
  uint64_t stack_low, stack_high;
  uint64_t thread_in;                              /* address of the thread's `in` */
  uint64_t exit_argument, exit_result, exit_frame;
  int exited;
} thread_state;

static context main_context, thread_context, dead_context;
static context main_in, main_out;
static thread_state state;
static uint64_t main_information[GT_THREAD_INFORMATION_COUNT + 1];

static char failures[MAX_FAILURES][200];
static int failure_count;

/* Records a failure. Safe on the green thread: no library call. */
static void fail(const char *side, long round, const char *what, const char *name,
                 uint64_t expected, uint64_t got) {
  if (failure_count < MAX_FAILURES) {
    char *p = failures[failure_count];
    /* Formatting waits until main prints; keep the raw facts. */
    memcpy(p, &round, sizeof round);
    memcpy(p + 8, &expected, 8);
    memcpy(p + 16, &got, 8);
    memcpy(p + 24, &side, sizeof side);
    memcpy(p + 32, &what, sizeof what);
    memcpy(p + 40, &name, sizeof name);
  }
  failure_count++;
}

static void print_failures(void) {
  for (int i = 0; i < failure_count && i < MAX_FAILURES; i++) {
    long round;
    uint64_t expected, got;
    const char *side, *what, *name;
    char *p = failures[i];
    memcpy(&round, p, sizeof round);
    memcpy(&expected, p + 8, 8);
    memcpy(&got, p + 16, 8);
    memcpy(&side, p + 24, sizeof side);
    memcpy(&what, p + 32, sizeof what);
    memcpy(&name, p + 40, sizeof name);
    char where[32] = "";
    if (round != NO_ROUND) snprintf(where, sizeof where, " in round %ld", round);
    printf("FAIL %s: %s side%s: %s %s: expected 0x%016" PRIx64 ", got 0x%016" PRIx64 "\n",
           GT_ABI_NAME, side, where, what, name, expected, got);
  }
  if (failure_count > MAX_FAILURES) printf("... and %d more failures\n", failure_count - MAX_FAILURES);
}

static uint64_t get64(const uint8_t *at) {
  uint64_t v;
  memcpy(&v, at, 8);
  return v;
}

static uint64_t width_mask(unsigned width) {
  return width >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * width)) - 1;
}

/* splitmix64: distinct values for every register, side and round. */
static uint64_t next_random(uint64_t *seed) {
  uint64_t z = (*seed += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void fill_values(context *values, uint64_t *seed) {
  memset(values, 0, sizeof *values);
  for (int i = 0; i < GT_CHECKED_COUNT; i++) {
    const gt_checked_slot *s = &gt_checked_slots[i];
    for (unsigned word = 0; word < (s->width + 7) / 8; word++) {
      uint64_t v = (s->fixed | (next_random(seed) & s->vary)) & width_mask(s->width - 8 * word);
      gt_put64(values->bytes + s->offset + 8 * word, v);
    }
  }
}

static void verify_values(const char *side, long round, const context *in, const context *out) {
  for (int i = 0; i < GT_CHECKED_COUNT; i++) {
    const gt_checked_slot *s = &gt_checked_slots[i];
    for (unsigned word = 0; word < (s->width + 7) / 8; word++) {
      uint64_t mask = width_mask(s->width - 8 * word);
      uint64_t expected = get64(in->bytes + s->offset + 8 * word) & mask;
      uint64_t got = get64(out->bytes + s->offset + 8 * word) & mask;
      if (expected != got) {
        const char *what = s->kind == GT_KIND_INTEGER ? "integer register"
                           : s->kind == GT_KIND_FLOAT ? (word ? "float register (high 64 bits)"
                                                              : "float register (low 64 bits)")
                                                      : "float control";
        fail(side, round, what, s->name, expected, got);
      }
    }
  }
}

static void verify_information(const char *side, long round, const uint64_t *expected) {
#if GT_THREAD_INFORMATION_COUNT > 0
  uint64_t now[GT_THREAD_INFORMATION_COUNT];
  GT_READ_THREAD_INFORMATION(now);
  for (int i = 0; i < GT_THREAD_INFORMATION_COUNT; i++) {
    if (now[i] != expected[i]) {
      fail(side, round, "thread-information word", gt_thread_information[i].name, expected[i], now[i]);
    }
  }
#else
  (void)side;
  (void)round;
  (void)expected;
#endif
}

/* What the thread's information words must be: StackBase = high, the limits = low. */
static void thread_information_expected(uint64_t *expected) {
  for (int i = 0; i < GT_THREAD_INFORMATION_COUNT; i++) {
    expected[i] = strcmp(gt_thread_information[i].name, "StackBase") == 0 ? state.stack_high
                                                                          : state.stack_low;
  }
}

static uint64_t thread_entry(uint64_t argument) {
  thread_state *st = (thread_state *)(uintptr_t)argument;
  uint64_t seed = UINT64_C(0x7468726561640000);
  uint64_t expected_information[GT_THREAD_INFORMATION_COUNT + 1];
  thread_information_expected(expected_information);
  context in, out;
  st->thread_in = (uint64_t)(uintptr_t)&in;
  for (uint64_t round = 0; round < st->rounds; round++) {
    verify_information("thread", (long)round, expected_information);
    fill_values(&in, &seed);
    memset(&out, 0xa5, sizeof out);
    uint64_t value = GT_CHECK(&thread_context, &main_context, &in, &out);
    verify_values("thread", (long)round, &in, &out);
    /* The value main passed is main's `in`. */
    if (value != (uint64_t)(uintptr_t)&main_in) {
      fail("thread", (long)round, "switch value", "return register", (uint64_t)(uintptr_t)&main_in,
           value);
    }
  }
  verify_information("thread", NO_ROUND, expected_information);
  return GT_RESULT_MAGIC ^ st->rounds;
}

/* Called by gt_exit with the entry's argument and result; switches away for good. */
static void on_exit_handler(uint64_t argument, uint64_t result) {
  thread_state *st = (thread_state *)(uintptr_t)argument;
  volatile uint64_t here = 0;
  st->exit_argument = argument;
  st->exit_result = result;
  st->exit_frame = (uint64_t)(uintptr_t)&here;
  st->exited = 1;
  GT_SWITCH(&dead_context, &main_context, GT_EXIT_VALUE);
  /* A dead thread is never resumed. */
  for (;;) fail("thread", NO_ROUND, "exit", "resumed after exit", 0, 1);
}

/*
 * The lowered switch, against a thread that writes every register of the
 * lowering's footprint between two switches (gt_clobber_thread, generated
 * from the same data as the switch): every callee-saved register, float
 * register, float control value and thread-information word of main must
 * survive, the ones the switch saves and the ones it leaves alone alike.
 * The thread's value counts its rounds.
 */
static context lowered_main, lowered_thread;

static void check_lowered(uint64_t rounds, uint64_t low, uint64_t high) {
  void *pair[2] = {&lowered_thread, &lowered_main};
  gt_initial_frame(lowered_thread.bytes, low, high, (uint64_t)(uintptr_t)GT_CLOBBER_THREAD,
                   (uint64_t)(uintptr_t)pair, 0, (uint64_t)(uintptr_t)GT_START,
                   (uint64_t)(uintptr_t)GT_EXIT);
  uint64_t seed = UINT64_C(0x6c6f776572656400);
  for (uint64_t round = 0; round < rounds; round++) {
    fill_values(&main_in, &seed);
    memset(&main_out, 0x5a, sizeof main_out);
    uint64_t value = GT_CHECK_LOWERED(&lowered_main, &lowered_thread, &main_in, &main_out);
    verify_values("lowered main", (long)round, &main_in, &main_out);
    verify_information("lowered main", (long)round, main_information);
    if (value != UINT64_C(0x0c10bb0000000000) + round + 1) {
      fail("lowered main", (long)round, "switch value", "round count",
           UINT64_C(0x0c10bb0000000000) + round + 1, value);
    }
  }
}

int main(int argc, char **argv) {
  uint64_t rounds = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
  uint8_t *stack = malloc(STACK_SIZE + GT_STACK_ALIGNMENT);
  if (!stack) return 2;
  uint64_t low = ((uint64_t)(uintptr_t)stack + GT_STACK_ALIGNMENT - 1) & ~(uint64_t)(GT_STACK_ALIGNMENT - 1);
  uint64_t high = low + STACK_SIZE;
  memset(&state, 0, sizeof state);
  state.entry = (uint64_t)(uintptr_t)thread_entry;
  state.rounds = rounds;
  state.stack_low = low;
  state.stack_high = high;
  gt_initial_frame(thread_context.bytes, low, high, (uint64_t)(uintptr_t)GT_PROBE_ENTRY,
                   (uint64_t)(uintptr_t)&state, (uint64_t)(uintptr_t)on_exit_handler,
                   (uint64_t)(uintptr_t)GT_START, (uint64_t)(uintptr_t)GT_EXIT);
  /* The generated initial frame must agree with the context slots it fills. */
  if (get64(thread_context.bytes + GT_SLOT_SP) != high - GT_INITIAL_SP_BELOW_HIGH) {
    fail("main", NO_ROUND, "initial frame", "sp", high - GT_INITIAL_SP_BELOW_HIGH,
         get64(thread_context.bytes + GT_SLOT_SP));
  }

#if GT_THREAD_INFORMATION_COUNT > 0
  GT_READ_THREAD_INFORMATION(main_information);
#endif

  uint64_t seed = UINT64_C(0x6d61696e00000000);
  for (uint64_t round = 0; round <= rounds; round++) {
    fill_values(&main_in, &seed);
    memset(&main_out, 0x5a, sizeof main_out);
    uint64_t value = GT_CHECK(&main_context, &thread_context, &main_in, &main_out);
    verify_values("main", (long)round, &main_in, &main_out);
    verify_information("main", (long)round, main_information);
    if (round == 0) {
      /* The thread's first instruction, as gt_probe_entry saw it. */
      uint64_t sp = state.entry_sp;
      if (sp != high - GT_INITIAL_SP_BELOW_HIGH) {
        fail("thread", NO_ROUND, "stack pointer at entry", "sp", high - GT_INITIAL_SP_BELOW_HIGH, sp);
      }
      if (sp % GT_STACK_ALIGNMENT != GT_ENTRY_STACK_OFFSET) {
        fail("thread", NO_ROUND, "stack alignment at entry", "sp mod alignment",
             GT_ENTRY_STACK_OFFSET, sp % GT_STACK_ALIGNMENT);
      }
      for (int i = 0; i < GT_CONTROL_COUNT; i++) {
        uint64_t mask = width_mask(gt_control_defaults[i].width);
        if ((state.entry_words[i] & mask) != gt_control_defaults[i].value) {
          fail("thread", NO_ROUND, "float control default at entry", gt_control_defaults[i].name,
               gt_control_defaults[i].value, state.entry_words[i] & mask);
        }
      }
      uint64_t expected_information[GT_THREAD_INFORMATION_COUNT + 1];
      thread_information_expected(expected_information);
      for (int i = 0; i < GT_THREAD_INFORMATION_COUNT; i++) {
        if (state.entry_words[GT_CONTROL_COUNT + i] != expected_information[i]) {
          fail("thread", NO_ROUND, "thread-information word at entry", gt_thread_information[i].name,
               expected_information[i], state.entry_words[GT_CONTROL_COUNT + i]);
        }
      }
    }
    if (round < rounds) {
      /* The value the thread passed is its `in`, on its own stack. */
      if (value != state.thread_in || value < low || value >= high) {
        fail("main", (long)round, "switch value", "return register", state.thread_in, value);
      }
    } else if (value != GT_EXIT_VALUE) {
      fail("main", (long)round, "switch value after exit", "return register", GT_EXIT_VALUE, value);
    }
  }

  if (!state.exited) {
    fail("main", NO_ROUND, "exit path", "onExit called", 1, 0);
  } else {
    if (state.exit_argument != (uint64_t)(uintptr_t)&state) {
      fail("main", NO_ROUND, "exit path", "onExit argument", (uint64_t)(uintptr_t)&state,
           state.exit_argument);
    }
    if (state.exit_result != (GT_RESULT_MAGIC ^ rounds)) {
      fail("main", NO_ROUND, "exit path", "onExit result", GT_RESULT_MAGIC ^ rounds, state.exit_result);
    }
    if (state.exit_frame < low || state.exit_frame >= high) {
      fail("main", NO_ROUND, "exit path", "onExit runs on the thread's stack", high, state.exit_frame);
    }
  }

  check_lowered(rounds, low, high);

  if (failure_count) {
    print_failures();
    return 1;
  }
  printf("ok %s: %" PRIu64 " rounds, %d checked slots per side (%d integer, %d float, %d control), "
         "%d thread-information words, entry sp = high - %d (mod %d = %d), exit path ok\n",
         GT_ABI_NAME, rounds, GT_CHECKED_COUNT, GT_INTEGER_COUNT, GT_FLOAT_COUNT, GT_CONTROL_COUNT,
         GT_THREAD_INFORMATION_COUNT, GT_INITIAL_SP_BELOW_HIGH, GT_STACK_ALIGNMENT,
         GT_ENTRY_STACK_OFFSET);
  printf("ok %s: %" PRIu64 " rounds through %s against a thread clobbering its footprint\n",
         GT_ABI_NAME, rounds, GT_STR(GT_SWITCH_LOWERED));
  return 0;
}
