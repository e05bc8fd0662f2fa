/*
 * bench_text.c: what text costs. Two figures:
 *   frame   one frame of a 200-character item scrolling across a 192x16
 *           board: the blit of the visible window of the strip (the clear of
 *           the zone is counted separately, as the player does both);
 *   render  the one-time cost of laying out and rasterising the item, with a
 *           cold glyph cache (first render) and a warm one (a live {time}
 *           template re-rendered).
 *
 * Run plainly for wall-clock times, or under callgrind for instruction
 * counts of the measured part only (instrumentation is switched on around
 * it, so start-up, font loading and teardown are excluded; each part is
 * dumped to its own callgrind.out.PID.N file):
 *   valgrind --tool=callgrind --instr-atstart=no build/tests/bench_text frame 1000
 *   valgrind --tool=callgrind --instr-atstart=no build/tests/bench_text render
 * Build: gcc -std=gnu11 -O2 -g -Iinclude tests/bench_text.c build/libledsign.a
 *        $(pkg-config --cflags --libs freetype2 libutf8proc libpng) -o build/tests/bench_text
 * tests/bench_text.sh does both runs and prints instructions per frame and
 * per pixel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include "ledsign/text.h"

#define BOARD_W 192
#define BOARD_H 16

/* 200 characters of a real slogan, all tone marks included. */
static const char item[] =
    "Bảo hiểm xã hội là trụ cột chính của hệ thống an sinh xã hội. "
    "Tham gia BHXH, BHYT để được bảo vệ khi ốm đau, thai sản, tuổi già. "
    "Đi từng ngõ, gõ từng nhà, rà từng đối tượng: luôn ưu tiên người yếu thế";

static int count_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct ls_fontset *open_font(const char *path, bool mono)
{
	struct ls_error err;
	struct ls_fontset *fs = ls_fontset_open(&path, 1, BOARD_H, mono, &err);

	if (!fs) {
		fprintf(stderr, "bench_text: %s\n", err.msg);
		exit(1);
	}
	return fs;
}

/* The measured loop: what the player does per frame for one scrolling line. */
__attribute__((noinline)) static void frames(const struct ls_strip *s, const struct ls_rgb *pal,
					     struct ls_canvas *c, int n)
{
	struct ls_rect zone = {0, 0, BOARD_W, BOARD_H};

	for (int f = 0; f < n; f++)
		ls_strip_draw(s, pal, c, zone, BOARD_W - f % (s->width + BOARD_W), 0);
}

static void __attribute__((noinline)) clears(struct ls_canvas *c, int n)
{
	struct ls_rect zone = {0, 0, BOARD_W, BOARD_H};

	for (int f = 0; f < n; f++)
		ls_canvas_fill_rect(c, zone, (struct ls_rgb){0, 0, (uint8_t)f});
}

static int bench_frames(const char *font, int n)
{
	struct ls_fontset *fs = open_font(font, true);
	struct ls_strip *s = ls_text_render(fs, item, NULL);
	struct ls_canvas *c = ls_canvas_new(BOARD_W, BOARD_H);
	struct ls_rgb pal[256];

	ls_palette_make(pal, (struct ls_rgb){255, 0, 0}, (struct ls_rgb){0, 0, 0});
	frames(s, pal, c, 10); /* warm the caches outside the measurement */
	double t0 = now_s();
	CALLGRIND_START_INSTRUMENTATION;
	frames(s, pal, c, n);
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("blit");
	double t1 = now_s();
	CALLGRIND_START_INSTRUMENTATION;
	clears(c, n);
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("clear");
	double t2 = now_s();
	printf("frame: %d frames of a %d-px strip on %dx%d: blit %.0f ns/frame (%.2f ns/px), "
	       "zone clear %.0f ns/frame\n",
	       n, s->width, BOARD_W, BOARD_H, (t1 - t0) / n * 1e9,
	       (t1 - t0) / n * 1e9 / (BOARD_W * BOARD_H), (t2 - t1) / n * 1e9);
	printf("frame: under callgrind, each dump's Ir / %d = instructions per frame "
	       "(dump 'blit', dump 'clear'); %d pixels per frame\n",
	       n, BOARD_W * BOARD_H);
	ls_canvas_free(c);
	ls_strip_free(s);
	ls_fontset_free(fs);
	return 0;
}

static int bench_render(const char *font, bool mono)
{
	struct ls_fontset *fs = open_font(font, mono);

	double t0 = now_s();
	CALLGRIND_START_INSTRUMENTATION;
	struct ls_strip *cold = ls_text_render(fs, item, NULL);
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("render-cold");
	double t1 = now_s();
	CALLGRIND_START_INSTRUMENTATION;
	struct ls_strip *warm = ls_text_render(fs, item, NULL);
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("render-warm");
	double t2 = now_s();
	printf(
	    "render: %d-character item (%s, %s) -> %dx%d strip: cold cache %.0f us, warm %.0f us\n",
	    count_chars(item), font, mono ? "1-bit" : "8-bit", cold->width, cold->height,
	    (t1 - t0) * 1e6, (t2 - t1) * 1e6);
	ls_strip_free(cold);
	ls_strip_free(warm);
	ls_fontset_free(fs);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "frame";
	const char *font = getenv("BENCH_FONT") ? getenv("BENCH_FONT") : "fonts/ledsign16.bdf";

	if (!strcmp(mode, "frame"))
		return bench_frames(font, argc > 2 ? atoi(argv[2]) : 100000);
	if (!strcmp(mode, "render"))
		return bench_render(font, argc > 2 ? strcmp(argv[2], "rgb") != 0 : true);
	fprintf(stderr, "usage: bench_text frame [N] | render [mono|rgb]   (BENCH_FONT=path)\n");
	return 2;
}
