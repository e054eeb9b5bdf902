/*
 * Module entry of the greenthreads switch addon: one instance per Node.js
 * environment (the main thread and each worker get their own host context
 * and thread table, through napi_set_instance_data), and the table of
 * functions JavaScript calls. See gt.h for the overall design.
 */
#include <stdlib.h>
#include <string.h>

#include "gt.h"

napi_value gt_throw(napi_env env, const char *code, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, code, message);
  return NULL;
}

/* empty(): the cost of a Node-API call that does nothing, for the benchmark. */
static napi_value gt_empty(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  return NULL;
}

static napi_value set_address(napi_env env, napi_value object, const char *name, const void *p) {
  napi_value v;
  if (napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)p, &v) != napi_ok) return NULL;
  if (napi_set_named_property(env, object, name, v) != napi_ok) return NULL;
  return v;
}

/* info(): the ABI this build runs, its routines' addresses and the page size. */
static napi_value gt_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, v;
  GT_CALL(env, napi_create_object(env, &result));
  GT_CALL(env, napi_create_string_utf8(env, GT_ABI_NAME, NAPI_AUTO_LENGTH, &v));
  GT_CALL(env, napi_set_named_property(env, result, "abi", v));
  GT_CALL(env, napi_create_uint32(env, (uint32_t)gt_page_size(), &v));
  GT_CALL(env, napi_set_named_property(env, result, "pageSize", v));
  GT_CALL(env, napi_create_uint32(env, GT_CONTEXT_CAPACITY, &v));
  GT_CALL(env, napi_set_named_property(env, result, "contextCapacity", v));
  GT_CALL(env, napi_create_uint32(env, GT_TRAP_MACHINE_FAULT, &v));
  GT_CALL(env, napi_set_named_property(env, result, "machineFaultKind", v));
  if (!set_address(env, result, "switchRoutine", (const void *)&GT_SWITCH)) return NULL;
  if (!set_address(env, result, "startRoutine", (const void *)&GT_START)) return NULL;
  if (!set_address(env, result, "exitRoutine", (const void *)&GT_EXIT)) return NULL;
  return result;
}

/* configure(contextSize) → host context address: the ABI's context size, from @greenthreads/isa. */
static napi_value gt_configure(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  size_t argc = 1;
  gt_instance *instance;
  uint32_t size;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &size) != napi_ok || size == 0 ||
      size > GT_CONTEXT_CAPACITY) {
    return gt_throw(env, "BAD_ARGUMENT", "configure(contextSize): 1..contextCapacity bytes");
  }
  instance->context_size = size;
  GT_CALL(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)instance->host_context, &v));
  return v;
}

static void finalize_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gt_instance *instance = (gt_instance *)data;
  gt_instance_free_threads(instance);
  gt_fault_uninstall(instance);
  free(instance);
}

/* The selection buffer's memory belongs to the instance, which frees it in finalize_instance. */
static void keep_instance_memory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  gt_instance *instance = NULL;
  if (posix_memalign((void **)&instance, 64, sizeof *instance) != 0) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for the addon instance");
  }
  memset(instance, 0, sizeof *instance);
  if (napi_set_instance_data(env, instance, finalize_instance, NULL) != napi_ok) {
    free(instance);
    return gt_throw(env, "NATIVE_CALL_FAILED", "napi_set_instance_data failed");
  }
  gt_fault_install(instance);
  const napi_property_descriptor functions[] = {
      {"empty", NULL, gt_empty, NULL, NULL, NULL, napi_default, instance},
      {"info", NULL, gt_info, NULL, NULL, NULL, napi_default, instance},
      {"configure", NULL, gt_configure, NULL, NULL, NULL, napi_default, instance},
      {"stackMap", NULL, gt_stack_map, NULL, NULL, NULL, napi_default, instance},
      {"codeMap", NULL, gt_code_map, NULL, NULL, NULL, napi_default, instance},
      {"blockAlloc", NULL, gt_block_alloc, NULL, NULL, NULL, napi_default, instance},
      {"regionRelease", NULL, gt_region_release, NULL, NULL, NULL, napi_default, instance},
      {"threadCreate", NULL, gt_thread_create, NULL, NULL, NULL, napi_default, instance},
      {"resume", NULL, gt_thread_resume, NULL, NULL, NULL, napi_default, instance},
      {"resumeMany", NULL, gt_thread_resume_many, NULL, NULL, NULL, napi_default, instance},
      {"threadRelease", NULL, gt_thread_release, NULL, NULL, NULL, napi_default, instance},
      {"threadFault", NULL, gt_thread_fault, NULL, NULL, NULL, napi_default, instance},
      {"faultHandlerInstalled", NULL, gt_fault_handler_installed, NULL, NULL, NULL, napi_default,
       instance},
  };
  if (napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions) !=
      napi_ok) {
    return gt_throw(env, "NATIVE_CALL_FAILED", "napi_define_properties failed");
  }
  /* The selection: JavaScript writes the id of the thread to resume here (see resume() in thread.c). */
  napi_value selection;
  if (napi_create_external_arraybuffer(env, instance->selected, sizeof instance->selected,
                                       keep_instance_memory, NULL, &selection) != napi_ok ||
      napi_set_named_property(env, exports, "selection", selection) != napi_ok) {
    return gt_throw(env, "NATIVE_CALL_FAILED", "cannot create the selection buffer");
  }
  return exports;
}
