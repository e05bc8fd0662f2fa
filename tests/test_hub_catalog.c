/*
 * The hub's answers in the reader's language (src/hub/catalog.c):
 * Vietnamese unless the request asks for English first, for the routes' own
 * refusals and for the library's messages inside them; outside a request
 * the process's language stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_fixture.h"

#define TOKEN "Zm9yLXRoZS10ZXN0LWJvYXJkLTE"

/* rq answered; its body (caller frees). */
static char *answer(struct hub *h, struct hub_request *rq, int want)
{
	struct hub_response rs;

	ASSERT_EQ_INT(fx_do(h, rq, &rs), want);
	return rs.body;
}

TEST(english_only_when_the_request_names_en_before_vi)
{
	ASSERT(!hub_lang_english(NULL, NULL));
	ASSERT(!hub_lang_english(NULL, ""));
	ASSERT(hub_lang_english(NULL, "en"));
	ASSERT(hub_lang_english(NULL, "en-US,en;q=0.9"));
	ASSERT(hub_lang_english(NULL, "EN-gb"));
	ASSERT(!hub_lang_english(NULL, "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"));
	ASSERT(hub_lang_english(NULL, "fr-FR, en;q=0.5, vi;q=0.3"));
	ASSERT(!hub_lang_english(NULL, "fr-FR,de"));
	ASSERT(!hub_lang_english(NULL, "en;q=0, vi"));
	ASSERT(!hub_lang_english(NULL, "eng,env"));
	ASSERT(hub_lang_english("en", "vi-VN"));
	ASSERT(!hub_lang_english("vi", "en-US"));
	ASSERT(!hub_lang_english("fr", "en-US"));
}

TEST(a_refusal_is_vietnamese_by_default_and_english_on_request)
{
	struct hub h;
	struct hub_request rq = fx_req("GET", "/api/nothing-here", NULL);
	char *body;

	fx_open(&h);
	body = answer(&h, &rq, 404);
	ASSERT_EQ_STR(body, "{\"error\":\"không có API: /api/nothing-here\"}");
	free(body);
	rq.accept_language = "en-US,en;q=0.9,vi;q=0.8";
	body = answer(&h, &rq, 404);
	ASSERT_EQ_STR(body, "{\"error\":\"no such API: /api/nothing-here\"}");
	free(body);
	rq.accept_language = "vi-VN,vi;q=0.9,en;q=0.8";
	body = answer(&h, &rq, 404);
	ASSERT_CONTAINS(body, "không có API");
	free(body);
	rq.n_args = 1;
	rq.args[0].key = "lang";
	rq.args[0].value = "en";
	body = answer(&h, &rq, 404);
	ASSERT_CONTAINS(body, "no such API");
	free(body);
	hub_close(&h);
}

/* A board's heartbeat refused: the hub's sentence and the parser's message
 * inside it (ls_error_set) are both in the request's language. */
TEST(the_library_message_inside_an_answer_follows_the_request)
{
	struct hub h;
	struct hub_request rq = fx_req("POST", "/api/heartbeat", "{\"board\":\"\"}");
	struct ls_error err;
	char *body;

	fx_open(&h);
	ASSERT_MSG(hub_board_accept(&h, "b1", TOKEN, "Hà Nội", NULL, NULL, "test", &err) == 0, "%s",
		   err.msg);
	rq.authorization = "Bearer " TOKEN;
	body = answer(&h, &rq, 400);
	ASSERT_CONTAINS(body, "nhịp báo bị từ chối: ");
	ASSERT_CONTAINS(body, "; không lưu gì");
	ASSERT(!strstr(body, "missing") && !strstr(body, "empty"));
	free(body);
	rq.accept_language = "en";
	body = answer(&h, &rq, 400);
	ASSERT_CONTAINS(body, "heartbeat refused: ");
	ASSERT_CONTAINS(body, "; nothing stored");
	free(body);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 0);
	hub_close(&h);
}

TEST(outside_a_request_the_process_language_stays)
{
	struct hub h;
	struct hub_request rq = fx_req("GET", "/api/nothing-here", NULL);
	struct ls_error err;

	fx_open(&h);
	free(answer(&h, &rq, 404));
	/* The test runs in the C locale: gettext answers English. */
	ASSERT_EQ_STR(hub_tr("no such layer"), "no such layer");
	ls_error_set(&err, "no such layer: %s", "x");
	ASSERT_EQ_STR(err.msg, "no such layer: x");
	hub_lang_begin(NULL, NULL);
	ASSERT_EQ_STR(hub_tr("no such layer"), "không có lớp này");
	hub_lang_end();
	ASSERT_EQ_STR(hub_tr("no such layer"), "no such layer");
	hub_close(&h);
}

/* A board's reason (the scheduler's English, in its heartbeat) is shown in
 * the reader's language on the fleet's pages. */
TEST(a_boards_reason_reads_in_the_readers_language)
{
	static const char csrf[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct hub h;
	struct hub_request rq;
	struct hub_response rs;
	struct ls_error err;
	char cookie[128] = "", *body;

	fx_open(&h);
	ASSERT_MSG(hub_board_accept(&h, "b1", TOKEN, "Hà Nội", NULL, NULL, "test", &err) == 0, "%s",
		   err.msg);
	rq = fx_req("POST", "/api/heartbeat",
		    "{\"board\":\"b1\",\"time\":1796169300,\"uptime_s\":900,\"seq\":1,"
		    "\"from\":1796169000,\"to\":1796169300,\"current\":{\"id\":\"x\","
		    "\"seconds\":1,\"problem\":\"\"},\"reason\":\"nothing scheduled now: the "
		    "playlist's default item plays\",\"items\":[{\"id\":\"x\",\"plays\":1,"
		    "\"seconds\":1}]}");
	rq.authorization = "Bearer " TOKEN;
	free(answer(&h, &rq, 200));
	ASSERT_MSG(hub_user_add(&h, "admin", "a-long-password", "admin", "", false, &err) == 0,
		   "%s", err.msg);
	rq = fx_req("POST", "/api/login", "{\"name\":\"admin\",\"password\":\"a-long-password\"}");
	rq.cookie = "hub_csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	rq.csrf_header = csrf;
	ASSERT_EQ_INT(fx_do(&h, &rq, &rs), 200);
	for (int i = 0; i < rs.n_headers; i++)
		if (!strncmp(rs.headers[i][1], "hub_session=", 12))
			snprintf(cookie, sizeof(cookie), "%.76s", rs.headers[i][1]);
	free(rs.body);
	rq = fx_req("GET", "/api/boards/b1", NULL);
	rq.cookie = cookie;
	body = answer(&h, &rq, 200);
	ASSERT_CONTAINS(body, "\"reason\":\"hiện không có gì trong lịch phát: phát mục mặc định");
	free(body);
	rq.accept_language = "en";
	body = answer(&h, &rq, 200);
	ASSERT_CONTAINS(body,
			"\"reason\":\"nothing scheduled now: the playlist's default item plays\"");
	free(body);
	hub_close(&h);
}
