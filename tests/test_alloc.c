/*
 * test_alloc.c: the hot paths allocate nothing, counted (alloc_count.h):
 * the refresh thread replaying a 192x16 HUB12 board, the player drawing a
 * scrolling item between item boundaries (also beside a picture, still or
 * animated), and the panel output encoding and
 * swapping a frame. Start-up may allocate; the loops may not.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alloc_count.h"
#include "harness.h"
#include "sink_transport.h"
#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/player.h"
#include "ledsign/refresh.h"
#include "ledsign/transport.h"

#define TZ "Asia/Ho_Chi_Minh"
#define T0 1796086800 /* 2026-12-01 08:00 +07 */

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

	nanosleep(&ts, NULL);
}

static atomic_ulong sink_sets;

/* Some lit text-like pattern that moves with n, so frames differ. */
static void pattern(struct ls_canvas *c, int n)
{
	ls_canvas_fill(c, (struct ls_rgb){0, 0, 0});
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++)
			if ((x + n) % 7 < 3 && (y + x / 7) % 3)
				c->px[y * c->width + x] = (struct ls_rgb){255, 0, 0};
}

static void board_config(struct ls_config *cfg)
{
	ls_config_defaults(cfg); /* a 192x16 red P10 (HUB12) board */
	cfg->display.n_fonts = 1;
	snprintf(cfg->display.fonts[0], sizeof(cfg->display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	snprintf(cfg->board.timezone, sizeof(cfg->board.timezone), TZ);
}

/* Waits (at most 30 s) until the sink has seen `sets` writes. */
static void wait_sets(unsigned long sets)
{
	for (int i = 0; i < 30000 && atomic_load(&sink_sets) < sets; i++)
		nap_ms(1);
	ASSERT_MSG(atomic_load(&sink_sets) >= sets,
		   "the refresh thread stalled at %lu of %lu writes", atomic_load(&sink_sets),
		   sets);
}

TEST(refresh_thread_replays_200_full_refreshes_without_allocating)
{
	struct ls_config cfg;
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_refresh_opts ro = {.rt_priority = 0, .cpu = -1, .passes = 0, .lock_memory = 0};
	struct ls_panel *panel;
	struct ls_program *a, *b;
	struct ls_transport *t;
	struct ls_refresh *r;
	struct ls_canvas *c;
	unsigned long before, after, per_refresh, from;

	board_config(&cfg);
	panel = ls_panel_new(&cfg.panel, &timing, NULL);
	ASSERT(panel);
	a = ls_panel_program_new(panel);
	b = ls_panel_program_new(panel);
	c = ls_canvas_new(192, 16);
	t = sink_transport_new(&sink_sets);
	ASSERT(a && b && c && t);
	pattern(c, 0);
	r = ls_refresh_start(t, a, b, &ro, NULL);
	ASSERT(r);
	ASSERT_EQ_INT(ls_panel_encode(panel, c, 100, ls_refresh_back(r)), 0);
	per_refresh = ls_program_writes(ls_refresh_back(r));
	ls_refresh_swap(r);
	ASSERT(per_refresh > 1000); /* 192x16 HUB12: about (2 x 192 + 4) x 4 writes */
	wait_sets(2 * per_refresh); /* started, and one full replay done */
	from = atomic_load(&sink_sets);
	before = alloc_count();
	wait_sets(from + 200 * per_refresh);
	after = alloc_count();
	ASSERT_MSG(after == before, "%lu allocations in 200 refreshes", after - before);
	ls_refresh_stop(r, NULL);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
	ls_canvas_free(c);
	ls_panel_free(panel);
}

TEST(player_frames_of_a_scrolling_item_allocate_nothing_between_item_boundaries)
{
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"long\",\"speed\":32,\"text\":\"BHXH, BHYT là hai "
	    "chính sách xã hội quan trọng, trụ cột của hệ thống an sinh xã hội - đi từng ngõ, gõ "
	    "từng nhà\"}]}";
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player_config pc;
	struct ls_config cfg;
	struct ls_player *p;
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_error err;
	struct ls_now now;
	int64_t since0, since;
	unsigned long before, after;

	board_config(&cfg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	ls_player_frame(p, &now, c); /* the item starts: its text is rendered once, here */
	ls_player_current(p, &since0);
	before = alloc_count();
	for (int i = 1; i <= 500; i++) { /* 20 s at 25 fps: 20 wall seconds ask the scheduler */
		ls_now_at(TZ, T0 + i * 40 / 1000, i * 40, &now);
		ls_player_frame(p, &now, c);
	}
	after = alloc_count();
	ASSERT_EQ_STR(ls_player_current(p, &since)->id, "long");
	ASSERT_MSG(since == since0, "the item restarted: the window must stay inside one play");
	ASSERT_MSG(after == before, "%lu allocations in 500 frames", after - before);
	ls_canvas_free(c);
	ls_player_free(p);
}

TEST(player_frames_of_a_picture_beside_scrolling_text_allocate_nothing)
{
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"pic\",\"speed\":32,\"text\":\"Cài đặt VssID - "
	    "BHXH số, BHYT học sinh, sinh viên\",\"picture\":{\"file\":\"pictures/emblem.png\","
	    "\"sha256\":\"386ac40ebc6445623aa406c72b35acf09c5130b62ece0b6d82bf21f54c07a8b1\"}}]}";
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player_config pc;
	struct ls_config cfg;
	struct ls_player *p;
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_error err;
	struct ls_now now;
	unsigned long before, after;

	board_config(&cfg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ASSERT_MSG(!ls_playlist_attach_pictures(pls[0], th_path("tests/data/t.json"),
						ls_picture_files(), &err),
		   "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	ls_player_frame(p, &now, c); /* the item starts: picture and text drawn once, here */
	ASSERT(ls_rgb_lit(ls_canvas_get(c, 8, 8)));
	before = alloc_count();
	for (int i = 1; i <= 250; i++) {
		ls_now_at(TZ, T0 + i * 40 / 1000, i * 40, &now);
		ls_player_frame(p, &now, c);
	}
	after = alloc_count();
	ASSERT_EQ_STR(ls_player_current(p, NULL)->id, "pic");
	ASSERT(ls_rgb_lit(ls_canvas_get(c, 8, 8))); /* the picture is still drawn */
	ASSERT_MSG(after == before, "%lu allocations in 250 frames", after - before);
	ls_canvas_free(c);
	ls_player_free(p);
}

/* An animated GIF beside scrolling text: its 4 frames are drawn when the
 * item starts; 250 frames of the board (10 s, ten loops) copy one each. */
TEST(player_frames_of_an_animated_picture_allocate_nothing_while_it_animates)
{
	const char *doc =
	    "{\"version\":1,\"items\":[{\"id\":\"anim\",\"speed\":32,\"duration\":60,"
	    "\"text\":\"Chúc mừng năm mới\",\"picture\":{\"file\":\"pictures/anim.gif\","
	    "\"sha256\":\"4f4bf44ac053ede572c3b4da68d42a72802107029acc2bba9e88727b749fa248\"}}]}";
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player_config pc;
	struct ls_config cfg;
	struct ls_player *p;
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_error err;
	struct ls_now now;
	unsigned long before, after;
	int changes = 0;
	bool was = false;

	board_config(&cfg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ASSERT_MSG(!ls_playlist_attach_pictures(pls[0], th_path("tests/data/t.json"),
						ls_picture_files(), &err),
		   "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	ls_player_frame(p, &now, c); /* the item starts: every frame of the picture drawn here */
	before = alloc_count();
	for (int i = 1; i <= 250; i++) {
		ls_now_at(TZ, T0 + i * 40 / 1000, i * 40, &now);
		ls_player_frame(p, &now, c);
		bool lit = ls_rgb_lit(ls_canvas_get(c, 3, 3)); /* frame 0's square */
		changes += lit != was;
		was = lit;
	}
	after = alloc_count();
	ASSERT_EQ_STR(ls_player_current(p, NULL)->id, "anim");
	ASSERT_MSG(changes >= 19, "the picture changed %d times in ten loops", changes);
	ASSERT_MSG(after == before, "%lu allocations in 250 frames", after - before);
	ls_canvas_free(c);
	ls_player_free(p);
}

/* Waits for a few turns of the output's refresh loop: a frame published
 * before the call has then been taken and replayed. */
static void wait_turns(struct ls_output *out)
{
	uint64_t beats = ls_output_refresh_count(out);

	for (int i = 0; i < 5000 && ls_output_refresh_count(out) < beats + 3; i++)
		nap_ms(1);
	ASSERT_MSG(ls_output_refresh_count(out) >= beats + 3, "the refresh thread does not turn");
}

TEST(panel_output_encodes_and_swaps_frames_without_allocating_after_the_first)
{
	struct ls_config cfg;
	struct ls_output *out;
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_error err;
	unsigned long before, after;

	board_config(&cfg);
	cfg.output.type = LS_OUTPUT_RECORD; /* the panel driver and its refresh thread, traced */
	snprintf(cfg.output.path, sizeof(cfg.output.path), "%s/trace", th_tmpdir());
	out = ls_output_open(&cfg, 192, 16, &err);
	ASSERT_MSG(out, "%s", err.msg);
	pattern(c, 0);
	ASSERT_EQ_INT(ls_output_show(out, c, &err), 0);
	wait_turns(out); /* the thread is up (its start-up may allocate) and took the frame */
	before = alloc_count();
	for (int i = 1; i <= 100; i++) {
		pattern(c, i);
		ASSERT_EQ_INT(ls_output_show(out, c, &err), 0);
		if (i == 50)
			ls_output_set_brightness(out, 40); /* re-encodes the last frame */
	}
	wait_turns(out); /* and replayed the last one */
	after = alloc_count();
	ASSERT_MSG(after == before, "%lu allocations in 100 frames", after - before);
	ls_output_close(out);
	ls_canvas_free(c);
}

TEST(the_counter_sees_allocations)
{
	unsigned long before = alloc_count();
	void *volatile p = malloc(16);
	void *volatile q = calloc(2, 8);

	p = realloc(p, 4096);
	ASSERT(alloc_count() - before >= 3);
	free(p);
	free(q);
}
