/*
 * Code pages: the machine code of loaded programs.
 *
 * Each loaded program's code gets fresh pages, written while they are
 * read-write and then turned read-execute: never writable and executable at
 * once. JavaScript holds the region through a handle (an external,
 * type-tagged so that no other object passes for one); an explicit release
 * unmaps the pages at once, and if the handle is garbage-collected first its
 * finalizer does. Code gets no ArrayBuffer: it is never writable after it is
 * placed.
 *
 * With the code comes its program's resume slots (per instruction, the
 * control-block word a resume value goes to), which turns.c reads to answer
 * a yield without JavaScript. The region struct and its slots live while
 * anything holds them: the JavaScript handle, and every thread of the
 * program (threadCreate takes a hold), so a thread never reads freed slots
 * even if its program's pages were released before it.
 *
 *   code mapping
 *   ┌──────────────────────┐
 *   │ code    r-x          │ written while rw-,
 *   │                      │ then made r-x (mprotect,
 *   └──────────────────────┘ VirtualProtect): never w and x at once
 *
 * Stacks live in stack.c: they are many, short-lived, and addressed by id,
 * so that spawning and releasing a thread creates no object with a
 * finalizer (see the module comment there).
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

static const napi_type_tag REGION_TAG = {0x67726e7468726473ULL, 0x726567696f6e0001ULL};

static void code_unmap(gt_region *region) {
  if (region->freed) return;
  region->freed = 1;
  gt_pages_free(region->base, region->length);
  __atomic_sub_fetch(&gt_vmas, 1, __ATOMIC_RELAXED);
}

void gt_code_drop(gt_region *region) {
  if (--region->holders > 0) return;
  code_unmap(region);
  free(region->slots);
  free(region);
}

static void finalize_code(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gt_region *region = (gt_region *)data;
  code_unmap(region);
  gt_code_drop(region);
}

gt_region *gt_code_of(napi_env env, napi_value handle) {
  bool tagged = false;
  void *data = NULL;
  if (napi_check_object_type_tag(env, handle, &REGION_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, handle, &data) != napi_ok) {
    gt_throw(env, "BAD_HANDLE", "not a code handle of this addon");
    return NULL;
  }
  return (gt_region *)data;
}

/*
 * The resume slots of codeMap's second argument (an Int32Array, or absent
 * for code that is no thread program): each -1 or a register word of the
 * control block. *count 0 and NULL when absent; -1 when invalid.
 */
static int read_slots(napi_env env, gt_instance *instance, napi_value value, int32_t **out,
                      uint32_t *count) {
  *out = NULL;
  *count = 0;
  napi_valuetype t;
  if (napi_typeof(env, value, &t) != napi_ok) return -1;
  if (t == napi_undefined) return 0;
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_int32_array || length > UINT32_MAX) {
    return -1;
  }
  const int32_t *slots = data;
  for (size_t i = 0; i < length; i++) {
    if (slots[i] < -1 || (slots[i] >= 0 && (uint32_t)slots[i] >= instance->protocol.words)) {
      return -1;
    }
  }
  if (length == 0) return 0;
  *out = malloc(length * sizeof **out);
  if (!*out) return -1;
  memcpy(*out, slots, length * sizeof **out);
  *count = (uint32_t)length;
  return 0;
}

/*
 * codeMap(bytes: Uint8Array, slots?: Int32Array) → [handle, undefined,
 * address]: copies code into fresh pages, then makes them read-execute.
 */
napi_value gt_code_map(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  gt_instance *instance;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
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
  int32_t *slots = NULL;
  uint32_t slot_count = 0;
  if (argc >= 2 && read_slots(env, instance, argv[1], &slots, &slot_count) != 0) {
    return gt_throw(env, "BAD_ARGUMENT",
                    "codeMap: slots must be an Int32Array of -1 or control-block register words");
  }
  size_t page = gt_page_size();
  size_t mapped = (length + page - 1) / page * page;
  const char *error = NULL;
  void *base = gt_code_pages(bytes, length, mapped, &error);
  if (!base) {
    free(slots);
    return gt_throw(env, "MAP_FAILED", error);
  }
  gt_region *region = calloc(1, sizeof *region);
  if (!region) {
    free(slots);
    gt_pages_free(base, mapped);
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for a region");
  }
  region->slots = slots;
  region->slot_count = slot_count;
  region->kind = GT_REGION_CODE;
  region->base = base;
  region->length = mapped;
  region->data = base;
  region->size = length;
  region->holders = 1;
  __atomic_add_fetch(&gt_vmas, 1, __ATOMIC_RELAXED);
  napi_value handle, result, v;
  if (napi_create_external(env, region, finalize_code, NULL, &handle) != napi_ok) {
    finalize_code(env, region, NULL);
    return gt_throw(env, "NATIVE_CALL_FAILED", "napi_create_external failed");
  }
  GT_CALL(env, napi_type_tag_object(env, handle, &REGION_TAG));
  GT_CALL(env, napi_create_array_with_length(env, 3, &result));
  GT_CALL(env, napi_set_element(env, result, 0, handle));
  GT_CALL(env, napi_get_undefined(env, &v));
  GT_CALL(env, napi_set_element(env, result, 1, v));
  GT_CALL(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)base, &v));
  GT_CALL(env, napi_set_element(env, result, 2, v));
  return result;
}

/* regionRelease(handle): unmaps code pages now. Releasing twice is an error. */
napi_value gt_region_release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return gt_throw(env, "BAD_ARGUMENT", "regionRelease needs a handle");
  gt_region *region = gt_code_of(env, argv[0]);
  if (!region) return NULL;
  if (region->freed) return gt_throw(env, "DOUBLE_RELEASE", "the region was already released");
  code_unmap(region);
  return NULL;
}
