/*
 * Heartbeats: the status counters' report of each interval (ls_status_heartbeat()
 * in status.h) delivered to an optional report URL.
 *
 * Heartbeats carry the plays and seconds of their own interval, numbered by
 * a sequence that survives restarts, so a receiver adds them up and sees any
 * gap. Each heartbeat is written to a bounded queue on disk first and removed
 * only when the receiver answered 2xx: an office's airtime figures survive an
 * outage of the receiver, of the network or of the board.
 */
#ifndef LEDSIGN_HEARTBEAT_H
#define LEDSIGN_HEARTBEAT_H

#include <stdint.h>

#include "ledsign/config.h"
#include "ledsign/error.h"
#include "ledsign/loop.h"
#include "ledsign/net.h"

#define LS_REPORT_QUEUE_MAX 2000 /* heartbeats kept on disk (a week at 5 min); oldest dropped */

struct ls_reporter;

/*
 * Creates a reporter posting to url with cfg's token, CA file and timeouts
 * (under ls_net_policy()), queueing in dir (created if missing) on the
 * network net. Returns NULL with err when dir is unusable. Free with
 * ls_reporter_free().
 */
struct ls_reporter *ls_reporter_new(const char *url, const char *dir, const struct ls_config *cfg,
				    struct ls_net *net, struct ls_error *err);

/* Stops any transfer and frees; queued reports stay on disk. Accepts NULL. */
void ls_reporter_free(struct ls_reporter *r);

/* The sequence number the next queued report gets. */
uint64_t ls_reporter_next_seq(const struct ls_reporter *r);

/* Queues json as report number ls_reporter_next_seq() (dropping the oldest
 * beyond LS_REPORT_QUEUE_MAX). Returns 0 or -1 with err. */
int ls_reporter_enqueue(struct ls_reporter *r, const char *json, struct ls_error *err);

/* Handles a finished POST and starts the next when due. Returns -1 with err
 * when a delivery failed (it will be retried after a backoff), else 0. */
int ls_reporter_tick(struct ls_reporter *r, int64_t now_mono_ms, struct ls_error *err);

/* Milliseconds until the reporter needs a tick (0 = now), -1 when idle. */
int64_t ls_reporter_timeout_ms(const struct ls_reporter *r, int64_t now_mono_ms);

/* At stop: runs loop (whose timer ticks r) until the receiver has taken the
 * queue, r backs off after a failure, or for_ms passed; what it has not
 * taken stays queued for the next start. */
void ls_reporter_drain(const struct ls_reporter *r, struct ls_loop *loop, int64_t for_ms);

/* Reports waiting on disk. */
uint64_t ls_reporter_queued(const struct ls_reporter *r);

#endif
