/*
 * fontcheck.c: the Vietnamese checks of a font set (include/ledsign/fontcheck.h).
 * Each form of a letter is drawn on a grid of the line's rows as the board
 * lights it (coverage of 128 and more), then compared LED by LED with the
 * letter's other forms and checked for a blank row between mark and letter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/error.h"
#include "ledsign/fontcheck.h"
#include "ledsign/utf8.h"

const char ls_vietnamese_letters[] =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";

/* Punctuation Vietnamese signs use beyond ASCII: quotes, dash, ellipsis, đồng. */
static const char punctuation[] = "“”‘’–…₫";

/* Appends s (n bytes) to a space-separated list of size cap, as far as it fits. */
static void list_add(char *list, size_t cap, size_t *at, const char *s, size_t n)
{
	if (*at + n + 2 >= cap)
		return;
	if (*at)
		list[(*at)++] = ' ';
	memcpy(list + *at, s, n);
	*at += n;
	list[*at] = '\0';
}

static void tally_add(struct ls_font_tally *t, const char *s, size_t n, bool have)
{
	t->total++;
	t->have += have;
	if (!have)
		list_add(t->missing, sizeof(t->missing), &t->at, s, n);
}

void ls_font_coverage(struct ls_fontset *fs, const char *set, struct ls_font_tally *t,
		      struct ls_font_tally *clip)
{
	size_t len = strlen(set);
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n) {
		n = ls_utf8_decode(set + i, len - i, &cp);
		const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
		tally_add(t, set + i, n, g && g->face >= 0);
		if (clip && g && g->face >= 0 && (g->clip_above || g->clip_below)) {
			char what[48];
			/* TRANSLATORS: a clipped character and its rows cut off above and below. */
			int k = snprintf(what, sizeof(what), ls_tr("%.*s(%d top, %d bottom)"),
					 (int)n, set + i, g->clip_above, g->clip_below);
			tally_add(clip, what, (size_t)k, false);
		}
	}
}

/* A glyph's lit LEDs on a grid of the line's rows, pen at column 8. */
#define GRID_W 96
struct grid {
	int h;
	uint8_t on[512][GRID_W];
	int top, bottom; /* first and last rows with ink; top > bottom when none */
};

static void grid_of(struct ls_fontset *fs, const char *utf8, struct grid *gr)
{
	uint32_t cp;
	const struct ls_glyph *g;

	ls_utf8_decode(utf8, strlen(utf8), &cp);
	g = ls_fontset_glyph(fs, cp);
	gr->h = ls_fontset_height(fs);
	gr->top = gr->h;
	gr->bottom = -1;
	memset(gr->on, 0, sizeof(gr->on[0]) * (size_t)gr->h);
	for (int r = 0; g && r < g->rows; r++)
		for (int c = 0; c < g->width; c++) {
			int y = g->top + r, x = 8 + g->left + c;
			if (y < 0 || y >= gr->h || x < 0 || x >= GRID_W ||
			    g->cov[r * g->width + c] < 128)
				continue;
			gr->on[y][x] = 1;
			gr->top = y < gr->top ? y : gr->top;
			gr->bottom = y > gr->bottom ? y : gr->bottom;
		}
}

/* LEDs that differ between two forms in rows 0..last (above the dot below). */
static int distance(const struct grid *a, const struct grid *b, int last)
{
	int d = 0;

	for (int y = 0; y <= last && y < a->h; y++)
		for (int x = 0; x < GRID_W; x++)
			d += a->on[y][x] != b->on[y][x];
	return d;
}

/* Whether a mark LED of form g in row y touches (side or corner) an LED of
 * body in row by, the body's edge row next to it. */
static bool touches(const struct grid *g, int y, const struct grid *body, int by)
{
	if (y < 0 || y >= g->h || by < 0 || by >= body->h)
		return false;
	for (int x = 0; x < GRID_W; x++)
		for (int dx = -1; g->on[y][x] && dx <= 1; dx++)
			if (x + dx >= 0 && x + dx < GRID_W && body->on[by][x + dx])
				return true;
	return false;
}

/* Each letter's forms (its tones, its circumflex, breve or horn forms, the
 * plain letter) against each other, and each mark against its letter. */
static void check_legibility(struct ls_fontset *fs, struct grid *forms, struct ls_font_check *l)
{
	struct grid *base = forms + 24, *modified = forms + 25;
	const char *p = ls_vietnamese_letters;
	size_t len = strlen(p);

	l->min_distance = 1 << 30;
	for (const char *q = "aeiouyAEIOUY"; *q; q++) {
		char utf8[24][8], b[2] = {*q, 0};
		int n = 0;
		grid_of(fs, b, base);
		snprintf(utf8[n], 8, "%c", *q);
		grid_of(fs, utf8[n], &forms[n]);
		n++;
		for (size_t i = 0, k; i < len && n < 24; i += k) {
			uint32_t cp, d[4];
			k = ls_utf8_decode(p + i, len - i, &cp);
			if (utf8proc_decompose_char((utf8proc_int32_t)cp, (utf8proc_int32_t *)d, 4,
						    UTF8PROC_DECOMPOSE, NULL) < 2 ||
			    d[0] != (uint32_t)*q)
				continue;
			snprintf(utf8[n], 8, "%.*s", (int)k, p + i);
			grid_of(fs, utf8[n], &forms[n]);
			bool above = forms[n].top<base->top, below = forms[n].bottom> base->bottom;
			bool horn = d[1] == 0x31B;
			/* A tone stacked on a circumflex or breve must clear it too. */
			bool stacked =
			    !horn && d[1] != 0x323 && k < 4 &&
			    utf8proc_decompose_char((utf8proc_int32_t)cp, (utf8proc_int32_t *)d, 4,
						    UTF8PROC_DECOMPOSE, NULL) == 3 &&
			    d[2] != 0x323;
			if (stacked) {
				utf8proc_uint8_t dec[8] = {(utf8proc_uint8_t)d[0]};
				size_t dn = 1 + (size_t)utf8proc_encode_char((utf8proc_int32_t)d[1],
									     dec + 1);
				char *mod = ls_utf8_nfc((const char *)dec, dn);
				grid_of(fs, mod ? mod : (const char *)dec, modified);
				free(mod);
			}
			if ((*q | 0x20) != 'i' && !horn &&
			    ((above && touches(&forms[n], base->top - 1, &forms[n], base->top)) ||
			     (stacked &&
			      touches(&forms[n], modified->top - 1, &forms[n], modified->top)) ||
			     (below &&
			      touches(&forms[n], base->bottom + 1, &forms[n], base->bottom)))) {
				l->touching++;
				list_add(l->touch_list, sizeof(l->touch_list), &l->touch_at, p + i,
					 k);
			}
			n++;
		}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				int dd = distance(&forms[i], &forms[j], base->bottom);
				if (dd &&
				    dd < l->min_distance) { /* 0: they differ by the dot below */
					l->min_distance = dd;
					snprintf(l->closest, sizeof(l->closest), "%.8s/%.8s",
						 utf8[i], utf8[j]);
				}
			}
	}
}

int ls_font_check(struct ls_fontset *fs, struct ls_font_check *out)
{
	struct grid *grids = calloc(26, sizeof(*grids)); /* 24 forms, the letter, a modified one */
	struct ls_font_fit fit;
	char printable[96];

	memset(out, 0, sizeof(*out));
	if (!grids)
		return -1;
	for (int c = 0x20; c < 0x7F; c++)
		printable[c - 0x20] = (char)c;
	printable[95] = '\0';
	ls_font_coverage(fs, ls_vietnamese_letters, &out->vietnamese, &out->clipped);
	ls_font_coverage(fs, printable, &out->ascii, &out->clipped);
	ls_font_coverage(fs, punctuation, &out->punctuation, &out->clipped);
	out->first_unfit = ls_fontset_font(fs, 0, &fit) && !fit.suitable;
	check_legibility(fs, grids, out);
	free(grids);
	return 0;
}

bool ls_font_check_ok(const struct ls_font_check *c)
{
	return c->vietnamese.have == c->vietnamese.total && c->ascii.have == c->ascii.total &&
	       c->punctuation.have == c->punctuation.total && !c->clipped.total &&
	       !c->first_unfit && c->min_distance >= LS_TONE_LEDS_MIN;
}

struct ls_canvas *ls_font_sample(const struct ls_strip *s, int scale)
{
	int sc = scale, pad = scale, dot = sc - (sc > 2);
	struct ls_canvas *c = ls_canvas_new(s->width * sc + 2 * pad, s->height * sc + 2 * pad);
	struct ls_rgb pal[256], off = {40, 12, 8}, on = {255, 60, 30}, gap = {0, 0, 0};

	if (!c)
		return NULL;
	ls_canvas_fill(c, gap);
	ls_palette_make(pal, on, off);
	for (int y = 0; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			for (int dy = 0; dy < dot; dy++)
				for (int dx = 0; dx < dot; dx++)
					ls_canvas_set(c, pad + x * sc + dx, pad + y * sc + dy,
						      pal[s->cov[y * s->width + x]]);
	return c;
}
