/*
 * test_effect.c: each effect's frames, from its definition in content/README.md
 * ("How the effects move"): the block's position, the part shown and the
 * copies drawn at chosen instants, and how long an item plays. The sizes are
 * picked so the expected numbers can be worked out by hand; each test says how.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/effect.h"
#include "ledsign/player.h"

static struct ls_item item(enum ls_effect e, enum ls_align a)
{
	return (struct ls_item){.effect = e, .align = a, .gap = LS_ITEM_GAP_DEFAULT};
}

static struct ls_placement at(const struct ls_item *it, double speed, double t, int zw, int zh,
			      int sw, int sh)
{
	struct ls_placement pl;

	ls_effect_place(it, speed, t, zw, zh, sw, sh, &pl);
	return pl;
}

#define ASSERT_SHOW(pl, X, Y, W, H)                                                                \
	do {                                                                                       \
		ASSERT_EQ_INT((pl).show.x, X);                                                     \
		ASSERT_EQ_INT((pl).show.y, Y);                                                     \
		ASSERT_EQ_INT((pl).show.w, W);                                                     \
		ASSERT_EQ_INT((pl).show.h, H);                                                     \
	} while (0)

/* 100x16 zone, 40 px text at 10 px/s: it enters with its tail at x = -40 and
 * leaves when its head passes x = 100, one pass = (100 + 40) / 10 = 14 s. */
TEST(scroll_right_enters_at_the_left_edge_and_crosses_in_zone_plus_text_over_speed)
{
	struct ls_item it = item(LS_EFFECT_SCROLL_RIGHT, LS_ALIGN_LEFT);

	ASSERT_EQ_INT(at(&it, 10, 0, 100, 16, 40, 16).x, -40);
	ASSERT_EQ_INT(at(&it, 10, 1, 100, 16, 40, 16).x, -30);
	ASSERT_EQ_INT(at(&it, 10, 7, 100, 16, 40, 16).x, 30);
	ASSERT_EQ_INT(at(&it, 10, 13.95, 100, 16, 40, 16).x, 99);
	ASSERT_EQ_INT(at(&it, 10, 14.5, 100, 16, 40, 16).x, -35); /* the second pass */
	ASSERT_EQ_INT(at(&it, 10, 7, 100, 16, 40, 16).y, 0);
	ASSERT_EQ_INT(at(&it, 10, 7, 100, 16, 40, 16).copies, 1);
	it.repeat = 2;
	ASSERT(ls_effect_play_seconds(&it, 10, 100, 16, 40, 16) == 28.0);
	/* Wider than the zone it still scrolls right: it is a moving effect. */
	ASSERT_EQ_INT(ls_effect_effective(&it, 100, 300), LS_EFFECT_SCROLL_RIGHT);
}

/* 100x32 zone, a 16 px high block (centred at y = 8) at 8 px/s: it falls from
 * y = -16 to 8 in (8 + 16) / 8 = 3 s, holds 2.5 s, then falls out of the
 * bottom in (32 - 8) / 8 = 3 s: a pass of 8.5 s. scroll-up is its mirror. */
TEST(scroll_down_falls_into_place_holds_half_the_hold_and_falls_out)
{
	struct ls_item it = item(LS_EFFECT_SCROLL_DOWN, LS_ALIGN_LEFT);
	struct ls_item up = item(LS_EFFECT_SCROLL_UP, LS_ALIGN_LEFT);

	ASSERT_EQ_INT(at(&it, 8, 0, 100, 32, 40, 16).y, -16);
	ASSERT_EQ_INT(at(&it, 8, 1, 100, 32, 40, 16).y, -8);
	ASSERT_EQ_INT(at(&it, 8, 2.5, 100, 32, 40, 16).y, 4);
	ASSERT_EQ_INT(at(&it, 8, 3, 100, 32, 40, 16).y, 8);
	ASSERT_EQ_INT(at(&it, 8, 5.4, 100, 32, 40, 16).y, 8);
	ASSERT_EQ_INT(at(&it, 8, 6.5, 100, 32, 40, 16).y, 16);
	ASSERT_EQ_INT(at(&it, 8, 8.4, 100, 32, 40, 16).y, 31);
	ASSERT_EQ_INT(at(&it, 8, 8.5, 100, 32, 40, 16).y, -16); /* the next pass */
	ASSERT_EQ_INT(at(&it, 8, 1, 100, 32, 40, 16).x, 0);
	ASSERT(ls_effect_play_seconds(&it, 8, 100, 32, 40, 16) == 8.5);
	ASSERT(ls_effect_play_seconds(&up, 8, 100, 32, 40, 16) == 8.5);
	ASSERT_EQ_INT(at(&up, 8, 1, 100, 32, 40, 16).y, 24);
	ASSERT_EQ_INT(at(&up, 8, 6.5, 100, 32, 40, 16).y, 0);
}

/* 100 px zone, 40 px text, gap 10: copy k's head is at 100 - 10 t + 50 k. */
TEST(scroll_loop_head_follows_tail_at_the_gap_with_no_blank_between_passes)
{
	struct ls_item it = item(LS_EFFECT_SCROLL_LOOP, LS_ALIGN_LEFT);
	struct ls_placement pl;

	it.gap = 10;
	it.duration = 60;
	pl = at(&it, 10, 0, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.copies, 0); /* the first head is on the zone's right edge */
	pl = at(&it, 10, 1, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.copies, 1);
	ASSERT_EQ_INT(pl.x, 90);
	ASSERT_EQ_INT(pl.period, 50);
	/* t = 6: copy 0 at 40, copy 1 at 90, whose head is 10 px after copy 0's tail. */
	pl = at(&it, 10, 6, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.copies, 2);
	ASSERT_EQ_INT(pl.x, 40);
	ASSERT_EQ_INT(pl.x + pl.period - (pl.x + 40), 10);
	/* t = 15: copy 0 is at -50 (gone); copies 1 and 2 at 0 and 50; copy 3 at 100 not yet. */
	pl = at(&it, 10, 15, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.copies, 2);
	ASSERT_EQ_INT(pl.x, 0);
	/* An hour in (t = 3600.3, 36003 px moved) the arithmetic holds: copy 718's
	 * head is at 100 - 36003 + 718 * 50 = -3, then 47 and 97. */
	pl = at(&it, 10, 3600.3, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.x, -3);
	ASSERT_EQ_INT(pl.copies, 3);
}

/* Without a duration, repeat n shows n copies: 100 + 40 + (n - 1) * 50 px. */
TEST(scroll_loop_without_duration_shows_repeat_copies_and_ends_when_the_last_leaves)
{
	struct ls_item it = item(LS_EFFECT_SCROLL_LOOP, LS_ALIGN_LEFT);
	struct ls_placement pl;

	it.gap = 10;
	ASSERT(ls_effect_play_seconds(&it, 10, 100, 16, 40, 16) == 14.0);
	pl = at(&it, 10, 6, 100, 16, 40, 16); /* copy 1 would be at 90: there is none */
	ASSERT_EQ_INT(pl.copies, 1);
	ASSERT_EQ_INT(pl.x, 40);
	it.repeat = 3;
	ASSERT(ls_effect_play_seconds(&it, 10, 100, 16, 40, 16) == 24.0);
	pl = at(&it, 10, 23.9, 100, 16, 40, 16); /* copy 2 at -39: its last column */
	ASSERT_EQ_INT(pl.copies, 1);
	ASSERT_EQ_INT(pl.x, -39);
	/* The default gap applies when the item sets none. */
	it.gap = LS_ITEM_GAP_DEFAULT;
	ASSERT_EQ_INT(at(&it, 10, 1, 100, 16, 40, 16).period, 40 + LS_ITEM_GAP_DEFAULT);
}

/* 100x16 zone, 40 px centred (x = 30) at 10 px/s: after t s, 10 t columns. */
TEST(wipes_from_left_and_right_uncover_columns_of_the_text_in_place)
{
	struct ls_item l = item(LS_EFFECT_WIPE_FROM_LEFT, LS_ALIGN_CENTER);
	struct ls_item r = item(LS_EFFECT_WIPE_FROM_RIGHT, LS_ALIGN_CENTER);
	struct ls_item tw = item(LS_EFFECT_TYPEWRITER, LS_ALIGN_CENTER);
	struct ls_placement pl;

	pl = at(&l, 10, 1, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.x, 30);
	ASSERT_SHOW(pl, 0, 0, 10, 16);
	pl = at(&r, 10, 1, 100, 16, 40, 16);
	ASSERT_EQ_INT(pl.x, 30);
	ASSERT_SHOW(pl, 30, 0, 10, 16);
	pl = at(&r, 10, 0, 100, 16, 40, 16);
	ASSERT_SHOW(pl, 40, 0, 0, 16);
	pl = at(&r, 10, 5, 100, 16, 40, 16);
	ASSERT_SHOW(pl, 0, 0, 40, 16);
	pl = at(&tw, 10, 1, 100, 16, 40, 16);
	ASSERT_SHOW(pl, 0, 0, 10, 16);
	/* 40 px take 4 s, then the 5 s hold. */
	ASSERT(ls_effect_play_seconds(&r, 10, 100, 16, 40, 16) == 9.0);
}

/* 100x32 zone, 40x16 block at y = 8, 8 px/s: after t s, 8 t rows. */
TEST(wipes_from_top_and_bottom_uncover_rows_of_the_text_in_place)
{
	struct ls_item t = item(LS_EFFECT_WIPE_FROM_TOP, LS_ALIGN_LEFT);
	struct ls_item b = item(LS_EFFECT_WIPE_FROM_BOTTOM, LS_ALIGN_LEFT);
	struct ls_placement pl;

	pl = at(&t, 8, 1, 100, 32, 40, 16);
	ASSERT_EQ_INT(pl.y, 8);
	ASSERT_SHOW(pl, 0, 0, 40, 8);
	pl = at(&b, 8, 1, 100, 32, 40, 16);
	ASSERT_EQ_INT(pl.y, 8);
	ASSERT_SHOW(pl, 0, 8, 40, 8);
	pl = at(&b, 8, 3, 100, 32, 40, 16);
	ASSERT_SHOW(pl, 0, 0, 40, 16);
	ASSERT(ls_effect_play_seconds(&t, 8, 100, 32, 40, 16) == 7.0);
}

/* cover-from-left: 100 px zone, 40 px centred at 30, 10 px/s: it starts
 * with its right edge on the zone's left (x = -40) and rests after 70 px. */
TEST(covers_move_in_from_their_side_and_stop_in_place)
{
	struct ls_item l = item(LS_EFFECT_COVER_FROM_LEFT, LS_ALIGN_CENTER);
	struct ls_item r = item(LS_EFFECT_COVER_FROM_RIGHT, LS_ALIGN_CENTER);
	struct ls_item s = item(LS_EFFECT_SLIDE_IN, LS_ALIGN_CENTER);
	struct ls_item t = item(LS_EFFECT_COVER_FROM_TOP, LS_ALIGN_LEFT);
	struct ls_item b = item(LS_EFFECT_COVER_FROM_BOTTOM, LS_ALIGN_LEFT);

	ASSERT_EQ_INT(at(&l, 10, 0, 100, 16, 40, 16).x, -40);
	ASSERT_EQ_INT(at(&l, 10, 3, 100, 16, 40, 16).x, -10);
	ASSERT_EQ_INT(at(&l, 10, 7, 100, 16, 40, 16).x, 30);
	ASSERT_EQ_INT(at(&l, 10, 11, 100, 16, 40, 16).x, 30);
	ASSERT(ls_effect_play_seconds(&l, 10, 100, 16, 40, 16) == 12.0);
	/* From the right: from x = 100 to 30, as slide-in always did. */
	ASSERT_EQ_INT(at(&r, 10, 0, 100, 16, 40, 16).x, 100);
	ASSERT_EQ_INT(at(&r, 10, 3, 100, 16, 40, 16).x, 70);
	ASSERT_EQ_INT(at(&r, 10, 8, 100, 16, 40, 16).x, 30);
	ASSERT_EQ_INT(at(&s, 10, 3, 100, 16, 40, 16).x, 70);
	ASSERT(ls_effect_play_seconds(&r, 10, 100, 16, 40, 16) == 12.0);
	/* Vertical: 100x32 zone, 16 px high block resting at y = 8, 8 px/s. */
	ASSERT_EQ_INT(at(&t, 8, 0, 100, 32, 40, 16).y, -16);
	ASSERT_EQ_INT(at(&t, 8, 2, 100, 32, 40, 16).y, 0);
	ASSERT_EQ_INT(at(&t, 8, 4, 100, 32, 40, 16).y, 8);
	ASSERT_EQ_INT(at(&b, 8, 0, 100, 32, 40, 16).y, 32);
	ASSERT_EQ_INT(at(&b, 8, 2, 100, 32, 40, 16).y, 16);
	ASSERT_EQ_INT(at(&b, 8, 4, 100, 32, 40, 16).y, 8);
	ASSERT(ls_effect_play_seconds(&b, 8, 100, 32, 40, 16) == 8.0);
	ASSERT_SHOW(at(&b, 8, 1, 100, 32, 40, 16), 0, 0, 40, 16);
}

TEST(static_type_effects_wider_than_the_zone_scroll_left_and_moving_ones_do_not)
{
	static const enum ls_effect still[] = {
	    LS_EFFECT_STATIC,	       LS_EFFECT_BLINK,
	    LS_EFFECT_SLIDE_IN,	       LS_EFFECT_TYPEWRITER,
	    LS_EFFECT_WIPE_FROM_LEFT,  LS_EFFECT_WIPE_FROM_RIGHT,
	    LS_EFFECT_WIPE_FROM_TOP,   LS_EFFECT_WIPE_FROM_BOTTOM,
	    LS_EFFECT_COVER_FROM_LEFT, LS_EFFECT_COVER_FROM_RIGHT,
	    LS_EFFECT_COVER_FROM_TOP,  LS_EFFECT_COVER_FROM_BOTTOM};
	static const enum ls_effect moving[] = {LS_EFFECT_SCROLL_LEFT, LS_EFFECT_SCROLL_RIGHT,
						LS_EFFECT_SCROLL_UP, LS_EFFECT_SCROLL_DOWN,
						LS_EFFECT_SCROLL_LOOP};

	for (size_t i = 0; i < sizeof(still) / sizeof(still[0]); i++) {
		struct ls_item it = item(still[i], LS_ALIGN_LEFT);
		ASSERT_EQ_INT(ls_effect_effective(&it, 100, 101), LS_EFFECT_SCROLL_LEFT);
		ASSERT_EQ_INT(ls_effect_effective(&it, 100, 100), still[i]);
		/* Scrolling instead, it moves as scroll-left does: from x = 100. */
		ASSERT_EQ_INT(at(&it, 10, 1, 100, 16, 101, 16).x, 90);
	}
	for (size_t i = 0; i < sizeof(moving) / sizeof(moving[0]); i++) {
		struct ls_item it = item(moving[i], LS_ALIGN_LEFT);
		ASSERT_EQ_INT(ls_effect_effective(&it, 100, 101), moving[i]);
	}
}

/* Through the player, on a real canvas: a loop draws its block twice, the
 * second copy the same pixels one period to the right, and the gap dark. */
static struct ls_player *player_for(const char *json, struct ls_playlist **pl_out)
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
	ASSERT(pls);
	pls[0] = ls_playlist_parse(json, strlen(json), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	*pl_out = pls[0];
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	return p;
}

static bool column_lit(const struct ls_canvas *c, int x)
{
	for (int y = 0; y < c->height; y++)
		if (ls_rgb_lit(ls_canvas_get(c, x, y)))
			return true;
	return false;
}

TEST(the_player_draws_every_copy_of_a_loop_and_leaves_the_gap_dark)
{
	struct ls_playlist *pl;
	struct ls_player *p = player_for(
	    "{\"version\":1,\"items\":[{\"id\":\"l\",\"text\":\"BHXH\",\"effect\":\"scroll-loop\","
	    "\"gap\":20,\"speed\":10,\"duration\":60}]}",
	    &pl);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_player_layout lo;
	struct ls_now now;
	int w, per, x0;

	ls_now_at("UTC", 1796086800, 0, &now);
	ASSERT_EQ_INT(ls_player_layout(p, &pl->items[0], &now, &lo), 0);
	w = lo.widest;
	per = w + 20;
	ASSERT(w > 8 && 2 * per < 192);
	/* At t = 15 s, 150 px have moved: copy 0's head at 42, copy 1's at 42 + per. */
	ls_player_frame(p, &now, c);
	ls_now_at("UTC", 1796086800 + 15, 15000, &now);
	ls_player_frame(p, &now, c);
	x0 = 192 - 150;
	for (int x = 0; x < w; x++)
		ASSERT_EQ_INT(column_lit(c, x0 + x), column_lit(c, x0 + per + x));
	for (int x = x0 + w; x < x0 + per; x++)
		ASSERT(!column_lit(c, x));
	ASSERT(column_lit(c, x0) || column_lit(c, x0 + 1));
	ASSERT(column_lit(c, x0 + per) || column_lit(c, x0 + per + 1));
	for (int x = 0; x < x0; x++)
		ASSERT(!column_lit(c, x)); /* nothing before the first head */
	ls_canvas_free(c);
	ls_player_free(p);
}

/* A wipe from the right shows only the columns it has reached. */
TEST(the_player_clips_a_wipe_to_the_uncovered_columns)
{
	struct ls_playlist *pl;
	struct ls_player *p = player_for("{\"version\":1,\"items\":[{\"id\":\"w\",\"text\":"
					 "\"BHXH\",\"effect\":\"wipe-from-right\","
					 "\"speed\":10}]}",
					 &pl);
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_now now;
	int lit_left = 0;

	ls_now_at("UTC", 1796086800, 0, &now);
	ls_player_frame(p, &now, c);
	ls_now_at("UTC", 1796086800 + 1, 1000, &now); /* 10 columns uncovered at the right */
	ls_player_frame(p, &now, c);
	struct ls_player_layout lo;
	ASSERT_EQ_INT(ls_player_layout(p, &pl->items[0], &now, &lo), 0);
	for (int x = 0; x < lo.widest - 10; x++)
		lit_left += column_lit(c, x);
	ASSERT_EQ_INT(lit_left, 0);
	for (int x = lo.widest; x < 192; x++)
		ASSERT(!column_lit(c, x));
	ASSERT(column_lit(c, lo.widest - 1) || column_lit(c, lo.widest - 2) ||
	       column_lit(c, lo.widest - 3));
	ls_canvas_free(c);
	ls_player_free(p);
}
