/*
 * report.c: proof of play for a campaign (an item id, or an id prefix
 * ending in '*' for a campaign's items) over a period of days: plays and
 * seconds shown per board, district or province, by day, and in total; as
 * JSON for the page and as CSV with the same numbers. The figures are the
 * boards' own counters, summed from the daily totals the heartbeats fill.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "auth.h"

#define MAX_DAYS 3660

struct group {
	char key[3 * HUB_NAME_MAX + 4];
	char province[HUB_NAME_MAX], district[HUB_NAME_MAX], board[HUB_NAME_MAX];
	int64_t plays, ms;
	int64_t *day_plays, *day_ms; /* per day of the period */
};

/* A board as the report sees it: where it is, whether the user may see
 * it, and the group its figures go to (-1 until its first row). */
struct bref {
	char province[HUB_NAME_MAX], district[HUB_NAME_MAX], name[HUB_NAME_MAX];
	bool visible;
	int group;
};

struct report {
	const struct hub_user *u;
	const char *by; /* board, district, province */
	int n_days;
	int days[MAX_DAYS]; /* yyyymmdd of each day of the period */
	struct bref *boards;
	int n_boards;
	int *by_id; /* board id -> index in boards, -1 none */
	int64_t max_id;
	struct group *groups;
	int n, cap;
	int64_t *tot_plays, *tot_ms;
	bool oom;
};

/* Parses "YYYY-MM-DD" into that day's noon UTC, or -1. The days of a period
 * are dates of the calendar, the same in every zone: which day a heartbeat
 * counts on is hub_day_of()'s business, in the hub's zone. */
static time_t parse_day(const char *s)
{
	struct tm tm = {0};
	int y, m, d, used = 0;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || s[used] ||
	    y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	return timegm(&tm);
}

static int day_index(const struct report *r, int day)
{
	int lo = 0, hi = r->n_days - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (r->days[mid] == day)
			return mid;
		if (r->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void group_key(const struct report *r, const struct bref *b, char *key, size_t n)
{
	if (!strcmp(r->by, "province"))
		snprintf(key, n, "%s", b->province);
	else if (!strcmp(r->by, "district"))
		snprintf(key, n, "%s\x1f%s", b->province, b->district);
	else
		snprintf(key, n, "%s\x1f%s\x1f%s", b->province, b->district, b->name);
}

/* The group of board b, made on its first row. */
static struct group *group_of(struct report *r, struct bref *b)
{
	char key[sizeof(r->groups[0].key)];
	struct group *g;

	if (b->group >= 0)
		return &r->groups[b->group];
	group_key(r, b, key, sizeof(key));
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->groups[i].key, key))
			return &r->groups[b->group = i];
	if (r->n == r->cap) {
		struct group *n =
		    realloc(r->groups, sizeof(*n) * (size_t)(r->cap = r->cap * 2 + 16));
		if (!n)
			return NULL;
		r->groups = n;
	}
	g = &r->groups[r->n];
	memset(g, 0, sizeof(*g));
	snprintf(g->key, sizeof(g->key), "%s", key);
	snprintf(g->province, sizeof(g->province), "%s", b->province);
	snprintf(g->district, sizeof(g->district), "%s",
		 strcmp(r->by, "province") ? b->district : "");
	snprintf(g->board, sizeof(g->board), "%s", !strcmp(r->by, "board") ? b->name : "");
	g->day_plays = calloc((size_t)r->n_days, sizeof(int64_t));
	g->day_ms = calloc((size_t)r->n_days, sizeof(int64_t));
	if (!g->day_plays || !g->day_ms) {
		free(g->day_plays);
		free(g->day_ms);
		return NULL;
	}
	b->group = r->n++;
	return g;
}

/* Rows of boards: id, province, district, name. */
static int board_row(void *ctx, int n, const char *const *v)
{
	struct report *r = ctx;
	int64_t id = strtoll(v[0], NULL, 10);
	struct bref *b;

	if (n < 4 || id < 0 || id > r->max_id)
		return 0;
	b = &r->boards[r->n_boards];
	snprintf(b->province, sizeof(b->province), "%s", v[1] ? v[1] : "");
	snprintf(b->district, sizeof(b->district), "%s", v[2] ? v[2] : "");
	snprintf(b->name, sizeof(b->name), "%s", v[3] ? v[3] : "");
	b->visible = hub_user_sees(r->u, b->province);
	b->group = -1;
	r->by_id[id] = r->n_boards++;
	return 0;
}

/* Rows of daily totals: board_id, day, plays, ms (several a board and day
 * for a prefix: they add up). */
static int report_row(void *ctx, int n, const char *const *v)
{
	struct report *r = ctx;
	int64_t id = strtoll(v[0], NULL, 10), plays, ms;
	struct group *g;
	int d;

	if (n < 4 || id < 0 || id > r->max_id || r->by_id[id] < 0 ||
	    !r->boards[r->by_id[id]].visible)
		return 0;
	if ((d = day_index(r, atoi(v[1]))) < 0)
		return 0;
	if (!(g = group_of(r, &r->boards[r->by_id[id]]))) {
		r->oom = true;
		return 1;
	}
	plays = strtoll(v[2], NULL, 10);
	ms = strtoll(v[3], NULL, 10);
	g->plays += plays;
	g->ms += ms;
	g->day_plays[d] += plays;
	g->day_ms[d] += ms;
	r->tot_plays[d] += plays;
	r->tot_ms[d] += ms;
	return 0;
}

static void report_free(struct report *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->groups[i].day_plays);
		free(r->groups[i].day_ms);
	}
	free(r->groups);
	free(r->boards);
	free(r->by_id);
	free(r->tot_plays);
	free(r->tot_ms);
	free(r);
}

/* The days from..to into r: 0, -1 with err (what to write), -2 (out of memory). */
static int period(struct report *r, const char *from, const char *to, struct ls_error *err)
{
	time_t a = parse_day(from), b = parse_day(to);

	if (a < 0 || b < 0)
		return ls_error_set(
		    err, "from and to are days as YYYY-MM-DD, e.g. from=2026-08-01&to=2026-09-30");
	if (b < a)
		return ls_error_set(err, "to (%s) is before from (%s)", to, from);
	for (time_t t = a; t <= b; t += 86400) {
		struct tm tm;
		if (r->n_days == MAX_DAYS)
			return ls_error_set(err, "a report covers at most %d days", MAX_DAYS);
		gmtime_r(&t, &tm);
		r->days[r->n_days++] =
		    (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	}
	r->tot_plays = calloc((size_t)r->n_days, sizeof(int64_t));
	r->tot_ms = calloc((size_t)r->n_days, sizeof(int64_t));
	if (!r->tot_plays || !r->tot_ms) {
		ls_error_set(err, "out of memory");
		return -2;
	}
	return 0;
}

/* The prefix of an item ending in '*' (copied into out) and its length in
 * characters, or -1 for an exact id. */
static int item_prefix(const char *item, char *out, size_t size)
{
	size_t n = strlen(item);
	int chars = 0;

	if (!n || item[n - 1] != '*' || n > size)
		return -1;
	memcpy(out, item, n - 1);
	out[n - 1] = '\0';
	for (const char *p = out; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80; /* UTF-8 lead bytes */
	return chars;
}

static int load_boards(struct hub *h, struct report *r, struct ls_error *err)
{
	int64_t n;

	if (hub_db_int(h->db, &r->max_id, 0, "SELECT MAX(id) FROM boards", NULL, 0, err) ||
	    hub_db_int(h->db, &n, 0, "SELECT COUNT(*) FROM boards", NULL, 0, err))
		return -1;
	if (r->max_id > 100000000)
		return ls_error_set(err, "board ids up to %lld: too many for one report",
				    (long long)r->max_id);
	r->boards = calloc((size_t)n + 1, sizeof(*r->boards));
	r->by_id = malloc(sizeof(int) * (size_t)(r->max_id + 1));
	if (!r->boards || !r->by_id)
		return ls_error_set(err, "out of memory");
	for (int64_t i = 0; i <= r->max_id; i++)
		r->by_id[i] = -1;
	return hub_db_exec(h->db, "SELECT id, province, district, name FROM boards", NULL, 0,
			   board_row, r, err) < 0
		   ? -1
		   : 0;
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

/* Sums the campaign's daily totals into groups, sorted by province,
 * district, board (as bytes). The rows come straight from the primary key
 * (item, day, board_id): no sort or grouping in the database. */
static int run(struct hub *h, struct report *r, const char *item, struct ls_error *err)
{
	char prefix[HUB_NAME_MAX];
	int chars = item_prefix(item, prefix, sizeof(prefix));
	struct hub_arg exact[] = {HA_S(item), HA_I(r->days[0]), HA_I(r->days[r->n_days - 1])};
	struct hub_arg pre[] = {HA_I(chars), HA_S(prefix), HA_I(r->days[0]),
				HA_I(r->days[r->n_days - 1])};

	if (load_boards(h, r, err))
		return -1;
	/* A prefix compares characters exactly, alike on both engines (LIKE
	 * would ignore ASCII case on SQLite only). */
	if ((chars < 0
		 ? hub_db_exec(h->db,
			       "SELECT board_id, day, plays, ms FROM daily "
			       "WHERE item = ? AND day BETWEEN ? AND ?",
			       exact, 3, report_row, r, err)
		 : hub_db_exec(
		       h->db,
		       "SELECT board_id, day, plays, ms FROM daily "
		       "WHERE substr(item, 1, CAST(? AS INTEGER)) = ? AND day BETWEEN ? AND ?",
		       pre, 4, report_row, r, err)) < 0)
		return -1;
	if (r->oom)
		return ls_error_set(err, "out of memory");
	if (r->n > 0) /* qsort may not be handed NULL, even for no rows */
		qsort(r->groups, (size_t)r->n, sizeof(r->groups[0]), group_cmp);
	return 0;
}

static void day_str(int day, char out[16])
{
	snprintf(out, 16, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
}

static cJSON *report_json(const struct report *r, const char *item)
{
	cJSON *o = cJSON_CreateObject(), *days, *rows, *tot;
	int64_t tp = 0, tm = 0;
	char d[16];

	cJSON_AddStringToObject(o, "item", item);
	cJSON_AddStringToObject(o, "by", r->by);
	days = cJSON_AddArrayToObject(o, "days");
	for (int i = 0; i < r->n_days; i++) {
		cJSON *e = cJSON_CreateObject();
		day_str(r->days[i], d);
		cJSON_AddStringToObject(e, "day", d);
		cJSON_AddNumberToObject(e, "plays", (double)r->tot_plays[i]);
		cJSON_AddNumberToObject(e, "seconds", (double)r->tot_ms[i] / 1000.0);
		cJSON_AddItemToArray(days, e);
		tp += r->tot_plays[i];
		tm += r->tot_ms[i];
	}
	rows = cJSON_AddArrayToObject(o, "rows");
	for (int i = 0; i < r->n; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "province", r->groups[i].province);
		cJSON_AddStringToObject(e, "district", r->groups[i].district);
		cJSON_AddStringToObject(e, "board", r->groups[i].board);
		cJSON_AddNumberToObject(e, "plays", (double)r->groups[i].plays);
		cJSON_AddNumberToObject(e, "seconds", (double)r->groups[i].ms / 1000.0);
		cJSON_AddItemToArray(rows, e);
	}
	tot = cJSON_AddObjectToObject(o, "total");
	cJSON_AddNumberToObject(tot, "plays", (double)tp);
	cJSON_AddNumberToObject(tot, "seconds", (double)tm / 1000.0);
	return o;
}

/* A CSV field: quoted, with quotes doubled, and a leading = + - @ defused so
 * a spreadsheet never runs a board name as a formula. */
static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	if (strchr("=+-@", *s) && *s)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs("\",", f);
}

static char *report_csv(const struct report *r, size_t *len)
{
	char *buf = NULL, d[16];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fputs("day,province,district,board,plays,seconds\r\n", f);
	for (int i = 0; i < r->n; i++)
		for (int k = 0; k < r->n_days; k++) {
			const struct group *g = &r->groups[i];
			if (!g->day_plays[k] && !g->day_ms[k])
				continue;
			day_str(r->days[k], d);
			fprintf(f, "%s,", d);
			csv_field(f, g->province);
			csv_field(f, g->district);
			csv_field(f, g->board);
			fprintf(f, "%" PRId64 ",%" PRId64 ".%03" PRId64 "\r\n", g->day_plays[k],
				g->day_ms[k] / 1000, g->day_ms[k] % 1000);
		}
	fclose(f);
	return buf;
}

void hub_report_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	const char *item = hub_arg(rq, "item"), *by = hub_arg(rq, "by"),
		   *fmt = hub_arg(rq, "format");
	struct report *r;
	struct ls_error err;
	int rc;

	if (hub_session(h, rq, rs, &u))
		return;
	by = by ? by : "board";
	if (!item || !item[0] || strlen(item) >= HUB_NAME_MAX) {
		hub_reply_error(rs, 400,
				"item: the campaign's item id, or an id prefix ending in '*'");
		return;
	}
	if (strcmp(by, "board") && strcmp(by, "district") && strcmp(by, "province")) {
		hub_reply_error(rs, 400, "by: use board, district or province");
		return;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		hub_reply_error(rs, 500, "out of memory");
		return;
	}
	r->u = &u;
	r->by = by;
	if ((rc = period(r, hub_arg(rq, "from"), hub_arg(rq, "to"), &err))) {
		hub_reply_error(rs, rc == -2 ? 500 : 400, "%s", err.msg);
	} else if (run(h, r, item, &err)) { /* the database or memory failed */
		hub_reply_error(rs, 500, "%s", err.msg);
	} else if (fmt && !strcmp(fmt, "csv")) {
		size_t len = 0;
		char *csv = report_csv(r, &len);
		hub_reply(rs, csv ? 200 : 500, "text/csv; charset=utf-8", csv);
		hub_add_header(rs, "Content-Disposition", "attachment; filename=\"report.csv\"");
	} else {
		hub_reply_json(rs, 200, report_json(r, item));
	}
	report_free(r);
}
