/*
 * loop.c: a small event loop (loop.h). Timers and watches live in plain
 * arrays scanned each pass: a board has a handful of each, a benchmark a few
 * thousand, and a scan costs less than the poll() it precedes. Records are
 * found again by id after every callback, because a callback may add (and so
 * move) or remove records; removed ones are swept at the end of a pass.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledsign/loop.h"

struct timer {
	uint64_t id; /* 0 = removed */
	int64_t when;
	uint64_t order; /* scheduling order, to break ties in when */
	uint64_t pass;	/* the pass it was last scheduled in: runs only in later ones */
	ls_loop_timer_fn fn;
	void *user;
};

struct watch {
	int fd; /* -1 = removed */
	short events;
	uint64_t gen; /* tells a re-added fd from the one poll() reported on */
	ls_loop_fd_fn fn;
	void *user;
};

struct sig {
	ls_loop_signal_fn fn;
	void *user;
	bool taken;
	struct sigaction old;
};

struct ls_loop {
	struct ls_loop_clock clock;
	struct timer *timers;
	int n_timers, cap_timers;
	struct watch *watches;
	int n_watches, cap_watches;
	struct pollfd *pfd;
	uint64_t *pgen;
	int cap_pfd;
	uint64_t next_id, next_order, next_gen, pass;
	bool stop, sweep;
	struct sig sigs[NSIG];
};

/* ---- the default clock ---- */

static int64_t mono_now(void *user)
{
	struct timespec ts;

	(void)user;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int real_wait(void *user, struct pollfd *fds, nfds_t n, int timeout_ms)
{
	(void)user;
	return poll(fds, n, timeout_ms);
}

struct ls_loop *ls_loop_new(const struct ls_loop_clock *clock)
{
	struct ls_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if (clock)
		l->clock = *clock;
	if (!l->clock.now_ms)
		l->clock.now_ms = mono_now;
	if (!l->clock.wait)
		l->clock.wait = real_wait;
	l->next_id = l->next_gen = 1;
	return l;
}

int64_t ls_loop_now(const struct ls_loop *l)
{
	return l->clock.now_ms(l->clock.user);
}

/* ---- timers ---- */

static struct timer *timer_find(struct ls_loop *l, uint64_t id)
{
	for (int i = 0; id && i < l->n_timers; i++)
		if (l->timers[i].id == id)
			return &l->timers[i];
	return NULL;
}

static void timer_schedule(struct ls_loop *l, struct timer *t, int64_t delay_ms)
{
	t->when = ls_loop_now(l) + (delay_ms > 0 ? delay_ms : 0);
	t->order = l->next_order++;
	t->pass = l->pass;
}

uint64_t ls_loop_timer_add(struct ls_loop *l, int64_t delay_ms, ls_loop_timer_fn fn, void *user)
{
	struct timer *t;

	if (l->n_timers == l->cap_timers) {
		int cap = l->cap_timers ? l->cap_timers * 2 : 8;
		struct timer *nt = realloc(l->timers, (size_t)cap * sizeof(*nt));

		if (!nt)
			return 0;
		l->timers = nt;
		l->cap_timers = cap;
	}
	t = &l->timers[l->n_timers++];
	*t = (struct timer){.id = l->next_id++, .fn = fn, .user = user};
	timer_schedule(l, t, delay_ms);
	return t->id;
}

int ls_loop_timer_move(struct ls_loop *l, uint64_t id, int64_t delay_ms)
{
	struct timer *t = timer_find(l, id);

	if (!t)
		return -1;
	timer_schedule(l, t, delay_ms);
	return 0;
}

void ls_loop_timer_del(struct ls_loop *l, uint64_t id)
{
	struct timer *t = timer_find(l, id);

	if (t) {
		t->id = 0;
		l->sweep = true;
	}
}

/* The earliest timer that may run in this pass at now, or NULL. */
static struct timer *timer_due(struct ls_loop *l, int64_t now)
{
	struct timer *best = NULL;

	for (int i = 0; i < l->n_timers; i++) {
		struct timer *t = &l->timers[i];

		if (!t->id || t->pass >= l->pass || t->when > now)
			continue;
		if (!best || t->when < best->when ||
		    (t->when == best->when && t->order < best->order))
			best = t;
	}
	return best;
}

static int timers_run(struct ls_loop *l)
{
	int64_t now = ls_loop_now(l);
	struct timer *t;
	int ran = 0;

	while ((t = timer_due(l, now))) {
		uint64_t id = t->id;
		int64_t next = t->fn(l, t->user);

		ran++;
		t = timer_find(l, id); /* the callback may have moved or removed it */
		if (!t)
			continue;
		if (next == LS_LOOP_STOP)
			ls_loop_timer_del(l, id);
		else
			timer_schedule(l, t, next);
	}
	return ran;
}

/* Milliseconds until the earliest timer (0 when one is due), -1 when none. */
static int64_t timers_wait(struct ls_loop *l, int64_t now)
{
	int64_t d = -1;

	for (int i = 0; i < l->n_timers; i++) {
		const struct timer *t = &l->timers[i];
		int64_t left = t->when > now ? t->when - now : 0;

		if (t->id && (d < 0 || left < d))
			d = left;
	}
	return d;
}

/* ---- file descriptors ---- */

static struct watch *watch_find(struct ls_loop *l, int fd)
{
	for (int i = 0; fd >= 0 && i < l->n_watches; i++)
		if (l->watches[i].fd == fd)
			return &l->watches[i];
	return NULL;
}

int ls_loop_fd_set(struct ls_loop *l, int fd, short events, ls_loop_fd_fn fn, void *user)
{
	struct watch *w = watch_find(l, fd);

	if (!w) {
		if (l->n_watches == l->cap_watches) {
			int cap = l->cap_watches ? l->cap_watches * 2 : 8;
			struct watch *nw = realloc(l->watches, (size_t)cap * sizeof(*nw));

			if (!nw)
				return -1;
			l->watches = nw;
			l->cap_watches = cap;
		}
		w = &l->watches[l->n_watches++];
		w->gen = l->next_gen++;
	}
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	w->user = user;
	return 0;
}

void ls_loop_fd_del(struct ls_loop *l, int fd)
{
	struct watch *w = watch_find(l, fd);

	if (w) {
		w->fd = -1;
		l->sweep = true;
	}
}

/* Fills l->pfd from the watches; returns how many, or -1 when out of memory. */
static int pollfds_fill(struct ls_loop *l)
{
	int n = 0;

	if (l->cap_pfd < l->n_watches) {
		struct pollfd *p = realloc(l->pfd, (size_t)l->n_watches * sizeof(*p));
		uint64_t *g;

		if (!p)
			return -1;
		l->pfd = p;
		g = realloc(l->pgen, (size_t)l->n_watches * sizeof(*g));
		if (!g)
			return -1;
		l->pgen = g;
		l->cap_pfd = l->n_watches;
	}
	for (int i = 0; i < l->n_watches; i++) {
		if (l->watches[i].fd < 0)
			continue;
		l->pfd[n] = (struct pollfd){.fd = l->watches[i].fd, .events = l->watches[i].events};
		l->pgen[n++] = l->watches[i].gen;
	}
	return n;
}

static int fds_run(struct ls_loop *l, int n)
{
	int ran = 0;

	for (int i = 0; i < n; i++) {
		struct watch *w;

		if (!l->pfd[i].revents)
			continue;
		w = watch_find(l, l->pfd[i].fd);
		if (!w || w->gen != l->pgen[i])
			continue; /* removed, or another socket under the same number since */
		w->fn(l, l->pfd[i].fd, l->pfd[i].revents, w->user);
		ran++;
	}
	return ran;
}

/* ---- passes ---- */

static void sweep(struct ls_loop *l)
{
	int k = 0;

	if (!l->sweep)
		return;
	for (int i = 0; i < l->n_timers; i++)
		if (l->timers[i].id)
			l->timers[k++] = l->timers[i];
	l->n_timers = k;
	k = 0;
	for (int i = 0; i < l->n_watches; i++)
		if (l->watches[i].fd >= 0)
			l->watches[k++] = l->watches[i];
	l->n_watches = k;
	l->sweep = false;
}

int ls_loop_once(struct ls_loop *l, int64_t max_wait_ms)
{
	int64_t wait = timers_wait(l, ls_loop_now(l));
	int n = pollfds_fill(l), r, ran = 0;

	if (n < 0)
		return -1;
	if (max_wait_ms >= 0 && (wait < 0 || max_wait_ms < wait))
		wait = max_wait_ms;
	if (wait > INT_MAX)
		wait = INT_MAX;
	l->pass++;
	r = l->clock.wait(l->clock.user, l->pfd, (nfds_t)n, (int)wait);
	if (r < 0 && errno != EINTR)
		return -1;
	if (r > 0)
		ran += fds_run(l, n);
	ran += timers_run(l);
	sweep(l);
	return ran;
}

void ls_loop_run(struct ls_loop *l)
{
	l->stop = false;
	while (!l->stop)
		if (ls_loop_once(l, -1) < 0)
			ls_loop_once(l, 10); /* out of memory for the poll set: wait on timers */
}

void ls_loop_stop(struct ls_loop *l)
{
	l->stop = true;
}

int ls_loop_timers(const struct ls_loop *l)
{
	int n = 0;

	for (int i = 0; i < l->n_timers; i++)
		n += l->timers[i].id != 0;
	return n;
}

int ls_loop_fds(const struct ls_loop *l)
{
	int n = 0;

	for (int i = 0; i < l->n_watches; i++)
		n += l->watches[i].fd >= 0;
	return n;
}

/* ---- signals, through a self-pipe ---- */

static int sig_pipe[2] = {-1, -1};
static struct ls_loop *sig_owner;

static void on_signal(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* The pipe is full: signals already wait there, and the loop reads them. */
	}
	errno = saved;
}

static void on_sig_pipe(struct ls_loop *l, int fd, int revents, void *user)
{
	unsigned char buf[64];
	ssize_t n;

	(void)revents;
	(void)user;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] < NSIG && l->sigs[buf[i]].fn)
				l->sigs[buf[i]].fn(l, buf[i], l->sigs[buf[i]].user);
}

static int sig_pipe_open(struct ls_loop *l, struct ls_error *err)
{
	if (sig_owner == l)
		return 0;
	if (sig_owner)
		return ls_error_set(err, "signals are already taken by another event loop");
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK))
		return ls_error_set(err, "signals: cannot make a pipe: %s", strerror(errno));
	if (ls_loop_fd_set(l, sig_pipe[0], POLLIN, on_sig_pipe, NULL)) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return ls_error_set(err, "out of memory");
	}
	sig_owner = l;
	return 0;
}

int ls_loop_signal(struct ls_loop *l, int signo, ls_loop_signal_fn fn, void *user,
		   struct ls_error *err)
{
	struct sigaction sa;
	struct sig *s;

	if (signo <= 0 || signo >= NSIG || signo > UCHAR_MAX)
		return ls_error_set(err, "signal %d: not a signal", signo);
	if (sig_pipe_open(l, err))
		return -1;
	s = &l->sigs[signo];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* the other threads' system calls go on */
	sigemptyset(&sa.sa_mask);
	if (sigaction(signo, &sa, s->taken ? NULL : &s->old))
		return ls_error_set(err, "signal %d: %s", signo, strerror(errno));
	s->taken = true;
	s->fn = fn;
	s->user = user;
	return 0;
}

static void sig_release(struct ls_loop *l)
{
	if (sig_owner != l)
		return;
	for (int i = 1; i < NSIG; i++)
		if (l->sigs[i].taken)
			sigaction(i, &l->sigs[i].old, NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	sig_owner = NULL;
}

void ls_loop_free(struct ls_loop *l)
{
	if (!l)
		return;
	sig_release(l);
	free(l->timers);
	free(l->watches);
	free(l->pfd);
	free(l->pgen);
	free(l);
}
