/*
 * test_status.c: the status counters and document: today's plays and seconds
 * start afresh on a new local date while the totals go on, the first known
 * date keeps what came before it, why each zone shows what it shows and what
 * is wrong with its text reach the document (watched on the player, each
 * problem told once), and the file reader that
 * `ledsign status` and `ledsign doctor` share.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "harness.h"
#include "ledsign/atomic.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/heartbeat.h"
#include "ledsign/status.h"

/* Asserts item id's plays and ms today (or since start). */
static void expect(const struct ls_status *st, const char *id, bool today, long plays, int64_t ms)
{
	long p;
	int64_t m;

	(today ? ls_status_item_today : ls_status_item)(st, id, &p, &m);
	ASSERT_MSG(p == plays && m == ms, "%s %s: %ld plays %lld ms, expected %ld %lld", id,
		   today ? "today" : "total", p, (long long)m, plays, (long long)ms);
}

#define expect_today(st, id, plays, ms) expect(st, id, true, plays, ms)
#define expect_total(st, id, plays, ms) expect(st, id, false, plays, ms)

TEST(a_new_local_date_starts_todays_counts_afresh_and_keeps_the_totals)
{
	struct ls_status *st = ls_status_new("b", 0, 1000);

	ls_status_day(st, 20261201);
	ls_status_frame(st, "a", 0, 0);
	ls_status_frame(st, "b", 4000, 4000); /* a: 1 play, 4 s */
	ls_status_frame(st, "b", 4000, 6000); /* b: 1 play, 2 s so far */
	expect_today(st, "a", 1, 4000);
	ls_status_day(st, 20261202); /* midnight while b plays */
	expect_today(st, "a", 0, 0);
	expect_today(st, "b", 0, 0);
	ls_status_frame(st, "b", 4000, 7000);
	ls_status_frame(st, "a", 7000, 7000);
	ls_status_frame(st, NULL, 0, 8000);
	expect_today(st, "b", 0, 1000); /* b's play began yesterday: its second today counts */
	expect_today(st, "a", 1, 1000);
	expect_total(st, "a", 2, 5000);
	expect_total(st, "b", 1, 3000);
	ls_status_day(st, 20261202); /* the same date again changes nothing */
	expect_today(st, "a", 1, 1000);
	ls_status_free(st);
}

TEST(unknown_date_keeps_counting_and_the_first_known_date_keeps_it)
{
	struct ls_status *st = ls_status_new("b", 0, 0);

	ls_status_day(st, 0); /* booted without a synchronised clock */
	ls_status_frame(st, "a", 0, 0);
	ls_status_frame(st, "a", 0, 3000);
	expect_today(st, "a", 1, 3000);
	ls_status_day(st, 20261201); /* NTP answers: those plays were today's */
	expect_today(st, "a", 1, 3000);
	ls_status_day(st, 0); /* losing the clock again does not end the day */
	ls_status_frame(st, "a", 0, 4000);
	expect_today(st, "a", 1, 4000);
	ls_status_free(st);
}

TEST(document_carries_today_reason_problem_and_zones)
{
	struct ls_status *st = ls_status_new("Ba Đình", 0, 1000);
	struct ls_status_zone z[2] = {
	    {.name = "clock",
	     .item_id = "clk",
	     .since_ms = 0,
	     .reason = "scheduled",
	     .problem = ""},
	    {.name = "main",
	     .item_id = "a",
	     .since_ms = 500,
	     .reason = "nothing scheduled now: the playlist's default item plays",
	     .problem = "1 character in no font (drawn as boxes): '漢' (U+6F22)",
	     .main = true},
	};
	cJSON *doc, *cur, *zones, *items, *e;
	char *json;

	ls_status_day(st, 20261201);
	ls_status_frame(st, "a", 500, 500);
	ls_status_zones(st, z, 2);
	ls_status_frame(st, "a", 500, 2500);
	json = ls_status_json(st, NULL, 2500, 1002);
	doc = cJSON_Parse(json);
	ASSERT(doc);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "reason")), z[1].reason);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "today")), "2026-12-01");
	cur = cJSON_GetObjectItem(doc, "current");
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cur, "id")), "a");
	ASSERT_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItem(cur, "problem")), "U+6F22");
	zones = cJSON_GetObjectItem(doc, "zones");
	ASSERT_EQ_INT(cJSON_GetArraySize(zones), 2);
	e = cJSON_GetArrayItem(zones, 0);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "name")), "clock");
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), "clk");
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "reason")), "scheduled");
	ASSERT(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "seconds")) == 2.5);
	items = cJSON_GetObjectItem(doc, "items");
	e = cJSON_GetArrayItem(items, 0);
	ASSERT(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "plays_today")) == 1);
	ASSERT(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "seconds_today")) == 2.0);
	cJSON_Delete(doc);
	free(json);
	ls_status_free(st);
}

/* ---- watching the player (ls_status_watch) ---- */

struct told {
	int n;
	char last[512];
	bool zone_named;
};

static void tell(void *user, const char *zone, const struct ls_item *it, const char *problem)
{
	struct told *t = user;

	t->n++;
	t->zone_named = zone != NULL;
	snprintf(t->last, sizeof(t->last), "%s: %s", it->id, problem);
}

static struct ls_player *player_of(const char *json)
{
	static struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_error err;
	struct ls_player *p;

	ls_config_defaults(&cfg);
	ls_config_default_fonts(&cfg);
	ls_player_config_from(&pc, &cfg);
	pls[0] = ls_playlist_parse(json, strlen(json), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	return p;
}

/* Plays frames from..to-1 at 25 a second, watching after each; returns how many looks changed. */
static int play_watching(struct ls_player *p, struct ls_status *st, struct told *t, int from,
			 int to)
{
	struct ls_canvas *c = ls_canvas_new(192, 16);
	int changes = 0;

	for (int k = from; k < to; k++) {
		const struct ls_item *it;
		int64_t since = 0;
		struct ls_now now;
		ls_now_at("Asia/Ho_Chi_Minh", 1772411400 + k * 40 / 1000, k * 40, &now);
		ls_player_frame(p, &now, c);
		it = ls_player_current(p, &since);
		ls_status_frame(st, it ? it->id : NULL, since,
				now.mono_ms); /* as the service does */
		changes += ls_status_watch(st, p, tell, t);
	}
	ls_canvas_free(c);
	return changes;
}

static const char TWO_ITEMS[] =
    "{\"version\": 1, \"items\": ["
    "{\"id\": \"lo\", \"text\": \"A\xf4\x8f\xbf\xbd B\", \"effect\": \"static\", \"duration\": 1},"
    "{\"id\": \"ok\", \"text\": \"Mở cửa\", \"effect\": \"static\", \"duration\": 1}]}";

TEST(watching_tells_of_an_item_problem_once_until_the_playlists_change)
{
	struct ls_player *p = player_of(TWO_ITEMS);
	struct ls_status *st = ls_status_new("b", 0, 1772411400);
	struct told t = {0};
	int changes = play_watching(p, st, &t, 0, 100); /* 4 s: each item plays twice */

	ASSERT_EQ_INT(t.n, 1);
	ASSERT_CONTAINS(t.last, "lo: 1 character in no font");
	ASSERT(!t.zone_named);		      /* a board of one zone names none */
	ASSERT(changes >= 4 && changes < 10); /* each start, not each frame */
	ls_status_rewatch(st);
	play_watching(p, st, &t, 100, 150);
	ASSERT_EQ_INT(t.n, 2); /* told again after new playlists */
	ls_status_free(st);
	ls_player_free(p);
}

TEST(watching_puts_what_each_zone_shows_and_why_in_the_document)
{
	struct ls_player *p = player_of(TWO_ITEMS);
	struct ls_status *st = ls_status_new("b", 0, 1772411400);
	struct told t = {0};
	char *json;
	cJSON *doc, *cur;

	play_watching(p, st, &t, 0, 10);	   /* "lo" plays */
	ASSERT(!ls_status_watch(st, p, tell, &t)); /* nothing changed since the last look */
	json = ls_status_json(st, NULL, 400, 1772411400);
	doc = cJSON_Parse(json);
	cur = cJSON_GetObjectItem(doc, "current");
	ASSERT_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItem(cur, "problem")), "U+10FFFD");
	ASSERT(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "reason")));
	cJSON_Delete(doc);
	free(json);
	ls_status_free(st);
	ls_player_free(p);
}

/* The document's "push" object, parsed. */
static cJSON *push_of(const struct ls_status *st, cJSON **doc)
{
	char *json = ls_status_json(st, NULL, 0, 2000);

	*doc = cJSON_Parse(json);
	free(json);
	ASSERT(*doc);
	return cJSON_GetObjectItem(*doc, "push");
}

static double field(const cJSON *o, const char *key)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

TEST(the_push_channel_counts_pushes_and_ignored_messages_and_tells_its_first_loss)
{
	struct ls_status *st = ls_status_new("b", 0, 1000);
	cJSON *doc, *p;

	p = push_of(st, &doc);
	ASSERT(cJSON_IsNull(p)); /* none configured */
	cJSON_Delete(doc);
	ls_status_push_open(st, "https://feed.example.vn/sub/b");
	ASSERT(ls_status_push_down(st, 1100, "connection refused"));  /* first loss: tell */
	ASSERT(!ls_status_push_down(st, 1200, "connection refused")); /* again: do not */
	p = push_of(st, &doc);
	ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(p, "connected")));
	ASSERT(field(p, "since") == 1100); /* down since the first loss */
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "error")), "connection refused");
	cJSON_Delete(doc);
	ls_status_push_up(st, 1300);
	ls_status_push_heard(st, LS_PUSH_FETCH, 1400);
	ls_status_push_heard(st, LS_PUSH_SHOWN, 1500);
	ls_status_push_heard(st, LS_PUSH_REFUSED, 1600); /* a refused one is no push */
	p = push_of(st, &doc);
	ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(p, "connected")));
	ASSERT(field(p, "since") == 1300);
	ASSERT(field(p, "last_push_at") == 1500);
	ASSERT(field(p, "pushes") == 1);
	ASSERT(field(p, "ignored") == 2);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "error")), "");
	cJSON_Delete(doc);
	ASSERT(ls_status_push_down(st, 1700, "idle"));		  /* up in between: told again */
	ls_status_push_open(st, "https://feed.example.vn/sub/b"); /* a reload: counts go on */
	p = push_of(st, &doc);
	ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(p, "connected")));
	ASSERT(field(p, "pushes") == 1);
	cJSON_Delete(doc);
	ls_status_free(st);
}

TEST(the_status_file_written_is_the_document_the_reader_reads)
{
	struct ls_status *st = ls_status_new("Ba Đình", 0, 1000);
	char path[4096];
	struct ls_error err;
	int64_t mtime = 0;
	cJSON *doc;

	snprintf(path, sizeof(path), "%s/status.json", th_tmpdir());
	ASSERT_MSG(ls_status_write(st, NULL, path, 500, 1000, &err) == 0, "%s", err.msg);
	doc = ls_status_read(path, &mtime, &err);
	ASSERT_MSG(doc, "%s", err.msg);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "board")), "Ba Đình");
	ASSERT(mtime > 0);
	cJSON_Delete(doc);
	ASSERT_EQ_INT(ls_status_write(st, NULL, "/nonexistent/dir/s.json", 500, 1000, &err), -1);
	ASSERT_CONTAINS(err.msg, "/nonexistent/dir");
	ls_status_free(st);
}

TEST(document_before_any_zone_or_date_says_null)
{
	struct ls_status *st = ls_status_new("b", 0, 0);
	char *json = ls_status_json(st, NULL, 0, 0);
	cJSON *doc = cJSON_Parse(json);

	ASSERT(cJSON_IsNull(cJSON_GetObjectItem(doc, "reason")));
	ASSERT(cJSON_IsNull(cJSON_GetObjectItem(doc, "today")));
	ASSERT(cJSON_IsNull(cJSON_GetObjectItem(doc, "current")));
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "zones")), 0);
	cJSON_Delete(doc);
	free(json);
	ls_status_free(st);
}

TEST(heartbeats_carry_interval_counts_not_todays)
{
	struct ls_status *st = ls_status_new("b", 0, 0);
	char *json;

	ls_status_day(st, 20261201);
	ls_status_frame(st, "a", 0, 0);
	ls_status_frame(st, "a", 0, 1000);
	json = ls_status_heartbeat(st, NULL, 1, 1000, 1);
	ASSERT(json && !strstr(json, "plays_today"));
	free(json);
	expect_today(st, "a", 1, 1000); /* a heartbeat starts a new interval, not a new day */
	ls_status_free(st);
}

TEST(heartbeat_and_status_carry_the_panel_geometry_once_it_is_known)
{
	struct ls_status *st = ls_status_new("b", 0, 0);
	char *json = ls_status_heartbeat(st, NULL, 1, 1000, 1);
	cJSON *doc, *p;

	ASSERT(json && !strstr(json, "\"panel\""));
	free(json);
	ls_status_panel(st, 192, 16, false);
	json = ls_status_heartbeat(st, NULL, 2, 2000, 2);
	doc = cJSON_Parse(json);
	p = cJSON_GetObjectItem(doc, "panel");
	ASSERT(cJSON_IsObject(p));
	ASSERT_EQ_INT(cJSON_GetObjectItem(p, "width")->valueint, 192);
	ASSERT_EQ_INT(cJSON_GetObjectItem(p, "height")->valueint, 16);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(p, "colour")), "mono");
	cJSON_Delete(doc);
	free(json);
	ls_status_panel(st, 64, 32, true);
	json = ls_status_json(st, NULL, 3000, 3);
	doc = cJSON_Parse(json);
	ASSERT_EQ_STR(
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "panel"), "colour")),
	    "rgb");
	cJSON_Delete(doc);
	free(json);
	ls_status_free(st);
}

TEST(status_file_reader_returns_the_document_and_its_time_or_says_what_is_wrong)
{
	struct ls_status *st = ls_status_new("b", 0, 0);
	char path[512], *json = ls_status_json(st, NULL, 0, 0);
	struct ls_error err;
	int64_t mtime = 0;
	cJSON *doc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/status.json", th_tmpdir());
	ASSERT(!ls_status_read(path, NULL, &err));
	ASSERT_CONTAINS(err.msg, "no status file");
	ASSERT_CONTAINS(err.msg, "ledsignd");
	ASSERT_EQ_INT(ls_write_file_atomic(path, json, &err), 0);
	doc = ls_status_read(path, &mtime, &err);
	ASSERT_MSG(doc, "%s", err.msg);
	ASSERT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "board")), "b");
	ASSERT(mtime > 1700000000);
	cJSON_Delete(doc);
	f = fopen(path, "w");
	ASSERT(f);
	fputs("[1, 2", f);
	fclose(f);
	ASSERT(!ls_status_read(path, NULL, &err));
	ASSERT_CONTAINS(err.msg, "not a status document");
	free(json);
	ls_status_free(st);
}

/* ---- the heartbeat queue ---- */

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ASSERT(f);
	fputs(text, f);
	fclose(f);
}

static bool has_file(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static struct ls_reporter *reporter_on(const char *dir)
{
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct ls_error err;
	struct ls_reporter *r;

	ASSERT(cfg);
	ls_config_defaults(cfg);
	r = ls_reporter_new("http://127.0.0.1:9/report", dir, cfg, NULL, &err);
	ASSERT_MSG(r, "%s", err.msg);
	free(cfg);
	return r;
}

TEST(a_full_queue_drops_exactly_its_oldest_report)
{
	const char *dir = th_tmpdir();
	struct ls_reporter *r;
	struct ls_error err;
	char name[32];

	for (int i = 1; i <= LS_REPORT_QUEUE_MAX; i++) {
		snprintf(name, sizeof(name), "%020d.json", i);
		put_file(dir, name, "{}");
	}
	r = reporter_on(dir);
	ASSERT_EQ_INT(ls_reporter_queued(r), LS_REPORT_QUEUE_MAX);
	ASSERT_MSG(!ls_reporter_enqueue(r, "{}", &err), "%s", err.msg);
	ASSERT_EQ_INT(ls_reporter_queued(r), LS_REPORT_QUEUE_MAX);
	ASSERT(!has_file(dir, "00000000000000000001.json"));
	ASSERT(has_file(dir, "00000000000000000002.json"));
	snprintf(name, sizeof(name), "%020d.json", LS_REPORT_QUEUE_MAX + 1);
	ASSERT(has_file(dir, name));
	ls_reporter_free(r);
}

/* An old report still queued and a next-seq far beyond it (a damaged file,
 * or a huge gap): the trim drops the old report without counting up the gap. */
TEST(a_huge_gap_after_an_old_report_is_trimmed_without_walking_the_gap)
{
	const char *dir = th_tmpdir();
	struct ls_reporter *r;
	struct ls_error err;

	alarm(20); /* counting up the gap one unlink at a time would take hours */
	put_file(dir, "00000000000000000003.json", "{}");
	put_file(dir, "next-seq", "99999999999\n");
	r = reporter_on(dir);
	ASSERT_EQ_INT(ls_reporter_next_seq(r), 99999999999);
	ASSERT_MSG(!ls_reporter_enqueue(r, "{\"seq\":99999999999}", &err), "%s", err.msg);
	ASSERT(ls_reporter_queued(r) <= LS_REPORT_QUEUE_MAX);
	ASSERT(!has_file(dir, "00000000000000000003.json"));
	ASSERT(has_file(dir, "00000000099999999999.json"));
	ASSERT_EQ_INT(ls_reporter_next_seq(r), 100000000000);
	ls_reporter_free(r);
}

/* A next-seq that is not a sequence number is ignored: numbering goes on
 * from the queued reports. */
TEST(a_corrupt_next_seq_is_ignored_and_numbering_follows_the_queue)
{
	const char *bad[] = {"garbage\n", "18446744073709551615\n", "99999999999999999999\n",
			     "-5\n", "12abc\n"};

	alarm(20);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char dir[512];
		struct ls_reporter *r;
		struct ls_error err;

		snprintf(dir, sizeof(dir), "%s/q%zu", th_tmpdir(), i);
		ASSERT(mkdir(dir, 0700) == 0);
		put_file(dir, "00000000000000000007.json", "{}");
		put_file(dir, "next-seq", bad[i]);
		r = reporter_on(dir);
		ASSERT_MSG(ls_reporter_next_seq(r) == 8, "next-seq %s", bad[i]);
		ASSERT_MSG(!ls_reporter_enqueue(r, "{}", &err), "%s", err.msg);
		ASSERT_EQ_INT(ls_reporter_queued(r), 2);
		ASSERT(has_file(dir, "00000000000000000007.json"));
		ASSERT(has_file(dir, "00000000000000000008.json"));
		ls_reporter_free(r);
	}
}

/* The service's post timer: ticks the reporter, as ledsignd_feed.c's does. */
static int64_t tick_reporter(struct ls_loop *loop, void *user)
{
	struct ls_error err;
	int64_t t;

	ls_reporter_tick(user, ls_loop_now(loop), &err);
	t = ls_reporter_timeout_ms(user, ls_loop_now(loop));
	return t < 0 ? 60000 : t;
}

struct drain_wiring {
	struct ls_loop *loop;
	uint64_t timer;
};

/* A transfer ended: the reporter takes it in at once, as in the service. */
static void settled(void *user)
{
	struct drain_wiring *w = user;

	ls_loop_timer_move(w->loop, w->timer, 0);
}

/* At stop the queue is given up to a deadline, but not waited on while the
 * receiver refuses (the reporter backs off): the report stays for the next start. */
TEST(draining_at_stop_gives_up_when_the_receiver_refuses_and_keeps_the_report)
{
	const char *dir = th_tmpdir();
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct ls_config *cfg = calloc(1, sizeof(*cfg));
	struct ls_reporter *r;
	struct ls_error err;
	struct drain_wiring w;
	int64_t t0;

	ASSERT(net && cfg);
	ls_config_defaults(cfg);
	r = ls_reporter_new("http://127.0.0.1:9/report", dir, cfg, net, &err);
	ASSERT_MSG(r, "%s", err.msg);
	t0 = ls_loop_now(loop);
	ls_reporter_drain(r, loop, 5000); /* nothing queued: back at once */
	ASSERT(ls_loop_now(loop) - t0 < 1000);
	ASSERT_EQ_INT(ls_reporter_enqueue(r, "{\"seq\":1}", &err), 0);
	w.loop = loop;
	w.timer = ls_loop_timer_add(loop, 0, tick_reporter, r);
	ASSERT(w.timer);
	ls_net_on_settled(net, settled, &w);
	t0 = ls_loop_now(loop);
	ls_reporter_drain(r, loop, 5000);
	ASSERT_MSG(ls_loop_now(loop) - t0 < 4000, "drained for %lld ms",
		   (long long)(ls_loop_now(loop) - t0));
	ASSERT_EQ_INT(ls_reporter_queued(r), 1);
	ls_reporter_free(r);
	ls_net_free(net);
	ls_loop_free(loop);
	free(cfg);
}
