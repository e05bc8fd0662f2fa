/*
 * The service's event loop, in the spirit of Redis's ae.c: one thread sleeps
 * in poll() until the earliest of its timers is due or one of its file
 * descriptors is ready, then runs their callbacks. A timer's callback returns
 * its next delay, so a periodic job is one ls_loop_timer_add() call; file
 * descriptors come from libcurl (net.h) or anyone else; signals arrive as
 * callbacks too, through a self-pipe, so no work happens in a signal handler.
 *
 * The clock and the wait are injectable (struct ls_loop_clock), so tests
 * drive the timers with a fake monotonic clock. Times are milliseconds.
 *
 * Ownership: the loop owns its timer and watch records, never the users'
 * pointers or file descriptors.
 */
#ifndef LEDSIGN_LOOP_H
#define LEDSIGN_LOOP_H

#include <poll.h>
#include <stdint.h>

#include "ledsign/error.h"

/* A timer callback returning this is removed. */
#define LS_LOOP_STOP INT64_MIN

struct ls_loop;

/* Returns the delay in ms until the timer runs again (0 = the next pass; a
 * negative delay, such as a deadline already past, counts as 0), or
 * LS_LOOP_STOP. */
typedef int64_t (*ls_loop_timer_fn)(struct ls_loop *loop, void *user);

/* revents as poll() returned them (POLLIN, POLLOUT, POLLERR, POLLHUP...). */
typedef void (*ls_loop_fd_fn)(struct ls_loop *loop, int fd, int revents, void *user);

typedef void (*ls_loop_signal_fn)(struct ls_loop *loop, int signo, void *user);

/* Where the loop gets its time and how it waits; NULL members take the
 * defaults (CLOCK_MONOTONIC, poll()). */
struct ls_loop_clock {
	int64_t (*now_ms)(void *user);
	int (*wait)(void *user, struct pollfd *fds, nfds_t n, int timeout_ms);
	void *user;
};

/* Creates a loop on clock (NULL: the real monotonic clock and poll()).
 * Returns NULL when out of memory. Free with ls_loop_free(). */
struct ls_loop *ls_loop_new(const struct ls_loop_clock *clock);

/* Frees the loop and restores the signal actions it replaced; accepts NULL.
 * Callers remove their own watches first (or never use them again). */
void ls_loop_free(struct ls_loop *l);

/* The loop clock's time now, in ms. */
int64_t ls_loop_now(const struct ls_loop *l);

/* Runs fn(loop, user) delay_ms from now (0 = the next pass), then again
 * after each delay it returns. Timers due at the same time run in the order
 * they were scheduled; each runs at most once per pass. Returns the timer's
 * id (never 0), or 0 when out of memory. */
uint64_t ls_loop_timer_add(struct ls_loop *l, int64_t delay_ms, ls_loop_timer_fn fn, void *user);

/* Moves timer id to delay_ms from now (0 = the next pass). Returns 0, or -1
 * when there is no such timer. Called from the timer's own callback, the
 * callback's return value decides instead. */
int ls_loop_timer_move(struct ls_loop *l, uint64_t id, int64_t delay_ms);

/* Removes timer id (nothing when there is none, or id is 0). Safe from any
 * callback, the timer's own included (its return value is then ignored). */
void ls_loop_timer_del(struct ls_loop *l, uint64_t id);

/* Watches fd for events (POLLIN, POLLOUT) and calls fn when poll() reports
 * any of them or an error; a watch on the same fd is replaced. Returns 0, or
 * -1 when out of memory. */
int ls_loop_fd_set(struct ls_loop *l, int fd, short events, ls_loop_fd_fn fn, void *user);

/* Stops watching fd (nothing when not watched). Safe from any callback: an
 * fd removed during a pass gets no more callbacks in it. */
void ls_loop_fd_del(struct ls_loop *l, int fd);

/* Calls fn(loop, signo, user) from the loop, not from the signal handler,
 * whenever signo arrives. Only one loop in a process may take signals.
 * Returns 0, or -1 with err. */
int ls_loop_signal(struct ls_loop *l, int signo, ls_loop_signal_fn fn, void *user,
		   struct ls_error *err);

/* One pass: waits until the earliest timer is due, a watched fd is ready,
 * a signal arrives, or max_wait_ms passed (-1: no limit but the timers'),
 * then runs the fd callbacks and then every due timer. Returns the number
 * of callbacks run, or -1 when the wait failed (not for EINTR). */
int ls_loop_once(struct ls_loop *l, int64_t max_wait_ms);

/* Runs passes until ls_loop_stop(). */
void ls_loop_run(struct ls_loop *l);

/* Makes ls_loop_run() return after the current pass. */
void ls_loop_stop(struct ls_loop *l);

/* Timers and watches registered (removed ones not counted). */
int ls_loop_timers(const struct ls_loop *l);
int ls_loop_fds(const struct ls_loop *l);

#endif
