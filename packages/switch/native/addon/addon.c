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
  GT_CALL(env, napi_create_uint32(env, GT_CHUNK_THREADS, &v));
  GT_CALL(env, napi_set_named_property(env, result, "threadsPerChunk", v));
  GT_CALL(env, napi_create_uint32(env, (uint32_t)gt_signal_headroom(), &v));
  GT_CALL(env, napi_set_named_property(env, result, "signalHeadroom", v));
  if (!set_address(env, result, "switchRoutine", (const void *)&GT_SWITCH_TO_HOST)) return NULL;
  if (!set_address(env, result, "startRoutine", (const void *)&GT_START)) return NULL;
  if (!set_address(env, result, "exitRoutine", (const void *)&GT_EXIT)) return NULL;
  return result;
}

/*
 * configure(contextSize, contextOffset, protocol) → host context address:
 * the ABI's context size (from @greenthreads/isa), where a thread's context
 * starts in its block (after the control block and the addon's refill
 * word), and the control-block fields turns read and write (a Uint32Array:
 * words, kind half, instruction half, fuel word, refill word, yield kind,
 * budget kind; see gt_protocol). Fixed once threads exist.
 */
static napi_value gt_configure(napi_env env, napi_callback_info info) {
  napi_value argv[3], v;
  size_t argc = 3;
  gt_instance *instance;
  uint32_t size, offset;
  GT_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&instance));
  if (argc < 3 || napi_get_value_uint32(env, argv[0], &size) != napi_ok || size == 0 ||
      size > GT_CONTEXT_CAPACITY || napi_get_value_uint32(env, argv[1], &offset) != napi_ok ||
      offset % 64 != 0 || offset > 4096) {
    return gt_throw(env, "BAD_ARGUMENT",
                    "configure(contextSize, contextOffset, protocol): 1..contextCapacity bytes, offset a multiple of 64");
  }
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, argv[2], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[2], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_uint32_array || length != 7) {
    return gt_throw(env, "BAD_ARGUMENT", "configure: protocol must be a Uint32Array of 7 fields");
  }
  const uint32_t *f = data;
  gt_protocol protocol = {f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
  /* Every field inside the block before the context: turns write the fuel and register words. */
  if (protocol.words == 0 || protocol.refill_word * 8 + 8 > offset || protocol.fuel_word >= protocol.words ||
      protocol.kind_half >= 2 * protocol.words || protocol.instruction_half >= 2 * protocol.words ||
      protocol.words * 8 > offset) {
    return gt_throw(env, "BAD_ARGUMENT", "configure: the protocol's fields must lie before the context");
  }
  size_t stride = ((size_t)offset + size + 63) / 64 * 64;
  if (instance->chunk_count > 0 &&
      (stride != instance->block_stride || offset != instance->context_offset)) {
    return gt_throw(env, "BAD_ARGUMENT", "configure: the block layout cannot change once threads exist");
  }
  instance->context_size = size;
  instance->context_offset = offset;
  instance->block_stride = stride;
  instance->protocol = protocol;
  GT_CALL(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)instance->host_context, &v));
  return v;
}

static void finalize_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gt_instance *instance = (gt_instance *)data;
  gt_instance_free_threads(instance);
  gt_instance_free_stacks(instance);
  gt_alt_stack_uninstall(instance);
  gt_aligned_free(instance);
}

/* The selection buffer's memory belongs to the instance, which frees it in finalize_instance. */
static void keep_instance_memory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  gt_instance *instance = gt_aligned_alloc(sizeof *instance);
  if (!instance) {
    return gt_throw(env, "OUT_OF_MEMORY", "no memory for the addon instance");
  }
  memset(instance, 0, sizeof *instance);
  instance->free_thread = GT_NO_ID;
  instance->free_stack = GT_NO_ID;
  if (napi_set_instance_data(env, instance, finalize_instance, NULL) != napi_ok) {
    gt_aligned_free(instance);
    return gt_throw(env, "NATIVE_CALL_FAILED", "napi_set_instance_data failed");
  }
  gt_signals_measure();
  gt_alt_stack_install(instance);
  gt_signals_cover();
  const napi_property_descriptor functions[] = {
      {"empty", NULL, gt_empty, NULL, NULL, NULL, napi_default, instance},
      {"info", NULL, gt_info, NULL, NULL, NULL, napi_default, instance},
      {"configure", NULL, gt_configure, NULL, NULL, NULL, napi_default, instance},
      {"stackMap", NULL, gt_stack_map, NULL, NULL, NULL, napi_default, instance},
      {"stackUnmap", NULL, gt_stack_unmap, NULL, NULL, NULL, napi_default, instance},
      {"stackPeek", NULL, gt_stack_peek, NULL, NULL, NULL, napi_default, instance},
      {"stackPoke", NULL, gt_stack_poke, NULL, NULL, NULL, napi_default, instance},
      {"mappings", NULL, gt_mappings, NULL, NULL, NULL, napi_default, instance},
      {"codeMap", NULL, gt_code_map, NULL, NULL, NULL, napi_default, instance},
      {"regionRelease", NULL, gt_region_release, NULL, NULL, NULL, napi_default, instance},
      {"threadCreate", NULL, gt_thread_create, NULL, NULL, NULL, napi_default, instance},
      {"threadBlocks", NULL, gt_thread_blocks, NULL, NULL, NULL, napi_default, instance},
      {"resume", NULL, gt_thread_resume, NULL, NULL, NULL, napi_default, instance},
      {"resumeMany", NULL, gt_thread_resume_many, NULL, NULL, NULL, napi_default, instance},
      {"turnBuffer", NULL, gt_turn_buffer, NULL, NULL, NULL, napi_default, instance},
      {"runTurns", NULL, gt_thread_run_turns, NULL, NULL, NULL, napi_default, instance},
      {"threadRelease", NULL, gt_thread_release, NULL, NULL, NULL, napi_default, instance},
      {"threadFault", NULL, gt_thread_fault, NULL, NULL, NULL, napi_default, instance},
      {"faultHandlerInstalled", NULL, gt_fault_handler_installed, NULL, NULL, NULL, napi_default,
       instance},
      {"signalsCover", NULL, gt_signals_cover_napi, NULL, NULL, NULL, napi_default, instance},
      {"signalInfo", NULL, gt_signal_info, NULL, NULL, NULL, napi_default, instance},
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
