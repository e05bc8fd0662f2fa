/*
 * heartbeat.c: receiving the boards' heartbeats. A heartbeat is checked
 * field by field (it comes from the network), the board is authenticated by
 * its own bearer token, and its figures are stored exactly once: a repeated
 * seq is acknowledged and not counted again, a gap in seq is recorded as
 * missing time, an unknown board is held until an administrator accepts it.
 *
 * A board deletes a queued report only after a 2xx answer, so every refusal
 * here (4xx) keeps the report on the board, to be delivered once the cause is
 * fixed (enrolment, a token): refusals lose nothing.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cJSON.h>
#include <sodium.h>

#include "batch.h"
#include "hub.h"
#include "ledsign/utf8.h"

#define SEQ_MAX (INT64_C(1) << 53)
#define TIME_MAX (INT64_C(1) << 40)
#define SPAN_MAX (31 * 86400) /* one interval is at most a month */
#define PLAYS_MAX 1000000000  /* plays of one item in one interval */
#define PENDING_MAX 10000     /* boards waiting for enrolment at once */
#define TOKEN_MIN 16
#define TOKEN_MAX 256
#define PANEL_MAX 16384 /* LEDs of a panel side */

/* ---- parsing ---- */

/* Copies string field key of o (required unless optional) into out. */
static int get_str(const cJSON *o, const char *key, const char *where, char *out, size_t size,
		   bool optional, struct ls_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t n, bad;

	out[0] = '\0';
	if (!v || cJSON_IsNull(v)) {
		if (optional)
			return 0;
		return ls_error_set(err, "%s%s: missing; a heartbeat has it (deploy/FEED.md)",
				    where, key);
	}
	if (!cJSON_IsString(v))
		return ls_error_set(err, "%s%s: not a string", where, key);
	n = strlen(v->valuestring);
	if (n >= size)
		return ls_error_set(err, "%s%s: %zu bytes; at most %zu", where, key, n, size - 1);
	if (!ls_utf8_valid(v->valuestring, n, &bad))
		return ls_error_set(err, "%s%s: not UTF-8 at byte %zu", where, key, bad);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v->valuestring[i] < 0x20 || v->valuestring[i] == 0x7f)
			return ls_error_set(err, "%s%s: control character at byte %zu", where, key,
					    i);
	memcpy(out, v->valuestring, n + 1);
	return 0;
}

/* A number field in min..max; integral unless real is set (then *out is
 * the value times 1000, rounded: milliseconds from seconds). */
static int get_num(const cJSON *o, const char *key, const char *where, int64_t min, int64_t max,
		   bool real, int64_t *out, struct ls_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (!v)
		return ls_error_set(err, "%s%s: missing; a heartbeat has it (deploy/FEED.md)",
				    where, key);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return ls_error_set(err, "%s%s: not a number", where, key);
	d = v->valuedouble;
	if (real)
		d = round(d * 1000.0);
	if (d < (double)min || d > (double)max || (!real && d != floor(d)))
		return ls_error_set(err, "%s%s: %g is out of range; use %s %" PRId64 "..%" PRId64,
				    where, key, v->valuedouble, real ? "seconds" : "an integer",
				    real ? min / 1000 : min, real ? max / 1000 : max);
	*out = (int64_t)d;
	return 0;
}

static int parse_items(const cJSON *o, struct hub_heartbeat *hb, struct ls_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "items"), *e;
	char where[48];

	if (!cJSON_IsArray(a))
		return ls_error_set(err, "items: %s", a ? "not an array" : "missing");
	if (cJSON_GetArraySize(a) > HUB_HB_MAX_ITEMS)
		return ls_error_set(err, "items: %d entries; a board reports at most %d",
				    cJSON_GetArraySize(a), HUB_HB_MAX_ITEMS);
	hb->n_items = 0;
	cJSON_ArrayForEach(e, a)
	{
		int i = hb->n_items;

		snprintf(where, sizeof(where), "items[%d].", i);
		if (!cJSON_IsObject(e))
			return ls_error_set(err, "items[%d]: not an object", i);
		if (get_str(e, "id", where, hb->items[i].id, HUB_NAME_MAX, false, err) ||
		    get_num(e, "plays", where, 0, PLAYS_MAX, false, &hb->items[i].plays, err) ||
		    get_num(e, "seconds", where, 0, (int64_t)SPAN_MAX * 1000, true,
			    &hb->items[i].ms, err))
			return -1;
		if (!hb->items[i].id[0])
			return ls_error_set(err, "items[%d].id: empty", i);
		for (int j = 0; j < i; j++)
			if (!strcmp(hb->items[j].id, hb->items[i].id))
				return ls_error_set(err, "items[%d].id: '%s' is listed twice", i,
						    hb->items[i].id);
		hb->n_items++;
	}
	return 0;
}

static int parse_feeds(const cJSON *o, struct hub_heartbeat *hb, struct ls_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "feeds"), *e;
	char where[48];

	hb->n_feeds = 0;
	if (!a)
		return 0;
	if (!cJSON_IsArray(a))
		return ls_error_set(err, "feeds: not an array");
	if (cJSON_GetArraySize(a) > HUB_HB_MAX_FEEDS)
		return ls_error_set(err, "feeds: %d entries; a board has at most %d",
				    cJSON_GetArraySize(a), HUB_HB_MAX_FEEDS);
	cJSON_ArrayForEach(e, a)
	{
		int i = hb->n_feeds;

		snprintf(where, sizeof(where), "feeds[%d].", i);
		if (!cJSON_IsObject(e))
			return ls_error_set(err, "feeds[%d]: not an object", i);
		if (get_str(e, "url", where, hb->feeds[i].url, sizeof(hb->feeds[i].url), false,
			    err) ||
		    get_num(e, "version", where, -1, TIME_MAX, false, &hb->feeds[i].version, err) ||
		    get_num(e, "accepted_at", where, -1, TIME_MAX, false, &hb->feeds[i].accepted_at,
			    err) ||
		    get_num(e, "failures", where, 0, INT32_MAX, false, &hb->feeds[i].failures,
			    err) ||
		    get_str(e, "error", where, hb->feeds[i].error, sizeof(hb->feeds[i].error), true,
			    err))
			return -1;
		hb->n_feeds++;
	}
	return 0;
}

static int parse_current(const cJSON *o, struct hub_heartbeat *hb, struct ls_error *err)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, "current");

	hb->current[0] = hb->problem[0] = '\0';
	if (cur && !cJSON_IsNull(cur)) {
		if (!cJSON_IsObject(cur))
			return ls_error_set(err, "current: not an object or null");
		if (get_str(cur, "id", "current.", hb->current, sizeof(hb->current), false, err) ||
		    get_str(cur, "problem", "current.", hb->problem, sizeof(hb->problem), true,
			    err))
			return -1;
	}
	return get_str(o, "reason", "", hb->reason, sizeof(hb->reason), true, err);
}

/* The optional panel object {"width", "height", "colour": "mono"|"rgb"}
 * (boards older than it send none) as the studio names a board. */
static int parse_panel(const cJSON *o, struct hub_heartbeat *hb, struct ls_error *err)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "panel");
	char colour[8];
	int64_t w, h;

	hb->panel[0] = '\0';
	if (!p || cJSON_IsNull(p))
		return 0;
	if (!cJSON_IsObject(p))
		return ls_error_set(err, "panel: not an object or null");
	if (get_num(p, "width", "panel.", 1, PANEL_MAX, false, &w, err) ||
	    get_num(p, "height", "panel.", 1, PANEL_MAX, false, &h, err) ||
	    get_str(p, "colour", "panel.", colour, sizeof(colour), false, err))
		return -1;
	if (strcmp(colour, "mono") && strcmp(colour, "rgb"))
		return ls_error_set(err, "panel.colour: '%s'; use \"mono\" or \"rgb\"", colour);
	snprintf(hb->panel, sizeof(hb->panel), "%dx%d%s", (int)w, (int)h,
		 strcmp(colour, "rgb") ? "" : ":rgb");
	return 0;
}

static int parse_doc(const cJSON *o, struct hub_heartbeat *hb, struct ls_error *err)
{
	int64_t up_ms;

	if (!cJSON_IsObject(o))
		return ls_error_set(err, "not a JSON object");
	if (get_str(o, "board", "", hb->board, sizeof(hb->board), false, err) ||
	    get_num(o, "seq", "", 1, SEQ_MAX, false, &hb->seq, err) ||
	    get_num(o, "from", "", 0, TIME_MAX, false, &hb->from, err) ||
	    get_num(o, "to", "", 0, TIME_MAX, false, &hb->to, err) ||
	    get_num(o, "time", "", 0, TIME_MAX, false, &hb->time, err) ||
	    get_num(o, "uptime_s", "", 0, TIME_MAX, true, &up_ms, err))
		return -1;
	if (!hb->board[0])
		return ls_error_set(err, "board: empty; set [board] name on the board");
	hb->uptime_s = (double)up_ms / 1000.0;
	return parse_items(o, hb, err) || parse_feeds(o, hb, err) || parse_current(o, hb, err) ||
		       parse_panel(o, hb, err)
		   ? -1
		   : 0;
}

int hub_heartbeat_parse(const char *body, size_t len, struct hub_heartbeat *hb,
			struct ls_error *err)
{
	const char *end = NULL;
	cJSON *o;
	int r;

	memset(hb, 0, sizeof(*hb));
	if (!len)
		return ls_error_set(err, "empty body; POST the heartbeat as JSON");
	o = cJSON_ParseWithLengthOpts(body, len, &end, false);
	if (!o)
		return ls_error_set(err, "not JSON (byte %td)",
				    cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - body : 0);
	while (end && end < body + len && strchr(" \t\r\n", *end))
		end++;
	if (end && end < body + len && *end) {
		cJSON_Delete(o);
		return ls_error_set(err, "text after the JSON document (byte %td)", end - body);
	}
	r = parse_doc(o, hb, err);
	cJSON_Delete(o);
	return r;
}

/* ---- state ---- */

const char *hub_board_state(int64_t now, int64_t last_seen, int64_t interval_s)
{
	int64_t age = now - last_seen;

	if (last_seen <= 0)
		return "never";
	if (interval_s < 1)
		interval_s = 1;
	if (age * 2 <= interval_s * 3)
		return "online";
	if (age <= interval_s * 3)
		return "late";
	return "offline";
}

int hub_day_of(const struct hub *h, int64_t t)
{
	struct tm tm;

	ls_tz_local(h->zone, t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void hub_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token),
			   (const unsigned char *)"ledsign-hub-token", 17);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ---- storing ---- */

struct board_row {
	bool found;
	int64_t id, last_seq, last_to, interval_s;
	char state[16], token_hash[65];
};

static int board_row(void *ctx, int n, const char *const *v)
{
	struct board_row *b = ctx;

	if (n < 6)
		return 1;
	b->found = true;
	b->id = strtoll(v[0], NULL, 10);
	snprintf(b->state, sizeof(b->state), "%s", v[1] ? v[1] : "");
	snprintf(b->token_hash, sizeof(b->token_hash), "%s", v[2] ? v[2] : "");
	b->last_seq = v[3] ? strtoll(v[3], NULL, 10) : 0;
	b->last_to = v[4] ? strtoll(v[4], NULL, 10) : 0;
	b->interval_s = v[5] ? strtoll(v[5], NULL, 10) : 0;
	return 1;
}

static int find_board(struct hub *h, const char *name, struct board_row *b, struct ls_error *err)
{
	memset(b, 0, sizeof(*b));
	return hub_db_exec(
		   h->db,
		   "SELECT id, state, token_hash, last_seq, last_to, interval_s FROM boards "
		   "WHERE name = ?",
		   (struct hub_arg[]){HA_S(name)}, 1, board_row, b, err) < 0
		   ? -1
		   : 0;
}

/* The day a heartbeat counts on: its end, when the board's clock looks set,
 * else the time the hub received it. */
static int count_day(const struct hub *h, const struct hub_heartbeat *hb, int64_t now)
{
	bool plausible = hb->to >= 1577836800 && hb->to <= now + 86400; /* 2020-01-01 */

	return hub_day_of(h, plausible ? hb->to : now);
}

#define ITEMS_PER_INSERT 12 /* rows of one daily upsert: 60 parameters */

/* Adds the items of one heartbeat to the daily totals, a few rows a
 * statement (each statement is a round trip to a PostgreSQL server). */
static int store_items(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
		       int day, struct ls_error *err)
{
	struct hub_arg args[ITEMS_PER_INSERT * 5];
	char sql[160 + ITEMS_PER_INSERT * 20];
	int i = 0;

	while (i < hb->n_items) {
		size_t len =
		    (size_t)snprintf(sql, sizeof(sql), "%s",
				     "INSERT INTO daily (item, day, board_id, plays, ms) VALUES ");
		int rows = 0;

		for (; i < hb->n_items && rows < ITEMS_PER_INSERT; i++) {
			if (!hb->items[i].plays && !hb->items[i].ms)
				continue;
			len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s(?, ?, ?, ?, ?)",
						rows ? ", " : "");
			args[rows * 5] = HA_S(hb->items[i].id);
			args[rows * 5 + 1] = HA_I(day);
			args[rows * 5 + 2] = HA_I(b->id);
			args[rows * 5 + 3] = HA_I(hb->items[i].plays);
			args[rows * 5 + 4] = HA_I(hb->items[i].ms);
			rows++;
		}
		if (!rows)
			break;
		snprintf(sql + len, sizeof(sql) - len, "%s",
			 " ON CONFLICT (item, day, board_id) DO UPDATE SET "
			 "plays = daily.plays + excluded.plays, ms = daily.ms + excluded.ms");
		if (hub_db_exec(h->db, sql, args, rows * 5, NULL, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int store_feeds(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
		       struct ls_error *err)
{
	if (hub_db_exec(h->db, "DELETE FROM feeds WHERE board_id = ?",
			(struct hub_arg[]){HA_I(b->id)}, 1, NULL, NULL, err) < 0)
		return -1;
	for (int i = 0; i < hb->n_feeds; i++)
		if (hub_db_exec(h->db,
				"INSERT INTO feeds (board_id, layer, url, version, accepted_at, "
				"failures, error) "
				"VALUES (?, ?, ?, ?, ?, ?, ?)",
				(struct hub_arg[]){
				    HA_I(b->id), HA_I(i), HA_S(hb->feeds[i].url),
				    HA_I(hb->feeds[i].version), HA_I(hb->feeds[i].accepted_at),
				    HA_I(hb->feeds[i].failures), HA_S(hb->feeds[i].error)},
				7, NULL, NULL, err) < 0)
			return -1;
	return 0;
}

/* A seq beyond the next one: the reports in between never came (the board
 * dropped them from a full queue); their time is recorded as missing. */
static int store_gap(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
		     int64_t now, int64_t *missing_s, struct ls_error *err)
{
	*missing_s = 0;
	if (!b->last_seq || hb->seq <= b->last_seq + 1)
		return 0;
	*missing_s = hb->from > b->last_to ? hb->from - b->last_to : 0;
	return hub_db_exec(h->db,
			   "INSERT INTO gaps (board_id, from_seq, to_seq, from_t, to_t, found_at) "
			   "VALUES (?, ?, ?, ?, ?, ?)",
			   (struct hub_arg[]){HA_I(b->id), HA_I(b->last_seq + 1), HA_I(hb->seq - 1),
					      HA_I(b->last_to), HA_I(hb->from), HA_I(now)},
			   6, NULL, NULL, err) < 0
		   ? -1
		   : 0;
}

/* The board's interval: the hub's, or the board's own when its last full
 * interval (not the first after a start, which is cut short) was longer. */
static int64_t board_interval(const struct hub *h, const struct board_row *b,
			      const struct hub_heartbeat *hb)
{
	int64_t span = hb->to - hb->from, iv = b->interval_s;

	if (span > 0 && span <= 86400 && hb->uptime_s > 1.5 * (double)span)
		iv = span;
	return iv > h->cfg.hub.report_interval_s ? iv : h->cfg.hub.report_interval_s;
}

static int update_board(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
			const char *body, const char *address, int64_t now, int64_t missing_s,
			struct ls_error *err)
{
	return hub_db_exec(
		   h->db,
		   "UPDATE boards SET last_seen = ?, last_seq = ?, last_to = ?, interval_s = ?, "
		   "heartbeats = heartbeats + 1, missing_reports = missing_reports + ?, "
		   "missing_s = missing_s + ?, current_item = ?, reason = ?, problem = ?, "
		   "status = ?, address = ?, panel = COALESCE(?, panel) WHERE id = ?",
		   (struct hub_arg[]){
		       HA_I(now), HA_I(hb->seq), HA_I(hb->to), HA_I(board_interval(h, b, hb)),
		       HA_I(missing_s ? hb->seq - b->last_seq - 1 : 0), HA_I(missing_s),
		       HA_S(hb->current[0] ? hb->current : NULL), HA_S(hb->reason),
		       HA_S(hb->problem), HA_S(body), HA_S(address),
		       HA_S(hb->panel[0] ? hb->panel : NULL), HA_I(b->id)},
		   13, NULL, NULL, err) < 0
		   ? -1
		   : 0;
}

/* Stores hb for active board b in one transaction, or in the open batch
 * (batch.h). Returns 1 when stored, 0 for a duplicate (acknowledged, nothing
 * counted), -1 with err. */
static int store(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
		 const char *body, const char *address, int64_t now, struct ls_error *err)
{
	int64_t missing_s = 0, added;

	/* An earlier seq is a repeat, unless it starts after everything counted:
	 * then the board's queue was reset (a new state directory) and seq restarted. */
	bool restarted = hb->seq <= b->last_seq && hb->from > b->last_to;

	if (hb->seq <= b->last_seq && !restarted)
		return 0;
	if (hub_batch_begin(h, err))
		return -1;
	added =
	    hub_db_exec(h->db,
			"INSERT INTO heartbeats (board_id, seq, from_t, to_t, received_at, body) "
			"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			(struct hub_arg[]){HA_I(b->id), HA_I(hb->seq), HA_I(hb->from), HA_I(hb->to),
					   HA_I(now), HA_S(body)},
			6, NULL, NULL, err);
	if (added < 0 ||
	    (added > 0 &&
	     ((!restarted && store_gap(h, b, hb, now, &missing_s, err)) ||
	      store_items(h, b, hb, count_day(h, hb, now), err) || store_feeds(h, b, hb, err) ||
	      update_board(h, b, hb, body, address, now, missing_s, err)))) {
		hub_batch_end(h, false, NULL);
		return -1;
	}
	if (hub_batch_end(h, true, err))
		return -1;
	if (restarted && added > 0)
		hub_audit(h, hb->board, "board.seq_restart", hb->board,
			  "seq started again below the last one received", address);
	return added > 0;
}

/* An unknown board: held as waiting for enrolment with the token it sent. */
static void hold_pending(struct hub *h, const struct hub_heartbeat *hb, const char *hash,
			 const char *address, int64_t now, struct hub_response *rs)
{
	struct ls_error err;
	int64_t n;

	if (hub_db_int(h->db, &n, 0, "SELECT COUNT(*) FROM boards WHERE state = 'pending'", NULL, 0,
		       &err) ||
	    n >= PENDING_MAX) {
		hub_reply_error(
		    rs, 503,
		    "%d boards are already waiting for enrolment; accept or refuse them first",
		    PENDING_MAX);
		return;
	}
	if (hub_db_exec(h->db,
			"INSERT INTO boards (name, state, token_hash, created_at, address, "
			"attempts, last_seen) "
			"VALUES (?, 'pending', ?, ?, ?, 1, NULL)",
			(struct hub_arg[]){HA_S(hb->board), HA_S(hash), HA_I(now), HA_S(address)},
			4, NULL, NULL, &err) < 0) {
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	hub_audit(h, hb->board, "board.pending", hb->board,
		  "first heartbeat; waiting for enrolment", address);
	hub_reply_error(rs, 403,
			"board '%s' is waiting for enrolment: an administrator must accept it on "
			"the hub; its reports stay queued on the board until then",
			hb->board);
}

static void refuse_known(struct hub *h, const struct board_row *b, const struct hub_heartbeat *hb,
			 const char *address, struct hub_response *rs)
{
	if (!strcmp(b->state, "pending")) {
		hub_db_exec(h->db, "UPDATE boards SET attempts = attempts + 1 WHERE id = ?",
			    (struct hub_arg[]){HA_I(b->id)}, 1, NULL, NULL, NULL);
		hub_reply_error(rs, 403,
				"board '%s' is waiting for enrolment: an administrator must accept "
				"it on the hub; its reports stay queued on the board until then",
				hb->board);
		return;
	}
	(void)address;
	hub_reply_error(rs, 403, "board '%s' was refused by an administrator; nothing stored",
			hb->board);
}

/* The bearer token of the Authorization header, or NULL. */
static const char *bearer(const char *auth)
{
	if (!auth || strncasecmp(auth, "Bearer ", 7))
		return NULL;
	auth += 7;
	while (*auth == ' ')
		auth++;
	return *auth ? auth : NULL;
}

static bool token_ok(const char *t)
{
	size_t n = strlen(t);

	if (n < TOKEN_MIN || n > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-._~",
			    t[i]))
			return false;
	return true;
}

static void reply_stored(struct hub_response *rs, const struct hub_heartbeat *hb, int stored)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "ok", 1);
	cJSON_AddStringToObject(o, "board", hb->board);
	cJSON_AddNumberToObject(o, "seq", (double)hb->seq);
	cJSON_AddBoolToObject(o, stored ? "stored" : "duplicate", 1);
	hub_reply_json(rs, 200, o);
}

static void authenticated(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			  const struct hub_heartbeat *hb, const char *hash)
{
	struct board_row b;
	struct ls_error err;
	int64_t now = h->now();
	int r;

	if (find_board(h, hb->board, &b, &err)) {
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	if (!b.found || strcmp(b.state, "active"))
		hub_batch_flush(h); /* their writes are not a heartbeat's */
	if (!b.found) {
		hold_pending(h, hb, hash, rq->address, now, rs);
		return;
	}
	if (sodium_memcmp(b.token_hash, hash, 64)) {
		hub_reply_error(rs, 403,
				"the token does not match board '%s''s; nothing stored (is [feed] "
				"report_token on the board the one enrolled?)",
				hb->board);
		return;
	}
	if (strcmp(b.state, "active")) {
		refuse_known(h, &b, hb, rq->address, rs);
		return;
	}
	/* The body is stored as text: it was checked to be UTF-8 JSON of bounded size. */
	char *body = strndup(rq->body, rq->body_len);
	r = body ? store(h, &b, hb, body, rq->address, now, &err)
		 : ls_error_set(&err, "out of memory");
	free(body);
	if (r < 0) {
		hub_reply_error(rs, 500, "could not store the heartbeat: %s", err.msg);
		return;
	}
	reply_stored(rs, hb, r);
	/* "stored" or "duplicate" is only true once the batch it rides in commits. */
	rs->wait = hub_batch_join(h, rq);
}

void hub_heartbeat_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_heartbeat *hb;
	struct ls_error err;
	const char *token = bearer(rq->authorization);
	char hash[65];

	if (!token) {
		hub_reply_error(rs, 401,
				"no board token: set [feed] report_token on the board "
				"(deploy/HUB.md, \"Enrolment\"); nothing stored");
		return;
	}
	if (!token_ok(token)) {
		hub_reply_error(rs, 401,
				"the board token is not %d..%d characters of A-Z a-z 0-9 + / = - . "
				"_ ~; nothing stored",
				TOKEN_MIN, TOKEN_MAX);
		return;
	}
	if (!rq->content_type || strncasecmp(rq->content_type, "application/json", 16)) {
		hub_reply_error(
		    rs, 415,
		    "a heartbeat is sent as Content-Type: application/json; nothing stored");
		return;
	}
	if (!(hb = malloc(sizeof(*hb)))) {
		hub_reply_error(rs, 500, "out of memory");
		return;
	}
	if (hub_heartbeat_parse(rq->body, rq->body_len, hb, &err))
		hub_reply_error(rs, 400, "heartbeat refused: %s; nothing stored", err.msg);
	else {
		hub_token_hash(token, hash);
		authenticated(h, rq, rs, hb, hash);
	}
	free(hb);
}

static int set_meta(struct hub *h, const char *name, const char *province, const char *district,
		    const char *tags, struct ls_error *err)
{
	const char *cols[] = {"province", "district", "tags"};
	const char *vals[] = {province, district, tags};
	char sql[96];

	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		snprintf(sql, sizeof(sql), "UPDATE boards SET %s = ? WHERE name = ?", cols[i]);
		if (hub_db_exec(h->db, sql, (struct hub_arg[]){HA_S(vals[i]), HA_S(name)}, 2, NULL,
				NULL, err) < 0)
			return -1;
	}
	return 0;
}

int hub_board_accept(struct hub *h, const char *name, const char *token, const char *province,
		     const char *district, const char *tags, const char *actor,
		     struct ls_error *err)
{
	struct board_row b;
	char hash[65];
	int64_t now = h->now();

	if (!name[0] || strlen(name) >= HUB_NAME_MAX)
		return ls_error_set(err, "a board name is 1..%d bytes", HUB_NAME_MAX - 1);
	if (token && !token_ok(token))
		return ls_error_set(
		    err, "a board token is %d..%d characters of A-Z a-z 0-9 + / = - . _ ~",
		    TOKEN_MIN, TOKEN_MAX);
	if (find_board(h, name, &b, err))
		return -1;
	if (!b.found && !token)
		return ls_error_set(err,
				    "no board '%s' is waiting for enrolment; add it with a token "
				    "(ledsign-hub board add NAME TOKEN)",
				    name);
	if (token)
		hub_token_hash(token, hash);
	if (!b.found &&
	    hub_db_exec(h->db,
			"INSERT INTO boards (name, state, token_hash, created_at, accepted_at) "
			"VALUES (?, 'active', ?, ?, ?)",
			(struct hub_arg[]){HA_S(name), HA_S(hash), HA_I(now), HA_I(now)}, 4, NULL,
			NULL, err) < 0)
		return -1;
	if (b.found &&
	    hub_db_exec(h->db,
			"UPDATE boards SET state = 'active', accepted_at = ?, "
			"token_hash = COALESCE(?, token_hash) WHERE id = ?",
			(struct hub_arg[]){HA_I(now), HA_S(token ? hash : NULL), HA_I(b.id)}, 3,
			NULL, NULL, err) < 0)
		return -1;
	if (set_meta(h, name, province, district, tags, err))
		return -1;
	hub_audit(h, actor, b.found ? "board.accept" : "board.add", name,
		  token ? "token set by the administrator" : "token as sent by the board", "");
	return 0;
}

int64_t hub_prune(struct hub *h, struct ls_error *err)
{
	int64_t cut = h->now() - (int64_t)h->cfg.hub.retention_days * 86400;

	return hub_db_exec(h->db, "DELETE FROM heartbeats WHERE received_at < ?",
			   (struct hub_arg[]){HA_I(cut)}, 1, NULL, NULL, err);
}
