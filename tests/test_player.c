/*
 * test_player.c: the player asks the scheduler (schedule.h) for every zone,
 * with an injected clock: interrupts cut the playing item within a second and
 * the cut item plays again afterwards, board tags reach the selection, the
 * clock jumping or losing sync never blanks the board, off items darken only
 * their zone, a frame between second boundaries stays cheap, and the
 * rectangles where problem characters are drawn follow the scroll, clipped to
 * their zone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/player.h"

#define TZ "Asia/Ho_Chi_Minh"
#define T0 1796086800 /* 2026-12-01 08:00 +07, a Tuesday */

static struct ls_player *player_for(const char *json, const char *const *tags, int n_tags)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player *p;
	struct ls_error err;

	ls_config_defaults(&cfg);
	cfg.display.n_fonts = 1;
	snprintf(cfg.display.fonts[0], sizeof(cfg.display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	snprintf(cfg.board.timezone, sizeof(cfg.board.timezone), TZ);
	cfg.board.n_tags = n_tags;
	for (int i = 0; i < n_tags; i++)
		snprintf(cfg.board.tags[i], LS_TAG_MAX, "%s", tags[i]);
	ASSERT(pls);
	pls[0] = ls_playlist_parse(json, strlen(json), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ls_player_config_from(&pc, &cfg);
	ASSERT_EQ_INT(pc.n_tags, n_tags);
	p = ls_player_with(&pc, pls, 1, &err);
	ASSERT_MSG(p, "%s", err.msg);
	return p;
}

/* Plays frames every 100 ms of [from_ms, to_ms) at wall time T0 + offset + mono. */
static void run(struct ls_player *p, struct ls_canvas *c, int64_t wall0, int64_t from_ms,
		int64_t to_ms)
{
	struct ls_now now;

	for (int64_t ms = from_ms; ms < to_ms; ms += 100) {
		ls_now_at(TZ, wall0 + ms / 1000, ms, &now);
		ls_player_frame(p, &now, c);
	}
}

static const char *current(const struct ls_player *p)
{
	const struct ls_item *it = ls_player_current(p, NULL);

	return it ? it->id : "(none)";
}

static int lit_in(const struct ls_canvas *c, int x0, int x1)
{
	int n = 0;

	for (int y = 0; y < c->height; y++)
		for (int x = x0; x < x1; x++)
			n += ls_rgb_lit(c->px[y * c->width + x]);
	return n;
}

#define URGENT_DOC                                                                                 \
	"{\"version\":1,\"items\":[{\"id\":\"long\",\"text\":\"BHXH\",\"effect\":\"static\","      \
	"\"duration\":60},{\"id\":\"other\",\"text\":\"VssID\",\"effect\":\"static\","             \
	"\"duration\":60},"                                                                        \
	"{\"id\":\"urgent\",\"text\":\"KH\u1EA8N\",\"effect\":\"static\",\"priority\":90,"         \
	"\"interrupt\":true,\"from\":\"2026-12-01 08:00\",\"until\":\"2026-12-01 08:01\"}]}"

/* ls_player_with() takes the playlists either way: played, or freed when the
 * player cannot be made (here: no font provider). */
TEST(a_player_with_playlists_plays_them_and_one_that_fails_frees_them)
{
	const char *json = "{\"version\":1,\"items\":[{\"id\":\"x\",\"text\":\"X\"}]}";
	struct ls_player *p = player_for(json, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_player_config pc = {.width = 192, .height = 16, .n_fonts = 1};
	struct ls_playlist **pls = calloc(2, sizeof(*pls));
	struct ls_error err;

	run(p, c, T0, 0, 200);
	ASSERT_EQ_STR(current(p), "x");
	ls_player_free(p);
	pc.fonts[0] = "/nonexistent/font.bdf";
	ASSERT(pls);
	pls[0] = ls_playlist_parse(json, strlen(json), "t.json", &err);
	ASSERT(pls[0]);
	ASSERT(ls_player_with(&pc, pls, 1, &err) == NULL); /* and nothing leaks */
	ASSERT_CONTAINS(err.msg, "no font provider");
	ls_canvas_free(c);
}

TEST(interrupt_cuts_the_playing_item_within_a_second_and_the_rotation_returns_to_it)
{
	struct ls_player *p = player_for(URGENT_DOC, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	int64_t since, long_start;

	/* 07:59:50: "long" starts and would play a minute. */
	run(p, c, T0 - 10, 0, 9900);
	ASSERT_EQ_STR(current(p), "long");
	ls_player_current(p, &long_start);
	/* 08:00:00 arrives mid-item: the notice is on within the same frame's second. */
	run(p, c, T0 - 10, 9900, 10100);
	ASSERT_EQ_STR(current(p), "urgent");
	/* It lasts until 08:01, repeating; then "long" plays again from its start. */
	run(p, c, T0 - 10, 10100, 69900);
	ASSERT_EQ_STR(current(p), "urgent");
	run(p, c, T0 - 10, 69900, 70100);
	ASSERT_EQ_STR(current(p), "long");
	ls_player_current(p, &since);
	ASSERT(since > long_start);
	ASSERT(since >= 70000 && since <= 70100);
	ASSERT(lit_in(c, 0, 192) > 0);
	ls_canvas_free(c);
	ls_player_free(p);
}

TEST(board_tags_from_the_config_reach_the_selection)
{
	static const char *const tags[] = {"ha-noi", "gia-lai"};
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"all\",\"text\":\"A\",\"effect\":\"static\"},"
	    "{\"id\":\"gl\",\"text\":\"G\",\"effect\":\"static\",\"priority\":1,\"tags\":[\"gia-"
	    "lai\"]}]}";
	struct ls_player *p = player_for(doc, tags, 2);
	struct ls_player *q = player_for(doc, tags, 1);
	struct ls_canvas *c = ls_canvas_new(192, 16);

	run(p, c, T0, 0, 200);
	run(q, c, T0, 0, 200);
	ASSERT_EQ_STR(current(p), "gl");
	ASSERT_EQ_STR(current(q), "all");
	ls_canvas_free(c);
	ls_player_free(p);
	ls_player_free(q);
}

TEST(clock_jumping_backwards_switches_items_without_blanking)
{
	const char *doc =
	    "{\"version\":1,\"default\":\"hello\",\"items\":["
	    "{\"id\":\"hours\",\"text\":\"GIỜ LÀM "
	    "VIỆC\",\"effect\":\"static\",\"windows\":[\"07:00-17:00\"]},"
	    "{\"id\":\"hello\",\"text\":\"XIN CHÀO\",\"effect\":\"static\",\"days\":[\"sun\"]}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_now now;

	run(p, c, T0, 0, 2000);
	ASSERT_EQ_STR(current(p), "hours");
	/* The wall clock jumps back to 05:00 while the monotonic clock runs on. */
	for (int64_t ms = 2000; ms < 4000; ms += 100) {
		ls_now_at(TZ, T0 - 3 * 3600 + ms / 1000, ms, &now);
		ls_player_frame(p, &now, c);
		ASSERT_MSG(lit_in(c, 0, 192) > 0, "blank frame at %lld ms", (long long)ms);
	}
	ASSERT_EQ_STR(current(p), "hello");
	ASSERT_CONTAINS(ls_player_status(p), "default item");
	ls_canvas_free(c);
	ls_player_free(p);
}

TEST(clock_not_synchronised_plays_undated_items_and_the_status_says_why)
{
	const char *doc = "{\"version\":1,\"items\":["
			  "{\"id\":\"dated\",\"text\":\"D\",\"effect\":\"static\",\"from\":\"2026-"
			  "01-01\",\"priority\":5},"
			  "{\"id\":\"plain\",\"text\":\"P\",\"effect\":\"static\"}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_now now;

	for (int64_t ms = 0; ms < 2000; ms += 100) {
		ls_now_at(TZ, 0 + ms / 1000, ms, &now); /* 1970: a board that never got the time */
		now.wall_valid = false;
		ls_player_frame(p, &now, c);
	}
	ASSERT_EQ_STR(current(p), "plain");
	ASSERT_CONTAINS(ls_player_status(p), "clock not synchronised");
	ASSERT(lit_in(c, 0, 192) > 0);
	ls_canvas_free(c);
	ls_player_free(p);
}

TEST(off_item_darkens_only_its_zone)
{
	const char *doc =
	    "{\"version\":1,\"zones\":[{\"name\":\"clock\",\"width\":48,\"height\":16},"
	    "{\"name\":\"main\",\"x\":48,\"width\":144,\"height\":16}],\"items\":["
	    "{\"id\":\"clk\",\"zone\":\"clock\",\"text\":\"{time}\",\"effect\":\"static\"},"
	    "{\"id\":\"msg\",\"text\":\"BHXH\",\"effect\":\"static\"},"
	    "{\"id\":\"dark\",\"off\":true,\"priority\":9,\"windows\":[\"08:00-09:00\"]}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	const char *zname;
	const struct ls_item *it;

	run(p, c, T0 - 5, 0, 4000); /* 07:59:55: both zones lit */
	ASSERT(lit_in(c, 0, 48) > 0 && lit_in(c, 48, 192) > 0);
	run(p, c, T0 - 5, 4000,
	    6000); /* 08:00: main goes dark at once (an off item needs no wait) */
	ASSERT(lit_in(c, 0, 48) > 0);
	it = ls_player_zone_item(p, 1, &zname, NULL);
	ASSERT_EQ_STR(zname, "main");
	ASSERT(it && it->off);
	ASSERT_EQ_INT(lit_in(c, 48, 192), 0);
	ls_canvas_free(c);
	ls_player_free(p);
}

TEST(frames_between_second_boundaries_stay_cheap)
{
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Bảo hiểm xã hội\",\"speed\":32}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct timespec a, b;
	struct ls_now now;
	double us;

	ls_now_at(TZ, T0, 0, &now);
	ls_player_frame(p, &now, c);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 1; i <= 20000; i++) {
		now.mono_ms = i; /* 20 s of 1 ms frames; the wall second changes 20 times */
		now.wall_s = T0 + i / 1000;
		ls_player_frame(p, &now, c);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3) / 20000;
	printf("    %.2f us per 192x16 frame (selection asked once per wall second)\n", us);
	ASSERT_MSG(us < 2000, "a frame took %.1f us", us);
	ls_canvas_free(c);
	ls_player_free(p);
}

/* Plays one frame of the document at T0 and returns the main zone's report. */
static struct ls_text_report report_of(const char *doc)
{
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_text_report r;

	run(p, c, T0, 0, 100);
	r = *ls_player_report(p);
	ls_canvas_free(c);
	ls_player_free(p);
	return r;
}

/* What the text itself shows reaches the board's report (and so its status):
 * a legacy encoding, control characters, lookalikes, an unshaped script, the
 * first of each over the lines of a multi-line item. */
TEST(the_board_report_carries_legacy_text_controls_and_lookalikes)
{
	struct ls_text_report r = report_of(
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"lines\":[\"\u00d0\u00e0 N\u1eb5ng\","
	    "\"B\u00b6o hi\u00d3m x\u00b7 h\u00e9i T\\u0004NG\"]}]}");
	char msg[1024];

	ASSERT_EQ_INT(r.legacy, LS_LEGACY_TCVN3);
	ASSERT_EQ_INT(r.controls, 1);
	ASSERT_EQ_INT(r.first_control, 4);
	ASSERT_EQ_INT(r.lookalikes, 1);
	ASSERT_EQ_INT(r.lookalike_fix, 0x110);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "TCVN3");
	ASSERT_CONTAINS(msg, "U+0004");
	ASSERT_CONTAINS(msg, "did you mean");
	r = report_of("{\"version\":1,\"items\":[{\"id\":\"k\",\"text\":"
		      "\"\u179f\u17bd\u179f\u17d2\u178f\u17b8\"}]}");
	ASSERT(r.unshaped && !strcmp(r.unshaped, "Khmer"));
}

TEST(one_line_item_reports_what_the_text_engine_found_missing_and_clipped)
{
	/* 漢 is in no shipped font; a 16-row bitmap font cut to 13 rows clips Ẩ. */
	struct ls_text_report r = report_of(
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"A Ẩ 漢 漢\",\"size\":13}]}");
	const char *fonts[] = {th_path("fonts/ledsign16.bdf")};
	struct ls_fontset *fs = ls_fontset_open(fonts, 1, 13, true, NULL);
	struct ls_text_report direct;
	struct ls_strip *s;
	char msg[512];

	ASSERT(fs);
	s = ls_text_render(fs, "A Ẩ 漢 漢", &direct);
	ASSERT_EQ_INT(memcmp(&r, &direct, sizeof(r)), 0); /* the whole report, lists included */
	ASSERT_EQ_INT(r.missing, 2);
	ASSERT_EQ_INT(r.n_missing_cp, 1);
	ASSERT_EQ_INT(r.missing_cp[0], 0x6F22);
	ASSERT(r.n_clipped >= 1 && r.clipped_rows > 0);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "U+6F22");
	ASSERT_CONTAINS(msg, "U+1EA8");
	ASSERT_CONTAINS(msg, "cut off");
	ls_strip_free(s);
	ls_fontset_free(fs);
}

TEST(multi_line_item_merges_the_lines_reports_listing_each_character_once)
{
	struct ls_text_report r = report_of("{\"version\":1,\"items\":[{\"id\":\"a\",\"lines\":["
					    "\"漢 Ẩ\",\"字 漢 Ẩ\"],\"size\":13}]}");
	int han = 0, zi = 0, a_circ = 0;

	ASSERT_EQ_INT(r.missing, 3); /* 漢 twice, 字 once */
	ASSERT_EQ_INT(r.first_missing, 0x6F22);
	ASSERT_EQ_INT(r.n_missing_cp, 2);
	for (int i = 0; i < r.n_missing_cp; i++) {
		han += r.missing_cp[i] == 0x6F22;
		zi += r.missing_cp[i] == 0x5B57;
	}
	ASSERT(han == 1 && zi == 1);
	for (int i = 0; i < r.n_clipped; i++)
		a_circ += r.clipped[i].cp == 0x1EA8;
	ASSERT_EQ_INT(a_circ, 1);
	ASSERT(r.clipped_rows > 0);
	/* Each line's spans carry its line: 漢, Ẩ on the first; 字, 漢, Ẩ on the second. */
	ASSERT_EQ_INT(r.n_spans, 5);
	for (int i = 0; i < r.n_spans; i++)
		ASSERT_EQ_INT(r.spans[i].line, i < 2 ? 0 : 1);
}

TEST(report_of_a_zone_without_text_is_empty_and_zone_reports_are_per_zone)
{
	const char *doc =
	    "{\"version\":1,\"zones\":[{\"name\":\"side\",\"width\":48,\"height\":16},"
	    "{\"name\":\"main\",\"x\":48,\"width\":144,\"height\":16}],\"items\":["
	    "{\"id\":\"s\",\"zone\":\"side\",\"text\":\"漢\",\"effect\":\"static\"},"
	    "{\"id\":\"m\",\"text\":\"BHXH\",\"effect\":\"static\"}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);

	ASSERT_EQ_INT(ls_player_zone_report(p, 0)->missing, 0); /* nothing played yet */
	run(p, c, T0, 0, 200);
	ASSERT_EQ_INT(ls_player_main_zone(p), 1);
	ASSERT_EQ_INT(ls_player_zone_report(p, 0)->missing, 1);
	ASSERT_EQ_INT(ls_player_zone_report(p, 1)->missing, 0);
	ASSERT_EQ_INT(ls_player_report(p)->missing, 0);
	ASSERT_EQ_INT(ls_player_zone_report(p, 7)->missing, 0);
	ls_canvas_free(c);
	ls_player_free(p);
}

/* Plays one frame at mono ms (wall time T0 + ms / 1000). */
static void frame_at(struct ls_player *p, struct ls_canvas *c, int64_t ms)
{
	struct ls_now now;

	ls_now_at(TZ, T0 + ms / 1000, ms, &now);
	ls_player_frame(p, &now, c);
}

TEST(problem_rects_move_with_the_scroll_and_are_clipped_to_the_zone)
{
	/* 漢 is in no shipped font: a box, scrolling left at 40 px/s through the
	 * 144 columns of "main" (x 48..191); "side" shows another box, still. */
	const char *doc =
	    "{\"version\":1,\"zones\":[{\"name\":\"side\",\"width\":48,\"height\":16},"
	    "{\"name\":\"main\",\"x\":48,\"width\":144,\"height\":16}],\"items\":["
	    "{\"id\":\"s\",\"zone\":\"side\",\"text\":\"A 漢\",\"effect\":\"static\"},"
	    "{\"id\":\"m\",\"text\":\"漢 BHXH\",\"speed\":40}]}";
	struct ls_player *p = player_for(doc, NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_rect r[4];
	struct ls_text_span sp;
	int n;

	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 1, r, 4), 0); /* nothing drawn yet */
	frame_at(p, c, 0);
	ASSERT_EQ_INT(ls_player_zone_report(p, 1)->n_spans, 1);
	sp = ls_player_zone_report(p, 1)->spans[0];
	ASSERT(sp.x1 - sp.x0 >= 4);
	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 1, r, 4), 0); /* not scrolled in yet */
	for (int ms = 500; ms <= 3000; ms += 500) {
		frame_at(p, c, ms);
		ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 1, r, 4), 1);
		/* The strip's left edge is at the zone's right edge less speed x time. */
		ASSERT_EQ_INT(r[0].x, 48 + 144 - 40 * ms / 1000 + sp.x0);
		ASSERT_EQ_INT(r[0].w, sp.x1 - sp.x0);
		ASSERT(r[0].y == 0 && r[0].h == 16);
		/* The dots lit inside the rectangle are the box's. */
		ASSERT(lit_in(c, r[0].x, r[0].x + r[0].w) > 0);
	}
	/* Half out of the zone's left edge: the rectangle stops at x 48. */
	int t_ms = (144 + sp.x0 + (sp.x1 - sp.x0) / 2) * 1000 / 40;
	frame_at(p, c, t_ms);
	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 1, r, 4), 1);
	ASSERT_EQ_INT(r[0].x, 48);
	ASSERT_EQ_INT(r[0].x + r[0].w, 48 + 144 - 40 * t_ms / 1000 + sp.x1);
	ASSERT(r[0].w > 0 && r[0].w < sp.x1 - sp.x0);
	frame_at(p, c, (144 + sp.x1 + 2) * 1000 / 40); /* gone past the edge */
	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 1, r, 4), 0);
	/* The side zone's box stays where it is, inside the side zone. */
	n = ls_player_zone_problem_rects(p, 0, r, 4);
	ASSERT_EQ_INT(n, 1);
	ASSERT(r[0].x > 0 && r[0].x + r[0].w <= 48);
	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 0, r, 0), 0); /* max respected */
	ASSERT_EQ_INT(ls_player_zone_problem_rects(p, 9, r, 4), 0);
	ls_canvas_free(c);
	ls_player_free(p);
}

/* Found in review: "size" is clamped to the zone, so a hostile size cannot
 * make a 16-row board allocate strips hundreds of rows tall. */
TEST(an_item_size_taller_than_its_zone_is_drawn_at_the_zone_height)
{
	struct ls_player *big =
	    player_for("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Bảo hiểm\","
		       "\"effect\":\"static\",\"size\":256}]}",
		       NULL, 0);
	struct ls_player *fit =
	    player_for("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Bảo hiểm\","
		       "\"effect\":\"static\",\"size\":16}]}",
		       NULL, 0);
	struct ls_canvas *a = ls_canvas_new(192, 16), *b = ls_canvas_new(192, 16);
	struct ls_now now;

	ls_now_at(TZ, T0, 0, &now);
	ls_player_frame(big, &now, a);
	ls_player_frame(fit, &now, b);
	ASSERT(!memcmp(a->px, b->px, 192 * 16 * sizeof(*a->px)));
	ls_canvas_free(a);
	ls_canvas_free(b);
	ls_player_free(big);
	ls_player_free(fit);
}

/* Issue 19 point 4: the built-in item a board shows when nothing else may play
 * faces the public, so it is the agency's name in Vietnamese, full diacritics. */
TEST(the_built_in_item_is_the_agency_name_in_vietnamese)
{
	struct ls_player *p =
	    player_for("{\"version\":1,\"items\":[{\"id\":\"evening\",\"text\":\"E\","
		       "\"effect\":\"static\",\"windows\":[\"20:00-21:00\"]}]}",
		       NULL, 0);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	const struct ls_item *it;

	run(p, c, T0, 0, 1000); /* 08:00: the only item is out of its window */
	it = ls_player_current(p, NULL);
	ASSERT(it);
	ASSERT_EQ_STR(it->id, "builtin");
	ASSERT_EQ_STR(it->text, "Bảo hiểm xã hội Việt Nam");
	ASSERT(lit_in(c, 0, 192) > 0);
	ls_canvas_free(c);
	ls_player_free(p);
}
