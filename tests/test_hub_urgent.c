/*
 * The urgent notice form (POST /api/urgent): an accepted notice is the
 * urgent layer's one interrupting item, signed with the layer's key,
 * recorded as a version with the note "urgent notice" and pushed at once;
 * a layer outside the editor's scope, a wrong key password, a bad or past
 * date, an oversized or malformed text is refused at its field and writes
 * nothing (but the audit trail for a refusal of scope).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/hub/auth.h"
#include "../src/hub/publish.h"
#include "hub_fixture.h"
#include "layer_fixture.h"

#define CSRF "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define PW "mật khẩu khóa khẩn cấp"
#define FROM "2026-12-02 07:00" /* fx_clock, in Asia/Ho_Chi_Minh */
#define UNTIL "2026-12-02 17:00"

static struct hub hub; /* large (its layers): keep it off the stack */
static struct ls_pubkey khan_pub;

/* A hub with layers khan (urgent, pushing to a publisher that is not
 * there), gia-lai (not urgent), mien-bac and mien-nam (urgent), and
 * duyet (urgent with approval). */
static struct hub *open_hub(void)
{
	static struct hub_config cfg;
	static const char *const more[] = {"gia-lai", "mien-bac", "mien-nam", "duyet"};
	static const char *const extra[] = {NULL, "urgent = yes\n", "urgent = yes\n",
					    "urgent = yes\napproval = yes\n"};
	struct ls_error err;
	char text[8192], sec[1024];
	const char *pg = getenv("LEDSIGN_HUB_PG_URL"); /* tests/e2e_hub_pg.sh */

	ASSERT(sodium_init() >= 0);
	khan_pub = lf_layer_keys(th_tmpdir(), "khan", PW);
	lf_section(text, sizeof(text), th_tmpdir(), "khan",
		   "urgent = yes\npush = http://127.0.0.1:9/push/pub/khan\n");
	for (size_t i = 0; i < 4; i++) {
		lf_layer_keys(th_tmpdir(), more[i], PW);
		lf_section(sec, sizeof(sec), th_tmpdir(), more[i], extra[i]);
		strncat(text, sec, sizeof(text) - strlen(text) - 1);
	}
	hub_config_defaults(&cfg);
	ASSERT_MSG(hub_config_parse(&cfg, "hub.conf", text, strlen(text), &err) == 0, "%s",
		   err.msg);
	snprintf(cfg.hub.state_dir, sizeof(cfg.hub.state_dir), "%s", th_tmpdir());
	snprintf(cfg.database.url, sizeof(cfg.database.url), "%s", pg ? pg : "");
	ASSERT_MSG(hub_open(&hub, &cfg, &err) == 0, "hub_open: %s", err.msg);
	hub.now = fx_now;
	fx_wipe(&hub);
	return &hub;
}

struct session {
	char cookie[128], csrf[65];
	const char *lang;
};

/* Adds the account name (role, scope) and logs it in into s. */
static void login(struct hub *h, const char *name, const char *role, const char *scope,
		  struct session *s)
{
	char body[256], *p;
	struct hub_request rq;
	struct hub_response rs;
	struct ls_error err;

	ASSERT_MSG(hub_user_add(h, name, "correct-horse-1", role, scope, false, &err) == 0, "%s",
		   err.msg);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"correct-horse-1\"}", name);
	rq = fx_req("POST", "/api/login", body);
	rq.cookie = "hub_csrf=" CSRF;
	rq.csrf_header = CSRF;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	for (int i = 0; i < rs.n_headers; i++)
		if (!strncmp(rs.headers[i][1], "hub_session=", 12))
			snprintf(s->cookie, sizeof(s->cookie), "%.*s",
				 (int)strcspn(rs.headers[i][1], ";"), rs.headers[i][1]);
	free(rs.body);
	rq = fx_req("GET", "/api/me", NULL);
	rq.cookie = s->cookie;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	ASSERT((p = strstr(rs.body, "\"csrf\":\"")));
	snprintf(s->csrf, sizeof(s->csrf), "%.64s", p + 8);
	free(rs.body);
	s->lang = NULL;
}

/* POST /api/urgent with body as s; the reply's body into *out (caller
 * frees) when out. */
static int post(struct hub *h, const struct session *s, const char *body, char **out)
{
	struct hub_request rq = fx_req("POST", "/api/urgent", body);
	struct hub_response rs;
	int st;

	rq.cookie = s->cookie;
	rq.csrf_header = s->csrf;
	rq.accept_language = s->lang;
	st = fx_do(h, &rq, &rs);
	if (out)
		*out = rs.body;
	else
		free(rs.body);
	return st;
}

/* The form's JSON: layer and tags may be NULL (left out). */
static char *notice(const char *layer, const char *text, const char *tags, const char *from,
		    const char *until, const char *pw)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (layer)
		cJSON_AddStringToObject(o, "layer", layer);
	cJSON_AddStringToObject(o, "text", text);
	if (tags)
		cJSON_AddStringToObject(o, "tags", tags);
	if (from)
		cJSON_AddStringToObject(o, "from", from);
	if (until)
		cJSON_AddStringToObject(o, "until", until);
	cJSON_AddStringToObject(o, "password", pw);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* Posts a notice and frees its JSON. */
static int send(struct hub *h, const struct session *s, char *json, char **out)
{
	int st = post(h, s, json, out);

	free(json);
	return st;
}

static char *feed_file(const char *layer, const char *name, size_t *len)
{
	char path[1024], *text = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/feed/%s/%s", th_tmpdir(), layer, name);
	if (hub_read_file(path, 1 << 20, &text, &n, NULL))
		return NULL;
	if (len)
		*len = n;
	return text;
}

/* Nothing was published on any layer, and no version recorded. */
static void nothing_written(struct hub *h)
{
	static const char *const layers[] = {"khan", "gia-lai", "mien-bac", "mien-nam", "duyet"};

	for (size_t i = 0; i < 5; i++) {
		ASSERT_MSG(feed_file(layers[i], "playlist.json", NULL) == NULL, "%s written",
			   layers[i]);
		ASSERT(feed_file(layers[i], "playlist.json.minisig", NULL) == NULL);
	}
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM versions"), 0);
}

TEST(an_accepted_notice_is_a_signed_interrupting_item_pushed_at_once)
{
	struct hub *h = open_hub();
	struct session s;
	struct ls_sig_info info;
	struct ls_error err;
	char *out, *body, *sig;
	size_t blen, slen;
	cJSON *doc, *it;

	login(h, "hoa", "editor", "khan", &s);
	ASSERT_EQ_INT(send(h, &s,
			   notice(NULL, "THÔNG BÁO KHẨN: BHXH tạm dừng tiếp đón do bão",
				  "gia-lai, kon-tum  dak-lak", NULL, UNTIL, PW),
			   &out),
		      200);
	ASSERT_CONTAINS(out, "\"layer\":\"khan\"");
	ASSERT_CONTAINS(out, "\"version\":1");
	ASSERT_CONTAINS(out, "đã đăng thông báo khẩn");
	/* the push went out at once: to a publisher that is not there, so it says why */
	ASSERT(strstr(out, "\"push\":\"") && !strstr(out, "\"push\":\"none\""));
	ASSERT_CONTAINS(out, "127.0.0.1:9");
	free(out);
	body = feed_file("khan", "playlist.json", &blen);
	sig = feed_file("khan", "playlist.json.minisig", &slen);
	ASSERT(body && sig);
	ASSERT_MSG(ls_sig_verify(&khan_pub, 1, body, blen, sig, slen, &info, &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_STR(info.file, "playlist.json");
	ASSERT_CONTAINS(info.comment, "hub:khan/1");
	ASSERT((doc = cJSON_Parse(body)));
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "items")), 1);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "items"), 0);
	ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(it, "interrupt")));
	ASSERT_EQ_INT(cJSON_GetObjectItem(it, "priority")->valueint, 100);
	ASSERT_EQ_STR(cJSON_GetObjectItem(it, "text")->valuestring,
		      "THÔNG BÁO KHẨN: BHXH tạm dừng tiếp đón do bão");
	ASSERT_EQ_STR(cJSON_GetObjectItem(it, "from")->valuestring, FROM); /* now, by default */
	ASSERT_EQ_STR(cJSON_GetObjectItem(it, "until")->valuestring, UNTIL);
	ASSERT_EQ_STR(cJSON_GetObjectItem(it, "timezone")->valuestring, "Asia/Ho_Chi_Minh");
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(it, "tags")), 3);
	ASSERT_EQ_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(it, "tags"), 2)->valuestring,
		      "dak-lak");
	cJSON_Delete(doc);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM versions WHERE layer = 'khan' AND version = "
				"1 AND state = 'published' AND published_by = 'hoa' AND note = "
				"'urgent notice'"),
		      1);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish' AND "
				"target = 'khan' AND actor = 'hoa' AND detail LIKE '%; urgent "
				"notice'"),
		      1);
	free(body);
	free(sig);
	hub_close(h);
}

TEST(a_datetime_input_and_tags_as_a_list_are_taken_as_they_are)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	login(h, "an", "admin", "", &s);
	ASSERT_EQ_INT(post(h, &s,
			   "{\"layer\": \"mien-nam\", \"text\": \"Khẩn\", \"tags\": [\"hcm\", "
			   "\"can-tho\"], \"from\": \"2026-12-02T13:30\", \"until\": "
			   "\"2026-12-02T18:00\", \"password\": \"" PW "\"}",
			   &out),
		      200);
	ASSERT_CONTAINS(out, "\"layer\":\"mien-nam\"");
	ASSERT_CONTAINS(out, "\"push\":\"none\"");
	ASSERT_CONTAINS(out, "các bảng nhận ở lần hỏi nguồn tin kế tiếp");
	free(out);
	out = feed_file("mien-nam", "playlist.json", NULL);
	ASSERT_CONTAINS(out, "\"from\":\t\"2026-12-02T13:30\"");
	ASSERT_CONTAINS(out, "\"can-tho\"");
	free(out);
	hub_close(h);
}

TEST(a_layer_outside_the_scope_is_refused_403_audited_and_nothing_written)
{
	struct hub *h = open_hub();
	struct session gl, v;
	char *out;

	login(h, "tuan", "editor", "gia-lai", &gl);
	ASSERT_EQ_INT(send(h, &gl, notice("khan", "Ghi đè", NULL, NULL, UNTIL, PW), &out), 403);
	ASSERT_CONTAINS(out, "ngoài phạm vi");
	ASSERT_CONTAINS(out, "\"field\":\"layer\"");
	free(out);
	/* out of scope comes first: a bad date does not tell it anything more */
	ASSERT_EQ_INT(send(h, &gl, notice("khan", "Ghi đè", NULL, "hôm nay", "x", PW), NULL), 403);
	ASSERT_EQ_INT(send(h, &gl, notice(NULL, "Ghi đè", NULL, NULL, UNTIL, PW), &out), 403);
	ASSERT_CONTAINS(out, "không có lớp khẩn nào trong phạm vi");
	free(out);
	login(h, "xem", "viewer", "Gia Lai", &v);
	ASSERT_EQ_INT(send(h, &v, notice("khan", "Ghi đè", NULL, NULL, UNTIL, PW), NULL), 403);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND "
				"actor = 'tuan' AND target = 'khan' AND detail LIKE 'POST "
				"/api/urgent: %'"),
		      2);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied'"), 4);
	/* an editor of an urgent layer with approval is not its approver */
	login(h, "lan", "editor", "duyet", &v);
	ASSERT_EQ_INT(send(h, &v, notice("duyet", "Chờ duyệt", NULL, NULL, UNTIL, PW), &out), 403);
	ASSERT_CONTAINS(out, "chỉ người duyệt");
	free(out);
	nothing_written(h);
	hub_close(h);
}

TEST(a_wrong_key_password_publishes_nothing)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	login(h, "hoa", "editor", "khan", &s);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, UNTIL, "đoán sai"), &out), 403);
	ASSERT_CONTAINS(out, "sai mật khẩu khóa của lớp");
	ASSERT_CONTAINS(out, "\"field\":\"password\"");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, UNTIL, ""), &out), 400);
	ASSERT_CONTAINS(out, "\"field\":\"password\"");
	free(out);
	nothing_written(h);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM audit WHERE action = "
				"'layer.publish.refused' AND target = 'khan'"),
		      1);
	hub_close(h);
}

TEST(bad_dates_are_refused_422_at_their_field)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	login(h, "hoa", "editor", "khan", &s);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, "2026-13-01 10:00", UNTIL, PW), &out),
		      422);
	ASSERT_CONTAINS(out, "\"field\":\"from\"");
	ASSERT_CONTAINS(out, "from: \\\"2026-13-01 10:00\\\" không phải ngày giờ");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, "ngày mai", PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"until\"");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, "2026-12-02 25:00", PW), &out),
		      422);
	ASSERT_CONTAINS(out, "\"field\":\"until\"");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, "2026-12-03 08:00", UNTIL, PW), &out),
		      422);
	ASSERT_CONTAINS(out, "\"field\":\"until\"");
	ASSERT_CONTAINS(out, "kết thúc trước khi bắt đầu");
	free(out);
	ASSERT_EQ_INT(send(h, &s,
			   notice(NULL, "Khẩn", NULL, "2026-12-01 08:00", "2026-12-02 06:59", PW),
			   &out),
		      422);
	ASSERT_CONTAINS(out, "\"field\":\"until\"");
	ASSERT_CONTAINS(out, "đã qua");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, NULL, PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"until\"");
	free(out);
	s.lang = "en-GB,en;q=0.8";
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, "31/12/2026", UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "from: \\\"31/12/2026\\\" is not a date and time; write YYYY-MM-DD "
			     "HH:MM");
	free(out);
	nothing_written(h);
	hub_close(h);
}

TEST(an_oversized_or_malformed_text_is_refused_and_nothing_written)
{
	struct hub *h = open_hub();
	struct session s;
	char big[501 * 3 + 1] = "", *out, *huge;

	login(h, "hoa", "editor", "khan", &s);
	/* 500 characters of three bytes each: counted in characters */
	for (int i = 0; i < 500; i++)
		strcat(big, "ắ");
	ASSERT_EQ_INT(send(h, &s, notice(NULL, big, NULL, NULL, UNTIL, PW), NULL), 200);
	strcat(big, "a");
	ASSERT_EQ_INT(send(h, &s, notice(NULL, big, NULL, NULL, UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"text\"");
	ASSERT_CONTAINS(out, "501 ký tự; một thông báo khẩn tối đa 500");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "   ", NULL, NULL, UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"text\"");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "hai\ndòng", NULL, NULL, UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"text\"");
	free(out);
	ASSERT_EQ_INT(post(h, &s,
			   "{\"text\": \"\xc3\x28 bad\", \"until\": \"" UNTIL
			   "\", \"password\": \"" PW "\"}",
			   &out),
		      422);
	ASSERT_CONTAINS(out, "\"field\":\"text\"");
	free(out);
	huge = calloc(1, 17 * 1024 + 64);
	snprintf(huge, 64, "{\"text\": \"");
	memset(huge + strlen(huge), 'x', 17 * 1024);
	strcat(huge, "\"}");
	ASSERT_EQ_INT(post(h, &s, huge, NULL), 413);
	free(huge);
	ASSERT_EQ_INT(post(h, &s, "not json", NULL), 400);
	ASSERT_EQ_INT(
	    send(h, &s, notice(NULL, "Khẩn", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", NULL, UNTIL, PW),
		 &out),
	    422);
	ASSERT_CONTAINS(out, "\"field\":\"tags\"");
	free(out);
	ASSERT_EQ_INT(fx_int(h, "SELECT COUNT(*) FROM versions"), 1);
	hub_close(h);
}

TEST(the_layer_must_be_urgent_and_one_must_be_chosen_among_several)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	login(h, "hoa", "editor", "gia-lai,mien-bac,mien-nam", &s);
	ASSERT_EQ_INT(send(h, &s, notice(NULL, "Khẩn", NULL, NULL, UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "\"field\":\"layer\"");
	ASSERT_CONTAINS(out, "hãy chọn một lớp khẩn: mien-bac, mien-nam");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice("gia-lai", "Khẩn", NULL, NULL, UNTIL, PW), &out), 422);
	ASSERT_CONTAINS(out, "không phải lớp khẩn");
	free(out);
	ASSERT_EQ_INT(send(h, &s, notice("ha-noi", "Khẩn", NULL, NULL, UNTIL, PW), NULL), 404);
	nothing_written(h);
	ASSERT_EQ_INT(send(h, &s, notice("mien-bac", "Khẩn", NULL, NULL, UNTIL, PW), NULL), 200);
	hub_close(h);
}

TEST(a_post_without_the_csrf_token_or_a_session_is_refused)
{
	struct hub *h = open_hub();
	struct session s;
	char *json = notice(NULL, "Khẩn", NULL, NULL, UNTIL, PW);
	struct hub_request rq = fx_req("POST", "/api/urgent", json);
	struct hub_response rs;

	login(h, "hoa", "editor", "khan", &s);
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 401);
	free(rs.body);
	rq.cookie = s.cookie;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 403);
	free(rs.body);
	rq = fx_req("GET", "/api/urgent", NULL);
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 405);
	free(rs.body);
	nothing_written(h);
	free(json);
	hub_close(h);
}
