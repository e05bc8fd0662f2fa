/*
 * test_lint.c: the lint says what the player does. For each item of a set
 * chosen to sit on the edges of the layout rules (a "size" taller than the
 * board, text just wider or narrower than its zone, several lines, a font
 * that cannot be opened, characters no font has, a zone that does not
 * exist), the board is played frame by frame and the lint's findings are
 * compared with what the frames show: "scrolls instead" exactly when a
 * static item moves, "no glyph" exactly when the player reports boxes,
 * "never plays" exactly when the item never comes on. Then each finding has
 * its file:line:col.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/lint.h"
#include "ledsign/sim.h"

#define TZ "Asia/Ho_Chi_Minh"
#define T0 1796086800 /* 2026-12-01 08:00 +07, a Tuesday */

struct found {
	char text[16][LS_ERROR_MAX + 64];
	enum ls_lint_level level[16];
	int line[16];
	int n;
};

static void collect(void *ctx, const struct ls_lint_finding *f)
{
	struct found *fd = ctx;

	if (fd->n == 16)
		return;
	snprintf(fd->text[fd->n], sizeof(fd->text[0]), "%s", f->text);
	fd->level[fd->n] = f->level;
	fd->line[fd->n++] = f->line;
}

static bool found_has(const struct found *fd, const char *needle)
{
	for (int i = 0; i < fd->n; i++)
		if (strstr(fd->text[i], needle))
			return true;
	return false;
}

static void board(struct ls_config *cfg, struct ls_player_config *pc, int w, int h)
{
	ls_config_defaults(cfg);
	cfg->panel.module_width = w;
	cfg->panel.module_height = h;
	cfg->panel.chain = cfg->panel.rows = 1;
	cfg->display.n_fonts = 1;
	snprintf(cfg->display.fonts[0], sizeof(cfg->display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	snprintf(cfg->board.timezone, sizeof(cfg->board.timezone), TZ);
	ls_player_config_from(pc, cfg);
}

static void lint_doc(const struct ls_player_config *pc, const char *json, struct found *fd)
{
	struct ls_lint_options o = {.board = pc,
				    .localtime = ls_localtime,
				    .tz_known = ls_tz_known,
				    .report = collect,
				    .ctx = fd,
				    .have_at = true,
				    .at = T0};
	struct ls_lint *l = ls_lint_new(&o, NULL);

	memset(fd, 0, sizeof(*fd));
	ASSERT(l);
	ls_lint_add(l, "t.json", json, strlen(json));
	ls_lint_run(l);
	ls_lint_free(l);
}

/* Whether the board's picture changes between 0.5 s and 1.5 s into the
 * playlist's only item (a static item that fits holds still). */
static bool board_moves(const struct ls_player_config *pc, const char *json)
{
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_canvas *a = ls_canvas_new(pc->width, pc->height),
			 *b = ls_canvas_new(pc->width, pc->height);
	struct ls_player *p = ls_player_new(pc, NULL);
	struct ls_sim sim;
	bool moved;

	ASSERT(pls && a && b && p);
	pls[0] = ls_playlist_parse(json, strlen(json), "t.json", NULL);
	ASSERT(pls[0]);
	ls_player_set_playlists(p, pls, 1);
	ls_sim_init(&sim, TZ, T0, 40, ls_localtime);
	ls_sim_play_to(&sim, p, a, 500);
	ls_sim_play_to(&sim, p, b, 1500);
	moved = memcmp(a->px, b->px, (size_t)pc->width * pc->height * sizeof(a->px[0])) != 0;
	ls_canvas_free(a);
	ls_canvas_free(b);
	ls_player_free(p);
	return moved;
}

TEST(a_size_taller_than_the_board_is_drawn_at_the_board_height_and_fits)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct found fd;
	const char *doc = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Bảo hiểm xã hội "
			  "Việt Nam\",\"size\":24,\"effect\":\"static\"}]}";

	board(&cfg, &pc, 192, 16);
	lint_doc(&pc, doc, &fd);
	ASSERT_MSG(!board_moves(&pc, doc), "the board scrolls the item");
	ASSERT_MSG(!found_has(&fd, "scrolls instead"), "%s", fd.text[0]);
	ASSERT_MSG(!found_has(&fd, "do not fit"), "%s", fd.text[0]);
	ASSERT(found_has(&fd, "the board draws the line 16 px high"));
	for (int i = 0; i < fd.n; i++)
		ASSERT_MSG(fd.level[i] == LS_LINT_NOTE, "%s", fd.text[i]);
}

/* Items on both sides of each rule; the lint's "scrolls instead" must
 * match the frames exactly. */
TEST(scrolls_instead_is_said_exactly_when_the_board_scrolls)
{
	static const char *const items[] = {
	    "\"text\":\"BHXH\",\"effect\":\"static\"",
	    "\"text\":\"Bảo hiểm xã hội Việt Nam - BHXH\",\"size\":24,\"effect\":\"static\"",
	    "\"text\":\"Bảo hiểm xã hội Việt Nam\",\"effect\":\"static\"",
	    "\"text\":\"Bảo hiểm xã hội Việt Nam, Bảo hiểm y tế\",\"effect\":\"static\"",
	    "\"lines\":[\"BHXH\",\"Bảo hiểm xã hội Việt Nam, Bảo hiểm y tế\"],"
	    "\"effect\":\"static\"",
	    "\"text\":\"Bảo hiểm xã hội Việt Nam, Bảo hiểm y tế\",\"effect\":\"blink\"",
	    "\"text\":\"BHXH\",\"font\":\"/nonexistent/font.ttf\",\"effect\":\"static\"",
	};
	static const int sizes[][2] = {{192, 16}, {96, 16}, {128, 32}};
	struct ls_config cfg;
	struct ls_player_config pc;
	struct found fd;
	char doc[512];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		board(&cfg, &pc, sizes[s][0], sizes[s][1]);
		for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
			snprintf(doc, sizeof(doc), "{\"version\":1,\"items\":[{\"id\":\"a\",%s}]}",
				 items[i]);
			lint_doc(&pc, doc, &fd);
			bool moves = board_moves(&pc, doc);
			bool says = found_has(&fd, "scrolls instead");
			/* blink changes the picture without moving: count it as not scrolling
			 * unless the lint says so, then it must move. */
			if (strstr(items[i], "blink"))
				ASSERT_MSG(!says || moves, "%dx%d %s", sizes[s][0], sizes[s][1],
					   items[i]);
			else
				ASSERT_MSG(moves == says, "%dx%d %s: board %s, lint %s",
					   sizes[s][0], sizes[s][1], items[i],
					   moves ? "scrolls" : "holds",
					   says ? "warns" : "is silent");
		}
	}
}

TEST(a_font_that_cannot_be_opened_is_named_and_the_board_font_measured)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct found fd;

	board(&cfg, &pc, 192, 16);
	lint_doc(&pc,
		 "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"BHXH\",\"font\":"
		 "\"/nonexistent/f.ttf\"}]}",
		 &fd);
	ASSERT_EQ_INT(fd.n, 1);
	ASSERT_CONTAINS(fd.text[0], "t.json:1:");
	ASSERT_CONTAINS(fd.text[0], "items[0].font: \"/nonexistent/f.ttf\" cannot be opened");
}

TEST(boxes_are_reported_when_the_player_draws_boxes)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_player_layout lo;
	struct ls_player *p;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct found fd;
	struct ls_now now;
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"ok \\u0e01\\u0e02\"}]}";

	board(&cfg, &pc, 192, 16);
	lint_doc(&pc, doc, &fd);
	p = ls_player_new(&pc, NULL);
	ASSERT(p && pls);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", NULL);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	ASSERT_EQ_INT(ls_player_layout(p, &pls[0]->items[0], &now, &lo), 0);
	ASSERT_EQ_INT(found_has(&fd, "have no glyph"), lo.report.missing > 0);
	ls_player_free(p);
}

TEST(an_item_in_an_undeclared_zone_never_plays_and_is_said_to)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct found fd;

	board(&cfg, &pc, 192, 16);
	lint_doc(&pc,
		 "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\"},\n"
		 "{\"id\":\"b\",\"text\":\"y\",\"zone\":\"top\"}]}",
		 &fd);
	ASSERT_EQ_INT(fd.n, 1);
	ASSERT_CONTAINS(fd.text[0], "t.json:2:");
	ASSERT_CONTAINS(fd.text[0], "items[1].zone: no zone \"top\" is declared, so it never "
				    "plays");
}

TEST(a_window_on_no_day_never_plays_by_the_scheduler_rule)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct found fd;

	board(&cfg, &pc, 192, 16);
	/* 2026-12-05 and 06 are a Saturday and a Sunday; "until" is through the day. */
	lint_doc(&pc,
		 "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"from\":\"2026-12-05\","
		 "\"until\":\"2026-12-06\",\"days\":[\"mon-fri\"]}]}",
		 &fd);
	ASSERT_EQ_INT(fd.n, 1);
	ASSERT_CONTAINS(fd.text[0], "never plays: none of its days falls");
	lint_doc(&pc,
		 "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"from\":\"2026-12-05\","
		 "\"until\":\"2026-12-07\",\"days\":[\"mon-fri\"]}]}",
		 &fd);
	ASSERT_EQ_INT(fd.n, 0);
}

/* The board of board() with Unifont behind ledsign16, as the default chain has. */
static void board_with_fallback(struct ls_config *cfg, struct ls_player_config *pc, int h)
{
	board(cfg, pc, 192, h);
	cfg->display.n_fonts = 2;
	snprintf(cfg->display.fonts[1], sizeof(cfg->display.fonts[1]), "%s",
		 "/usr/share/fonts/opentype/unifont/unifont.otf");
	ls_player_config_from(pc, cfg);
}

/* The layout of the first item of doc on pc's board, as the player makes it. */
static void layout_of(const struct ls_player_config *pc, const char *doc,
		      struct ls_player_layout *lo)
{
	struct ls_player *p = ls_player_new(pc, NULL);
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_now now;

	ASSERT(p && pls);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", NULL);
	ASSERT(pls[0]);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	ASSERT_EQ_INT(ls_player_layout(p, &pls[0]->items[0], &now, lo), 0);
	ls_player_free(p);
}

TEST(an_items_font_not_made_for_its_height_is_said_to_be_demoted_at_its_position)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_player_layout lo;
	struct found fd;
	const char *doc = "{\"version\":1,\"items\":[\n  {\"id\":\"a\",\"text\":\"BHXH\",\"font\":"
			  "\"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf\"}]}";

	board_with_fallback(&cfg, &pc, 16);
	lint_doc(&pc, doc, &fd);
	layout_of(&pc, doc, &lo);
	ASSERT(lo.font_demoted);
	ASSERT_EQ_STR(lo.first_font, "ledsign16.bdf");
	ASSERT_EQ_INT(fd.n, 1);
	ASSERT_EQ_INT(fd.level[0], LS_LINT_WARNING);
	ASSERT_CONTAINS(fd.text[0], "t.json:2:");
	ASSERT_CONTAINS(fd.text[0], "items[0].font: \"/usr/share/fonts/truetype/dejavu/"
				    "DejaVuSans-Bold.ttf\" is not made for 16 px lines, so the "
				    "board draws this text with ledsign16.bdf");
	/* at 32 rows the same font is made for the line: it draws, nothing is said */
	board_with_fallback(&cfg, &pc, 32);
	lint_doc(&pc, doc, &fd);
	layout_of(&pc, doc, &lo);
	ASSERT(!lo.font_demoted);
	ASSERT_EQ_STR(lo.first_font, "DejaVuSans-Bold.ttf");
	ASSERT_EQ_INT(fd.n, 0);
}

TEST(characters_drawn_by_a_fallback_font_are_noted_with_the_font_and_position)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_player_layout lo;
	struct found fd;
	const char *mixed =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"BHXH \\u4e2d\\u6587\"}]}";
	const char *clean = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Bảo hiểm xã hội "
			    "Việt Nam: ĐÓNG BHYT, HƯỞNG QUYỀN LỢI, 0–9 (100%)\"}]}";

	board_with_fallback(&cfg, &pc, 16);
	lint_doc(&pc, mixed, &fd);
	layout_of(&pc, mixed, &lo);
	ASSERT_EQ_INT(lo.report.fallback, 2);
	ASSERT_EQ_INT(fd.n, 1);
	ASSERT_EQ_INT(fd.level[0], LS_LINT_NOTE);
	ASSERT_CONTAINS(fd.text[0], "t.json:1:");
	ASSERT_CONTAINS(fd.text[0],
			"items[0].text: 2 character(s) are not in ledsign16.bdf and "
			"come from a fallback font (first U+4E2D '中', from unifont.otf)");
	lint_doc(&pc, clean, &fd);
	layout_of(&pc, clean, &lo);
	ASSERT_EQ_INT(lo.report.fallback, 0);
	ASSERT_MSG(fd.n == 0, "%s", fd.text[0]);
}
