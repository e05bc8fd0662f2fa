/*
 * urgent.c: the urgent notice form (POST /api/urgent). An editor types a
 * text, the boards it is for (tags), when it starts and when it ends, and
 * the layer key's password; the hub writes the one-item playlist of an
 * urgent = yes layer (the item interrupts what plays, at the highest
 * priority, in the hub's time zone), lets the library's own playlist parser
 * judge the dates so a bad one is refused at its field, and publishes it
 * through hub_publish(): the same lint as every publish, the layer's locked
 * key, a new version, the audit trail (note "urgent notice") and, when the
 * layer has a push channel, a push at once, so that boards fetch it now
 * rather than at their next poll. A layer outside the caller's scope is
 * refused 403 and audited before any other field is read. Messages are
 * English msgids read in the request's language (hub_tr(), po/vi.po).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <sodium.h>

#include "auth.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/playlist.h"
#include "ledsign/utf8.h"
#include "publish.h"

#define URGENT_MAX_REQUEST (16 * 1024) /* the form's JSON */
#define URGENT_TEXT_MAX 500	       /* characters of the notice */
#define URGENT_PRIORITY 100	       /* above every other item (the schema's maximum) */
#define URGENT_NOTE "urgent notice"

/* What the form sent, checked. Strings point into doc. */
struct notice {
	cJSON *doc;
	const char *layer, *text, *from, *until, *password;
	char tags[LS_MAX_TAGS][LS_TAG_MAX];
	int n_tags;
	char now[64]; /* "YYYY-MM-DD HH:MM" in the hub's zone: from when none is given */
};

/* Replies status with {"error": fmt read in the request's language
 * (hub_tr()), "field": field} (field may be NULL); returns -1. */
static int refuse_at(struct hub_response *rs, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse_at(struct hub_response *rs, int status, const char *field, const char *fmt, ...)
{
	char msg[1024];
	cJSON *o = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), hub_tr(fmt), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	cJSON_AddStringToObject(o, "error", msg);
	if (field)
		cJSON_AddStringToObject(o, "field", field);
	hub_reply_json(rs, status, o);
	return -1;
}

/* Refuses u: 403, one audit row (why in English; target: the layer, ""
 * when none), nothing else written. */
static void deny(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		 const struct hub_user *u, const char *layer, const char *why)
{
	char detail[512];

	snprintf(detail, sizeof(detail), "%s %s: %s", rq->method, rq->path, why);
	hub_audit(h, u->name, "layer.denied", layer, detail, rq->address);
	refuse_at(rs, 403, "layer", "%s", hub_tr(why));
}

/* ---- the form's fields ---- */

static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Whether s is valid UTF-8 without control characters. */
static bool clean_text(const char *s)
{
	size_t bad;

	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return ls_utf8_valid(s, strlen(s), &bad);
}

/* The string field key of doc into *out, NULL when absent; -1 (replied)
 * when it is there but not a clean string of at most max bytes. */
static int string_field(struct hub_response *rs, const cJSON *doc, const char *key, size_t max,
			const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) > max || !clean_text(v->valuestring))
		return refuse_at(rs, 422, key,
				 N_("%s: must be one line of UTF-8 text, not too long"), key);
	*out = v->valuestring;
	return 0;
}

/* Adds the tags of one string: separated by commas or spaces, as a
 * board's [board] tags are. */
static int add_tags(struct hub_response *rs, struct notice *n, const char *s)
{
	while (*s) {
		size_t len;
		s += strspn(s, ", \t");
		if (!*s)
			break;
		len = strcspn(s, ", \t");
		if (n->n_tags == LS_MAX_TAGS || len >= LS_TAG_MAX)
			return refuse_at(rs, 422, "tags",
					 N_("tags: at most %d tags of at most %d bytes each"),
					 LS_MAX_TAGS, LS_TAG_MAX - 1);
		memcpy(n->tags[n->n_tags], s, len);
		n->tags[n->n_tags++][len] = '\0';
		s += len;
	}
	return 0;
}

/* tags: a list of strings, or one string "ha-noi, ba-dinh"; none = every
 * board of the layer. */
static int parse_tags(struct hub_response *rs, struct notice *n)
{
	static const char bad[] = N_("tags: write the boards' tags, separated by commas");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(n->doc, "tags"), *e;

	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v))
		return clean_text(v->valuestring) ? add_tags(rs, n, v->valuestring)
						  : refuse_at(rs, 422, "tags", "%s", hub_tr(bad));
	if (!cJSON_IsArray(v))
		return refuse_at(rs, 422, "tags", "%s", hub_tr(bad));
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e) || !clean_text(e->valuestring))
			return refuse_at(rs, 422, "tags", "%s", hub_tr(bad));
		if (add_tags(rs, n, e->valuestring))
			return -1;
	}
	return 0;
}

static int parse_text(struct hub_response *rs, struct notice *n)
{
	if (string_field(rs, n->doc, "text", URGENT_MAX_REQUEST, &n->text))
		return -1;
	if (!n->text || !n->text[strspn(n->text, " ")])
		return refuse_at(rs, 422, "text", N_("text: type the text of the notice"));
	if (chars(n->text) > URGENT_TEXT_MAX)
		return refuse_at(rs, 422, "text",
				 N_("text: %zu characters; an urgent notice has at most %d"),
				 chars(n->text), URGENT_TEXT_MAX);
	return 0;
}

/* The request's JSON into n, and the layer it names (checked before any
 * other field, so that a caller outside the layer learns nothing more). */
static int parse_request(const struct hub_request *rq, struct hub_response *rs, struct notice *n)
{
	memset(n, 0, sizeof(*n));
	if (rq->body_len > URGENT_MAX_REQUEST)
		return refuse_at(rs, 413, NULL, N_("the request is too large; at most %d KiB"),
				 URGENT_MAX_REQUEST / 1024);
	n->doc = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
	if (!cJSON_IsObject(n->doc))
		return refuse_at(rs, 400, NULL, N_("the request must be a JSON object"));
	return string_field(rs, n->doc, "layer", HUB_LAYER_NAME_MAX - 1, &n->layer);
}

/* The notice's fields, each checked for type and size. */
static int parse_fields(struct hub_response *rs, struct notice *n)
{
	const cJSON *pw = cJSON_GetObjectItemCaseSensitive(n->doc, "password");

	if (parse_text(rs, n) || parse_tags(rs, n) ||
	    string_field(rs, n->doc, "from", 32, &n->from) ||
	    string_field(rs, n->doc, "until", 32, &n->until))
		return -1;
	if (!n->until || !n->until[0])
		return refuse_at(rs, 422, "until", N_("until: say when the notice ends"));
	if (cJSON_IsString(pw))
		n->password = pw->valuestring;
	return 0;
}

static void notice_free(struct notice *n)
{
	cJSON *pw = cJSON_GetObjectItemCaseSensitive(n->doc, "password");

	if (cJSON_IsString(pw))
		sodium_memzero(pw->valuestring, strlen(pw->valuestring));
	cJSON_Delete(n->doc);
}

/* ---- the layer ---- */

/* The urgent layers u may edit: their count, the first in *only, their
 * names in list. */
static int urgent_in_scope(struct hub *h, const struct hub_user *u, const struct hub_layer **only,
			   char *list, size_t size)
{
	int k = 0;

	list[0] = '\0';
	for (const struct hub_layer *l = hub_layer_next(h, NULL); l; l = hub_layer_next(h, l)) {
		if (!l->urgent || !hub_user_may_edit(u, l))
			continue;
		if (!k++)
			*only = l;
		snprintf(list + strlen(list), size - strlen(list), "%s%s", k > 1 ? ", " : "",
			 l->name);
	}
	return k;
}

/* The only urgent layer in u's scope; NULL when refused (replied). */
static const struct hub_layer *only_layer(struct hub *h, const struct hub_request *rq,
					  struct hub_response *rs, const struct hub_user *u)
{
	const struct hub_layer *l = NULL;
	char list[512];
	int k = urgent_in_scope(h, u, &l, list, sizeof(list));

	if (k == 1)
		return l;
	if (k)
		refuse_at(rs, 422, "layer", N_("layer: choose an urgent layer: %s"), list);
	else
		deny(h, rq, rs, u, "", N_("no urgent layer is in your account's scope"));
	return NULL;
}

/* The layer the notice goes to: the one named, or the only urgent layer
 * in u's scope. NULL when refused (replied; a refusal of scope audited). */
static const struct hub_layer *choose_layer(struct hub *h, const struct hub_request *rq,
					    struct hub_response *rs, const struct hub_user *u,
					    const char *name)
{
	const struct hub_layer *l;

	if (!name || !name[0])
		return only_layer(h, rq, rs, u);
	if (!(l = hub_layer_find(h, name))) {
		refuse_at(rs, 404, "layer", N_("no such layer: %s"), name);
		return NULL;
	}
	if (!hub_user_may_edit(u, l)) {
		deny(h, rq, rs, u, l->name, N_("this layer is outside your account's scope"));
		return NULL;
	}
	if (!l->urgent) {
		refuse_at(rs, 422, "layer",
			  N_("layer: %s is not an urgent layer (urgent = yes in hub.conf)"),
			  l->name);
		return NULL;
	}
	if (l->approval && !hub_user_may_approve(u, l)) {
		deny(h, rq, rs, u, l->name,
		     N_("this urgent layer has approval: only an approver may publish a notice"));
		return NULL;
	}
	return l;
}

/* ---- the playlist ---- */

static void civil_now(struct hub *h, char out[64])
{
	struct tm tm;

	ls_localtime(h->cfg.hub.timezone, h->now(), &tm);
	snprintf(out, 64, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min);
}

#define WITH_FROM 1
#define WITH_UNTIL 2

/* The layer's playlist for n, with from and until as dates says: one
 * interrupting item (malloc'd JSON, NULL when memory is short). */
static char *build_body(struct hub *h, const struct notice *n, const char *text, int dates)
{
	cJSON *o = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(o, "items");
	cJSON *it = cJSON_CreateObject(), *tags;
	char id[40], *s;

	snprintf(id, sizeof(id), "urgent-%lld", (long long)h->now());
	cJSON_AddNumberToObject(o, "version", 1);
	cJSON_AddStringToObject(o, "name", "Thông báo khẩn (urgent notice)");
	cJSON_AddStringToObject(it, "id", id);
	cJSON_AddStringToObject(it, "text", text);
	cJSON_AddBoolToObject(it, "interrupt", true);
	cJSON_AddNumberToObject(it, "priority", URGENT_PRIORITY);
	if (dates & WITH_FROM)
		cJSON_AddStringToObject(it, "from", n->from && n->from[0] ? n->from : n->now);
	if (dates & WITH_UNTIL)
		cJSON_AddStringToObject(it, "until", n->until);
	cJSON_AddStringToObject(it, "timezone", h->cfg.hub.timezone);
	if (n->n_tags) {
		tags = cJSON_AddArrayToObject(it, "tags");
		for (int i = 0; i < n->n_tags; i++)
			cJSON_AddItemToArray(tags, cJSON_CreateString(n->tags[i]));
	}
	cJSON_AddItemToArray(items, it);
	s = cJSON_Print(o);
	cJSON_Delete(o);
	return s;
}

/* Whether the board's parser takes the playlist with only the dates given;
 * -1 when memory is short. */
static int parses(struct hub *h, const struct notice *n, const char *text, int dates)
{
	struct ls_error err;
	char *body = build_body(h, n, text, dates);
	struct ls_playlist *pl;
	int ok;

	if (!body)
		return -1;
	pl = ls_playlist_parse(body, strlen(body), "urgent.json", &err);
	ok = pl != NULL;
	ls_playlist_free(pl);
	free(body);
	return ok;
}

/* Why the board's parser refused the playlist (msg), at the field to fix:
 * not a date (the playlist without them is refused too), the date it
 * refuses alone, else until, which ends before from. */
static int refuse_dates(struct hub *h, struct hub_response *rs, const struct notice *n,
			const char *text, const char *msg)
{
	static const char bad[] = N_("%s: \"%s\" is not a date and time; write YYYY-MM-DD HH:MM");
	int none_ok = parses(h, n, text, 0), from_ok = parses(h, n, text, WITH_FROM);
	int until_ok = parses(h, n, text, WITH_UNTIL);

	if (none_ok < 0 || from_ok < 0 || until_ok < 0)
		return refuse_at(rs, 500, NULL, N_("out of memory"));
	if (!none_ok) /* not the dates at all */
		return refuse_at(rs, 422, NULL, "%s", msg);
	if (!from_ok)
		return refuse_at(rs, 422, "from", bad, "from", n->from ? n->from : n->now);
	if (!until_ok)
		return refuse_at(rs, 422, "until", bad, "until", n->until);
	return refuse_at(rs, 422, "until", N_("until: ends before it starts; fix the dates"));
}

/* What a board's parser says of body, at the form's fields; and an end
 * already past, which would publish a notice nobody sees. */
static int check_dates(struct hub *h, struct hub_response *rs, const struct notice *n,
		       const char *text, const char *body)
{
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(body, strlen(body), "urgent.json", &err);
	int64_t now, until;
	struct tm tm;

	if (!pl)
		return refuse_dates(h, rs, n, text, err.msg);
	until = pl->items[0].until;
	ls_playlist_free(pl);
	ls_localtime(h->cfg.hub.timezone, h->now(), &tm);
	now = ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	if (until <= now)
		return refuse_at(rs, 422, "until",
				 N_("until: %s is past; no board would show the notice (now %s)"),
				 n->until, n->now);
	return 0;
}

/* ---- the route ---- */

static void reply(struct hub_response *rs, const struct hub_layer *l, const char *body,
		  struct hub_published *out, int rc, const struct ls_error *err)
{
	cJSON *o = cJSON_CreateObject();

	if (rc) {
		cJSON_AddStringToObject(o, "error", err->msg);
		if (out->status == 403 || out->status == 429 || out->status == 400)
			cJSON_AddStringToObject(o, "field", "password");
		if (out->findings)
			cJSON_AddItemToObject(o, "findings", out->findings);
		hub_reply_json(rs, out->status, o);
		return;
	}
	cJSON_Delete(out->findings);
	cJSON_AddStringToObject(o, "layer", l->name);
	cJSON_AddNumberToObject(o, "version", (double)out->version);
	cJSON_AddNumberToObject(o, "signed_at", (double)out->signed_at);
	cJSON_AddStringToObject(o, "sha256", out->sha256);
	cJSON_AddStringToObject(o, "push", out->push[0] ? out->push : "none");
	cJSON_AddStringToObject(o, "body", body);
	cJSON_AddStringToObject(
	    o, "message",
	    out->push[0]
		? hub_tr("the urgent notice is published and the boards were told at once")
		: hub_tr("the urgent notice is published; boards take it at their next poll"));
	hub_reply_json(rs, 200, o);
}

static void publish_notice(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			   const struct hub_user *u, const struct hub_layer *l, struct notice *n)
{
	struct hub_published out;
	struct ls_error err;
	char *text = ls_utf8_nfc(n->text, strlen(n->text)), *body = NULL;
	int rc;

	if (!text || !(body = build_body(h, n, text, WITH_FROM | WITH_UNTIL))) {
		refuse_at(rs, 500, NULL, N_("out of memory"));
		goto out;
	}
	if (check_dates(h, rs, n, text, body))
		goto out;
	rc = hub_publish(h, rq, l, body, strlen(body), n->password, u->name, 0, URGENT_NOTE, &out,
			 &err);
	reply(rs, l, body, &out, rc, &err);
out:
	free(body);
	free(text);
}

void hub_urgent_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs)
{
	const struct hub_layer *l;
	struct hub_user u;
	struct notice n;

	if (hub_session(h, rq, rs, &u))
		return;
	if (!parse_request(rq, rs, &n) && (l = choose_layer(h, rq, rs, &u, n.layer)) &&
	    !parse_fields(rs, &n)) {
		civil_now(h, n.now);
		publish_notice(h, rq, rs, &u, l, &n);
	}
	notice_free(&n);
}
