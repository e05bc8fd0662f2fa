/*
 * output/term.c: draws the LED grid in a terminal with ANSI true colour, two
 * LEDs per character cell (upper half block: top LED as foreground, bottom LED
 * as background), in place, so an installer over SSH sees the board.
 * Unlit LEDs are drawn dim, the way a dark board still shows its dots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/output.h"

struct term_out {
	int fd;
	bool mono;
	struct ls_rgb lit, unlit;
	char *buf;
	size_t cap, len;
	struct ls_canvas *last; /* the frame on screen, to skip unchanged frames */
};

static void put(struct term_out *t, const char *s, size_t n)
{
	if (t->len + n <= t->cap) {
		memcpy(t->buf + t->len, s, n);
		t->len += n;
	}
}

static void puts_(struct term_out *t, const char *s)
{
	put(t, s, strlen(s));
}

static struct ls_rgb led_colour(const struct term_out *t, struct ls_rgb p)
{
	if (t->mono)
		return ls_rgb_lit(p) ? t->lit : t->unlit;
	if (p.r < 24 && p.g < 24 && p.b < 24)
		return t->unlit;
	return p;
}

static void set_colour(struct term_out *t, int which, struct ls_rgb c)
{
	char esc[32];
	int n = snprintf(esc, sizeof(esc), "\x1b[%d;2;%d;%d;%dm", which, c.r, c.g, c.b);

	put(t, esc, (size_t)n);
}

static int term_show(void *impl, const struct ls_canvas *f, struct ls_error *err)
{
	struct term_out *t = impl;
	struct ls_rgb fg = {1, 2, 3}, bg = {1, 2, 3};
	bool first = true;

	if (!memcmp(t->last->px, f->px, (size_t)f->width * f->height * sizeof(*f->px)))
		return 0;
	ls_canvas_copy(t->last, f);
	t->len = 0;
	puts_(t, "\x1b[H");
	for (int y = 0; y < f->height; y += 2) {
		for (int x = 0; x < f->width; x++) {
			struct ls_rgb top = led_colour(t, ls_canvas_get(f, x, y));
			struct ls_rgb bot = y + 1 < f->height ? led_colour(t, ls_canvas_get(f, x, y + 1)) : (struct ls_rgb){0, 0, 0};
			if (first || memcmp(&top, &fg, sizeof(fg)))
				set_colour(t, 38, fg = top);
			if (first || memcmp(&bot, &bg, sizeof(bg)))
				set_colour(t, 48, bg = bot);
			first = false;
			puts_(t, "\xe2\x96\x80"); /* U+2580 UPPER HALF BLOCK */
		}
		puts_(t, "\x1b[0m\n");
		first = true;
	}
	for (size_t off = 0; off < t->len;) {
		ssize_t w = write(t->fd, t->buf + off, t->len - off);
		if (w <= 0)
			return ls_error_set(err, "terminal output: write failed");
		off += (size_t)w;
	}
	return 0;
}

static void term_close(void *impl)
{
	struct term_out *t = impl;
	static const char restore[] = "\x1b[0m\x1b[?25h\n";

	if (write(t->fd, restore, sizeof(restore) - 1) < 0) {
		/* nothing more can be done for a closed terminal */
	}
	ls_canvas_free(t->last);
	free(t->buf);
	free(t);
}

int ls_term_output_open(const struct ls_config *cfg, int width, int height, struct ls_output_backend *be,
			struct ls_error *err)
{
	struct term_out *t = calloc(1, sizeof(*t));
	static const char init[] = "\x1b[2J\x1b[H\x1b[?25l";

	if (!t)
		return ls_error_set(err, "out of memory");
	t->fd = STDOUT_FILENO;
	t->mono = cfg->panel.type == LS_PANEL_HUB12;
	t->lit = cfg->panel.colour;
	t->unlit = t->mono ? (struct ls_rgb){(uint8_t)(t->lit.r / 6 + 16), (uint8_t)(t->lit.g / 6 + 8),
					     (uint8_t)(t->lit.b / 6 + 8)}
			   : (struct ls_rgb){40, 40, 40};
	/* Worst case: two colour escapes and one glyph per cell, plus line ends. */
	t->cap = (size_t)width * ((size_t)height / 2 + 1) * 48 + 64 * (size_t)height + 64;
	t->buf = malloc(t->cap);
	t->last = ls_canvas_new(width, height);
	if (!t->buf || !t->last) {
		term_close(t);
		return ls_error_set(err, "out of memory");
	}
	/* Make the first frame differ from "last" so it is drawn. */
	memset(t->last->px, 0x5a, (size_t)width * height * sizeof(*t->last->px));
	if (write(t->fd, init, sizeof(init) - 1) < 0)
		return term_close(t), ls_error_set(err, "terminal output: cannot write to stdout");
	be->impl = t;
	be->show = term_show;
	be->close = term_close;
	return 0;
}
