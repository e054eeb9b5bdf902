/*
 * Machine threads and the resume call.
 *
 * A thread is an index into the instance's thread slots: JavaScript passes a
 * small integer, the addon checks it against the slots, so a forged or stale
 * number is an exception, never a wild pointer. The thread's id goes into the
 * instance's selection buffer (an ArrayBuffer), so a resume is one Node-API
 * call with no argument and no result.
 *
 * Slots come in chunks of GT_CHUNK_THREADS. A chunk holds the threads' C
 * state and one block of memory for all their control blocks and contexts,
 * which JavaScript sees as one ArrayBuffer per chunk (threadBlocks(chunk)):
 * it writes resume values and fuel there and reads the trap record after the
 * switch back. Chunks are made when the slots run out and kept until the
 * addon instance ends, so spawning and releasing a thread allocates nothing
 * in steady state and creates no object whose finalizer would wait for the
 * event loop (Node-API finalizers of external ArrayBuffers run only after
 * the loop turns, which a long synchronous run never gives them):
 *
 *   chunk c                                       JavaScript
 *   ┌───────────────────────────────────────┐
 *   │ threads[0..255]  C state (scratch …)  │     ids c*256 .. c*256+255
 *   │ blocks ─► ┌──────────┬──────────┬──── │ ◄── one ArrayBuffer, views at
 *   │           │ TCB│ctx  │ TCB│ctx  │ …   │     (id % 256) * blockStride
 *   │           └──────────┴──────────┴──── │
 *   └───────────────────────────────────────┘
 *
 * Released slots go on a free list and are reused first.
 *
 *   JavaScript (main stack)        addon (main stack)         thread (its own stack)
 *   ───────────────────────        ──────────────────         ──────────────────────
 *   write resume value → TCB
 *   write id → selection
 *   resume() ───────────────────►  gt_enter(host, thread) ──► continues after its trap
 *                                                             … runs …
 *                                  ◄──────────────────────── trap: jump to gt_switch_to_host(thread, host)
 *   ◄──────────────────────────── returns
 *   read trap ← TCB
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

GT_THREAD_LOCAL gt_running gt_current;

static gt_thread *slot_of(gt_instance *instance, uint32_t id) {
  uint32_t chunk = id / GT_CHUNK_THREADS;
  return chunk < instance->chunk_count ? &instance->chunks[chunk]->threads[id % GT_CHUNK_THREADS]
                                       : NULL;
}

gt_thread *gt_thread_of_id(gt_instance *instance, uint32_t id) {
  gt_thread *thread = slot_of(instance, id);
  return thread && thread->live ? thread : NULL;
}

static gt_thread *thread_of(napi_env env, gt_instance *instance, napi_value id_value) {
  uint32_t id;
  gt_thread *thread = NULL;
  if (napi_get_value_uint32(env, id_value, &id) == napi_ok) thread = slot_of(instance, id);
  if (!thread || !thread->live) {
    gt_throw(env, "BAD_THREAD", "no live thread with this id");
    return NULL;
  }
  return thread;
}

/* Adds a chunk of free slots; 0 if out of memory. */
static int chunk_add(gt_instance *instance) {
  gt_chunk **chunks = realloc(instance->chunks, (instance->chunk_count + 1) * sizeof *chunks);
  if (!chunks) return 0;
  instance->chunks = chunks;
  gt_chunk *chunk = gt_aligned_alloc(sizeof *chunk);
  if (!chunk) return 0;
  memset(chunk, 0, sizeof *chunk);
  chunk->blocks = gt_aligned_alloc(GT_CHUNK_THREADS * instance->block_stride);
  if (!chunk->blocks) {
    gt_aligned_free(chunk);
    return 0;
  }
  uint32_t first = instance->chunk_count * GT_CHUNK_THREADS;
  for (uint32_t i = 0; i < GT_CHUNK_THREADS; i++) {
    gt_thread *t = &chunk->threads[i];
    t->tcb = chunk->blocks + i * instance->block_stride;
    t->context = t->tcb + instance->context_offset;
    t->next_free = i + 1 < GT_CHUNK_THREADS ? first + i + 1 : instance->free_thread;
  }
  instance->chunks[instance->chunk_count++] = chunk;
  instance->free_thread = first;
  return 1;
}

/* threadCreate(stackId, code) → id, with its block zeroed; the thread holds its program's code region. */
napi_value gt_thread_create(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  gt_instance *instance;
  uint32_t stack_id;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 2 || napi_get_value_uint32(env, argv[0], &stack_id) != napi_ok) {
    return gt_throw(env, "BAD_ARGUMENT", "threadCreate(stackId, code)");
  }
  gt_region *code = gt_code_of(env, argv[1]);
  if (!code) return NULL;
  gt_region *stack = gt_stack_of(instance, stack_id);
  if (!stack || stack->freed || instance->block_stride == 0) {
    return gt_throw(env, "BAD_ARGUMENT", "threadCreate: no live stack with this id, or not configured");
  }
  if (instance->free_thread == GT_NO_ID && !chunk_add(instance)) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for more thread slots");
  }
  uint32_t id = instance->free_thread;
  gt_thread *thread = slot_of(instance, id);
  instance->free_thread = thread->next_free;
  thread->next_free = GT_NO_ID;
  thread->stack = stack;
  stack->holders++;
  thread->code = code;
  code->holders++;
  thread->live = 1;
  thread->dead = 0;
  thread->running = 0;
  thread->fresh = 1;
  thread->fault_signal = 0;
  thread->fault_address = 0;
  thread->fault_pc = 0;
  memset(thread->tcb, 0, instance->block_stride);
  napi_value result;
  GT_CALL(env, napi_create_uint32(env, id, &result));
  return result;
}

/* The chunk's block memory is the instance's: freed in gt_instance_free_threads. */
static void keep_chunk_memory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

/* threadBlocks(chunk) → [ArrayBuffer over the chunk's blocks, address]. Called once per chunk. */
napi_value gt_thread_blocks(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, buffer, address;
  size_t argc = 1;
  gt_instance *instance;
  uint32_t index;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &index) != napi_ok ||
      index >= instance->chunk_count) {
    return gt_throw(env, "BAD_ARGUMENT", "threadBlocks(chunk): no such chunk");
  }
  gt_chunk *chunk = instance->chunks[index];
  GT_CALL(env, napi_create_external_arraybuffer(env, chunk->blocks,
                                                GT_CHUNK_THREADS * instance->block_stride,
                                                keep_chunk_memory, NULL, &buffer));
  GT_CALL(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)chunk->blocks, &address));
  GT_CALL(env, napi_create_array_with_length(env, 2, &result));
  GT_CALL(env, napi_set_element(env, result, 0, buffer));
  GT_CALL(env, napi_set_element(env, result, 1, address));
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
  gt_thread *thread = slot_of(instance, instance->selected[0]);
  if (!thread || !thread->live) return gt_throw(env, "BAD_THREAD", "no live thread with this id");
  if (thread->dead || thread->stack->freed || thread->running ||
      gt_current.thread != NULL) {
    return gt_throw(env, "BAD_THREAD", "the thread cannot run: it faulted, or its memory was released");
  }
  gt_thread_run(instance, thread);
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
  if (thread->dead || thread->stack->freed || gt_current.thread != NULL) {
    return gt_throw(env, "BAD_THREAD", "the thread cannot run");
  }
  uint32_t done = 0;
  for (; done < n; done++) {
    if (gt_thread_run(instance, thread)) break;
    if (((uint32_t *)thread->tcb)[instance->protocol.kind_half] != instance->protocol.yield_kind) break;
  }
  napi_value result;
  GT_CALL(env, napi_create_uint32(env, done, &result));
  return result;
}

/* threadFault(id) → [signal or exception code, address, pc] of the machine fault that killed it. */
napi_value gt_thread_fault(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, v;
  size_t argc = 1;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  gt_thread *thread = argc == 1 ? thread_of(env, instance, argv[0]) : NULL;
  if (!thread) return NULL;
  GT_CALL(env, napi_create_array_with_length(env, 3, &result));
  /* A signal number (POSIX) or an NTSTATUS exception code (Windows), as an unsigned number. */
  GT_CALL(env, napi_create_double(env, thread->dead ? (double)thread->fault_signal : 0, &v));
  GT_CALL(env, napi_set_element(env, result, 0, v));
  GT_CALL(env, napi_create_bigint_uint64(env, thread->fault_address, &v));
  GT_CALL(env, napi_set_element(env, result, 1, v));
  GT_CALL(env, napi_create_bigint_uint64(env, thread->fault_pc, &v));
  GT_CALL(env, napi_set_element(env, result, 2, v));
  return result;
}

/* threadRelease(id): frees the slot now (its block is reused by a later thread) and lets go of the stack. */
napi_value gt_thread_release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1) return gt_throw(env, "BAD_ARGUMENT", "threadRelease(id)");
  gt_thread *thread = thread_of(env, instance, argv[0]);
  if (!thread) return NULL;
  if (thread->running) return gt_throw(env, "BAD_THREAD", "the thread is running");
  uint32_t id;
  napi_get_value_uint32(env, argv[0], &id);
  thread->live = 0;
  gt_region_drop(thread->stack);
  thread->stack = NULL;
  gt_code_drop(thread->code);
  thread->code = NULL;
  thread->next_free = instance->free_thread;
  instance->free_thread = id;
  return NULL;
}

void gt_instance_free_threads(gt_instance *instance) {
  for (uint32_t c = 0; c < instance->chunk_count; c++) {
    gt_chunk *chunk = instance->chunks[c];
    for (uint32_t i = 0; i < GT_CHUNK_THREADS; i++) {
      if (chunk->threads[i].live) {
        gt_region_drop(chunk->threads[i].stack);
        gt_code_drop(chunk->threads[i].code);
      }
    }
    gt_aligned_free(chunk->blocks);
    gt_aligned_free(chunk);
  }
  free(instance->chunks);
  instance->chunks = NULL;
  free(instance->turns);
  instance->turns = NULL;
  for (uint32_t i = 0; i < instance->turn_buffer_count; i++) gt_aligned_free(instance->turn_buffers[i]);
  free(instance->turn_buffers);
  instance->turn_buffers = NULL;
  instance->turn_buffer_count = 0;
  instance->turn_header = NULL;
  instance->turn_capacity = 0;
  instance->chunk_count = 0;
}
