/*
 * batch.c: group commit of heartbeats (batch.h says what it promises). The
 * HTTP thread opens the batch and adds to it; a thread of its own commits it
 * when its delay is up, or the HTTP thread does when it is full or before
 * any other request touches the database. The database itself is only ever
 * used with hub->lock held; the list of waiting answers has a lock of its own
 * (taken after hub->lock, never before), so the timer can sleep without
 * holding the database.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "batch.h"
#include "ledsign/log.h"

struct waiter {
	void (*fn)(void *ctx, bool stored);
	void *ctx;
};

struct hub_batch {
	pthread_mutex_t mu; /* n, waiters, deadline, stop */
	pthread_cond_t cv;
	pthread_t thread;
	bool open; /* a transaction is open (hub->lock) */
	bool stop;
	int delay_ms;
	int n;
	struct timespec deadline; /* CLOCK_MONOTONIC: commit by then */
	struct waiter waiters[HUB_BATCH_MAX];
};

static bool past(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Answers every waiter: stored or not. */
static void answer_all(struct hub_batch *b, bool stored)
{
	struct waiter w[HUB_BATCH_MAX];
	int n;

	pthread_mutex_lock(&b->mu);
	n = b->n;
	for (int i = 0; i < n; i++)
		w[i] = b->waiters[i];
	b->n = 0;
	pthread_mutex_unlock(&b->mu);
	for (int i = 0; i < n; i++)
		w[i].fn(w[i].ctx, stored);
}

/* Commits (with hub->lock held) and answers every waiter. */
static void commit_locked(struct hub *h, struct hub_batch *b)
{
	struct ls_error err;
	bool ok = true;

	if (b->open) {
		ok = hub_db_commit(h->db, &err) == 0;
		if (!ok) {
			log_warnx("heartbeats: a batch could not be committed (%s); its boards "
				  "are answered 503 and send them again",
				  err.msg);
			hub_db_rollback(h->db);
		}
		b->open = false;
	}
	answer_all(b, ok);
}

static void *timer(void *arg)
{
	struct hub *h = arg;
	struct hub_batch *b = h->batch;

	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		if (!b->n) {
			pthread_cond_wait(&b->cv, &b->mu);
			continue;
		}
		if (!past(&b->deadline)) {
			pthread_cond_timedwait(&b->cv, &b->mu, &b->deadline);
			continue;
		}
		pthread_mutex_unlock(&b->mu);
		pthread_mutex_lock(&h->lock);
		commit_locked(h, b);
		pthread_mutex_unlock(&h->lock);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int hub_batch_new(struct hub *h, int delay_ms, struct ls_error *err)
{
	struct hub_batch *b = calloc(1, sizeof(*b));
	pthread_condattr_t ca;

	if (!b)
		return ls_error_set(err, "out of memory");
	b->delay_ms = delay_ms;
	pthread_mutex_init(&b->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	h->batch = b;
	if ((errno = pthread_create(&b->thread, NULL, timer, h))) {
		h->batch = NULL;
		pthread_cond_destroy(&b->cv);
		pthread_mutex_destroy(&b->mu);
		free(b);
		return ls_error_set(err, "heartbeat batches: cannot start a thread");
	}
	return 0;
}

void hub_batch_free(struct hub *h)
{
	struct hub_batch *b = h->batch;

	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	pthread_mutex_lock(&h->lock);
	commit_locked(h, b);
	h->batch = NULL;
	pthread_mutex_unlock(&h->lock);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

static int run(struct hub *h, const char *sql, struct ls_error *err)
{
	return hub_db_exec(h->db, sql, NULL, 0, NULL, NULL, err) < 0 ? -1 : 0;
}

int hub_batch_begin(struct hub *h, struct ls_error *err)
{
	struct hub_batch *b = h->batch;

	if (!b)
		return hub_db_begin(h->db, err);
	if (!b->open) {
		if (hub_db_begin(h->db, err))
			return -1;
		b->open = true;
	}
	return run(h, "SAVEPOINT hb", err);
}

int hub_batch_end(struct hub *h, bool ok, struct ls_error *err)
{
	if (!h->batch) {
		if (ok && !hub_db_commit(h->db, err))
			return 0;
		hub_db_rollback(h->db);
		return -1;
	}
	/* A stored heartbeat's savepoint is not released (a round trip saved):
	 * the next one stacks on it, ROLLBACK TO undoes the newest, and the
	 * batch's COMMIT ends them all. */
	if (ok)
		return 0;
	/* Undoes this heartbeat's writes only; the others in the batch stay. */
	if (run(h, "ROLLBACK TO SAVEPOINT hb", NULL) || run(h, "RELEASE SAVEPOINT hb", NULL)) {
		hub_db_rollback(h->db);
		h->batch->open = false;
		answer_all(h->batch, false);
	}
	return -1;
}

bool hub_batch_join(struct hub *h, const struct hub_request *rq)
{
	struct hub_batch *b = h->batch;
	bool full;

	if (!b || !rq->on_commit)
		return false;
	if (!b->open && !b->n)
		return false;
	pthread_mutex_lock(&b->mu);
	if (!b->n) {
		clock_gettime(CLOCK_MONOTONIC, &b->deadline);
		b->deadline.tv_sec += b->delay_ms / 1000;
		b->deadline.tv_nsec += b->delay_ms % 1000 * 1000000L;
		b->deadline.tv_sec += b->deadline.tv_nsec / 1000000000L;
		b->deadline.tv_nsec %= 1000000000L;
		pthread_cond_signal(&b->cv);
	}
	b->waiters[b->n++] = (struct waiter){rq->on_commit, rq->commit_ctx};
	full = b->n == HUB_BATCH_MAX;
	pthread_mutex_unlock(&b->mu);
	if (full)
		commit_locked(h, b);
	return true;
}

void hub_batch_flush(struct hub *h)
{
	if (h->batch && (h->batch->open || h->batch->n))
		commit_locked(h, h->batch);
}
