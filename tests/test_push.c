/*
 * test_push.c: the push channel's event-stream parser: messages split across
 * reads, data lines joined, comments and other fields ignored, CRLF, and a
 * message over LS_PUSH_MAX_BYTES dropped whole without losing the next one;
 * the message itself, as the publisher writes it and the board reads it; and
 * what it means for the feeds.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/feed.h"
#include "ledsign/push.h"

struct heard {
	char msgs[8][LS_PUSH_MAX_BYTES + 1];
	int n, oversized;
};

static void hear(void *user, enum ls_push_event ev, const char *data, size_t len)
{
	struct heard *h = user;

	if (ev == LS_PUSH_OVERSIZED)
		h->oversized++;
	if (ev != LS_PUSH_MESSAGE || h->n == 8)
		return;
	ASSERT_EQ_INT(strlen(data), len);
	memcpy(h->msgs[h->n++], data, len + 1);
}

static void feed_bytewise(struct ls_sse *s, const char *text, struct heard *h)
{
	for (size_t i = 0; text[i]; i++)
		ls_sse_feed(s, text + i, 1, hear, h);
}

TEST(a_message_split_across_reads_arrives_once_whole)
{
	struct ls_sse s = {0};
	struct heard h = {0};

	feed_bytewise(&s, ": hi\n\nid: 17:[0],-\ndata: {\"path\":\"national/p.json\"}\n\n", &h);
	ASSERT_EQ_INT(h.n, 1);
	ASSERT_EQ_STR(h.msgs[0], "{\"path\":\"national/p.json\"}");
}

TEST(data_lines_of_one_event_join_with_newlines_and_crlf_is_a_line_end)
{
	struct ls_sse s = {0};
	struct heard h = {0};
	const char *t = "event: x\r\ndata: a\r\ndata:b\r\n\r\ndata: c\n\n";

	ls_sse_feed(&s, t, strlen(t), hear, &h);
	ASSERT_EQ_INT(h.n, 2);
	ASSERT_EQ_STR(h.msgs[0], "a\nb");
	ASSERT_EQ_STR(h.msgs[1], "c");
}

TEST(comments_and_events_without_data_are_not_messages)
{
	struct ls_sse s = {0};
	struct heard h = {0};
	const char *t = ": ping\n\nid: 3\n\nretry: 100\n\n";

	ls_sse_feed(&s, t, strlen(t), hear, &h);
	ASSERT_EQ_INT(h.n, 0);
	ASSERT_EQ_INT(h.oversized, 0);
}

TEST(an_oversized_message_is_dropped_whole_and_the_next_one_arrives)
{
	struct ls_sse s = {0};
	struct heard h = {0};
	size_t big = 1024 * 1024;
	char *t = malloc(big + 64);

	ASSERT(t);
	memcpy(t, "data: ", 6);
	memset(t + 6, 'x', big);
	strcpy(t + 6 + big, "\n\ndata: ok\n\n");
	ls_sse_feed(&s, t, strlen(t), hear, &h);
	free(t);
	ASSERT_EQ_INT(h.oversized, 1);
	ASSERT_EQ_INT(h.n, 1);
	ASSERT_EQ_STR(h.msgs[0], "ok");
}

TEST(a_message_of_exactly_the_limit_is_kept)
{
	struct ls_sse s = {0};
	struct heard h = {0};
	char t[LS_PUSH_MAX_BYTES + 16];

	memcpy(t, "data:", 5);
	memset(t + 5, 'y', LS_PUSH_MAX_BYTES);
	strcpy(t + 5 + LS_PUSH_MAX_BYTES, "\n\n");
	ls_sse_feed(&s, t, strlen(t), hear, &h);
	ASSERT_EQ_INT(h.oversized, 0);
	ASSERT_EQ_INT(h.n, 1);
	ASSERT_EQ_INT(strlen(h.msgs[0]), LS_PUSH_MAX_BYTES);
}

/* ---- the message (push_message.c) ---- */

TEST(a_message_the_publisher_writes_the_board_reads_back)
{
	char buf[512], path[LS_PUSH_PATH_MAX];
	int64_t ts = 0;
	struct ls_error err;

	ls_push_message_format("ha-noi/playlist.json", 1772411400, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "{\"path\":\"ha-noi/playlist.json\",\"timestamp\":1772411400}");
	ASSERT_EQ_INT(ls_push_message_parse(buf, strlen(buf), path, sizeof(path), &ts, &err), 0);
	ASSERT_EQ_STR(path, "ha-noi/playlist.json");
	ASSERT_EQ_INT(ts, 1772411400);
}

static const char *refusal(const char *msg)
{
	static struct ls_error err;
	char path[LS_PUSH_PATH_MAX];
	int64_t ts = 0;

	ASSERT_EQ_INT(ls_push_message_parse(msg, strlen(msg), path, sizeof(path), &ts, &err), -1);
	return err.msg;
}

TEST(a_message_without_a_path_or_a_whole_timestamp_is_refused_saying_which)
{
	char long_path[400];

	ASSERT_EQ_STR(refusal("[1, 2]"), "not a JSON object");
	ASSERT_EQ_STR(refusal("{\"path\""), "not a JSON object");
	ASSERT_CONTAINS(refusal("{\"timestamp\": 5}"), "no \"path\"");
	ASSERT_CONTAINS(refusal("{\"path\": \"\", \"timestamp\": 5}"), "no \"path\"");
	ASSERT_CONTAINS(refusal("{\"Path\": \"a/b.json\", \"timestamp\": 5}"), "no \"path\"");
	ASSERT_CONTAINS(refusal("{\"path\": \"a/b.json\"}"), "no \"timestamp\"");
	ASSERT_CONTAINS(refusal("{\"path\": \"a/b.json\", \"timestamp\": 1.5}"),
			"no \"timestamp\"");
	ASSERT_CONTAINS(refusal("{\"path\": \"a/b.json\", \"timestamp\": -1}"), "no \"timestamp\"");
	ASSERT_CONTAINS(refusal("{\"path\": \"a/b.json\", \"timestamp\": \"5\"}"),
			"no \"timestamp\"");
	snprintf(long_path, sizeof(long_path), "{\"path\": \"%0300d\", \"timestamp\": 5}", 0);
	ASSERT_CONTAINS(refusal(long_path), "no \"path\"");
}

/* ---- what a message means for the feeds (ls_push_hint) ---- */

TEST(a_message_naming_a_feed_without_a_version_makes_it_poll_and_others_are_refused)
{
	static struct ls_config cfg;
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct ls_error err;
	struct ls_feeds *f;
	int64_t ts, shown;
	int layer;
	const char *msg = "{\"path\":\"ha-noi/playlist.json\",\"timestamp\":1772411400}";

	ASSERT(net);
	ls_config_defaults(&cfg);
	snprintf(cfg.feed.urls[0], LS_URL_MAX, "file://%s/national/playlist.json", th_tmpdir());
	snprintf(cfg.feed.urls[1], LS_URL_MAX, "file://%s/ha-noi/playlist.json", th_tmpdir());
	cfg.feed.n_urls = 2;
	snprintf(cfg.feed.cache_dir, sizeof(cfg.feed.cache_dir), "%s", th_tmpdir());
	f = ls_feeds_new(&cfg, net, NULL, NULL, NULL, &err);
	ASSERT_MSG(f, "%s", err.msg);
	ASSERT_EQ_INT(ls_push_hint(f, msg, strlen(msg), &layer, &ts, &shown, &err), LS_PUSH_FETCH);
	ASSERT_EQ_INT(layer, 1);
	ASSERT_EQ_INT(ts, 1772411400);
	ASSERT_EQ_INT(ls_feeds_timeout_ms(f, 0), 0); /* its poll is due now */
	msg = "{\"path\":\"da-nang/playlist.json\",\"timestamp\":5}";
	ASSERT_EQ_INT(ls_push_hint(f, msg, strlen(msg), &layer, &ts, &shown, &err),
		      LS_PUSH_REFUSED);
	ASSERT_EQ_INT(layer, -1);
	ASSERT_EQ_STR(err.msg, "'da-nang/playlist.json' is not a feed of this board");
	msg = "{\"path\":\"ha-noi/playlist.json\"}";
	ASSERT_EQ_INT(ls_push_hint(f, msg, strlen(msg), &layer, &ts, &shown, &err),
		      LS_PUSH_REFUSED);
	ASSERT_CONTAINS(err.msg, "no \"timestamp\"");
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
}
