/*
 * Native stacks: one mapping per stack, addressed by a small integer id.
 *
 * Each stack is one mmap, laid out from its base upwards as a no-access
 * guard, the signal headroom, and the usable stack that JavaScript knows as
 * `Stack.low .. Stack.high` (signals.c explains the headroom and measures it):
 *
 *   high ─► ┌──────────────────────────┐  ◄─ the initial frame, then the program's words
 *           │ usable          rw-      │     (Stack.size bytes)
 *   low  ─► ├──────────────────────────┤
 *           │ signal headroom rw-      │  never program data: the lowered code's
 *           │                          │  stack limit is above `low`
 *           ├──────────────────────────┤
 *           │ guard           ---      │  at least one page, mprotect'ed
 *   base ─► └──────────────────────────┘
 *
 * The kernel shows this as two VMAs (guard, then headroom and usable
 * together), and no layout with a guard can do with fewer: a VMA has one
 * protection. So the number of live stacks is bounded by vm.max_map_count,
 * which V8 and libuv share: when the process reaches it, every mmap fails,
 * and V8 dies in its next heap growth. The allocator therefore keeps a
 * margin of the limit for the rest of the process (MAP_MARGIN_DIVISOR) and
 * refuses a stack that would eat into it, with error code MAP_LIMIT.
 *
 * Counting: the addon knows its own mappings (gt_vmas); the rest of the
 * process is counted from /proc/self/maps, which costs milliseconds near
 * the limit, so it is counted again only when this addon has taken half of
 * what was left at the last count (a logarithmic number of counts on the way
 * to the limit; the margin absorbs what the rest of the process maps in
 * between).
 *
 * Lifetime: no JavaScript object with a finalizer stands for a stack (a
 * Node-API finalizer runs only after the event loop turns, and a long
 * synchronous run of spawns and releases would keep all of them). The id
 * indexes a table; stackUnmap(id) unmaps at once, and the JavaScript
 * allocator calls it from release() or from a FinalizationRegistry when a
 * stack is dropped. JavaScript reads and writes stack memory through
 * stackPeek/stackPoke, which check the range against the table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gt.h"

/* Mappings this addon holds now: two per stack, one per code region. */
long gt_vmas = 0;

/* A quarter of vm.max_map_count stays for V8, libuv and the rest of the process. */
#define MAP_MARGIN_DIVISOR 4
#define VMAS_PER_STACK 2

static long max_map_count = 0;
static long counted_total = -1; /* process mappings at the last count, -1: never counted */
static long counted_ours = 0;   /* gt_vmas at the last count */

static long read_max_map_count(void) {
  long value = 65530; /* the kernel's default */
  int fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char buf[32];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n > 0) {
      buf[n] = 0;
      long v = strtol(buf, NULL, 10);
      if (v > 0) value = v;
    }
    close(fd);
  }
  return value;
}

/* Lines of /proc/self/maps, or -1 if it cannot be read. */
static long count_process_maps(void) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[16384]; /* on the caller's stack: workers may count at the same time */
  long lines = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
  }
  close(fd);
  return lines;
}

static long map_budget(void) {
  if (max_map_count == 0) max_map_count = read_max_map_count();
  return max_map_count - max_map_count / MAP_MARGIN_DIVISOR;
}

/* May this addon take `n` more mappings? Counts the process again when due (see above). */
static int maps_allow(long n) {
  long budget = map_budget();
  long left_at_count = budget - counted_total;
  if (counted_total >= 0 && (gt_vmas + n - counted_ours) * 2 <= left_at_count) return 1;
  long total = count_process_maps();
  if (total < 0) return 1; /* no /proc: mmap's own failure is the only limit */
  counted_total = total;
  counted_ours = gt_vmas;
  return total + n <= budget;
}

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
  munmap(region->base, region->length);
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
  if (!maps_allow(VMAS_PER_STACK)) {
    return gt_throw(env, "MAP_LIMIT", "the process is near vm.max_map_count");
  }
  if (instance->free_stack == GT_NO_ID && instance->stack_count == instance->stack_capacity &&
      !table_grow(instance)) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for the stack table");
  }
  size_t headroom = gt_signal_headroom();
  size_t length = (size_t)size + headroom + (size_t)guard;
  void *base = mmap(NULL, length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (base == MAP_FAILED) return gt_throw(env, "MAP_FAILED", "mmap of a stack failed");
  if (mprotect(base, (size_t)guard, PROT_NONE) != 0) {
    munmap(base, length);
    return gt_throw(env, "MAP_FAILED", "mprotect of a guard page failed");
  }
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    munmap(base, length);
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
  long budget = map_budget();
  if (recount) {
    counted_total = count_process_maps();
    counted_ours = gt_vmas;
  }
  GT_CALL(env, napi_create_object(env, &result));
  const struct {
    const char *name;
    long value;
  } fields[] = {{"maxMapCount", max_map_count},
                {"budget", budget},
                {"ours", gt_vmas},
                {"total", counted_total}};
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
