/*
 * Publishing from the hub with locked keys: the editor's key password
 * unlocks the layer's encrypted key in memory, the pair lands atomically in
 * feed_dir and verifies with the layer's public key, every version and
 * publish is recorded; a wrong password, a playlist with errors or a layer
 * outside the editor's scope changes nothing (but the audit trail); approval
 * takes two people; a rollback is old content under a new signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "../src/hub/auth.h"
#include "../src/hub/publish.h"
#include "hub_fixture.h"
#include "layer_fixture.h"

#define CSRF "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define PW "mật khẩu của khóa Gia Lai"
#define BODY_A "{\"version\": 1, \"items\": [{\"id\": \"a\", \"text\": \"Xin chào\"}]}"
#define BODY_B "{\"version\": 1, \"items\": [{\"id\": \"b\", \"text\": \"Chào bà\"}]}"

static struct hub hub; /* large (its layers): keep it off the stack */
static struct ls_pubkey gl_pub;

/* A hub with layers gia-lai (direct), kon-tum (direct) and quoc-gia
 * (approval = yes), each with its own encrypted key. */
static struct hub *open_hub(void)
{
	static struct hub_config cfg;
	struct ls_error err;
	char text[4096], a[1024], b[1024], c[1024];
	const char *pg = getenv("LEDSIGN_HUB_PG_URL");

	ASSERT(sodium_init() >= 0);
	gl_pub = lf_layer_keys(th_tmpdir(), "gia-lai", PW);
	lf_layer_keys(th_tmpdir(), "kon-tum", "mật khẩu Kon Tum");
	lf_layer_keys(th_tmpdir(), "quoc-gia", "mật khẩu quốc gia");
	lf_section(a, sizeof(a), th_tmpdir(), "gia-lai", "title = Gia Lai\n");
	lf_section(b, sizeof(b), th_tmpdir(), "kon-tum", NULL);
	lf_section(c, sizeof(c), th_tmpdir(), "quoc-gia", "approval = yes\n");
	snprintf(text, sizeof(text), "%s%s%s", a, b, c);
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

static void add_user(struct hub *h, const char *name, const char *role, const char *scope)
{
	struct ls_error err;

	ASSERT_MSG(hub_user_add(h, name, "correct-horse-1", role, scope, false, &err) == 0, "%s",
		   err.msg);
}

/* Logs name in; the session's cookie and CSRF token go to s. */
struct session {
	char cookie[128], csrf[65];
	const char *lang;
};

static void login(struct hub *h, const char *name, struct session *s)
{
	char body[256], *p;
	struct hub_request rq;
	struct hub_response rs;

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

/* method path with s's session; the reply's body into *out (caller frees) when out. */
static int as(struct hub *h, const struct session *s, const char *method, const char *path,
	      const char *body, char **out)
{
	struct hub_request rq = fx_req(method, path, body);
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

/* {"body": body, "password": pw} as JSON. */
static char *publish_req(const char *body, const char *pw)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "body", body);
	if (pw)
		cJSON_AddStringToObject(o, "password", pw);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int publish(struct hub *h, const struct session *s, const char *layer, const char *body,
		   const char *pw, char **out)
{
	char path[128], *rq = publish_req(body, pw);
	int st;

	snprintf(path, sizeof(path), "/api/layers/%s/publish", layer);
	st = as(h, s, "POST", path, rq, out);
	free(rq);
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

static struct timespec feed_mtime(const char *layer, const char *name)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/feed/%s/%s", th_tmpdir(), layer, name);
	ASSERT(stat(path, &st) == 0);
	return st.st_mtim;
}

static int64_t count(struct hub *h, const char *sql)
{
	return fx_int(h, sql);
}

TEST(an_editor_publishes_with_the_key_password_and_boards_can_verify_it)
{
	struct hub *h = open_hub();
	struct session s;
	struct ls_sig_info info;
	struct ls_error err;
	char *out, *body, *sig;
	size_t blen, slen;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, &out), 200);
	ASSERT_CONTAINS(out, "\"version\":1");
	free(out);
	body = feed_file("gia-lai", "playlist.json", &blen);
	sig = feed_file("gia-lai", "playlist.json.minisig", &slen);
	ASSERT(body && sig);
	ASSERT_EQ_STR(body, BODY_A);
	ASSERT_MSG(ls_sig_verify(&gl_pub, 1, body, blen, sig, slen, &info, &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_STR(info.file, "playlist.json");
	ASSERT_EQ_STR(info.path, "gia-lai/playlist.json");
	ASSERT_EQ_INT(info.timestamp, fx_clock);
	ASSERT_CONTAINS(info.comment, "hub:gia-lai/1");
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions WHERE layer = 'gia-lai' AND version "
			       "= 1 AND state = 'published' AND published_by = 'hoa' AND "
			       "signature <> '' AND length(sha256) = 64"),
		      1);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish' AND "
			       "target = 'gia-lai' AND actor = 'hoa' AND detail LIKE 'version 1, "
			       "signed at %items +[a] -[] ~[]'"),
		      1);
	free(body);
	free(sig);
	hub_close(h);
}

TEST(two_publishes_within_one_second_never_share_an_etag)
{
	struct hub *h = open_hub();
	struct session s;
	struct timespec t1, t2, s1, s2;
	char *a, *b;
	size_t la, lb;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, NULL), 200);
	t1 = feed_mtime("gia-lai", "playlist.json");
	s1 = feed_mtime("gia-lai", "playlist.json.minisig");
	a = feed_file("gia-lai", "playlist.json.minisig", &la);
	/* the same size, the same (fake) second: only the mtime can tell nginx */
	ASSERT_EQ_INT(strlen(BODY_A), strlen(BODY_B));
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_B, PW, NULL), 200);
	t2 = feed_mtime("gia-lai", "playlist.json");
	s2 = feed_mtime("gia-lai", "playlist.json.minisig");
	b = feed_file("gia-lai", "playlist.json.minisig", &lb);
	ASSERT(t2.tv_sec > t1.tv_sec);
	ASSERT(s2.tv_sec > s1.tv_sec);
	ASSERT(strcmp(a, b));
	ASSERT_EQ_INT(count(h, "SELECT MAX(signed_at) - MIN(signed_at) FROM versions"), 1);
	free(a);
	free(b);
	hub_close(h);
}

TEST(a_wrong_password_publishes_nothing_and_says_so_in_vietnamese)
{
	struct hub *h = open_hub();
	struct session s;
	struct timespec t1, t2;
	char *out, *before, *after;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, NULL), 200);
	t1 = feed_mtime("gia-lai", "playlist.json");
	before = feed_file("gia-lai", "playlist.json.minisig", NULL);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_B, "đoán sai", &out), 403);
	ASSERT_CONTAINS(out, "\"error\":\"sai mật khẩu khóa của lớp, không có gì được đăng\",");
	free(out);
	s.lang = "en-US,en;q=0.9";
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_B, "wrong", &out), 403);
	ASSERT_CONTAINS(out, "\"error\":\"wrong key password, nothing was published\",");
	free(out);
	t2 = feed_mtime("gia-lai", "playlist.json");
	after = feed_file("gia-lai", "playlist.json.minisig", NULL);
	ASSERT(t1.tv_sec == t2.tv_sec && t1.tv_nsec == t2.tv_nsec);
	ASSERT_EQ_STR(after, before);
	out = feed_file("gia-lai", "playlist.json", NULL);
	ASSERT_EQ_STR(out, BODY_A);
	free(out);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions"), 1);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish.refused'"),
		      2);
	free(before);
	free(after);
	hub_close(h);
}

TEST(a_damaged_key_is_the_administrators_problem_not_a_wrong_password)
{
	struct hub *h = open_hub();
	struct session s;
	char path[1024], *out;
	FILE *f;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	snprintf(path, sizeof(path), "%s/gia-lai.key", th_tmpdir());
	ASSERT((f = fopen(path, "w")));
	fputs("untrusted comment: not a key\nAAAA\n", f);
	fclose(f);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, &out), 500);
	ASSERT_CONTAINS(out, "[layer gia-lai] secret_key ");
	ASSERT_CONTAINS(out, "gia-lai.key: ");
	ASSERT(!strstr(out, "sai mật khẩu"));
	free(out);
	ASSERT(remove(path) == 0);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, &out), 500);
	ASSERT_CONTAINS(out, "[layer gia-lai] secret_key ");
	ASSERT_CONTAINS(out, "gia-lai.key: không có tệp này");
	free(out);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions"), 0);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish.refused'"),
		      0);
	hub_close(h);
}

TEST(wrong_key_passwords_are_limited_like_logins)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, "sai", NULL), 403);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, &out), 429);
	ASSERT_CONTAINS(out, "quá nhiều lần sai mật khẩu khóa");
	free(out);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	hub_close(h);
}

TEST(a_playlist_with_errors_is_refused_with_the_validate_messages)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai",
			      "{\"version\": 1, \"items\": [{\"id\": \"a\", \"text\": \"x\", "
			      "\"windows\": [\"25:00-26:00\"]}]}",
			      PW, &out),
		      422);
	ASSERT_CONTAINS(out, "danh sách phát có lỗi");
	ASSERT_CONTAINS(out, "\"level\":\"error\"");
	ASSERT_CONTAINS(out, "playlist.json:1:");
	ASSERT_CONTAINS(out, "windows[0]");
	free(out);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", "", PW, &out), 400);
	free(out);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions"), 0);
	hub_close(h);
}

/* The hub does not publish pictures (ledsign publish does): a playlist that
 * names one is refused, saying so, and nothing is written. */
TEST(a_playlist_with_a_picture_is_refused_pointing_to_ledsign_publish)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(
	    publish(h, &s, "gia-lai",
		    "{\"version\": 1, \"items\": [{\"id\": \"a\", \"text\": \"x\", "
		    "\"picture\": {\"file\": \"pictures/emblem.png\", \"sha256\": \""
		    "386ac40ebc6445623aa406c72b35acf09c5130b62ece0b6d82bf21f54c07a8b1\"}}]}",
		    PW, &out),
	    422);
	ASSERT_CONTAINS(out, "items[0].picture (a)");
	ASSERT_CONTAINS(out, "ledsign publish");
	free(out);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	hub_close(h);
}

TEST(an_editor_of_another_province_is_refused_everywhere_and_nothing_is_written)
{
	struct hub *h = open_hub();
	struct session kt, gl;
	static const char *const gets[] = {"/api/layers/gia-lai", "/api/layers/gia-lai/versions/1",
					   "/api/layers/gia-lai/audit"};
	static const char *const posts[] = {"publish", "submit", "approve", "reject", "rollback"};
	char *out, *before, path[128], *rq = publish_req(BODY_B, "mật khẩu Kon Tum");
	int64_t audit0;

	add_user(h, "hoa", "editor", "gia-lai");
	add_user(h, "tuan", "editor", "kon-tum");
	login(h, "hoa", &gl);
	login(h, "tuan", &kt);
	ASSERT_EQ_INT(publish(h, &gl, "gia-lai", BODY_A, PW, NULL), 200);
	before = feed_file("gia-lai", "playlist.json.minisig", NULL);
	ASSERT_EQ_INT(as(h, &kt, "GET", "/api/layers", NULL, &out), 200);
	ASSERT_CONTAINS(out, "\"name\":\"kon-tum\"");
	ASSERT(!strstr(out, "gia-lai") && !strstr(out, "quoc-gia"));
	free(out);
	audit0 = count(h, "SELECT COUNT(*) FROM audit");
	for (size_t i = 0; i < 3; i++) {
		ASSERT_EQ_INT(as(h, &kt, "GET", gets[i], NULL, &out), 403);
		ASSERT_CONTAINS(out, "ngoài phạm vi");
		ASSERT(!strstr(out, "Xin chào"));
		free(out);
	}
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "/api/layers/gia-lai/%s", posts[i]);
		ASSERT_EQ_INT(as(h, &kt, "POST", path, rq, NULL), 403);
	}
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND actor "
			       "= 'tuan' AND target = 'gia-lai'"),
		      8);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit"), audit0 + 8);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions"), 1);
	out = feed_file("gia-lai", "playlist.json.minisig", NULL);
	ASSERT_EQ_STR(out, before);
	free(out);
	out = feed_file("gia-lai", "playlist.json", NULL);
	ASSERT_EQ_STR(out, BODY_A);
	free(out);
	free(before);
	free(rq);
	hub_close(h);
}

TEST(a_viewer_sees_no_layer_and_an_unknown_layer_is_404)
{
	struct hub *h = open_hub();
	struct session v;
	char *out;

	add_user(h, "xem", "viewer", "Gia Lai");
	login(h, "xem", &v);
	ASSERT_EQ_INT(as(h, &v, "GET", "/api/layers", NULL, &out), 200);
	ASSERT_EQ_STR(out, "{\"layers\":[]}");
	free(out);
	ASSERT_EQ_INT(as(h, &v, "GET", "/api/layers/gia-lai", NULL, NULL), 403);
	ASSERT_EQ_INT(publish(h, &v, "gia-lai", BODY_A, PW, NULL), 403);
	ASSERT_EQ_INT(as(h, &v, "GET", "/api/layers/ha-noi", NULL, NULL), 404);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	hub_close(h);
}

TEST(the_layer_page_shows_the_published_body_and_its_versions)
{
	struct hub *h = open_hub();
	struct session s;
	char *out;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, NULL), 200);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_B, PW, NULL), 200);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai", NULL, &out), 200);
	ASSERT_CONTAINS(out, "\"title\":\"Gia Lai\"");
	ASSERT_CONTAINS(out, "\"version\":2");
	ASSERT_CONTAINS(out, "Chào bà");
	ASSERT_CONTAINS(out, "\"versions\":[{\"version\":2,\"state\":\"published\"");
	free(out);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/versions/1", NULL, &out), 200);
	ASSERT_CONTAINS(out, "Xin chào");
	ASSERT_CONTAINS(out, "\"signature\":\"untrusted comment:");
	free(out);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/versions/9", NULL, NULL), 404);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/audit", NULL, &out), 200);
	ASSERT_CONTAINS(out, "\"action\":\"layer.publish\"");
	ASSERT_CONTAINS(out, "items +[b] -[a] ~[]");
	free(out);
	hub_close(h);
}

TEST(a_rollback_signs_the_old_body_anew)
{
	struct hub *h = open_hub();
	struct session s;
	struct ls_sig_info info;
	struct ls_error err;
	char *out, *body, *sig;
	size_t blen, slen;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, NULL), 200);
	fx_clock += 60;
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_B, PW, NULL), 200);
	ASSERT_EQ_INT(as(h, &s, "POST", "/api/layers/gia-lai/rollback",
			 "{\"version\": 1, \"password\": \"wrong\"}", NULL),
		      403);
	ASSERT_EQ_INT(as(h, &s, "POST", "/api/layers/gia-lai/rollback",
			 "{\"version\": 1, \"password\": \"" PW "\"}", &out),
		      200);
	ASSERT_CONTAINS(out, "\"version\":3");
	free(out);
	body = feed_file("gia-lai", "playlist.json", &blen);
	sig = feed_file("gia-lai", "playlist.json.minisig", &slen);
	ASSERT_EQ_STR(body, BODY_A);
	ASSERT_MSG(ls_sig_verify(&gl_pub, 1, body, blen, sig, slen, &info, &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_INT(info.timestamp, fx_clock + 1); /* after version 2's */
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions WHERE version = 3 AND note = "
			       "'rollback to version 1'"),
		      1);
	ASSERT_EQ_INT(as(h, &s, "POST", "/api/layers/gia-lai/rollback",
			 "{\"version\": 7, \"password\": \"" PW "\"}", NULL),
		      404);
	free(body);
	free(sig);
	hub_close(h);
}

TEST(approval_takes_an_editor_and_a_second_person)
{
	struct hub *h = open_hub();
	struct session ed, ap, ap2;
	char *out, *rq = publish_req(BODY_A, NULL);

	add_user(h, "hoa", "editor", "quoc-gia");
	add_user(h, "lan", "approver", "quoc-gia");
	add_user(h, "minh", "approver", "quoc-gia");
	login(h, "hoa", &ed);
	login(h, "lan", &ap);
	login(h, "minh", &ap2);
	ASSERT_EQ_INT(publish(h, &ed, "quoc-gia", BODY_A, "mật khẩu quốc gia", &out), 409);
	ASSERT_CONTAINS(out, "cần người duyệt");
	free(out);
	ASSERT_EQ_INT(as(h, &ed, "POST", "/api/layers/quoc-gia/submit", rq, &out), 200);
	ASSERT_CONTAINS(out, "\"state\":\"pending\"");
	free(out);
	ASSERT(feed_file("quoc-gia", "playlist.json", NULL) == NULL);
	/* the editor may not approve; nor may an approver approve their own */
	ASSERT_EQ_INT(as(h, &ed, "POST", "/api/layers/quoc-gia/approve",
			 "{\"version\": 1, \"password\": \"mật khẩu quốc gia\"}", NULL),
		      403);
	ASSERT_EQ_INT(as(h, &ap, "POST", "/api/layers/quoc-gia/submit", rq, NULL), 200);
	ASSERT_EQ_INT(as(h, &ap, "POST", "/api/layers/quoc-gia/approve",
			 "{\"version\": 2, \"password\": \"mật khẩu quốc gia\"}", &out),
		      403);
	ASSERT_CONTAINS(out, "không được tự duyệt");
	free(out);
	ASSERT(feed_file("quoc-gia", "playlist.json", NULL) == NULL);
	ASSERT_EQ_INT(as(h, &ap2, "POST", "/api/layers/quoc-gia/reject",
			 "{\"version\": 2, \"note\": \"trùng\"}", NULL),
		      200);
	ASSERT_EQ_INT(as(h, &ap, "POST", "/api/layers/quoc-gia/approve",
			 "{\"version\": 1, \"password\": \"mật khẩu quốc gia\"}", &out),
		      200);
	ASSERT_CONTAINS(out, "\"version\":1");
	free(out);
	out = feed_file("quoc-gia", "playlist.json", NULL);
	ASSERT_EQ_STR(out, BODY_A);
	free(out);
	ASSERT_EQ_INT(as(h, &ap2, "POST", "/api/layers/quoc-gia/approve",
			 "{\"version\": 1, \"password\": \"mật khẩu quốc gia\"}", NULL),
		      409);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions WHERE layer = 'quoc-gia' AND "
			       "((version = 1 AND state = 'published' AND submitted_by = 'hoa' AND "
			       "published_by = 'lan') OR (version = 2 AND state = 'rejected'))"),
		      2);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action IN ('layer.submit', "
			       "'layer.reject', 'layer.publish') AND target = 'quoc-gia'"),
		      4);
	free(rq);
	hub_close(h);
}
