/*
 * preview.c: board pictures for editors. Every LED is one of a few dot
 * sprites (unlit, lit, or an RGB cube colour, each plain or in the warning
 * colour) stamped into a palette-index picture; a per-LED state cache means a
 * frame costs only the dots that changed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/preview.h"

/* Palette layout: fixed entries first, then two entries (edge, core) per
 * colour of a 5-level RGB cube; single-colour boards use the first thirteen
 * only. Cube colour 0 (black) is an unlit dot, so an RGB board keeps its two
 * entries for the unlit dots of the warning colour. */
enum {
	PAL_FACE,
	PAL_BEZEL,
	PAL_WARNING,
	PAL_SEAM,
	PAL_UNLIT_EDGE,
	PAL_UNLIT_CORE,
	PAL_LIT_EDGE, /* mono; for RGB this is cube colour 0 */
	PAL_LIT_CORE,
	PAL_LIT_HIGHLIGHT,
	PAL_MONO_WARN_LIT_EDGE, /* single-colour boards only, from here */
	PAL_MONO_WARN_LIT_HIGHLIGHT,
	PAL_MONO_WARN_UNLIT_EDGE,
	PAL_MONO_WARN_UNLIT_CORE,
	PAL_CUBE = PAL_LIT_EDGE,
	PAL_RGB_WARN_UNLIT_EDGE = PAL_CUBE,
	PAL_RGB_WARN_UNLIT_CORE,
};

#define CUBE_LEVELS 5
#define STATE_UNLIT 0
#define STATE_WARN 0x80 /* bit of a dot's state: it shows a problem character */

/* What a pixel of the dot sprite is. */
enum { SPR_GAP, SPR_EDGE, SPR_CORE, SPR_HIGHLIGHT };

struct ls_preview {
	struct ls_preview_style st;
	int bw, bh;	 /* board in LEDs */
	int w, h;	 /* picture in pixels */
	int margin;	 /* face around the dots */
	unsigned warned; /* sides of the rim drawn in the warning colour (RIM_*) */
	uint8_t *pix;	 /* w * h palette indices */
	uint8_t *state;	 /* bw * bh: what each dot shows now */
	uint8_t *warn;	 /* bw * bh: STATE_WARN where the frame being drawn has a problem */
	uint8_t *sprite;
	struct ls_rgb pal[LS_PREVIEW_COLOURS];
};

static struct ls_rgb mix(struct ls_rgb a, struct ls_rgb b, double t)
{
	return (struct ls_rgb){(uint8_t)lround(a.r + (b.r - a.r) * t),
			       (uint8_t)lround(a.g + (b.g - a.g) * t),
			       (uint8_t)lround(a.b + (b.b - a.b) * t)};
}

static void make_palette(struct ls_preview *p)
{
	const struct ls_rgb face = LS_PREVIEW_FACE, white = {255, 255, 255},
			    warn = LS_PREVIEW_WARNING;
	struct ls_rgb tint = p->st.mono ? p->st.colour : (struct ls_rgb){200, 200, 200};
	/* Dark enough to read as unlit (ls_rgb_lit), bright enough to mark the place. */
	struct ls_rgb warn_unlit = mix((struct ls_rgb){38, 36, 36}, warn, 0.33);

	for (int i = 0; i < LS_PREVIEW_COLOURS; i++)
		p->pal[i] = face;
	p->pal[PAL_BEZEL] = (struct ls_rgb){48, 48, 48};
	p->pal[PAL_WARNING] = LS_PREVIEW_WARNING;
	p->pal[PAL_SEAM] = (struct ls_rgb){22, 22, 22};
	/* An unlit LED is a dull lens tinted by its colour, the way a dark board looks. */
	p->pal[PAL_UNLIT_CORE] = mix((struct ls_rgb){38, 36, 36}, tint, 0.10);
	p->pal[PAL_UNLIT_EDGE] = mix(face, p->pal[PAL_UNLIT_CORE], 0.55);
	if (p->st.mono) {
		p->pal[PAL_LIT_CORE] = p->st.colour;
		p->pal[PAL_LIT_EDGE] = mix(face, p->st.colour, 0.55);
		p->pal[PAL_LIT_HIGHLIGHT] = mix(p->st.colour, white, 0.30);
		p->pal[PAL_MONO_WARN_LIT_EDGE] = mix(face, warn, 0.55);
		p->pal[PAL_MONO_WARN_LIT_HIGHLIGHT] = mix(warn, white, 0.45);
		p->pal[PAL_MONO_WARN_UNLIT_CORE] = warn_unlit;
		p->pal[PAL_MONO_WARN_UNLIT_EDGE] = mix(face, warn_unlit, 0.55);
		return;
	}
	for (int k = 0; k < CUBE_LEVELS * CUBE_LEVELS * CUBE_LEVELS; k++) {
		int r = k / (CUBE_LEVELS * CUBE_LEVELS), g = k / CUBE_LEVELS % CUBE_LEVELS,
		    b = k % CUBE_LEVELS;
		struct ls_rgb c = {(uint8_t)(r * 255 / (CUBE_LEVELS - 1)),
				   (uint8_t)(g * 255 / (CUBE_LEVELS - 1)),
				   (uint8_t)(b * 255 / (CUBE_LEVELS - 1))};
		p->pal[PAL_CUBE + 2 * k] = mix(face, c, 0.55);
		p->pal[PAL_CUBE + 2 * k + 1] = c;
	}
	p->pal[PAL_RGB_WARN_UNLIT_CORE] = warn_unlit;
	p->pal[PAL_RGB_WARN_UNLIT_EDGE] = mix(face, warn_unlit, 0.55);
}

/* A round dot about 0.72 of the pitch across, one pixel of soft edge, and a
 * small bright centre on larger scales. */
static void make_sprite(struct ls_preview *p)
{
	int s = p->st.scale;
	double c = s / 2.0, r = 0.36 * s;

	for (int y = 0; y < s; y++) {
		for (int x = 0; x < s; x++) {
			double d = hypot(x + 0.5 - c, y + 0.5 - c);
			uint8_t k = SPR_GAP;
			if (s >= 6 && d <= r * 0.35)
				k = SPR_HIGHLIGHT;
			else if (d <= r - 0.45)
				k = SPR_CORE;
			else if (d <= r + 0.35)
				k = SPR_EDGE;
			p->sprite[y * s + x] = k;
		}
	}
}

/* A dot in the warning colour: an unlit one dim amber, a lit one amber on a
 * single-colour board, its own colour ringed in amber on an RGB board. */
static uint8_t warn_sprite_index(const struct ls_preview *p, uint8_t state, uint8_t kind)
{
	if (state == STATE_UNLIT && p->st.mono)
		return kind == SPR_EDGE ? PAL_MONO_WARN_UNLIT_EDGE : PAL_MONO_WARN_UNLIT_CORE;
	if (state == STATE_UNLIT)
		return kind == SPR_EDGE ? PAL_RGB_WARN_UNLIT_EDGE : PAL_RGB_WARN_UNLIT_CORE;
	if (p->st.mono)
		return kind == SPR_EDGE	  ? PAL_MONO_WARN_LIT_EDGE
		       : kind == SPR_CORE ? PAL_WARNING
					  : PAL_MONO_WARN_LIT_HIGHLIGHT;
	return kind == SPR_EDGE ? PAL_WARNING : (uint8_t)(PAL_CUBE + 2 * (state - 1) + 1);
}

static uint8_t sprite_index(const struct ls_preview *p, uint8_t state, uint8_t kind)
{
	if (state & STATE_WARN)
		return warn_sprite_index(p, (uint8_t)(state & ~STATE_WARN), kind);
	if (state == STATE_UNLIT)
		return kind == SPR_EDGE ? PAL_UNLIT_EDGE : PAL_UNLIT_CORE;
	if (p->st.mono)
		return kind == SPR_EDGE	  ? PAL_LIT_EDGE
		       : kind == SPR_CORE ? PAL_LIT_CORE
					  : PAL_LIT_HIGHLIGHT;
	return (uint8_t)(PAL_CUBE + 2 * (state - 1) + (kind == SPR_EDGE ? 0 : 1));
}

static void stamp(struct ls_preview *p, int lx, int ly, uint8_t state)
{
	int s = p->st.scale;
	uint8_t map[4] = {0, sprite_index(p, state, SPR_EDGE), sprite_index(p, state, SPR_CORE),
			  sprite_index(p, state, SPR_HIGHLIGHT)};
	uint8_t *row = p->pix + (size_t)(p->margin + ly * s) * p->w + p->margin + lx * s;
	const uint8_t *spr = p->sprite;

	for (int y = 0; y < s; y++, row += p->w, spr += s)
		for (int x = 0; x < s; x++)
			if (spr[x] != SPR_GAP)
				row[x] = map[spr[x]];
}

static void fill(struct ls_preview *p, int x0, int y0, int w, int h, uint8_t idx)
{
	for (int y = y0; y < y0 + h; y++)
		memset(p->pix + (size_t)y * p->w + x0, idx, (size_t)w);
}

enum { RIM_TOP = 1, RIM_BOTTOM = 2, RIM_SIDES = 4, RIM_ALL = 7 };

/* Which sides of the rim warn: all of it for characters drawn as boxes, the
 * top or bottom edge where rows of ink were cut off. */
static unsigned rim_warnings(const struct ls_text_report *r)
{
	unsigned m = 0;

	if (!r)
		return 0;
	if (r->missing || r->replaced || r->truncated_cols)
		return RIM_ALL;
	for (int i = 0; i < r->n_clipped && i < LS_REPORT_LIST; i++)
		m |= (r->clipped[i].above ? RIM_TOP : 0) | (r->clipped[i].below ? RIM_BOTTOM : 0);
	if (r->clipped_rows && !m)
		m = RIM_TOP | RIM_BOTTOM;
	return m;
}

/* The bezel: a thin grey rim, thick and warning-coloured on the sides in warn. */
static void draw_rim(struct ls_preview *p, unsigned warn)
{
	int thick = p->margin / 2, thin = p->st.scale >= 6 ? 2 : 1;
	int top = warn & RIM_TOP ? thick : thin, bottom = warn & RIM_BOTTOM ? thick : thin;
	int side = warn & RIM_SIDES ? thick : thin;

	fill(p, 0, 0, p->w, thick, PAL_FACE);
	fill(p, 0, p->h - thick, p->w, thick, PAL_FACE);
	fill(p, 0, 0, thick, p->h, PAL_FACE);
	fill(p, p->w - thick, 0, thick, p->h, PAL_FACE);
	fill(p, 0, 0, side, p->h, warn & RIM_SIDES ? PAL_WARNING : PAL_BEZEL);
	fill(p, p->w - side, 0, side, p->h, warn & RIM_SIDES ? PAL_WARNING : PAL_BEZEL);
	fill(p, 0, 0, p->w, top, warn & RIM_TOP ? PAL_WARNING : PAL_BEZEL);
	fill(p, 0, p->h - bottom, p->w, bottom, warn & RIM_BOTTOM ? PAL_WARNING : PAL_BEZEL);
	p->warned = warn;
}

/* Faint lines where modules meet, in the gap between dots. */
static void draw_seams(struct ls_preview *p)
{
	int s = p->st.scale;

	if (p->st.module_w > 0 && p->st.module_w < p->bw)
		for (int mx = p->st.module_w; mx < p->bw; mx += p->st.module_w)
			fill(p, p->margin + mx * s, p->margin, 1, p->bh * s, PAL_SEAM);
	if (p->st.module_h > 0 && p->st.module_h < p->bh)
		for (int my = p->st.module_h; my < p->bh; my += p->st.module_h)
			fill(p, p->margin, p->margin + my * s, p->bw * s, 1, PAL_SEAM);
}

struct ls_preview *ls_preview_new(int board_w, int board_h, const struct ls_preview_style *st,
				  struct ls_error *err)
{
	struct ls_preview *p;

	if (board_w < 1 || board_h < 1 || board_w > LS_CANVAS_MAX_DIM ||
	    board_h > LS_CANVAS_MAX_DIM) {
		ls_error_set(err, "preview: board %dx%d is outside 1..%d LEDs", board_w, board_h,
			     LS_CANVAS_MAX_DIM);
		return NULL;
	}
	if (st->scale < 2 || st->scale > 32) {
		ls_error_set(err, "preview: scale %d: use 2..32 pixels per LED", st->scale);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		goto err_memory;
	p->st = *st;
	p->bw = board_w;
	p->bh = board_h;
	p->margin = st->scale + st->scale / 2;
	p->w = board_w * st->scale + 2 * p->margin;
	p->h = board_h * st->scale + 2 * p->margin;
	if ((long)p->w * p->h > 64L * 1024 * 1024) {
		ls_error_set(err, "preview: a %dx%d picture is too large; use a smaller scale",
			     p->w, p->h);
		ls_preview_free(p);
		return NULL;
	}
	p->pix = malloc((size_t)p->w * p->h);
	p->state = calloc((size_t)board_w * board_h, 1);
	p->warn = calloc((size_t)board_w * board_h, 1);
	p->sprite = malloc((size_t)st->scale * st->scale);
	if (!p->pix || !p->state || !p->warn || !p->sprite)
		goto err_preview;
	make_palette(p);
	make_sprite(p);
	memset(p->pix, PAL_FACE, (size_t)p->w * p->h);
	draw_rim(p, 0);
	draw_seams(p);
	for (int y = 0; y < board_h; y++)
		for (int x = 0; x < board_w; x++)
			stamp(p, x, y, STATE_UNLIT);
	return p;

err_preview:
	ls_preview_free(p);
err_memory:
	ls_error_set(err, "preview: out of memory");
	return NULL;
}

void ls_preview_free(struct ls_preview *p)
{
	if (!p)
		return;
	free(p->pix);
	free(p->state);
	free(p->warn);
	free(p->sprite);
	free(p);
}

int ls_preview_width(const struct ls_preview *p)
{
	return p->w;
}

int ls_preview_height(const struct ls_preview *p)
{
	return p->h;
}

const struct ls_rgb *ls_preview_palette(const struct ls_preview *p)
{
	return p->pal;
}

int ls_preview_spare_index(const struct ls_preview *p)
{
	return p->st.mono ? LS_PREVIEW_COLOURS - 1 : -1;
}

const uint8_t *ls_preview_pixels(const struct ls_preview *p)
{
	return p->pix;
}

static int cube_level(uint8_t v)
{
	return (v * (CUBE_LEVELS - 1) + 127) / 255;
}

/* State 0 is an unlit dot; on RGB boards 1 + k is cube colour k. */
static uint8_t led_state(const struct ls_preview *p, struct ls_rgb px)
{
	int k;

	if (p->st.mono)
		return ls_rgb_lit(px) ? 1 : STATE_UNLIT;
	k = (cube_level(px.r) * CUBE_LEVELS + cube_level(px.g)) * CUBE_LEVELS + cube_level(px.b);
	return k ? (uint8_t)(1 + k) : STATE_UNLIT;
}

/* Sets STATE_WARN in p->warn for the LEDs inside the marks, clipped to the board. */
static void mark_warnings(struct ls_preview *p, const struct ls_rect *marks, int n)
{
	memset(p->warn, 0, (size_t)p->bw * p->bh);
	for (int i = 0; i < n; i++) {
		int x0 = marks[i].x > 0 ? marks[i].x : 0, y0 = marks[i].y > 0 ? marks[i].y : 0;
		int x1 = marks[i].x + marks[i].w, y1 = marks[i].y + marks[i].h;
		x1 = x1 < p->bw ? x1 : p->bw;
		y1 = y1 < p->bh ? y1 : p->bh;
		for (int y = y0; y < y1 && x0 < x1; y++)
			memset(p->warn + (size_t)y * p->bw + x0, STATE_WARN, (size_t)(x1 - x0));
	}
}

void ls_preview_draw(struct ls_preview *p, const struct ls_canvas *frame,
		     const struct ls_text_report *problems, const struct ls_rect *marks,
		     int n_marks)
{
	unsigned warn = rim_warnings(problems);
	int w = frame->width < p->bw ? frame->width : p->bw,
	    h = frame->height < p->bh ? frame->height : p->bh;

	if (warn != p->warned)
		draw_rim(p, warn);
	mark_warnings(p, marks, n_marks);
	for (int y = 0; y < h; y++) {
		const struct ls_rgb *src = frame->px + (size_t)y * frame->width;
		const uint8_t *wn = p->warn + (size_t)y * p->bw;
		uint8_t *st = p->state + (size_t)y * p->bw;
		for (int x = 0; x < w; x++) {
			uint8_t s = led_state(p, src[x]) | wn[x];
			if (s != st[x]) {
				st[x] = s;
				stamp(p, x, y, s);
			}
		}
	}
}

void ls_preview_led_centre(const struct ls_preview *p, int x, int y, int *px, int *py)
{
	*px = p->margin + x * p->st.scale + p->st.scale / 2;
	*py = p->margin + y * p->st.scale + p->st.scale / 2;
}

void ls_preview_blit(const struct ls_preview *p, struct ls_canvas *dst, int x, int y)
{
	for (int row = 0; row < p->h; row++) {
		const uint8_t *src = p->pix + (size_t)row * p->w;
		if (y + row < 0 || y + row >= dst->height)
			continue;
		for (int col = 0; col < p->w; col++)
			ls_canvas_set(dst, x + col, y + row, p->pal[src[col]]);
	}
}

/* snprintf that appends to buf at *len and never overruns. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t n, size_t *len,
							 const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*len >= n)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len = *len + (size_t)r < n ? *len + (size_t)r : n - 1;
}

static void append_sep(char *buf, size_t n, size_t *len)
{
	if (*len)
		append(buf, n, len, ", ");
}

/* msgid in words' language (may be NULL: English). */
__attribute__((format_arg(2))) static const char *label_word(ls_words_fn words, const char *msgid)
{
	return words ? words(msgid) : msgid;
}

/* fmt: a date format taking year, month, day ("from %04d-%02d-%02d"). */
static void append_civil(char *buf, size_t n, size_t *len, const char *fmt, int64_t v)
{
	int mi = (int)(v % 100), h = (int)(v / 100 % 100), d = (int)(v / 10000 % 100);
	int mo = (int)(v / 1000000 % 100), y = (int)(v / 100000000);

	append_sep(buf, n, len);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	append(buf, n, len, fmt, y, mo, d);
#pragma GCC diagnostic pop
	if ((h || mi) && !(h == 24 && !mi)) /* 24:00 is how a date alone ends: the whole day */
		append(buf, n, len, " %02d:%02d", h, mi);
}

/* Days as ranges: "Mon-Fri", "Mon, Wed, Sat-Sun". */
static void append_days(char *buf, size_t n, size_t *len, uint8_t days, ls_words_fn words)
{
	/* TRANSLATORS: short weekday names of the preview's schedule line (T2 ... CN). */
	static const char *const names[7] = {LS_N_("Mon"), LS_N_("Tue"), LS_N_("Wed"), LS_N_("Thu"),
					     LS_N_("Fri"), LS_N_("Sat"), LS_N_("Sun")};
	bool first = true;

	append_sep(buf, n, len);
	if (!(days & 0x7f)) {
		append(buf, n, len, "%s", label_word(words, "no day"));
		return;
	}
	for (int d = 0; d < 7; d++) {
		int e = d;
		if (!(days & (1u << d)))
			continue;
		while (e + 1 < 7 && (days & (1u << (e + 1))))
			e++;
		append(buf, n, len, "%s%s", first ? "" : " ", label_word(words, names[d]));
		if (e > d)
			append(buf, n, len, "%s%s", e > d + 1 ? "-" : " ",
			       label_word(words, names[e]));
		first = false;
		d = e;
	}
}

void ls_preview_schedule_summary(const struct ls_item *it, const char *board_tz, ls_words_fn words,
				 char *buf, size_t n)
{
	size_t len = 0;

	if (!n)
		return;
	buf[0] = '\0';
	if (it->off)
		append(buf, n, &len, "%s", label_word(words, "off: the board goes dark"));
	if (it->from)
		append_civil(buf, n, &len, label_word(words, "from %04d-%02d-%02d"), it->from);
	if (it->until)
		append_civil(buf, n, &len, label_word(words, "until %04d-%02d-%02d"), it->until);
	if ((it->days & 0x7f) != 0x7f)
		append_days(buf, n, &len, it->days, words);
	for (int i = 0; i < it->n_windows; i++) {
		const struct ls_window *w = &it->windows[i];
		if (i)
			append(buf, n, &len, " ");
		else
			append_sep(buf, n, &len);
		append(buf, n, &len, "%02d:%02d-%02d:%02d", w->start / 60, w->start % 60,
		       w->end / 60, w->end % 60);
	}
	if (it->timezone && (!board_tz || strcmp(it->timezone, board_tz))) {
		append_sep(buf, n, &len);
		append(buf, n, &len, "%s", it->timezone);
	}
	if (it->priority) {
		append_sep(buf, n, &len);
		append(buf, n, &len, label_word(words, "priority %d"), it->priority);
	}
	if (it->interrupt) {
		append_sep(buf, n, &len);
		append(buf, n, &len, "%s", label_word(words, "interrupts"));
	}
	if (it->weight > 1) {
		append_sep(buf, n, &len);
		append(buf, n, &len, label_word(words, "weight %d"), it->weight);
	}
	for (int i = 0; i < it->n_tags; i++) {
		if (!i)
			append_sep(buf, n, &len);
		append(buf, n, &len, "%s%s", i ? " " : label_word(words, "tags: "), it->tags[i]);
	}
	if (!len)
		append(buf, n, &len, "%s", label_word(words, "always"));
}

bool ls_preview_problems(const struct ls_text_report *r, char *buf, size_t n)
{
	if (n)
		buf[0] = '\0';
	struct ls_text_report c;

	if (!r || (!r->missing && !r->clipped_rows && !r->replaced && !r->legacy && !r->controls &&
		   !r->lookalikes && !r->unshaped))
		return false;
	/* A report summed over several lines may carry only the first characters. */
	c = *r;
	if (c.missing && !c.n_missing_cp && c.first_missing)
		c.missing_cp[c.n_missing_cp++] = c.first_missing;
	if (c.clipped_rows && !c.n_clipped && c.first_clipped)
		c.clipped[c.n_clipped++] = (struct ls_clip){.cp = c.first_clipped};
	ls_text_report_describe(&c, buf, n);
	return true;
}
