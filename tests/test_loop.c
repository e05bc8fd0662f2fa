/*
 * test_loop.c: the event loop's timers on a fake clock (order, the delay a
 * callback returns, removal from inside a callback), file descriptor
 * readiness on real pipes, and signals arriving as callbacks.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "ledsign/loop.h"

/* A fake monotonic clock: a wait with nothing ready jumps to its timeout. */
struct fake {
	int64_t now;
	int waits;
	int last_timeout;
};

static int64_t fake_now(void *user)
{
	return ((struct fake *)user)->now;
}

static int fake_wait(void *user, struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct fake *f = user;
	int r = poll(fds, n, 0);

	f->waits++;
	f->last_timeout = timeout_ms;
	if (r == 0 && timeout_ms > 0)
		f->now += timeout_ms;
	return r;
}

static struct ls_loop *fake_loop(struct fake *f)
{
	struct ls_loop_clock c = {fake_now, fake_wait, f};
	struct ls_loop *l;

	*f = (struct fake){.now = 1000};
	l = ls_loop_new(&c);
	ASSERT(l);
	return l;
}

/* A timer that writes its name and the time into a log. */
struct rec {
	char log[512];
	struct fake *clock;
	int64_t every; /* returned delay */
	int runs, max_runs;
	struct ls_loop *loop;
	uint64_t victim; /* a timer to remove when this one runs */
	const char *name;
	struct rec *shared; /* where to log (NULL: own log) */
};

static void note(struct rec *r)
{
	struct rec *to = r->shared ? r->shared : r;
	size_t len = strlen(to->log);

	snprintf(to->log + len, sizeof(to->log) - len, "%s%s@%lld", len ? " " : "", r->name,
		 (long long)(r->clock->now - 1000));
}

static int64_t rec_fire(struct ls_loop *l, void *user)
{
	struct rec *r = user;

	note(r);
	r->runs++;
	if (r->victim)
		ls_loop_timer_del(l, r->victim);
	if (r->max_runs && r->runs >= r->max_runs)
		return LS_LOOP_STOP;
	return r->every;
}

static void run_until(struct ls_loop *l, struct fake *f, int64_t t)
{
	while (f->now - 1000 < t)
		ASSERT(ls_loop_once(l, t - (f->now - 1000)) >= 0);
}

TEST(timers_run_in_deadline_order_and_ties_in_scheduling_order)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec log = {.clock = &f};
	struct rec a = {.clock = &f, .name = "a", .max_runs = 1, .shared = &log};
	struct rec b = a, c = a, d = a;

	b.name = "b";
	c.name = "c";
	d.name = "d";
	ls_loop_timer_add(l, 30, rec_fire, &a);
	ls_loop_timer_add(l, 10, rec_fire, &b);
	ls_loop_timer_add(l, 30, rec_fire, &c);
	ls_loop_timer_add(l, 20, rec_fire, &d);
	run_until(l, &f, 100);
	ASSERT_EQ_STR(log.log, "b@10 d@20 a@30 c@30");
	ASSERT_EQ_INT(ls_loop_timers(l), 0);
	ls_loop_free(l);
}

TEST(a_callback_returns_its_next_delay_and_stop_removes_it)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec r = {.clock = &f, .name = "t", .every = 25, .max_runs = 4};

	ls_loop_timer_add(l, 0, rec_fire, &r);
	run_until(l, &f, 200);
	ASSERT_EQ_STR(r.log, "t@0 t@25 t@50 t@75");
	ASSERT_EQ_INT(ls_loop_timers(l), 0);
	ls_loop_free(l);
}

TEST(the_loop_sleeps_exactly_until_the_earliest_timer)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec a = {.clock = &f, .name = "a", .every = 500};
	struct rec b = {.clock = &f, .name = "b", .every = 70};

	ls_loop_timer_add(l, 500, rec_fire, &a);
	ls_loop_timer_add(l, 70, rec_fire, &b);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(f.last_timeout, 70);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(f.last_timeout, 70);
	ASSERT_EQ_INT(f.now - 1000, 140);
	ASSERT_EQ_INT(ls_loop_once(l, 5), 0); /* a shorter limit wins, nothing due */
	ASSERT_EQ_INT(f.last_timeout, 5);
	ls_loop_free(l);
}

/* Returns a deadline already past, as a late periodic job does. */
static int64_t late(struct ls_loop *l, void *user)
{
	int *runs = user;

	(void)l;
	return ++*runs < 3 ? -1 : LS_LOOP_STOP;
}

TEST(a_negative_delay_is_due_at_once_not_a_removal)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	int runs = 0;

	ls_loop_timer_add(l, 0, late, &runs);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(ls_loop_timers(l), 1);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(f.last_timeout, 0);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(runs, 3);
	ASSERT_EQ_INT(ls_loop_timers(l), 0);
	ls_loop_free(l);
}

TEST(a_zero_delay_runs_once_per_pass_not_in_a_busy_loop)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec r = {.clock = &f, .name = "z", .every = 0};

	ls_loop_timer_add(l, 0, rec_fire, &r);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(f.last_timeout, 0);
	ASSERT_EQ_INT(r.runs, 2);
	ls_loop_free(l);
}

TEST(moving_a_timer_reschedules_it_from_now)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec r = {.clock = &f, .name = "m", .max_runs = 1};
	uint64_t id = ls_loop_timer_add(l, 1000, rec_fire, &r);

	run_until(l, &f, 100);
	ASSERT_EQ_INT(ls_loop_timer_move(l, id, 0), 0);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_STR(r.log, "m@100");
	ASSERT_EQ_INT(ls_loop_timer_move(l, id, 0), -1); /* gone after LS_LOOP_STOP */
	ls_loop_free(l);
}

TEST(a_timer_removed_by_an_earlier_callback_in_the_same_pass_does_not_run)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec log = {.clock = &f};
	struct rec a = {.clock = &f, .name = "a", .every = 10, .shared = &log};
	struct rec b = {.clock = &f, .name = "b", .every = 10, .shared = &log};

	ls_loop_timer_add(l, 10, rec_fire, &a);
	b.victim = 0;
	a.victim = ls_loop_timer_add(l, 10, rec_fire, &b); /* both due at 10; a runs first */
	run_until(l, &f, 35);
	ASSERT_EQ_STR(log.log, "a@10 a@20 a@30");
	ASSERT_EQ_INT(b.runs, 0);
	ls_loop_free(l);
}

/* Removes itself, then asks to run again in 1 ms: the removal wins. */
struct self {
	uint64_t id;
	int runs;
};

static int64_t remove_self(struct ls_loop *l, void *user)
{
	struct self *s = user;

	ls_loop_timer_del(l, s->id);
	s->runs++;
	return 1;
}

TEST(a_timer_removing_itself_is_gone_whatever_it_returns)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct self s = {0};

	s.id = ls_loop_timer_add(l, 5, remove_self, &s);
	run_until(l, &f, 50);
	ASSERT_EQ_INT(s.runs, 1);
	ASSERT_EQ_INT(ls_loop_timers(l), 0);
	ls_loop_free(l);
}

/* Adds a timer due at once from inside a callback. */
struct adder {
	struct rec child;
	int added;
};

static int64_t add_child(struct ls_loop *l, void *user)
{
	struct adder *a = user;

	/* Grow the array past its first allocation while the loop scans it. */
	for (int i = 0; i < 20; i++)
		ls_loop_timer_add(l, 0, rec_fire, &a->child);
	a->added += 20;
	return LS_LOOP_STOP;
}

TEST(timers_added_inside_a_callback_wait_for_the_next_pass)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct adder a = {.child = {.clock = &f, .name = "c", .max_runs = 1}};

	ls_loop_timer_add(l, 0, add_child, &a);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(a.child.runs, 0);
	ASSERT_EQ_INT(ls_loop_timers(l), 20);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 20);
	ASSERT_EQ_INT(a.child.runs, 20);
	ASSERT_EQ_INT(ls_loop_timers(l), 0);
	ls_loop_free(l);
}

/* ---- file descriptors ---- */

struct reader {
	int fd_seen, revents, calls;
	char got[32];
	int other; /* an fd to stop watching when called */
};

static void on_readable(struct ls_loop *l, int fd, int revents, void *user)
{
	struct reader *r = user;
	ssize_t n = read(fd, r->got, sizeof(r->got) - 1);

	r->got[n > 0 ? n : 0] = '\0';
	r->fd_seen = fd;
	r->revents = revents;
	r->calls++;
	if (r->other >= 0)
		ls_loop_fd_del(l, r->other);
}

TEST(a_readable_fd_wakes_the_loop_before_its_timers)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct rec t = {.clock = &f, .name = "t", .every = 1000};
	struct reader r = {.other = -1};
	int p[2];

	ASSERT(!pipe(p));
	ASSERT_EQ_INT(ls_loop_fd_set(l, p[0], POLLIN, on_readable, &r), 0);
	ls_loop_timer_add(l, 1000, rec_fire, &t);
	ASSERT(write(p[1], "hi", 2) == 2);
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1);
	ASSERT_EQ_INT(r.calls, 1);
	ASSERT_EQ_INT(r.fd_seen, p[0]);
	ASSERT(r.revents & POLLIN);
	ASSERT_EQ_STR(r.got, "hi");
	ASSERT_EQ_INT(t.runs, 0);
	ASSERT_EQ_INT(f.now - 1000, 0);	       /* the write woke it at once */
	ASSERT_EQ_INT(ls_loop_once(l, -1), 1); /* nothing to read: it slept to the timer */
	ASSERT_EQ_INT(r.calls, 1);
	ASSERT_EQ_STR(t.log, "t@1000");
	ls_loop_fd_del(l, p[0]);
	ASSERT_EQ_INT(ls_loop_fds(l), 0);
	close(p[0]);
	close(p[1]);
	ls_loop_free(l);
}

TEST(an_fd_removed_by_another_fds_callback_gets_no_call_in_that_pass)
{
	struct fake f;
	struct ls_loop *l = fake_loop(&f);
	struct reader r1 = {.other = -1}, r2 = {.other = -1};
	int p[2], q[2];

	ASSERT(!pipe(p) && !pipe(q));
	ls_loop_fd_set(l, p[0], POLLIN, on_readable, &r1);
	ls_loop_fd_set(l, q[0], POLLIN, on_readable, &r2);
	r1.other = q[0];
	ASSERT(write(p[1], "a", 1) == 1 && write(q[1], "b", 1) == 1);
	ASSERT_EQ_INT(ls_loop_once(l, 0), 1);
	ASSERT_EQ_INT(r1.calls, 1);
	ASSERT_EQ_INT(r2.calls, 0);
	ASSERT_EQ_INT(ls_loop_fds(l), 1);
	ASSERT_EQ_INT(ls_loop_once(l, 0), 0); /* q still has a byte, but is not watched */
	ASSERT_EQ_INT(r2.calls, 0);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	ls_loop_free(l);
}

TEST(a_hung_up_pipe_is_reported_to_its_reader)
{
	struct ls_loop *l = ls_loop_new(NULL);
	struct reader r = {.other = -1};
	int p[2];

	ASSERT(l && !pipe(p));
	ls_loop_fd_set(l, p[0], POLLIN, on_readable, &r);
	close(p[1]);
	ASSERT_EQ_INT(ls_loop_once(l, 1000), 1);
	ASSERT(r.revents & POLLHUP);
	ASSERT_EQ_STR(r.got, "");
	close(p[0]);
	ls_loop_free(l);
}

/* ---- signals ---- */

static void on_sig(struct ls_loop *l, int signo, void *user)
{
	int *got = user;

	*got = signo;
	ls_loop_stop(l);
}

static int64_t give_up(struct ls_loop *l, void *user)
{
	(void)user;
	ls_loop_stop(l);
	return LS_LOOP_STOP;
}

TEST(a_signal_arrives_as_a_callback_in_the_loop)
{
	struct ls_loop *l = ls_loop_new(NULL);
	struct ls_error err;
	int got = 0;

	ASSERT(l);
	ASSERT_MSG(!ls_loop_signal(l, SIGUSR2, on_sig, &got, &err), "%s", err.msg);
	raise(SIGUSR2);
	ASSERT_EQ_INT(got, 0); /* not in the handler */
	ls_loop_timer_add(l, 5000, give_up, NULL);
	ls_loop_run(l);
	ASSERT_EQ_INT(got, SIGUSR2);
	ls_loop_free(l);
}

TEST(only_one_loop_takes_signals_and_free_restores_the_old_action)
{
	struct ls_loop *a = ls_loop_new(NULL), *b = ls_loop_new(NULL);
	struct sigaction now;
	struct ls_error err;
	int got = 0;

	ASSERT(a && b);
	ASSERT(!ls_loop_signal(a, SIGUSR2, on_sig, &got, &err));
	ASSERT(ls_loop_signal(b, SIGUSR2, on_sig, &got, &err) == -1);
	ASSERT_CONTAINS(err.msg, "another event loop");
	ASSERT(ls_loop_signal(a, 0, on_sig, &got, &err) == -1);
	ls_loop_free(a);
	sigaction(SIGUSR2, NULL, &now);
	ASSERT(now.sa_handler == SIG_DFL);
	ASSERT(!ls_loop_signal(b, SIGUSR2, on_sig, &got, &err)); /* free now */
	ls_loop_free(b);
}
