/*
 * studio.c: the studio's API. The playlist being edited travels as the
 * request body; the hub hands it to the library and returns what the
 * library says (the lint's findings, each with its JSON path and line:col)
 * or draws (preview.c). The lint stops at the first error of each item, as
 * a board does; so that an editor sees every field's problem at once, the
 * studio checks again with each refused field taken out (at most
 * HUB_STUDIO_MAX_ROUNDS times) and places what the library says then at the
 * same field of the editor's own text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "auth.h"
#include "layer.h"
#include "ledsign/clock.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "pictures.h"
#include "studio.h"

#define MAX_FINDINGS 200
#define PATH_MAX_LEN 128

static const char PLAYLIST_NAME[] = "playlist.json";

/* ---- findings ---- */

/* The JSON path a finding's message starts with ("items[2].speed",
 * "items[2] (id)" as "items[2]"), into out; "" when it names none. */
static void message_path(const char *msg, char *out, size_t n)
{
	size_t k =
	    strspn(msg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]");
	const char *after = msg + k;

	out[0] = '\0';
	if (!k || k >= n)
		return;
	if (!strncmp(after, " (", 2) && (after = strchr(after, ')')))
		after++;
	if (after && *after == ':') {
		memcpy(out, msg, k);
		out[k] = '\0';
	}
}

/* The finding's message without its "file:line:col: " prefix. */
static const char *message_of(const char *text)
{
	size_t n = strlen(PLAYLIST_NAME);
	const char *p = text + n;

	if (strncmp(text, PLAYLIST_NAME, n))
		return text;
	while (*p == ':' || (*p >= '0' && *p <= '9'))
		p++;
	return *p == ' ' ? p + 1 : p;
}

/* Line:col of path in buf, or of the nearest enclosing value. */
static void locate(const char *buf, size_t len, const char *path, int *line, int *col)
{
	char p[PATH_MAX_LEN];

	snprintf(p, sizeof(p), "%s", path);
	*line = *col = 0;
	while (ls_playlist_locate(buf, len, p, line, col)) {
		char *dot = strrchr(p, '.'), *br = strrchr(p, '[');
		if (!p[0])
			return;
		*(dot && (!br || dot > br) ? dot : br ? br : p) = '\0';
	}
}

struct lint_run {
	const char *orig; /* the editor's text: where every finding is placed */
	size_t orig_len;
	int round;
	cJSON *findings;
	int n, counts[3];
	char removed[HUB_STUDIO_MAX_ROUNDS * 8][PATH_MAX_LEN]; /* fields taken out so far */
	int n_removed;
	char refused[LS_PLAYLIST_MAX_ERRORS + 8][PATH_MAX_LEN]; /* this round's refused fields */
	int n_refused;
};

/* Whether path is a field taken out, or contains one (then what the
 * library says about it is about the removal, not the editor's text). */
static bool about_removed(const struct lint_run *r, const char *path)
{
	size_t n = strlen(path);

	for (int i = 0; i < r->n_removed; i++)
		if (!strncmp(r->removed[i], path, n) &&
		    (!r->removed[i][n] || r->removed[i][n] == '.' || r->removed[i][n] == '['))
			return true;
	return false;
}

static bool already_found(const struct lint_run *r, const char *path, const char *msg)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, r->findings)
	{
		if (!strcmp(cJSON_GetObjectItem(f, "path")->valuestring, path) &&
		    !strcmp(cJSON_GetObjectItem(f, "message")->valuestring, msg))
			return true;
	}
	return false;
}

/* items[N] and the item's field ("windows" of "items[0].windows[1]"). */
static void item_field(const char *path, int *item, char *field, size_t n)
{
	int k = 0;

	*item = -1;
	field[0] = '\0';
	if (sscanf(path, "items[%d]%n", item, &k) == 1 && k) {
		if (path[k] == '.')
			snprintf(field, n, "%.*s", (int)strcspn(path + k + 1, ".["), path + k + 1);
	} else {
		*item = -1;
		snprintf(field, n, "%s", path);
	}
}

static cJSON *finding_json(const struct lint_run *r, const struct ls_lint_finding *f,
			   const char *path, const char *msg, int line, int col)
{
	static const char *const level[] = {"note", "warning", "error"};
	cJSON *o = cJSON_CreateObject();
	char field[64], where[64];
	int item;

	item_field(path, &item, field, sizeof(field));
	if (line)
		snprintf(where, sizeof(where), "%s:%d:%d", PLAYLIST_NAME, line, col);
	else
		snprintf(where, sizeof(where), "%s", PLAYLIST_NAME);
	cJSON_AddStringToObject(o, "level", level[f->level]);
	cJSON_AddNumberToObject(o, "line", line);
	cJSON_AddNumberToObject(o, "col", col);
	cJSON_AddStringToObject(o, "path", path);
	cJSON_AddNumberToObject(o, "item", item);
	cJSON_AddStringToObject(o, "field", field);
	cJSON_AddStringToObject(o, "message", msg);
	cJSON_AddStringToObject(o, "where", where);
	cJSON_AddNumberToObject(o, "round", r->round);
	return o;
}

static void collect(void *ctx, const struct ls_lint_finding *f)
{
	struct lint_run *r = ctx;
	const char *msg = message_of(f->text);
	char path[PATH_MAX_LEN];
	int line = f->line, col = f->col;

	message_path(msg, path, sizeof(path));
	if (f->level == LS_LINT_ERROR && path[0] &&
	    r->n_refused < (int)(sizeof(r->refused) / sizeof(r->refused[0])))
		snprintf(r->refused[r->n_refused++], PATH_MAX_LEN, "%s", path);
	if (r->n >= MAX_FINDINGS || (r->round && (about_removed(r, path) || !path[0])) ||
	    already_found(r, path, msg))
		return;
	if (r->round)
		locate(r->orig, r->orig_len, path, &line, &col);
	cJSON_AddItemToArray(r->findings, finding_json(r, f, path, msg, line, col));
	r->n++;
	r->counts[f->level]++;
}

/* ---- the lint, round after round ---- */

/* One pass of the library's lint over buf for board pc; whether it parsed. */
static bool lint_pass(struct lint_run *r, const struct ls_player_config *pc, int64_t at,
		      const char *buf, size_t len)
{
	struct ls_lint_options lo = {.board = pc,
				     .have_at = true,
				     .at = at,
				     .localtime = ls_localtime,
				     .tz_known = ls_tz_known,
				     .report = collect,
				     .ctx = r};
	struct ls_lint *l = ls_lint_new(&lo, NULL);
	bool parsed;

	if (!l)
		return true;
	r->n_refused = 0;
	ls_lint_add(l, PLAYLIST_NAME, buf, len);
	ls_lint_run(l);
	parsed = ls_lint_playlist(l, 0) != NULL;
	ls_lint_free(l);
	return parsed;
}

/* Takes the field of each refused path ("items[N].key...") out of doc;
 * returns how many were taken out. */
static int take_out_refused(struct lint_run *r, cJSON *doc)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(doc, "items");
	int taken = 0;

	for (int i = 0; i < r->n_refused; i++) {
		char field[64];
		int item;
		cJSON *it;
		item_field(r->refused[i], &item, field, sizeof(field));
		if (item < 0 || !field[0] || !(it = cJSON_GetArrayItem(items, item)) ||
		    !cJSON_GetObjectItemCaseSensitive(it, field) ||
		    r->n_removed == (int)(sizeof(r->removed) / sizeof(r->removed[0])))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(it, field);
		snprintf(r->removed[r->n_removed++], PATH_MAX_LEN, "items[%d].%s", item, field);
		taken++;
	}
	return taken;
}

/* The findings of the editor's text: the lint's, then those it finds with
 * each refused field taken out, all placed in the editor's text. */
static bool lint_all(struct lint_run *r, const struct ls_player_config *pc, int64_t at)
{
	bool parsed = lint_pass(r, pc, at, r->orig, r->orig_len);
	cJSON *doc = parsed ? NULL : cJSON_ParseWithLength(r->orig, r->orig_len);

	for (r->round = 1; doc && r->round <= HUB_STUDIO_MAX_ROUNDS; r->round++) {
		char *text;
		if (!take_out_refused(r, doc) || !(text = cJSON_PrintUnformatted(doc)))
			break;
		bool done = lint_pass(r, pc, at, text, strlen(text));
		cJSON_free(text);
		if (done)
			break;
	}
	cJSON_Delete(doc);
	return parsed;
}

/* ---- requests ---- */

/* The session's user, who must be an editor or an administrator. */
static int studio_user(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       struct hub_user *u)
{
	if (hub_session(h, rq, rs, u))
		return -1;
	if (!strcmp(u->role, "viewer")) {
		hub_audit(h, u->name, "studio.refused", rq->path, "a viewer", rq->address);
		hub_reply_error(
		    rs, 403, "the studio is for editors; ask an administrator for the editor role");
		return -1;
	}
	return 0;
}

/* The body, bounded; replies and returns -1 when there is none or too much. */
static int studio_body(const struct hub_request *rq, struct hub_response *rs)
{
	if (!rq->body || !rq->body_len) {
		hub_reply_error(rs, 400, "send the playlist (JSON) as the request body");
		return -1;
	}
	if (rq->body_len > HUB_STUDIO_MAX_BODY) {
		hub_reply_error(rs, 413,
				"the playlist is over %d bytes; the studio checks at most that",
				HUB_STUDIO_MAX_BODY);
		return -1;
	}
	return 0;
}

/* The board the request names (?board=WxH[:rgb]; default 192x16, the red P10 board). */
static int studio_board(const struct hub_request *rq, struct hub_response *rs,
			struct hub_board_kind *b)
{
	struct ls_error err;
	const char *spec = hub_arg(rq, "board");

	if (hub_board_kind_parse(spec ? spec : "192x16", b, &err)) {
		hub_reply_error(rs, 400, "%s", err.msg);
		return -1;
	}
	return 0;
}

/* A number argument in lo..hi (dflt when absent); replies 400 and returns -1 otherwise. */
static int num_arg(const struct hub_request *rq, struct hub_response *rs, const char *key,
		   double lo, double hi, double dflt, double *out)
{
	const char *s = hub_arg(rq, key);
	char *end;

	*out = dflt;
	if (!s)
		return 0;
	*out = strtod(s, &end);
	if (end == s || *end || !(*out >= lo && *out <= hi)) {
		hub_reply_error(rs, 400, "%s=%.40s: use a number in %g..%g", key, s, lo, hi);
		return -1;
	}
	return 0;
}

static void lint_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		      const struct ls_picture_provider *pics)
{
	struct hub_board_kind b;
	struct ls_config *cfg;
	struct ls_player_config pc;
	struct lint_run *r;
	cJSON *doc;
	bool parsed;

	if (studio_body(rq, rs) || studio_board(rq, rs, &b))
		return;
	cfg = calloc(1, sizeof(*cfg));
	r = calloc(1, sizeof(*r));
	if (!cfg || !r) {
		free(cfg);
		free(r);
		hub_reply_error(rs, 500, "out of memory");
		return;
	}
	ls_config_of_size(cfg, b.w, b.h, b.rgb);
	ls_player_config_from(&pc, cfg);
	pc.pictures = pics;
	*r = (struct lint_run){
	    .orig = rq->body, .orig_len = rq->body_len, .findings = cJSON_CreateArray()};
	parsed = lint_all(r, &pc, h->now());
	doc = cJSON_CreateObject();
	cJSON_AddBoolToObject(doc, "ok", parsed && !r->counts[LS_LINT_ERROR]);
	cJSON_AddBoolToObject(doc, "parsed", parsed);
	cJSON_AddNumberToObject(doc, "errors", r->counts[LS_LINT_ERROR]);
	cJSON_AddNumberToObject(doc, "warnings", r->counts[LS_LINT_WARNING]);
	cJSON_AddNumberToObject(doc, "notes", r->counts[LS_LINT_NOTE]);
	cJSON_AddItemToObject(doc, "findings", r->findings);
	free(r);
	free(cfg);
	hub_reply_json(rs, 200, doc);
}

static void reply_blob(struct hub_response *rs, const char *type, struct hub_blob *b)
{
	hub_reply(rs, 200, type, NULL);
	rs->body = b->data;
	rs->len = b->len;
}

static void preview_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			 const struct ls_picture_provider *pics)
{
	struct hub_board_kind b;
	struct hub_blob out;
	struct ls_error err;
	double item, seconds, fps, at;
	int r;

	if (studio_body(rq, rs) || studio_board(rq, rs, &b) ||
	    num_arg(rq, rs, "item", 0, LS_PLAYLIST_MAX_ITEMS - 1, 0, &item) ||
	    num_arg(rq, rs, "seconds", 0.04, HUB_STUDIO_MAX_SECONDS, 20, &seconds) ||
	    num_arg(rq, rs, "fps", 1, HUB_STUDIO_MAX_FPS, HUB_STUDIO_MAX_FPS, &fps) ||
	    num_arg(rq, rs, "at", 0, 4102444800.0, (double)h->now(), &at))
		return;
	r = hub_preview_gif(rq->body, rq->body_len, (int)item, &b, pics, (int64_t)at, seconds,
			    (int)fps, h->cfg.hub.state_dir, &out, &err);
	if (r)
		hub_reply_error(rs, 422, "%s", err.msg);
	else
		reply_blob(rs, "image/gif", &out);
}

static void sheet_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const struct ls_picture_provider *pics)
{
	struct hub_board_kind b;
	struct hub_blob out;
	struct ls_error err;
	double at;
	int r;

	if (studio_body(rq, rs) || studio_board(rq, rs, &b) ||
	    num_arg(rq, rs, "at", 0, 4102444800.0, (double)h->now(), &at))
		return;
	r = hub_preview_sheet(rq->body, rq->body_len, &b, pics, (int64_t)at, h->cfg.hub.state_dir,
			      &out, &err);
	if (r)
		hub_reply_error(rs, 422, "%s", err.msg);
	else
		reply_blob(rs, "image/png", &out);
}

static void timeline_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			  const struct ls_picture_provider *pics)
{
	struct hub_board_kind b;
	struct ls_error err;
	double from, days;
	const char *tags = hub_arg(rq, "tags");
	cJSON *doc;

	if (studio_body(rq, rs) || studio_board(rq, rs, &b) ||
	    num_arg(rq, rs, "from", 0, 4102444800.0, (double)h->now(), &from) ||
	    num_arg(rq, rs, "days", 1, 7, 7, &days))
		return;
	if (tags && strlen(tags) > 1024) {
		hub_reply_error(rs, 400, "tags: at most 1024 bytes");
		return;
	}
	doc = hub_preview_timeline(rq->body, rq->body_len, &b, pics, tags, (int64_t)from, (int)days,
				   &err);
	if (!doc)
		hub_reply_error(rs, 422, "%s", err.msg);
	else
		hub_reply_json(rs, 200, doc);
}

/* ---- layers and drafts ---- */

/* The layer named in path after prefix (up to the next '/'), which u may
 * edit; replies 404 or 403 (audited) and returns NULL otherwise. */
static const struct hub_layer *studio_layer(struct hub *h, const struct hub_request *rq,
					    struct hub_response *rs, const struct hub_user *u,
					    const char *name)
{
	const struct hub_layer *l = name ? hub_layer_find(h, name) : NULL;

	if (!l) {
		hub_reply_error(rs, 404,
				"no such layer: '%.48s'; the layers are [layer NAME] "
				"sections of hub.conf",
				name ? name : "");
		return NULL;
	}
	if (!hub_user_may_edit(u, l)) {
		hub_audit(h, u->name, "studio.refused", l->name, "not in the user's scope",
			  rq->address);
		hub_reply_error(rs, 403, "you may not edit layer %s; ask an administrator",
				l->name);
		return NULL;
	}
	return l;
}

struct draft {
	cJSON *o;
};

static int draft_row(void *ctx, int n, const char *const *v)
{
	struct draft *d = ctx;

	if (n < 3 || !v[0])
		return 1;
	d->o = cJSON_CreateObject();
	cJSON_AddStringToObject(d->o, "body", v[0]);
	cJSON_AddNumberToObject(d->o, "saved_at", v[1] ? strtod(v[1], NULL) : 0);
	cJSON_AddStringToObject(d->o, "by", v[2] ? v[2] : "");
	return 1;
}

/* u's draft of layer l as {"body", "saved_at", "by"}, or JSON null. */
static cJSON *draft_of(struct hub *h, const struct hub_user *u, const char *layer)
{
	struct draft d = {NULL};

	hub_db_exec(h->db,
		    "SELECT d.body, d.saved_at, u.name FROM drafts d JOIN users u ON u.id = "
		    "d.user_id WHERE d.layer = ? AND d.user_id = ?",
		    (struct hub_arg[]){HA_S(layer), HA_I(u->id)}, 2, draft_row, &d, NULL);
	return d.o ? d.o : cJSON_CreateNull();
}

static cJSON *layer_json(const struct hub_layer *l)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", l->name);
	cJSON_AddStringToObject(o, "title", l->title[0] ? l->title : l->name);
	cJSON_AddStringToObject(o, "file", l->file);
	cJSON_AddStringToObject(o, "path", l->path);
	cJSON_AddBoolToObject(o, "approval", l->approval);
	cJSON_AddBoolToObject(o, "urgent", l->urgent);
	return o;
}

/* GET /api/studio/layers: the layers u may edit. */
static void layers_get(struct hub *h, const struct hub_user *u, struct hub_response *rs)
{
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "layers");

	for (const struct hub_layer *l = hub_layer_next(h, NULL); l; l = hub_layer_next(h, l))
		if (hub_user_may_edit(u, l))
			cJSON_AddItemToArray(arr, layer_json(l));
	hub_reply_json(rs, 200, doc);
}

/* GET /api/studio/layers/NAME: the layer, what boards fetch now, u's draft. */
static void layer_get(struct hub *h, const struct hub_user *u, const struct hub_layer *l,
		      struct hub_response *rs)
{
	cJSON *doc = layer_json(l);
	struct ls_error err;
	char *body = NULL;
	size_t len;
	int r = hub_layer_published(l, &body, &len, &err);

	if (r < 0) {
		cJSON_Delete(doc);
		hub_reply_error(rs, 500, "layer %s: %s", l->name, err.msg);
		return;
	}
	cJSON_AddItemToObject(doc, "published",
			      body ? cJSON_CreateString(body) : cJSON_CreateNull());
	cJSON_AddItemToObject(doc, "draft", draft_of(h, u, l->name));
	free(body);
	hub_reply_json(rs, 200, doc);
}

/* POST /api/studio/layers/NAME/draft: keeps the body as u's working copy
 * (as typed: a draft may not parse yet). */
static void draft_post(struct hub *h, const struct hub_request *rq, const struct hub_user *u,
		       const struct hub_layer *l, struct hub_response *rs)
{
	struct ls_error err;
	cJSON *doc;

	if (studio_body(rq, rs))
		return;
	if (memchr(rq->body, '\0', rq->body_len)) {
		hub_reply_error(rs, 400, "the draft holds a NUL byte; send the playlist's text");
		return;
	}
	if (hub_db_exec(
		h->db,
		"INSERT INTO drafts (layer, user_id, body, saved_at) VALUES (?, ?, ?, ?) "
		"ON CONFLICT (layer, user_id) DO UPDATE SET body = excluded.body, "
		"saved_at = excluded.saved_at",
		(struct hub_arg[]){HA_S(l->name), HA_I(u->id), HA_S(rq->body), HA_I(h->now())}, 4,
		NULL, NULL, &err) < 0) {
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "saved_at", (double)h->now());
	hub_reply_json(rs, 200, doc);
}

/* ---- the difference from the published version ---- */

#define DIFF_MAX_ITEMS (2 * LS_PLAYLIST_MAX_ITEMS)
#define DIFF_VALUE_MAX 400

/* v as compact JSON, cut to DIFF_VALUE_MAX bytes; JSON null when absent. */
static cJSON *value_text(const cJSON *v)
{
	char *s = v ? cJSON_PrintUnformatted(v) : NULL;
	cJSON *o;

	if (!s)
		return cJSON_CreateNull();
	if (strlen(s) > DIFF_VALUE_MAX)
		strcpy(s + DIFF_VALUE_MAX - 3, "...");
	o = cJSON_CreateString(s);
	cJSON_free(s);
	return o;
}

/* The keys of a and b (objects, either may be NULL) whose values differ. */
static cJSON *changed_keys(const cJSON *a, const cJSON *b)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *k;

	cJSON_ArrayForEach(k, a)
	{
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(b, k->string);
		if (!w || !cJSON_Compare(k, w, true)) {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "key", k->string);
			cJSON_AddItemToObject(f, "old", value_text(k));
			cJSON_AddItemToObject(f, "new", value_text(w));
			cJSON_AddItemToArray(out, f);
		}
	}
	cJSON_ArrayForEach(k, b)
	{
		if (!cJSON_GetObjectItemCaseSensitive(a, k->string)) {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "key", k->string);
			cJSON_AddItemToObject(f, "old", cJSON_CreateNull());
			cJSON_AddItemToObject(f, "new", value_text(k));
			cJSON_AddItemToArray(out, f);
		}
	}
	return out;
}

static const char *item_id(const cJSON *it)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");

	return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* The item of list with id (or, for an item without one, at index i). */
static const cJSON *match(const cJSON *list, const cJSON *it, int i)
{
	const char *id = item_id(it);
	const cJSON *c;

	if (!id)
		return item_id(cJSON_GetArrayItem(list, i)) ? NULL : cJSON_GetArrayItem(list, i);
	cJSON_ArrayForEach(c, list)
	{
		if (item_id(c) && !strcmp(item_id(c), id))
			return c;
	}
	return NULL;
}

static void add_change(cJSON *changes, const char *kind, const cJSON *it, int index, cJSON *fields)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "kind", kind);
	cJSON_AddItemToObject(c, "id",
			      item_id(it) ? cJSON_CreateString(item_id(it)) : cJSON_CreateNull());
	cJSON_AddNumberToObject(c, "index", index);
	cJSON_AddItemToObject(c, "fields", fields ? fields : cJSON_CreateArray());
	cJSON_AddItemToArray(changes, c);
}

/* Per item (matched by id): added, removed, changed (with its fields' old
 * and new values) or unchanged; then the other top-level keys. */
static cJSON *diff_docs(const cJSON *old, const cJSON *cur)
{
	const cJSON *oi = cJSON_GetObjectItemCaseSensitive(old, "items"),
		    *ni = cJSON_GetObjectItemCaseSensitive(cur, "items"), *it;
	cJSON *doc = cJSON_CreateObject(), *changes = cJSON_AddArrayToObject(doc, "items"), *top,
	      *a = cJSON_Duplicate(old, true), *b = cJSON_Duplicate(cur, true);
	int i = 0, same = 0;

	cJSON_ArrayForEach(it, ni)
	{
		const cJSON *was = match(oi, it, i);
		if (!was)
			add_change(changes, "added", it, i, NULL);
		else if (!cJSON_Compare(was, it, true))
			add_change(changes, "changed", it, i, changed_keys(was, it));
		else
			same++;
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(it, oi)
	{
		if (!match(ni, it, i))
			add_change(changes, "removed", it, i, NULL);
		i++;
	}
	cJSON_AddNumberToObject(doc, "unchanged", same);
	cJSON_DeleteItemFromObjectCaseSensitive(a, "items");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "items");
	top = changed_keys(a, b);
	cJSON_AddItemToObject(doc, "other", top);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return doc;
}

static bool diffable(const cJSON *d)
{
	return cJSON_IsObject(d) &&
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "items")) <= DIFF_MAX_ITEMS;
}

/* POST /api/studio/layers/NAME/diff: the body against what boards fetch now. */
static void diff_post(const struct hub_request *rq, const struct hub_layer *l,
		      struct hub_response *rs)
{
	struct ls_error err;
	char *pub = NULL;
	size_t len;
	cJSON *old, *cur, *doc;

	if (studio_body(rq, rs))
		return;
	if (hub_layer_published(l, &pub, &len, &err) < 0) {
		hub_reply_error(rs, 500, "layer %s: %s", l->name, err.msg);
		return;
	}
	old = pub ? cJSON_ParseWithLength(pub, len) : cJSON_CreateObject();
	cur = cJSON_ParseWithLength(rq->body, rq->body_len);
	free(pub);
	if (!diffable(cur) || !diffable(old)) {
		hub_reply_error(rs, 422,
				"%s is not a playlist object with at most %d items; fix "
				"what the check says first",
				diffable(cur) ? "the published version" : "the draft",
				DIFF_MAX_ITEMS);
	} else {
		doc = diff_docs(old, cur);
		cJSON_AddBoolToObject(doc, "published", cJSON_GetArraySize(old) > 0);
		hub_reply_json(rs, 200, doc);
	}
	cJSON_Delete(old);
	cJSON_Delete(cur);
}

/* /api/studio/layers/NAME[/what]: NAME into name, what into *what. */
static bool layer_path(const char *path, char *name, size_t n, const char **what)
{
	const char *p = path + strlen("/api/studio/layers/");
	size_t k = strcspn(p, "/");

	if (strncmp(path, "/api/studio/layers/", strlen("/api/studio/layers/")) || !k || k >= n)
		return false;
	memcpy(name, p, k);
	name[k] = '\0';
	*what = p[k] ? p + k + 1 : "";
	return true;
}

static void layer_post(struct hub *h, const struct hub_request *rq, const struct hub_user *u,
		       struct hub_response *rs)
{
	char name[HUB_LAYER_NAME_MAX];
	const char *what;
	const struct hub_layer *l;

	if (!layer_path(rq->path, name, sizeof(name), &what)) {
		hub_reply_error(rs, 404, "no such API: %s", rq->path);
		return;
	}
	if (!(l = studio_layer(h, rq, rs, u, name)))
		return;
	if (!strcmp(what, "draft"))
		draft_post(h, rq, u, l, rs);
	else if (!strcmp(what, "diff"))
		diff_post(rq, l, rs);
	else
		hub_reply_error(rs, 404, "no such API: %s", rq->path);
}

typedef void (*studio_fn)(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			  const struct ls_picture_provider *pics);

static const struct {
	const char *name;
	studio_fn fn;
} posts[] = {
    {"lint", lint_post},
    {"preview", preview_post},
    {"sheet", sheet_post},
    {"timeline", timeline_post},
};

/* The picture store of the layer ?layer= names, which u may edit (none
 * without it: every picture is refused, saying to open a layer); replies
 * 404 or 403 (audited) and returns -1 otherwise. */
static int studio_pictures(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			   const struct hub_user *u, struct hub_pictures *s)
{
	const char *name = hub_arg(rq, "layer");
	const struct hub_layer *l = NULL;

	if (name && !(l = studio_layer(h, rq, rs, u, name)))
		return -1;
	hub_pictures_of(h, l, s);
	return 0;
}

void hub_studio_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	const char *what = rq->path + strlen("/api/studio/");
	struct ls_picture_provider pics;
	struct hub_pictures store;
	struct hub_user u;

	if (studio_user(h, rq, rs, &u))
		return;
	if (!strncmp(what, "layers/", 7)) {
		layer_post(h, rq, &u, rs);
		return;
	}
	for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		if (!strcmp(what, posts[i].name)) {
			if (studio_pictures(h, rq, rs, &u, &store))
				return;
			pics = hub_pictures_provider(&store);
			posts[i].fn(h, rq, rs, &pics);
			return;
		}
	hub_reply_error(rs, 404, "no such API: %s", rq->path);
}

/* A panel the fleet's boards report, kept when the studio can draw it. */
static int size_row(void *ctx, int n, const char *const *v)
{
	struct hub_board_kind b;
	struct ls_error err;

	if (n >= 1 && v[0] && !hub_board_kind_parse(v[0], &b, &err))
		cJSON_AddItemToArray(ctx, cJSON_CreateString(v[0]));
	return 0;
}

/* The board sizes the studio draws for: those the enrolled boards' heartbeats
 * report, most boards first, or the red P10 board while none has reported one. */
static void boards_get(struct hub *h, struct hub_response *rs)
{
	cJSON *doc = cJSON_CreateObject(), *sizes = cJSON_AddArrayToObject(doc, "sizes"),
	      *effects = cJSON_AddArrayToObject(doc, "effects");
	struct ls_error err;

	if (hub_db_exec(h->db,
			"SELECT panel FROM boards WHERE state = 'active' AND panel <> '' "
			"GROUP BY panel ORDER BY COUNT(*) DESC, panel",
			NULL, 0, size_row, sizes, &err) < 0) {
		cJSON_Delete(doc);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	if (!cJSON_GetArraySize(sizes))
		cJSON_AddItemToArray(sizes, cJSON_CreateString("192x16"));
	for (int e = 0; e <= (int)LS_EFFECT_COVER_FROM_BOTTOM; e++) /* the page's hints */
		cJSON_AddItemToArray(effects,
				     cJSON_CreateString(ls_effect_name((enum ls_effect)e)));
	hub_reply_json(rs, 200, doc);
}

void hub_studio_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	char name[HUB_LAYER_NAME_MAX];
	const char *what;
	const struct hub_layer *l;

	if (studio_user(h, rq, rs, &u))
		return;
	if (!strcmp(rq->path, "/api/studio/boards"))
		boards_get(h, rs);
	else if (!strcmp(rq->path, "/api/studio/layers"))
		layers_get(h, &u, rs);
	else if (layer_path(rq->path, name, sizeof(name), &what) && !what[0]) {
		if ((l = studio_layer(h, rq, rs, &u, name)))
			layer_get(h, &u, l, rs);
	} else
		hub_reply_error(rs, 404, "no such API: %s", rq->path);
}
