/*
 * Machine threads taking turns without JavaScript.
 *
 * A machine-thread switch through the scheduler costs two Node-API crossings
 * and the JavaScript between them (driver, trap decoding, policy), where the
 * switch itself is two calls of the lowered switch routine. For a policy
 * whose next choices are a plain rotation of its ready threads (RoundRobin
 * and FIFO while nothing waits to be woken in), JavaScript can hand that
 * rotation to the addon, which then switches from one thread to the next
 * itself, and comes back only when a thread traps in a way JavaScript must
 * answer:
 *
 *   JavaScript                     runTurns()                   threads
 *   ──────────                     ──────────                   ───────
 *   turn buffer: ids[] in pick
 *   order, how[] what each may
 *   do, the limits           ──►   head = 0
 *                                  answer ids[head]'s last trap:
 *                                    yield: 0 into its dst word
 *                                    budget: fuel = refill
 *                                  run it ───────────────────►  … until it traps
 *                                  ◄────────────────────────────
 *                                  yield / budget allowed by how[head]:
 *                                    a turn: head = head + 1 (mod count)
 *                                    (the thread is now last in the ring)
 *                                  anything else: pending, stop
 *   ◄── result: runs * 2           stop also: a thread that cannot run or
 *       + pending                  whose trap it may not answer is at the
 *                                  head; maxRuns runs; the time is up
 *
 * Every thread that yields goes to the back, so the ring is always full and
 * a turn is one increment of head: after `t` turns the ring is the one given,
 * rotated by `t`, which is exactly what the policy's own pick/onYield would
 * have made of it. JavaScript replays that rotation into the policy and
 * hands a pending trap to the thread's next step.
 *
 * A budget trap with GT_TURN_BUDGET_STAY is refilled and the same thread goes
 * on (not a turn), as under run() with the default budget. Every id is
 * checked like resume()'s: a stale or forged one ends the run, never a wild
 * pointer; so does a trap index outside the program's resume slots.
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

/* What a thread's turn may end at, per ring entry (the same bits as TURN_* in backend.ts). */
#define GT_TURN_YIELD 1
#define GT_TURN_BUDGET_PASS 2
#define GT_TURN_BUDGET_STAY 4

/* Runs between two looks at the clock when a time limit is given. */
#define GT_TURNS_PER_CLOCK 16

/* Answers the thread's last trap as resume(thread, 0) would, if `how` lets a turn do it; 0 if not. */
static int answer(const gt_protocol *p, gt_thread *t, uint8_t how) {
  if (t->fresh) return 1;
  uint32_t *halves = (uint32_t *)t->tcb;
  uint64_t *words = (uint64_t *)t->tcb;
  uint32_t kind = halves[p->kind_half];
  if (kind == p->yield_kind && (how & GT_TURN_YIELD)) {
    uint32_t at = halves[p->instruction_half];
    if (at >= t->code->slot_count) return 0;
    int32_t slot = t->code->slots[at];
    if (slot >= 0) words[slot] = 0;
    return 1;
  }
  if (kind == p->budget_kind && (how & (GT_TURN_BUDGET_PASS | GT_TURN_BUDGET_STAY))) {
    words[p->fuel_word] = words[p->refill_word];
    return 1;
  }
  return 0;
}

/* The ring as thread pointers with their bits, checked once per run: no JavaScript runs during it, so none is released. */
static gt_turn *ring_of(gt_instance *instance, const uint32_t *ids, const uint8_t *how,
                        uint32_t count) {
  if (count > instance->turn_capacity) {
    gt_turn *grown = realloc(instance->turns, count * sizeof *grown);
    if (!grown) return NULL;
    instance->turns = grown;
    instance->turn_capacity = count;
  }
  gt_turn *ring = instance->turns;
  for (uint32_t i = 0; i < count; i++) {
    gt_thread *t = gt_thread_of_id(instance, ids[i]);
    ring[i].thread = t && !t->dead && !t->running && !t->stack->freed && !t->code->freed ? t : NULL;
    ring[i].how = how[i];
  }
  return ring;
}

/*
 * The turn buffer, shared with JavaScript (an ArrayBuffer over the
 * instance's memory, like the selection buffer): JavaScript writes the
 * ring and the limits there and runTurns() takes no argument and returns
 * nothing, which keeps a run's fixed cost to the bare Node-API call.
 *
 *   byte 0   count      uint32   threads in the ring
 *        4   capacity   uint32   room for ids and bits (set by turnBuffer)
 *        8   maxRuns    float64  at most this many runs (Infinity: no limit)
 *       16   timeNs     float64  time limit, 0 for none
 *       24   result     float64  runs * 2 + 1 if the last run's trap is pending
 *       32   ids        uint32 × capacity
 *            how        uint8 × capacity
 */
typedef struct gt_turn_header {
  uint32_t count;
  uint32_t capacity;
  double max_runs;
  double time_ns;
  double result;
} gt_turn_header;

static void keep_turn_memory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

/*
 * turnBuffer(capacity) → ArrayBuffer: a turn buffer for rings of up to
 * `capacity` threads. A larger one replaces the last; the memory of earlier
 * ones stays the instance's until it ends (JavaScript may still hold them).
 */
napi_value gt_turn_buffer(napi_env env, napi_callback_info info) {
  napi_value argv[1], buffer;
  size_t argc = 1;
  gt_instance *instance;
  uint32_t capacity;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &capacity) != napi_ok || capacity == 0 ||
      capacity > (1u << 26)) {
    return gt_throw(env, "BAD_ARGUMENT", "turnBuffer(capacity): 1 .. 2^26 threads");
  }
  size_t bytes = sizeof(gt_turn_header) + (size_t)capacity * 5;
  void **retired = realloc(instance->turn_buffers, (instance->turn_buffer_count + 1) * sizeof *retired);
  if (!retired) return gt_throw(env, "OUT_OF_MEMORY", "turnBuffer: no memory");
  instance->turn_buffers = retired;
  gt_turn_header *header = gt_aligned_alloc(bytes);
  if (!header) return gt_throw(env, "OUT_OF_MEMORY", "turnBuffer: no memory");
  memset(header, 0, bytes);
  header->capacity = capacity;
  instance->turn_buffers[instance->turn_buffer_count++] = header;
  instance->turn_header = header;
  GT_CALL(env, napi_create_external_arraybuffer(env, header, bytes, keep_turn_memory, NULL, &buffer));
  return buffer;
}

/*
 * runTurns(): runs the ring in the turn buffer (see above) and writes the
 * result there: how many threads were run (turns, and the pending one if
 * any) and whether the last one stopped at a trap JavaScript must answer.
 */
napi_value gt_thread_run_turns(napi_env env, napi_callback_info info) {
  gt_instance *instance;
  napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&instance);
  gt_turn_header *header = instance->turn_header;
  if (!header || header->count == 0 || header->count > header->capacity ||
      !(header->max_runs >= 0) || !(header->time_ns >= 0)) {
    return gt_throw(env, "BAD_ARGUMENT", "runTurns: no turn buffer, or a bad count or limit in it");
  }
  if (instance->protocol.words == 0 || gt_current.thread != NULL) {
    return gt_throw(env, "BAD_THREAD", "runTurns: not configured, or called from a thread");
  }
  const uint32_t count = header->count;
  const uint32_t *ids = (const uint32_t *)(header + 1);
  const uint8_t *how = (const uint8_t *)(ids + header->capacity);
  gt_turn *ring = ring_of(instance, ids, how, count);
  if (!ring) return gt_throw(env, "OUT_OF_MEMORY", "runTurns: no memory for the ring");
  const gt_protocol *p = &instance->protocol;
  uint64_t deadline = header->time_ns > 0 ? gt_now_ns() + (uint64_t)header->time_ns : 0;
  uint32_t clock = GT_TURNS_PER_CLOCK;
  /* Runs left, as an integer: maxRuns may be Infinity or above 2^64. */
  const double max_runs = header->max_runs;
  const uint64_t limit = max_runs >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)max_runs;
  uint64_t left = limit;
  int pending = 0;
  /*
   * Few values live across the switch (a cursor, the end, runs left), so
   * they stay in callee-saved registers; the next entry is read before the
   * current thread runs, so its loads overlap the switch.
   */
  gt_turn *e = ring, *const end = ring + count;
  while (left > 0) {
    if (deadline != 0 && --clock == 0) {
      if (gt_now_ns() >= deadline) break;
      clock = GT_TURNS_PER_CLOCK;
    }
    gt_thread *t = e->thread;
    uint32_t h = e->how;
    if (!t || !answer(p, t, (uint8_t)h)) break;
    gt_turn *next = e + 1 == end ? ring : e + 1;
    if (next->thread) __builtin_prefetch(next->thread->context);
    left--;
    for (;;) {
      if (gt_thread_run(instance, t)) {
        pending = 1;
        goto done;
      }
      const uint32_t kind = ((const uint32_t *)t->tcb)[p->kind_half];
      if (kind == p->yield_kind ? (h & GT_TURN_YIELD) != 0
                                : kind == p->budget_kind && (h & GT_TURN_BUDGET_PASS) != 0) {
        break; /* a turn */
      }
      if (!(kind == p->budget_kind && (h & GT_TURN_BUDGET_STAY))) {
        pending = 1;
        goto done;
      }
      ((uint64_t *)t->tcb)[p->fuel_word] = ((uint64_t *)t->tcb)[p->refill_word];
    }
    e = next;
  }
done:
  header->result = (double)(limit - left) * 2 + pending;
  return NULL;
}
