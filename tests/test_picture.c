/*
 * test_picture.c: drawing pictures (src/core/picture.c) on known gradients
 * and flat greys, the expected LEDs worked out from the definitions (a
 * threshold at half, the 4x4 Bayer matrix, Floyd-Steinberg's conservation of
 * brightness), and loading them (src/sys/picture_file.c): a hash that does
 * not match, a truncated file, a decompression bomb and an oversized picture
 * are refused with a reason; then a picture beside text on the player.
 * Animated GIFs: which frame shows when (the file's delays, looping, or the
 * item's fps), the frames of tests/data/pictures/anim.gif decoded whole,
 * hostile GIFs (truncated, too many frames, a bomb, a wrong hash) refused,
 * and the player showing frame N at the item's elapsed time.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/picture.h"
#include "ledsign/player.h"

#define EMBLEM_SHA "386ac40ebc6445623aa406c72b35acf09c5130b62ece0b6d82bf21f54c07a8b1"
#define ANIM_SHA "4f4bf44ac053ede572c3b4da68d42a72802107029acc2bba9e88727b749fa248"

static const struct ls_rgb ON = {255, 0, 0}, OFF = {0, 0, 0};

/* A w x h opaque grey image whose pixel (x, y) is level(x, y). */
static struct ls_image *grey(int w, int h, int (*level)(int x, int y))
{
	struct ls_image *im = ls_image_new(w, h);

	ASSERT(im);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = im->rgba + (y * w + x) * 4;
			p[0] = p[1] = p[2] = (uint8_t)level(x, y);
			p[3] = 255;
		}
	return im;
}

static int ramp(int x, int y)
{
	(void)y;
	return x * 17; /* 0, 17, ..., 255 over 16 columns */
}
static int half(int x, int y)
{
	(void)x, (void)y;
	return 128;
}
static int quarter(int x, int y)
{
	(void)x, (void)y;
	return 64;
}

static struct ls_canvas *drawn(const struct ls_image *im, enum ls_dither d)
{
	struct ls_canvas *c = ls_canvas_new(im->w, im->h);
	struct ls_picture_style st = {
	    .fit = LS_FIT_NONE, .dither = d, .mono = true, .fg = ON, .bg = OFF};

	ls_picture_draw(im, &st, c, (struct ls_rect){0, 0, im->w, im->h});
	return c;
}

static int lit_count(const struct ls_canvas *c)
{
	int n = 0;

	for (int i = 0; i < c->width * c->height; i++)
		n += c->px[i].r == 255;
	return n;
}

TEST(fit_contain_cover_and_none_give_the_sizes_their_definitions_say)
{
	int w, h;

	ls_picture_fit_size(LS_FIT_CONTAIN, 32, 32, 192, 16, &w, &h); /* limited by the height */
	ASSERT(w == 16 && h == 16);
	ls_picture_fit_size(LS_FIT_CONTAIN, 64, 16, 32, 32, &w, &h); /* limited by the width */
	ASSERT(w == 32 && h == 8);
	ls_picture_fit_size(LS_FIT_COVER, 64, 32, 16, 16, &w, &h); /* fills the height, overflows */
	ASSERT(w == 32 && h == 16);
	ls_picture_fit_size(LS_FIT_NONE, 40, 20, 16, 16, &w, &h);
	ASSERT(w == 40 && h == 20);
}

TEST(threshold_lights_a_ramp_from_the_first_column_at_half_brightness)
{
	struct ls_image *im = grey(16, 2, ramp);
	struct ls_canvas *c = drawn(im, LS_DITHER_THRESHOLD);

	/* Column x has level 17 x: 7 * 17 = 119 is dark, 8 * 17 = 136 is lit. */
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 16; x++)
			ASSERT_EQ_INT(ls_canvas_get(c, x, y).r == 255, x >= 8);
	ls_canvas_free(c);
	ls_image_free(im);
}

TEST(ordered_dither_lights_the_bayer_cells_below_the_level)
{
	/* The 4x4 Bayer matrix: a cell lights when level > (m + 0.5) * 16, so a
	 * flat 128 lights the cells m = 0..7 and a flat 64 the cells m = 0..3. */
	static const int M[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
	struct ls_image *h = grey(8, 8, half), *q = grey(8, 8, quarter);
	struct ls_canvas *ch = drawn(h, LS_DITHER_ORDERED), *cq = drawn(q, LS_DITHER_ORDERED);

	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 8; x++) {
			ASSERT_EQ_INT(ls_canvas_get(ch, x, y).r == 255, M[y % 4][x % 4] < 8);
			ASSERT_EQ_INT(ls_canvas_get(cq, x, y).r == 255, M[y % 4][x % 4] < 4);
		}
	ASSERT_EQ_INT(lit_count(ch), 32);
	ASSERT_EQ_INT(lit_count(cq), 16);
	ls_canvas_free(ch);
	ls_canvas_free(cq);
	ls_image_free(h);
	ls_image_free(q);
}

TEST(error_diffusion_keeps_the_average_brightness_of_flat_greys_and_ramps)
{
	struct ls_image *h = grey(16, 16, half), *q = grey(16, 16, quarter),
			*r = grey(16, 16, ramp);
	struct ls_canvas *ch = drawn(h, LS_DITHER_DIFFUSION), *cq = drawn(q, LS_DITHER_DIFFUSION);
	struct ls_canvas *cr = drawn(r, LS_DITHER_DIFFUSION);
	int left = 0, right = 0;

	/* Error diffusion carries each pixel's error on, so the lit share
	 * follows the level: 128/255 of 256 LEDs is 128.5, 64/255 is 64.3. What
	 * is lost is the error pushed past the right edge (under 7/16 of half an
	 * LED a row) and left under the bottom row (under half an LED a column):
	 * below 16 * 0.22 + 16 * 0.5 = 11.5 LEDs. */
	ASSERT_MSG(abs(lit_count(ch) - 128) <= 11, "%d lit of 256 at 128", lit_count(ch));
	ASSERT_MSG(abs(lit_count(cq) - 64) <= 11, "%d lit of 256 at 64", lit_count(cq));
	/* Unlike a threshold, a ramp lights some LEDs below half and leaves some dark above. */
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 8; x++) {
			left += ls_canvas_get(cr, x, y).r == 255;
			right += ls_canvas_get(cr, x + 8, y).r == 255;
		}
	ASSERT(left > 0 && right < 128 && right > left);
	/* The whole ramp averages (0 + ... + 255) / 16 = 127.5: half the LEDs. */
	ASSERT_MSG(abs(lit_count(cr) - 128) <= 11, "%d lit of 256 on the ramp", lit_count(cr));
	ls_canvas_free(ch);
	ls_canvas_free(cq);
	ls_canvas_free(cr);
	ls_image_free(h);
	ls_image_free(q);
	ls_image_free(r);
}

TEST(on_rgb_a_picture_is_laid_over_the_background_by_its_alpha_and_scaled_by_averaging)
{
	struct ls_image *im = ls_image_new(2, 1);
	struct ls_canvas *c = ls_canvas_new(3, 1);
	struct ls_picture_style st = {.fit = LS_FIT_CONTAIN, .bg = {0, 0, 255}};

	memcpy(im->rgba, (uint8_t[]){255, 255, 255, 255, 255, 255, 255, 0}, 8);
	/* Kept at 1:1 (none): white, then fully transparent (the blue background). */
	st.fit = LS_FIT_NONE;
	ls_picture_draw(im, &st, c, (struct ls_rect){0, 0, 2, 1});
	ASSERT(ls_canvas_get(c, 0, 0).r == 255 && ls_canvas_get(c, 0, 0).b == 255);
	ASSERT(ls_canvas_get(c, 1, 0).r == 0 && ls_canvas_get(c, 1, 0).b == 255);
	/* Shrunk to one pixel: the average is white at alpha 128 over blue. */
	ls_canvas_fill(c, (struct ls_rgb){0, 0, 0});
	st.fit = LS_FIT_CONTAIN;
	ls_picture_draw(im, &st, c, (struct ls_rect){1, 0, 1, 1});
	ASSERT_EQ_INT(ls_canvas_get(c, 1, 0).r, 128);
	ASSERT_EQ_INT(ls_canvas_get(c, 1, 0).b, 255);
	ASSERT_EQ_INT(ls_canvas_get(c, 0, 0).r, 0); /* nothing outside the box */
	ASSERT_EQ_INT(ls_canvas_get(c, 2, 0).r, 0);
	ls_canvas_free(c);
	ls_image_free(im);
}

static int stripes(int x, int y)
{
	(void)y;
	return x % 2 ? 100 : 0;
}

TEST(detail_kept_is_full_for_a_flat_grey_and_low_for_thin_dim_lines_under_a_threshold)
{
	struct ls_image *h = grey(16, 16, half), *s = grey(16, 16, stripes);
	struct ls_picture_style st = {.fit = LS_FIT_NONE, .dither = LS_DITHER_THRESHOLD};

	ASSERT_EQ_INT(ls_picture_detail_kept(h, &st, (struct ls_rect){0, 0, 16, 16}), 100);
	/* Lines at level 100 are all below half: the threshold shows nothing of them. */
	ASSERT(ls_picture_detail_kept(s, &st, (struct ls_rect){0, 0, 16, 16}) < 20);
	ls_image_free(h);
	ls_image_free(s);
}

static uint8_t *digest(const char *hex, uint8_t out[32])
{
	for (int i = 0; i < 32; i++) {
		unsigned b;
		ASSERT(sscanf(hex + 2 * i, "%2x", &b) == 1);
		out[i] = (uint8_t)b;
	}
	return out;
}

TEST(a_picture_loads_only_when_its_sha256_matches)
{
	uint8_t d[32];
	struct ls_error err;
	struct ls_image *im =
	    ls_picture_load(th_path("tests/data/pictures/emblem.png"), digest(EMBLEM_SHA, d), &err);

	ASSERT_MSG(im, "%s", err.msg);
	ASSERT(im->w == 32 && im->h == 32);
	ASSERT_EQ_INT(im->rgba[3], 0);			  /* a transparent corner */
	ASSERT_EQ_INT(im->rgba[(16 * 32 + 16) * 4], 255); /* the yellow centre */
	ls_image_free(im);
	d[0] ^= 1;
	ASSERT(!ls_picture_load(th_path("tests/data/pictures/emblem.png"), d, &err));
	ASSERT_CONTAINS(err.msg, "its SHA-256 is " EMBLEM_SHA " but the playlist names");
	ASSERT_CONTAINS(err.msg, "changed or swapped");
}

static const char *decode_error(const char *rel)
{
	static struct ls_error err;
	FILE *f = fopen(th_path(rel), "rb");
	static uint8_t buf[LS_PICTURE_MAX_BYTES + 2];
	size_t n;
	struct ls_image *im;

	ASSERT(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	im = ls_picture_decode(buf, n, rel, &err);
	ASSERT_MSG(!im, "%s decoded", rel);
	return err.msg;
}

TEST(hostile_pictures_are_refused_with_a_reason_before_they_are_decoded)
{
	static uint8_t big[LS_PICTURE_MAX_BYTES + 1];
	struct ls_error err;

	/* 1000 x 1000 zero pixels squeezed into 4 KB: refused from its header. */
	ASSERT_CONTAINS(decode_error("tests/data/pictures/bomb.png"), "1000x1000 pixels");
	ASSERT_CONTAINS(decode_error("tests/data/pictures/wide.png"), "2000x10 pixels");
	ASSERT_CONTAINS(decode_error("tests/data/pictures/truncated.png"), "truncated");
	ASSERT_CONTAINS(decode_error("tests/data/golden.json"), "not a PNG or GIF file");
	memcpy(big, "\x89PNG\r\n\x1a\n", 8);
	ASSERT(!ls_picture_decode(big, sizeof(big), "big.png", &err));
	ASSERT_CONTAINS(err.msg, "at most 262144 bytes");
}

/* On the player: a 32x32 emblem contained in a 192x16 zone takes 16x16 at
 * the left; the text scrolls in the other 176 columns. */
TEST(a_picture_beside_text_takes_its_box_and_the_text_plays_in_the_rest)
{
	char doc[512];
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_player *p;
	struct ls_player_layout lo;
	struct ls_error err;
	struct ls_now now;
	int lit_box = 0;

	snprintf(doc, sizeof(doc),
		 "{\"version\":1,\"items\":[{\"id\":\"e\",\"text\":\"BHXH\",\"effect\":"
		 "\"static\",\"align\":\"right\",\"picture\":{\"file\":\"pictures/emblem.png\","
		 "\"sha256\":\"%s\",\"dither\":\"threshold\"}}]}",
		 EMBLEM_SHA);
	ls_config_defaults(&cfg);
	cfg.display.n_fonts = 1;
	snprintf(cfg.display.fonts[0], sizeof(cfg.display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ASSERT_EQ_INT(ls_playlist_attach_pictures(pls[0], th_path("tests/data/x.json"),
						  ls_picture_files(), &err),
		      0);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	ls_now_at("UTC", 1796086800, 0, &now);
	ASSERT_EQ_INT(ls_player_layout(p, &pls[0]->items[0], &now, &lo), 0);
	ASSERT(lo.picture_box.x == 0 && lo.picture_box.w == 16 && lo.picture_box.h == 16);
	ASSERT(lo.rect.x == 16 && lo.rect.w == 176);
	ls_player_frame(p, &now, c);
	/* The disc (radius 15 of 32, so 7.5 of 16) is lit at its centre, dark in the corners. */
	ASSERT(ls_rgb_lit(ls_canvas_get(c, 8, 8)));
	ASSERT(!ls_rgb_lit(ls_canvas_get(c, 0, 0)) && !ls_rgb_lit(ls_canvas_get(c, 15, 15)));
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++)
			lit_box += ls_rgb_lit(ls_canvas_get(c, x, y));
	ASSERT(lit_box > 120 && lit_box < 256 - 40); /* about pi * 7.5^2 = 177 */
	/* The text stands right-aligned in its area: the last columns have it, none next to the
	 * box. */
	ASSERT(ls_rgb_lit(ls_canvas_get(c, 190, 8)) || ls_rgb_lit(ls_canvas_get(c, 189, 8)) ||
	       ls_rgb_lit(ls_canvas_get(c, 188, 5)) || ls_rgb_lit(ls_canvas_get(c, 187, 5)));
	for (int y = 0; y < 16; y++)
		ASSERT(!ls_rgb_lit(ls_canvas_get(c, 16, y)));
	ls_canvas_free(c);
	ls_player_free(p);
}

/* Delays of 100, 200, 300 and 400 ms: a loop of 1 s. */
TEST(an_animation_shows_each_frame_for_its_delay_and_loops)
{
	struct ls_image *im = ls_image_new_frames(2, 2, 4);
	static const int64_t at[] = {0, 99, 100, 299, 300, 599, 600, 999, 1000, 1100, 12345};
	static const int want[] = {0, 0, 1, 1, 2, 2, 3, 3, 0, 1, 2};

	ASSERT(im);
	for (int i = 0; i < 4; i++)
		im->delay_ms[i] = (i + 1) * 100;
	ASSERT_EQ_INT((int)ls_image_loop_ms(im, 0), 1000);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		ASSERT_MSG(ls_image_frame_at(im, 0, at[i]) == want[i], "at %lld ms: frame %d",
			   (long long)at[i], ls_image_frame_at(im, 0, at[i]));
	ls_image_free(im);
}

/* With fps every frame lasts 1000 / fps ms, counted so thirds never drift. */
TEST(fps_overrides_the_delays_frame_k_starting_at_k_thousandths_over_fps)
{
	struct ls_image *im = ls_image_new_frames(2, 2, 4), *still = ls_image_new(2, 2);

	ASSERT(im && still);
	ASSERT_EQ_INT(ls_image_frame_at(im, 10, 0), 0);
	ASSERT_EQ_INT(ls_image_frame_at(im, 10, 150), 1);
	ASSERT_EQ_INT(ls_image_frame_at(im, 10, 399), 3);
	ASSERT_EQ_INT(ls_image_frame_at(im, 10, 400), 0);
	ASSERT_EQ_INT(ls_image_frame_at(im, 3, 333), 0);
	ASSERT_EQ_INT(ls_image_frame_at(im, 3, 334), 1);
	ASSERT_EQ_INT(ls_image_frame_at(im, 3, 3 * 60000 + 1000), 3); /* frame 543 */
	ASSERT_EQ_INT((int)ls_image_loop_ms(im, 3), 1334);
	ASSERT_EQ_INT(ls_image_frame_at(still, 10, 5000), 0);
	ASSERT_EQ_INT((int)ls_image_loop_ms(still, 0), 0);
	ls_image_free(im);
	ls_image_free(still);
}

TEST(frames_over_the_limits_are_not_allocated)
{
	ASSERT(!ls_image_new_frames(16, 16, LS_PICTURE_MAX_FRAMES + 1));
	ASSERT(!ls_image_new_frames(512, 512, 3)); /* 786432 pixels */
	ASSERT(!ls_image_new_frames(16, 16, 0));
}

/* Whether the 8x8 square of quadrant k (0 top-left .. 3 bottom-right) is
 * white, and the other three black, in frame f of a 16x16 animation. */
static bool square_in(const struct ls_image *im, int f, int k)
{
	struct ls_image fr = ls_image_frame(im, f);

	for (int q = 0; q < 4; q++) {
		const uint8_t *px = fr.rgba + ((q / 2 * 8 + 3) * 16 + q % 2 * 8 + 3) * 4;
		if ((px[0] == 255) != (q == k) || px[3] != 255)
			return false;
	}
	return true;
}

TEST(an_animated_gif_decodes_every_frame_whole_with_its_delays)
{
	uint8_t d[32];
	struct ls_error err;
	struct ls_image *im =
	    ls_picture_load(th_path("tests/data/pictures/anim.gif"), digest(ANIM_SHA, d), &err);

	ASSERT_MSG(im, "%s", err.msg);
	ASSERT(im->w == 16 && im->h == 16);
	ASSERT_EQ_INT(im->n_frames, 4);
	for (int f = 0; f < 4; f++) {
		ASSERT_EQ_INT(im->delay_ms[f], (f + 1) * 100);
		ASSERT_MSG(square_in(im, f, f), "frame %d", f);
	}
	ls_image_free(im);
}

TEST(hostile_gifs_are_refused_with_a_reason_before_a_frame_is_decoded)
{
	uint8_t d[32];
	struct ls_error err;

	ASSERT_CONTAINS(decode_error("tests/data/pictures/anim-truncated.gif"), "truncated GIF");
	ASSERT_CONTAINS(decode_error("tests/data/pictures/anim-many.gif"), "more than 64 frames");
	/* 111 bytes declaring three 512x512 frames: refused from their descriptors. */
	ASSERT_CONTAINS(decode_error("tests/data/pictures/anim-bomb.gif"),
			"3 frames of 512x512 pixels");
	ASSERT_CONTAINS(decode_error("tests/data/pictures/anim-bomb.gif"), "524288 pixels in all");
	digest(ANIM_SHA, d);
	d[31] ^= 1;
	ASSERT(!ls_picture_load(th_path("tests/data/pictures/anim.gif"), d, &err));
	ASSERT_CONTAINS(err.msg, "its SHA-256 is " ANIM_SHA " but the playlist names");
}

/* The player shows frame N at the item's elapsed time: anim.gif alone, at
 * the left of a 192x16 board, first with the file's delays, then at fps 10. */
static struct ls_player *anim_player(const char *fps)
{
	char doc[512];
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_player *p;
	struct ls_error err;

	snprintf(doc, sizeof(doc),
		 "{\"version\":1,\"items\":[{\"id\":\"a\",\"duration\":60,\"picture\":{"
		 "\"file\":\"pictures/anim.gif\",\"sha256\":\"%s\",\"dither\":\"threshold\"%s}}]}",
		 ANIM_SHA, fps);
	ls_config_defaults(&cfg);
	cfg.display.n_fonts = 1;
	snprintf(cfg.display.fonts[0], sizeof(cfg.display.fonts[0]), "%s",
		 th_path("fonts/ledsign16.bdf"));
	pls[0] = ls_playlist_parse(doc, strlen(doc), "t.json", &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ASSERT_MSG(!ls_playlist_attach_pictures(pls[0], th_path("tests/data/x.json"),
						ls_picture_files(), &err),
		   "%s", err.msg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	return p;
}

/* The quadrant lit on the board's left 16x16 at mono_ms, or -1 when not one alone. */
static int lit_quadrant(struct ls_player *p, struct ls_canvas *c, int64_t mono_ms)
{
	struct ls_now now;
	int k = -1;

	ls_now_at("UTC", 1796086800 + mono_ms / 1000, mono_ms, &now);
	ls_player_frame(p, &now, c);
	for (int q = 0; q < 4; q++)
		if (ls_rgb_lit(ls_canvas_get(c, q % 2 * 8 + 3, q / 2 * 8 + 3))) {
			if (k >= 0)
				return -1;
			k = q;
		}
	return k;
}

TEST(the_player_shows_the_frame_of_the_items_elapsed_time)
{
	struct ls_canvas *c = ls_canvas_new(192, 16);
	struct ls_player *p = anim_player("");
	static const int64_t at[] = {0, 150, 350, 700, 1050, 1400, 2950};
	static const int want[] = {0, 1, 2, 3, 0, 2, 3};

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		ASSERT_MSG(lit_quadrant(p, c, at[i]) == want[i], "at %lld ms: quadrant %d",
			   (long long)at[i], lit_quadrant(p, c, at[i]));
	ls_player_free(p);
	p = anim_player(",\"fps\":10");
	ASSERT_EQ_INT(lit_quadrant(p, c, 0), 0);
	ASSERT_EQ_INT(lit_quadrant(p, c, 150), 1);
	ASSERT_EQ_INT(lit_quadrant(p, c, 250), 2);
	ASSERT_EQ_INT(lit_quadrant(p, c, 399), 3);
	ASSERT_EQ_INT(lit_quadrant(p, c, 450), 0);
	ls_player_free(p);
	ls_canvas_free(c);
}

TEST(fps_outside_1_to_50_is_refused_naming_the_key)
{
	const char *doc = "{\"version\":1,\"items\":[{\"id\":\"a\",\"picture\":{\"file\":"
			  "\"a.gif\",\"sha256\":\"" ANIM_SHA "\",\"fps\":60}}]}";
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(doc, strlen(doc), "t.json", &err);

	ASSERT(!pl);
	ASSERT_CONTAINS(err.msg, "items[0].picture.fps");
	ASSERT_CONTAINS(err.msg, "1..50 frames per second");
}
