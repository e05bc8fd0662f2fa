/*
 * picture.c: drawing a decoded picture into a box of the canvas.
 *
 * A picture is scaled once per pixel of its fitted size by averaging the
 * source pixels under it (nearest pixel when it is enlarged), laid over the
 * background by its alpha, and on a single-colour panel turned into lit and
 * dark LEDs. A pixel's brightness there is its brightest channel times its
 * alpha, the rule ls_rgb_lit() applies to text, so a red emblem stays lit.
 */
#include <stdlib.h>
#include <string.h>

#include "ledsign/picture.h"

struct ls_image *ls_image_new(int w, int h)
{
	struct ls_image *im;

	if (w < 1 || h < 1 || w > LS_PICTURE_MAX_DIM || h > LS_PICTURE_MAX_DIM)
		return NULL;
	im = calloc(1, sizeof(*im));
	if (!im)
		return NULL;
	im->rgba = calloc((size_t)w * h, 4);
	if (!im->rgba) {
		free(im);
		return NULL;
	}
	im->w = w;
	im->h = h;
	im->n_frames = 1;
	return im;
}

struct ls_image *ls_image_new_frames(int w, int h, int n)
{
	struct ls_image *im;

	if (w < 1 || h < 1 || w > LS_PICTURE_MAX_DIM || h > LS_PICTURE_MAX_DIM || n < 1 ||
	    n > LS_PICTURE_MAX_FRAMES || (long long)n * w * h > LS_PICTURE_MAX_ANIM_PIXELS)
		return NULL;
	im = calloc(1, sizeof(*im));
	if (!im)
		return NULL;
	im->rgba = calloc((size_t)n * w * h, 4);
	im->delay_ms = calloc((size_t)n, sizeof(int));
	if (!im->rgba || !im->delay_ms) {
		ls_image_free(im);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		im->delay_ms[i] = LS_PICTURE_DEFAULT_DELAY_MS;
	im->w = w;
	im->h = h;
	im->n_frames = n;
	return im;
}

void ls_image_free(struct ls_image *im)
{
	if (!im)
		return;
	free(im->rgba);
	free(im->delay_ms);
	free(im);
}

struct ls_image ls_image_frame(const struct ls_image *im, int i)
{
	i = i < 0 || i >= im->n_frames ? 0 : i;
	return (struct ls_image){.w = im->w,
				 .h = im->h,
				 .rgba = im->rgba + (size_t)i * im->w * im->h * 4,
				 .n_frames = 1};
}

int64_t ls_image_loop_ms(const struct ls_image *im, int fps)
{
	int64_t sum = 0;

	if (im->n_frames < 2)
		return 0;
	if (fps > 0)
		return ((int64_t)im->n_frames * 1000 + fps - 1) / fps;
	for (int i = 0; i < im->n_frames; i++)
		sum += im->delay_ms ? im->delay_ms[i] : LS_PICTURE_DEFAULT_DELAY_MS;
	return sum;
}

/* With fps the frame is counted, not summed, so a third of a second never
 * drifts: frame k starts at k * 1000 / fps ms exactly. */
int ls_image_frame_at(const struct ls_image *im, int fps, int64_t t_ms)
{
	int64_t loop = ls_image_loop_ms(im, fps);

	if (loop <= 0 || t_ms < 0)
		return 0;
	if (fps > 0)
		return (int)(t_ms * fps / 1000 % im->n_frames);
	t_ms %= loop;
	for (int i = 0; i < im->n_frames; i++) {
		t_ms -= im->delay_ms ? im->delay_ms[i] : LS_PICTURE_DEFAULT_DELAY_MS;
		if (t_ms < 0)
			return i;
	}
	return im->n_frames - 1;
}

void ls_picture_fit_size(enum ls_fit fit, int sw, int sh, int bw, int bh, int *w, int *h)
{
	/* Compare the aspects without division: sw/sh > bw/bh means wider. */
	bool wider = (long long)sw * bh > (long long)bw * sh;

	*w = sw;
	*h = sh;
	if (fit == LS_FIT_NONE)
		return;
	if (wider == (fit == LS_FIT_CONTAIN)) {
		*w = bw;
		*h = (int)(((long long)sh * bw + sw / 2) / sw);
	} else {
		*h = bh;
		*w = (int)(((long long)sw * bh + sh / 2) / sh);
	}
	*w = *w < 1 ? 1 : *w;
	*h = *h < 1 ? 1 : *h;
}

/* The average RGBA of the source pixels under pixel (x, y) of a w x h copy. */
static void sample(const struct ls_image *im, int w, int h, int x, int y, unsigned px[4])
{
	int x0 = (int)((long long)x * im->w / w), x1 = (int)((long long)(x + 1) * im->w / w);
	int y0 = (int)((long long)y * im->h / h), y1 = (int)((long long)(y + 1) * im->h / h);
	unsigned long sum[4] = {0, 0, 0, 0}, n = 0;

	x1 = x1 > x0 ? x1 : x0 + 1;
	y1 = y1 > y0 ? y1 : y0 + 1;
	for (int sy = y0; sy < y1; sy++)
		for (int sx = x0; sx < x1; sx++, n++)
			for (int k = 0; k < 4; k++)
				sum[k] += im->rgba[((long)sy * im->w + sx) * 4 + k];
	for (int k = 0; k < 4; k++)
		px[k] = (unsigned)((sum[k] + n / 2) / n);
}

/* The picture's fitted size in box, and its top-left there (centred). */
struct layout {
	int w, h, x0, y0;
};

static struct layout lay_out(const struct ls_image *im, enum ls_fit fit, struct ls_rect box)
{
	struct layout l;

	ls_picture_fit_size(fit, im->w, im->h, box.w, box.h, &l.w, &l.h);
	l.x0 = box.x + (box.w - l.w) / 2;
	l.y0 = box.y + (box.h - l.h) / 2;
	return l;
}

static uint8_t over(unsigned c, unsigned a, uint8_t bg)
{
	return (uint8_t)((c * a + bg * (255 - a) + 127) / 255);
}

/* Brightness 0..255 of a sampled pixel on a single-colour panel. */
static int level(const unsigned px[4])
{
	unsigned m = px[0] > px[1] ? px[0] : px[1];

	m = m > px[2] ? m : px[2];
	return (int)((m * px[3] + 127) / 255);
}

/* The 4x4 Bayer matrix: pixel (x, y) lights when its level exceeds
 * (BAYER + 0.5) * 16, so a flat level L lights about L / 256 of them. */
static const uint8_t BAYER[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};

static bool ordered_lit(int lv, int x, int y)
{
	return lv * 2 > (BAYER[y & 3][x & 3] * 2 + 1) * 16;
}

/* The box's pixels that show the picture, cut at the canvas. */
static struct ls_rect visible(const struct layout *l, struct ls_rect box, const struct ls_canvas *c)
{
	int x0 = l->x0 > box.x ? l->x0 : box.x, y0 = l->y0 > box.y ? l->y0 : box.y;
	int x1 = l->x0 + l->w < box.x + box.w ? l->x0 + l->w : box.x + box.w;
	int y1 = l->y0 + l->h < box.y + box.h ? l->y0 + l->h : box.y + box.h;

	x0 = x0 > 0 ? x0 : 0;
	y0 = y0 > 0 ? y0 : 0;
	x1 = x1 < c->width ? x1 : c->width;
	y1 = y1 < c->height ? y1 : c->height;
	return (struct ls_rect){x0, y0, x1 - x0, y1 - y0};
}

static void draw_rgb(const struct ls_image *im, const struct ls_picture_style *st,
		     const struct layout *l, struct ls_rect v, struct ls_canvas *c)
{
	unsigned px[4];

	for (int y = v.y; y < v.y + v.h; y++)
		for (int x = v.x; x < v.x + v.w; x++) {
			sample(im, l->w, l->h, x - l->x0, y - l->y0, px);
			ls_canvas_set(c, x, y,
				      (struct ls_rgb){over(px[0], px[3], st->bg.r),
						      over(px[1], px[3], st->bg.g),
						      over(px[2], px[3], st->bg.b)});
		}
}

/* Floyd-Steinberg over the visible part, left to right on every row: 7/16
 * of a pixel's error goes right, 3/16 down-left, 5/16 down, 1/16 down-right.
 * Two rows of errors on the stack (a box is at most LS_CANVAS_MAX_DIM wide). */
static void draw_diffused(const struct ls_image *im, const struct ls_picture_style *st,
			  const struct layout *l, struct ls_rect v, struct ls_canvas *c)
{
	int16_t err[2][LS_CANVAS_MAX_DIM + 2];
	unsigned px[4];

	memset(err, 0, sizeof(err));
	for (int y = 0; y < v.h; y++) {
		int16_t *cur = err[y & 1] + 1, *next = err[(y + 1) & 1] + 1;
		memset(next - 1, 0, sizeof(err[0]));
		for (int x = 0; x < v.w; x++) {
			sample(im, l->w, l->h, v.x + x - l->x0, v.y + y - l->y0, px);
			int want = level(px) + cur[x], got = want >= 128 ? 255 : 0, e = want - got;
			cur[x + 1] += (int16_t)(e * 7 / 16);
			next[x - 1] += (int16_t)(e * 3 / 16);
			next[x] += (int16_t)(e * 5 / 16);
			next[x + 1] += (int16_t)(e / 16);
			ls_canvas_set(c, v.x + x, v.y + y, got ? st->fg : st->bg);
		}
	}
}

static void draw_mono(const struct ls_image *im, const struct ls_picture_style *st,
		      const struct layout *l, struct ls_rect v, struct ls_canvas *c)
{
	unsigned px[4];

	for (int y = v.y; y < v.y + v.h; y++)
		for (int x = v.x; x < v.x + v.w; x++) {
			int lx = x - l->x0, ly = y - l->y0;
			sample(im, l->w, l->h, lx, ly, px);
			int lv = level(px);
			bool lit =
			    st->dither == LS_DITHER_ORDERED ? ordered_lit(lv, lx, ly) : lv >= 128;
			ls_canvas_set(c, x, y, lit ? st->fg : st->bg);
		}
}

void ls_picture_draw(const struct ls_image *im, const struct ls_picture_style *st,
		     struct ls_canvas *c, struct ls_rect box)
{
	struct layout l = lay_out(im, st->fit, box);
	struct ls_rect v = visible(&l, box, c);

	if (v.w <= 0 || v.h <= 0)
		return;
	if (!st->mono)
		draw_rgb(im, st, &l, v, c);
	else if (st->dither == LS_DITHER_DIFFUSION)
		draw_diffused(im, st, &l, v, c);
	else
		draw_mono(im, st, &l, v, c);
}

/* The 3x3 mean of a w x h grid of levels at (x, y), the edges clamped. */
static int blur3(const uint8_t *g, int w, int h, int x, int y)
{
	int sum = 0;

	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++) {
			int xx = x + dx < 0 ? 0 : x + dx >= w ? w - 1 : x + dx;
			int yy = y + dy < 0 ? 0 : y + dy >= h ? h - 1 : y + dy;
			sum += g[yy * w + xx];
		}
	return sum / 9;
}

/* Detail kept = 100 - 100 * sum|blur(levels) - blur(bits)| / sum|levels - mean|:
 * what a viewer a few metres away (who sees LEDs blurred together) loses,
 * against how much the picture varies at all. Allocates two planes of the
 * fitted size (a check, not the refresh loop). */
int ls_picture_detail_kept(const struct ls_image *im, const struct ls_picture_style *st,
			   struct ls_rect box)
{
	struct ls_picture_style mono = *st;
	struct ls_rect at = {0, 0, box.w, box.h};
	struct layout l = lay_out(im, st->fit, at);
	struct ls_canvas *bits = ls_canvas_new(box.w, box.h);
	uint8_t *g = calloc((size_t)box.w * box.h, 1), *b = calloc((size_t)box.w * box.h, 1);
	long long sum = 0, var = 0, err = 0;
	int kept = 100, n = box.w * box.h;
	unsigned px[4];

	if (!bits || !g || !b)
		goto out;
	mono.mono = true;
	mono.fg = (struct ls_rgb){255, 255, 255};
	mono.bg = (struct ls_rgb){0, 0, 0};
	ls_picture_draw(im, &mono, bits, at);
	for (int y = 0; y < box.h; y++)
		for (int x = 0; x < box.w; x++) {
			int lx = x - l.x0, ly = y - l.y0;
			bool in = lx >= 0 && ly >= 0 && lx < l.w && ly < l.h;
			if (in)
				sample(im, l.w, l.h, lx, ly, px);
			g[y * box.w + x] = (uint8_t)(in ? level(px) : 0);
			b[y * box.w + x] = bits->px[y * box.w + x].r;
			sum += g[y * box.w + x];
		}
	for (int i = 0; i < n; i++)
		var += llabs(g[i] * (long long)n - sum);
	for (int y = 0; y < box.h; y++)
		for (int x = 0; x < box.w; x++)
			err += abs(blur3(g, box.w, box.h, x, y) - blur3(b, box.w, box.h, x, y));
	if (var > 0) {
		long long k = 100 - 100 * err * n / var;
		kept = k < 0 ? 0 : k > 100 ? 100 : (int)k;
	}
out:
	ls_canvas_free(bits);
	free(g);
	free(b);
	return kept;
}
