/*
 * Machine threads and the resume call.
 *
 * A thread is an index into the instance's thread table: JavaScript passes a
 * small integer, the addon checks it against the table, so a forged or stale
 * number is an exception, never a wild pointer. The thread's control block
 * and context live in a block region that JavaScript also sees as an
 * ArrayBuffer: it writes resume values and fuel there and reads the trap
 * record after the switch back. The thread's id goes into the instance's
 * selection buffer (another ArrayBuffer), so a resume is one Node-API call
 * with no argument and no result.
 *
 *   JavaScript (main stack)        addon (main stack)         thread (its own stack)
 *   ───────────────────────        ──────────────────         ──────────────────────
 *   write resume value → TCB
 *   write id → selection
 *   resume() ───────────────────►  gt_enter(host, thread) ──► continues after its trap
 *                                                             … runs …
 *                                  ◄──────────────────────── trap: jump to gt_switch(thread, host)
 *   ◄──────────────────────────── returns
 *   read trap ← TCB
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

__thread gt_running gt_current __attribute__((tls_model("initial-exec")));

static gt_thread *thread_of(napi_env env, gt_instance *instance, napi_value id_value) {
  uint32_t id;
  if (napi_get_value_uint32(env, id_value, &id) != napi_ok || id >= instance->thread_count ||
      instance->threads[id] == NULL) {
    gt_throw(env, "BAD_THREAD", "no live thread with this id");
    return NULL;
  }
  return instance->threads[id];
}

/* threadCreate(blockHandle, contextOffset, stackHandle) → id. */
napi_value gt_thread_create(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t argc = 3;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 3) return gt_throw(env, "BAD_ARGUMENT", "threadCreate(block, contextOffset, stack)");
  gt_region *block = gt_region_from(env, argv[0]);
  if (!block) return NULL;
  gt_region *stack = gt_region_from(env, argv[2]);
  if (!stack) return NULL;
  uint32_t offset;
  if (napi_get_value_uint32(env, argv[1], &offset) != napi_ok || block->kind != GT_REGION_BLOCK ||
      stack->kind != GT_REGION_STACK || block->freed || stack->freed || offset % 64 != 0 ||
      instance->context_size == 0 || (size_t)offset + instance->context_size > block->size) {
    return gt_throw(env, "BAD_ARGUMENT", "threadCreate: bad block, stack or context offset");
  }
  uint32_t id = instance->free_hint;
  while (id < instance->thread_count && instance->threads[id] != NULL) id++;
  if (id == instance->thread_capacity) {
    uint32_t capacity = instance->thread_capacity ? instance->thread_capacity * 2 : 64;
    gt_thread **grown = realloc(instance->threads, capacity * sizeof *grown);
    if (!grown) return gt_throw(env, "OUT_OF_MEMORY", "no memory for the thread table");
    instance->threads = grown;
    instance->thread_capacity = capacity;
  }
  gt_thread *thread = NULL;
  if (posix_memalign((void **)&thread, 64, sizeof *thread) != 0) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a thread");
  }
  memset(thread, 0, sizeof *thread);
  thread->block = block;
  thread->stack = stack;
  block->holders++;
  stack->holders++;
  thread->tcb = (uint8_t *)block->data;
  thread->context = (uint8_t *)block->data + offset;
  thread->live = 1;
  if (id == instance->thread_count) instance->thread_count++;
  instance->threads[id] = thread;
  instance->free_hint = id + 1;
  napi_value result;
  GT_CALL(env, napi_create_uint32(env, id, &result));
  return result;
}

/*
 * resume(): switches to the thread whose id JavaScript wrote into the
 * selection buffer and returns when it traps (or faults). Kept short: this
 * is the hot path of every machine thread, so it takes no argument (only the
 * instance, through the function's data) and returns nothing. The id gets
 * the same checks as any other: a stale or forged one throws BAD_THREAD.
 */
napi_value gt_thread_resume(napi_env env, napi_callback_info info) {
  gt_instance *instance;
  napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&instance);
  uint32_t id = instance->selected[0];
  gt_thread *thread = id < instance->thread_count ? instance->threads[id] : NULL;
  if (!thread) return gt_throw(env, "BAD_THREAD", "no live thread with this id");
  if (thread->dead || thread->block->freed || thread->stack->freed || thread->running ||
      gt_current.thread != NULL) {
    return gt_throw(env, "BAD_THREAD", "the thread cannot run: it faulted, or its memory was released");
  }
  thread->running = 1;
  gt_current.thread = thread;
  gt_current.host_context = instance->host_context;
  uint64_t how = gt_enter(instance->host_context, thread->context, 0);
  gt_current.thread = NULL;
  thread->running = 0;
  if (how == GT_FAULT_VALUE) {
    thread->dead = 1;
    ((uint64_t *)thread->tcb)[0] = GT_TRAP_MACHINE_FAULT;
  }
  return NULL;
}

/*
 * resumeMany(id, n): n resumes without returning to JavaScript in between,
 * for the benchmark (the switch's own cost, without the Node-API call).
 * Stops early at a trap that is not a yield.
 */
napi_value gt_thread_resume_many(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  gt_instance *instance;
  uint32_t n;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  gt_thread *thread = argc == 2 ? thread_of(env, instance, argv[0]) : NULL;
  if (!thread) return argc == 2 ? NULL : gt_throw(env, "BAD_ARGUMENT", "resumeMany(id, n)");
  if (napi_get_value_uint32(env, argv[1], &n) != napi_ok) return gt_throw(env, "BAD_ARGUMENT", "n");
  if (thread->dead || thread->block->freed || thread->stack->freed || gt_current.thread != NULL) {
    return gt_throw(env, "BAD_THREAD", "the thread cannot run");
  }
  uint32_t done = 0;
  gt_current.host_context = instance->host_context;
  for (; done < n; done++) {
    gt_current.thread = thread;
    uint64_t how = gt_enter(instance->host_context, thread->context, 0);
    gt_current.thread = NULL;
    if (how == GT_FAULT_VALUE) {
      thread->dead = 1;
      ((uint64_t *)thread->tcb)[0] = GT_TRAP_MACHINE_FAULT;
      break;
    }
    if (((uint64_t *)thread->tcb)[0] != 1) break;
  }
  napi_value result;
  GT_CALL(env, napi_create_uint32(env, done, &result));
  return result;
}

/* threadFault(id) → [signal, address, pc] of the machine fault that killed it. */
napi_value gt_thread_fault(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, v;
  size_t argc = 1;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  gt_thread *thread = argc == 1 ? thread_of(env, instance, argv[0]) : NULL;
  if (!thread) return NULL;
  GT_CALL(env, napi_create_array_with_length(env, 3, &result));
  GT_CALL(env, napi_create_int32(env, thread->dead ? thread->fault_signal : 0, &v));
  GT_CALL(env, napi_set_element(env, result, 0, v));
  GT_CALL(env, napi_create_bigint_uint64(env, thread->fault_address, &v));
  GT_CALL(env, napi_set_element(env, result, 1, v));
  GT_CALL(env, napi_create_bigint_uint64(env, thread->fault_pc, &v));
  GT_CALL(env, napi_set_element(env, result, 2, v));
  return result;
}

static void thread_free(gt_thread *thread) {
  gt_region_drop(thread->block);
  gt_region_drop(thread->stack);
  free(thread);
}

/* threadRelease(id): forgets the thread; its block and stack are released by their owners. */
napi_value gt_thread_release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1) return gt_throw(env, "BAD_ARGUMENT", "threadRelease(id)");
  gt_thread *thread = thread_of(env, instance, argv[0]);
  if (!thread) return NULL;
  uint32_t id;
  napi_get_value_uint32(env, argv[0], &id);
  instance->threads[id] = NULL;
  if (id < instance->free_hint) instance->free_hint = id;
  thread_free(thread);
  return NULL;
}

void gt_instance_free_threads(gt_instance *instance) {
  for (uint32_t i = 0; i < instance->thread_count; i++) {
    if (instance->threads[i]) thread_free(instance->threads[i]);
  }
  free(instance->threads);
  instance->threads = NULL;
}
