/*
 * Proof-of-play reports: plays and seconds per board, district, province and
 * day from the daily totals the heartbeats fill; an item or a prefix; the
 * CSV with the same numbers; a viewer's provinces only; bad parameters
 * refused with what to write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/hub/auth.h"
#include "hub_fixture.h"

static int64_t board(struct hub *h, const char *name, const char *province, const char *district)
{
	struct ls_error err;
	int64_t id;
	char sql[256];

	ASSERT_MSG(hub_board_accept(h, name, "token-of-the-board-00000", province, district, "",
				    "t", &err) == 0,
		   "%s", err.msg);
	snprintf(sql, sizeof(sql), "SELECT id FROM boards WHERE name = '%s'", name);
	id = fx_int(h, sql);
	return id;
}

static void played(struct hub *h, int64_t board_id, const char *item, int day, int plays,
		   int64_t ms)
{
	ASSERT(hub_db_exec(
		   h->db,
		   "INSERT INTO daily (item, day, board_id, plays, ms) VALUES (?, ?, ?, ?, ?)",
		   (struct hub_arg[]){HA_S(item), HA_I(day), HA_I(board_id), HA_I(plays), HA_I(ms)},
		   5, NULL, NULL, NULL) == 1);
}

/* A logged-in session of a fresh user (role, scope). */
static void session(struct hub *h, const char *role, const char *scope, char cookie[128])
{
	struct ls_error err;
	struct hub_request rq;
	struct hub_response rs;
	const char *csrf = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	ASSERT_MSG(hub_user_add(h, role, "a-long-password", role, scope, false, &err) == 0, "%s",
		   err.msg);
	rq = fx_req("POST", "/api/login",
		    role[0] == 'a' ? "{\"name\":\"admin\",\"password\":\"a-long-password\"}"
				   : "{\"name\":\"viewer\",\"password\":\"a-long-password\"}");
	rq.cookie = "hub_csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	rq.csrf_header = csrf;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	for (int i = 0; i < rs.n_headers; i++)
		if (!strncmp(rs.headers[i][1], "hub_session=", 12))
			snprintf(cookie, 128, "%.76s", rs.headers[i][1]);
	free(rs.body);
}

static int report(struct hub *h, const char *cookie, const char *item, const char *from,
		  const char *to, const char *by, const char *format, char **out)
{
	struct hub_request rq = fx_req("GET", "/api/report", NULL);
	struct hub_response rs;
	int st;

	rq.cookie = cookie;
	rq.args[rq.n_args].key = "item", rq.args[rq.n_args++].value = item;
	rq.args[rq.n_args].key = "from", rq.args[rq.n_args++].value = from;
	rq.args[rq.n_args].key = "to", rq.args[rq.n_args++].value = to;
	if (by)
		rq.args[rq.n_args].key = "by", rq.args[rq.n_args++].value = by;
	if (format)
		rq.args[rq.n_args].key = "format", rq.args[rq.n_args++].value = format;
	st = fx_do(h, &rq, &rs);
	*out = rs.body;
	return st;
}

static void fleet_of_three(struct hub *h)
{
	int64_t a = board(h, "bd-1", "Hà Nội", "Ba Đình");
	int64_t b = board(h, "bd-2", "Hà Nội", "Ba Đình");
	int64_t c = board(h, "hc-1", "Đà Nẵng", "Hải Châu");

	played(h, a, "bhyt-hs", 20260801, 100, 3600000);
	played(h, a, "bhyt-hs", 20260802, 50, 1800000);
	played(h, b, "bhyt-hs", 20260801, 10, 360000);
	played(h, c, "bhyt-hs", 20260802, 7, 252500);
	played(h, c, "bhyt-sv", 20260802, 3, 1000);
	played(h, a, "vssid", 20260801, 999, 999000);
	played(h, a, "bhyt-hs", 20260901, 1, 1000); /* outside the period */
}

static double num(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItem(o, k)->valuedouble;
}

TEST(a_campaign_is_summed_per_board_and_day)
{
	struct hub h;
	char cookie[128], *body;
	cJSON *o, *rows, *days;

	fx_open(&h);
	fleet_of_three(&h);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(
	    report(&h, cookie, "bhyt-hs", "2026-08-01", "2026-08-31", "board", NULL, &body), 200);
	o = cJSON_Parse(body);
	rows = cJSON_GetObjectItem(o, "rows");
	days = cJSON_GetObjectItem(o, "days");
	ASSERT_EQ_INT(cJSON_GetArraySize(rows), 3);
	ASSERT_EQ_INT(cJSON_GetArraySize(days), 31);
	/* Sorted by province, district, board as bytes: "Hà Nội" before "Đà Nẵng". */
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(rows, 0), "plays"), 150);
	ASSERT(num(cJSON_GetArrayItem(rows, 0), "seconds") == 5400.0);
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(rows, 2), "plays"), 7);
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(days, 0), "plays"), 110);
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(days, 1), "plays"), 57);
	ASSERT_EQ_INT(num(cJSON_GetObjectItem(o, "total"), "plays"), 167);
	ASSERT(num(cJSON_GetObjectItem(o, "total"), "seconds") == 3600 + 1800 + 360 + 252.5);
	cJSON_Delete(o);
	free(body);
	hub_close(&h);
}

TEST(districts_and_provinces_group_the_same_numbers)
{
	struct hub h;
	char cookie[128], *body;
	cJSON *o, *rows;

	fx_open(&h);
	fleet_of_three(&h);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(
	    report(&h, cookie, "bhyt-hs", "2026-08-01", "2026-08-31", "district", NULL, &body),
	    200);
	o = cJSON_Parse(body);
	rows = cJSON_GetObjectItem(o, "rows");
	ASSERT_EQ_INT(cJSON_GetArraySize(rows), 2);
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(rows, 0), "plays"), 160);
	ASSERT_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "district")->valuestring,
		      "Ba Đình");
	ASSERT_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "board")->valuestring, "");
	cJSON_Delete(o);
	free(body);
	ASSERT_EQ_INT(
	    report(&h, cookie, "bhyt-hs", "2026-08-01", "2026-08-31", "province", NULL, &body),
	    200);
	o = cJSON_Parse(body);
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "rows")), 2);
	ASSERT_EQ_INT(num(cJSON_GetObjectItem(o, "total"), "plays"), 167);
	cJSON_Delete(o);
	free(body);
	hub_close(&h);
}

TEST(a_prefix_ending_in_a_star_takes_the_campaigns_items)
{
	struct hub h;
	char cookie[128], *body;
	cJSON *o;

	fx_open(&h);
	fleet_of_three(&h);
	played(&h, fx_int(&h, "SELECT id FROM boards WHERE name = 'hc-1'"), "bhyt_xx", 20260802,
	       1000, 1);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(report(&h, cookie, "bhyt-*", "2026-08-01", "2026-08-31", NULL, NULL, &body),
		      200);
	o = cJSON_Parse(body);
	/* bhyt-hs and bhyt-sv; not bhyt_xx, not BHYT-HS (exact characters), not vssid */
	ASSERT_EQ_INT(num(cJSON_GetObjectItem(o, "total"), "plays"), 170);
	cJSON_Delete(o);
	free(body);
	hub_close(&h);
}

TEST(the_csv_has_the_same_numbers_one_line_per_board_and_day)
{
	struct hub h;
	char cookie[128], *body;

	fx_open(&h);
	fleet_of_three(&h);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(
	    report(&h, cookie, "bhyt-hs", "2026-08-01", "2026-08-31", "board", "csv", &body), 200);
	ASSERT_EQ_STR(body, "day,province,district,board,plays,seconds\r\n"
			    "2026-08-01,\"Hà Nội\",\"Ba Đình\",\"bd-1\",100,3600.000\r\n"
			    "2026-08-02,\"Hà Nội\",\"Ba Đình\",\"bd-1\",50,1800.000\r\n"
			    "2026-08-01,\"Hà Nội\",\"Ba Đình\",\"bd-2\",10,360.000\r\n"
			    "2026-08-02,\"Đà Nẵng\",\"Hải Châu\",\"hc-1\",7,252.500\r\n");
	free(body);
	hub_close(&h);
}

TEST(csv_fields_cannot_become_spreadsheet_formulas)
{
	struct hub h;
	char cookie[128], *body;

	fx_open(&h);
	played(&h, board(&h, "=HYPERLINK(\"x\")", "Hà Nội", "+1"), "a", 20260801, 1, 1000);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(report(&h, cookie, "a", "2026-08-01", "2026-08-01", "board", "csv", &body),
		      200);
	ASSERT_CONTAINS(body, "\"'+1\",\"'=HYPERLINK(\"\"x\"\")\"");
	free(body);
	hub_close(&h);
}

TEST(a_viewer_reports_only_its_provinces)
{
	struct hub h;
	char cookie[128], *body;
	cJSON *o;

	fx_open(&h);
	fleet_of_three(&h);
	session(&h, "viewer", "Đà Nẵng", cookie);
	ASSERT_EQ_INT(
	    report(&h, cookie, "bhyt-hs", "2026-08-01", "2026-08-31", "board", NULL, &body), 200);
	o = cJSON_Parse(body);
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "rows")), 1);
	ASSERT_EQ_INT(num(cJSON_GetObjectItem(o, "total"), "plays"), 7);
	cJSON_Delete(o);
	free(body);
	hub_close(&h);
}

TEST(bad_parameters_are_refused_with_what_to_write)
{
	struct hub h;
	char cookie[128], *body;

	fx_open(&h);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(report(&h, cookie, "", "2026-08-01", "2026-08-31", NULL, NULL, &body), 400);
	ASSERT_CONTAINS(body, "item:");
	free(body);
	ASSERT_EQ_INT(report(&h, cookie, "x", "01/08/2026", "2026-08-31", NULL, NULL, &body), 400);
	ASSERT_CONTAINS(body, "YYYY-MM-DD");
	free(body);
	ASSERT_EQ_INT(report(&h, cookie, "x", "2026-09-01", "2026-08-31", NULL, NULL, &body), 400);
	ASSERT_CONTAINS(body, "sớm hơn from"); /* Vietnamese: the request asks in no language */
	free(body);
	ASSERT_EQ_INT(report(&h, cookie, "x", "2000-01-01", "2026-08-31", NULL, NULL, &body), 400);
	ASSERT_CONTAINS(body, "tối đa 3660 ngày");
	free(body);
	ASSERT_EQ_INT(report(&h, cookie, "x", "2026-08-01", "2026-08-31", "'; DROP TABLE daily; --",
			     NULL, &body),
		      400);
	ASSERT_CONTAINS(body, "by: dùng board, district hoặc province");
	free(body);
	ASSERT_EQ_INT(
	    report(&h, cookie, "x' OR '1'='1", "2026-08-01", "2026-08-31", NULL, NULL, &body), 200);
	ASSERT_CONTAINS(body, "\"total\":{\"plays\":0");
	free(body);
	hub_close(&h);
}

static const char *day_at(const cJSON *o, int i)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "days"), i), "day")
	    ->valuestring;
}

/* The days of a period are calendar dates in every zone: a day of 23 or 25
 * hours neither drops nor repeats one. */
static void days_across_dst(const char *zone)
{
	struct hub h;
	char cookie[128], *body;
	cJSON *o;

	fx_open_in(&h, zone);
	int64_t a = board(&h, "bd-1", "Hà Nội", "Ba Đình");
	played(&h, a, "dst", 20261025, 5, 5000);
	played(&h, a, "dst", 20261026, 7, 7000);
	played(&h, a, "dst", 20260329, 3, 3000);
	session(&h, "admin", "", cookie);
	ASSERT_EQ_INT(report(&h, cookie, "dst", "2026-10-24", "2026-10-26", NULL, NULL, &body),
		      200);
	o = cJSON_Parse(body);
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "days")), 3);
	ASSERT_EQ_STR(day_at(o, 0), "2026-10-24");
	ASSERT_EQ_STR(day_at(o, 1), "2026-10-25");
	ASSERT_EQ_STR(day_at(o, 2), "2026-10-26");
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "days"), 1), "plays"), 5);
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "days"), 2), "plays"), 7);
	cJSON_Delete(o);
	free(body);
	ASSERT_EQ_INT(report(&h, cookie, "dst", "2026-01-01", "2026-12-31", NULL, NULL, &body),
		      200);
	o = cJSON_Parse(body);
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "days")), 365);
	ASSERT_EQ_STR(day_at(o, 87), "2026-03-29");
	ASSERT_EQ_INT(num(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "days"), 87), "plays"), 3);
	ASSERT_EQ_STR(day_at(o, 297), "2026-10-25");
	ASSERT_EQ_STR(day_at(o, 364), "2026-12-31");
	ASSERT_EQ_INT(num(cJSON_GetObjectItem(o, "total"), "plays"), 15);
	cJSON_Delete(o);
	free(body);
	hub_close(&h);
}

TEST(a_report_across_daylight_saving_time_has_each_day_once)
{
	days_across_dst("Europe/Berlin");
	days_across_dst("America/New_York");
}

TEST(a_report_in_ho_chi_minh_has_each_day_once)
{
	days_across_dst("Asia/Ho_Chi_Minh");
}
