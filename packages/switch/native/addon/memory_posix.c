/*
 * Memory from the operating system, POSIX (Linux) version: pages for code
 * and stacks from mmap, protections from mprotect, and the mapping budget
 * that vm.max_map_count imposes. region.c and stack.c decide what the
 * memory is for; this file only knows how to get it here
 * (memory_win32.c is the Windows counterpart).
 *
 * Mapping budget: each stack is two VMAs (the guard, then headroom and
 * usable part together: a VMA has one protection), so the number of live
 * stacks is bounded by vm.max_map_count, which V8 and libuv share: when the
 * process reaches it, every mmap fails, and V8 dies in its next heap
 * growth. The allocator therefore keeps a margin of the limit for the rest
 * of the process (MAP_MARGIN_DIVISOR) and refuses a stack that would eat
 * into it, with error code MAP_LIMIT.
 *
 * Counting: the addon knows its own mappings (gt_vmas); the rest of the
 * process is counted from /proc/self/maps, which costs milliseconds near
 * the limit, so it is counted again only when this addon has taken half of
 * what was left at the last count (a logarithmic number of counts on the way
 * to the limit; the margin absorbs what the rest of the process maps in
 * between).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gt.h"

/* A quarter of vm.max_map_count stays for V8, libuv and the rest of the process. */
#define MAP_MARGIN_DIVISOR 4

static long max_map_count = 0;
static long counted_total = -1; /* process mappings at the last count, -1: never counted */
static long counted_ours = 0;   /* gt_vmas at the last count */

size_t gt_page_size(void) {
  static size_t page = 0;
  if (page == 0) page = (size_t)sysconf(_SC_PAGESIZE);
  return page;
}

void *gt_aligned_alloc(size_t size) {
  void *p = NULL;
  return posix_memalign(&p, 64, size) == 0 ? p : NULL;
}

void gt_aligned_free(void *p) { free(p); }

void *gt_code_pages(const void *bytes, size_t length, size_t mapped, const char **error) {
  void *base = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    *error = "mmap of code pages failed";
    return NULL;
  }
  memcpy(base, bytes, length);
  __builtin___clear_cache((char *)base, (char *)base + length);
  if (mprotect(base, mapped, PROT_READ | PROT_EXEC) != 0) {
    munmap(base, mapped);
    *error = "mprotect of code pages to read-execute failed";
    return NULL;
  }
  return base;
}

void *gt_stack_pages(size_t length, size_t guard, size_t headroom, const char **error) {
  (void)headroom;
  void *base = mmap(NULL, length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (base == MAP_FAILED) {
    *error = "mmap of a stack failed";
    return NULL;
  }
  if (mprotect(base, guard, PROT_NONE) != 0) {
    munmap(base, length);
    *error = "mprotect of a guard page failed";
    return NULL;
  }
  return base;
}

void gt_pages_free(void *base, size_t length) { munmap(base, length); }

/* Nothing to set: the kernel keeps no per-stack bounds for a thread (see memory_win32.c). */
void gt_context_prepare(gt_thread *thread) { (void)thread; }

/* After a fault the guard is still PROT_NONE: nothing to re-arm. */
void gt_stack_rearm(gt_region *stack) { (void)stack; }

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
int gt_maps_allow(long n) {
  long budget = map_budget();
  long left_at_count = budget - counted_total;
  if (counted_total >= 0 && (gt_vmas + n - counted_ours) * 2 <= left_at_count) return 1;
  long total = count_process_maps();
  if (total < 0) return 1; /* no /proc: mmap's own failure is the only limit */
  counted_total = total;
  counted_ours = gt_vmas;
  return total + n <= budget;
}

gt_map_budget gt_maps_budget(int recount) {
  long budget = map_budget();
  if (recount) {
    counted_total = count_process_maps();
    counted_ours = gt_vmas;
  }
  gt_map_budget result = {max_map_count, budget, counted_total};
  return result;
}
