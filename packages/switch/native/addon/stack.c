/*
 * Native stacks: one mapping per stack, addressed by a small integer id.
 *
 * Each stack is one mapping (memory_posix.c: mmap; memory_win32.c:
 * VirtualAlloc), laid out from its base upwards as a no-access guard, the
 * headroom, and the usable stack that JavaScript knows as
 * `Stack.low .. Stack.high` (signals_posix.c explains the headroom on
 * Linux and measures it; signals_win32.c what it holds on Windows):
 *
 *   high ─► ┌──────────────────────────┐  ◄─ the initial frame, then the program's words
 *           │ usable          rw-      │     (Stack.size bytes)
 *   low  ─► ├──────────────────────────┤
 *           │ headroom        rw-      │  never program data: the lowered code's
 *           │                          │  stack limit is above `low`
 *           ├──────────────────────────┤
 *           │ guard           ---      │  at least one page
 *   base ─► └──────────────────────────┘
 *
 * On Linux the kernel shows this as two VMAs, and the process has
 * vm.max_map_count of them: memory_posix.c keeps the budget (MAP_LIMIT).
 *
 * Lifetime: no JavaScript object with a finalizer stands for a stack (a
 * Node-API finalizer runs only after the event loop turns, and a long
 * synchronous run of spawns and releases would keep all of them). The id
 * indexes a table; stackUnmap(id) unmaps at once, and the JavaScript
 * allocator calls it from release() or from a FinalizationRegistry when a
 * stack is dropped. JavaScript reads and writes stack memory through
 * stackPeek/stackPoke, which check the range against the table.
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

/* Mappings this addon holds now: two per stack, one per code region. */
long gt_vmas = 0;

/* Mappings per stack: the guard, and the rest (a mapping has one protection). */
#define VMAS_PER_STACK 2

gt_region *gt_stack_of(gt_instance *instance, uint32_t id) {
  return id < instance->stack_count ? instance->stacks[id] : NULL;
}

static int stack_id_of(napi_env env, gt_instance *instance, napi_value v, uint32_t *id) {
  if (napi_get_value_uint32(env, v, id) != napi_ok || gt_stack_of(instance, *id) == NULL) {
    gt_throw(env, "BAD_STACK", "no live stack with this id");
    return 0;
  }
  return 1;
}

static void stack_unmap_memory(gt_region *region) {
  if (region->freed) return;
  region->freed = 1;
  gt_pages_free(region->base, region->length);
  __atomic_sub_fetch(&gt_vmas, VMAS_PER_STACK, __ATOMIC_RELAXED);
}

/* One holder lets go (the table, or a thread); the last one frees the memory and the struct. */
void gt_region_drop(gt_region *region) {
  if (--region->holders > 0) return;
  stack_unmap_memory(region);
  free(region);
}

static int table_grow(gt_instance *instance) {
  uint32_t capacity = instance->stack_capacity ? instance->stack_capacity * 2 : 256;
  gt_region **stacks = realloc(instance->stacks, capacity * sizeof *stacks);
  if (!stacks) return 0;
  instance->stacks = stacks;
  uint32_t *next = realloc(instance->stack_next, capacity * sizeof *next);
  if (!next) return 0;
  instance->stack_next = next;
  instance->stack_capacity = capacity;
  return 1;
}

/*
 * stackMap(size, guard) → [id, low, headroom]: size and guard are page
 * multiples, guard at least one page (checked in JavaScript, again here).
 */
napi_value gt_stack_map(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  int64_t size, guard;
  if (argc < 2 || napi_get_value_int64(env, argv[0], &size) != napi_ok ||
      napi_get_value_int64(env, argv[1], &guard) != napi_ok || size <= 0 || guard <= 0 ||
      size > ((int64_t)1 << 40) || guard > ((int64_t)1 << 30)) {
    return gt_throw(env, "BAD_ARGUMENT", "stackMap(size, guard): positive sizes");
  }
  size_t page = gt_page_size();
  if ((size_t)size % page != 0 || (size_t)guard % page != 0) {
    return gt_throw(env, "BAD_ARGUMENT", "stack and guard sizes must be page multiples");
  }
  if (!gt_maps_allow(VMAS_PER_STACK)) {
    return gt_throw(env, "MAP_LIMIT", "the process is near vm.max_map_count");
  }
  if (instance->free_stack == GT_NO_ID && instance->stack_count == instance->stack_capacity &&
      !table_grow(instance)) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for the stack table");
  }
  size_t headroom = gt_signal_headroom();
  size_t length = (size_t)size + headroom + (size_t)guard;
  const char *error = NULL;
  void *base = gt_stack_pages(length, (size_t)guard, headroom, &error);
  if (!base) return gt_throw(env, "MAP_FAILED", error);
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    gt_pages_free(base, length);
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a stack");
  }
  __atomic_add_fetch(&gt_vmas, VMAS_PER_STACK, __ATOMIC_RELAXED);
  region->kind = GT_REGION_STACK;
  region->base = base;
  region->length = length;
  region->guard = (size_t)guard;
  region->data = (uint8_t *)base + guard + headroom;
  region->size = (size_t)size;
  region->holders = 1; /* the table */
  uint32_t id;
  if (instance->free_stack != GT_NO_ID) {
    id = instance->free_stack;
    instance->free_stack = instance->stack_next[id];
  } else {
    id = instance->stack_count++;
  }
  instance->stacks[id] = region;
  napi_value result, v;
  GT_CALL(env, napi_create_array_with_length(env, 3, &result));
  GT_CALL(env, napi_create_uint32(env, id, &v));
  GT_CALL(env, napi_set_element(env, result, 0, v));
  GT_CALL(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)region->data, &v));
  GT_CALL(env, napi_set_element(env, result, 1, v));
  GT_CALL(env, napi_create_uint32(env, (uint32_t)headroom, &v));
  GT_CALL(env, napi_set_element(env, result, 2, v));
  return result;
}

/* stackUnmap(id): unmaps the stack now (a thread still holding it can no longer run). */
napi_value gt_stack_unmap(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  gt_instance *instance;
  uint32_t id;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1 || !stack_id_of(env, instance, argv[0], &id)) return NULL;
  gt_region *region = instance->stacks[id];
  instance->stacks[id] = NULL;
  instance->stack_next[id] = instance->free_stack;
  instance->free_stack = id;
  stack_unmap_memory(region);
  gt_region_drop(region);
  return NULL;
}

/* Arguments of stackPeek/stackPoke: (id, offset from low, Uint8Array). */
static gt_region *bytes_args(napi_env env, napi_callback_info info, int64_t *offset, uint8_t **bytes,
                             size_t *length) {
  napi_value argv[3];
  size_t argc = 3;
  gt_instance *instance;
  uint32_t id;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance) != napi_ok || argc < 3) {
    gt_throw(env, "BAD_ARGUMENT", "(id, offset, bytes)");
    return NULL;
  }
  if (!stack_id_of(env, instance, argv[0], &id)) return NULL;
  napi_typedarray_type type;
  bool is_typed = false;
  if (napi_get_value_int64(env, argv[1], offset) != napi_ok ||
      napi_is_typedarray(env, argv[2], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[2], &type, length, (void **)bytes, NULL, NULL) !=
          napi_ok ||
      type != napi_uint8_array) {
    gt_throw(env, "BAD_ARGUMENT", "(id, offset, Uint8Array)");
    return NULL;
  }
  return instance->stacks[id];
}

/*
 * stackPeek(id, offset, out): copies bytes at low + offset into `out`. The
 * range may start below low (the headroom, and the guard, which reads as
 * zeros) but must end at or below high.
 */
napi_value gt_stack_peek(napi_env env, napi_callback_info info) {
  int64_t offset;
  uint8_t *out;
  size_t length;
  gt_region *region = bytes_args(env, info, &offset, &out, &length);
  if (!region) return NULL;
  int64_t from = offset + (int64_t)((uint8_t *)region->data - (uint8_t *)region->base);
  if (from < 0 || (uint64_t)from + length > region->length) {
    return gt_throw(env, "BAD_ADDRESS", "stackPeek: outside the stack's mapping");
  }
  /* The guard cannot be read: its bytes read as zeros. */
  size_t zeros = (size_t)from < region->guard ? region->guard - (size_t)from : 0;
  if (zeros > length) zeros = length;
  memset(out, 0, zeros);
  memcpy(out + zeros, (uint8_t *)region->base + from + zeros, length - zeros);
  return NULL;
}

/* stackPoke(id, offset, bytes): copies `bytes` to low + offset, inside the usable stack. */
napi_value gt_stack_poke(napi_env env, napi_callback_info info) {
  int64_t offset;
  uint8_t *bytes;
  size_t length;
  gt_region *region = bytes_args(env, info, &offset, &bytes, &length);
  if (!region) return NULL;
  if (offset < 0 || (uint64_t)offset + length > region->size) {
    return gt_throw(env, "BAD_ADDRESS", "stackPoke: outside the usable stack");
  }
  memcpy((uint8_t *)region->data + offset, bytes, length);
  return NULL;
}

/*
 * mappings(recount) → { maxMapCount, budget, ours, total }: the mapping
 * budget as the allocator sees it; with recount true, counts the process's
 * mappings now.
 */
napi_value gt_mappings(napi_env env, napi_callback_info info) {
  napi_value argv[1], result, v;
  size_t argc = 1;
  bool recount = false;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1) napi_get_value_bool(env, argv[0], &recount);
  gt_map_budget budget = gt_maps_budget(recount);
  GT_CALL(env, napi_create_object(env, &result));
  const struct {
    const char *name;
    long value;
  } fields[] = {{"maxMapCount", budget.max_map_count},
                {"budget", budget.budget},
                {"ours", gt_vmas},
                {"total", budget.total}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    GT_CALL(env, napi_create_int64(env, fields[i].value, &v));
    GT_CALL(env, napi_set_named_property(env, result, fields[i].name, v));
  }
  return result;
}

void gt_instance_free_stacks(gt_instance *instance) {
  for (uint32_t i = 0; i < instance->stack_count; i++) {
    if (instance->stacks[i]) {
      stack_unmap_memory(instance->stacks[i]);
      gt_region_drop(instance->stacks[i]);
    }
  }
  free(instance->stacks);
  free(instance->stack_next);
  instance->stacks = NULL;
  instance->stack_next = NULL;
}
