/*
 * test_tty_resize.c — evt_tty_t's 'resize' watch: the new size, only on a
 * change, stop and restart (also inside the callback), no loop kept
 * alive, close while watching, every tty on every loop, and bad input.
 */
#include "tty_util.h"

/* ---- 'resize' ----
 * The test's pty is not its controlling terminal, so setting the size on
 * the master sends no SIGWINCH to this process: the tests raise it, as
 * the terminal would. raise() runs the handler before it returns, so the
 * next poll phase finds the signal. The watch keeps no loop alive, so a
 * referenced idle handle does while a test runs single iterations (an
 * idle handle also keeps the poll phase from blocking). */

static void set_size(int master, int cols, int rows) {
  struct winsize ws = {.ws_row = (unsigned short)rows,
                       .ws_col = (unsigned short)cols};
  cr_assert_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
}

static void idle_noop(evt_idle_t *h) { (void)h; }

static void keep_alive(evt_loop_t *l, evt_idle_t *keep) {
  cr_assert_eq(evt_idle_init(l, keep), 0);
  cr_assert_eq(evt_idle_start(keep, idle_noop), 0);
}

/* One SIGWINCH, then one iteration of each loop given. */
static void winch_and_run(evt_loop_t *a, evt_loop_t *b) {
  cr_assert_eq(raise(SIGWINCH), 0);
  cr_assert_neq(evt_run(a, EVT_RUN_NOWAIT), 0);
  if (b != NULL)
    cr_assert_neq(evt_run(b, EVT_RUN_NOWAIT), 0);
}

/* What resize callbacks saw: per handle, through handle->data. */
typedef struct {
  int calls, width, height;
} resize_seen_t;

static void on_resize(evt_tty_t *t, int w, int h) {
  resize_seen_t *seen = t->data;
  seen->calls++;
  seen->width = w;
  seen->height = h;
  int gw = 0, gh = 0;
  cr_assert_eq(evt_tty_get_winsize(t, &gw, &gh), 0);
  cr_assert_eq(gw, w, "the callback gets the size the terminal has now");
  cr_assert_eq(gh, h);
}

static void never_resize(evt_tty_t *t, int w, int h) {
  (void)t;
  (void)w;
  (void)h;
  cr_assert_fail("this resize callback must not run");
}

/* The common set-up: a pty at 80x24 whose slave is a tty handle on the
 * loop, its resize callbacks counted in `seen`, and an idle handle that
 * keeps the loop running. Lives on the test's stack. */
typedef struct {
  int master, slave;
  evt_tty_t tty;
  evt_idle_t keep;
  resize_seen_t seen;
} resize_rig_t;

static void rig_open(resize_rig_t *r) {
  memset(r, 0, sizeof(*r));
  open_pty(&r->master, &r->slave);
  set_size(r->master, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_tty_init(&loop, &r->tty, r->slave, 1), 0);
  r->tty.data = &r->seen;
  keep_alive(&loop, &r->keep);
}

static void rig_close(resize_rig_t *r) {
  evt_close((evt_handle_t *)&r->keep, NULL);
  evt_close((evt_handle_t *)&r->tty, NULL);
  run_and_close();
  close(r->master);
}

static void (*disposition(int signum))(int) {
  struct sigaction sa;
  cr_assert_eq(sigaction(signum, NULL, &sa), 0);
  return sa.sa_handler;
}

Test(tty, resize_callback_gets_new_size, .timeout = 10) {
  int fds = count_fds();
  resize_rig_t r;
  rig_open(&r);
  cr_assert_eq(evt_tty_resize_start(&r.tty, on_resize), 0);
  cr_assert_not(evt_is_active((evt_handle_t *)&r.tty),
                "watching does not make the handle active");
  set_size(r.master, 100, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.width, 100);
  cr_assert_eq(r.seen.height, 30);
  /* Two resizes before the loop looks: one callback, the latest size. */
  set_size(r.master, 90, 31);
  cr_assert_eq(raise(SIGWINCH), 0);
  set_size(r.master, 91, 32);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 2);
  cr_assert_eq(r.seen.width, 91);
  cr_assert_eq(r.seen.height, 32);
  rig_close(&r);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, resize_only_when_size_changed, .timeout = 10) {
  resize_rig_t r;
  rig_open(&r);
  cr_assert_eq(evt_tty_resize_start(&r.tty, on_resize), 0);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 0, "the size at start is the baseline");
  set_size(r.master, 80, 25); /* rows only */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.height, 25);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "same size again");
  set_size(r.master, 81, 25);
  set_size(r.master, 80, 25); /* and back before the loop looked */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "compared with the last size seen");
  set_size(r.master, 81, 25); /* columns only */
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 2);
  cr_assert_eq(r.seen.width, 81);
  rig_close(&r);
}

static void stop_self(evt_tty_t *t, int w, int h) {
  on_resize(t, w, h);
  cr_assert_eq(evt_tty_resize_stop(t), 0);
}

Test(tty, resize_stop_restart_and_stop_inside_callback, .timeout = 10) {
  resize_rig_t r;
  rig_open(&r);
  evt_tty_t *t = &r.tty;
  cr_assert_eq(evt_tty_resize_stop(t), 0, "not watching: a no-op");
  cr_assert_eq(evt_tty_resize_start(t, never_resize), 0);
  cr_assert_neq(disposition(SIGWINCH), SIG_DFL);
  cr_assert_eq(evt_tty_resize_stop(t), 0);
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "nobody watches any more");
  set_size(r.master, 100, 30);
  winch_and_run(&loop, NULL);
  /* Started again: the baseline is the size now, not the old one. */
  cr_assert_eq(evt_tty_resize_start(t, never_resize), 0);
  winch_and_run(&loop, NULL);
  /* Starting a watching handle replaces its callback. */
  cr_assert_eq(evt_tty_resize_start(t, stop_self), 0);
  set_size(r.master, 101, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1);
  cr_assert_eq(r.seen.width, 101);
  set_size(r.master, 102, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(r.seen.calls, 1, "stopped itself inside the callback");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL);
  rig_close(&r);
}

static void count_handle(evt_handle_t *h, void *arg) {
  (void)h;
  (*(int *)arg)++;
}

Test(tty, resize_watch_does_not_keep_loop_alive, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  set_size(m, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  resize_seen_t seen = {0};
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  t.data = &seen;
  cr_assert_eq(evt_tty_resize_start(&t, on_resize), 0);
  cr_assert_not(evt_loop_alive(&loop), "Node's signal listeners are unref'd");
  cr_assert_eq(evt_run(&loop, EVT_RUN_DEFAULT), 0, "returns, not waits");
  int handles = 0;
  evt_walk(&loop, count_handle, &handles);
  cr_assert_eq(handles, 1, "the internal signal handle is not walked");
  /* Still watching whenever the loop runs for other reasons. */
  evt_idle_t keep;
  keep_alive(&loop, &keep);
  set_size(m, 100, 30);
  winch_and_run(&loop, NULL);
  cr_assert_eq(seen.calls, 1);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_close((evt_handle_t *)&t, NULL);
  run_and_close();
  close(m);
}

static void trace_close(evt_handle_t *h) { trace_add(h->data); }

Test(tty, resize_close_while_watching_is_clean, .timeout = 10) {
  int fds = count_fds();
  int m1, s1, m2, s2;
  open_pty(&m1, &s1);
  open_pty(&m2, &s2);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t a, b;
  evt_idle_t idle;
  cr_assert_eq(evt_tty_init(&loop, &a, s1, 1), 0);
  cr_assert_eq(evt_tty_init(&loop, &b, s2, 1), 0);
  keep_alive(&loop, &idle);
  a.data = "a";
  b.data = "b";
  idle.data = "idle";
  cr_assert_eq(evt_tty_resize_start(&a, never_resize), 0);
  evt_close((evt_handle_t *)&a, trace_close);
  evt_close((evt_handle_t *)&idle, trace_close);
  evt_close((evt_handle_t *)&b, trace_close);
  cr_assert_eq(evt_tty_resize_start(&a, never_resize), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_stop(&a), EVT_EINVAL);
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "closing ended the watch");
  set_size(m1, 100, 30);
  cr_assert_eq(raise(SIGWINCH), 0); /* harmless: SIG_DFL ignores it */
  run_and_close();
  TRACE_IS("b idle a"); /* the close phase's usual LIFO order */
  close(m1);
  close(m2);
  cr_assert_eq(count_fds(), fds);
}

static evt_idle_t close_keep;

static void close_from_resize(evt_tty_t *t, int w, int h) {
  (void)w;
  (void)h;
  trace_add("resize");
  evt_close((evt_handle_t *)t, trace_close);
  evt_close((evt_handle_t *)&close_keep, NULL);
}

Test(tty, resize_callback_may_close_its_tty, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  set_size(m, 80, 24);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  t.data = "close";
  keep_alive(&loop, &close_keep);
  cr_assert_eq(evt_tty_resize_start(&t, close_from_resize), 0);
  set_size(m, 100, 30);
  cr_assert_eq(raise(SIGWINCH), 0);
  run_and_close();
  TRACE_IS("resize close");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL);
  close(m);
}

/* process.stdout and process.stderr on one terminal, another terminal,
 * and a loop on each: every watching handle gets its own callback. */
Test(tty, resize_every_tty_on_every_loop, .timeout = 10) {
  int fds = count_fds();
  int m1, s1, m2, s2;
  open_pty(&m1, &s1);
  open_pty(&m2, &s2);
  int s1b = open(ptsname(m1), O_RDWR | O_NOCTTY | O_CLOEXEC);
  cr_assert_geq(s1b, 0);
  set_size(m1, 80, 24);
  set_size(m2, 80, 24);
  evt_loop_t loop2;
  cr_assert_eq(evt_loop_init(&loop), 0);
  cr_assert_eq(evt_loop_init(&loop2), 0);
  evt_tty_t a, b, c;
  evt_idle_t keep, keep2;
  resize_seen_t sa = {0}, sb = {0}, sc = {0};
  cr_assert_eq(evt_tty_init(&loop, &a, s1, 1), 0);
  cr_assert_eq(evt_tty_init(&loop, &b, s2, 1), 0);
  cr_assert_eq(evt_tty_init(&loop2, &c, s1b, 1), 0);
  a.data = &sa;
  b.data = &sb;
  c.data = &sc;
  keep_alive(&loop, &keep);
  keep_alive(&loop2, &keep2);
  cr_assert_eq(evt_tty_resize_start(&a, on_resize), 0);
  cr_assert_eq(evt_tty_resize_start(&b, on_resize), 0);
  cr_assert_eq(evt_tty_resize_start(&c, on_resize), 0);
  set_size(m1, 100, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 1);
  cr_assert_eq(sb.calls, 0, "the other terminal kept its size");
  cr_assert_eq(sc.calls, 1, "same terminal, other loop");
  cr_assert_eq(sc.width, 100);
  set_size(m2, 70, 20);
  set_size(m1, 101, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 2);
  cr_assert_eq(sb.calls, 1);
  cr_assert_eq(sb.width, 70);
  cr_assert_eq(sb.height, 20);
  cr_assert_eq(sc.calls, 2);
  /* One loop stops watching; the other still hears the signal. */
  cr_assert_eq(evt_tty_resize_stop(&a), 0);
  cr_assert_eq(evt_tty_resize_stop(&b), 0);
  set_size(m1, 102, 30);
  winch_and_run(&loop, &loop2);
  cr_assert_eq(sa.calls, 2);
  cr_assert_eq(sc.calls, 3);
  evt_close((evt_handle_t *)&keep, NULL);
  evt_close((evt_handle_t *)&keep2, NULL);
  evt_close((evt_handle_t *)&a, NULL);
  evt_close((evt_handle_t *)&b, NULL);
  evt_close((evt_handle_t *)&c, NULL);
  finish_loop(&loop2);
  run_and_close();
  close(m1);
  close(m2);
  cr_assert_eq(count_fds(), fds);
}

Test(tty, resize_bad_input, .timeout = 10) {
  int m, s;
  open_pty(&m, &s);
  cr_assert_eq(evt_loop_init(&loop), 0);
  evt_tty_t t;
  evt_idle_t idle;
  cr_assert_eq(evt_tty_init(&loop, &t, s, 1), 0);
  cr_assert_eq(evt_idle_init(&loop, &idle), 0);
  cr_assert_eq(evt_tty_resize_start(NULL, on_resize), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_start(&t, NULL), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_stop(NULL), EVT_EINVAL);
  cr_assert_eq(evt_tty_resize_start((evt_tty_t *)&idle, on_resize),
               EVT_EINVAL, "not a tty handle");
  cr_assert_eq(disposition(SIGWINCH), SIG_DFL, "nothing was started");
  evt_close((evt_handle_t *)&t, NULL);
  evt_close((evt_handle_t *)&idle, NULL);
  cr_assert_eq(evt_tty_resize_start(&t, on_resize), EVT_EINVAL, "closing");
  cr_assert_eq(evt_tty_resize_stop(&t), EVT_EINVAL, "closing");
  run_and_close();
  close(m);
}
