/*
 * ledsignd_feed.c: the feed edge of the service (see ledsignd_feed.h): feeds,
 * status and heartbeats wired to the clock, the log and the event loop's
 * timers. Each timer's callback does its job and returns when it is next
 * due; a transfer that ends wakes the feeds' and the heartbeats' timers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/log.h"
#include "ledsign/tz.h"
#include "ledsignd_feed.h"

/* A timer with nothing due looks again this often (a transfer that ends wakes
 * it sooner). */
#define IDLE_MS 60000

static void on_feed_event(void *user, const struct ls_feed_event *ev)
{
	struct feedwork *fw = user;

	switch (ev->kind) {
	case LS_FEED_ACCEPTED:
	case LS_FEED_CACHED:
		log_info("feed %d %s: %s", ev->layer + 1, ev->url, ev->msg);
		break;
	case LS_FEED_UNCHANGED:
		log_debug("feed %d %s: %s", ev->layer + 1, ev->url, ev->msg);
		return;
	case LS_FEED_FAILED:
		if (ev->has_content)
			log_warnx("feed %d %s: %s; still showing the last good version",
				  ev->layer + 1, ev->url, ev->msg);
		else
			log_warnx("feed %d %s: %s; nothing to show from this feed yet",
				  ev->layer + 1, ev->url, ev->msg);
		break;
	case LS_FEED_WARNING:
		log_warnx("feed %d %s: %s", ev->layer + 1, ev->url, ev->msg);
		break;
	}
	feedwork_status_now(fw);
}

/* Hands the player the feeds' accepted versions, in layer order. */
static void feeds_to_player(struct feedwork *fw)
{
	struct ls_playlist **pls;
	int n = ls_feeds_playlists(fw->feeds, &pls);

	if (n < 0) {
		log_warnx("out of memory while loading playlists; keeping the current ones");
		return;
	}
	ls_player_set_playlists(fw->player, pls, n);
	ls_status_rewatch(fw->status); /* new items: look afresh, warn of their problems again */
}

static void feeds_close(struct feedwork *fw)
{
	ls_loop_timer_del(fw->loop, fw->beat_timer);
	ls_loop_timer_del(fw->loop, fw->post_timer);
	fw->beat_timer = fw->post_timer = 0;
	ls_push_free(fw->push);
	fw->push = NULL;
	ls_reporter_free(fw->reporter);
	ls_feeds_free(fw->feeds);
	ls_net_free(fw->net);
	fw->reporter = NULL;
	fw->feeds = NULL;
	fw->net = NULL;
}

static void write_status(struct feedwork *fw, const struct ls_now *now)
{
	const char *path = fw->cfg->feed.status_file;
	struct ls_error err;

	if (!path[0])
		return;
	if (ls_status_write(fw->status, fw->feeds, path, now->mono_ms, now->wall_s, &err)) {
		if (!fw->status_warned)
			log_warnx("status file: %s (reported once)", err.msg);
		fw->status_warned = true;
	} else {
		fw->status_warned = false;
	}
}

/* ---- the timers ---- */

static int64_t on_status_timer(struct ls_loop *loop, void *user)
{
	struct feedwork *fw = user;
	struct ls_now now;

	(void)loop;
	ls_now_sample(fw->cfg->board.timezone, &now);
	write_status(fw, &now);
	return fw->status_every_ms;
}

/* Starts the polls that are due and takes in those that ended. */
static int64_t on_feeds_timer(struct ls_loop *loop, void *user)
{
	struct feedwork *fw = user;
	struct ls_now now;
	int64_t t;

	(void)loop;
	ls_now_sample(fw->cfg->board.timezone, &now);
	if (ls_feeds_tick(fw->feeds, &now))
		feeds_to_player(fw);
	t = ls_feeds_timeout_ms(fw->feeds, now.mono_ms);
	return t < 0 ? IDLE_MS : t;
}

/* Queues the heartbeat of the interval that ends now. */
static void queue_heartbeat(struct feedwork *fw, const struct ls_now *now)
{
	struct ls_error err;
	char *json = ls_status_heartbeat(fw->status, fw->feeds, ls_reporter_next_seq(fw->reporter),
					 now->mono_ms, now->wall_s);

	if (!json || ls_reporter_enqueue(fw->reporter, json, &err))
		log_warnx("heartbeat not queued: %s", json ? err.msg : "out of memory");
	free(json);
	ls_loop_timer_move(fw->loop, fw->post_timer, 0);
}

/* Queues a heartbeat every report interval, on a fixed schedule. */
static int64_t on_beat_timer(struct ls_loop *loop, void *user)
{
	struct feedwork *fw = user;
	struct ls_now now;

	(void)loop;
	ls_now_sample(fw->cfg->board.timezone, &now);
	fw->next_beat_ms += fw->report_every_ms;
	if (fw->next_beat_ms <= now.mono_ms)
		fw->next_beat_ms = now.mono_ms + fw->report_every_ms;
	queue_heartbeat(fw, &now);
	return fw->next_beat_ms - now.mono_ms;
}

/* Keeps the heartbeat queue moving: one POST at a time, backing off on failure. */
static int64_t on_post_timer(struct ls_loop *loop, void *user)
{
	struct feedwork *fw = user;
	struct ls_error err;
	struct ls_now now;
	int64_t t;

	(void)loop;
	ls_now_sample(fw->cfg->board.timezone, &now);
	if (ls_reporter_tick(fw->reporter, now.mono_ms, &err))
		log_warnx("%s", err.msg);
	t = ls_reporter_timeout_ms(fw->reporter, now.mono_ms);
	return t < 0 ? IDLE_MS : t;
}

/* A transfer ended: the feeds and the heartbeat queue take it in at once. */
static void on_net_settled(void *user)
{
	struct feedwork *fw = user;

	ls_loop_timer_move(fw->loop, fw->feeds_timer, 0);
	ls_loop_timer_move(fw->loop, fw->post_timer, 0);
}

void feedwork_status_now(struct feedwork *fw)
{
	ls_loop_timer_move(fw->loop, fw->status_timer, 0);
}

/* ---- the push channel ---- */

/* A message is a hint: a newer version makes that feed poll now (ls_push_hint()). */
static void push_message(struct feedwork *fw, const char *data, size_t len, int64_t wall_s)
{
	struct ls_error err;
	int64_t ts, shown;
	int layer;
	enum ls_push_hint h = ls_push_hint(fw->feeds, data, len, &layer, &ts, &shown, &err);

	ls_status_push_heard(fw->status, h, wall_s);
	if (h == LS_PUSH_REFUSED)
		log_warnx("push: message refused, nothing changes: %s: %.80s%s", err.msg, data,
			  len > 80 ? "..." : "");
	else if (h == LS_PUSH_SHOWN)
		log_info("push: feed %d, signed at %lld: already showing it (signed at %lld)",
			 layer + 1, (long long)ts, (long long)shown);
	else
		log_info("push: feed %d, signed at %lld: fetching it now", layer + 1,
			 (long long)ts);
	if (h == LS_PUSH_FETCH)
		ls_loop_timer_move(fw->loop, fw->feeds_timer, 0);
}

static void on_push(void *user, enum ls_push_event ev, const char *data, size_t len)
{
	struct feedwork *fw = user;
	const char *url = fw->cfg->feed.push_url;
	struct ls_now now;

	ls_now_sample(fw->cfg->board.timezone, &now);
	if (ev == LS_PUSH_CONNECTED) {
		log_info("push %s: connected", url);
		ls_status_push_up(fw->status, now.wall_s);
	} else if (ev == LS_PUSH_MESSAGE) {
		push_message(fw, data, len, now.wall_s);
	} else if (ev == LS_PUSH_OVERSIZED) {
		ls_status_push_heard(fw->status, LS_PUSH_REFUSED, now.wall_s);
		log_warnx("push: a message over %d bytes dropped, nothing changes",
			  LS_PUSH_MAX_BYTES);
	} else if (ls_status_push_down(fw->status, now.wall_s, data)) {
		log_warnx("push %s: %s; polling goes on, reconnecting with backoff", url, data);
	} else {
		log_debug("push %s: %s", url, data);
	}
	feedwork_status_now(fw);
}

/* The push channel, when a push URL is set; one that cannot start only
 * leaves the board polling. */
static void push_open(struct feedwork *fw)
{
	const struct ls_config *cfg = fw->cfg;
	struct ls_net_policy p = {cfg->feed.push_url, cfg->feed.token, cfg->feed.ca_file,
				  cfg->feed.connect_timeout_s, 0};
	struct ls_error err;

	if (cfg->feed.push_url[0]) {
		fw->push = ls_push_new(fw->loop, fw->net, &p, on_push, fw, &err);
		if (!fw->push)
			log_warnx("push channel disabled: %s", err.msg);
	}
	ls_status_push_open(fw->status, cfg->feed.push_url);
	feedwork_status_now(fw);
}

/* ---- making and replacing the feeds ---- */

/* The heartbeat reporter and its two timers, when a report URL is set; a
 * reporter that cannot start only disables heartbeats. */
static void reporter_open(struct feedwork *fw, const struct ls_now *now)
{
	const struct ls_config *cfg = fw->cfg;
	struct ls_error err;
	char dir[PATH_MAX + 16];

	if (!cfg->feed.report_url[0])
		return;
	snprintf(dir, sizeof(dir), "%s/reports", cfg->feed.state_dir);
	fw->reporter = ls_reporter_new(cfg->feed.report_url, dir, cfg, fw->net, &err);
	if (!fw->reporter) {
		log_warnx("heartbeats disabled: %s", err.msg);
		return;
	}
	fw->report_every_ms =
	    ls_interval_ms("LEDSIGN_TEST_REPORT_MS", (int64_t)cfg->feed.report_interval_s * 1000);
	fw->next_beat_ms = now->mono_ms + fw->report_every_ms;
	fw->beat_timer = ls_loop_timer_add(fw->loop, fw->report_every_ms, on_beat_timer, fw);
	fw->post_timer = ls_loop_timer_add(fw->loop, 0, on_post_timer, fw);
	if (!fw->beat_timer || !fw->post_timer)
		fatalx("out of memory");
}

/* What talks to servers: the heartbeats, the push channel and the feeds'
 * polls. It starts after the first frame (feedwork_frame()), so a board draws
 * from its cache before libcurl is even loaded (libcurl.h), and again after a
 * reload that starts the feeds afresh. */
static void network_open(struct feedwork *fw, const struct ls_now *now)
{
	reporter_open(fw, now);
	push_open(fw);
	ls_loop_timer_move(fw->loop, fw->feeds_timer, 0);
}

/* Creates the feeds of fw->cfg and only then replaces the running ones (if
 * any), so a section that cannot be opened leaves them as they were; shows the
 * cached versions before any network activity, then (once the network has
 * started) starts the heartbeat reporter, the push channel and the polls.
 * Returns 0, or -1 with err. */
static int feeds_open(struct feedwork *fw, const struct ls_now *now, struct ls_error *err)
{
	const struct ls_config *cfg = fw->cfg;
	struct ls_feeds_timing t = {.poll_ms = ls_interval_ms("LEDSIGN_TEST_POLL_MS", 0)};
	struct ls_net *net;
	struct ls_feeds *feeds;
	int n, kept;

	t.backoff_base_ms = t.backoff_cap_ms = t.poll_ms;
	net = ls_net_new(fw->loop);
	if (!net)
		return ls_error_set(err, "out of memory");
	feeds = ls_feeds_new(cfg, net, &t, on_feed_event, fw, err);
	if (!feeds) {
		ls_net_free(net);
		return -1;
	}
	n = ls_feeds_load_cache(feeds, now->wall_s);
	kept = ls_feeds_inherit(feeds, fw->feeds); /* a changed url keeps its layer's version */
	feeds_close(fw);
	fw->net = net;
	fw->feeds = feeds;
	fw->feed_cfg = cfg->feed;
	ls_net_on_settled(net, on_net_settled, fw);
	if (kept)
		log_info("%d of %d feeds shown from the cache (%s), %d from their previous URL", n,
			 ls_feeds_count(fw->feeds), cfg->feed.cache_dir, kept);
	else
		log_info("%d of %d feeds shown from the cache (%s)", n, ls_feeds_count(fw->feeds),
			 cfg->feed.cache_dir);
	feeds_to_player(fw);
	if (fw->online)
		network_open(fw, now);
	return 0;
}

void feedwork_start(struct feedwork *fw, const struct ls_config *cfg, struct ls_player *player,
		    struct ls_loop *loop, const struct ls_now *now)
{
	struct ls_error err;
	int w, h;

	*fw = (struct feedwork){.cfg = cfg, .player = player, .loop = loop};
	fw->status = ls_status_new(cfg->board.name, now->mono_ms, now->wall_s);
	if (!fw->status)
		fatalx("out of memory");
	ls_panel_canvas_size(&cfg->panel, &w, &h);
	ls_status_panel(fw->status, w, h, cfg->panel.type != LS_PANEL_HUB12);
	fw->status_every_ms = ls_interval_ms("LEDSIGN_TEST_STATUS_MS", LS_STATUS_EVERY_MS);
	if (feeds_open(fw, now, &err))
		fatalx("%s", err.msg); /* before the output opens: nothing to blank yet */
	/* Due when the network starts, after the first frame (network_open()). */
	fw->feeds_timer = ls_loop_timer_add(loop, IDLE_MS, on_feeds_timer, fw);
	fw->status_timer = ls_loop_timer_add(loop, 0, on_status_timer, fw);
	if (!fw->feeds_timer || !fw->status_timer)
		fatalx("out of memory");
}

/* At stop, what was counted since the last heartbeat is queued as a last
 * one and the status file written, so the two agree; then the loop runs (the
 * network only: no timer counts or reports anything any more) until the
 * receiver has taken the queue, for at most FINAL_REPORT_MS; what it has not
 * taken stays queued for the next start. */
#define FINAL_REPORT_MS 2000

static void final_heartbeat(struct feedwork *fw, const struct ls_now *now)
{
	ls_loop_timer_del(fw->loop, fw->beat_timer);
	fw->beat_timer = 0;
	queue_heartbeat(fw, now);
	write_status(fw, now);
	ls_reporter_drain(fw->reporter, fw->loop, FINAL_REPORT_MS);
}

void feedwork_stop(struct feedwork *fw)
{
	struct ls_now now;

	ls_loop_timer_del(fw->loop, fw->feeds_timer);
	ls_loop_timer_del(fw->loop, fw->status_timer);
	ls_now_sample(fw->cfg->board.timezone, &now);
	if (fw->reporter)
		final_heartbeat(fw, &now);
	else
		write_status(fw, &now);
	feeds_close(fw);
	ls_status_free(fw->status);
}

int feedwork_reload(struct feedwork *fw, struct ls_player *player, const struct ls_now *now,
		    struct ls_error *err)
{
	struct ls_player *old = fw->player;

	if (!ls_feed_config_equal(&fw->feed_cfg, &fw->cfg->feed)) {
		/* The play counters go on: proof of play is the board's, not the feed's. */
		log_info("reload: [feed] changed, starting the feeds afresh");
		write_status(fw, now);
		fw->player = player;
		if (feeds_open(fw, now, err)) {
			fw->player = old;
			return -1;
		}
		feedwork_status_now(fw);
		return 0;
	}
	fw->player = player;
	feeds_to_player(fw);
	return 0;
}

static void warn_problem(void *user, const char *zone, const struct ls_item *it,
			 const char *problem)
{
	(void)user;
	if (zone)
		log_warnx("item %s (zone %s): %s", it->id, zone, problem);
	else
		log_warnx("item %s: %s", it->id, problem);
}

void feedwork_frame(struct feedwork *fw, const struct ls_now *now)
{
	int64_t since = 0;
	const struct ls_item *it = ls_player_current(fw->player, &since);

	if (!fw->online) {
		fw->online = true;
		network_open(fw, now);
	}
	ls_status_day(fw->status, now->wall_valid ? ls_tm_yyyymmdd(&now->local) : 0);
	ls_status_frame(fw->status, it ? it->id : NULL, since, now->mono_ms);
	ls_status_watch(fw->status, fw->player, warn_problem, NULL);
}
