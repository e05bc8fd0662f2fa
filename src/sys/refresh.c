/*
 * refresh.c: the refresh thread. A panel multiplexes its rows, so it is only
 * lit while something replays the encoded frame again and again; this thread
 * does that and nothing else, at realtime priority when allowed.
 *
 * With lock_memory it locks what the loop touches, not the whole process: the
 * two programs and a stack of its own (LOCKED_STACK), so a board's service is
 * not held at the size of every font and library page it ever mapped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "ledsign/refresh.h"

struct ls_refresh {
	struct ls_transport *t;
	struct ls_program *prog[2];
	int front;	    /* index the thread replays; owned by the thread */
	atomic_int pending; /* 1: prog[!front] is published and not yet taken */
	atomic_int stop;
	atomic_ulong frames;
	atomic_ulong beats; /* loop turns: the service's watchdog heartbeat */
	_Atomic double hz;
	int passes;
	pthread_t thread;
	void *stack; /* the thread's own locked stack, or NULL (the default one) */
	char warning[256];
};

/* The refresh thread's stack when memory is locked: the loop, a transport
 * call and libgpiod's ioctl need a few kilobytes. */
#define LOCKED_STACK (256 * 1024)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

/* Takes the published program, if any; returns 1 when it did. */
static int take(struct ls_refresh *r)
{
	if (!atomic_load_explicit(&r->pending, memory_order_acquire))
		return 0;
	r->front = !r->front;
	atomic_fetch_add(&r->frames, 1);
	atomic_store_explicit(&r->pending, 0, memory_order_release);
	return 1;
}

static void run_continuous(struct ls_refresh *r)
{
	unsigned long count = 0;
	double since = now_s();
	int have = 0;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&r->beats, 1, memory_order_relaxed);
		have |= take(r);
		if (!have) {
			nap_us(1000);
			continue;
		}
		ls_transport_play(r->t, r->prog[r->front]);
		if (++count % 64 == 0) {
			double t = now_s();
			if (t - since >= 1.0) {
				atomic_store(&r->hz, count / (t - since));
				count = 0;
				since = t;
			}
		}
	}
}

/* Stop is read before pending: a frame swapped in just before the stop is
 * then still seen and recorded (ls_refresh_stop() sets stop after the swap),
 * where reading stop after an empty take() could miss it. */
static void run_passes(struct ls_refresh *r)
{
	for (;;) {
		int stopping = atomic_load(&r->stop);

		atomic_fetch_add_explicit(&r->beats, 1, memory_order_relaxed);
		if (take(r)) {
			ls_transport_begin(r->t, "frame", atomic_load(&r->frames));
			for (int i = 0; i < r->passes; i++)
				ls_transport_play(r->t, r->prog[r->front]);
			ls_transport_end(r->t);
		} else if (stopping) {
			return;
		} else {
			nap_us(200);
		}
	}
}

static void *thread_main(void *arg)
{
	struct ls_refresh *r = arg;

	if (r->passes)
		run_passes(r);
	else
		run_continuous(r);
	return NULL;
}

static void warn(struct ls_refresh *r, const char *what, int e)
{
	size_t n = strlen(r->warning);

	snprintf(r->warning + n, sizeof(r->warning) - n, "%s%s: %s", n ? "; " : "", what,
		 strerror(e));
}

static void tune(struct ls_refresh *r, const struct ls_refresh_opts *o)
{
	if (o->rt_priority > 0) {
		struct sched_param sp = {.sched_priority = o->rt_priority};
		int e = pthread_setschedparam(r->thread, SCHED_FIFO, &sp);
		if (e)
			warn(r, "no SCHED_FIFO (needs CAP_SYS_NICE or LimitRTPRIO in the unit)", e);
	}
	if (o->cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		int e = pthread_setaffinity_np(r->thread, sizeof(set), &set);
		if (e)
			warn(r, "cannot pin the refresh thread to the CPU", e);
	}
}

static int lock_program(const struct ls_program *p)
{
	if (mlock(p, sizeof(*p)) ||
	    mlock(p->ops, (p->cap_ops ? p->cap_ops : 1) * sizeof(*p->ops)) ||
	    mlock(p->bytes, p->cap_bytes ? p->cap_bytes : 1))
		return errno;
	return 0;
}

/* Locks r, its programs and a stack for the thread (set in attr, which it
 * initialises); returns 0 or an errno value, attr usable either way. */
static int lock_working_set(struct ls_refresh *r, pthread_attr_t *attr)
{
	int e = pthread_attr_init(attr);

	if (e)
		return e;
	if (mlock(r, sizeof(*r)))
		return errno;
	if ((e = lock_program(r->prog[0])) || (e = lock_program(r->prog[1])))
		return e;
	if ((e = posix_memalign(&r->stack, 4096, LOCKED_STACK)))
		return e;
	if (mlock(r->stack, LOCKED_STACK)) {
		e = errno;
		free(r->stack);
		r->stack = NULL;
		return e;
	}
	return pthread_attr_setstack(attr, r->stack, LOCKED_STACK);
}

struct ls_refresh *ls_refresh_start(struct ls_transport *t, struct ls_program *a,
				    struct ls_program *b, const struct ls_refresh_opts *opts,
				    struct ls_error *err)
{
	struct ls_refresh *r = calloc(1, sizeof(*r));
	pthread_attr_t attr;
	int e;

	if (!r) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	r->t = t;
	r->prog[0] = a;
	r->prog[1] = b;
	r->passes = opts->passes;
	e = opts->lock_memory ? lock_working_set(r, &attr) : pthread_attr_init(&attr);
	if (e)
		warn(r, "cannot lock memory (raise LimitMEMLOCK)", e);
	e = pthread_create(&r->thread, &attr, thread_main, r);
	pthread_attr_destroy(&attr);
	if (e) {
		ls_error_set(err, "cannot start the refresh thread: %s", strerror(e));
		free(r->stack);
		free(r);
		return NULL;
	}
	tune(r, opts);
	return r;
}

struct ls_program *ls_refresh_back(struct ls_refresh *r)
{
	while (atomic_load_explicit(&r->pending, memory_order_acquire))
		nap_us(100);
	/* The thread's `front` only changes while pending is 1, so reading it now is safe. */
	return r->prog[!r->front];
}

void ls_refresh_swap(struct ls_refresh *r)
{
	atomic_store_explicit(&r->pending, 1, memory_order_release);
}

double ls_refresh_hz(const struct ls_refresh *r)
{
	return atomic_load(&((struct ls_refresh *)r)->hz);
}

unsigned long ls_refresh_beats(const struct ls_refresh *r)
{
	return atomic_load_explicit(&((struct ls_refresh *)r)->beats, memory_order_relaxed);
}

unsigned long ls_refresh_frames(const struct ls_refresh *r)
{
	return atomic_load(&((struct ls_refresh *)r)->frames);
}

const char *ls_refresh_warning(const struct ls_refresh *r)
{
	return r->warning;
}

void ls_refresh_stop(struct ls_refresh *r, const struct ls_program *blank)
{
	if (!r)
		return;
	atomic_store(&r->stop, 1);
	pthread_join(r->thread, NULL);
	if (blank) {
		ls_transport_begin(r->t, "stop", 0);
		ls_transport_play(r->t, blank);
		ls_transport_end(r->t);
	}
	free(r->stack);
	free(r);
}
