/*
 * The studio's API over a real database: the lint gives the library's own
 * findings at the field and line:col of the editor's text, every field's
 * problem at once, in Vietnamese unless English is asked for; the previews
 * are real GIF and PNG pictures of the board's size; the timeline books the
 * periods the player's scheduler makes; sessions, roles, CSRF and bounds
 * are enforced.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/hub/auth.h"
#include "../src/hub/studio.h"
#include "hub_fixture.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/preview.h"

#define LOGIN_CSRF "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct editor {
	char cookie[160];
	char csrf[65];
};

static const char *cookie_value(const struct hub_response *rs, const char *name)
{
	static char v[128];
	size_t n = strlen(name);

	v[0] = '\0';
	for (int i = 0; i < rs->n_headers; i++)
		if (!strcmp(rs->headers[i][0], "Set-Cookie") &&
		    !strncmp(rs->headers[i][1], name, n) && rs->headers[i][1][n] == '=')
			snprintf(v, sizeof(v), "%.*s", (int)strcspn(rs->headers[i][1] + n + 1, ";"),
				 rs->headers[i][1] + n + 1);
	return v;
}

/* Opens a hub and logs in a user of role; the session in e. */
static void open_as(struct hub *h, const char *role, struct editor *e)
{
	struct hub_request rq;
	struct hub_response rs;
	struct ls_error err;
	cJSON *me;

	fx_open(h);
	fx_clock = 1796169600;
	ASSERT(hub_db_exec(h->db, "DELETE FROM audit", NULL, 0, NULL, NULL, NULL) >= 0);
	ASSERT_MSG(hub_user_add(h, "u", "correct-horse-1", role,
				!strcmp(role, "viewer") ? "Gia Lai" : "", false, &err) == 0,
		   "%s", err.msg);
	rq = fx_req("POST", "/api/login", "{\"name\":\"u\",\"password\":\"correct-horse-1\"}");
	rq.cookie = "hub_csrf=" LOGIN_CSRF;
	rq.csrf_header = LOGIN_CSRF;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	snprintf(e->cookie, sizeof(e->cookie), "hub_session=%s", cookie_value(&rs, "hub_session"));
	free(rs.body);
	rq = fx_req("GET", "/api/me", NULL);
	rq.cookie = e->cookie;
	ASSERT_EQ_INT(fx_do(h, &rq, &rs), 200);
	me = cJSON_Parse(rs.body);
	snprintf(e->csrf, sizeof(e->csrf), "%s", cJSON_GetObjectItem(me, "csrf")->valuestring);
	cJSON_Delete(me);
	free(rs.body);
}

/* POSTs body to path (with query args "k=v" pairs) as e; rs->body to free. */
static int post(struct hub *h, const struct editor *e, const char *path, const char *body,
		struct hub_response *rs, int n_args, const char *const *args)
{
	struct hub_request rq = fx_req("POST", path, body);

	rq.cookie = e->cookie;
	rq.csrf_header = e->csrf;
	for (int i = 0; i < n_args; i++) {
		rq.args[i].key = args[2 * i];
		rq.args[i].value = args[2 * i + 1];
	}
	rq.n_args = n_args;
	return fx_do(h, &rq, rs);
}

static cJSON *lint(struct hub *h, const struct editor *e, const char *body, const char *lang)
{
	struct hub_response rs;
	const char *args[] = {"lang", lang};
	cJSON *doc;

	ASSERT_EQ_INT(post(h, e, "/api/studio/lint", body, &rs, lang ? 1 : 0, args), 200);
	ASSERT_EQ_STR(rs.type, "application/json");
	doc = cJSON_Parse(rs.body);
	ASSERT(doc);
	free(rs.body);
	return doc;
}

/* The finding at path, or NULL. */
static const cJSON *finding(const cJSON *doc, const char *path)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings"))
	{
		if (!strcmp(cJSON_GetObjectItem(f, "path")->valuestring, path))
			return f;
	}
	return NULL;
}

static int num(const cJSON *o, const char *key)
{
	return (int)cJSON_GetObjectItem(o, key)->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItem(o, key)->valuestring;
}

/* An item with three mistakes: a time where the date should be, an hour
 * that does not exist, and text in TCVN3 bytes read as Windows-1252. */
static const char BAD[] =
    "{\"version\": 1, \"items\": [\n"
    "  {\"id\": \"ok\", \"text\": \"BHXH Việt Nam\"},\n"
    "  {\"id\": \"bad\", \"text\": \"B\xc2\xb6o hi\xc3\x93m x\xc2\xb7 h\xc3\xa9i\",\n"
    "   \"from\": \"07:30\",\n"
    "   \"windows\": [\"25:00-26:00\"]}\n"
    "]}\n";

TEST(lint_shows_every_field_problem_of_an_item_at_its_field_and_line_col)
{
	struct hub h;
	struct editor e;
	cJSON *doc;
	const cJSON *from, *win, *text;

	open_as(&h, "editor", &e);
	doc = lint(&h, &e, BAD, "en");
	ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(doc, "ok")));
	ASSERT(cJSON_IsFalse(cJSON_GetObjectItem(doc, "parsed")));
	from = finding(doc, "items[1].from");
	win = finding(doc, "items[1].windows[0]");
	text = finding(doc, "items[1].text");
	ASSERT_MSG(from && win && text, "findings: %s", cJSON_PrintUnformatted(doc));
	ASSERT_EQ_STR(str(from, "level"), "error");
	ASSERT_EQ_INT(num(from, "item"), 1);
	ASSERT_EQ_STR(str(from, "field"), "from");
	ASSERT_EQ_INT(num(from, "line"), 4);
	ASSERT_EQ_INT(num(from, "col"), 12);
	ASSERT_CONTAINS(str(from, "message"), "\"07:30\" is not a date");
	ASSERT_EQ_STR(str(from, "where"), "playlist.json:4:12");
	ASSERT_EQ_STR(str(win, "field"), "windows");
	ASSERT_EQ_INT(num(win, "line"), 5);
	ASSERT_EQ_INT(num(win, "col"), 16);
	ASSERT_CONTAINS(str(win, "message"), "not a time of day");
	ASSERT_EQ_STR(str(text, "level"), "warning");
	ASSERT_EQ_INT(num(text, "line"), 3);
	ASSERT_EQ_INT(num(text, "col"), 25);
	ASSERT_CONTAINS(str(text, "message"), "TCVN3");
	ASSERT_EQ_INT(num(doc, "errors"), 2);
	ASSERT(!finding(doc, "items[0].text")); /* the good item says nothing */
	cJSON_Delete(doc);
	hub_close(&h);
}

/* A message with a count (ls_ntr()) is in the page's language too: the
 * catalogue's one form on a Vietnamese page, the English singular on an
 * English one. */
TEST(lint_counts_read_in_the_page_language)
{
	static const char glyph[] =
	    "{\"version\": 1, \"items\": [\n"
	    "  {\"id\": \"a\", \"text\": \"Bệnh viện \xf0\x9f\x8f\xa5\"}]}\n";
	struct hub h;
	struct editor e;
	cJSON *vi, *en;
	const cJSON *fv, *fe;

	open_as(&h, "editor", &e);
	vi = lint(&h, &e, glyph, NULL);
	en = lint(&h, &e, glyph, "en");
	fv = finding(vi, "items[0].text");
	fe = finding(en, "items[0].text");
	ASSERT_MSG(fv && fe, "findings: %s", cJSON_PrintUnformatted(vi));
	ASSERT_CONTAINS(str(fv, "message"), "1 ký tự không có trong phông chữ của bảng");
	ASSERT_CONTAINS(str(fe, "message"), "1 character has no glyph in the board's fonts");
	cJSON_Delete(vi);
	cJSON_Delete(en);
	hub_close(&h);
}

/* The first line `ledsign validate` prints for a file: the library's lint, as is. */
struct first {
	char text[LS_ERROR_MAX + 64];
};

static void keep_first(void *ctx, const struct ls_lint_finding *f)
{
	struct first *fi = ctx;

	if (!fi->text[0])
		snprintf(fi->text, sizeof(fi->text), "%s", f->text);
}

TEST(lint_says_exactly_what_ledsign_validate_says_first)
{
	struct hub h;
	struct editor e;
	struct ls_config cfg;
	struct ls_player_config pc;
	struct first fi = {{0}};
	struct ls_lint_options lo = {.board = &pc,
				     .have_at = true,
				     .at = 1796169600,
				     .localtime = ls_localtime,
				     .tz_known = ls_tz_known,
				     .report = keep_first,
				     .ctx = &fi};
	struct ls_lint *l;
	char want[LS_ERROR_MAX + 64];
	cJSON *doc;
	const cJSON *f;

	open_as(&h, "editor", &e);
	ls_config_defaults(&cfg);
	ls_config_default_fonts(&cfg);
	ls_player_config_from(&pc, &cfg);
	l = ls_lint_new(&lo, NULL);
	ls_lint_add(l, "playlist.json", BAD, strlen(BAD));
	ls_lint_run(l);
	ls_lint_free(l);
	doc = lint(&h, &e, BAD, "en");
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	snprintf(want, sizeof(want), "%s: %s", str(f, "where"), str(f, "message"));
	ASSERT_EQ_STR(want, fi.text);
	ASSERT_EQ_INT(num(f, "round"), 0);
	cJSON_Delete(doc);
	hub_close(&h);
}

TEST(lint_speaks_vietnamese_unless_asked_for_english)
{
	struct hub h;
	struct editor e;
	cJSON *doc;

	open_as(&h, "editor", &e);
	doc = lint(&h, &e, BAD, NULL);
	ASSERT_CONTAINS(str(finding(doc, "items[1].from"), "message"), "\"07:30\" không phải ngày");
	ASSERT_CONTAINS(str(finding(doc, "items[1].windows[0]"), "message"),
			"không phải giờ trong ngày");
	cJSON_Delete(doc);
	doc = lint(&h, &e, BAD, "en");
	ASSERT_CONTAINS(str(finding(doc, "items[1].from"), "message"), "is not a date");
	cJSON_Delete(doc);
	hub_close(&h);
}

TEST(lint_passes_the_shipped_national_playlist)
{
	struct hub h;
	struct editor e;
	char *buf;
	size_t len;
	struct ls_error err;
	cJSON *doc;

	open_as(&h, "editor", &e);
	buf = ls_playlist_read(th_path("content/national.json"), &len, &err);
	ASSERT(buf && (buf = realloc(buf, len + 1)));
	buf[len] = '\0';
	doc = lint(&h, &e, buf, "en");
	ASSERT_MSG(cJSON_IsTrue(cJSON_GetObjectItem(doc, "ok")), "%s", cJSON_PrintUnformatted(doc));
	ASSERT_EQ_INT(num(doc, "errors"), 0);
	cJSON_Delete(doc);
	free(buf);
	hub_close(&h);
}

TEST(lint_of_text_that_is_not_json_points_at_the_place)
{
	struct hub h;
	struct editor e;
	cJSON *doc;
	const cJSON *f;

	open_as(&h, "editor", &e);
	doc = lint(&h, &e, "{\"version\": 1,\n \"items\": [ {\"id\": \"a\" \"text\": \"x\"} ]}",
		   "en");
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	ASSERT(f);
	ASSERT_EQ_STR(str(f, "level"), "error");
	ASSERT_EQ_INT(num(f, "line"), 2);
	ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "findings")), 1);
	cJSON_Delete(doc);
	hub_close(&h);
}

static uint16_t le16(const char *p)
{
	return (uint16_t)((unsigned char)p[0] | (unsigned char)p[1] << 8);
}

static uint32_t be32(const char *p)
{
	return (uint32_t)(unsigned char)p[0] << 24 | (uint32_t)(unsigned char)p[1] << 16 |
	       (uint32_t)(unsigned char)p[2] << 8 | (unsigned char)p[3];
}

/* Image frames in a GIF (its image separators, walking the blocks). */
static int gif_frames(const char *g, size_t len)
{
	size_t p = 13 + ((g[10] & 0x80) ? 3u << ((g[10] & 7) + 1) : 0);
	int frames = 0;

	while (p < len && g[p] != 0x3b) {
		if (g[p] == 0x21) { /* extension: label, sub-blocks */
			p += 2;
		} else if (g[p] == 0x2c) {
			frames++;
			p += 10 + ((g[p + 9] & 0x80) ? 3u << ((g[p + 9] & 7) + 1) : 0) + 1;
		} else {
			return -1;
		}
		while (p < len && g[p])
			p += (unsigned char)g[p] + 1;
		p++;
	}
	return p < len ? frames : -1;
}

static const char ONE[] = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"BHXH Việt Nam\","
			  "\"effect\":\"static\",\"duration\":2},{\"id\":\"b\",\"text\":\"Bảo hiểm "
			  "y tế học sinh, sinh viên\",\"effect\":\"scroll-left\"}]}";

TEST(preview_is_an_animated_gif_of_the_board_size)
{
	static const struct {
		const char *board;
		int w, h, scale; /* LEDs, and picture pixels per LED (narrower for wide boards) */
		bool mono;
	} boards[] = {{"192x16", 192, 16, 6, true},
		      {"64x32:rgb", 64, 32, 6, false},
		      {"512x64", 512, 64, 2, true}};
	struct hub h;
	struct editor e;
	struct hub_response rs;

	open_as(&h, "editor", &e);
	for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
		const char *args[] = {"item", "1", "board", boards[i].board, "seconds", "4"};
		ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", ONE, &rs, 3, args), 200);
		ASSERT_EQ_STR(rs.type, "image/gif");
		ASSERT(rs.len > 100 && !memcmp(rs.body, "GIF89a", 6));
		struct ls_preview_style st = {.scale = boards[i].scale, .mono = boards[i].mono};
		struct ls_preview *pv = ls_preview_new(boards[i].w, boards[i].h, &st, NULL);
		ASSERT(pv);
		ASSERT_EQ_INT(le16(rs.body + 6), ls_preview_width(pv));
		ASSERT_EQ_INT(le16(rs.body + 8), ls_preview_height(pv));
		ASSERT(ls_preview_width(pv) > boards[i].w * boards[i].scale);
		ls_preview_free(pv);
		ASSERT_EQ_INT((unsigned char)rs.body[rs.len - 1], 0x3b);
		ASSERT_MSG(gif_frames(rs.body, rs.len) > 10, "%s: %d frames", boards[i].board,
			   gif_frames(rs.body, rs.len));
		free(rs.body);
	}
	hub_close(&h);
}

TEST(preview_refuses_what_it_cannot_draw_and_says_why)
{
	struct hub h;
	struct editor e;
	struct hub_response rs;
	const char *no_item[] = {"item", "7"}, *long_run[] = {"seconds", "31"},
		   *huge[] = {"board", "4096x4096"}, *junk[] = {"board", "192x16;drop"};

	open_as(&h, "editor", &e);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", ONE, &rs, 1, no_item), 422);
	ASSERT_CONTAINS(rs.body, "không có mục 7"); /* the studio speaks Vietnamese first */
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", ONE, &rs, 1, long_run), 400);
	ASSERT_CONTAINS(rs.body, "seconds=31");
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", ONE, &rs, 1, huge), 400);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", ONE, &rs, 1, junk), 400);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/preview", BAD, &rs, 0, NULL), 422);
	ASSERT_CONTAINS(rs.body, "items[1].from");
	free(rs.body);
	hub_close(&h);
}

TEST(sheet_is_a_png_with_every_item)
{
	struct hub h;
	struct editor e;
	struct hub_response rs;

	open_as(&h, "editor", &e);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/sheet", ONE, &rs, 0, NULL), 200);
	ASSERT_EQ_STR(rs.type, "image/png");
	ASSERT(rs.len > 100 && !memcmp(rs.body, "\x89PNG\r\n\x1a\n", 8));
	ASSERT(be32(rs.body + 16) >= 960);
	ASSERT(be32(rs.body + 20) > 2 * 16 * 6); /* two items' pictures and their labels */
	free(rs.body);
	hub_close(&h);
}

/* The sheet's labels are the page's language: the same sheet in English
 * twice is the same picture, in Vietnamese (the default) another. */
TEST(sheet_labels_are_in_the_page_language)
{
	const char *en[] = {"lang", "en"};
	struct hub h;
	struct editor e;
	struct hub_response a, b, vi;

	open_as(&h, "editor", &e);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/sheet", ONE, &a, 1, en), 200);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/sheet", ONE, &b, 1, en), 200);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/sheet", ONE, &vi, 0, NULL), 200);
	ASSERT(a.len == b.len && !memcmp(a.body, b.body, a.len));
	ASSERT(vi.len != a.len || memcmp(vi.body, a.body, a.len));
	free(a.body);
	free(b.body);
	free(vi.body);
	hub_close(&h);
}

TEST(timeline_books_the_periods_the_scheduler_makes)
{
	static const char pl[] = "{\"version\":1,\"items\":["
				 "{\"id\":\"always\",\"text\":\"BHXH\",\"duration\":5},"
				 "{\"id\":\"morning\",\"text\":\"Giờ làm việc\",\"duration\":5,"
				 "\"windows\":[\"07:00-11:30\"],\"days\":[\"mon-fri\"]}]}";
	const char *args[] = {"from", "1795971600", "days", "7"}; /* Mon 2026-11-30 00:00 +07 */
	struct hub h;
	struct editor e;
	struct hub_response rs;
	cJSON *doc;
	const cJSON *periods, *p;
	int64_t covered = 0, prev_to = 1795971600;
	int with_morning = 0;

	open_as(&h, "editor", &e);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/timeline", pl, &rs, 2, args), 200);
	doc = cJSON_Parse(rs.body);
	free(rs.body);
	periods = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "zones"), 0),
				      "periods");
	cJSON_ArrayForEach(p, periods)
	{
		int64_t from = (int64_t)cJSON_GetObjectItem(p, "from")->valuedouble,
			to = (int64_t)cJSON_GetObjectItem(p, "to")->valuedouble;
		const cJSON *it;
		ASSERT_EQ_INT(from, prev_to);
		covered += to - from;
		prev_to = to;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(p, "items"))
		{
			if (!strcmp(str(it, "id"), "morning")) {
				with_morning++;
				ASSERT_EQ_INT((from + 7 * 3600) % 86400,
					      7 * 3600); /* 07:00 local */
				ASSERT_EQ_INT(to - from, 4 * 3600 + 1800);
			}
		}
	}
	ASSERT_EQ_INT(covered, 7 * 86400);
	ASSERT_EQ_INT(with_morning, 5); /* Monday to Friday */
	ASSERT_EQ_INT(cJSON_GetArraySize(periods), 11);
	cJSON_Delete(doc);
	hub_close(&h);
}

TEST(studio_needs_a_session_an_editor_and_the_csrf_token)
{
	struct hub h;
	struct editor e;
	struct hub_response rs;
	struct hub_request rq;
	static char big[HUB_STUDIO_MAX_BODY + 2];

	open_as(&h, "viewer", &e);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/lint", ONE, &rs, 0, NULL), 403);
	ASSERT_CONTAINS(rs.body, "dành cho người biên tập");
	free(rs.body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'studio.refused'"), 1);
	hub_close(&h);

	open_as(&h, "editor", &e);
	rq = fx_req("POST", "/api/studio/lint", ONE);
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 401);
	free(rs.body);
	rq.cookie = e.cookie;
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 403); /* no CSRF token */
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/lint", "", &rs, 0, NULL), 400);
	free(rs.body);
	memset(big, ' ', sizeof(big) - 1);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/lint", big, &rs, 0, NULL), 413);
	free(rs.body);
	ASSERT_EQ_INT(post(&h, &e, "/api/studio/nothing", ONE, &rs, 0, NULL), 404);
	free(rs.body);
	hub_close(&h);
}

TEST(catalogue_reader_refuses_a_broken_file_and_finds_translations)
{
	char path[4200], dir[4096];
	struct ls_error err;
	struct hub_catalog *c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vi/LC_MESSAGES/ledsign.mo",
		 ls_locale_dir(dir, sizeof(dir)));
	c = hub_catalog_load(path, &err);
	ASSERT_MSG(c, "%s", err.msg);
	ASSERT_EQ_STR(hub_catalog_get(c, "no such message at all"), "no such message at all");
	ASSERT(strcmp(hub_catalog_get(c, "%s: %s.windows: at most %d windows"),
		      "%s: %s.windows: at most %d windows"));
	hub_catalog_free(c);
	snprintf(path, sizeof(path), "%s/bad.mo", th_tmpdir());
	f = fopen(path, "wb");
	fwrite("\xde\x12\x04\x95\0\0\0\0\xff\xff\xff\x0f\x1c\0\0\0\x1c\0\0\0\0\0\0\0\0\0\0\0", 1,
	       28, f);
	fclose(f);
	ASSERT(!hub_catalog_load(path, &err));
	ASSERT_CONTAINS(err.msg, "outside the file");
}
