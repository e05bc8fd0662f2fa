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
#include <unistd.h>

#include <cJSON.h>

#include "../src/hub/auth.h"
#include "../src/hub/publish.h"
#include "../src/hub/studio.h"
#include "ledsign/picture.h"
#include "ledsign/playlist.h"
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

/* ---- pictures: the layer's store, the studio, the publish ---- */

#define EMBLEM_SHA "386ac40ebc6445623aa406c72b35acf09c5130b62ece0b6d82bf21f54c07a8b1"
#define PIC_BODY                                                                                   \
	"{\"version\": 1, \"items\": [{\"id\": \"a\", \"text\": \"BHXH Gia Lai\", "                \
	"\"picture\": {\"file\": \"pictures/emblem.png\", \"sha256\": \"" EMBLEM_SHA "\"}}]}"

static char *test_file(const char *path, size_t *len)
{
	struct ls_error err;
	char *buf = NULL;

	ASSERT_MSG(hub_read_file(path, 1 << 20, &buf, len, &err) == 0, "%s", err.msg);
	return buf;
}

/* POSTs the len bytes at buf to /api/layers/LAYER/pictures?name=name as s. */
static int upload(struct hub *h, const struct session *s, const char *layer, const char *name,
		  const char *buf, size_t len, char **out)
{
	char path[128];
	struct hub_request rq;
	struct hub_response rs;
	int st;

	snprintf(path, sizeof(path), "/api/layers/%s/pictures", layer);
	rq = fx_req("POST", path, NULL);
	rq.body = buf;
	rq.body_len = len;
	rq.content_type = "image/png";
	rq.cookie = s->cookie;
	rq.csrf_header = s->csrf;
	rq.args[0].key = "name";
	rq.args[0].value = name;
	rq.n_args = 1;
	st = fx_do(h, &rq, &rs);
	if (out)
		*out = rs.body;
	else
		free(rs.body);
	return st;
}

static int upload_emblem(struct hub *h, const struct session *s, const char *layer, char **out)
{
	size_t len;
	char *png = test_file("tests/data/pictures/emblem.png", &len);
	int st = upload(h, s, layer, "pictures/emblem.png", png, len, out);

	free(png);
	return st;
}

/* How many files the store of layer holds (0 when it does not exist). */
static int stored(const char *layer)
{
	char cmd[1200];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s/pictures/%s 2>/dev/null | wc -l", th_tmpdir(), layer);
	ASSERT((f = popen(cmd, "r")));
	ASSERT(fscanf(f, "%d", &n) == 1);
	pclose(f);
	return n;
}

TEST(an_uploaded_picture_is_stored_by_its_hash_and_answered_with_path_and_sha256)
{
	struct hub *h = open_hub();
	struct session s;
	char *out, path[1200];
	size_t len, got;
	char *png = test_file("tests/data/pictures/emblem.png", &len), *kept;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(upload_emblem(h, &s, "gia-lai", &out), 200);
	ASSERT_CONTAINS(out, "\"path\":\"pictures/emblem.png\"");
	ASSERT_CONTAINS(out, "\"sha256\":\"" EMBLEM_SHA "\"");
	ASSERT_CONTAINS(out, "\"width\":32");
	free(out);
	snprintf(path, sizeof(path), "%s/pictures/gia-lai/" EMBLEM_SHA, th_tmpdir());
	kept = test_file(path, &got);
	ASSERT(got == len && !memcmp(kept, png, len));
	free(kept);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.picture' AND "
			       "target = 'gia-lai' AND actor = 'hoa' AND detail LIKE "
			       "'picture pictures/emblem.png, sha256 386ac40ebc644562, %'"),
		      1);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/pictures", NULL, &out), 200);
	ASSERT_CONTAINS(out, EMBLEM_SHA);
	free(out);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/pictures/" EMBLEM_SHA, NULL, &out),
		      200);
	ASSERT(!memcmp(out, png, len));
	free(out);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/gia-lai/pictures/../../hub.db", NULL, NULL),
		      404);
	free(png);
	/* An animated GIF is a picture too, checked and served as what it is. */
	png = test_file("content/pictures/firework.gif", &len);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "pictures/firework.gif", png, len, &out), 200);
	ASSERT_CONTAINS(
	    out, "\"sha256\":\"8883cd92fc8b3297e8a4fd2512c3696ba71115b69563fc5df8eaff1185566bbd\"");
	free(out);
	{
		struct hub_request rq =
		    fx_req("GET",
			   "/api/layers/gia-lai/pictures/"
			   "8883cd92fc8b3297e8a4fd2512c3696ba71115b69563fc5df8eaff1185566bbd",
			   NULL);
		struct hub_response rs;
		rq.cookie = s.cookie;
		ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
		ASSERT_EQ_STR(rs.type, "image/gif");
		ASSERT(rs.len == len && !memcmp(rs.body, png, len));
		free(rs.body);
	}
	free(png);
	hub_close(h);
}

TEST(hostile_or_foreign_uploads_are_refused_with_a_reason_and_nothing_is_stored)
{
	struct hub *h = open_hub();
	struct session s;
	char *out, *big = calloc(1, LS_PICTURE_MAX_BYTES + 1), *bomb;
	size_t len;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	memcpy(big, "\x89PNG\r\n\x1a\n", 8);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "big.png", big, LS_PICTURE_MAX_BYTES + 1, &out),
		      413);
	ASSERT_CONTAINS(out, "262144");
	free(out);
	bomb = test_file("tests/data/pictures/bomb.png", &len);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "bomb.png", bomb, len, &out), 422);
	ASSERT_CONTAINS(out, "1000x1000");
	free(out);
	free(bomb);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "a.png", "GIF89a not a png", 16, &out), 422);
	ASSERT_CONTAINS(out, "a.png");
	free(out);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "../a.png", "x", 1, NULL), 400);
	ASSERT_EQ_INT(upload(h, &s, "gia-lai", "https://x/a.png", "x", 1, NULL), 400);
	ASSERT_EQ_INT(stored("gia-lai"), 0);
	ASSERT_EQ_INT(upload_emblem(h, &s, "kon-tum", NULL), 403);
	ASSERT_EQ_INT(stored("kon-tum"), 0);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND "
			       "target = 'kon-tum' AND actor = 'hoa' AND detail LIKE "
			       "'POST /api/layers/kon-tum/pictures:%'"),
		      1);
	ASSERT_EQ_INT(as(h, &s, "GET", "/api/layers/kon-tum/pictures", NULL, NULL), 403);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM audit WHERE action = 'layer.picture'"), 0);
	free(big);
	hub_close(h);
}

/* Loads pictures from tests/data, as `ledsign preview` beside the files. */
static struct ls_image *load_test_data(void *ctx, const char *playlist,
				       const struct ls_item_picture *pic, struct ls_error *err)
{
	char path[512];

	(void)ctx;
	(void)playlist;
	snprintf(path, sizeof(path), "tests/data/%s", pic->file);
	return ls_picture_load(path, pic->sha256, err);
}

/* POSTs body to /api/studio/WHAT?layer=layer (NULL: none) as s. */
static int studio(struct hub *h, const struct session *s, const char *what, const char *layer,
		  const char *body, struct hub_response *rs)
{
	char path[64];
	struct hub_request rq;

	snprintf(path, sizeof(path), "/api/studio/%s", what);
	rq = fx_req("POST", path, body);
	rq.cookie = s->cookie;
	rq.csrf_header = s->csrf;
	rq.args[0].key = "layer";
	rq.args[0].value = layer;
	rq.n_args = layer ? 1 : 0;
	return fx_do(h, &rq, rs);
}

TEST(the_studio_draws_an_items_picture_from_the_layers_store_as_boards_do)
{
	struct hub *h = open_hub();
	struct session s;
	struct hub_response rs;
	struct hub_board_kind b = {192, 16, false};
	struct ls_picture_provider files = {load_test_data, NULL};
	struct hub_blob want;
	struct ls_error err;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(studio(h, &s, "lint", "gia-lai", PIC_BODY, &rs), 200);
	ASSERT_CONTAINS(rs.body, "\"ok\":false");
	ASSERT_CONTAINS(rs.body, "386ac40ebc644562");
	ASSERT_CONTAINS(rs.body, "gia-lai");
	free(rs.body);
	ASSERT_EQ_INT(studio(h, &s, "sheet", "gia-lai", PIC_BODY, &rs), 422);
	free(rs.body);
	ASSERT_EQ_INT(upload_emblem(h, &s, "gia-lai", NULL), 200);
	ASSERT_EQ_INT(studio(h, &s, "lint", "gia-lai", PIC_BODY, &rs), 200);
	ASSERT_CONTAINS(rs.body, "\"ok\":true");
	free(rs.body);
	ASSERT_EQ_INT(studio(h, &s, "lint", NULL, PIC_BODY, &rs), 200);
	ASSERT_CONTAINS(rs.body, "\"ok\":false");
	free(rs.body);
	ASSERT_EQ_INT(studio(h, &s, "lint", "kon-tum", PIC_BODY, &rs), 403);
	free(rs.body);
	ASSERT_EQ_INT(studio(h, &s, "preview", "gia-lai", PIC_BODY, &rs), 200);
	ASSERT_EQ_STR(rs.type, "image/gif");
	free(rs.body);
	ASSERT_EQ_INT(studio(h, &s, "sheet", "gia-lai", PIC_BODY, &rs), 200);
	hub_lang_begin(NULL, NULL); /* the labels in the request's language, Vietnamese */
	ASSERT_MSG(hub_preview_sheet(PIC_BODY, strlen(PIC_BODY), &b, &files, fx_clock, th_tmpdir(),
				     &want, &err) == 0,
		   "%s", err.msg);
	hub_lang_end();
	ASSERT(rs.len == want.len && !memcmp(rs.body, want.data, want.len));
	free(want.data);
	free(rs.body);
	hub_close(h);
}

TEST(a_picture_missing_from_the_store_refuses_the_publish_and_says_what_to_do)
{
	struct hub *h = open_hub();
	struct session s;
	char *out, dir[1100];
	struct stat st;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", PIC_BODY, PW, &out), 422);
	ASSERT_CONTAINS(out, "items[0].picture (a): pictures/emblem.png");
	ASSERT_CONTAINS(out, "386ac40ebc644562");
	ASSERT_CONTAINS(out, "gia-lai");
	free(out);
	ASSERT(feed_file("gia-lai", "playlist.json", NULL) == NULL);
	snprintf(dir, sizeof(dir), "%s/feed/gia-lai/pictures", th_tmpdir());
	ASSERT(stat(dir, &st) != 0);
	ASSERT_EQ_INT(count(h, "SELECT COUNT(*) FROM versions"), 0);
	hub_close(h);
}

TEST(a_publish_installs_the_picture_beside_the_playlist_and_a_board_verifies_both)
{
	struct hub *h = open_hub();
	struct session s;
	struct ls_sig_info info;
	struct ls_error err;
	struct ls_playlist *pl;
	uint8_t sha[32];
	char *out, *body, *sig, path[1100];
	size_t blen, slen, plen;
	uint8_t *png;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(upload_emblem(h, &s, "gia-lai", NULL), 200);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", PIC_BODY, PW, &out), 200);
	free(out);
	body = feed_file("gia-lai", "playlist.json", &blen);
	sig = feed_file("gia-lai", "playlist.json.minisig", &slen);
	ASSERT(body && sig);
	ASSERT_MSG(ls_sig_verify(&gl_pub, 1, body, blen, sig, slen, &info, &err) == 0, "%s",
		   err.msg);
	snprintf(path, sizeof(path), "%s/feed/gia-lai/pictures/emblem.png", th_tmpdir());
	sodium_hex2bin(sha, 32, EMBLEM_SHA, 64, NULL, NULL, NULL);
	ASSERT_MSG((png = ls_picture_read(path, sha, &plen, &err)) != NULL, "%s", err.msg);
	free(png);
	/* What a board does with the files: the playlist, its picture by its hash. */
	snprintf(path, sizeof(path), "%s/feed/gia-lai/playlist.json", th_tmpdir());
	ASSERT_MSG((pl = ls_playlist_load(path, &err)) != NULL, "%s", err.msg);
	ASSERT(pl->items[0].picture && pl->items[0].picture->image);
	ASSERT_EQ_INT(pl->items[0].picture->image->w, 32);
	ls_playlist_free(pl);
	free(body);
	free(sig);
	hub_close(h);
}

TEST(a_rollback_installs_the_pictures_of_the_version_it_brings_back)
{
	struct hub *h = open_hub();
	struct session s;
	char *out, path[1100];
	struct stat st;

	add_user(h, "hoa", "editor", "gia-lai");
	login(h, "hoa", &s);
	ASSERT_EQ_INT(upload_emblem(h, &s, "gia-lai", NULL), 200);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", PIC_BODY, PW, NULL), 200);
	ASSERT_EQ_INT(publish(h, &s, "gia-lai", BODY_A, PW, NULL), 200);
	snprintf(path, sizeof(path), "%s/feed/gia-lai/pictures/emblem.png", th_tmpdir());
	ASSERT(unlink(path) == 0);
	ASSERT_EQ_INT(as(h, &s, "POST", "/api/layers/gia-lai/rollback",
			 "{\"version\": 1, \"password\": \"" PW "\"}", &out),
		      200);
	free(out);
	ASSERT(stat(path, &st) == 0 && st.st_size == 181);
	ASSERT((out = feed_file("gia-lai", "playlist.json", NULL)));
	ASSERT_EQ_STR(out, PIC_BODY);
	free(out);
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
