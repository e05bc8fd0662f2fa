/*
 * The hub receiving heartbeats: the format boards send (deploy/FEED.md),
 * per-board tokens, enrolment, exactly-once storage, gaps, and hostile input
 * refused with a reason and nothing stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "hub_fixture.h"

#define TOKEN "Zm9yLXRoZS10ZXN0LWJvYXJkLTE"
#define BEARER "Bearer " TOKEN

/* A heartbeat like ledsignd's (src/sys/status.c), numbered seq over from..to. */
static char *hb(const char *board, int seq, long from, long to, const char *item, int plays,
		double seconds)
{
	char *s = malloc(2048);

	snprintf(s, 2048,
		 "{\"board\":\"%s\",\"time\":%ld,\"uptime_s\":%ld,\"current\":{\"id\":\"%s\","
		 "\"seconds\":1.5,\"problem\":\"\"},"
		 "\"reason\":\"scheduled\",\"seq\":%d,\"from\":%ld,\"to\":%ld,"
		 "\"items\":[{\"id\":\"%s\",\"plays\":%d,\"seconds\":%.3f}],"
		 "\"feeds\":[{\"url\":\"https://feed.example.vn/"
		 "national.json\",\"has_content\":true,\"version\":1796000000,"
		 "\"accepted_at\":1796000100,\"age_s\":60,\"checked_at\":1796000200,\"polls\":4,"
		 "\"not_modified\":3,\"failures\":0,\"error\":\"\"}]}",
		 board, to, to - from + 3600, item, seq, from, to, item, plays, seconds);
	return s;
}

static int post(struct hub *h, const char *auth, char *body, struct hub_response *rs)
{
	struct hub_request rq = fx_req("POST", "/api/heartbeat", body);
	int st;

	rq.authorization = auth;
	st = fx_do(h, &rq, rs);
	free(body);
	return st;
}

static void enrol(struct hub *h, const char *name)
{
	struct ls_error err;

	ASSERT_MSG(
	    hub_board_accept(h, name, TOKEN, "Hà Nội", "Ba Đình", "national", "test", &err) == 0,
	    "%s", err.msg);
}

TEST(heartbeat_as_ledsignd_sends_it_parses)
{
	struct hub_heartbeat *b = malloc(sizeof(*b));
	struct ls_error err;
	char *s = hb("bhxh-ba-dinh", 7, 1796169000, 1796169300, "an-sinh", 12, 287.25);

	ASSERT_MSG(hub_heartbeat_parse(s, strlen(s), b, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(b->board, "bhxh-ba-dinh");
	ASSERT_EQ_INT(b->seq, 7);
	ASSERT_EQ_INT(b->to - b->from, 300);
	ASSERT_EQ_INT(b->n_items, 1);
	ASSERT_EQ_INT(b->items[0].plays, 12);
	ASSERT_EQ_INT(b->items[0].ms, 287250);
	ASSERT_EQ_STR(b->current, "an-sinh");
	ASSERT_EQ_INT(b->n_feeds, 1);
	ASSERT_EQ_INT(b->feeds[0].version, 1796000000);
	free(s);
	free(b);
}

static void refused_parse(const char *body, const char *why)
{
	struct hub_heartbeat *b = malloc(sizeof(*b));
	struct ls_error err = {{0}};

	ASSERT_MSG(hub_heartbeat_parse(body, strlen(body), b, &err) == -1, "accepted: %s", body);
	ASSERT_CONTAINS(err.msg, why);
	free(b);
}

TEST(malformed_heartbeats_are_refused_naming_the_field)
{
	refused_parse("", "empty body");
	refused_parse("{\"board\":", "not JSON");
	refused_parse("[1,2]", "not a JSON object");
	refused_parse("{\"board\":\"a\"} trailing", "text after");
	refused_parse("{\"seq\":1}", "board: missing");
	refused_parse("{\"board\":\"a\",\"seq\":1.5,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,"
		      "\"items\":[]}",
		      "seq: 1.5");
	refused_parse("{\"board\":\"a\",\"seq\":0,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,"
		      "\"items\":[]}",
		      "seq: 0");
	refused_parse("{\"board\":\"a\",\"seq\":\"1\",\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":"
		      "1,\"items\":[]}",
		      "seq: not a number");
	refused_parse("{\"board\":\"a\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1}",
		      "items: missing");
	refused_parse("{\"board\":\"a\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,"
		      "\"items\":[{\"id\":\"x\",\"plays\":-1,\"seconds\":1}]}",
		      "items[0].plays: -1");
	refused_parse(
	    "{\"board\":\"a\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,\"items\":[{"
	    "\"id\":\"x\",\"plays\":1,\"seconds\":1},{\"id\":\"x\",\"plays\":1,\"seconds\":1}]}",
	    "listed twice");
	refused_parse("{\"board\":\"a\\u0001b\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_"
		      "s\":1,\"items\":[]}",
		      "control character");
	refused_parse("{\"board\":\"a\xff\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":"
		      "1,\"items\":[]}",
		      "not UTF-8");
}

TEST(oversized_fields_and_lists_are_refused)
{
	char *s = malloc(64 * 1024), name[200];
	size_t n;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(s, 64 * 1024,
		 "{\"board\":\"%s\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,"
		 "\"items\":[]}",
		 name);
	refused_parse(s, "board: 199 bytes; at most 127");
	n = (size_t)snprintf(
	    s, 64 * 1024,
	    "{\"board\":\"a\",\"seq\":1,\"from\":1,\"to\":2,\"time\":2,\"uptime_s\":1,\"items\":[");
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(s + n, 64 * 1024 - n,
				      "%s{\"id\":\"i%d\",\"plays\":1,\"seconds\":1}", i ? "," : "",
				      i);
	snprintf(s + n, 64 * 1024 - n, "]}");
	refused_parse(s, "600 entries; a board reports at most 513");
	free(s);
}

TEST(no_token_or_a_malformed_token_is_401_and_nothing_is_stored)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	ASSERT_EQ_INT(post(&h, NULL, hb("b1", 1, 100, 400, "x", 1, 1), &rs), 401);
	ASSERT_CONTAINS(rs.body, "report_token");
	free(rs.body);
	ASSERT_EQ_INT(post(&h, "Bearer short", hb("b1", 1, 100, 400, "x", 1, 1), &rs), 401);
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM boards"), 0);
	hub_close(&h);
}

TEST(an_unknown_board_waits_for_enrolment_and_its_figures_are_not_counted)
{
	struct hub h;
	struct hub_response rs;
	struct ls_error err;

	fx_open(&h);
	ASSERT_EQ_INT(post(&h, BEARER, hb("b-new", 1, 100, 400, "x", 3, 9), &rs), 403);
	ASSERT_CONTAINS(rs.body, "đang chờ đăng ký"); /* a board asks in no language: Vietnamese */
	free(rs.body);
	ASSERT_EQ_INT(post(&h, BEARER, hb("b-new", 1, 100, 400, "x", 3, 9), &rs), 403);
	free(rs.body);
	ASSERT_EQ_INT(
	    fx_int(&h, "SELECT attempts FROM boards WHERE name = 'b-new' AND state = 'pending'"),
	    2);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM daily"), 0);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 0);
	/* Accepted with the token it sent: the report the board kept queued now counts. */
	ASSERT_MSG(hub_board_accept(&h, "b-new", NULL, "Hà Nội", NULL, NULL, "admin", &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_INT(post(&h, BEARER, hb("b-new", 1, 100, 400, "x", 3, 9), &rs), 200);
	ASSERT_CONTAINS(rs.body, "\"stored\":true");
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT plays FROM daily"), 3);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'board.pending'"), 1);
	hub_close(&h);
}

TEST(a_forged_heartbeat_with_another_token_is_403_and_nothing_is_stored)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	enrol(&h, "b1");
	ASSERT_EQ_INT(
	    post(&h, "Bearer another-boards-token-0000", hb("b1", 1, 100, 400, "x", 5, 5), &rs),
	    403);
	ASSERT_CONTAINS(rs.body, "không khớp");
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 0);
	ASSERT_EQ_INT(fx_int(&h, "SELECT heartbeats FROM boards"), 0);
	hub_close(&h);
}

TEST(a_repeated_seq_is_acknowledged_and_counted_once)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	enrol(&h, "b1");
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ_INT(
		    post(&h, BEARER, hb("b1", 1, 1796169000, 1796169300, "x", 4, 120.5), &rs), 200);
		ASSERT_CONTAINS(rs.body, i ? "\"duplicate\":true" : "\"stored\":true");
		free(rs.body);
	}
	ASSERT_EQ_INT(fx_int(&h, "SELECT plays FROM daily"), 4);
	ASSERT_EQ_INT(fx_int(&h, "SELECT ms FROM daily"), 120500);
	ASSERT_EQ_INT(fx_int(&h, "SELECT heartbeats FROM boards"), 1);
	hub_close(&h);
}

TEST(a_gap_in_seq_is_recorded_as_missing_time)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	enrol(&h, "b1");
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 1, 1796169000, 1796169300, "x", 1, 300), &rs), 200);
	free(rs.body);
	/* Reports 2..4 never came: 1796169300..1796170200 is missing. */
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 5, 1796170200, 1796170500, "x", 1, 300), &rs), 200);
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT missing_reports FROM boards"), 3);
	ASSERT_EQ_INT(fx_int(&h, "SELECT missing_s FROM boards"), 900);
	ASSERT_EQ_INT(fx_int(&h, "SELECT from_seq * 1000 + to_seq FROM gaps"), 2004);
	ASSERT_EQ_INT(fx_int(&h, "SELECT plays FROM daily"), 2);
	hub_close(&h);
}

TEST(a_board_whose_queue_was_reset_starts_counting_again)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	enrol(&h, "b1");
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 40, 1796169000, 1796169300, "x", 1, 300), &rs),
		      200);
	free(rs.body);
	/* seq 1 again, but for time after everything counted: a new state directory. */
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 1, 1796169900, 1796170200, "x", 2, 300), &rs), 200);
	ASSERT_CONTAINS(rs.body, "\"stored\":true");
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT plays FROM daily"), 3);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'board.seq_restart'"),
		      1);
	hub_close(&h);
}

TEST(sql_in_every_field_is_stored_as_text)
{
	struct hub h;
	struct hub_response rs;
	const char *evil = "x'); DROP TABLE boards; --";
	char body[4096];
	struct ls_error err;

	fx_open(&h);
	ASSERT_MSG(hub_board_accept(&h, evil, TOKEN, evil, evil, evil, "test", &err) == 0, "%s",
		   err.msg);
	snprintf(body, sizeof(body),
		 "{\"board\":\"%s\",\"time\":1796169300,\"uptime_s\":9999,\"current\":{\"id\":\"%"
		 "s\",\"seconds\":1,\"problem\":\"%s\"},"
		 "\"reason\":\"%s\",\"seq\":1,\"from\":1796169000,\"to\":1796169300,\"items\":[{"
		 "\"id\":\"%s\",\"plays\":1,\"seconds\":2}],"
		 "\"feeds\":[{\"url\":\"%s\",\"version\":-1,\"accepted_at\":1,\"failures\":0,"
		 "\"error\":\"%s\"}]}",
		 evil, evil, evil, evil, evil, evil, evil);
	ASSERT_EQ_INT(post(&h, BEARER, strdup(body), &rs), 200);
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM boards"), 1);
	ASSERT_EQ_INT(
	    fx_int(&h, "SELECT COUNT(*) FROM daily WHERE item = 'x''); DROP TABLE boards; --'"), 1);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM feeds WHERE error = url"), 1);
	hub_close(&h);
}

TEST(a_refused_board_is_told_so)
{
	struct hub h;
	struct hub_response rs;

	fx_open(&h);
	enrol(&h, "b1");
	ASSERT(hub_db_exec(h.db, "UPDATE boards SET state = 'refused'", NULL, 0, NULL, NULL,
			   NULL) == 1);
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 1, 100, 400, "x", 1, 1), &rs), 403);
	ASSERT_CONTAINS(rs.body, "đã bị quản trị viên từ chối");
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 0);
	hub_close(&h);
}

TEST(a_heartbeat_needs_json_content_type)
{
	struct hub h;
	struct hub_response rs;
	struct hub_request rq;
	char *body = hb("b1", 1, 100, 400, "x", 1, 1);

	fx_open(&h);
	enrol(&h, "b1");
	rq = fx_req("POST", "/api/heartbeat", body);
	rq.authorization = BEARER;
	rq.content_type = "text/plain";
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 415);
	free(rs.body);
	free(body);
	hub_close(&h);
}

TEST(board_state_goes_online_late_offline_after_three_intervals)
{
	ASSERT_EQ_STR(hub_board_state(1000, 0, 60), "never");
	ASSERT_EQ_STR(hub_board_state(1090, 1000, 60), "online");
	ASSERT_EQ_STR(hub_board_state(1091, 1000, 60), "late");
	ASSERT_EQ_STR(hub_board_state(1180, 1000, 60), "late");
	ASSERT_EQ_STR(hub_board_state(1181, 1000, 60), "offline");
}

TEST(raw_heartbeats_go_after_the_retention_and_daily_totals_stay)
{
	struct hub h;
	struct hub_response rs;
	struct ls_error err;

	fx_open(&h);
	enrol(&h, "b1");
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 1, 1796169000, 1796169300, "x", 2, 10), &rs), 200);
	free(rs.body);
	fx_clock += 89 * 86400;
	ASSERT_EQ_INT(post(&h, BEARER, hb("b1", 2, 1796169300, 1796169600, "x", 3, 10), &rs), 200);
	free(rs.body);
	fx_clock += 2 * 86400; /* the first is 91 days old, the second 2 */
	ASSERT_EQ_INT(hub_prune(&h, &err), 1);
	ASSERT_EQ_INT(fx_int(&h, "SELECT seq FROM heartbeats"), 2);
	ASSERT_EQ_INT(fx_int(&h, "SELECT SUM(plays) FROM daily"), 5);
	hub_close(&h);
}

/* Ends of heartbeats around local midnight in two zones: Europe/Berlin
 * enters summer time on 2026-03-29 and leaves it on 2026-10-25; Vietnam
 * keeps +07 all year. */
static const struct {
	long to;
	int berlin, hcm;
} midnights[] = {
    {1774740600, 20260329, 20260329}, /* 2026-03-28 23:30 UTC: 00:30 CET, 06:30 +07 */
    {1774819800, 20260329, 20260330}, /* 2026-03-29 21:30 UTC: 23:30 CEST, 04:30 +07 */
    {1774823400, 20260330, 20260330}, /* 2026-03-29 22:30 UTC: 00:30 CEST */
    {1792881000, 20261025, 20261025}, /* 2026-10-24 22:30 UTC: 00:30 CEST, 05:30 +07 */
    {1792947599, 20261025, 20261025}, /* 2026-10-25 16:59:59 UTC: 23:59:59 +07 */
    {1792947600, 20261025, 20261026}, /* 2026-10-25 17:00 UTC: midnight +07 */
    {1792967400, 20261025, 20261026}, /* 22:30 UTC: 23:30 CET (CEST would say the 26th) */
    {1792971000, 20261026, 20261026}, /* 23:30 UTC: 00:30 CET */
};
#define N_MIDNIGHTS (sizeof(midnights) / sizeof(midnights[0]))

TEST(two_hubs_in_one_process_count_days_in_their_own_zones)
{
	struct hub berlin, hcm;

	fx_open_in(&berlin, "Europe/Berlin");
	fx_open(&hcm);
	for (size_t i = 0; i < N_MIDNIGHTS; i++) {
		ASSERT_EQ_INT(hub_day_of(&berlin, midnights[i].to), midnights[i].berlin);
		ASSERT_EQ_INT(hub_day_of(&hcm, midnights[i].to), midnights[i].hcm);
	}
	hub_close(&berlin);
	hub_close(&hcm);
}

static int64_t plays_on(struct hub *h, int day)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT COALESCE(SUM(plays), 0) FROM daily WHERE day = %d", day);
	return fx_int(h, sql);
}

static void ingest_midnights(const char *zone, bool in_berlin)
{
	struct hub h;
	struct hub_response rs;
	int want[4] = {0};
	static const int days[4] = {20260329, 20260330, 20261025, 20261026};

	fx_open_in(&h, zone);
	enrol(&h, "bd-1");
	for (size_t i = 0; i < N_MIDNIGHTS; i++) {
		long to = midnights[i].to;
		int day = in_berlin ? midnights[i].berlin : midnights[i].hcm;
		ASSERT_EQ_INT(
		    post(&h, BEARER, hb("bd-1", (int)i + 1, to - 60, to, "dst", 1, 10), &rs), 200);
		free(rs.body);
		for (int d = 0; d < 4; d++)
			want[d] += days[d] == day;
	}
	for (int d = 0; d < 4; d++)
		ASSERT_MSG(plays_on(&h, days[d]) == want[d], "%s: %d plays on %d, want %d", zone,
			   (int)plays_on(&h, days[d]), days[d], want[d]);
	hub_close(&h);
}

TEST(a_heartbeat_counts_on_its_day_across_daylight_saving_time)
{
	ingest_midnights("Europe/Berlin", true);
}

TEST(a_heartbeat_counts_on_its_day_in_ho_chi_minh)
{
	ingest_midnights("Asia/Ho_Chi_Minh", false);
}

TEST(a_zone_this_system_lacks_is_refused_at_start)
{
	struct hub h;
	struct hub_config cfg;
	struct ls_error err;

	hub_config_defaults(&cfg);
	snprintf(cfg.hub.state_dir, sizeof(cfg.hub.state_dir), "%s", th_tmpdir());
	snprintf(cfg.hub.timezone, sizeof(cfg.hub.timezone), "Asia/Atlantis");
	ASSERT(hub_open(&h, &cfg, &err) == -1);
	ASSERT_CONTAINS(err.msg, "[hub] timezone Asia/Atlantis: this system has no such zone");
}

/* hb() with the panel object ledsignd adds (src/sys/status.c): panel is
 * inserted before the closing brace, e.g. "\"panel\":{...}". */
static char *hb_panel(const char *board, int seq, const char *panel)
{
	char *s = hb(board, seq, 1796169000 + seq * 300, 1796169300 + seq * 300, "x", 1, 1.0);
	size_t n = strlen(s);

	if (panel)
		snprintf(s + n - 1, 2048 - (n - 1), ",%s}", panel);
	return s;
}

TEST(the_panel_geometry_parses_and_older_boards_send_none)
{
	struct hub_heartbeat *b = malloc(sizeof(*b));
	struct ls_error err;
	char *s = hb_panel("b1", 1, "\"panel\":{\"width\":192,\"height\":16,\"colour\":\"mono\"}");

	ASSERT_MSG(hub_heartbeat_parse(s, strlen(s), b, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(b->panel, "192x16");
	free(s);
	s = hb_panel("b1", 1, "\"panel\":{\"width\":64,\"height\":32,\"colour\":\"rgb\"}");
	ASSERT_MSG(hub_heartbeat_parse(s, strlen(s), b, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(b->panel, "64x32:rgb");
	free(s);
	s = hb_panel("b1", 1, NULL);
	ASSERT_MSG(hub_heartbeat_parse(s, strlen(s), b, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(b->panel, "");
	free(s);
	s = hb_panel("b1", 1, "\"panel\":null");
	ASSERT_MSG(hub_heartbeat_parse(s, strlen(s), b, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(b->panel, "");
	free(s);
	free(b);
}

TEST(a_malformed_panel_is_refused_naming_the_field)
{
	static const char *const bad[][2] = {
	    {"\"panel\":\"192x16\"", "panel: not an object or null"},
	    {"\"panel\":{\"height\":16,\"colour\":\"mono\"}", "panel.width: missing"},
	    {"\"panel\":{\"width\":0,\"height\":16,\"colour\":\"mono\"}",
	     "panel.width: 0 is out of range"},
	    {"\"panel\":{\"width\":192,\"height\":16.5,\"colour\":\"mono\"}", "panel.height: 16.5"},
	    {"\"panel\":{\"width\":192,\"height\":99999,\"colour\":\"mono\"}",
	     "use an integer 1..16384"},
	    {"\"panel\":{\"width\":192,\"height\":16}", "panel.colour: missing"},
	    {"\"panel\":{\"width\":192,\"height\":16,\"colour\":\"red\"}",
	     "panel.colour: 'red'; use \"mono\" or \"rgb\""},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *s = hb_panel("b1", 1, bad[i][0]);
		refused_parse(s, bad[i][1]);
		free(s);
	}
}

/* The fleet's JSON as the admin sees it. */
static cJSON *fleet(struct hub *h, const char *cookie, const char *path)
{
	char *body;
	cJSON *o;

	ASSERT_EQ_INT(fx_get(h, cookie, path, &body), 200);
	o = cJSON_Parse(body);
	free(body);
	ASSERT(o);
	return o;
}

static const char *panel_of(cJSON *fl, const char *board)
{
	cJSON *b;

	cJSON_ArrayForEach(b, cJSON_GetObjectItem(fl, "boards"))
	{
		if (!strcmp(cJSON_GetObjectItem(b, "name")->valuestring, board))
			return cJSON_GetObjectItem(b, "panel")->valuestring;
	}
	return "(no board)";
}

TEST(the_hub_keeps_each_boards_panel_and_lists_the_fleets_sizes)
{
	struct hub h;
	struct hub_response rs;
	char cookie[160], *body;
	cJSON *fl, *sizes;
	const char *mono = "\"panel\":{\"width\":192,\"height\":16,\"colour\":\"mono\"}";
	const char *rgb = "\"panel\":{\"width\":64,\"height\":32,\"colour\":\"rgb\"}";

	fx_open(&h);
	fx_clock = 1796169600;
	enrol(&h, "b1");
	enrol(&h, "b2");
	enrol(&h, "b3");
	enrol(&h, "old");
	ASSERT_EQ_INT(post(&h, BEARER, hb_panel("b1", 1, mono), &rs), 200);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, BEARER, hb_panel("b2", 1, rgb), &rs), 200);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, BEARER, hb_panel("b3", 1, mono), &rs), 200);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, BEARER, hb_panel("old", 1, NULL), &rs), 200);
	free(rs.body);
	/* A later heartbeat without the object (an older ledsignd put back) keeps it. */
	ASSERT_EQ_INT(post(&h, BEARER, hb_panel("b1", 2, NULL), &rs), 200);
	free(rs.body);

	fx_session(&h, "admin", "admin", "", cookie);
	fl = fleet(&h, cookie, "/api/fleet");
	ASSERT_EQ_STR(panel_of(fl, "b1"), "192x16");
	ASSERT_EQ_STR(panel_of(fl, "b2"), "64x32:rgb");
	ASSERT_EQ_STR(panel_of(fl, "old"), "");
	sizes = cJSON_GetObjectItem(fl, "sizes");
	ASSERT_EQ_INT(cJSON_GetArraySize(sizes), 2);
	ASSERT_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(sizes, 0), "panel")->valuestring,
		      "192x16");
	ASSERT_EQ_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(sizes, 0), "boards")->valueint, 2);
	ASSERT_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(sizes, 1), "panel")->valuestring,
		      "64x32:rgb");
	ASSERT_EQ_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(sizes, 1), "boards")->valueint, 1);
	cJSON_Delete(fl);

	ASSERT_EQ_INT(fx_get(&h, cookie, "/api/boards/b2", &body), 200);
	ASSERT_CONTAINS(body, "\"panel\":\"64x32:rgb\"");
	free(body);
	ASSERT_EQ_INT(fx_get(&h, cookie, "/api/studio/boards", &body), 200);
	ASSERT_CONTAINS(body, "\"sizes\":[\"192x16\",\"64x32:rgb\"]");
	free(body);
	hub_close(&h);
}

TEST(the_studio_offers_the_red_p10_board_until_a_board_reports_its_panel)
{
	struct hub h;
	char cookie[160], *body;

	fx_open(&h);
	fx_session(&h, "ed", "editor", "", cookie);
	ASSERT_EQ_INT(fx_get(&h, cookie, "/api/studio/boards", &body), 200);
	ASSERT_CONTAINS(body, "\"sizes\":[\"192x16\"]");
	free(body);
	hub_close(&h);
}

TEST(a_viewer_sees_the_sizes_of_its_provinces_boards_only)
{
	struct hub h;
	struct hub_response rs;
	struct ls_error err;
	char cookie[160];
	cJSON *fl;

	fx_open(&h);
	enrol(&h, "b-hn");
	ASSERT(hub_board_accept(&h, "b-gl", TOKEN, "Gia Lai", "", "", "test", &err) == 0);
	ASSERT_EQ_INT(
	    post(&h, BEARER,
		 hb_panel("b-hn", 1, "\"panel\":{\"width\":96,\"height\":16,\"colour\":\"mono\"}"),
		 &rs),
	    200);
	free(rs.body);
	ASSERT_EQ_INT(
	    post(&h, BEARER,
		 hb_panel("b-gl", 1, "\"panel\":{\"width\":128,\"height\":64,\"colour\":\"rgb\"}"),
		 &rs),
	    200);
	free(rs.body);
	fx_session(&h, "gl", "viewer", "Gia Lai", cookie);
	fl = fleet(&h, cookie, "/api/fleet");
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(fl, "sizes")), 1);
	ASSERT_EQ_STR(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(fl, "sizes"), 0), "panel")
		->valuestring,
	    "128x64:rgb");
	cJSON_Delete(fl);
	hub_close(&h);
}
