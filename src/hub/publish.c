/*
 * publish.c: the hub signs and publishes a layer's playlist with the key
 * password an editor types (publish.h), keeps its versions, takes
 * submissions for approval, rolls back, and answers the layer routes. The
 * key is unlocked in locked memory and wiped as soon as the signature
 * exists; the password is wiped from the parsed request when done.
 *
 * Decrypting a key minisign made takes its scrypt "sensitive" limits (about
 * 2.5 s and 1 GiB here): the hub answers one request at a time, so other
 * requests wait that long behind a publish; boards keep their heartbeats
 * queued meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <sodium.h>

#include "auth.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/publish.h"
#include "ledsign/sign.h"
#include "pictures.h"
#include "publish.h"

#define MAX_FINDINGS 50

/* ---- the checks before anything is signed ---- */

struct lint_ctx {
	cJSON *findings;
	int n;
};

static void on_finding(void *ctx, const struct ls_lint_finding *f)
{
	static const char *const level[] = {"note", "warning", "error"};
	struct lint_ctx *c = ctx;
	cJSON *o;

	if (f->level == LS_LINT_NOTE || c->n++ >= MAX_FINDINGS)
		return;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "level", level[f->level]);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "col", f->col);
	cJSON_AddStringToObject(o, "text", f->text);
	cJSON_AddItemToArray(c->findings, o);
}

/* What `ledsign validate` says of body on a default board, as `ledsign
 * publish` checks it: the number of errors (-1 when memory is short), and
 * the errors and warnings in *findings. */
static int lint_body(struct hub *h, const struct hub_layer *l, const char *body, size_t len,
		     cJSON **findings)
{
	struct hub_pictures store;
	struct ls_picture_provider pictures;
	struct ls_config *cfg = calloc(1, sizeof(*cfg));
	struct ls_player_config pc;
	struct lint_ctx c = {.findings = cJSON_CreateArray()};
	struct ls_lint_options o = {.board = &pc,
				    .have_at = true,
				    .at = h->now(),
				    .localtime = ls_localtime,
				    .tz_known = ls_tz_known,
				    .report = on_finding,
				    .ctx = &c};
	struct ls_lint *lint;
	int errors = -1;

	*findings = c.findings;
	if (!cfg)
		return -1;
	ls_config_defaults(cfg);
	ls_config_default_fonts(cfg);
	ls_player_config_from(&pc, cfg);
	hub_pictures_of(h, l, &store);
	pictures = hub_pictures_provider(&store);
	pc.pictures = &pictures; /* from the layer's store, as the boards will have them */
	if ((lint = ls_lint_new(&o, NULL))) {
		ls_lint_add(lint, l->file, body, len);
		ls_lint_run(lint);
		errors = ls_lint_count(lint, LS_LINT_ERROR);
		ls_lint_free(lint);
	}
	free(cfg);
	return errors;
}

static void sha256_hex(const char *body, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)body, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ---- the diff summary of the audit trail ---- */

static const cJSON *item_by_id(const cJSON *items, const char *id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");
		if (cJSON_IsString(v) && !strcmp(v->valuestring, id))
			return it;
	}
	return NULL;
}

static void list_add(char *buf, size_t n, const char *id)
{
	size_t used = strlen(buf);

	if (used + strlen(id) + 2 < n)
		snprintf(buf + used, n - used, "%s%s", used ? " " : "", id);
}

/* "items +a -b ~c" between the playlist boards have (old, may be NULL) and
 * the new one, by item id. */
static void diff_summary(const char *old, const char *neu, size_t len, char *out, size_t n)
{
	cJSON *a = old ? cJSON_Parse(old) : NULL, *b = cJSON_ParseWithLength(neu, len);
	const cJSON *ia = cJSON_GetObjectItemCaseSensitive(a, "items");
	const cJSON *ib = cJSON_GetObjectItemCaseSensitive(b, "items"), *it;
	char add[200] = "", del[200] = "", chg[200] = "";

	cJSON_ArrayForEach(it, ib)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id"), *was;
		if (!cJSON_IsString(id))
			continue;
		if (!(was = item_by_id(ia, id->valuestring)))
			list_add(add, sizeof(add), id->valuestring);
		else if (!cJSON_Compare(was, it, true))
			list_add(chg, sizeof(chg), id->valuestring);
	}
	cJSON_ArrayForEach(it, ia)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
		if (cJSON_IsString(id) && !item_by_id(ib, id->valuestring))
			list_add(del, sizeof(del), id->valuestring);
	}
	snprintf(out, n, "items +[%s] -[%s] ~[%s]", add, del, chg);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* ---- unlocking, signing, installing ---- */

/* The layer's secret key unlocked by password into key (in locked memory
 * the caller wipes). Returns 0; 403 with err for a wrong password (the
 * editor's mistake, told alone); 500 with err for a key the hub cannot use
 * (missing, damaged, not the pair of public_key: the administrator's). */
static int unlock_key(const struct hub_layer *l, const char *password, struct ls_seckey *key,
		      struct ls_error *err)
{
	struct ls_pubkey pk;
	char *text;
	size_t len;
	int rc = hub_read_file(l->secret_key, LS_SECKEY_MAX_BYTES, &text, &len, err);

	if (rc > 0)
		ls_error_set(err, "[layer %s] secret_key %s: no such file", l->name, l->secret_key);
	else if (rc)
		ls_error_prefix(err, "[layer %s] secret_key %s", l->name, l->secret_key);
	if (rc)
		return 500;
	rc = ls_seckey_parse(text, len, password, key, err);
	sodium_memzero(text, len);
	free(text);
	if (rc && !strcmp(err->msg, ls_tr("wrong password for this secret key"))) {
		ls_error_set(err, "wrong key password, nothing was published");
		return 403;
	}
	if (rc) {
		ls_error_prefix(err, "[layer %s] secret_key %s", l->name, l->secret_key);
		return 500;
	}
	ls_seckey_pubkey(key, &pk);
	if (memcmp(pk.id, l->pub.id, 8) || memcmp(pk.pk, l->pub.pk, 32)) {
		ls_error_set(err,
			     "[layer %s]: secret_key %s and public_key %s are not one key "
			     "pair; fix hub.conf",
			     l->name, l->secret_key, l->public_key);
		return 500;
	}
	return 0;
}

struct last_row {
	int64_t version, signed_at;
};

static int last_row(void *ctx, int n, const char *const *v)
{
	struct last_row *r = ctx;

	if (n == 2) {
		r->version = v[0] ? strtoll(v[0], NULL, 10) : 0;
		r->signed_at = v[1] ? strtoll(v[1], NULL, 10) : 0;
	}
	return 1;
}

/* The timestamp to sign with: after what feed_dir has and after every
 * version this hub signed for the layer. */
static int64_t sign_time(struct hub *h, const struct hub_layer *l, struct ls_error *err)
{
	char sig_path[HUB_LAYER_PATH_MAX + HUB_LAYER_FILE_MAX + 16];
	struct last_row r = {0};
	int64_t ts;

	snprintf(sig_path, sizeof(sig_path), "%s/%s.minisig", l->feed_dir, l->file);
	ts = ls_publish_timestamp(sig_path, h->now(), 0, err);
	if (ts < 0)
		return -1;
	if (hub_db_exec(h->db, "SELECT MAX(version), MAX(signed_at) FROM versions WHERE layer = ?",
			(struct hub_arg[]){HA_S(l->name)}, 1, last_row, &r, err) < 0)
		return -1;
	return r.signed_at >= ts ? r.signed_at + 1 : ts;
}

/* Signs body at ts with the key unlocked by password; the .minisig text
 * (malloc'd) or NULL with err and *status. */
static char *sign_body(const struct hub_layer *l, const char *body, size_t len,
		       const char *password, int64_t ts, int64_t version, int *status,
		       struct ls_error *err)
{
	struct ls_seckey *key = sodium_malloc(sizeof(*key)); /* guarded, locked pages */
	char extra[HUB_LAYER_NAME_MAX + 64];
	char *sig = NULL;

	if (!key) {
		*status = 500;
		ls_error_set(err, "out of memory");
		return NULL;
	}
	snprintf(extra, sizeof(extra), "hub:%s/%lld", l->name, (long long)version);
	*status = unlock_key(l, password, key, err);
	if (!*status) {
		struct ls_sig_claims c = {
		    .file = l->file, .path = l->path, .extra = extra, .timestamp = ts};
		*status = (sig = ls_sig_sign_claims(key, body, len, &c, err)) ? 200 : 500;
	}
	ls_seckey_wipe(key);
	sodium_free(key);
	return sig;
}

static int record(struct hub *h, const struct hub_layer *l, const char *body, size_t len,
		  const char *sig, const char *actor, int64_t pending_id, const char *note,
		  const struct hub_published *out, struct ls_error *err)
{
	if (pending_id)
		return hub_db_exec(h->db,
				   "UPDATE versions SET state = 'published', signature = ?, "
				   "signed_at = ?, published_by = ?, published_at = ? WHERE id = ? "
				   "AND state = 'pending'",
				   (struct hub_arg[]){HA_S(sig), HA_I(out->signed_at), HA_S(actor),
						      HA_I(h->now()), HA_I(pending_id)},
				   5, NULL, NULL, err) == 1
			   ? 0
			   : ls_error_set(err, "version %lld is no longer pending",
					  (long long)out->version);
	(void)len;
	return hub_db_exec(
		   h->db,
		   "INSERT INTO versions (layer, version, state, body, sha256, signature, "
		   "signed_at, submitted_by, submitted_at, published_by, published_at, note) "
		   "VALUES (?, ?, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   (struct hub_arg[]){HA_S(l->name), HA_I(out->version), HA_S(body),
				      HA_S(out->sha256), HA_S(sig), HA_I(out->signed_at),
				      HA_S(actor), HA_I(h->now()), HA_S(actor), HA_I(h->now()),
				      HA_S(note ? note : "")},
		   11, NULL, NULL, err) < 0
		   ? -1
		   : 0;
}

/* Installs the pictures body names from the layer's store into feed_dir,
 * each checked against its hash, before the playlist that names them. */
static int install_pictures(struct hub *h, const struct hub_layer *l, const char *body, size_t len,
			    struct ls_error *err)
{
	struct ls_playlist *pl = ls_playlist_parse(body, len, l->file, err);
	struct hub_pictures store;
	struct ls_publish_source from;
	int n;

	if (!pl)
		return -1;
	hub_pictures_of(h, l, &store);
	from = hub_pictures_source(&store);
	n = ls_publish_pictures_from(l->feed_dir, &from, pl, err);
	ls_playlist_free(pl);
	return n < 0 ? -1 : 0;
}

/* Records the version, installs the pictures and the pair and commits, in
 * that order: a failed install rolls the record back, so disk and database
 * agree (pictures already written stay, unnamed by what boards fetch). */
static int commit_publish(struct hub *h, const struct hub_request *rq, const struct hub_layer *l,
			  const char *body, size_t len, const char *sig, const char *actor,
			  int64_t pending_id, const char *note, struct hub_published *out,
			  struct ls_error *err)
{
	char *old = NULL, detail[1024], diff[700];
	size_t old_len;

	hub_layer_published(l, &old, &old_len, NULL);
	diff_summary(old, body, len, diff, sizeof(diff));
	free(old);
	snprintf(detail, sizeof(detail), "version %lld, signed at %lld, sha256 %.16s; %s%s%s",
		 (long long)out->version, (long long)out->signed_at, out->sha256, diff,
		 note && note[0] ? "; " : "", note ? note : "");
	if (hub_db_begin(h->db, err))
		return -1;
	if (record(h, l, body, len, sig, actor, pending_id, note, out, err) ||
	    install_pictures(h, l, body, len, err) ||
	    ls_publish_install(l->feed_dir, l->file, body, len, sig, err)) {
		hub_db_rollback(h->db);
		return -1;
	}
	hub_audit(h, actor, "layer.publish", l->name, detail, rq ? rq->address : "");
	if (hub_db_commit(h->db, err)) {
		hub_db_rollback(h->db);
		return ls_error_prefix(err, "version %lld is on disk but not recorded",
				       (long long)out->version);
	}
	return 0;
}

static void push_notice(const struct hub_layer *l, struct hub_published *out)
{
	struct ls_error perr;

	if (!l->push[0])
		return;
	if (ls_publish_push(l->push, getenv("LEDSIGN_PUSH_TOKEN"), l->path, out->signed_at, &perr))
		snprintf(out->push, sizeof(out->push), "%s", perr.msg);
	else
		snprintf(out->push, sizeof(out->push), "sent");
}

static int refuse(struct hub_published *out, int status, struct ls_error *err, const char *msg)
{
	out->status = status;
	return ls_error_set(err, "%s", ls_tr(msg));
}

static int check_body(struct hub *h, const struct hub_layer *l, const char *body, size_t len,
		      struct hub_published *out, struct ls_error *err)
{
	int errors;

	if (!body || !len || len > LS_PLAYLIST_MAX_BYTES || memchr(body, '\0', len))
		return refuse(out, 400, err,
			      N_("body: the playlist's text is needed (JSON, at most 1 MiB)"));
	errors = lint_body(h, l, body, len, &out->findings);
	if (errors < 0)
		return refuse(out, 500, err, N_("out of memory"));
	if (errors)
		return refuse(out, 422, err,
			      N_("the playlist has errors (as ledsign validate reports them); "
				 "nothing was published"));
	return 0;
}

int hub_publish(struct hub *h, const struct hub_request *rq, const struct hub_layer *l,
		const char *body, size_t len, const char *password, const char *actor,
		int64_t pending_id, const char *note, struct hub_published *out,
		struct ls_error *err)
{
	char key[HUB_LAYER_NAME_MAX + 8];
	char *sig;
	int64_t wait;

	memset(out, 0, sizeof(*out));
	out->status = 200;
	if (check_body(h, l, body, len, out, err))
		return -1;
	snprintf(key, sizeof(key), "key:%s", l->name);
	if ((wait = hub_limiter_wait(h->logins, key, h->now())) > 0) {
		out->status = 429;
		return ls_error_set(err, "too many wrong key passwords; try again in %lld s",
				    (long long)wait);
	}
	if (!password || !password[0] || strlen(password) > HUB_KEY_PASSWORD_MAX)
		return refuse(out, 400, err, N_("password: the layer key's password is needed"));
	sha256_hex(body, len, out->sha256);
	if ((out->signed_at = sign_time(h, l, err)) < 0) {
		out->status = 500;
		return -1;
	}
	if (pending_id)
		hub_db_int(h->db, &out->version, 0, "SELECT version FROM versions WHERE id = ?",
			   (struct hub_arg[]){HA_I(pending_id)}, 1, NULL);
	else if (hub_db_int(h->db, &out->version, 0,
			    "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE layer = ?",
			    (struct hub_arg[]){HA_S(l->name)}, 1, err)) {
		out->status = 500;
		return -1;
	}
	if (!(sig = sign_body(l, body, len, password, out->signed_at, out->version, &out->status,
			      err))) {
		if (out->status == 403) {
			hub_limiter_fail(h->logins, key, h->now());
			hub_audit(h, actor, "layer.publish.refused", l->name, "wrong key password",
				  rq ? rq->address : "");
		}
		return -1;
	}
	hub_limiter_clear(h->logins, key);
	if (commit_publish(h, rq, l, body, len, sig, actor, pending_id, note, out, err)) {
		free(sig);
		out->status = 500;
		return -1;
	}
	free(sig);
	push_notice(l, out);
	return 0;
}

/* ---- the routes: every one checks the layer against the caller's scope ---- */

struct target {
	struct hub_user u;
	const struct hub_layer *l;
	const char *rest; /* after "/api/layers/NAME", "" or "/..." */
};

/* Refuses u on l: 403, one audit row, nothing else written. */
static void deny(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		 const struct target *t, const char *why)
{
	char detail[512];

	snprintf(detail, sizeof(detail), "%s %s: %s", rq->method, rq->path, why);
	hub_audit(h, t->u.name, "layer.denied", t->l->name, detail, rq->address);
	hub_reply_error(rs, 403, "%s", hub_tr(why));
}

/* The session's user and the layer the path names, which the user may
 * edit; otherwise replies (401, 404, 403) and returns -1. */
static int find_target(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       struct target *t)
{
	const char *name = rq->path + strlen("/api/layers/");
	char buf[HUB_LAYER_NAME_MAX];
	size_t n = strcspn(name, "/");

	if (hub_session(h, rq, rs, &t->u))
		return -1;
	if (n >= sizeof(buf)) {
		hub_reply_error(rs, 404, "no such layer");
		return -1;
	}
	memcpy(buf, name, n);
	buf[n] = '\0';
	t->rest = name + n;
	if (!(t->l = hub_layer_find(h, buf))) {
		hub_reply_error(rs, 404, "no such layer: %s", buf);
		return -1;
	}
	if (!hub_user_may_edit(&t->u, t->l)) {
		deny(h, rq, rs, t, N_("this layer is outside your account's scope"));
		return -1;
	}
	return 0;
}

static cJSON *layer_json(struct hub *h, const struct hub_layer *l, const struct hub_user *u)
{
	cJSON *o = cJSON_CreateObject();
	char id[LS_KEY_ID_HEX];
	int64_t v = 0, pending = 0;

	ls_key_id_hex(l->pub.id, id);
	cJSON_AddStringToObject(o, "name", l->name);
	cJSON_AddStringToObject(o, "title", l->title);
	cJSON_AddStringToObject(o, "file", l->file);
	cJSON_AddStringToObject(o, "path", l->path);
	cJSON_AddStringToObject(o, "key_id", id);
	cJSON_AddBoolToObject(o, "approval", l->approval);
	cJSON_AddBoolToObject(o, "urgent", l->urgent);
	cJSON_AddBoolToObject(o, "push", l->push[0] != '\0');
	cJSON_AddBoolToObject(o, "may_approve", hub_user_may_approve(u, l));
	hub_db_int(h->db, &v, 0,
		   "SELECT MAX(version) FROM versions WHERE layer = ? AND state = 'published'",
		   (struct hub_arg[]){HA_S(l->name)}, 1, NULL);
	hub_db_int(h->db, &pending, 0,
		   "SELECT COUNT(*) FROM versions WHERE layer = ? AND state = 'pending'",
		   (struct hub_arg[]){HA_S(l->name)}, 1, NULL);
	cJSON_AddNumberToObject(o, "version", (double)v);
	cJSON_AddNumberToObject(o, "pending", (double)pending);
	return o;
}

static void list_layers(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct hub_user u;
	cJSON *o, *a;

	if (hub_session(h, rq, rs, &u))
		return;
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "layers");
	for (const struct hub_layer *l = hub_layer_next(h, NULL); l; l = hub_layer_next(h, l))
		if (hub_user_may_edit(&u, l))
			cJSON_AddItemToArray(a, layer_json(h, l, &u));
	hub_reply_json(rs, 200, o);
}

static const char *const version_cols[] = {
    "version",	    "state",	    "sha256", "signed_at", "submitted_by", "submitted_at",
    "published_by", "published_at", "note",   "body",	   "signature"};

/* One versions row (columns as version_cols, the last two when asked) as JSON. */
static int version_row(void *ctx, int n, const char *const *v)
{
	cJSON *o = cJSON_CreateObject();

	for (int i = 0; i < n; i++) {
		bool number = i == 0 || i == 3 || i == 5 || i == 7;
		if (number && v[i])
			cJSON_AddNumberToObject(o, version_cols[i],
						(double)strtoll(v[i], NULL, 10));
		else if (number)
			cJSON_AddNullToObject(o, version_cols[i]);
		else
			cJSON_AddStringToObject(o, version_cols[i], v[i] ? v[i] : "");
	}
	cJSON_AddItemToArray(ctx, o);
	return 0;
}

#define VERSION_SELECT                                                                             \
	"SELECT version, state, sha256, signed_at, submitted_by, submitted_at, published_by, "     \
	"published_at, note"

static void get_layer(struct hub *h, struct hub_response *rs, const struct target *t)
{
	cJSON *o = layer_json(h, t->l, &t->u), *a = cJSON_AddArrayToObject(o, "versions");
	struct ls_error err;
	char *body = NULL, sha[65];
	size_t len = 0;
	int rc = hub_layer_published(t->l, &body, &len, &err);

	if (rc < 0) {
		cJSON_Delete(o);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	if (rc == 0) {
		sha256_hex(body, len, sha);
		cJSON_AddStringToObject(o, "published", body);
		cJSON_AddStringToObject(o, "published_sha256", sha);
	} else {
		cJSON_AddNullToObject(o, "published");
	}
	free(body);
	hub_db_exec(h->db,
		    VERSION_SELECT " FROM versions WHERE layer = ? ORDER BY version DESC LIMIT 200",
		    (struct hub_arg[]){HA_S(t->l->name)}, 1, version_row, a, NULL);
	hub_reply_json(rs, 200, o);
}

static void get_version(struct hub *h, struct hub_response *rs, const struct target *t)
{
	cJSON *a = cJSON_CreateArray();
	char *end;
	long long v = strtoll(t->rest + strlen("/versions/"), &end, 10);

	if (*end || v < 1 ||
	    hub_db_exec(h->db,
			VERSION_SELECT ", body, signature FROM versions WHERE layer = ? AND "
				       "version = ?",
			(struct hub_arg[]){HA_S(t->l->name), HA_I(v)}, 2, version_row, a,
			NULL) != 1) {
		cJSON_Delete(a);
		hub_reply_error(rs, 404, "no such version");
		return;
	}
	hub_reply_json(rs, 200, cJSON_DetachItemFromArray(a, 0));
	cJSON_Delete(a);
}

static int audit_row(void *ctx, int n, const char *const *v)
{
	static const char *const keys[] = {"at", "actor", "action", "target", "detail", "address"};
	cJSON *e = cJSON_CreateObject();

	for (int i = 0; i < n && i < 6; i++) {
		if (i == 0)
			cJSON_AddNumberToObject(e, keys[i], (double)strtoll(v[i], NULL, 10));
		else
			cJSON_AddStringToObject(e, keys[i], v[i] ? v[i] : "");
	}
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

static void get_audit(struct hub *h, struct hub_response *rs, const struct target *t)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "audit");

	hub_db_exec(h->db,
		    "SELECT at, actor, action, target, detail, address FROM audit WHERE target = ? "
		    "ORDER BY id DESC LIMIT 200",
		    (struct hub_arg[]){HA_S(t->l->name)}, 1, audit_row, a, NULL);
	hub_reply_json(rs, 200, o);
}

void hub_layers_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	struct target t;

	if (!strcmp(rq->path, "/api/layers")) {
		list_layers(h, rq, rs);
		return;
	}
	if (find_target(h, rq, rs, &t))
		return;
	if (!t.rest[0])
		get_layer(h, rs, &t);
	else if (!strncmp(t.rest, "/versions/", 10))
		get_version(h, rs, &t);
	else if (!strcmp(t.rest, "/audit"))
		get_audit(h, rs, &t);
	else if (!strncmp(t.rest, "/pictures", 9))
		hub_pictures_get(h, rs, t.l, t.rest + 9);
	else
		hub_reply_error(rs, 404, "no such API: %s", rq->path);
}

/* ---- POST: publish, submit, approve, reject, rollback ---- */

struct post {
	cJSON *doc;
	const char *body, *password, *note;
	int64_t version;
};

static int parse_post(const struct hub_request *rq, struct hub_response *rs, struct post *p)
{
	const cJSON *v;

	memset(p, 0, sizeof(*p));
	p->doc = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
	if (!cJSON_IsObject(p->doc)) {
		cJSON_Delete(p->doc);
		p->doc = NULL;
		hub_reply_error(rs, 400, "the request must be a JSON object");
		return -1;
	}
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(p->doc, "body")))
		p->body = v->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(p->doc, "password")))
		p->password = v->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(p->doc, "note")))
		p->note = v->valuestring;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(p->doc, "version")))
		p->version = (int64_t)v->valuedouble;
	if (p->note && strlen(p->note) > 500) {
		hub_reply_error(rs, 400, "note: at most 500 bytes");
		return -1;
	}
	return 0;
}

static void post_free(struct post *p)
{
	cJSON *pw = cJSON_GetObjectItemCaseSensitive(p->doc, "password");

	if (cJSON_IsString(pw))
		sodium_memzero(pw->valuestring, strlen(pw->valuestring));
	cJSON_Delete(p->doc);
}

static void reply_published(struct hub_response *rs, struct hub_published *out, int rc,
			    const struct ls_error *err)
{
	cJSON *o = cJSON_CreateObject();

	if (rc) {
		cJSON_AddStringToObject(o, "error", err->msg);
		if (out->findings)
			cJSON_AddItemToObject(o, "findings", out->findings);
		hub_reply_json(rs, out->status, o);
		return;
	}
	cJSON_Delete(out->findings);
	cJSON_AddNumberToObject(o, "version", (double)out->version);
	cJSON_AddNumberToObject(o, "signed_at", (double)out->signed_at);
	cJSON_AddStringToObject(o, "sha256", out->sha256);
	if (out->push[0])
		cJSON_AddStringToObject(o, "push", out->push);
	hub_reply_json(rs, 200, o);
}

static void do_publish(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const struct target *t, const struct post *p)
{
	struct hub_published out;
	struct ls_error err;
	int rc;

	if (t->l->approval) {
		hub_reply_error(rs, 409, "this layer needs an approver: submit it for approval");
		return;
	}
	rc = hub_publish(h, rq, t->l, p->body, p->body ? strlen(p->body) : 0, p->password,
			 t->u.name, 0, p->note, &out, &err);
	reply_published(rs, &out, rc, &err);
}

static void do_submit(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		      const struct target *t, const struct post *p)
{
	struct hub_published out = {0};
	struct ls_error err;
	int64_t v;
	char sha[65], detail[128];
	size_t len = p->body ? strlen(p->body) : 0;

	if (!t->l->approval) {
		hub_reply_error(rs, 409, "this layer needs no approval: publish it");
		return;
	}
	if (check_body(h, t->l, p->body, len, &out, &err)) {
		reply_published(rs, &out, -1, &err);
		return;
	}
	cJSON_Delete(out.findings);
	sha256_hex(p->body, len, sha);
	if (hub_db_begin(h->db, &err) ||
	    hub_db_int(h->db, &v, 0,
		       "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE layer = ?",
		       (struct hub_arg[]){HA_S(t->l->name)}, 1, &err) ||
	    hub_db_exec(h->db,
			"INSERT INTO versions (layer, version, state, body, sha256, submitted_by, "
			"submitted_at, note) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)",
			(struct hub_arg[]){HA_S(t->l->name), HA_I(v), HA_S(p->body), HA_S(sha),
					   HA_S(t->u.name), HA_I(h->now()),
					   HA_S(p->note ? p->note : "")},
			7, NULL, NULL, &err) < 0) {
		hub_db_rollback(h->db);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	snprintf(detail, sizeof(detail), "version %lld, sha256 %.16s, pending", (long long)v, sha);
	hub_audit(h, t->u.name, "layer.submit", t->l->name, detail, rq->address);
	if (hub_db_commit(h->db, &err)) {
		hub_db_rollback(h->db);
		hub_reply_error(rs, 500, "%s", err.msg);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "version", (double)v);
	cJSON_AddStringToObject(o, "state", "pending");
	hub_reply_json(rs, 200, o);
}

struct pending {
	int64_t id;
	char by[64];
	char state[16];
	char *body;
};

static int pending_row(void *ctx, int n, const char *const *v)
{
	struct pending *p = ctx;

	if (n == 4) {
		p->id = strtoll(v[0], NULL, 10);
		snprintf(p->by, sizeof(p->by), "%s", v[1] ? v[1] : "");
		snprintf(p->state, sizeof(p->state), "%s", v[2] ? v[2] : "");
		p->body = v[3] ? strdup(v[3]) : NULL;
	}
	return 1;
}

/* The row of version p->version of t's layer; replies 404 and returns -1
 * when there is none. */
static int find_version(struct hub *h, struct hub_response *rs, const struct target *t,
			int64_t version, struct pending *row)
{
	memset(row, 0, sizeof(*row));
	if (version < 1 ||
	    hub_db_exec(h->db,
			"SELECT id, submitted_by, state, body FROM versions WHERE layer = ? AND "
			"version = ?",
			(struct hub_arg[]){HA_S(t->l->name), HA_I(version)}, 2, pending_row, row,
			NULL) != 1 ||
	    !row->body) {
		free(row->body);
		hub_reply_error(rs, 404, "no such version %lld", (long long)version);
		return -1;
	}
	return 0;
}

static void do_approve(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const struct target *t, const struct post *p, bool reject)
{
	struct hub_published out;
	struct pending row;
	struct ls_error err;
	int rc;

	if (!hub_user_may_approve(&t->u, t->l)) {
		deny(h, rq, rs, t, N_("only an approver of this layer may approve"));
		return;
	}
	if (find_version(h, rs, t, p->version, &row))
		return;
	if (strcmp(row.state, "pending")) {
		hub_reply_error(rs, 409, "this version is not pending (%s)", row.state);
	} else if (!reject && !strcmp(row.by, t->u.name)) {
		deny(h, rq, rs, t, N_("nobody may approve their own submission"));
	} else if (reject) {
		hub_db_exec(h->db, "UPDATE versions SET state = 'rejected', note = ? WHERE id = ?",
			    (struct hub_arg[]){HA_S(p->note ? p->note : ""), HA_I(row.id)}, 2, NULL,
			    NULL, NULL);
		hub_audit(h, t->u.name, "layer.reject", t->l->name, p->note ? p->note : "",
			  rq->address);
		hub_reply_json(rs, 200, cJSON_CreateObject());
	} else {
		rc = hub_publish(h, rq, t->l, row.body, strlen(row.body), p->password, t->u.name,
				 row.id, NULL, &out, &err);
		reply_published(rs, &out, rc, &err);
	}
	free(row.body);
}

/* An earlier version's body signed anew: boards refuse an older signature,
 * so going back is a new version with a new timestamp over old content. On
 * a layer with approval it takes an approver (the body was approved once). */
static void do_rollback(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			const struct target *t, const struct post *p)
{
	struct hub_published out;
	struct pending row;
	struct ls_error err;
	char note[64];
	int rc;

	if (t->l->approval && !hub_user_may_approve(&t->u, t->l)) {
		deny(h, rq, rs, t, N_("only an approver of this layer may roll it back"));
		return;
	}
	if (find_version(h, rs, t, p->version, &row))
		return;
	if (strcmp(row.state, "published")) {
		hub_reply_error(rs, 409, "only a published version can be rolled back to");
		free(row.body);
		return;
	}
	snprintf(note, sizeof(note), "rollback to version %lld", (long long)p->version);
	rc = hub_publish(h, rq, t->l, row.body, strlen(row.body), p->password, t->u.name, 0, note,
			 &out, &err);
	reply_published(rs, &out, rc, &err);
	free(row.body);
}

void hub_layers_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	static const char *const verbs[] = {"/publish", "/submit", "/approve", "/reject",
					    "/rollback"};
	struct target t;
	struct post p;
	size_t i;

	if (find_target(h, rq, rs, &t))
		return;
	if (!strcmp(t.rest, "/pictures")) {
		hub_pictures_post(h, rq, rs, t.u.name, t.l);
		return;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]) && strcmp(t.rest, verbs[i]); i++)
		;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		hub_reply_error(rs, 404, "no such API: %s", rq->path);
		return;
	}
	if (parse_post(rq, rs, &p))
		return;
	if (i == 0)
		do_publish(h, rq, rs, &t, &p);
	else if (i == 1)
		do_submit(h, rq, rs, &t, &p);
	else if (i == 2 || i == 3)
		do_approve(h, rq, rs, &t, &p, i == 3);
	else
		do_rollback(h, rq, rs, &t, &p);
	post_free(&p);
}
