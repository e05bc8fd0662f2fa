/*
 * Group commit of heartbeats. A commit costs PostgreSQL a flush of its log to
 * disk, so a hub that commits every heartbeat spends most of its time
 * waiting for the disk. While the service runs, heartbeats are stored in one
 * open transaction (each in its own savepoint, so a failing one undoes only
 * itself) that is committed when HUB_BATCH_MAX heartbeats are in it or
 * HUB_BATCH_DELAY_MS after the first, whichever comes first; each board's
 * answer ("stored", "duplicate") is held until the commit that makes it true
 * has returned, and a failed commit answers every heartbeat in it 503, so a
 * board never drops a report the database does not have.
 *
 * Without a batch (hub->batch NULL: unit tests, the command line) each
 * heartbeat is one transaction, committed before its answer is made.
 * Every function here is called with hub->lock held, but hub_batch_new()
 * and hub_batch_free().
 */
#ifndef LEDSIGN_HUB_BATCH_H
#define LEDSIGN_HUB_BATCH_H

#include <stdbool.h>

#include "hub.h"

#define HUB_BATCH_MAX 64
#define HUB_BATCH_DELAY_MS 20

/* Starts group commit on h (a thread that commits an open batch delay_ms
 * after its first heartbeat: the service uses HUB_BATCH_DELAY_MS). Returns 0
 * or -1 with err. Undo with hub_batch_free(). */
int hub_batch_new(struct hub *h, int delay_ms, struct ls_error *err);

/* Commits what is open, answers its heartbeats, stops the thread; without
 * hub->lock held. Accepts a hub without a batch. */
void hub_batch_free(struct hub *h);

/* Opens one heartbeat's writes: a savepoint in the batch's transaction
 * (begun when none is open), or a transaction of its own without a batch. */
int hub_batch_begin(struct hub *h, struct ls_error *err);

/* Closes them: kept, or undone (ok false). Without a batch, COMMIT or
 * ROLLBACK. Returns 0 when kept, else -1 (with err when the keeping failed). */
int hub_batch_end(struct hub *h, bool ok, struct ls_error *err);

/* Whether rq's answer must wait for the open batch: then rq->on_commit is
 * called (from another thread, or in the next hub_batch_flush()) with
 * whether the batch was committed. False without a batch or without
 * rq->on_commit: the answer may go now. */
bool hub_batch_join(struct hub *h, const struct hub_request *rq);

/* Commits the open batch now and answers its heartbeats: before any other
 * use of the database, so no other request's writes ride in a batch. */
void hub_batch_flush(struct hub *h);

#endif
