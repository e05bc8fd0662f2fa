/*
 * The canvas: what a board shows at one instant, as RGB pixels.
 *
 * Everything upstream (text, effects, zones) draws into a canvas; everything
 * downstream (panel encoders, terminal and PNG outputs, previews) reads one.
 * The struct is deliberately transparent: it is plain pixel data that the
 * per-frame blit and the panel encoders walk in tight loops.
 * Single-colour panels treat a pixel as lit when ls_rgb_lit() says so.
 */
#ifndef LEDSIGN_CANVAS_H
#define LEDSIGN_CANVAS_H

#include <stdbool.h>
#include <stdint.h>

struct ls_rgb {
	uint8_t r, g, b;
};

struct ls_canvas {
	int width, height;
	struct ls_rgb *px; /* row-major, px[y * width + x] */
};

/* A rectangle of the canvas (a zone, a clip region). */
struct ls_rect {
	int x, y, w, h;
};

/* Fills the part of r that lies on the canvas with colour. */
void ls_canvas_fill_rect(struct ls_canvas *c, struct ls_rect r, struct ls_rgb colour);

/* Limits that keep every size computation far from overflow. */
#define LS_CANVAS_MAX_DIM 4096

/* Allocates a black canvas; NULL when w or h is outside 1..LS_CANVAS_MAX_DIM
 * or memory is short. Free with ls_canvas_free(). */
struct ls_canvas *ls_canvas_new(int width, int height);

/* Frees a canvas from ls_canvas_new(); NULL is accepted. */
void ls_canvas_free(struct ls_canvas *c);

/* Sets every pixel to colour. */
void ls_canvas_fill(struct ls_canvas *c, struct ls_rgb colour);

/* Copies src into dst; both must have the same size. */
void ls_canvas_copy(struct ls_canvas *dst, const struct ls_canvas *src);

/* True when a pixel counts as lit on a single-colour panel: its brightest
 * channel is at least half on. (Luma would call pure red text dark.) */
static inline bool ls_rgb_lit(struct ls_rgb p)
{
	return p.r >= 128 || p.g >= 128 || p.b >= 128;
}

static inline struct ls_rgb ls_canvas_get(const struct ls_canvas *c, int x, int y)
{
	return c->px[(long)y * c->width + x];
}

static inline void ls_canvas_set(struct ls_canvas *c, int x, int y, struct ls_rgb p)
{
	if (x >= 0 && y >= 0 && x < c->width && y < c->height)
		c->px[(long)y * c->width + x] = p;
}

/* The colour names, in the order the docs and the schema list them. */
#define LS_RGB_NAMES "red, green, blue, amber, white, yellow, cyan, magenta, black"

/* Parses "#rrggbb", "rrggbb" or a name (red, green, blue, amber, white, yellow,
 * cyan, magenta, black); returns 0, or -1 when s is none of these. */
int ls_rgb_parse(const char *s, struct ls_rgb *out);

#endif
