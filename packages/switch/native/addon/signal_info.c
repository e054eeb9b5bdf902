/*
 * What JavaScript can ask about signals and their cover, on every OS:
 * signalsCover() and signalInfo(). The figures and the covering itself are
 * per OS (signals_posix.c, signals_win32.c); this file only reports them.
 */
#include "gt.h"

/* Enough for every POSIX signal number (NSIG is 65 on Linux). */
#define MAX_UNCOVERED 128

/* signalsCover() → how many handlers it changed. */
napi_value gt_signals_cover_napi(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  GT_CALL(env, napi_create_int32(env, gt_signals_cover(), &v));
  return v;
}

/*
 * signalInfo() → the measured figures: the signal frame, what the OS
 * reports it from, the headroom below each stack, this OS thread's signal
 * stack, which signals' handlers lack SA_ONSTACK now, and how often the
 * fault handler was put back.
 */
napi_value gt_signal_info(napi_env env, napi_callback_info info) {
  (void)info;
  gt_signal_figures figures = gt_signal_figures_now();
  napi_value result, v, uncovered;
  GT_CALL(env, napi_create_object(env, &result));
  const struct {
    const char *name;
    double value;
  } fields[] = {{"frameSize", (double)figures.frame_size},
                {"auxvMinSigStackSize", (double)figures.reported_frame},
                {"headroom", (double)figures.headroom},
                {"altStackSize", (double)figures.alt_stack_size},
                {"faultHandlerReinstalls", (double)gt_fault_reinstalls}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    GT_CALL(env, napi_create_double(env, fields[i].value, &v));
    GT_CALL(env, napi_set_named_property(env, result, fields[i].name, v));
  }
  int signals[MAX_UNCOVERED];
  int n = gt_signals_uncovered(signals, MAX_UNCOVERED);
  GT_CALL(env, napi_create_array_with_length(env, (size_t)n, &uncovered));
  for (int i = 0; i < n; i++) {
    GT_CALL(env, napi_create_int32(env, signals[i], &v));
    GT_CALL(env, napi_set_element(env, uncovered, (uint32_t)i, v));
  }
  GT_CALL(env, napi_set_named_property(env, result, "uncovered", uncovered));
  return result;
}
