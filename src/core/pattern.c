/*
 * pattern.c: the installer's test patterns (pattern.h), drawn on a canvas of
 * the board: module outlines with their numbers in chain order, alternate
 * rows or columns, one pixel walking in reading order, a ramp per colour
 * (dithered on single-colour boards) and all LEDs lit.
 */
#include <string.h>

#include "ledsign/pattern.h"

static const char *const patterns[] = {"solid", "rows", "columns", "modules", "gradient", "walk"};

bool ls_pattern_known(const char *name)
{
	for (size_t i = 0; name && i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (!strcmp(name, patterns[i]))
			return true;
	return false;
}

/* 3x5 digits for module numbers. */
static const uint16_t digits[10] = {0x7b6f, 0x2492, 0x73e7, 0x73cf, 0x5bc9,
				    0x79cf, 0x79ef, 0x7249, 0x7bef, 0x7bcf};

static void draw_digit(struct ls_canvas *c, int x0, int y0, int d, struct ls_rgb on)
{
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 3; x++)
			if (digits[d] >> (14 - (y * 3 + x)) & 1)
				ls_canvas_set(c, x0 + x, y0 + y, on);
}

static void draw_modules(struct ls_canvas *c, const struct ls_panel *panel, struct ls_rgb on)
{
	for (int m = 0; m < ls_panel_modules(panel); m++) {
		int x, y, w, h, n = m + 1;
		ls_panel_module_rect(panel, m, &x, &y, &w, &h);
		for (int i = 0; i < w; i++) {
			ls_canvas_set(c, x + i, y, on);
			ls_canvas_set(c, x + i, y + h - 1, on);
		}
		for (int i = 0; i < h; i++) {
			ls_canvas_set(c, x, y + i, on);
			ls_canvas_set(c, x + w - 1, y + i, on);
		}
		if (n >= 10)
			draw_digit(c, x + 2, y + 2, n / 10 % 10, on);
		draw_digit(c, x + (n >= 10 ? 6 : 2), y + 2, n % 10, on);
	}
}

static struct ls_rgb gradient_at(const struct ls_canvas *c, int x, int y, bool mono)
{
	int v = c->width > 1 ? x * 255 / (c->width - 1) : 255;
	int band = y * 3 / c->height;

	if (mono) /* ordered dither: lit density follows the ramp */
		return (struct ls_rgb){(uint8_t)(((x * 7 + y * 13) % 16) * 16 < v ? 255 : 0), 0, 0};
	return (struct ls_rgb){(uint8_t)(band == 0 ? v : 0), (uint8_t)(band == 1 ? v : 0),
			       (uint8_t)(band == 2 ? v : 0)};
}

void ls_pattern_draw(struct ls_canvas *c, const struct ls_panel *panel, const char *name,
		     long frame, bool mono)
{
	struct ls_rgb on = {255, 255, 255}, off = {0, 0, 0};

	ls_canvas_fill(c, off);
	if (!strcmp(name, "modules")) {
		draw_modules(c, panel, on);
		return;
	}
	if (!strcmp(name, "walk")) {
		long n = frame % ((long)c->width * c->height);
		ls_canvas_set(c, (int)(n % c->width), (int)(n / c->width), on);
		return;
	}
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++) {
			struct ls_rgb p = on;
			if (!strcmp(name, "rows"))
				p = y % 2 ? off : on;
			else if (!strcmp(name, "columns"))
				p = x % 2 ? off : on;
			else if (!strcmp(name, "gradient"))
				p = gradient_at(c, x, y, mono);
			ls_canvas_set(c, x, y, p);
		}
}
