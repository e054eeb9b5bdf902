/*
 * Memory the addon hands to JavaScript: stacks, code and thread blocks.
 *
 * Each region has a JavaScript handle (an external, type-tagged so that no
 * other object passes for one) and, for stacks and blocks, an ArrayBuffer
 * over its usable bytes so that JavaScript reads and writes it without a
 * Node-API call per word. Code gets no ArrayBuffer: it is never writable
 * after it is placed.
 *
 * Lifetime: an explicit release detaches the ArrayBuffer (every view on it
 * becomes empty, so JavaScript cannot touch freed memory) and gives the
 * memory back at once; if the handle is garbage-collected first, the
 * finalizer gives it back. The struct itself lives while anything holds it
 * (handle, ArrayBuffer, threads), counted in `holders`.
 *
 *   stack mapping (mmap, one call)          code mapping
 *   high ─► ┌──────────────────────┐        ┌──────────────────────┐
 *           │ usable  rw-          │        │ code    r-x          │ written while rw-,
 *   low  ─► ├──────────────────────┤        │                      │ then mprotect'ed:
 *           │ guard   ---          │        └──────────────────────┘ never w and x at once
 *   base ─► └──────────────────────┘
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gt.h"

static const napi_type_tag REGION_TAG = {0x67726e7468726473ULL, 0x726567696f6e0001ULL};

size_t gt_page_size(void) {
  static size_t page = 0;
  if (page == 0) page = (size_t)sysconf(_SC_PAGESIZE);
  return page;
}

static void region_free_memory(gt_region *region) {
  if (region->freed) return;
  region->freed = 1;
  if (region->kind == GT_REGION_BLOCK) free(region->base);
  else munmap(region->base, region->length);
}

/* One holder lets go; the last one frees the memory (if still held) and the struct. */
void gt_region_drop(gt_region *region) {
  if (--region->holders > 0) return;
  region_free_memory(region);
  free(region);
}

static void finalize_region(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gt_region_drop((gt_region *)data);
}

/* An ArrayBuffer's finalizer gets the buffer's data first; the region comes as the hint. */
static void finalize_buffer(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  gt_region_drop((gt_region *)hint);
}

gt_region *gt_region_from(napi_env env, napi_value handle) {
  bool tagged = false;
  void *data = NULL;
  if (napi_check_object_type_tag(env, handle, &REGION_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, handle, &data) != napi_ok) {
    gt_throw(env, "BAD_HANDLE", "not a region handle of this addon");
    return NULL;
  }
  return (gt_region *)data;
}

static napi_value bigint_address(napi_env env, const void *p) {
  napi_value v;
  if (napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)p, &v) != napi_ok) return NULL;
  return v;
}

/* Returns [handle, arrayBuffer | undefined, address of the usable part]. */
static napi_value wrap_region(napi_env env, gt_region *region, int with_buffer) {
  napi_value handle, buffer, address, result;
  region->holders = 1;
  if (napi_create_external(env, region, finalize_region, NULL, &handle) != napi_ok) {
    region_free_memory(region);
    free(region);
    return gt_throw(env, "NATIVE_CALL_FAILED", "napi_create_external failed");
  }
  GT_CALL(env, napi_type_tag_object(env, handle, &REGION_TAG));
  if (with_buffer) {
    region->holders++;
    if (napi_create_external_arraybuffer(env, region->data, region->size, finalize_buffer, region,
                                         &buffer) != napi_ok) {
      region->holders--;
      return gt_throw(env, "NATIVE_CALL_FAILED", "napi_create_external_arraybuffer failed");
    }
  } else {
    GT_CALL(env, napi_get_undefined(env, &buffer));
  }
  address = bigint_address(env, region->data);
  GT_CALL(env, napi_create_array_with_length(env, 3, &result));
  GT_CALL(env, napi_set_element(env, result, 0, handle));
  GT_CALL(env, napi_set_element(env, result, 1, buffer));
  GT_CALL(env, napi_set_element(env, result, 2, address));
  return result;
}

static int get_size_args(napi_env env, napi_callback_info info, size_t want, int64_t *out) {
  napi_value argv[2];
  size_t argc = 2;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    gt_throw(env, "BAD_ARGUMENT", "missing arguments");
    return 0;
  }
  for (size_t i = 0; i < want; i++) {
    if (napi_get_value_int64(env, argv[i], &out[i]) != napi_ok || out[i] < 0 ||
        out[i] > ((int64_t)1 << 40)) {
      gt_throw(env, "BAD_ARGUMENT", "sizes must be non-negative numbers below 2^40");
      return 0;
    }
  }
  return 1;
}

/* stackMap(size, guard): size and guard are page multiples (checked in JS, again here). */
napi_value gt_stack_map(napi_env env, napi_callback_info info) {
  int64_t sizes[2];
  if (!get_size_args(env, info, 2, sizes)) return NULL;
  size_t page = gt_page_size();
  size_t size = (size_t)sizes[0], guard = (size_t)sizes[1];
  if (size == 0 || size % page != 0 || guard % page != 0) {
    return gt_throw(env, "BAD_ARGUMENT", "stack and guard sizes must be page multiples");
  }
  void *base = mmap(NULL, size + guard, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (base == MAP_FAILED) return gt_throw(env, "MAP_FAILED", "mmap of a stack failed");
  if (guard > 0 && mprotect(base, guard, PROT_NONE) != 0) {
    munmap(base, size + guard);
    return gt_throw(env, "MAP_FAILED", "mprotect of a guard page failed");
  }
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    munmap(base, size + guard);
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a region");
  }
  region->kind = GT_REGION_STACK;
  region->base = base;
  region->length = size + guard;
  region->data = (uint8_t *)base + guard;
  region->size = size;
  return wrap_region(env, region, 1);
}

/* codeMap(bytes: Uint8Array): copies code into fresh pages, then makes them read-execute. */
napi_value gt_code_map(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is_typed = false;
  if (argc < 1 || napi_is_typedarray(env, argv[0], &is_typed) != napi_ok || !is_typed) {
    return gt_throw(env, "BAD_ARGUMENT", "codeMap needs a Uint8Array");
  }
  napi_typedarray_type type;
  size_t length;
  void *bytes;
  GT_CALL(env, napi_get_typedarray_info(env, argv[0], &type, &length, &bytes, NULL, NULL));
  if (type != napi_uint8_array || length == 0) {
    return gt_throw(env, "BAD_ARGUMENT", "codeMap needs a non-empty Uint8Array");
  }
  size_t page = gt_page_size();
  size_t mapped = (length + page - 1) / page * page;
  void *base = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return gt_throw(env, "MAP_FAILED", "mmap of code pages failed");
  memcpy(base, bytes, length);
  __builtin___clear_cache((char *)base, (char *)base + length);
  if (mprotect(base, mapped, PROT_READ | PROT_EXEC) != 0) {
    munmap(base, mapped);
    return gt_throw(env, "MAP_FAILED", "mprotect of code pages to read-execute failed");
  }
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    munmap(base, mapped);
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a region");
  }
  region->kind = GT_REGION_CODE;
  region->base = base;
  region->length = mapped;
  region->data = base;
  region->size = length;
  return wrap_region(env, region, 0);
}

/* blockAlloc(size): zeroed, 64-byte aligned memory for a control block and a context. */
napi_value gt_block_alloc(napi_env env, napi_callback_info info) {
  int64_t size;
  if (!get_size_args(env, info, 1, &size)) return NULL;
  if (size <= 0 || size > (1 << 20)) return gt_throw(env, "BAD_ARGUMENT", "bad block size");
  size_t rounded = ((size_t)size + 63) / 64 * 64;
  void *p = NULL;
  if (posix_memalign(&p, 64, rounded) != 0) return gt_throw(env, "OUT_OF_MEMORY", "no memory");
  memset(p, 0, rounded);
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    free(p);
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a region");
  }
  region->kind = GT_REGION_BLOCK;
  region->base = p;
  region->length = rounded;
  region->data = p;
  region->size = (size_t)size;
  return wrap_region(env, region, 1);
}

/*
 * regionRelease(handle, arrayBuffer?): detaches the buffer and frees the
 * memory now. Releasing twice is an error; the JS layer reports it first.
 */
napi_value gt_region_release(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return gt_throw(env, "BAD_ARGUMENT", "regionRelease needs a handle");
  gt_region *region = gt_region_from(env, argv[0]);
  if (!region) return NULL;
  if (region->freed) return gt_throw(env, "DOUBLE_RELEASE", "the region was already released");
  if (argc >= 2) {
    bool is_buffer = false;
    napi_valuetype type;
    GT_CALL(env, napi_typeof(env, argv[1], &type));
    if (type != napi_undefined) {
      void *data = NULL;
      if (napi_is_arraybuffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer ||
          napi_get_arraybuffer_info(env, argv[1], &data, NULL) != napi_ok || data != region->data) {
        return gt_throw(env, "BAD_ARGUMENT", "the ArrayBuffer is not the region's");
      }
      GT_CALL(env, napi_detach_arraybuffer(env, argv[1]));
    }
  }
  region_free_memory(region);
  return NULL;
}
