/*
 * The service's feed edge: everything ledsignd does for the feeds between
 * frames, as timers of its event loop (loop.h): the network (net.h), the
 * feeds (feed.h), the push channel that makes them poll at once (push.h),
 * the proof-of-play counters and status file (status.h) and the heartbeat
 * queue (heartbeat.h). Used only by ledsignd.
 *
 * Test-only environment knobs (deploy/FEED.md, "Testing"), in milliseconds:
 * LEDSIGN_TEST_POLL_MS (poll interval and backoff), LEDSIGN_TEST_REPORT_MS
 * (heartbeat interval), LEDSIGN_TEST_STATUS_MS (status file rewrite).
 */
#ifndef LEDSIGND_FEED_H
#define LEDSIGND_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/feed.h"
#include "ledsign/heartbeat.h"
#include "ledsign/loop.h"
#include "ledsign/net.h"
#include "ledsign/player.h"
#include "ledsign/push.h"
#include "ledsign/status.h"

struct feedwork {
	const struct ls_config *cfg; /* borrowed; must stay at this address */
	struct ls_player *player;    /* borrowed; receives new playlists */
	struct ls_loop *loop;	     /* borrowed; runs the timers below */
	struct ls_net *net;
	struct ls_feeds *feeds;
	struct ls_status *status;
	struct ls_reporter *reporter;
	struct ls_push *push;		/* the push channel, when [feed] push_url is set */
	struct ls_feed_config feed_cfg; /* the [feed] section the feeds were made from */
	uint64_t feeds_timer, status_timer, beat_timer, post_timer;
	int64_t status_every_ms, report_every_ms, next_beat_ms;
	bool status_warned;
	bool online; /* the network has started: after the first frame */
};

/* Creates the feeds of cfg and hands player their cached versions, before any
 * network activity, and puts the polls and the status file on loop's timers.
 * The network (polls, push channel, heartbeats) starts after the first frame
 * (feedwork_frame()), so libcurl is loaded only then. Dies on a
 * configuration error. Undo with feedwork_stop(). */
void feedwork_start(struct feedwork *fw, const struct ls_config *cfg, struct ls_player *player,
		    struct ls_loop *loop, const struct ls_now *now);

/* After a reload (cfg, at the same address, now holds the new configuration):
 * hands the new player the feeds' versions; a changed [feed] section starts
 * the feeds afresh (from the cache). Returns 0, or -1 with err when the new
 * feeds cannot be made: then the running feeds, and the old player, stay. */
int feedwork_reload(struct feedwork *fw, struct ls_player *player, const struct ls_now *now,
		    struct ls_error *err);

/* Writes the last status file, removes the timers and frees everything. */
void feedwork_stop(struct feedwork *fw);

/* Has the status file written at once (SIGUSR1, or a change worth showing). */
void feedwork_status_now(struct feedwork *fw);

/* Starts the network after the first frame; accounts the frame just shown for proof of play,
 * follows the local date for today's counters, and hands the status what each zone shows and why
 * when that changes; an item whose text has missing characters or cut-off
 * rows is logged when it starts (once per item and problem until the
 * playlists change), not every frame. */
void feedwork_frame(struct feedwork *fw, const struct ls_now *now);

#endif
