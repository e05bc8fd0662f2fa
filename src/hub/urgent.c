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
 * refused 403 and audited before anything else is read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cJSON.h>
#include <sodium.h>

#include "auth.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/playlist.h"
#include "ledsign/utf8.h"
#include "publish.h"

#define URGENT_MAX_REQUEST (16 * 1024) /* the form's JSON */
#define URGENT_TEXT_MAX 500	       /* characters of the notice */
#define URGENT_PRIORITY 100	       /* above every other item (the schema's maximum) */
#define URGENT_NOTE "urgent notice"

/* Vietnamese first; English for a browser that asks for it first. */
static bool english(const struct hub_request *rq)
{
	return rq->accept_language && !strncasecmp(rq->accept_language, "en", 2);
}

#define TR(rq, vi, en) (english(rq) ? (en) : (vi))

/* What the form sent, checked. Strings point into doc. */
struct notice {
	cJSON *doc;
	const char *layer, *text, *from, *until, *password;
	char tags[LS_MAX_TAGS][LS_TAG_MAX];
	int n_tags;
	char now[64]; /* "YYYY-MM-DD HH:MM" in the hub's zone: from when none is given */
};

/* Replies status with {"error", "field"} (field may be NULL); returns -1. */
static int refuse_at(struct hub_response *rs, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse_at(struct hub_response *rs, int status, const char *field, const char *fmt, ...)
{
	char msg[1024];
	cJSON *o = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(o, "error", msg);
	if (field)
		cJSON_AddStringToObject(o, "field", field);
	hub_reply_json(rs, status, o);
	return -1;
}

/* Refuses u: 403, one audit row (target: the layer, "" when none), nothing
 * else written. */
static void deny(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		 const struct hub_user *u, const char *layer, const char *why_vi,
		 const char *why_en)
{
	char detail[512];

	snprintf(detail, sizeof(detail), "%s %s: %s", rq->method, rq->path, why_en);
	hub_audit(h, u->name, "layer.denied", layer, detail, rq->address);
	refuse_at(rs, 403, "layer", "%s", TR(rq, why_vi, why_en));
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

/* The string field key of doc, NULL when absent; -1 (replied) when it is
 * there but not a clean string of at most max bytes. */
static int string_field(const struct hub_request *rq, struct hub_response *rs, const cJSON *doc,
			const char *key, size_t max, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) > max || !clean_text(v->valuestring))
		return refuse_at(rs, 422, key, "%s: %s", key,
				 TR(rq, "phải là chữ UTF-8 trên một dòng, không quá dài",
				    "must be one line of UTF-8 text, not too long"));
	*out = v->valuestring;
	return 0;
}

/* Adds the tags of one string: separated by commas or spaces, as a
 * board's [board] tags are. */
static int add_tags(const struct hub_request *rq, struct hub_response *rs, struct notice *n,
		    const char *s)
{
	while (*s) {
		size_t skip = strspn(s, ", \t"), len;
		s += skip;
		if (!*s)
			break;
		len = strcspn(s, ", \t");
		if (n->n_tags == LS_MAX_TAGS || len >= LS_TAG_MAX)
			return refuse_at(rs, 422, "tags", "tags: %s %d, %s %d %s",
					 TR(rq, "tối đa", "at most"), LS_MAX_TAGS,
					 TR(rq, "mỗi thẻ tối đa", "each of at most"),
					 LS_TAG_MAX - 1, TR(rq, "byte", "bytes"));
		memcpy(n->tags[n->n_tags], s, len);
		n->tags[n->n_tags++][len] = '\0';
		s += len;
	}
	return 0;
}

/* tags: a list of strings, or one string "ha-noi, ba-dinh"; none = every
 * board of the layer. */
static int parse_tags(const struct hub_request *rq, struct hub_response *rs, struct notice *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(n->doc, "tags"), *e;
	const char *bad = TR(rq, "tags: hãy ghi các thẻ của bảng, cách nhau bằng dấu phẩy",
			     "tags: write the boards' tags, separated by commas");

	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v))
		return clean_text(v->valuestring) ? add_tags(rq, rs, n, v->valuestring)
						  : refuse_at(rs, 422, "tags", "%s", bad);
	if (!cJSON_IsArray(v))
		return refuse_at(rs, 422, "tags", "%s", bad);
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e) || !clean_text(e->valuestring))
			return refuse_at(rs, 422, "tags", "%s", bad);
		if (add_tags(rq, rs, n, e->valuestring))
			return -1;
	}
	return 0;
}

static int parse_text(const struct hub_request *rq, struct hub_response *rs, struct notice *n)
{
	const char *t;

	if (string_field(rq, rs, n->doc, "text", URGENT_MAX_REQUEST, &n->text))
		return -1;
	t = n->text ? n->text + strspn(n->text, " ") : "";
	if (!*t)
		return refuse_at(
		    rs, 422, "text", "text: %s",
		    TR(rq, "hãy nhập nội dung thông báo", "type the text of the notice"));
	if (chars(n->text) > URGENT_TEXT_MAX)
		return refuse_at(rs, 422, "text", "text: %zu %s %d", chars(n->text),
				 TR(rq, "ký tự; một thông báo khẩn tối đa",
				    "characters; an urgent notice has at most"),
				 URGENT_TEXT_MAX);
	return 0;
}

/* The request's JSON into n, and the layer it names (checked before any
 * other field, so that a caller outside the layer learns nothing more). */
static int parse_request(const struct hub_request *rq, struct hub_response *rs, struct notice *n)
{
	memset(n, 0, sizeof(*n));
	if (rq->body_len > URGENT_MAX_REQUEST)
		return refuse_at(
		    rs, 413, NULL, "%s %d KiB",
		    TR(rq, "yêu cầu quá lớn; tối đa", "the request is too large; at most"),
		    URGENT_MAX_REQUEST / 1024);
	n->doc = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
	if (!cJSON_IsObject(n->doc))
		return refuse_at(rs, 400, NULL, "%s",
				 TR(rq, "yêu cầu phải là một đối tượng JSON",
				    "the request must be a JSON object"));
	return string_field(rq, rs, n->doc, "layer", HUB_LAYER_NAME_MAX - 1, &n->layer);
}

/* The notice's fields, each checked for type and size. */
static int parse_fields(const struct hub_request *rq, struct hub_response *rs, struct notice *n)
{
	if (parse_text(rq, rs, n) || parse_tags(rq, rs, n) ||
	    string_field(rq, rs, n->doc, "from", 32, &n->from) ||
	    string_field(rq, rs, n->doc, "until", 32, &n->until))
		return -1;
	if (!n->until || !n->until[0])
		return refuse_at(
		    rs, 422, "until", "until: %s",
		    TR(rq, "hãy nhập lúc thông báo kết thúc", "say when the notice ends"));
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(n->doc, "password")))
		n->password = cJSON_GetObjectItemCaseSensitive(n->doc, "password")->valuestring;
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

/* The layer the notice goes to: the one named, or the only urgent layer
 * in u's scope. NULL when refused (replied; a refusal of scope audited). */
static const struct hub_layer *choose_layer(struct hub *h, const struct hub_request *rq,
					    struct hub_response *rs, const struct hub_user *u,
					    const char *name)
{
	const struct hub_layer *l = NULL;
	char list[512];
	int k;

	if (!name || !name[0]) {
		if ((k = urgent_in_scope(h, u, &l, list, sizeof(list))) == 1)
			return l;
		if (k)
			refuse_at(rs, 422, "layer", "layer: %s %s",
				  TR(rq, "hãy chọn một lớp khẩn:", "choose an urgent layer:"),
				  list);
		else
			deny(h, rq, rs, u, "",
			     "không có lớp khẩn nào trong phạm vi tài khoản của bạn",
			     "no urgent layer is in your account's scope");
		return NULL;
	}
	if (!(l = hub_layer_find(h, name))) {
		refuse_at(rs, 404, "layer", "%s: %s", TR(rq, "không có lớp", "no such layer"),
			  name);
		return NULL;
	}
	if (!hub_user_may_edit(u, l)) {
		deny(h, rq, rs, u, l->name, "lớp này nằm ngoài phạm vi tài khoản của bạn",
		     "this layer is outside your account's scope");
		return NULL;
	}
	if (!l->urgent) {
		refuse_at(rs, 422, "layer", "layer: %s: %s", l->name,
			  TR(rq, "không phải lớp khẩn (urgent = yes trong hub.conf)",
			     "not an urgent layer (urgent = yes in hub.conf)"));
		return NULL;
	}
	if (l->approval && !hub_user_may_approve(u, l)) {
		deny(h, rq, rs, u, l->name,
		     "lớp khẩn này cần người duyệt: chỉ người duyệt mới đăng được thông báo khẩn",
		     "this urgent layer has approval: only an approver may publish a notice");
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

/* The layer's playlist for n: one interrupting item (malloc'd JSON). */
static char *build_body(struct hub *h, const struct notice *n, const char *text)
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
	cJSON_AddStringToObject(it, "from", n->from && n->from[0] ? n->from : n->now);
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

/* The field a playlist parser message is about ("...items[0].until: ..."). */
static const char *field_of(const char *msg)
{
	static const char *const fields[] = {"from", "until", "tags", "text"};
	char key[16];

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(key, sizeof(key), "].%s", fields[i]);
		if (strstr(msg, key))
			return fields[i];
	}
	return NULL;
}

/* Refuses a date the library's parser refused, at its field. */
static int refuse_date(const struct hub_request *rq, struct hub_response *rs, const char *field,
		       const char *value, const char *msg)
{
	if (strstr(msg, "ends before it starts"))
		return refuse_at(rs, 422, field, "%s: %s", field,
				 TR(rq, "kết thúc trước khi bắt đầu; hãy sửa ngày giờ",
				    "ends before it starts; fix the dates"));
	return refuse_at(rs, 422, field, "%s: \"%s\" %s", field, value,
			 TR(rq, "không phải ngày giờ; hãy ghi dạng YYYY-MM-DD HH:MM",
			    "is not a date and time; write YYYY-MM-DD HH:MM"));
}

/* What a board's parser says of body, at the form's fields; and an end
 * already past, which would publish a notice nobody sees. */
static int check_dates(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const struct notice *n, const char *body)
{
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(body, strlen(body), "urgent.json", &err);
	const char *field;
	int64_t now, until;
	struct tm tm;

	if (!pl) {
		field = field_of(err.msg);
		if (field && !strcmp(field, "until"))
			return refuse_date(rq, rs, field, n->until, err.msg);
		if (field && !strcmp(field, "from"))
			return refuse_date(rq, rs, field, n->from ? n->from : n->now, err.msg);
		return refuse_at(rs, 422, field, "%s", err.msg);
	}
	until = pl->items[0].until;
	ls_playlist_free(pl);
	ls_localtime(h->cfg.hub.timezone, h->now(), &tm);
	now = ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	if (until <= now)
		return refuse_at(rs, 422, "until", "until: %s %s (%s)", n->until,
				 TR(rq, "đã qua; thông báo sẽ không hiện trên bảng nào",
				    "is past; no board would show the notice"),
				 n->now);
	return 0;
}

/* ---- the route ---- */

static void reply(const struct hub_request *rq, struct hub_response *rs, const struct hub_layer *l,
		  const char *body, struct hub_published *out, int rc, const struct ls_error *err)
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
	    TR(rq,
	       out->push[0] ? "đã đăng thông báo khẩn và báo ngay cho các bảng qua kênh đẩy"
			    : "đã đăng thông báo khẩn; các bảng nhận ở lần tải tiếp theo",
	       out->push[0] ? "the urgent notice is published and the boards were told at once"
			    : "the urgent notice is published; boards take it at their next poll"));
	hub_reply_json(rs, 200, o);
}

static void publish_notice(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
			   const struct hub_user *u, const struct hub_layer *l, struct notice *n)
{
	struct hub_published out;
	struct ls_error err;
	char *text = ls_utf8_nfc(n->text, strlen(n->text)), *body = NULL;
	int rc;

	if (!text || !(body = build_body(h, n, text))) {
		hub_reply_error(rs, 500, "out of memory");
		goto out;
	}
	if (check_dates(h, rq, rs, n, body))
		goto out;
	rc = hub_publish(h, rq, l, body, strlen(body), n->password, u->name, 0, URGENT_NOTE, &out,
			 &err);
	reply(rq, rs, l, body, &out, rc, &err);
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
	    !parse_fields(rq, rs, &n)) {
		civil_now(h, n.now);
		publish_notice(h, rq, rs, &u, l, &n);
	}
	notice_free(&n);
}
