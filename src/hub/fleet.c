/*
 * fleet.c: the fleet API: every board the user may see with its state, what
 * it shows and why, its feed layers' versions and text problems; one board
 * with its history; and the administrator's enrolment actions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "auth.h"

#define BOARD_COLS                                                                                 \
	"b.id, b.name, b.state, b.province, b.district, b.tags, b.last_seen, b.interval_s, "       \
	"b.current_item, b.reason, b.problem, b.heartbeats, b.missing_reports, b.missing_s, "      \
	"b.created_at, b.accepted_at, b.attempts, b.last_seq, b.address, b.token_hash, b.panel"

struct fleet_ctx {
	struct hub *h;
	const struct hub_user *u;
	const struct hub_request *rq;
	int64_t now, offline_s;
	cJSON *boards;
	int64_t *ids; /* board ids in boards' order, to attach feeds */
	int n, cap;
};

static int64_t num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static bool has_tag(const char *tags, const char *tag)
{
	size_t n = strlen(tag);

	for (const char *p = tags; (p = strstr(p, tag)); p += n)
		if ((p == tags || p[-1] == ',' || p[-1] == ' ') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

/* Whether a board row passes the user's scope and the request's filters. */
static bool wanted(const struct fleet_ctx *c, const char *const *v, const char *status)
{
	const char *province = hub_arg(c->rq, "province"), *tag = hub_arg(c->rq, "tag");
	const char *district = hub_arg(c->rq, "district"), *state = hub_arg(c->rq, "status");

	if (!hub_user_sees(c->u, v[3]))
		return false;
	if (province && province[0] && strcmp(province, v[3]))
		return false;
	if (district && district[0] && strcmp(district, v[4]))
		return false;
	if (tag && tag[0] && !has_tag(v[5], tag))
		return false;
	if (state && state[0] && strcmp(state, status))
		return false;
	return !c->offline_s || (!strcmp(status, "offline") && c->now - num(v[6]) > c->offline_s);
}

static cJSON *board_json(const struct fleet_ctx *c, const char *const *v, const char *status)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", v[1]);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddStringToObject(o, "province", v[3]);
	cJSON_AddStringToObject(o, "district", v[4]);
	cJSON_AddStringToObject(o, "tags", v[5]);
	cJSON_AddNumberToObject(o, "last_seen", (double)num(v[6]));
	cJSON_AddNumberToObject(o, "interval_s",
				(double)(num(v[7]) ? num(v[7]) : c->h->cfg.hub.report_interval_s));
	if (v[8])
		cJSON_AddStringToObject(o, "current", v[8]);
	else
		cJSON_AddNullToObject(o, "current");
	/* The board reports the scheduler's English sentence, a message of the
	 * catalogue: read in the reader's language. */
	cJSON_AddStringToObject(o, "reason", v[9] && *v[9] ? hub_tr(v[9]) : "");
	cJSON_AddStringToObject(o, "problem", v[10] ? v[10] : "");
	cJSON_AddNumberToObject(o, "heartbeats", (double)num(v[11]));
	cJSON_AddNumberToObject(o, "missing_reports", (double)num(v[12]));
	cJSON_AddNumberToObject(o, "missing_s", (double)num(v[13]));
	cJSON_AddStringToObject(o, "panel", v[20] ? v[20] : "");
	return o;
}

static const char *row_status(const struct fleet_ctx *c, const char *const *v)
{
	int64_t iv = num(v[7]) ? num(v[7]) : c->h->cfg.hub.report_interval_s;

	if (strcmp(v[2], "active"))
		return v[2]; /* pending, refused */
	return hub_board_state(c->now, num(v[6]), iv);
}

static int fleet_row(void *ctx, int n, const char *const *v)
{
	struct fleet_ctx *c = ctx;
	const char *status;
	cJSON *o;

	if (n < 21)
		return 1;
	status = row_status(c, v);
	if (!wanted(c, v, status))
		return 0;
	if (c->n == c->cap) {
		int64_t *ids = realloc(c->ids, sizeof(*ids) * (size_t)(c->cap = c->cap * 2 + 64));
		if (!ids)
			return 1;
		c->ids = ids;
	}
	o = board_json(c, v, status);
	cJSON_AddArrayToObject(o, "feeds");
	if (strcmp(v[2], "active")) {
		char fp[9];
		snprintf(fp, sizeof(fp), "%s", v[19] ? v[19] : "");
		cJSON_AddStringToObject(o, "token_fingerprint", fp);
		cJSON_AddNumberToObject(o, "attempts", (double)num(v[16]));
		cJSON_AddStringToObject(o, "address", v[18] ? v[18] : "");
	}
	c->ids[c->n++] = num(v[0]);
	cJSON_AddItemToArray(c->boards, o);
	return 0;
}

struct feed_ctx {
	struct fleet_ctx *f;
	int at;	     /* walking boards in id order */
	cJSON *list; /* per layer: {version: count} while counting */
};

/* Feeds rows come ordered by board id, like the boards. */
static int feed_row(void *ctx, int n, const char *const *v)
{
	struct feed_ctx *c = ctx;
	int64_t bid = num(v[0]);
	cJSON *b, *e;

	if (n < 7)
		return 1;
	while (c->at < c->f->n && c->f->ids[c->at] < bid)
		c->at++;
	if (c->at == c->f->n || c->f->ids[c->at] != bid)
		return 0;
	b = cJSON_GetArrayItem(c->f->boards, c->at);
	e = cJSON_CreateObject();
	cJSON_AddNumberToObject(e, "layer", (double)num(v[1]));
	cJSON_AddStringToObject(e, "url", v[2]);
	cJSON_AddNumberToObject(e, "version", (double)num(v[3]));
	cJSON_AddNumberToObject(e, "accepted_at", (double)num(v[4]));
	cJSON_AddNumberToObject(e, "failures", (double)num(v[5]));
	cJSON_AddStringToObject(e, "error", v[6] ? v[6] : "");
	cJSON_AddItemToArray(cJSON_GetObjectItem(b, "feeds"), e);
	return 0;
}

/* layers: per layer, how many of the listed boards have each version,
 * newest first ("1,812 of 2,000 boards have the new national playlist"). */
static cJSON *layers_json(cJSON *boards)
{
	cJSON *layers = cJSON_CreateArray(), *b, *f;

	cJSON_ArrayForEach(b, boards)
	{
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(b, "feeds"))
		{
			int layer = cJSON_GetObjectItem(f, "layer")->valueint;
			double version = cJSON_GetObjectItem(f, "version")->valuedouble;
			cJSON *l, *vs, *v;
			char key[32];

			while (cJSON_GetArraySize(layers) <= layer) {
				l = cJSON_CreateObject();
				cJSON_AddNumberToObject(l, "layer", cJSON_GetArraySize(layers));
				cJSON_AddStringToObject(l, "url", "");
				cJSON_AddNumberToObject(l, "boards", 0);
				cJSON_AddObjectToObject(l, "versions");
				cJSON_AddItemToArray(layers, l);
			}
			l = cJSON_GetArrayItem(layers, layer);
			cJSON_SetValuestring(cJSON_GetObjectItem(l, "url"),
					     cJSON_GetObjectItem(f, "url")->valuestring);
			cJSON_SetNumberValue(cJSON_GetObjectItem(l, "boards"),
					     cJSON_GetObjectItem(l, "boards")->valuedouble + 1);
			vs = cJSON_GetObjectItem(l, "versions");
			snprintf(key, sizeof(key), "%.0f", version);
			if ((v = cJSON_GetObjectItem(vs, key)))
				cJSON_SetNumberValue(v, v->valuedouble + 1);
			else
				cJSON_AddNumberToObject(vs, key, 1);
		}
	}
	return layers;
}

static int by_boards(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	double nx = cJSON_GetObjectItem(x, "boards")->valuedouble;
	double ny = cJSON_GetObjectItem(y, "boards")->valuedouble;

	if (nx != ny)
		return nx < ny ? 1 : -1;
	return strcmp(cJSON_GetObjectItem(x, "panel")->valuestring,
		      cJSON_GetObjectItem(y, "panel")->valuestring);
}

/* sizes: the panels of the listed boards that report one, each with how many
 * boards have it, most boards first (the studio previews for each). */
static cJSON *sizes_json(cJSON *boards)
{
	cJSON *count = cJSON_CreateObject(), *sizes = cJSON_CreateArray(), *b, **v;
	int n = 0;

	cJSON_ArrayForEach(b, boards)
	{
		const char *p = cJSON_GetObjectItem(b, "panel")->valuestring;
		cJSON *c = cJSON_GetObjectItemCaseSensitive(count, p);

		if (!p[0])
			continue;
		if (c) {
			cJSON_SetNumberValue(c, c->valuedouble + 1);
		} else {
			cJSON_AddNumberToObject(count, p, 1);
			n++;
		}
	}
	v = calloc((size_t)n + 1, sizeof(*v));
	n = 0;
	cJSON_ArrayForEach(b, count)
	{
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "panel", b->string);
		cJSON_AddNumberToObject(e, "boards", b->valuedouble);
		if (v)
			v[n++] = e;
		else
			cJSON_AddItemToArray(sizes, e);
	}
	if (v)
		qsort(v, (size_t)n, sizeof(*v), by_boards);
	for (int i = 0; v && i < n; i++)
		cJSON_AddItemToArray(sizes, v[i]);
	free(v);
	cJSON_Delete(count);
	return sizes;
}

void hub_fleet_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	struct fleet_ctx c = {.h = h, .u = &u, .rq = rq, .now = h->now()};
	struct feed_ctx fc = {.f = &c};
	const char *off = hub_arg(rq, "offline_hours");
	struct ls_error err;
	cJSON *o;

	if (hub_session(h, rq, rs, &u))
		return;
	if (off && (atoll(off) < 0 || atoll(off) > 100000)) {
		hub_reply_error(rs, 400, "offline_hours: '%s' is not 0..100000", off);
		return;
	}
	c.offline_s = off ? atoll(off) * 3600 : 0;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "now", (double)c.now);
	c.boards = cJSON_AddArrayToObject(o, "boards");
	if (hub_db_exec(h->db, "SELECT " BOARD_COLS " FROM boards b ORDER BY b.id", NULL, 0,
			fleet_row, &c, &err) < 0 ||
	    hub_db_exec(
		h->db,
		"SELECT board_id, layer, url, version, accepted_at, failures, error FROM feeds "
		"ORDER BY board_id, layer",
		NULL, 0, feed_row, &fc, &err) < 0) {
		free(c.ids);
		cJSON_Delete(o);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	free(c.ids);
	cJSON_AddItemToObject(o, "layers", layers_json(c.boards));
	cJSON_AddItemToObject(o, "sizes", sizes_json(c.boards));
	hub_reply_json(rs, 200, o);
}

/* ---- one board ---- */

static int history_row(void *ctx, int n, const char *const *v)
{
	cJSON *e = cJSON_CreateObject();

	if (n < 4)
		return 1;
	cJSON_AddNumberToObject(e, "seq", (double)num(v[0]));
	cJSON_AddNumberToObject(e, "from", (double)num(v[1]));
	cJSON_AddNumberToObject(e, "to", (double)num(v[2]));
	cJSON_AddNumberToObject(e, "received_at", (double)num(v[3]));
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

static int gap_row(void *ctx, int n, const char *const *v)
{
	cJSON *e = cJSON_CreateObject();

	if (n < 4)
		return 1;
	cJSON_AddNumberToObject(e, "from_seq", (double)num(v[0]));
	cJSON_AddNumberToObject(e, "to_seq", (double)num(v[1]));
	cJSON_AddNumberToObject(e, "from", (double)num(v[2]));
	cJSON_AddNumberToObject(e, "to", (double)num(v[3]));
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

static int day_row(void *ctx, int n, const char *const *v)
{
	cJSON *e = cJSON_CreateObject();

	if (n < 4)
		return 1;
	cJSON_AddNumberToObject(e, "day", (double)num(v[0]));
	cJSON_AddStringToObject(e, "item", v[1]);
	cJSON_AddNumberToObject(e, "plays", (double)num(v[2]));
	cJSON_AddNumberToObject(e, "seconds", (double)num(v[3]) / 1000.0);
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

static int status_row(void *ctx, int n, const char *const *v)
{
	cJSON **out = ctx;

	if (n >= 1 && v[0])
		*out = cJSON_Parse(v[0]);
	return 1;
}

static int board_history(struct hub *h, cJSON *b, int64_t id, struct ls_error *err)
{
	struct hub_arg a[] = {HA_I(id)};
	cJSON *last = NULL;

	if (hub_db_exec(h->db,
			"SELECT seq, from_t, to_t, received_at FROM heartbeats WHERE board_id = ? "
			"ORDER BY received_at DESC, seq DESC LIMIT 200",
			a, 1, history_row, cJSON_AddArrayToObject(b, "heartbeats"), err) < 0 ||
	    hub_db_exec(h->db,
			"SELECT from_seq, to_seq, from_t, to_t FROM gaps WHERE board_id = ? "
			"ORDER BY found_at DESC LIMIT 200",
			a, 1, gap_row, cJSON_AddArrayToObject(b, "gaps"), err) < 0 ||
	    hub_db_exec(
		h->db,
		"SELECT day, item, plays, ms FROM daily WHERE board_id = ? ORDER BY day DESC, item "
		"LIMIT 2000",
		a, 1, day_row, cJSON_AddArrayToObject(b, "days"), err) < 0 ||
	    hub_db_exec(h->db, "SELECT status FROM boards WHERE id = ?", a, 1, status_row, &last,
			err) < 0)
		return -1;
	if (last)
		cJSON_AddItemToObject(b, "last_heartbeat", last);
	return 0;
}

/* The board name after prefix in the path, or NULL. */
static const char *board_name(const char *path, const char *prefix, char *out, size_t size)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) || !path[n] || strlen(path + n) >= size ||
	    strchr(path + n, '/'))
		return NULL;
	snprintf(out, size, "%s", path + n);
	return out;
}

void hub_board_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	struct fleet_ctx c = {.h = h, .u = &u, .rq = &(struct hub_request){0}, .now = h->now()};
	char name[HUB_NAME_MAX];
	struct ls_error err;
	cJSON *o;

	if (hub_session(h, rq, rs, &u))
		return;
	if (!board_name(rq->path, "/api/boards/", name, sizeof(name))) {
		hub_reply_error(rs, 404, "no such board");
		return;
	}
	o = cJSON_CreateObject();
	c.boards = cJSON_AddArrayToObject(o, "boards");
	if (hub_db_exec(h->db, "SELECT " BOARD_COLS " FROM boards b WHERE b.name = ?",
			(struct hub_arg[]){HA_S(name)}, 1, fleet_row, &c, &err) < 0) {
		cJSON_Delete(o);
		free(c.ids);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	if (!c.n) {
		int64_t exists = 0;
		hub_db_int(h->db, &exists, 0, "SELECT COUNT(*) FROM boards WHERE name = ?",
			   (struct hub_arg[]){HA_S(name)}, 1, NULL);
		cJSON_Delete(o);
		free(c.ids);
		if (exists)
			hub_reply_error(rs, 403, "board '%s' is outside your provinces (%s)", name,
					u.scope);
		else
			hub_reply_error(rs, 404, "no board '%s'", name);
		return;
	}
	struct feed_ctx fc = {.f = &c};
	/* On failure the board is shown without its feeds; the history below reports the error. */
	hub_db_exec(h->db,
		    "SELECT board_id, layer, url, version, accepted_at, failures, error FROM feeds "
		    "WHERE board_id = ? ORDER BY layer",
		    (struct hub_arg[]){HA_I(c.ids[0])}, 1, feed_row, &fc, &err);
	cJSON *b = cJSON_DetachItemFromArray(c.boards, 0);
	if (board_history(h, b, c.ids[0], &err)) {
		cJSON_Delete(b);
		cJSON_Delete(o);
		free(c.ids);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	free(c.ids);
	cJSON_Delete(o);
	hub_reply_json(rs, 200, b);
}

/* POST /api/boards/NAME {"action": "accept"|"refuse", "province", "district", "tags"} */
void hub_board_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	char name[HUB_NAME_MAX];
	struct ls_error err;
	cJSON *o, *a;
	const char *action;

	if (hub_session(h, rq, rs, &u))
		return;
	if (strcmp(u.role, "admin")) {
		hub_reply_error(rs, 403, "only an administrator enrols boards");
		return;
	}
	if (!board_name(rq->path, "/api/boards/", name, sizeof(name))) {
		hub_reply_error(rs, 404, "no such board");
		return;
	}
	o = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
	a = cJSON_GetObjectItemCaseSensitive(o, "action");
	action = cJSON_IsString(a) ? a->valuestring : "";
	if (!strcmp(action, "accept")) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "province");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "district");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "tags");
		if (hub_board_accept(h, name, NULL, cJSON_IsString(p) ? p->valuestring : NULL,
				     cJSON_IsString(d) ? d->valuestring : NULL,
				     cJSON_IsString(t) ? t->valuestring : NULL, u.name, &err))
			hub_reply_error(rs, 400, "%s", err.msg);
		else
			hub_reply_json(rs, 200, cJSON_CreateObject());
	} else if (!strcmp(action, "refuse")) {
		if (hub_db_exec(h->db, "UPDATE boards SET state = 'refused' WHERE name = ?",
				(struct hub_arg[]){HA_S(name)}, 1, NULL, NULL, &err) <= 0)
			hub_reply_error(rs, 404, "no board '%s'", name);
		else {
			hub_audit(h, u.name, "board.refuse", name, "", rq->address);
			hub_reply_json(rs, 200, cJSON_CreateObject());
		}
	} else {
		hub_reply_error(rs, 400, "action: use \"accept\" or \"refuse\"");
	}
	cJSON_Delete(o);
}
