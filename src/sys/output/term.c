/*
 * output/term.c: draws the LED grid in a terminal with ANSI true colour, in
 * place, so an installer over SSH sees the board. It fits the terminal it
 * finds (TIOCGWINSZ; else $COLUMNS and $LINES; else 80x24), asked again
 * whenever a frame is drawn:
 *   - wide enough for one column per LED: two LEDs per cell (upper half
 *     block: top LED as foreground, bottom LED as background), unlit LEDs
 *     drawn dim, the way a dark board still shows its dots;
 *   - narrower: eight LEDs per cell (braille, 2 wide by 4 high), lit dots in
 *     the panel's colour on the dim board; when even that is wider than the
 *     terminal, a window as wide as the terminal shows part of the board and
 *     follows the text (it moves only as far as keeps the lit LEDs in view),
 *     with one line under the board saying which columns are shown.
 * The board keeps the top rows; the rest of the screen is a scrolling region,
 * so the service's log lines (stderr, the same terminal) scroll below it
 * instead of over it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ledsign/output.h"

enum cells { CELLS_HALF, CELLS_BRAILLE };

struct term_out {
	int fd;
	bool mono;
	struct ls_rgb lit, unlit;
	char *buf;
	size_t cap, len;
	struct ls_canvas *last; /* the frame on screen, to skip unchanged frames */
	int cols, rows;		/* the terminal, as last measured */
	enum cells cells;
	int view_w;	/* LEDs across the screen: the board's width, or the window's */
	int x0;		/* the window's first LED column */
	int board_rows; /* screen rows the board (and its window line) take */
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

static void putf(struct term_out *t, const char *fmt, int a, int b)
{
	char s[48];
	int n = snprintf(s, sizeof(s), fmt, a, b);

	if (n > 0 && (size_t)n < sizeof(s))
		put(t, s, (size_t)n);
}

static bool is_lit(const struct term_out *t, struct ls_rgb p)
{
	return t->mono ? ls_rgb_lit(p) : !(p.r < 24 && p.g < 24 && p.b < 24);
}

static struct ls_rgb led_colour(const struct term_out *t, struct ls_rgb p)
{
	if (t->mono)
		return ls_rgb_lit(p) ? t->lit : t->unlit;
	return is_lit(t, p) ? p : t->unlit;
}

static void set_colour(struct term_out *t, int which, struct ls_rgb c)
{
	char esc[32];
	int n = snprintf(esc, sizeof(esc), "\x1b[%d;2;%d;%d;%dm", which, c.r, c.g, c.b);

	put(t, esc, (size_t)n);
}

static int env_int(const char *name, int fallback)
{
	const char *s = getenv(name);
	int v = s ? atoi(s) : 0;

	return v > 0 && v < 10000 ? v : fallback;
}

/* The terminal's size in cells: the tty's own, else $COLUMNS x $LINES, else 80x24. */
static void term_size(int fd, int *cols, int *rows)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
		return;
	}
	*cols = env_int("COLUMNS", 80);
	*rows = env_int("LINES", 24);
}

/* Chooses the cells and the window for a cols x rows terminal; writes the
 * escapes that clear the screen and put the log region under the board. */
static void layout(struct term_out *t, int width, int height)
{
	t->cells = width <= t->cols && (height + 1) / 2 + 2 <= t->rows ? CELLS_HALF : CELLS_BRAILLE;
	if (t->cells == CELLS_HALF) {
		t->view_w = width;
		t->board_rows = (height + 1) / 2;
	} else {
		t->view_w = width < 2 * t->cols ? width : 2 * t->cols;
		t->board_rows = (height + 3) / 4 + (t->view_w < width);
	}
	if (t->x0 > width - t->view_w)
		t->x0 = width - t->view_w;
	puts_(t, "\x1b[0m\x1b[2J");
	if (t->board_rows + 3 <= t->rows)
		putf(t, "\x1b[%d;%dr", t->board_rows + 2, t->rows);
	putf(t, "\x1b[%d;%dH", t->rows, 1);
}

/* Moves the window the least that keeps every lit LED in view, when they fit. */
static void follow(struct term_out *t, const struct ls_canvas *f)
{
	int lo = f->width, hi = -1;

	if (t->view_w >= f->width)
		return;
	for (int y = 0; y < f->height; y++)
		for (int x = 0; x < f->width; x++)
			if (is_lit(t, ls_canvas_get(f, x, y))) {
				lo = x < lo ? x : lo;
				hi = x > hi ? x : hi;
			}
	if (hi < 0 || hi - lo + 1 > t->view_w)
		return;
	if (lo < t->x0)
		t->x0 = lo;
	else if (hi >= t->x0 + t->view_w)
		t->x0 = hi - t->view_w + 1;
}

static void draw_half(struct term_out *t, const struct ls_canvas *f)
{
	struct ls_rgb fg = {1, 2, 3}, bg = {1, 2, 3};

	for (int y = 0; y < f->height; y += 2) {
		putf(t, "\x1b[%d;%dH", y / 2 + 1, 1);
		for (int x = 0; x < f->width; x++) {
			struct ls_rgb top = led_colour(t, ls_canvas_get(f, x, y));
			struct ls_rgb bot = y + 1 < f->height
						? led_colour(t, ls_canvas_get(f, x, y + 1))
						: (struct ls_rgb){0, 0, 0};
			if (x == 0 || memcmp(&top, &fg, sizeof(fg)))
				set_colour(t, 38, fg = top);
			if (x == 0 || memcmp(&bot, &bg, sizeof(bg)))
				set_colour(t, 48, bg = bot);
			puts_(t, "\xe2\x96\x80"); /* U+2580 UPPER HALF BLOCK */
		}
		puts_(t, "\x1b[0m\x1b[K");
	}
}

/* One braille cell (U+2800 + dot bits) for LEDs x..x+1, y..y+3; *c gets the
 * colour of its first lit LED. */
static unsigned braille_bits(const struct term_out *t, const struct ls_canvas *f, int x, int y,
			     struct ls_rgb *c)
{
	static const unsigned bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	unsigned bits = 0;

	for (int dy = 0; dy < 4 && y + dy < f->height; dy++)
		for (int dx = 0; dx < 2 && x + dx < f->width; dx++) {
			struct ls_rgb p = ls_canvas_get(f, x + dx, y + dy);
			if (!is_lit(t, p))
				continue;
			if (!bits)
				*c = t->mono ? t->lit : p;
			bits |= bit[dy][dx];
		}
	return bits;
}

static void draw_braille(struct term_out *t, const struct ls_canvas *f)
{
	struct ls_rgb fg = {1, 2, 3};

	for (int y = 0; y < f->height; y += 4) {
		putf(t, "\x1b[%d;%dH", y / 4 + 1, 1);
		set_colour(t, 48, t->unlit);
		for (int x = t->x0; x < t->x0 + t->view_w; x += 2) {
			struct ls_rgb c = fg;
			unsigned bits = braille_bits(t, f, x, y, &c);
			char cell[4] = {(char)0xe2, (char)(0xa0 | bits >> 6),
					(char)(0x80 | (bits & 0x3f)), 0};
			if (!bits) {
				puts_(t, " ");
				continue;
			}
			if (memcmp(&c, &fg, sizeof(fg)))
				set_colour(t, 38, fg = c);
			puts_(t, cell);
		}
		puts_(t, "\x1b[0m\x1b[K");
		fg = (struct ls_rgb){1, 2, 3};
	}
	if (t->view_w < f->width) {
		char line[96];
		snprintf(line, sizeof(line),
			 "\x1b[2mLEDs %d-%d of %d across; a wider terminal shows all", t->x0,
			 t->x0 + t->view_w - 1, f->width);
		putf(t, "\x1b[%d;%dH", t->board_rows, 1);
		put(t, line, strnlen(line, (size_t)t->cols + 4));
		puts_(t, "\x1b[0m\x1b[K");
	}
}

static int term_show(void *impl, const struct ls_canvas *f, struct ls_error *err)
{
	struct term_out *t = impl;
	int cols, rows;

	term_size(t->fd, &cols, &rows);
	if (!memcmp(t->last->px, f->px, (size_t)f->width * f->height * sizeof(*f->px)) &&
	    cols == t->cols && rows == t->rows)
		return 0;
	ls_canvas_copy(t->last, f);
	t->len = 0;
	if (cols != t->cols || rows != t->rows) {
		t->cols = cols;
		t->rows = rows;
		layout(t, f->width, f->height);
	}
	puts_(t, "\x1b"
		 "7"); /* save the cursor, which sits in the log region */
	if (t->cells == CELLS_HALF) {
		draw_half(t, f);
	} else {
		follow(t, f);
		draw_braille(t, f);
	}
	puts_(t, "\x1b"
		 "8");
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
	char restore[64];
	int n = snprintf(restore, sizeof(restore), "\x1b[0m\x1b[r\x1b[%d;1H\x1b[?25h\n",
			 t->rows > 0 ? t->rows : 1);

	if (write(t->fd, restore, (size_t)n) < 0) {
		/* nothing more can be done for a closed terminal */
	}
	ls_canvas_free(t->last);
	free(t->buf);
	free(t);
}

int ls_term_output_open(const struct ls_config *cfg, int width, int height,
			struct ls_output_backend *be, struct ls_error *err)
{
	struct term_out *t = calloc(1, sizeof(*t));
	static const char init[] = "\x1b[2J\x1b[H\x1b[?25l";

	if (!t)
		return ls_error_set(err, "out of memory");
	t->fd = STDOUT_FILENO;
	t->mono = cfg->panel.type == LS_PANEL_HUB12;
	t->lit = cfg->panel.colour;
	t->unlit = t->mono
		       ? (struct ls_rgb){(uint8_t)(t->lit.r / 6 + 16), (uint8_t)(t->lit.g / 6 + 8),
					 (uint8_t)(t->lit.b / 6 + 8)}
		       : (struct ls_rgb){40, 40, 40};
	/* Worst case: two colour escapes and one glyph per cell, a cursor move
	 * and line end per row, the window line and the layout escapes. */
	t->cap = (size_t)width * ((size_t)height / 2 + 1) * 48 + 64 * (size_t)height + 512;
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
