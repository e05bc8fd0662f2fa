/*
 * test_fontcheck.c: the Vietnamese checks of a font set (fontcheck.h): the
 * shipped 16-row font passes on 16-row lines; on 12-row lines it is clipped
 * and fails; characters no font has are counted and listed, one space
 * between them.
 */
#include <string.h>

#include "harness.h"
#include "ledsign/fontcheck.h"
#include "ledsign/text.h"

static struct ls_fontset *ledsign16(int height)
{
	const char *paths[] = {th_path("fonts/ledsign16.bdf")};
	struct ls_error err = {{0}};
	struct ls_fontset *fs = ls_fontset_open(paths, 1, height, true, &err);

	ASSERT_MSG(fs, "%s", err.msg);
	return fs;
}

TEST(the_shipped_16_row_font_passes_on_16_row_lines)
{
	struct ls_fontset *fs = ledsign16(16);
	struct ls_font_check c;

	ASSERT_EQ_INT(ls_font_check(fs, &c), 0);
	ASSERT_EQ_INT(c.vietnamese.total, 134);
	ASSERT_EQ_INT(c.vietnamese.have, 134);
	ASSERT_EQ_INT(c.ascii.have, 95);
	ASSERT_EQ_INT(c.clipped.total, 0);
	ASSERT(!c.first_unfit);
	ASSERT(c.min_distance >= LS_TONE_LEDS_MIN);
	ASSERT(ls_font_check_ok(&c));
	ls_fontset_free(fs);
}

TEST(a_16_row_font_on_12_row_lines_is_clipped_and_fails)
{
	struct ls_fontset *fs = ledsign16(12);
	struct ls_font_check c;

	ASSERT_EQ_INT(ls_font_check(fs, &c), 0);
	ASSERT(c.clipped.total > 0);
	ASSERT_CONTAINS(c.clipped.missing, " bottom)");
	ASSERT(!ls_font_check_ok(&c));
	ls_fontset_free(fs);
}

TEST(characters_no_font_has_are_counted_and_listed)
{
	struct ls_fontset *fs = ledsign16(16);
	struct ls_font_tally t = {0};

	/* A, then two private-use characters of plane 16 no font has. */
	ls_font_coverage(fs, "A\xF4\x8F\xBF\xBD\xF4\x8F\xBF\xBC", &t, NULL);
	ASSERT_EQ_INT(t.total, 3);
	ASSERT_EQ_INT(t.have, 1);
	ASSERT_EQ_STR(t.missing, "\xF4\x8F\xBF\xBD \xF4\x8F\xBF\xBC");
	ls_fontset_free(fs);
}

/* `ledsign fonts sample`: each LED a square of scale pixels with a dark gap,
 * lit ones bright red, unlit ones dim, inside a margin of one dot. */
TEST(a_sample_draws_each_led_as_a_dot_with_a_gap_and_a_margin)
{
	uint8_t cov[2 * 1] = {255, 0};
	struct ls_strip s = {.width = 2, .height = 1, .cov = cov};
	struct ls_canvas *c = ls_font_sample(&s, 4);

	ASSERT(c);
	ASSERT_EQ_INT(c->width, 2 * 4 + 2 * 4);
	ASSERT_EQ_INT(c->height, 1 * 4 + 2 * 4);
	ASSERT_EQ_INT(c->px[0].r, 0);		       /* the margin */
	ASSERT_EQ_INT(c->px[4 * c->width + 4].r, 255); /* the lit dot */
	ASSERT_EQ_INT(c->px[4 * c->width + 4].g, 60);
	ASSERT_EQ_INT(c->px[4 * c->width + 7].r, 0);  /* the gap after it */
	ASSERT_EQ_INT(c->px[4 * c->width + 8].r, 40); /* the unlit dot, dim */
	ASSERT_EQ_INT(c->px[7 * c->width + 4].r, 0);  /* the gap under it */
	ls_canvas_free(c);
	c = ls_font_sample(&s, 2); /* small dots have no gap */
	ASSERT_EQ_INT(c->px[2 * c->width + 3].r, 255);
	ls_canvas_free(c);
}
