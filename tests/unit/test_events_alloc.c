/*
 * test_events_alloc.c — "emit never allocates" (eventide/events.h, Memory),
 * proven by counting: this executable alone is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,... (tests/unit/CMakeLists.txt), so every
 * call to the allocator made from this file or from eventide_static goes
 * through the counting wrappers below before reaching the real one.
 * (Criterion is a shared library: its own allocations are not counted.)
 *
 * Each test registers its listeners first, takes a snapshot of the
 * counters, emits many times, takes a second snapshot and only then
 * asserts: nothing between the two snapshots may allocate, Criterion's
 * assertion macros included.
 *
 * Under AddressSanitizer the wrappers may not see the calls (the sanitizer
 * owns malloc); every test first checks that a deliberate allocation, and
 * the library's own allocation for a first listener, are counted. If they
 * are not, an ASan build skips the test with a message instead of passing
 * without having checked anything; a normal build fails.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eventide.h"
#include "unit.h"

/* ---- the counting wrappers (ld --wrap) ---- */

static atomic_ulong alloc_calls, free_calls;

static void count_alloc(void) {
  atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
}

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
int __real_posix_memalign(void **out, size_t align, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
int __wrap_posix_memalign(void **out, size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size) {
  count_alloc();
  return __real_malloc(size);
}
void *__wrap_calloc(size_t n, size_t size) {
  count_alloc();
  return __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t size) {
  count_alloc();
  return __real_realloc(p, size);
}
void __wrap_free(void *p) {
  if (p != NULL)
    atomic_fetch_add_explicit(&free_calls, 1, memory_order_relaxed);
  __real_free(p);
}
int __wrap_posix_memalign(void **out, size_t align, size_t size) {
  count_alloc();
  return __real_posix_memalign(out, align, size);
}
void *__wrap_aligned_alloc(size_t align, size_t size) {
  count_alloc();
  return __real_aligned_alloc(align, size);
}
char *__wrap_strdup(const char *s) {
  count_alloc();
  return __real_strdup(s);
}
char *__wrap_strndup(const char *s, size_t n) {
  count_alloc();
  return __real_strndup(s, n);
}

typedef struct {
  unsigned long allocs, frees;
} counts_t;

static counts_t counts(void) {
  counts_t c = {atomic_load(&alloc_calls), atomic_load(&free_calls)};
  return c;
}

/* Stop here unless the wrappers see allocations: skipped under ASan, a
 * failure otherwise. */
static void counting_unavailable(const char *what) {
  if (UNDER_ASAN)
    cr_skip_test("allocation counting unavailable under AddressSanitizer "
                 "(%s): --wrap=malloc does not see the calls, nothing checked",
                 what);
  cr_assert_fail("the --wrap=malloc wrappers do not count allocations (%s): is "
          "test_events_alloc linked with -Wl,--wrap=malloc?",
          what);
}

static void *volatile probe_sink;

/* A deliberate malloc/free in this file must be counted. */
static void require_counting(void) {
  counts_t a = counts();
  probe_sink = malloc(24);
  free(probe_sink);
  probe_sink = NULL;
  counts_t b = counts();
  if (b.allocs != a.allocs + 1 || b.frees != a.frees + 1)
    counting_unavailable("a malloc in the test was not counted");
}

/* The library's own calls must be counted too: `before` was taken before
 * the test registered its first listener on a fresh emitter, which
 * allocates (eventide/events.h: "registering a listener allocates"). */
static void require_library_counted(counts_t before) {
  if (counts().allocs == before.allocs)
    counting_unavailable("registering listeners allocated nothing visible");
}

/* ---- listeners: record, never assert (they run between snapshots) ---- */

static unsigned long calls;
static int64_t int_sum;
static unsigned long ptr_seen, err_seen, none_seen, bad_args;
static int ptr_target;

static void listener(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                     void *arg) {
  (void)e;
  (void)arg;
  calls++;
  if (nargs == 0) {
    none_seen++;
    return;
  }
  switch (args[0].kind) {
  case EVT_VAL_INT:
    int_sum += args[0].u.i;
    break;
  case EVT_VAL_PTR:
    if (args[0].u.p == &ptr_target)
      ptr_seen++;
    else
      bad_args++;
    break;
  case EVT_VAL_ERROR:
    if (args[0].u.err != NULL && args[0].u.err->code == EVT_EIO)
      err_seen++;
    else
      bad_args++;
    break;
  default:
    bad_args++;
  }
}

static void reset_records(void) {
  calls = 0;
  int_sum = 0;
  ptr_seen = err_seen = none_seen = bad_args = 0;
}

/* Register `n` distinct listeners (same function, arg 0..n-1). */
static void add_listeners(evt_emitter_t *e, evt_event_t ev, unsigned n) {
  for (uintptr_t k = 0; k < n; k++)
    cr_assert_eq(evt_emitter_on(e, ev, listener, (void *)k), 0);
}

#define ROUNDS 10000

/* 0, 1, 3 and 10 listeners on several names of one emitter (plus an
 * emitter with no listeners at all); int, ptr, error, no and several
 * arguments; an 'error' listener and an errorMonitor listener. */
Test(events_alloc, emit_never_allocates, .timeout = 30) {
  require_counting();
  static evt_event_t zero, one, three, ten, never;
  zero = evt_event("alloc.zero");
  one = evt_event("alloc.one");
  three = evt_event("alloc.three");
  ten = evt_event("alloc.ten");
  never = evt_event("alloc.never");
  cr_assert(zero && one && three && ten && never);

  evt_emitter_t e, empty;
  evt_emitter_init(&e);
  evt_emitter_init(&empty);
  counts_t before_setup = counts();
  add_listeners(&e, one, 1);
  add_listeners(&e, three, 3);
  add_listeners(&e, ten, 10);
  /* "zero" had listeners once: its entry may stay, empty. */
  add_listeners(&e, zero, 2);
  cr_assert_eq(evt_emitter_remove_all(&e, zero), 0);
  cr_assert_eq(evt_emitter_on(&e, EVT_EVENT_ERROR, listener, NULL), 0);
  cr_assert_eq(evt_emitter_on(&e, EVT_EVENT_ERROR_MONITOR, listener, NULL),
               0);
  require_library_counted(before_setup);

  evt_value_t err = evt_value_errorf(EVT_EIO, "disk on fire");
  cr_assert_eq(err.kind, EVT_VAL_ERROR);
  evt_value_t ints[1], ptrs[1], three_args[3];
  ptrs[0] = evt_value_ptr(&ptr_target);
  three_args[0] = evt_value_int(1);
  three_args[1] = evt_value_ptr(&ptr_target);
  three_args[2] = err; /* borrowed by the emits, released below */
  evt_event_t names[] = {zero, one, three, ten, never};
  const unsigned listeners_of[] = {0, 1, 3, 10, 0};
  reset_records();
  long heard = 0, unheard = 0;

  counts_t a = counts();
  for (int64_t i = 0; i < ROUNDS; i++) {
    ints[0] = evt_value_int(i);
    for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
      int r[4] = {evt_emit(&e, names[n], ints, 1),
                  evt_emit(&e, names[n], ptrs, 1),
                  evt_emit(&e, names[n], &err, 1),
                  evt_emit(&e, names[n], NULL, 0)};
      for (int k = 0; k < 4; k++)
        r[k] == 1 ? heard++ : unheard++;
    }
    heard += evt_emit(&e, three, three_args, 3);
    heard += evt_emit(&e, EVT_EVENT_ERROR, &err, 1);
    unheard += evt_emit(&empty, one, ints, 1) == 0;
    unheard += evt_emit(&empty, never, NULL, 0) == 0;
  }
  counts_t b = counts();

  cr_assert_eq(b.allocs, a.allocs,
               "%lu allocations during %d rounds of emits",
               b.allocs - a.allocs, ROUNDS);
  cr_assert_eq(b.frees, a.frees, "%lu frees during %d rounds of emits",
               b.frees - a.frees, ROUNDS);
  /* The emits did their work. */
  cr_assert_eq(heard, (long)ROUNDS * (3 * 4 + 2));
  cr_assert_eq(unheard, (long)ROUNDS * (2 * 4 + 2));
  unsigned per_round = 0;
  for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
    per_round += listeners_of[n];
  cr_assert_eq(int_sum, (int64_t)per_round * ROUNDS * (ROUNDS - 1) / 2 +
                            3 * ROUNDS /* the 3-argument emits: 1 each */);
  cr_assert_eq(ptr_seen, (unsigned long)per_round * ROUNDS);
  /* error args: per_round listeners + 'error' and its monitor. */
  cr_assert_eq(err_seen, (unsigned long)(per_round + 2) * ROUNDS);
  cr_assert_eq(none_seen, (unsigned long)per_round * ROUNDS);
  cr_assert_eq(bad_args, 0);

  evt_value_release(&err);
  evt_emitter_destroy(&e);
  evt_emitter_destroy(&empty);
}

/* once-listeners (alone, mixed with plain ones, prepended) on several
 * names of one emitter, registered by once_setup. */
static evt_event_t only_once, mixed, prepended;

static void once_setup(evt_emitter_t *e) {
  only_once = evt_event("alloc.only_once");
  mixed = evt_event("alloc.mixed");
  prepended = evt_event("alloc.prepended");
  cr_assert(only_once && mixed && prepended);
  evt_emitter_init(e);
  counts_t before_setup = counts();
  cr_assert_eq(evt_emitter_once(e, only_once, listener, (void *)1), 0);
  add_listeners(e, mixed, 3);
  for (uintptr_t k = 10; k < 13; k++)
    cr_assert_eq(evt_emitter_once(e, mixed, listener, (void *)k), 0);
  add_listeners(e, prepended, 1);
  cr_assert_eq(evt_emitter_prepend_once(e, prepended, listener, (void *)7),
               0);
  cr_assert_eq(evt_emitter_once(e, prepended, listener, (void *)8), 0);
  require_library_counted(before_setup);
}

/* One emit of each name, the one that calls and removes its
 * once-listeners. */
static long emit_each(evt_emitter_t *e, const evt_value_t *arg) {
  return evt_emit(e, only_once, arg, 1) + evt_emit(e, mixed, arg, 1) +
         evt_emit(e, prepended, arg, 1);
}

static void once_check_left(evt_emitter_t *e) {
  cr_assert_eq(evt_emitter_listener_count(e, only_once, NULL, NULL), 0);
  cr_assert_eq(evt_emitter_listener_count(e, mixed, NULL, NULL), 3);
  cr_assert_eq(evt_emitter_listener_count(e, prepended, NULL, NULL), 1);
}

/* The emits that fire once-listeners (removing them just before the call)
 * do not allocate either. */
Test(events_alloc, firing_once_listeners_does_not_allocate, .timeout = 30) {
  require_counting();
  evt_emitter_t e;
  once_setup(&e);
  evt_value_t v = evt_value_int(5);
  reset_records();

  counts_t a = counts();
  long heard = emit_each(&e, &v);
  counts_t b = counts();

  cr_assert_eq(b.allocs, a.allocs,
               "%lu allocations in the emits that fire once-listeners "
               "(3 names: once only, once + on, prepend_once + on + once)",
               b.allocs - a.allocs);
  cr_assert_eq(heard, 3);
  cr_assert_eq(calls, 1 + (3 + 3) + (1 + 2));
  cr_assert_eq(int_sum, 5 * 10);
  once_check_left(&e);
  evt_emitter_destroy(&e);
}

/* After once-listeners have fired, the emits of the names they were on
 * (now with plain listeners only, or none) do not allocate. */
Test(events_alloc, emits_after_once_listeners_do_not_allocate,
     .timeout = 30) {
  require_counting();
  evt_emitter_t e;
  once_setup(&e);
  evt_value_t err = evt_value_errorf(EVT_EIO, "once");
  evt_value_t args[3] = {evt_value_int(5), evt_value_ptr(&ptr_target), err};
  cr_assert_eq(emit_each(&e, &args[0]), 3); /* fires them, not measured */
  reset_records();
  long heard = 0;

  counts_t a = counts();
  for (int i = 0; i < ROUNDS; i++)
    heard += emit_each(&e, &args[i % 3]);
  counts_t b = counts();

  cr_assert_eq(b.allocs, a.allocs,
               "%lu allocations emitting after once-listeners fired",
               b.allocs - a.allocs);
  cr_assert_eq(b.frees, a.frees,
               "%lu frees emitting after once-listeners fired",
               b.frees - a.frees);
  cr_assert_eq(heard, 2L * ROUNDS);
  cr_assert_eq(calls, (3 + 1) * (unsigned long)ROUNDS);
  cr_assert_eq(bad_args, 0);
  once_check_left(&e);
  evt_value_release(&err);
  evt_emitter_destroy(&e);
}

/* An emit from inside a listener: of another name, and of the same name
 * (re-entrant, one level deep). */
static evt_event_t outer_ev, inner_ev;
static int depth;

static void reemit(evt_emitter_t *e, const evt_value_t *args, size_t nargs,
                   void *arg) {
  (void)arg;
  calls++;
  if (depth++ == 0) {
    evt_emit(e, inner_ev, args, nargs);
    evt_emit(e, outer_ev, args, nargs);
  }
  depth--;
}

Test(events_alloc, nested_emits_do_not_allocate, .timeout = 30) {
  require_counting();
  outer_ev = evt_event("alloc.outer");
  inner_ev = evt_event("alloc.inner");
  cr_assert(outer_ev && inner_ev);

  evt_emitter_t e;
  evt_emitter_init(&e);
  counts_t before_setup = counts();
  cr_assert_eq(evt_emitter_on(&e, outer_ev, reemit, NULL), 0);
  cr_assert_eq(evt_emitter_on(&e, outer_ev, listener, NULL), 0);
  add_listeners(&e, inner_ev, 3);
  require_library_counted(before_setup);
  reset_records();

  counts_t a = counts();
  for (int64_t i = 0; i < ROUNDS; i++) {
    evt_value_t v = evt_value_int(i);
    evt_emit(&e, outer_ev, &v, 1);
  }
  counts_t b = counts();

  cr_assert_eq(b.allocs, a.allocs, "%lu allocations during nested emits",
               b.allocs - a.allocs);
  cr_assert_eq(b.frees, a.frees, "%lu frees during nested emits",
               b.frees - a.frees);
  /* Per round: outer (2) + inner (3) + re-entered outer (2). */
  cr_assert_eq(calls, 7UL * ROUNDS);
  cr_assert_eq(bad_args, 0);
  evt_emitter_destroy(&e);
}

/* An 'error' nobody listens to, handed to the uncaught-error hook. */
static unsigned long hook_calls;

static void hook(evt_emitter_t *e, const evt_value_t *error, void *arg) {
  (void)e;
  (void)arg;
  if (error->kind == EVT_VAL_ERROR && error->u.err->code == EVT_EIO)
    hook_calls++;
}

Test(events_alloc, unheard_error_to_hook_does_not_allocate, .timeout = 30) {
  require_counting();
  evt_emitter_t e;
  evt_emitter_init(&e);
  counts_t before_setup = counts();
  /* Listeners for other names only, and an errorMonitor. */
  add_listeners(&e, evt_event("alloc.data"), 1);
  cr_assert_eq(evt_emitter_on(&e, EVT_EVENT_ERROR_MONITOR, listener, NULL),
               0);
  require_library_counted(before_setup);
  evt_on_uncaught_error(hook, NULL);
  evt_value_t err = evt_value_errorf(EVT_EIO, "nobody listens");
  reset_records();
  long ret = 0;

  counts_t a = counts();
  for (int i = 0; i < ROUNDS; i++)
    ret += evt_emit(&e, EVT_EVENT_ERROR, &err, 1);
  counts_t b = counts();

  evt_on_uncaught_error(NULL, NULL);
  cr_assert_eq(b.allocs, a.allocs,
               "%lu allocations emitting unheard errors to the hook",
               b.allocs - a.allocs);
  cr_assert_eq(ret, 0);
  cr_assert_eq(hook_calls, ROUNDS);
  cr_assert_eq(err_seen, ROUNDS); /* the monitor */
  evt_value_release(&err);
  evt_emitter_destroy(&e);
}

/* The converse: registering does allocate (which is what makes the
 * counting above meaningful), but a bounded amount per listener — the
 * listener arrays grow, they are not copied on every registration. */
#define MANY 1000

Test(events_alloc, registering_allocates_a_bounded_amount, .timeout = 30) {
  require_counting();
  evt_event_t ev = evt_event("alloc.many");
  evt_event_t ev2 = evt_event("alloc.many2");
  cr_assert(ev && ev2);
  evt_emitter_t e;
  evt_emitter_init(&e);
  cr_assert_eq(evt_emitter_set_max_listeners(&e, 0), 0); /* no warning */

  counts_t a = counts();
  cr_assert_eq(evt_emitter_on(&e, ev, listener, NULL), 0);
  counts_t b = counts();
  if (b.allocs == a.allocs)
    counting_unavailable("a first listener allocated nothing visible");

  for (uintptr_t k = 1; k < MANY; k++) {
    cr_assert_eq(evt_emitter_on(&e, ev, listener, (void *)k), 0);
    cr_assert_eq(evt_emitter_once(&e, ev2, listener, (void *)k), 0);
  }
  counts_t c = counts();
  cr_assert_leq(c.allocs - b.allocs, 2UL * 2 * (MANY - 1),
                "%lu allocations for %d registrations", c.allocs - b.allocs,
                2 * (MANY - 1));

  /* Once grown, emitting to the many listeners still allocates nothing
   * (firing once-listeners is the business of the tests above). */
  evt_value_t v = evt_value_int(1);
  reset_records();
  counts_t d = counts();
  for (int i = 0; i < 100; i++)
    evt_emit(&e, ev, &v, 1);
  counts_t f = counts();
  cr_assert_eq(f.allocs, d.allocs, "%lu allocations emitting to %d listeners",
               f.allocs - d.allocs, MANY);
  cr_assert_eq(calls, 100UL * MANY);
  cr_assert_eq(evt_emitter_listener_count(&e, ev2, NULL, NULL), MANY - 1);
  evt_emitter_destroy(&e);
}
