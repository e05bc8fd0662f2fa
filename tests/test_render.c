/*
 * test_render.c: the thin path from a playlist to pixels, through the same
 * player the service uses: the frame at a given moment equals the golden image
 * (produced by this code and checked by eye once), and its lit pixels are the
 * text strip shifted by exactly speed x time.
 *
 * To regenerate the golden image after an intended change of the font or the
 * renderer: LEDSIGN_UPDATE_GOLDEN=1 build/tests/test_render, then look at it.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/player.h"
#include "ledsign/png.h"
#include "ledsign/text.h"

#define GOLDEN "tests/data/golden-192x16-t2.5.png"

static struct ls_player *golden_player(struct ls_config *cfg)
{
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player *p;
	struct ls_error err;

	ls_config_defaults(cfg);
	cfg->display.n_fonts = 1;
	strcpy(cfg->display.fonts[0], th_path("fonts/ledsign16.bdf"));
	pls[0] = ls_playlist_load(th_path("tests/data/golden.json"), &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	free(pls[0]->items[0].font);
	pls[0]->items[0].font = strdup(th_path("fonts/ledsign16.bdf"));
	ls_player_config_from(&pc, cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	return p;
}

static struct ls_canvas *frame_at(double t)
{
	struct ls_config cfg;
	struct ls_player *p = golden_player(&cfg);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_now now;

	ls_now_at("Asia/Ho_Chi_Minh", 1796086800, 0, &now); /* 2026-12-01 08:00 +07 */
	ls_player_frame(p, &now, c);
	ls_now_at("Asia/Ho_Chi_Minh", 1796086800 + (int64_t)t, (int64_t)(t * 1000), &now);
	ls_player_frame(p, &now, c);
	ls_player_free(p);
	return c;
}

static int count_lit(const struct ls_canvas *c)
{
	int n = 0;

	for (int i = 0; i < c->width * c->height; i++)
		n += ls_rgb_lit(c->px[i]);
	return n;
}

TEST(frame_at_2_5_s_matches_the_golden_image)
{
	struct ls_canvas *c = frame_at(2.5), *g;
	struct ls_error err;

	if (getenv("LEDSIGN_UPDATE_GOLDEN"))
		ASSERT_MSG(ls_png_write(th_path(GOLDEN), c, &err) == 0, "%s", err.msg);
	g = ls_png_read(th_path(GOLDEN), &err);
	ASSERT_MSG(g, "%s", err.msg);
	ASSERT_EQ_INT(g->width, 192);
	ASSERT_EQ_INT(g->height, 16);
	for (int i = 0; i < 192 * 16; i++)
		ASSERT_MSG(!memcmp(&g->px[i], &c->px[i], 3), "pixel (%d,%d) differs from " GOLDEN,
			   i % 192, i / 192);
	ASSERT(count_lit(c) > 200);
	ls_canvas_free(g);
	ls_canvas_free(c);
}

TEST(lit_pixels_are_the_text_strip_moved_by_speed_times_time)
{
	struct ls_canvas *c = frame_at(2.5);
	const char *font = th_path("fonts/ledsign16.bdf");
	struct ls_fontset *fs = ls_fontset_open(&font, 1, 16, true, NULL);
	struct ls_strip *s;
	int x0 = 192 - 100; /* 40 px/s for 2.5 s */

	ASSERT(fs);
	s = ls_text_render(fs, "Bảo hiểm xã hội là trụ cột chính của hệ thống an sinh xã hội",
			   NULL);
	ASSERT(s && s->height == 16);
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 192; x++) {
			int sx = x - x0;
			bool want = sx >= 0 && sx < s->width && s->cov[y * s->width + sx] >= 128;
			ASSERT_MSG(ls_rgb_lit(ls_canvas_get(c, x, y)) == want, "pixel (%d,%d)", x,
				   y);
		}
	ls_strip_free(s);
	ls_fontset_free(fs);
	ls_canvas_free(c);
}

TEST(the_text_keeps_moving_at_its_speed_whatever_the_frame_times)
{
	struct ls_canvas *a = frame_at(1.0), *b = frame_at(1.5);
	int shifted = 0, total = 0;

	/* 0.5 s later at 40 px/s, everything has moved exactly 20 columns left. */
	for (int y = 0; y < 16; y++)
		for (int x = 20; x < 192; x++) {
			bool lit_a = ls_rgb_lit(ls_canvas_get(a, x, y));
			total += lit_a;
			shifted += lit_a && ls_rgb_lit(ls_canvas_get(b, x - 20, y));
		}
	ASSERT(total > 50);
	ASSERT_EQ_INT(shifted, total);
	ls_canvas_free(a);
	ls_canvas_free(b);
}

TEST(before_the_text_arrives_the_board_is_dark_but_not_blank_for_long)
{
	struct ls_canvas *c0 = frame_at(0.0), *c1 = frame_at(0.5);

	ASSERT_EQ_INT(count_lit(c0), 0);
	ASSERT(count_lit(c1) > 0);
	ls_canvas_free(c0);
	ls_canvas_free(c1);
}
