/*
 * test_pattern.c: the installer's test patterns light what they promise:
 * alternate rows or columns, every LED, one pixel walking in reading order,
 * each module's outline and number in chain order, and a ramp from dark at
 * the left to lit at the right; an unknown pattern is not one.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "harness.h"
#include "ledsign/pattern.h"

/* Two P10 modules side by side: a 64x16 board. */
static struct ls_panel *two_modules(void)
{
	struct ls_panel_config cfg;
	struct ls_panel_timing t = {LS_PANEL_WRITE_NS, 0};
	struct ls_error err;
	struct ls_panel *p;

	ls_panel_config_defaults(&cfg);
	cfg.chain = 2;
	p = ls_panel_new(&cfg, &t, &err);
	ASSERT_MSG(p, "%s", err.msg);
	return p;
}

static bool lit(const struct ls_canvas *c, int x, int y)
{
	return ls_rgb_lit(c->px[y * c->width + x]);
}

static int count_lit(const struct ls_canvas *c, int x0, int y0, int w, int h)
{
	int n = 0;

	for (int y = y0; y < y0 + h; y++)
		for (int x = x0; x < x0 + w; x++)
			n += lit(c, x, y);
	return n;
}

TEST(the_six_patterns_are_known_and_nothing_else)
{
	ASSERT(ls_pattern_known("solid") && ls_pattern_known("rows") &&
	       ls_pattern_known("columns") && ls_pattern_known("modules") &&
	       ls_pattern_known("gradient") && ls_pattern_known("walk"));
	ASSERT(!ls_pattern_known("Solid"));
	ASSERT(!ls_pattern_known(""));
	ASSERT(!ls_pattern_known(NULL));
}

TEST(solid_rows_and_columns_light_all_even_rows_even_columns)
{
	struct ls_panel *p = two_modules();
	struct ls_canvas *c = ls_canvas_new(64, 16);

	ls_pattern_draw(c, p, "solid", 0, true);
	ASSERT_EQ_INT(count_lit(c, 0, 0, 64, 16), 64 * 16);
	ls_pattern_draw(c, p, "rows", 0, true);
	ASSERT_EQ_INT(count_lit(c, 0, 0, 64, 16), 64 * 8);
	ASSERT(lit(c, 5, 0) && !lit(c, 5, 1) && lit(c, 5, 2));
	ls_pattern_draw(c, p, "columns", 0, true);
	ASSERT_EQ_INT(count_lit(c, 0, 0, 64, 16), 32 * 16);
	ASSERT(lit(c, 0, 7) && !lit(c, 1, 7) && lit(c, 2, 7));
	ls_canvas_free(c);
	ls_panel_free(p);
}

TEST(walk_lights_one_pixel_in_reading_order_and_starts_again)
{
	struct ls_panel *p = two_modules();
	struct ls_canvas *c = ls_canvas_new(64, 16);

	ls_pattern_draw(c, p, "walk", 0, true);
	ASSERT_EQ_INT(count_lit(c, 0, 0, 64, 16), 1);
	ASSERT(lit(c, 0, 0));
	ls_pattern_draw(c, p, "walk", 65, true); /* the second row's second pixel */
	ASSERT_EQ_INT(count_lit(c, 0, 0, 64, 16), 1);
	ASSERT(lit(c, 1, 1));
	ls_pattern_draw(c, p, "walk", 64 * 16 + 3, true);
	ASSERT(lit(c, 3, 0));
	ls_canvas_free(c);
	ls_panel_free(p);
}

TEST(modules_outlines_each_module_and_numbers_them_in_chain_order)
{
	struct ls_panel *p = two_modules();
	struct ls_canvas *c = ls_canvas_new(64, 16);

	ls_pattern_draw(c, p, "modules", 0, true);
	for (int m = 0; m < 2; m++) { /* each outline: four corners and the edges */
		ASSERT(lit(c, m * 32, 0) && lit(c, m * 32 + 31, 0) && lit(c, m * 32, 15) &&
		       lit(c, m * 32 + 31, 15));
		ASSERT(lit(c, m * 32 + 16, 0) && lit(c, m * 32, 8));
		ASSERT(!lit(c, m * 32 + 20, 10)); /* the inside is dark but for the number */
	}
	/* "1" is the 3x5 digit 0x2492 (a centre column), "2" is 0x73e7 (11 dots), each in
	 * the module the chain order puts it in (the panel's own map). */
	for (int m = 0; m < 2; m++) {
		int x, y, w, h;
		ls_panel_module_rect(p, m, &x, &y, &w, &h);
		ASSERT_EQ_INT(count_lit(c, x + 2, y + 2, 3, 5), m ? 11 : 5);
	}
	ls_canvas_free(c);
	ls_panel_free(p);
}

TEST(gradient_ramps_from_dark_to_lit_in_red_green_and_blue_bands)
{
	struct ls_panel *p = two_modules();
	struct ls_canvas *c = ls_canvas_new(64, 16);

	ls_pattern_draw(c, p, "gradient", 0, true); /* dithered: lit density follows the ramp */
	ASSERT(count_lit(c, 0, 0, 8, 16) < count_lit(c, 28, 0, 8, 16));
	ASSERT(count_lit(c, 28, 0, 8, 16) < count_lit(c, 56, 0, 8, 16));
	ASSERT_EQ_INT(count_lit(c, 0, 0, 1, 16), 0);
	ls_pattern_draw(c, p, "gradient", 0, false);
	ASSERT_EQ_INT(c->px[0 * 64 + 63].r, 255); /* top band red */
	ASSERT_EQ_INT(c->px[0 * 64 + 63].g, 0);
	ASSERT_EQ_INT(c->px[8 * 64 + 63].g, 255);  /* middle band green */
	ASSERT_EQ_INT(c->px[15 * 64 + 63].b, 255); /* bottom band blue */
	ASSERT_EQ_INT(c->px[15 * 64 + 0].b, 0);	   /* from dark */
	ls_canvas_free(c);
	ls_panel_free(p);
}
