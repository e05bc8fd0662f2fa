/*
 * test_preview.c: `ledsign preview` shows what the board shows, when it shows
 * it. The GIF the tool writes is decoded with giflib (DGifSlurp) and checked
 * against the player (the service's code path) run here frame by frame and
 * against `ledsign render`: the dots lit, the delays, the loop flag, the
 * warning frame and the amber dots of problem characters. Also the pure parts: the GIF writer's
 * exact delays and the schedule summary.
 */
#include <gif_lib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/gif.h"
#include "ledsign/player.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/preview_file.h"
#include "ledsign/clock.h"

#define AT "2026-03-02 07:30"
#define AT_UNIX 1772411400 /* 2026-03-02 07:30 +07 */
#define TZ "Asia/Ho_Chi_Minh"
#define W 192
#define H 16

/* A decoded GIF: every frame composited to the full picture, as a viewer shows it. */
struct anim {
	int w, h, n;
	uint8_t **frames;
	int *delay_cs;
	struct ls_rgb pal[256];
	bool loops;
};

static const char *tool(void)
{
	static char path[4096];
	const char *b = getenv("LEDSIGN_BUILD");

	snprintf(path, sizeof(path), "%s/ledsign", b ? b : th_path("build"));
	return path;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static const char *write_file(const char *name, const char *text)
{
	static char path[4][4096];
	static int turn;
	char *p = path[turn++ % 4];
	FILE *f;

	snprintf(p, 4096, "%s/%s", th_tmpdir(), name);
	f = fopen(p, "w");
	ASSERT(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static char *slurp_text(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static bool is_loop_extension(const SavedImage *img)
{
	for (int i = 0; i + 1 < img->ExtensionBlockCount; i++) {
		const ExtensionBlock *a = &img->ExtensionBlocks[i],
				     *b = &img->ExtensionBlocks[i + 1];
		if (a->Function == APPLICATION_EXT_FUNC_CODE && a->ByteCount == 11 &&
		    !memcmp(a->Bytes, "NETSCAPE2.0", 11) && b->ByteCount == 3 && b->Bytes[0] == 1)
			return true; /* loop count b->Bytes[1..2], 0 = forever */
	}
	return false;
}

static void decode(const char *path, struct anim *a)
{
	int e = 0;
	GifFileType *g = DGifOpenFileName(path, &e);

	ASSERT_MSG(g, "%s: %s", path, GifErrorString(e));
	ASSERT_MSG(DGifSlurp(g) == GIF_OK, "%s: %s", path, GifErrorString(g->Error));
	ASSERT(g->SColorMap && g->SColorMap->ColorCount == 256);
	a->w = g->SWidth;
	a->h = g->SHeight;
	a->n = g->ImageCount;
	a->frames = calloc((size_t)a->n, sizeof(*a->frames));
	a->delay_cs = calloc((size_t)a->n, sizeof(*a->delay_cs));
	for (int i = 0; i < 256; i++)
		a->pal[i] =
		    (struct ls_rgb){g->SColorMap->Colors[i].Red, g->SColorMap->Colors[i].Green,
				    g->SColorMap->Colors[i].Blue};
	a->loops = g->ImageCount > 0 && is_loop_extension(&g->SavedImages[0]);
	for (int i = 0; i < a->n; i++) {
		const SavedImage *img = &g->SavedImages[i];
		const GifImageDesc *d = &img->ImageDesc;
		GraphicsControlBlock gcb;
		a->frames[i] = malloc((size_t)a->w * a->h);
		if (i)
			memcpy(a->frames[i], a->frames[i - 1], (size_t)a->w * a->h);
		ASSERT(DGifSavedExtensionToGCB(g, i, &gcb) == GIF_OK);
		for (int y = 0; y < d->Height; y++)
			for (int x = 0; x < d->Width; x++) {
				uint8_t v = img->RasterBits[(size_t)y * d->Width + x];
				if (v != gcb.TransparentColor) /* transparent: the previous pixel
								  stays */
					a->frames[i][(size_t)(d->Top + y) * a->w + d->Left + x] = v;
			}
		ASSERT_EQ_INT(gcb.DisposalMode, DISPOSE_DO_NOT);
		a->delay_cs[i] = gcb.DelayTime;
	}
	DGifCloseFile(g, &e);
}

static void anim_free(struct anim *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->frames[i]);
	free(a->frames);
	free(a->delay_cs);
}

/* The picture geometry the tool uses for the default board (192x16 red P10, scale 6). */
static struct ls_preview *default_picture(void)
{
	struct ls_preview_style st = {
	    .scale = 6, .mono = true, .colour = {255, 0, 0}, .module_w = 32, .module_h = 16};
	struct ls_error err;
	struct ls_preview *p = ls_preview_new(W, H, &st, &err);

	ASSERT_MSG(p, "%s", err.msg);
	return p;
}

/* Which dots of frame i are lit, read at the dot centres. */
static void lit_dots(const struct anim *a, int i, const struct ls_preview *pv, bool *lit)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			int px, py;
			ls_preview_led_centre(pv, x, y, &px, &py);
			lit[y * W + x] = ls_rgb_lit(a->pal[a->frames[i][(size_t)py * a->w + px]]);
		}
}

static int count_mismatches(const bool *lit, const struct ls_canvas *c)
{
	int bad = 0;

	for (int i = 0; i < W * H; i++)
		bad += lit[i] != ls_rgb_lit(c->px[i]);
	return bad;
}

/* The player exactly as the tool sets it up for the default board. */
static struct ls_player *player_for(const char *playlist)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_error err;
	struct ls_player *p;

	ls_config_defaults(&cfg);
	ls_config_default_fonts(&cfg);
	pls[0] = ls_playlist_load(playlist, &err);
	ASSERT_MSG(pls[0], "%s", err.msg);
	ls_player_config_from(&pc, &cfg);
	p = ls_player_new(&pc, &err);
	ASSERT_MSG(p, "%s", err.msg);
	ls_player_set_playlists(p, pls, 1);
	return p;
}

static const char TWO_STATIC[] =
    "{\"version\": 1, \"items\": ["
    "{\"id\": \"mo-cua\", \"text\": \"Mở cửa\", \"effect\": \"static\", \"duration\": 2},"
    "{\"id\": \"dong-cua\", \"text\": \"Đóng cửa\", \"effect\": \"static\", \"duration\": 1.6}]}";

static const char SCROLL_THEN_STATIC[] =
    "{\"version\": 1, \"items\": ["
    "{\"id\": \"vssid\", \"text\": \"Cài đặt VssID - BHXH số\", \"speed\": 48},"
    "{\"id\": \"gio\", \"text\": \"Giờ làm việc 7:30\", \"effect\": \"blink\", \"duration\": 2}]}";

/* Plays frames 0..k-1 (25 frames/s from --at), as the preview did before its first. */
static void play_frames(struct ls_player *p, struct ls_canvas *c, int k)
{
	for (int i = 0; i < k; i++) {
		struct ls_now now;
		ls_now_at(TZ, AT_UNIX + i * 40 / 1000, i * 40, &now);
		ls_player_frame(p, &now, c);
	}
}

/* The frame a GIF preview opens on, by the rule content/README.md gives: the
 * first (at 25 frames/s from --at) with LEDs lit in a quarter of the board's
 * width, 16 columns at most, or lit and unchanged from the frame before. */
static int opening_frame(const char *playlist)
{
	struct ls_player *p = player_for(playlist);
	struct ls_canvas *c = ls_canvas_new(W, H);
	static struct ls_rgb before[W * H];
	int k, want = W / 4 < 16 ? (W + 3) / 4 : 16, prev = -1;

	for (k = 0; k < 25 * 60; k++) {
		struct ls_now now;
		int cols = 0;
		ls_now_at(TZ, AT_UNIX + k * 40 / 1000, k * 40, &now);
		ls_player_frame(p, &now, c);
		for (int x = 0; x < W; x++)
			for (int y = 0; y < H; y++)
				if (ls_rgb_lit(c->px[y * W + x])) {
					cols++;
					break;
				}
		if (cols >= want ||
		    (cols && cols == prev && !memcmp(before, c->px, sizeof(before))))
			break;
		memcpy(before, c->px, sizeof(before));
		prev = cols;
	}
	ls_canvas_free(c);
	ls_player_free(p);
	return k;
}

static void preview_gif(const char *playlist, const char *gif, const char *seconds)
{
	char errpath[4096];

	snprintf(errpath, sizeof(errpath), "%s/preview.err", th_tmpdir());
	ASSERT_MSG(run("'%s' preview '%s' --at '" AT "' --seconds %s --out '%s' 2>'%s'", tool(),
		       playlist, seconds, gif, errpath) == 0,
		   "ledsign preview failed: %s", slurp_text(errpath));
}

TEST(static_items_become_one_frame_each_lasting_their_duration)
{
	const char *pl = write_file("static.json", TWO_STATIC), *gif = write_file("static.gif", "");
	struct anim a;

	preview_gif(pl, gif, "5");
	decode(gif, &a);
	/* 2 s of the first item, 1.6 s of the second, the first again for the last 1.4 s (durations
	 * on the 1/25 s grid). */
	ASSERT_EQ_INT(a.n, 3);
	ASSERT_EQ_INT(a.delay_cs[0], 200);
	ASSERT_EQ_INT(a.delay_cs[1], 160);
	ASSERT_EQ_INT(a.delay_cs[2], 140);
	ASSERT(!memcmp(a.frames[0], a.frames[2], (size_t)a.w * a.h));
	ASSERT(memcmp(a.frames[0], a.frames[1], (size_t)a.w * a.h));
	anim_free(&a);
}

TEST(gif_loops_forever)
{
	const char *pl = write_file("static.json", TWO_STATIC), *gif = write_file("loop.gif", "");
	struct anim a;

	preview_gif(pl, gif, "1");
	decode(gif, &a);
	ASSERT(a.loops);
	anim_free(&a);
}

/* Every 1/25 s of the animation shows the dots the player lights at that
 * moment: a merged frame holds exactly as long as the board does not change,
 * and the switch from the scrolling item to the blinking one falls where the
 * player puts it. */
TEST(every_moment_of_the_gif_shows_the_dots_the_player_lights)
{
	const char *pl = write_file("mixed.json", SCROLL_THEN_STATIC),
		   *gif = write_file("mixed.gif", "");
	struct ls_preview *pv = default_picture();
	struct ls_player *p = player_for(pl);
	struct ls_canvas *c = ls_canvas_new(W, H);
	const struct ls_item *first = NULL;
	bool lit[W * H], switched = false;
	struct anim a;
	int k0 = opening_frame(pl), k = k0, total = 0;

	preview_gif(pl, gif, "12");
	decode(gif, &a);
	play_frames(p, c, k0);
	ASSERT_EQ_INT(a.w, ls_preview_width(pv));
	ASSERT_EQ_INT(a.h, ls_preview_height(pv));
	for (int i = 0; i < a.n; i++) {
		ASSERT_MSG(a.delay_cs[i] % 4 == 0,
			   "frame %d lasts %d cs, not a whole number of 1/25 s", i, a.delay_cs[i]);
		lit_dots(&a, i, pv, lit);
		for (int end = total + a.delay_cs[i]; total < end; total += 4, k++) {
			struct ls_now now;
			int64_t since;
			const struct ls_item *it;
			ls_now_at(TZ, AT_UNIX + k * 40 / 1000, k * 40, &now);
			ls_player_frame(p, &now, c);
			it = ls_player_current(p, &since);
			if (!first)
				first = it;
			if (it != first && !switched) {
				switched = true;
				/* The blinking item starts a new GIF frame, the first frame at or
				 * after its start. */
				int64_t mono = total * 10 + k0 * 40; /* the GIF opens at frame k0 */
				ASSERT_MSG(mono >= since && mono - since < 40,
					   "switch at %lld ms, item start %lld ms", (long long)mono,
					   (long long)since);
				ASSERT_EQ_INT(total, end - a.delay_cs[i]);
			}
			ASSERT_MSG(count_mismatches(lit, c) == 0,
				   "frame %d at %d ms: %d dots differ", i, total * 10,
				   count_mismatches(lit, c));
		}
	}
	ASSERT_EQ_INT(total, 1200);
	ASSERT(switched);
	anim_free(&a);
	ls_canvas_free(c);
	ls_player_free(p);
	ls_preview_free(pv);
}

/* Frame at time t of the decoded animation. */
static int frame_at(const struct anim *a, int t_cs)
{
	int t = 0;

	for (int i = 0; i < a->n; i++) {
		if (t_cs < t + a->delay_cs[i])
			return i;
		t += a->delay_cs[i];
	}
	return a->n - 1;
}

TEST(dots_match_ledsign_render_at_the_same_moment)
{
	const char *pl = write_file("mixed.json", SCROLL_THEN_STATIC),
		   *gif = write_file("render.gif", "");
	static const char *const times[] = {"0", "1.2", "2.4", "3.96"};
	struct ls_preview *pv = default_picture();
	bool lit[W * H];
	struct anim a;
	int lit_total = 0, k0 = opening_frame(pl);

	preview_gif(pl, gif, "4");
	decode(gif, &a);
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		char png[4096], at_s[32];
		struct ls_error err;
		struct ls_canvas *c;
		snprintf(png, sizeof(png), "%s/render-%zu.png", th_tmpdir(), i);
		snprintf(at_s, sizeof(at_s), "%.2f", atof(times[i]) + k0 * 0.04);
		ASSERT(run("'%s' render '%s' --at '" AT "' --time %s --out '%s'", tool(), pl, at_s,
			   png) == 0);
		c = ls_png_read(png, &err);
		ASSERT_MSG(c, "%s", err.msg);
		lit_dots(&a, frame_at(&a, (int)(atof(times[i]) * 100 + 0.5)), pv, lit);
		ASSERT_MSG(count_mismatches(lit, c) == 0,
			   "at %s s: %d dots differ from ledsign render", times[i],
			   count_mismatches(lit, c));
		for (int j = 0; j < W * H; j++)
			lit_total += lit[j];
		ls_canvas_free(c);
	}
	ASSERT(lit_total > 100); /* the comparison saw text, not only a dark board */
	anim_free(&a);
	ls_preview_free(pv);
}

TEST(missing_glyph_frames_the_board_in_the_warning_colour_and_is_listed)
{
	const char *bad = write_file(
	    "bad.json",
	    "{\"version\": 1, \"items\": [{\"id\": \"lo\", \"text\": \"A\xf4\x8f\xbf\xbd B\", "
	    "\"effect\": \"static\", \"duration\": 1}]}");
	const char *good = write_file("good.json", TWO_STATIC);
	const char *gif_bad = write_file("bad.gif", ""), *gif_good = write_file("good.gif", "");
	char errpath[4096];
	struct anim a, b;
	struct ls_rgb warn = LS_PREVIEW_WARNING;

	snprintf(errpath, sizeof(errpath), "%s/bad.err", th_tmpdir());
	ASSERT(run("'%s' preview '%s' --at '" AT "' --seconds 1 --out '%s' 2>'%s'", tool(), bad,
		   gif_bad, errpath) == 0);
	ASSERT_CONTAINS(slurp_text(errpath), "item 'lo': 1 character in no font");
	ASSERT_CONTAINS(slurp_text(errpath), "10FFFD");
	preview_gif(good, gif_good, "1");
	decode(gif_bad, &a);
	decode(gif_good, &b);
	ASSERT(!memcmp(&a.pal[a.frames[0][0]], &warn, sizeof(warn)));
	ASSERT(!memcmp(&a.pal[a.frames[0][(size_t)a.w * a.h - 1]], &warn, sizeof(warn)));
	ASSERT(memcmp(&b.pal[b.frames[0][0]], &warn, sizeof(warn)));
	anim_free(&a);
	anim_free(&b);
}

/* Amber, as the picture draws problem characters: red and green well above
 * blue, green at least 2/3 of red (a red board's dots, lit or not, have far
 * less green). */
static bool is_warning(struct ls_rgb c)
{
	return c.r > c.b + 50 && c.g > c.b + 50 && c.g * 3 >= c.r * 2;
}

static struct ls_rgb centre_colour(const struct anim *a, int i, const struct ls_preview *pv, int x,
				   int y)
{
	int px, py;

	ls_preview_led_centre(pv, x, y, &px, &py);
	return a->pal[a->frames[i][(size_t)py * a->w + px]];
}

static bool in_rects(const struct ls_rect *r, int n, int x, int y)
{
	for (int i = 0; i < n; i++)
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h)
			return true;
	return false;
}

/* A box scrolling through "main" and another standing in "side". */
static const char TWO_ZONES_BROKEN[] =
    "{\"version\": 1, \"zones\": [{\"name\": \"side\", \"width\": 40, \"height\": 16},"
    "{\"name\": \"main\", \"x\": 40, \"width\": 152, \"height\": 16}], \"items\": ["
    "{\"id\": \"s\", \"zone\": \"side\", \"text\": \"A\xf4\x8f\xbf\xbd\", \"effect\": "
    "\"static\", \"duration\": 9},"
    "{\"id\": \"m\", \"text\": \"Bảo hiểm \xf4\x8f\xbf\xbd xã hội\", \"speed\": 60}]}";

/* At every 1/25 s of the animation, the dots drawn in the warning colour are
 * exactly those inside the rectangles where the player drew a problem
 * character, in every zone, and they still show which dots are lit. */
TEST(dots_of_problem_characters_are_amber_in_every_zone_and_no_others)
{
	const char *pl = write_file("broken.json", TWO_ZONES_BROKEN),
		   *gif = write_file("broken.gif", "");
	struct ls_preview *pv = default_picture();
	struct ls_player *p = player_for(pl);
	struct ls_canvas *c = ls_canvas_new(W, H);
	struct anim a;
	int k = opening_frame(pl), total = 0, warned_side = 0, warned_main = 0, main_x0 = W,
	    main_x1 = -1;

	preview_gif(pl, gif, "3");
	decode(gif, &a);
	play_frames(p, c, k);
	for (int i = 0; i < a.n; i++) {
		for (int end = total + a.delay_cs[i]; total < end; total += 4, k++) {
			struct ls_rect r[32];
			struct ls_now now;
			int n = 0, bad = 0;
			ls_now_at(TZ, AT_UNIX + k * 40 / 1000, k * 40, &now);
			ls_player_frame(p, &now, c);
			for (int zi = 0; zi < ls_player_n_zones(p); zi++)
				n += ls_player_zone_problem_rects(p, zi, r + n, 32 - n);
			for (int y = 0; y < H; y++)
				for (int x = 0; x < W; x++) {
					struct ls_rgb col = centre_colour(&a, i, pv, x, y);
					bool in = in_rects(r, n, x, y);
					bad += is_warning(col) != in;
					bad += ls_rgb_lit(col) != ls_rgb_lit(c->px[y * W + x]);
					if (in && x < 40)
						warned_side++;
					if (in && x >= 40 && y == 0) {
						warned_main++;
						main_x0 = x < main_x0 ? x : main_x0;
						main_x1 = x > main_x1 ? x : main_x1;
					}
				}
			ASSERT_MSG(bad == 0, "GIF frame %d at %d ms: %d dots wrong", i, total * 10,
				   bad);
		}
	}
	ASSERT(warned_side > 0);	/* the side zone's box was marked */
	ASSERT(warned_main > 0);	/* and the scrolling one */
	ASSERT(main_x1 - main_x0 > 40); /* which moved across the board */
	anim_free(&a);
	ls_canvas_free(c);
	ls_player_free(p);
	ls_preview_free(pv);
}

struct zones_seen {
	int side, main, places;
	char what[1024];
};

static void note_zone(void *ctx, const struct ls_zone_problem *z)
{
	struct zones_seen *s = ctx;

	if (!strcmp(z->zone, "side") && z->item && !strcmp(z->item->id, "s"))
		s->side++;
	if (!strcmp(z->zone, "main") && z->item && !strcmp(z->item->id, "m"))
		s->main++;
	s->places += z->places;
	snprintf(s->what, sizeof(s->what), "%s", z->what);
}

/* What `ledsign render` names: each zone whose frame shows a box, its item,
 * in how many places, and which character; nothing for a clean frame. */
TEST(the_zones_showing_problem_characters_are_named_with_their_items)
{
	struct ls_player *p = player_for(write_file("broken2.json", TWO_ZONES_BROKEN));
	struct ls_player *clean = player_for(write_file("clean.json", TWO_STATIC));
	struct ls_canvas *c = ls_canvas_new(W, H);
	struct zones_seen seen = {0}, none = {0};
	int frames_with_both = 0;

	for (int k = 0; k < 200; k++) {
		struct ls_now now;
		ls_now_at(TZ, AT_UNIX + k * 40 / 1000, k * 40, &now);
		ls_player_frame(p, &now, c);
		int n = ls_preview_zone_problems(p, note_zone, &seen);
		ASSERT(n >= 1 && n <= 2);
		frames_with_both += n == 2;
		ls_player_frame(clean, &now, c);
		ASSERT_EQ_INT(ls_preview_zone_problems(clean, note_zone, &none), 0);
	}
	ASSERT_EQ_INT(seen.side, 200); /* the standing box, every frame */
	ASSERT(seen.main > 0 && frames_with_both == seen.main);
	ASSERT(seen.places >= 200);
	ASSERT_CONTAINS(seen.what, "U+10FFFD");
	ASSERT_EQ_INT(none.side + none.main, 0);
	ls_canvas_free(c);
	ls_player_free(p);
	ls_player_free(clean);
}

TEST(playlist_without_problems_has_no_amber_dot)
{
	const char *pl = write_file("mixed.json", SCROLL_THEN_STATIC),
		   *gif = write_file("clean.gif", "");
	struct ls_preview *pv = default_picture();
	struct anim a;
	int warned = 0, lit = 0;

	preview_gif(pl, gif, "4");
	decode(gif, &a);
	for (int i = 0; i < a.n; i++)
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++) {
				warned += is_warning(centre_colour(&a, i, pv, x, y));
				lit += ls_rgb_lit(centre_colour(&a, i, pv, x, y));
			}
	ASSERT_EQ_INT(warned, 0);
	ASSERT(lit > 100);
	anim_free(&a);
	ls_preview_free(pv);
}

/* The picture alone: marked dots turn amber (a single-colour board) or get
 * an amber ring round their own colour (RGB), keep whether they are lit, and
 * turn back when the mark goes. */
TEST(marks_paint_their_dots_amber_and_keep_which_are_lit)
{
	struct ls_preview_style mono = {.scale = 8, .mono = true, .colour = {255, 0, 0}},
				rgb = {.scale = 8, .mono = false};
	struct ls_canvas *f = ls_canvas_new(8, 4);
	struct ls_rect mark = {2, 0, 3, 4};
	struct ls_preview *pv;
	const struct ls_rgb *pal;
	int px, py;

	ls_canvas_fill(f, (struct ls_rgb){0, 0, 0});
	ls_canvas_set(f, 2, 1, (struct ls_rgb){0, 255, 0});
	ls_canvas_set(f, 6, 1, (struct ls_rgb){0, 255, 0});
	for (int pass = 0; pass < 2; pass++) {
		pv = ls_preview_new(8, 4, pass ? &rgb : &mono, NULL);
		ASSERT(pv);
		pal = ls_preview_palette(pv);
#define AT_LED(x, y, dx)                                                                           \
	(ls_preview_led_centre(pv, x, y, &px, &py),                                                \
	 pal[ls_preview_pixels(pv)[(size_t)py * ls_preview_width(pv) + px + (dx)]])
		ls_preview_draw(pv, f, NULL, &mark, 1);
		ASSERT(ls_rgb_lit(AT_LED(2, 1, 0)) && ls_rgb_lit(AT_LED(6, 1, 0)));
		ASSERT(!ls_rgb_lit(AT_LED(3, 1, 0)) && is_warning(AT_LED(3, 1, 0)));
		ASSERT(!is_warning(AT_LED(6, 1, 0)) && !is_warning(AT_LED(7, 1, 0)));
		if (pass) { /* green core, amber ring (the dot's edge, 2 px right of its centre) */
			ASSERT(AT_LED(2, 1, 0).g == 255 && AT_LED(2, 1, 0).r == 0);
			ASSERT(is_warning(AT_LED(2, 1, 2)) && !is_warning(AT_LED(6, 1, 2)));
		} else {
			ASSERT(is_warning(AT_LED(2, 1, 0)));
		}
		ls_preview_draw(pv, f, NULL, NULL, 0);
		ASSERT(!is_warning(AT_LED(2, 1, 0)) && !is_warning(AT_LED(3, 1, 0)));
		ASSERT(ls_rgb_lit(AT_LED(2, 1, 0)));
#undef AT_LED
		ls_preview_free(pv);
	}
	ls_canvas_free(f);
}

TEST(rgb_board_shows_the_item_colour)
{
	const char *pl = write_file(
	    "green.json", "{\"version\": 1, \"items\": [{\"id\": \"g\", \"text\": \"IIII\", "
			  "\"effect\": \"static\", \"colour\": \"#00ff00\", \"duration\": 1}]}");
	const char *gif = write_file("green.gif", "");
	struct anim a;
	int green = 0, other = 0;

	ASSERT(run("'%s' preview '%s' --board 64x16:rgb --at '" AT "' --seconds 1 --out '%s'",
		   tool(), pl, gif) == 0);
	decode(gif, &a);
	for (long i = 0; i < (long)a.w * a.h; i++) {
		struct ls_rgb c = a.pal[a.frames[0][i]];
		green += c.r == 0 && c.g == 255 && c.b == 0;
		other += c.r >= 128 && c.g < 128; /* nothing red-ish on a green-only picture */
	}
	ASSERT(green > 50);
	ASSERT_EQ_INT(other, 0);
	anim_free(&a);
}

TEST(gif_writer_keeps_delays_exact_at_30_frames_per_second)
{
	static const struct ls_rgb pal[256];
	char path[4096];
	struct ls_error err;
	struct ls_gif *g;
	struct anim a;
	uint8_t px[4];
	int total = 0;

	snprintf(path, sizeof(path), "%s/w.gif", th_tmpdir());
	g = ls_gif_open(path, 2, 2, pal, -1, &err);
	ASSERT_MSG(g, "%s", err.msg);
	for (int k = 0; k < 30; k++) {
		int ms = (int)(((k + 1) * 1000 + 15) / 30 - (k * 1000 + 15) / 30);
		memset(px, k / 3 % 2, sizeof(px)); /* changes every third frame */
		ASSERT(ls_gif_add(g, px, ms, &err) == 0);
	}
	ASSERT_MSG(ls_gif_close(g, &err) == 0, "%s", err.msg);
	decode(path, &a);
	ASSERT_EQ_INT(a.n, 10);
	for (int i = 0; i < a.n; i++) {
		ASSERT(a.delay_cs[i] == 10);
		total += a.delay_cs[i];
	}
	ASSERT_EQ_INT(total, 100);
	anim_free(&a);
}

/* Frames are stored as changed rectangles with unchanged pixels transparent;
 * a decoder must still see exactly the frames given, repeats merged. */
TEST(gif_writer_decodes_to_the_frames_given)
{
	static const struct ls_rgb pal[256];
	enum { FW = 16, FH = 8, N = 12 };
	uint8_t frames[N][FW * FH];
	char path[4096];
	struct ls_error err;
	struct ls_gif *g;
	struct anim a;
	unsigned seed = 7;
	int distinct = 0;

	snprintf(path, sizeof(path), "%s/t.gif", th_tmpdir());
	for (int k = 0; k < N; k++) {
		if (k)
			memcpy(frames[k], frames[k - 1], sizeof(frames[k]));
		else
			memset(frames[k], 3, sizeof(frames[k]));
		for (int j = 0; k % 4 != 3 && j < 5;
		     j++) { /* every fourth frame repeats the one before */
			seed = seed * 1103515245 + 12345;
			frames[k][(seed >> 8) % (FW * FH)] = (uint8_t)((seed >> 16) % 8);
		}
	}
	g = ls_gif_open(path, FW, FH, pal, 255, &err);
	ASSERT_MSG(g, "%s", err.msg);
	for (int k = 0; k < N; k++)
		ASSERT(ls_gif_add(g, frames[k], 40, &err) == 0);
	ASSERT_MSG(ls_gif_close(g, &err) == 0, "%s", err.msg);
	decode(path, &a);
	for (int k = 0, i = -1, t = 0, t_end = 0; k < N; k++, t += 4) {
		if (t >= t_end) {
			i++;
			ASSERT(i < a.n);
			t_end += a.delay_cs[i];
			distinct++;
		}
		ASSERT_MSG(!memcmp(a.frames[i], frames[k], sizeof(frames[k])),
			   "frame %d differs from GIF frame %d", k, i);
	}
	ASSERT_EQ_INT(a.n, distinct);
	ASSERT(a.n < N); /* the repeats were merged */
	anim_free(&a);
}

TEST(gif_writer_refuses_an_unwritable_path)
{
	static const struct ls_rgb pal[256];
	struct ls_error err;

	ASSERT(!ls_gif_open("/nonexistent-dir/x.gif", 2, 2, pal, -1, &err));
	ASSERT_CONTAINS(err.msg, "/nonexistent-dir/x.gif");
}

TEST(schedule_summary_names_campaign_days_windows_priority_and_tags)
{
	struct ls_item it = {
	    .id = "x", .days = 0x1f, .priority = 5, .interrupt = true, .weight = 1, .n_windows = 2};
	char buf[256];

	it.from = ls_civil_pack(2026, 8, 1, 0, 0);
	it.until = ls_civil_pack(2026, 9, 30, 24, 0);
	it.windows[0] = (struct ls_window){7 * 60, 11 * 60 + 30};
	it.windows[1] = (struct ls_window){13 * 60 + 30, 17 * 60};
	it.tags[0] = "gia-lai";
	it.tags[1] = "pleiku";
	it.n_tags = 2;
	it.timezone = TZ; /* the board's own zone goes unsaid */
	ls_preview_schedule_summary(&it, TZ, NULL, buf, sizeof(buf));
	ASSERT_EQ_STR(
	    buf, "from 2026-08-01, until 2026-09-30, Mon-Fri, 07:00-11:30 13:30-17:00, priority 5, "
		 "interrupts, tags: gia-lai pleiku");
	it = (struct ls_item){.days = 0x7f};
	ls_preview_schedule_summary(&it, TZ, NULL, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "always");
	it = (struct ls_item){.days = (1 << 5) | (1 << 6) | 1 | 4,
			      .from = ls_civil_pack(2026, 1, 1, 7, 30)};
	ls_preview_schedule_summary(&it, TZ, NULL, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "from 2026-01-01 07:30, Mon Wed Sat Sun");
	ls_preview_schedule_summary(&it, TZ, NULL, buf, 10); /* truncated, still terminated */
	ASSERT_EQ_INT(strlen(buf), 9);
}

/* A reader's words as a translator hands them in (the tool's gettext, the
 * hub's catalogue): a few of vi.po's, the rest English. */
static const char *vi_words(const char *msgid)
{
	static const char *const t[][2] = {
	    {"Mon", "T2"},
	    {"Fri", "T6"},
	    {"Sat", "T7"},
	    {"Sun", "CN"},
	    {"from %04d-%02d-%02d", "từ %3$02d/%2$02d/%1$04d"},
	    {"until %04d-%02d-%02d", "đến %3$02d/%2$02d/%1$04d"},
	    {"priority %d", "ưu tiên %d"},
	    {"interrupts", "chen ngang"},
	    {"tags: ", "thẻ: "},
	    {"always", "luôn phát"},
	    {"Mon %04d-%02d-%02d %02d:%02d:%02d",
	     "thứ Hai, %3$02d/%2$02d/%1$04d %4$02d:%5$02d:%6$02d"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(msgid, t[i][0]))
			return t[i][1];
	return msgid;
}

TEST(schedule_summary_reads_in_the_words_handed_in)
{
	struct ls_item it = {
	    .id = "x", .days = 0x1f, .priority = 5, .interrupt = true, .weight = 1, .n_windows = 1};
	char buf[256];

	it.from = ls_civil_pack(2026, 8, 1, 0, 0);
	it.until = ls_civil_pack(2026, 9, 30, 24, 0);
	it.windows[0] = (struct ls_window){7 * 60, 11 * 60 + 30};
	it.tags[0] = "gia-lai";
	it.n_tags = 1;
	ls_preview_schedule_summary(&it, TZ, vi_words, buf, sizeof(buf));
	ASSERT_EQ_STR(buf,
		      "từ 01/08/2026, đến 30/09/2026, T2-T6, 07:00-11:30, ưu tiên 5, chen ngang, "
		      "thẻ: gia-lai");
	it = (struct ls_item){.days = (1 << 5) | (1 << 6) | 1};
	ls_preview_schedule_summary(&it, TZ, vi_words, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "T2 T7 CN");
	it = (struct ls_item){.days = 0x7f};
	ls_preview_schedule_summary(&it, TZ, vi_words, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "luôn phát");
}

TEST(a_moment_is_written_as_the_words_say_day_first_in_vietnamese)
{
	char buf[64];

	ls_preview_moment(ls_localtime, NULL, TZ, AT_UNIX, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "Mon 2026-03-02 07:30:00");
	ls_preview_moment(ls_localtime, vi_words, TZ, AT_UNIX, buf, sizeof(buf));
	ASSERT_EQ_STR(buf, "thứ Hai, 02/03/2026 07:30:00");
}

/* ---- the compositions the tool and the hub share (preview_sheet.c, preview_file.c) ---- */

static struct ls_player_config board_pc(int w, int h, bool mono)
{
	return (struct ls_player_config){
	    .width = w, .height = h, .mono = mono, .colour = {255, 0, 0}};
}

TEST(a_single_colour_board_given_by_size_is_drawn_as_p10_modules)
{
	struct ls_player_config pc = board_pc(192, 16, true);
	struct ls_preview_style st;

	ls_preview_style_of(&st, &pc, 192, 16, 6); /* --board 192x16: one module the board's size */
	ASSERT_EQ_INT(st.module_w, 32);
	ASSERT_EQ_INT(st.module_h, 16);
	ASSERT_EQ_INT(st.scale, 6);
	ASSERT(st.mono);
	ASSERT_EQ_INT(st.colour.r, 255);
	ls_preview_style_of(&st, &pc, 64, 16, 3); /* a config's own modules stay */
	ASSERT_EQ_INT(st.module_w, 64);
	ASSERT_EQ_INT(st.scale, 3);
	pc = board_pc(100, 16, true); /* not a multiple of 32: one seamless module */
	ls_preview_style_of(&st, &pc, 100, 16, 6);
	ASSERT_EQ_INT(st.module_w, 100);
	pc = board_pc(64, 32, false); /* RGB boards are not P10 */
	ls_preview_style_of(&st, &pc, 64, 32, 6);
	ASSERT_EQ_INT(st.module_w, 64);
	ASSERT_EQ_INT(st.module_h, 32);
	ASSERT(!st.mono);
}

struct frames_seen {
	int n, total_ms, problems;
};

static int count_frame(void *ctx, const struct ls_preview *pv, int delay_ms, struct ls_error *err)
{
	struct frames_seen *f = ctx;

	(void)pv;
	(void)err;
	f->n++;
	f->total_ms += delay_ms;
	return 0;
}

static void count_problem(void *ctx, const struct ls_item *it, const struct ls_text_report *r)
{
	(void)it;
	(void)r;
	((struct frames_seen *)ctx)->problems++;
}

/* The sheet of the default board (the tool's --board default) at --at. */
static struct ls_sheet default_sheet(struct ls_config *cfg, struct ls_player_config *pc,
				     const struct ls_preview_style *st)
{
	ls_config_defaults(cfg);
	ls_config_default_fonts(cfg);
	ls_player_config_from(pc, cfg);
	return (struct ls_sheet){
	    .pc = pc, .st = st, .wall = AT_UNIX, .fps = 25, .localtime = ls_localtime};
}

TEST(animation_opens_on_the_first_lit_frame_and_lasts_n_frames)
{
	const char *pl = write_file("scroll.json", SCROLL_THEN_STATIC);
	struct ls_player *p = player_for(pl);
	struct ls_preview *pv = default_picture();
	struct ls_canvas *c = ls_canvas_new(W, H);
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {.scale = 6, .mono = true, .colour = {255, 0, 0}};
	struct ls_sheet sh;
	struct frames_seen seen = {0};
	struct ls_error err;
	int k0 = opening_frame(pl);

	sh = default_sheet(&cfg, &pc, &st);
	ASSERT_EQ_INT(ls_preview_animate(&sh, p, c, pv, 50, count_frame, &seen, &err), 0);
	ASSERT_EQ_INT(seen.n, 50);
	ASSERT_EQ_INT(seen.total_ms, 2000);
	ASSERT(k0 > 0); /* the scroll enters from the right: the dark frames are skipped */
	ls_player_free(p);
	p = player_for(pl);
	play_frames(p, c, k0 + 1); /* the animation's first frame is the opening one */
	{
		struct ls_canvas *first = ls_canvas_new(W, H);
		struct ls_player *q = player_for(pl);
		ASSERT_EQ_INT(ls_preview_first_lit(&sh, q, first, 1000), k0);
		ASSERT(!memcmp(first->px, c->px, sizeof(*c->px) * W * H));
		ls_canvas_free(first);
		ls_player_free(q);
	}
	ls_canvas_free(c);
	ls_preview_free(pv);
	ls_player_free(p);
}

TEST(animation_tells_of_problem_items_every_frame)
{
	const char *pl = write_file(
	    "broken.json",
	    "{\"version\": 1, \"items\": [{\"id\": \"x\", \"text\": \"A\xf4\x8f\xbf\xbd B\", "
	    "\"effect\": \"static\", \"duration\": 5}]}");
	struct ls_player *p = player_for(pl);
	struct ls_preview *pv = default_picture();
	struct ls_canvas *c = ls_canvas_new(W, H);
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {.scale = 6, .mono = true, .colour = {255, 0, 0}};
	struct frames_seen seen = {0};
	struct ls_sheet sh;
	struct ls_error err;

	sh = default_sheet(&cfg, &pc, &st);
	sh.problem = count_problem;
	sh.ctx = &seen;
	ASSERT_EQ_INT(ls_preview_animate(&sh, p, c, pv, 10, count_frame, &seen, &err), 0);
	ASSERT_EQ_INT(seen.problems, 10); /* U+10FFFD is in no font */
	ls_canvas_free(c);
	ls_preview_free(pv);
	ls_player_free(p);
}

TEST(strip_shows_a_frame_a_second_and_every_few_seconds_for_long_runs)
{
	const char *pl = write_file("static.json", TWO_STATIC);
	struct ls_player *p = player_for(pl);
	struct ls_preview *pv = default_picture();
	struct ls_canvas *c = ls_canvas_new(W, H), strip;
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {.scale = 6, .mono = true, .colour = {255, 0, 0}};
	struct ls_sheet sh;
	struct ls_error err;
	int every, tile_h = ls_preview_height(pv) + 20 + 8;

	sh = default_sheet(&cfg, &pc, &st);
	sh.labels = ls_preview_label_font(&err);
	ASSERT_MSG(sh.labels, "%s", err.msg);
	ASSERT_EQ_INT(ls_preview_strip(&sh, p, c, pv, 3, &strip, &every, &err), 0);
	ASSERT_EQ_INT(every, 1);
	ASSERT_EQ_INT(strip.width, ls_preview_width(pv) + 32);
	ASSERT_EQ_INT(strip.height, 16 + 3 * tile_h);
	free(strip.px);
	ls_player_free(p);
	p = player_for(pl);
	ASSERT_EQ_INT(ls_preview_strip(&sh, p, c, pv, 130, &strip, &every, &err), 0);
	ASSERT_EQ_INT(every, 3);		       /* 130 s in at most 60 frames */
	ASSERT_EQ_INT(strip.height, 16 + 44 * tile_h); /* ceil(130 / 3) */
	free(strip.px);
	ls_fontset_free(sh.labels);
	ls_canvas_free(c);
	ls_preview_free(pv);
	ls_player_free(p);
}

/* Every label of the sheet asks the caller's words: remembers what was asked. */
static char asked[4096];

static const char *spy_words(const char *msgid)
{
	size_t n = strlen(asked);

	snprintf(asked + n, sizeof(asked) - n, "%s|", msgid);
	return msgid;
}

TEST(the_sheet_labels_are_the_callers_words)
{
	const char *pl = write_file("static.json", TWO_STATIC);
	const char *names[] = {"static.json"}, *bufs[1];
	size_t lens[1];
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {.scale = 6, .mono = true, .colour = {255, 0, 0}};
	struct ls_sheet sh;
	struct ls_canvas sheet;
	struct ls_error err;
	FILE *f = fopen(pl, "rb");
	static char text[4096];

	ASSERT(f);
	lens[0] = fread(text, 1, sizeof(text), f);
	fclose(f);
	bufs[0] = text;
	sh = default_sheet(&cfg, &pc, &st);
	sh.labels = ls_preview_label_font(&err);
	ASSERT_MSG(sh.labels, "%s", err.msg);
	sh.n_files = 1;
	sh.names = names;
	sh.bufs = bufs;
	sh.lens = lens;
	sh.words = spy_words;
	/* "|" first, so every word asked reads "|msgid|" whichever is asked first
	 * (the order of a call's arguments is the compiler's: arm64 differs). */
	snprintf(asked, sizeof(asked), "|");
	ASSERT_MSG(ls_preview_sheet(&sh, &sheet, &err) >= 0, "%s", err.msg);
	ASSERT_CONTAINS(asked, "|%s   (%s, %d items)|");
	ASSERT_CONTAINS(asked, "|single-colour|board %dx%d %s   ·   stills from %s (%s)|");
	ASSERT_CONTAINS(asked, "Mon %04d-%02d-%02d %02d:%02d:%02d|");
	ASSERT_CONTAINS(asked, "|always|");
	ASSERT_CONTAINS(asked, "|plays %.1f s (fixed duration)|");
	free(sheet.px);
	ls_fontset_free(sh.labels);
}

TEST(gif_file_of_an_animation_has_its_size_and_timing)
{
	const char *pl = write_file("static.json", TWO_STATIC);
	struct ls_player *p = player_for(pl);
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {
	    .scale = 6, .mono = true, .colour = {255, 0, 0}, .module_w = 32, .module_h = 16};
	struct ls_sheet sh;
	struct ls_error err;
	char path[4096];
	struct anim a;
	int w = 0, h = 0;

	sh = default_sheet(&cfg, &pc, &st);
	snprintf(path, sizeof(path), "%s/lib.gif", th_tmpdir());
	ASSERT_MSG(ls_preview_gif(&sh, p, 125, path, &w, &h, &err) == 0, "%s", err.msg);
	decode(path, &a);
	ASSERT_EQ_INT(a.w, w);
	ASSERT_EQ_INT(a.h, h);
	ASSERT_EQ_INT(a.n, 3); /* as the tool's: 2 s, 1.6 s, then the first again */
	ASSERT_EQ_INT(a.delay_cs[0] + a.delay_cs[1] + a.delay_cs[2], 500);
	ASSERT(a.loops);
	anim_free(&a);
	ASSERT(ls_preview_gif(&sh, p, 10, "/nonexistent-dir/x.gif", NULL, NULL, &err) == -1);
	ASSERT_CONTAINS(err.msg, "/nonexistent-dir/x.gif");
	ls_player_free(p);
}

TEST(a_sheet_of_files_counts_their_items_and_names_a_file_it_cannot_read)
{
	const char *paths[2] = {write_file("two.json", TWO_STATIC),
				write_file("mixed.json", SCROLL_THEN_STATIC)};
	const char *missing[1] = {"/nonexistent/p.json"};
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_preview_style st = {.scale = 2, .mono = true, .colour = {255, 0, 0}};
	struct ls_sheet sh = default_sheet(&cfg, &pc, &st);
	struct ls_canvas sheet;
	struct ls_error err;

	sh.labels = ls_preview_label_font(&err);
	ASSERT_MSG(sh.labels, "%s", err.msg);
	ASSERT_EQ_INT(ls_preview_sheet_files(&sh, paths, 2, &sheet, &err), 4);
	ASSERT(sheet.width >= 960 && sheet.height >= 4 * 100);
	free(sheet.px);
	ASSERT_EQ_INT(ls_preview_sheet_files(&sh, missing, 1, &sheet, &err), -1);
	ASSERT_CONTAINS(err.msg, "/nonexistent/p.json");
	ls_fontset_free(sh.labels);
}
