/*
 * Nanoseconds per switch of the generated routine, next to Boost.Context's
 * jump_fcontext, measured in the same process.
 *
 * Both sides do the same thing: main and one green thread switch back and
 * forth (ping-pong), `iterations` round trips per round, timed with
 * clock_gettime on two clocks: CLOCK_MONOTONIC (wall time) and
 * CLOCK_THREAD_CPUTIME_ID (time on the CPU, which leaves out the time the
 * process waited for a core on a busy machine); a round trip is two switches. Rounds
 * alternate between the two implementations so that frequency changes and
 * noise hit both alike; the report gives the median of the rounds.
 *
 * With -DGT_VARIANT=<symbol> it also measures another switch routine with
 * the same context layout, and with -DGT_VARIANT_THREAD=<symbol> its thread
 * is that assembler routine instead of C (the benchmark script passes
 * gt_switch_lowered and gt_pingpong_lowered: a switch that keeps only what
 * lowered code writes needs a thread that writes nothing else).
 *
 * Compile with -DGT_BOOST='"how it was linked"' (and link Boost.Context) to include the peer;
 * without it the peer's line says that it was skipped.
 *
 * Output, one fact per line:
 *   routine gt_switch_x86_64_sysv wall median 3.10 ns/switch (rounds: ...)
 *   routine gt_switch_x86_64_sysv cpu median 3.05 ns/switch (rounds: ...)
 *   peer boost jump_fcontext (static) wall median 5.80 ns/switch (rounds: ...)
 *   peer boost jump_fcontext (static) cpu median 5.70 ns/switch (rounds: ...)
 *   ratio wall 0.53 cpu 0.54
 *   variant ratio wall 0.50 cpu 0.50      (with -DGT_VARIANT)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef GT_CONTEXT_HEADER
#error "name the ABI's generated header: -DGT_CONTEXT_HEADER='\"context_<abi>.h\"'"
#endif
#include GT_CONTEXT_HEADER

extern uint64_t GT_SWITCH(void *from, void *to, uint64_t value);
extern void GT_START(void);
extern void GT_EXIT(void);

#define STR2(x) #x
#define STR(x) STR2(x)
#define STACK_SIZE (64 * 1024)
#define MAX_ROUNDS 64

typedef struct {
  _Alignas(16) uint8_t bytes[GT_CONTEXT_SIZE];
} context;

static context main_context, thread_context;

static uint64_t ping_pong_thread(uint64_t argument) {
  (void)argument;
  uint64_t value = 0;
  for (;;) value = GT_SWITCH(&thread_context, &main_context, value + 1);
  return value;
}

#ifdef GT_VARIANT
extern uint64_t GT_VARIANT(void *from, void *to, uint64_t value);
static context variant_main_context, variant_thread_context;

#ifdef GT_VARIANT_THREAD
/* The variant's thread in assembler (e.g. written as lowered code is, for a
 * switch that keeps only what lowered code writes); its argument is
 * { its context, main's context }. */
extern void GT_VARIANT_THREAD(void);
static void *variant_pair[2] = {&variant_thread_context, &variant_main_context};
#define VARIANT_ENTRY ((uint64_t)(uintptr_t)GT_VARIANT_THREAD)
#define VARIANT_ARGUMENT ((uint64_t)(uintptr_t)variant_pair)
#else
static uint64_t variant_thread(uint64_t argument) {
  (void)argument;
  uint64_t value = 0;
  for (;;) value = GT_VARIANT(&variant_thread_context, &variant_main_context, value + 1);
  return value;
}
#define VARIANT_ENTRY ((uint64_t)(uintptr_t)variant_thread)
#define VARIANT_ARGUMENT 0
#endif
#endif

static void never_exit(uint64_t argument, uint64_t result) {
  (void)argument;
  (void)result;
  abort();
}

typedef struct {
  double wall, cpu;
} stamp;

static double ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static stamp now(void) {
  stamp s = {ns(CLOCK_MONOTONIC), ns(CLOCK_THREAD_CPUTIME_ID)};
  return s;
}

/* Nanoseconds per switch since `start`, for `iterations` round trips. */
static stamp per_switch(stamp start, uint64_t iterations) {
  stamp end = now();
  stamp r = {(end.wall - start.wall) / (2.0 * (double)iterations),
             (end.cpu - start.cpu) / (2.0 * (double)iterations)};
  return r;
}

static stamp ours(uint64_t iterations) {
  uint64_t value = 0;
  stamp start = now();
  for (uint64_t i = 0; i < iterations; i++) value = GT_SWITCH(&main_context, &thread_context, value);
  stamp result = per_switch(start, iterations);
  /* The thread answers each value with value + 1. */
  if (value < iterations) {
    printf("FAIL: the thread answered %" PRIu64 " after %" PRIu64 " round trips\n", value, iterations);
    exit(1);
  }
  return result;
}

#ifdef GT_VARIANT
static stamp variant(uint64_t iterations) {
  uint64_t value = 0;
  stamp start = now();
  for (uint64_t i = 0; i < iterations; i++) {
    value = GT_VARIANT(&variant_main_context, &variant_thread_context, value);
  }
  stamp result = per_switch(start, iterations);
  if (value < iterations) {
    printf("FAIL: the variant's thread answered %" PRIu64 "\n", value);
    exit(1);
  }
  return result;
}
#endif

#ifdef GT_BOOST
typedef void *fcontext_t;
typedef struct {
  fcontext_t fctx;
  void *data;
} transfer_t;
extern transfer_t jump_fcontext(fcontext_t const to, void *vp);
extern fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

static fcontext_t boost_thread;

static void boost_ping_pong(transfer_t t) {
  for (;;) t = jump_fcontext(t.fctx, t.data);
}

static stamp boost(uint64_t iterations) {
  fcontext_t c = boost_thread;
  stamp start = now();
  for (uint64_t i = 0; i < iterations; i++) {
    transfer_t t = jump_fcontext(c, (void *)(uintptr_t)i);
    c = t.fctx;
  }
  stamp result = per_switch(start, iterations);
  boost_thread = c;
  return result;
}
#endif

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, compare);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Prints both clocks' medians; returns them. */
static stamp report(const char *what, const stamp *v, int n) {
  double wall[MAX_ROUNDS], cpu[MAX_ROUNDS];
  for (int i = 0; i < n; i++) {
    wall[i] = v[i].wall;
    cpu[i] = v[i].cpu;
  }
  stamp m = {median(wall, n), median(cpu, n)};
  printf("%s wall median %.2f ns/switch (rounds:", what, m.wall);
  for (int i = 0; i < n; i++) printf(" %.2f", wall[i]);
  printf(")\n%s cpu median %.2f ns/switch (rounds:", what, m.cpu);
  for (int i = 0; i < n; i++) printf(" %.2f", cpu[i]);
  printf(")\n");
  return m;
}

int main(int argc, char **argv) {
  uint64_t iterations = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
  int rounds = argc > 2 ? atoi(argv[2]) : 9;
  if (rounds < 1) rounds = 1;
  if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;

  uint8_t *stack = malloc(STACK_SIZE + GT_STACK_ALIGNMENT);
  if (!stack) return 2;
  uint64_t low = ((uint64_t)(uintptr_t)stack + GT_STACK_ALIGNMENT - 1) & ~(uint64_t)(GT_STACK_ALIGNMENT - 1);
  uint64_t high = low + STACK_SIZE;
  gt_initial_frame(thread_context.bytes, low, high, (uint64_t)(uintptr_t)ping_pong_thread, 0,
                   (uint64_t)(uintptr_t)never_exit, (uint64_t)(uintptr_t)GT_START,
                   (uint64_t)(uintptr_t)GT_EXIT);

  stamp ours_ns[MAX_ROUNDS];
#ifdef GT_VARIANT
  stamp variant_ns[MAX_ROUNDS];
  uint8_t *variant_stack = malloc(STACK_SIZE + GT_STACK_ALIGNMENT);
  if (!variant_stack) return 2;
  uint64_t vlow = ((uint64_t)(uintptr_t)variant_stack + GT_STACK_ALIGNMENT - 1) & ~(uint64_t)(GT_STACK_ALIGNMENT - 1);
  /* The variant's context has the same pc, sp and integer slots; the control slots it lacks stay unused. */
  gt_initial_frame(variant_thread_context.bytes, vlow, vlow + STACK_SIZE, VARIANT_ENTRY, VARIANT_ARGUMENT,
                   (uint64_t)(uintptr_t)never_exit, (uint64_t)(uintptr_t)GT_START,
                   (uint64_t)(uintptr_t)GT_EXIT);
  variant(iterations / 10 + 1);
#endif
#ifdef GT_BOOST
  stamp boost_ns[MAX_ROUNDS];
  void *boost_stack = malloc(STACK_SIZE);
  if (!boost_stack) return 2;
  boost_thread = make_fcontext((uint8_t *)boost_stack + STACK_SIZE, STACK_SIZE, boost_ping_pong);
  boost(iterations / 10 + 1); /* warm up */
#endif
  ours(iterations / 10 + 1); /* warm up */
  for (int r = 0; r < rounds; r++) {
    ours_ns[r] = ours(iterations);
#ifdef GT_VARIANT
    variant_ns[r] = variant(iterations);
#endif
#ifdef GT_BOOST
    boost_ns[r] = boost(iterations);
#endif
  }

  printf("abi %s, %" PRIu64 " round trips per round, %d rounds\n", GT_ABI_NAME, iterations, rounds);
  stamp ours_median = report("routine " STR(GT_SWITCH), ours_ns, rounds);
#ifdef GT_VARIANT
  stamp variant_median = report("variant " STR(GT_VARIANT), variant_ns, rounds);
#endif
#ifdef GT_BOOST
  stamp boost_median = report("peer boost jump_fcontext (" GT_BOOST ")", boost_ns, rounds);
  printf("ratio wall %.2f cpu %.2f\n", ours_median.wall / boost_median.wall,
         ours_median.cpu / boost_median.cpu);
#ifdef GT_VARIANT
  printf("variant ratio wall %.2f cpu %.2f\n", variant_median.wall / boost_median.wall,
         variant_median.cpu / boost_median.cpu);
#endif
#else
  (void)ours_median;
#ifdef GT_VARIANT
  (void)variant_median;
#endif
  printf("peer skipped: libboost-context-dev not installed\n");
#endif
  return 0;
}
