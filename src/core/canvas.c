/*
 * canvas.c: allocation and whole-canvas operations. Per-pixel access is inline
 * in the header so the hot paths stay visible there.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/canvas.h"

struct ls_canvas *ls_canvas_new(int width, int height)
{
	struct ls_canvas *c;

	if (width < 1 || height < 1 || width > LS_CANVAS_MAX_DIM || height > LS_CANVAS_MAX_DIM)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->px = calloc((size_t)width * height, sizeof(*c->px));
	if (!c->px) {
		free(c);
		return NULL;
	}
	c->width = width;
	c->height = height;
	return c;
}

void ls_canvas_free(struct ls_canvas *c)
{
	if (!c)
		return;
	free(c->px);
	free(c);
}

void ls_canvas_fill(struct ls_canvas *c, struct ls_rgb colour)
{
	long n = (long)c->width * c->height;

	for (long i = 0; i < n; i++)
		c->px[i] = colour;
}

void ls_canvas_fill_rect(struct ls_canvas *c, struct ls_rect r, struct ls_rgb colour)
{
	int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
	int x1 = r.x + r.w > c->width ? c->width : r.x + r.w;
	int y1 = r.y + r.h > c->height ? c->height : r.y + r.h;

	if (x1 <= x0 || y1 <= y0)
		return;
	/* One row by pixels, the others copied from it: a frame's clear is a few memcpys. */
	struct ls_rgb *first = c->px + (long)y0 * c->width + x0;
	for (int x = 0; x < x1 - x0; x++)
		first[x] = colour;
	for (int y = y0 + 1; y < y1; y++)
		memcpy(c->px + (long)y * c->width + x0, first, (size_t)(x1 - x0) * sizeof(*first));
}

void ls_canvas_copy(struct ls_canvas *dst, const struct ls_canvas *src)
{
	memcpy(dst->px, src->px, (size_t)src->width * src->height * sizeof(*src->px));
}

static const struct {
	const char *name;
	struct ls_rgb rgb;
} named[] = {
    {"red", {255, 0, 0}},     {"green", {0, 255, 0}},	  {"blue", {0, 0, 255}},
    {"amber", {255, 160, 0}}, {"white", {255, 255, 255}}, {"yellow", {255, 255, 0}},
    {"cyan", {0, 255, 255}},  {"magenta", {255, 0, 255}}, {"black", {0, 0, 0}},
};

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int ls_rgb_parse(const char *s, struct ls_rgb *out)
{
	uint8_t v[3];

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcasecmp(s, named[i].name) == 0) {
			*out = named[i].rgb;
			return 0;
		}
	if (*s == '#')
		s++;
	if (strlen(s) != 6)
		return -1;
	for (int i = 0; i < 3; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		v[i] = (uint8_t)(hi << 4 | lo);
	}
	out->r = v[0];
	out->g = v[1];
	out->b = v[2];
	return 0;
}
