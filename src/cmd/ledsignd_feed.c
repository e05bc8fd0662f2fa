/*
 * ledsignd_feed.c: the feed edge of the service's main loop (see
 * ledsignd_feed.h): wiring feeds, status and heartbeats to the clock, the
 * log and poll().
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/log.h"
#include "ledsignd_feed.h"

/* Test-only knobs (deploy/FEED.md, "Testing"): milliseconds from the
 * environment, 0 when unset. */
static int64_t env_ms(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? strtoll(v, NULL, 10) : 0;
}

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
		log_warnx("feed %d %s: %s; still showing the last good version", ev->layer + 1,
			  ev->url, ev->msg);
		break;
	case LS_FEED_WARNING:
		log_warnx("feed %d %s: %s", ev->layer + 1, ev->url, ev->msg);
		break;
	}
	fw->status_dirty = true;
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
}

/* Creates the feeds and shows their cached versions, before any network
 * activity; the first polls start with the main loop. */
void feedwork_start(struct feedwork *fw, const struct ls_config *cfg, struct ls_player *player,
		    const struct ls_now *now)
{
	struct ls_feeds_timing t = {.poll_ms = env_ms("LEDSIGN_TEST_POLL_MS")};
	struct ls_error err;
	char dir[PATH_MAX + 16];
	int n;

	*fw = (struct feedwork){.cfg = cfg, .player = player, .feed_cfg = cfg->feed};
	t.backoff_base_ms = t.backoff_cap_ms = t.poll_ms;
	fw->net = ls_net_new();
	if (!fw->net)
		fatalx("libcurl could not start");
	fw->feeds = ls_feeds_new(cfg, fw->net, &t, on_feed_event, fw, &err);
	if (!fw->feeds)
		fatalx("%s", err.msg);
	n = ls_feeds_load_cache(fw->feeds, now->wall_s);
	log_info("%d of %d feeds shown from the cache (%s)", n, ls_feeds_count(fw->feeds),
		 cfg->feed.cache_dir);
	feeds_to_player(fw);
	fw->status = ls_status_new(cfg->board.name, now->mono_ms, now->wall_s);
	if (!fw->status)
		fatalx("out of memory");
	fw->status_every_ms = env_ms("LEDSIGN_TEST_STATUS_MS");
	if (fw->status_every_ms <= 0)
		fw->status_every_ms = 10000;
	fw->next_status_ms = now->mono_ms;
	if (!cfg->feed.report_url[0])
		return;
	snprintf(dir, sizeof(dir), "%s/reports", cfg->feed.state_dir);
	fw->reporter = ls_reporter_new(cfg->feed.report_url, dir, cfg, fw->net, &err);
	if (!fw->reporter)
		log_warnx("heartbeats disabled: %s", err.msg);
	fw->report_every_ms = env_ms("LEDSIGN_TEST_REPORT_MS");
	if (fw->report_every_ms <= 0)
		fw->report_every_ms = (int64_t)cfg->feed.report_interval_s * 1000;
	fw->next_report_ms = now->mono_ms + fw->report_every_ms;
}

static void write_status(struct feedwork *fw, const struct ls_now *now)
{
	struct ls_error err;
	char *json = ls_status_json(fw->status, fw->feeds, now->mono_ms, now->wall_s);

	if (!json || !fw->cfg->feed.status_file[0]) {
		free(json);
		return;
	}
	if (ls_write_file_atomic(fw->cfg->feed.status_file, json, &err)) {
		if (!fw->status_warned)
			log_warnx("status file: %s (reported once)", err.msg);
		fw->status_warned = true;
	} else {
		fw->status_warned = false;
	}
	free(json);
}

/* Queues a heartbeat when one is due and keeps the queue moving. */
static void heartbeat_tick(struct feedwork *fw, const struct ls_now *now)
{
	struct ls_error err;
	char *json;

	if (!fw->reporter)
		return;
	if (now->mono_ms >= fw->next_report_ms) {
		fw->next_report_ms += fw->report_every_ms;
		if (fw->next_report_ms <= now->mono_ms)
			fw->next_report_ms = now->mono_ms + fw->report_every_ms;
		json =
		    ls_status_heartbeat(fw->status, fw->feeds, ls_reporter_next_seq(fw->reporter),
					now->mono_ms, now->wall_s);
		if (!json || ls_reporter_enqueue(fw->reporter, json, &err))
			log_warnx("heartbeat not queued: %s", json ? err.msg : "out of memory");
		free(json);
	}
	if (ls_reporter_tick(fw->reporter, now->mono_ms, &err))
		log_warnx("%s", err.msg);
}

/* Polls feeds, writes status, sends heartbeats: whatever is due now. */
static void feedwork_tick(struct feedwork *fw, const struct ls_now *now,
			  volatile sig_atomic_t *dump)
{
	if (ls_feeds_tick(fw->feeds, now->mono_ms, now->wall_s))
		feeds_to_player(fw);
	heartbeat_tick(fw, now);
	if (*dump || fw->status_dirty || now->mono_ms >= fw->next_status_ms) {
		*dump = 0;
		fw->status_dirty = false;
		fw->next_status_ms = now->mono_ms + fw->status_every_ms;
		write_status(fw, now);
	}
}

static int64_t min_timeout(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static void sleep_until(int64_t mono_ms)
{
	struct timespec ts = {.tv_sec = mono_ms / 1000, .tv_nsec = (mono_ms % 1000) * 1000000};

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL); /* a signal ends it early */
}

/* Waits until mono_ms, the next frame, serving the network meanwhile: poll()
 * on libcurl's sockets for at most the time left, then the rest of the way
 * on the monotonic clock. */
void feedwork_wait(struct feedwork *fw, int64_t mono_ms, volatile sig_atomic_t *quit,
		   volatile sig_atomic_t *dump)
{
	struct pollfd fds[LS_NET_MAX_FDS];
	struct ls_now now;

	for (;;) {
		int64_t t;
		int n, r;

		ls_now_sample(fw->cfg->board.timezone, &now);
		feedwork_tick(fw, &now, dump);
		if (*quit || now.mono_ms >= mono_ms)
			return;
		t = min_timeout(ls_net_timeout_ms(fw->net, now.mono_ms),
				ls_feeds_timeout_ms(fw->feeds, now.mono_ms));
		if (fw->reporter)
			t = min_timeout(t, ls_reporter_timeout_ms(fw->reporter, now.mono_ms));
		if (fw->reporter && fw->next_report_ms - now.mono_ms < t)
			t = fw->next_report_ms - now.mono_ms;
		if (t < 0 || t >= mono_ms - now.mono_ms) {
			t = mono_ms - now.mono_ms;
			n = ls_net_pollfds(fw->net, fds, LS_NET_MAX_FDS);
			if (n == 0) {
				sleep_until(mono_ms);
				continue;
			}
		}
		n = ls_net_pollfds(fw->net, fds, LS_NET_MAX_FDS);
		r = poll(fds, (nfds_t)n, (int)t);
		ls_now_sample(fw->cfg->board.timezone, &now);
		ls_net_perform(fw->net, fds, r > 0 ? n : 0, now.mono_ms);
	}
}

void feedwork_stop(struct feedwork *fw)
{
	struct ls_now now;

	ls_now_sample(fw->cfg->board.timezone, &now);
	write_status(fw, &now);
	ls_reporter_free(fw->reporter);
	ls_feeds_free(fw->feeds);
	ls_net_free(fw->net);
	ls_status_free(fw->status);
}

void feedwork_reload(struct feedwork *fw, struct ls_player *player, const struct ls_now *now)
{
	if (memcmp(&fw->feed_cfg, &fw->cfg->feed, sizeof(fw->feed_cfg))) {
		const struct ls_config *cfg = fw->cfg;

		log_info("reload: [feed] changed, starting the feeds afresh");
		feedwork_stop(fw);
		feedwork_start(fw, cfg, player, now);
		return;
	}
	fw->player = player;
	feeds_to_player(fw);
}

void feedwork_frame(struct feedwork *fw, const struct ls_now *now)
{
	int64_t since = 0;
	const struct ls_item *it = ls_player_current(fw->player, &since);

	ls_status_frame(fw->status, it ? it->id : NULL, since, now->mono_ms);
}
