/*
 * test_text.c: the spec of the text engine. Every one of the 134 Vietnamese
 * letters, with every default font at the line height it is the default for,
 * in 1-bit and 8-bit modes: a real glyph (no .notdef, no box), all ink inside
 * the line, marks above the cap height / x-height, the dot below under the
 * baseline, stacked marks both present. NFD input renders pixel-identical to
 * NFC; malformed UTF-8 shows U+FFFD; missing glyphs and clipping are reported,
 * with the strip columns they are drawn in;
 * the fallback chain, kerning, the glyph cache, fitting and the blit.
 *
 * The letters are derived from the alphabet through Unicode NFC (utf8proc),
 * not copied from a font.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <utf8proc.h>

#include "harness.h"
#include "ledsign/config.h"
#include "ledsign/text.h"
#include "ledsign/utf8.h"

#define LEDSIGN16 "fonts/ledsign16.bdf"
#define LEDSIGN32 "fonts/ledsign32.bdf"
#define UNIFONT "/usr/share/fonts/opentype/unifont/unifont.otf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/* ------------------------------------------------------------ letters */

static const struct {
	char base;
	uint32_t modifier; /* circumflex, breve or horn; 0 */
} vowels[] = {
    {'a', 0}, {'a', 0x306}, {'a', 0x302}, {'e', 0}, {'e', 0x302}, {'i', 0},
    {'o', 0}, {'o', 0x302}, {'o', 0x31B}, {'u', 0}, {'u', 0x31B}, {'y', 0},
};
static const uint32_t tones[] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};
enum { NONE, GRAVE, ACUTE, HOOK, TILDE, DOT, N_TONES };

struct letter {
	char utf8[8];
	char base[2];	  /* the ASCII letter under the marks */
	char modified[8]; /* base + modifier only ("" when no modifier) */
	char toned[8];	  /* base + tone only ("" when no tone) */
	bool capital;
	uint32_t modifier; /* 0, or the combining modifier */
	int tone;
};

/* NFC of base + marks as a UTF-8 string. */
static void compose(char out[8], char base, uint32_t m1, uint32_t m2)
{
	utf8proc_uint8_t buf[16];
	size_t n = 0;

	buf[n++] = (utf8proc_uint8_t)base;
	if (m1)
		n += (size_t)utf8proc_encode_char((utf8proc_int32_t)m1, buf + n);
	if (m2)
		n += (size_t)utf8proc_encode_char((utf8proc_int32_t)m2, buf + n);
	buf[n] = '\0';
	char *nfc = ls_utf8_nfc((const char *)buf, n);
	ASSERT(nfc && strlen(nfc) < 8);
	strcpy(out, nfc);
	free(nfc);
}

/* Fills out[] with the 134 letters with diacritics; returns how many. */
static int vietnamese_letters(struct letter *out)
{
	int n = 0;

	for (int cap = 0; cap < 2; cap++) {
		for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++) {
			for (int t = 0; t < N_TONES; t++) {
				if (!vowels[v].modifier && t == NONE)
					continue;
				struct letter *l = &out[n++];
				char b = cap ? (char)(vowels[v].base - 32) : vowels[v].base;
				memset(l, 0, sizeof(*l));
				compose(l->utf8, b, vowels[v].modifier, tones[t]);
				l->base[0] = b;
				if (vowels[v].modifier)
					compose(l->modified, b, vowels[v].modifier, 0);
				if (t != NONE)
					compose(l->toned, b, 0, tones[t]);
				l->capital = cap;
				l->modifier = vowels[v].modifier;
				l->tone = t;
			}
		}
		struct letter *d = &out[n++];
		memset(d, 0, sizeof(*d));
		strcpy(d->utf8, cap ? "\xC4\x90" : "\xC4\x91");
		d->base[0] = cap ? 'D' : 'd';
		d->capital = cap;
	}
	return n;
}

TEST(the_alphabet_has_134_precomposed_letters)
{
	struct letter l[140];
	uint32_t cp;

	ASSERT_EQ_INT(vietnamese_letters(l), 134);
	for (int i = 0; i < 134; i++) /* NFC made each one code point */
		ASSERT_EQ_INT(ls_utf8_decode(l[i].utf8, strlen(l[i].utf8), &cp), strlen(l[i].utf8));
}

/* ------------------------------------------------------------ helpers */

static struct ls_fontset *open1(const char *path, int height, bool mono)
{
	struct ls_error err = {{0}};
	const char *p = path[0] == '/' ? path : th_path(path);
	struct ls_fontset *fs = ls_fontset_open(&p, 1, height, mono, &err);

	ASSERT_MSG(fs, "%s at %d: %s", path, height, err.msg);
	return fs;
}

static struct ls_strip *render(struct ls_fontset *fs, const char *text, struct ls_text_report *r)
{
	struct ls_strip *s = ls_text_render(fs, text, r);
	ASSERT(s);
	return s;
}

static bool same_strip(const struct ls_strip *a, const struct ls_strip *b)
{
	return a->width == b->width && a->height == b->height &&
	       !memcmp(a->cov, b->cov, (size_t)a->width * (size_t)a->height);
}

/* First and last rows with ink; false when the strip is blank. */
static bool ink_rows(const struct ls_strip *s, int *first, int *last)
{
	*first = -1;
	for (int y = 0; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			if (s->cov[y * s->width + x]) {
				if (*first < 0)
					*first = y;
				*last = y;
				break;
			}
	return *first >= 0;
}

static int lit_from_row(const struct ls_strip *s, int row)
{
	int n = 0;

	for (int y = row < 0 ? 0 : row; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			n += s->cov[y * s->width + x] != 0;
	return n;
}

/* True when two strips have the same ink from row on. */
static bool same_from_row(const struct ls_strip *a, const struct ls_strip *b, int row)
{
	if (a->width != b->width || a->height != b->height || row >= a->height)
		return a->width == b->width;
	return !memcmp(a->cov + (size_t)row * (size_t)a->width,
		       b->cov + (size_t)row * (size_t)b->width,
		       (size_t)(a->height - row) * (size_t)a->width);
}

/* ------------------------------------------------ every letter, every font */

/* Checks the 134 letters with one font alone at one height and mode. */
static void check_letters(const char *path, int height, bool mono)
{
	struct ls_fontset *fs = open1(path, height, mono);
	struct ls_font_metrics m;
	struct letter l[140];
	struct ls_strip *strips[140];
	int n = vietnamese_letters(l);

	ls_fontset_metrics(fs, &m);
	ASSERT_MSG(m.cap_height > 0 && m.x_height > 0 && m.baseline <= height, "%s: metrics", path);
	for (int i = 0; i < n; i++) {
		struct ls_text_report r;
		uint32_t cp;
		int first, last;
		ls_utf8_decode(l[i].utf8, strlen(l[i].utf8), &cp);
		const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
		ASSERT_MSG(g && g->face == 0 && g->index != 0, "%s@%d: %s has no glyph (.notdef)",
			   path, height, l[i].utf8);
		strips[i] = render(fs, l[i].utf8, &r);
		ASSERT_MSG(r.missing == 0 && r.clipped_rows == 0 &&
			       g->clip_above + g->clip_below == 0,
			   "%s@%d: %s clipped %d rows above, %d below", path, height, l[i].utf8,
			   g->clip_above, g->clip_below);
		ASSERT_MSG(ink_rows(strips[i], &first, &last), "%s: %s is blank", path, l[i].utf8);
		int mark_line = m.baseline - (l[i].capital ? m.cap_height : m.x_height);
		bool above = l[i].tone != NONE && l[i].tone != DOT;
		above = above || l[i].modifier == 0x302 || l[i].modifier == 0x306;
		ASSERT_MSG(!above || first < mark_line, "%s@%d: %s has no ink above row %d", path,
			   height, l[i].utf8, mark_line);
		struct ls_strip *base = render(fs, l[i].base, NULL);
		ASSERT_MSG(!same_strip(base, strips[i]), "%s: %s looks like %s", path, l[i].utf8,
			   l[i].base);
		if (l[i].tone == DOT) {
			/* Below the baseline it must differ from the letter without
			 * the dot (y has a descender, which the dot may share). */
			struct ls_strip *nodot =
			    render(fs, l[i].modifier ? l[i].modified : l[i].base, NULL);
			ASSERT_MSG(lit_from_row(strips[i], m.baseline) > 0 &&
				       !same_from_row(strips[i], nodot, m.baseline),
				   "%s@%d: %s has no dot below the baseline", path, height,
				   l[i].utf8);
			ls_strip_free(nodot);
		}
		if (l[i].modifier && l[i].tone != NONE) { /* stacked: both marks drawn */
			struct ls_strip *a = render(fs, l[i].modified, NULL);
			struct ls_strip *b = render(fs, l[i].toned, NULL);
			ASSERT_MSG(!same_strip(a, strips[i]) && !same_strip(b, strips[i]),
				   "%s@%d: %s lacks one of its two marks", path, height, l[i].utf8);
			ls_strip_free(a);
			ls_strip_free(b);
		}
		ls_strip_free(base);
	}
	for (int i = 0; i < n; i++) /* 134 different pictures */
		for (int j = i + 1; j < n; j++)
			ASSERT_MSG(!same_strip(strips[i], strips[j]),
				   "%s@%d: %s and %s look the same", path, height, l[i].utf8,
				   l[j].utf8);
	for (int i = 0; i < n; i++)
		ls_strip_free(strips[i]);
	ls_fontset_free(fs);
}

TEST(every_letter_in_ledsign16_at_16_rows)
{
	check_letters(LEDSIGN16, 16, true);
	check_letters(LEDSIGN16, 16, false);
}

TEST(every_letter_in_unifont_at_16_and_32_rows)
{
	check_letters(UNIFONT, 16, true);
	check_letters(UNIFONT, 32, true);
	check_letters(UNIFONT, 32, false);
}

TEST(every_letter_in_dejavu_bold_at_32_rows)
{
	check_letters(DEJAVU, 32, true);
	check_letters(DEJAVU, 32, false);
}

TEST(every_letter_in_ledsign32_at_32_rows_when_shipped)
{
	if (access(th_path(LEDSIGN32), R_OK) != 0)
		return; /* the 32-row font is optional; fonts/README.md */
	check_letters(LEDSIGN32, 32, true);
}

/* ------------------------------------------------------ chain and fitting */

/* The default chain of src/sys/config.c: the project's 16-row font, DejaVu Sans
 * Bold (the 32-row recommendation of fonts/README.md), GNU Unifont. */
static struct ls_fontset *default_chain(int height)
{
	const char *paths[3];
	struct ls_error err = {{0}};

	paths[0] = strdup(th_path(LEDSIGN16));
	paths[1] = DEJAVU;
	paths[2] = UNIFONT;
	struct ls_fontset *fs = ls_fontset_open(paths, 3, height, true, &err);
	free((char *)paths[0]);
	ASSERT_MSG(fs, "%s", err.msg);
	return fs;
}

TEST(one_chain_puts_the_fonts_made_for_the_height_first)
{
	struct ls_fontset *fs16 = default_chain(16), *fs32 = default_chain(32);
	struct ls_font_fit fit;

	/* 16 rows: the bitmap font, then Unifont (a pixel font, crisp at 16),
	 * then DejaVu, whose smooth outlines are rough below 24 rows. */
	ASSERT_CONTAINS(ls_fontset_font(fs16, 0, &fit), "ledsign16.bdf");
	ASSERT(fit.suitable && fit.px == 16);
	ASSERT_CONTAINS(ls_fontset_font(fs16, 1, &fit), "unifont.otf");
	ASSERT(fit.suitable);
	ASSERT_CONTAINS(ls_fontset_font(fs16, 2, &fit), "DejaVuSans-Bold");
	ASSERT(!fit.suitable);
	/* 32 rows: the 16-row bitmap font would be half height, so it only
	 * fills gaps, after the fonts that scale. */
	ASSERT_CONTAINS(ls_fontset_font(fs32, 0, &fit), "DejaVuSans-Bold");
	ASSERT(fit.suitable && fit.px >= 20);
	ASSERT_CONTAINS(ls_fontset_font(fs32, 1, &fit), "unifont.otf");
	ASSERT_EQ_INT(fit.px, 32);
	ASSERT_CONTAINS(ls_fontset_font(fs32, 2, &fit), "ledsign16.bdf");
	ASSERT(!fit.suitable);
	ASSERT(ls_fontset_font(fs32, 3, NULL) == NULL);

	struct ls_text_report r;
	struct ls_strip *s = render(fs32, "\xE1\xBA\xA8 g", &r); /* "Ẩ g" */
	int first, last;
	ASSERT(ink_rows(s, &first, &last));
	ASSERT(last - first + 1 > 20); /* really 32 rows tall, not 16 */
	ASSERT_EQ_INT(r.clipped_rows, 0);
	ls_strip_free(s);
	ls_fontset_free(fs16);
	ls_fontset_free(fs32);
}

TEST(outline_font_size_is_fitted_so_stacked_marks_and_descenders_fit)
{
	for (int h = 12; h <= 40; h += 4) {
		struct ls_fontset *fs = open1(DEJAVU, h, true);
		struct ls_font_fit fit;
		struct ls_text_report r;
		ls_fontset_font(fs, 0, &fit);
		ASSERT_MSG(fit.px <= h && fit.px >= h / 2, "%d rows: size %d", h, fit.px);
		/* Ẩ Ễ Ỗ Ặ Ở Ữ Ệ Ộ Ợ g y */
		struct ls_strip *s = render(fs,
					    "\xE1\xBA\xA8\xE1\xBB\x84\xE1\xBB\x96\xE1\xBA\xB6"
					    "\xE1\xBB\x9E\xE1\xBB\xAE\xE1\xBB\x86\xE1\xBB\x98"
					    "\xE1\xBB\xA2gy",
					    &r);
		ASSERT_MSG(r.clipped_rows == 0, "%d rows: %d rows clipped", h, r.clipped_rows);
		ls_strip_free(s);
		ls_fontset_free(fs);
	}
}

TEST(clipping_is_reported_with_the_characters_and_rows)
{
	/* A 16-row bitmap font cannot be scaled into 13 rows. */
	struct ls_fontset *fs = open1(LEDSIGN16, 13, true);
	struct ls_text_report r;
	char msg[512];
	struct ls_strip *s = render(fs, "A \xE1\xBA\xA8 \xE1\xBB\x86 g", &r); /* A Ẩ Ệ g */

	ASSERT(r.clipped_rows > 0);
	ASSERT(r.n_clipped >= 1);
	bool found = false;
	for (int i = 0; i < r.n_clipped; i++)
		found |= r.clipped[i].cp == 0x1EA8 && r.clipped[i].above + r.clipped[i].below > 0;
	ASSERT(found);
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "U+1EA8");
	ASSERT_CONTAINS(msg, "cut off");
	ls_strip_free(s);
	ls_fontset_free(fs);
}

TEST(fallback_chain_fills_gaps_and_counts_what_no_font_has)
{
	struct ls_fontset *fs = default_chain(16);
	struct ls_text_report r;
	char msg[512];
	/* U+2603 SNOWMAN is in Unifont, not in ledsign16; U+10FFFD (private
	 * use, plane 16) is in no font. */
	const struct ls_glyph *snow = ls_fontset_glyph(fs, 0x2603);
	ASSERT(snow && snow->face == 1);
	struct ls_strip *s = render(fs,
				    "A\xE2\x98\x83"
				    "B\xF4\x8F\xBF\xBD"
				    "C",
				    &r);

	ASSERT_EQ_INT(r.missing, 1);
	ASSERT_EQ_INT(r.first_missing, 0x10FFFD);
	struct ls_strip *box = render(fs, "\xF4\x8F\xBF\xBD", NULL);
	ASSERT(lit_from_row(box, 0) > 0); /* a visible box, not nothing */
	ls_text_report_describe(&r, msg, sizeof(msg));
	ASSERT_CONTAINS(msg, "U+10FFFD");
	ls_strip_free(box);
	ls_strip_free(s);
	ls_fontset_free(fs);
}

/* Columns [*c0, *c1) of the strip holding ink, over all rows; false when blank. */
static bool ink_cols(const struct ls_strip *s, int *c0, int *c1)
{
	*c0 = s->width;
	*c1 = 0;
	for (int y = 0; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			if (s->cov[y * s->width + x]) {
				*c0 = x < *c0 ? x : *c0;
				*c1 = x + 1 > *c1 ? x + 1 : *c1;
			}
	return *c1 > 0;
}

TEST(missing_glyph_span_covers_exactly_its_box)
{
	struct ls_fontset *fs = default_chain(16);
	struct ls_text_report r;
	/* The box drawn alone, and the text before it: where the box must land. */
	struct ls_strip *box = render(fs, "\xF4\x8F\xBF\xBD", NULL);
	struct ls_strip *before = render(fs, "AB ", NULL);
	struct ls_strip *s = render(fs, "AB \xF4\x8F\xBF\xBD C", &r);
	int b0, b1;

	ASSERT(ink_cols(box, &b0, &b1));
	ASSERT_EQ_INT(r.n_spans, 1);
	ASSERT_EQ_INT(r.spans_over, 0);
	ASSERT_EQ_INT(r.spans[0].kind, LS_SPAN_MISSING);
	ASSERT_EQ_INT(r.spans[0].line, 0);
	ASSERT_EQ_INT(r.spans[0].x0, before->width + b0);
	ASSERT_EQ_INT(r.spans[0].x1, before->width + b1);
	/* The box's sides are the first and last columns of the span. */
	for (int x = r.spans[0].x0; x < r.spans[0].x1; x++) {
		int lit = 0;
		for (int y = 0; y < s->height; y++)
			lit += s->cov[y * s->width + x] != 0;
		ASSERT_MSG(lit > 0 || (x != r.spans[0].x0 && x != r.spans[0].x1 - 1),
			   "column %d of the span is dark", x);
	}
	ls_strip_free(s);
	ls_strip_free(before);
	ls_strip_free(box);
	ls_fontset_free(fs);
}

TEST(clipped_glyph_span_covers_its_ink_columns_and_clean_text_has_none)
{
	/* A 16-row bitmap font cut to 13 rows clips Ẩ; spaces are never clipped. */
	struct ls_fontset *fs = open1(LEDSIGN16, 13, true);
	const struct ls_glyph *g = ls_fontset_glyph(fs, 0x1EA8);
	struct ls_text_report r;
	struct ls_strip *lead = render(fs, "  ", NULL);
	struct ls_strip *s = render(fs, "  \xE1\xBA\xA8  ", &r);
	int c0 = g->width, c1 = 0;

	ASSERT(g->clip_above + g->clip_below > 0);
	for (int y = 0; y < g->rows; y++)
		for (int x = 0; x < g->width; x++)
			if (g->cov[y * g->width + x]) {
				c0 = x < c0 ? x : c0;
				c1 = x + 1 > c1 ? x + 1 : c1;
			}
	ASSERT_EQ_INT(r.n_spans, 1);
	ASSERT_EQ_INT(r.spans[0].kind, LS_SPAN_CLIPPED);
	ASSERT_EQ_INT(r.spans[0].x0, lead->width + g->left + c0);
	ASSERT_EQ_INT(r.spans[0].x1, lead->width + g->left + c1);
	ls_strip_free(s);
	s = render(fs, "  ", &r);
	ASSERT_EQ_INT(r.n_spans, 0);
	ls_strip_free(s);
	ls_strip_free(lead);
	ls_fontset_free(fs);
}

TEST(neighbouring_problem_characters_make_one_span_and_the_list_is_bounded)
{
	struct ls_fontset *fs = default_chain(16);
	struct ls_text_report r;
	char text[256] = "";
	struct ls_strip *s = render(fs, "\xF4\x8F\xBF\xBD\xF4\x8F\xBF\xBD A", &r);

	ASSERT_EQ_INT(r.missing, 2);
	ASSERT_EQ_INT(r.n_spans, 1); /* two boxes side by side: one span over both */
	ASSERT(r.spans[0].x1 - r.spans[0].x0 > 8);
	ls_strip_free(s);
	for (int i = 0; i < LS_REPORT_SPANS + 4; i++)
		strcat(text, "\xF4\x8F\xBF\xBD ");
	s = render(fs, text, &r);
	ASSERT_EQ_INT(r.n_spans, LS_REPORT_SPANS);
	ASSERT_EQ_INT(r.spans_over, 4);
	for (int i = 1; i < r.n_spans; i++)
		ASSERT(r.spans[i].x0 >= r.spans[i - 1].x1); /* left to right, apart */
	ls_strip_free(s);
	s = render(fs,
		   "a\xC0\xAF"
		   "b",
		   &r); /* invalid UTF-8: the replacement characters are a span */
	ASSERT_EQ_INT(r.n_spans, 1);
	ASSERT_EQ_INT(r.spans[0].kind, LS_SPAN_REPLACED);
	ls_strip_free(s);
	ls_fontset_free(fs);
}

TEST(outline_fonts_are_kerned)
{
	struct ls_fontset *fs = open1(DEJAVU, 32, false);
	const struct ls_glyph *a = ls_fontset_glyph(fs, 'A'), *v = ls_fontset_glyph(fs, 'V');
	struct ls_strip *av = render(fs, "AV", NULL);

	ASSERT(ls_fontset_kerning(fs, a, v) < 0);
	ASSERT_EQ_INT(av->width, a->advance + v->advance + ls_fontset_kerning(fs, a, v));
	ls_strip_free(av);
	ls_fontset_free(fs);
}

TEST(glyphs_are_rasterised_once_per_set)
{
	struct ls_fontset *fs = default_chain(16);
	const struct ls_glyph *g = ls_fontset_glyph(fs, 0x1EC7);

	/* Many more glyphs than the cache's first size: g must stay put. */
	for (uint32_t cp = 0x4E00; cp < 0x4E00 + 2000; cp++)
		ASSERT(ls_fontset_glyph(fs, cp));
	ASSERT(ls_fontset_glyph(fs, 0x1EC7) == g);
	ASSERT_EQ_INT(g->cp, 0x1EC7);
	ls_fontset_free(fs);
}

TEST(mono_sets_draw_only_on_and_off_and_rgb_sets_draw_coverage)
{
	struct ls_fontset *mono = open1(DEJAVU, 32, true), *grey = open1(DEJAVU, 32, false);
	struct ls_strip *m = render(mono, "Vi\xE1\xBB\x87t Nam", NULL);
	struct ls_strip *g = render(grey, "Vi\xE1\xBB\x87t Nam", NULL);
	bool partial = false;

	for (int i = 0; i < m->width * m->height; i++)
		ASSERT(m->cov[i] == 0 || m->cov[i] == 255);
	for (int i = 0; i < g->width * g->height; i++)
		partial |= g->cov[i] > 0 && g->cov[i] < 255;
	ASSERT(partial);
	ls_strip_free(m);
	ls_strip_free(g);
	ls_fontset_free(mono);
	ls_fontset_free(grey);
}

/* ------------------------------------------------------- Unicode input */

static const char sentence[] =
    "B\xE1\xBA\xA3o hi\xE1\xBB\x83m x\xC3\xA3 h\xE1\xBB\x99i l\xC3\xA0 tr\xE1\xBB\xA5 "
    "c\xE1\xBB\x99t: \xC3\xA0 \xC3\xA1 \xE1\xBA\xA3 \xC3\xA3 \xE1\xBA\xA1 \xE1\xBA\xA6 "
    "\xE1\xBA\xA4 \xE1\xBA\xA8 \xE1\xBA\xAA \xE1\xBA\xAC \xE1\xBA\xB1 \xE1\xBA\xAF "
    "\xE1\xBA\xB3 \xE1\xBA\xB5 \xE1\xBA\xB7 \xE1\xBB\x9D \xE1\xBB\x9B \xE1\xBB\x9F "
    "\xE1\xBB\xA1 \xE1\xBB\xA3 \xE1\xBB\xAB \xE1\xBB\xA9 \xE1\xBB\xAD \xE1\xBB\xAF "
    "\xE1\xBB\xB1 \xE1\xBB\x86 \xE1\xBB\xB3 \xC3\xBD \xE1\xBB\xB7 \xE1\xBB\xB9 \xE1\xBB\xB5 "
    "\xC4\x90\xC6\xAF\xE1\xBB\x9CNG";

TEST(nfd_input_renders_pixel_identical_to_nfc)
{
	const char *fonts[] = {LEDSIGN16, UNIFONT, DEJAVU};
	int heights[] = {16, 16, 32};
	char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)sentence);

	ASSERT(nfd && strcmp(nfd, sentence) != 0 && strlen(nfd) > strlen(sentence));
	for (int f = 0; f < 3; f++) {
		for (int mono = 0; mono < 2; mono++) {
			struct ls_fontset *fs = open1(fonts[f], heights[f], mono);
			struct ls_text_report r;
			struct ls_strip *a = render(fs, sentence, NULL), *b = render(fs, nfd, &r);
			ASSERT_MSG(same_strip(a, b), "%s: NFD renders differently", fonts[f]);
			ASSERT_EQ_INT(r.missing, 0);
			ls_strip_free(a);
			ls_strip_free(b);
			ls_fontset_free(fs);
		}
	}
	free(nfd);
}

TEST(malformed_utf8_shows_replacement_characters)
{
	static const struct {
		const char *bad, *shown;
		int replaced;
	} cases[] = {
	    {"a\xE1\xBA", "a\xEF\xBF\xBD", 1},
	    {"a\xC0\xAF"
	     "b",
	     "a\xEF\xBF\xBD\xEF\xBF\xBD"
	     "b",
	     2},
	    {"a\xED\xA0\x80"
	     "b",
	     "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	     "b",
	     3},
	    {"\xFF\xFE"
	     "c",
	     "\xEF\xBF\xBD\xEF\xBF\xBD"
	     "c",
	     2},
	    {"\xF0\x9F\x98", "\xEF\xBF\xBD", 1},
	};
	struct ls_fontset *fs = default_chain(16);

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *heap = strdup(cases[c].bad); /* exact size: ASan sees over-reads */
		struct ls_text_report r;
		struct ls_strip *a = render(fs, heap, &r), *b = render(fs, cases[c].shown, NULL);
		ASSERT_MSG(same_strip(a, b), "case %zu", c);
		ASSERT_EQ_INT(r.replaced, cases[c].replaced);
		ASSERT_EQ_INT(r.missing, 0); /* the chain has U+FFFD */
		ls_strip_free(a);
		ls_strip_free(b);
		free(heap);
	}
	ls_fontset_free(fs);
}

TEST(invisible_code_points_take_no_room_and_are_not_missing)
{
	struct ls_fontset *fs = default_chain(16);
	struct ls_text_report r;
	/* A byte-order mark and a zero-width space, as some editors insert. */
	struct ls_strip *a = render(fs,
				    "\xEF\xBB\xBF"
				    "AB\xE2\x80\x8B"
				    "C",
				    &r);
	struct ls_strip *b = render(fs, "ABC", NULL);

	ASSERT(same_strip(a, b));
	ASSERT_EQ_INT(r.missing, 0);
	ls_strip_free(a);
	ls_strip_free(b);
	ls_fontset_free(fs);
}

TEST(legacy_encodings_are_recognised)
{
	char why[256];

	ASSERT(ls_text_looks_legacy("B\xC2\xB6o hi\xC3\x93m x\xC2\xB7 h\xC3\xA9i Vi\xC3\x96t Nam",
				    why, sizeof(why))); /* TCVN3: "B¶o hiÓm x· héi ViÖt Nam" */
	ASSERT_CONTAINS(why, "TCVN3");
	ASSERT_CONTAINS(why, "B\xC2\xB6o");
	ASSERT(ls_text_looks_legacy("Ba\xC3\xBBo hie\xC3\xA5m xa\xC3\xB5 ho\xC3\xA4i", why,
				    sizeof(why))); /* VNI: "Baûo hieåm xaõ hoäi" */
	ASSERT_CONTAINS(why, "VNI");
	ASSERT(ls_text_looks_legacy("B\xC3\xA1\xC2\xBA\xC2\xA3o hi\xC3\xA1\xC2\xBB\xC6\x92m", why,
				    sizeof(why))); /* "Báº£o hiá»ƒm" */
	ASSERT_CONTAINS(why, "Windows-1252");
}

TEST(real_vietnamese_is_not_called_legacy)
{
	struct letter l[140];
	char all[1024] = "";
	int n = vietnamese_letters(l);

	for (int i = 0; i < n; i++)
		strcat(all, l[i].utf8);
	ASSERT(!ls_text_looks_legacy(all, NULL, 0));
	ASSERT(!ls_text_looks_legacy(sentence, NULL, 0));
	ASSERT(!ls_text_looks_legacy("Nhi\xE1\xBB\x87t \xC4\x91\xE1\xBB\x99 30\xC2\xB0"
				     "C \xC2\xA9 2024 "
				     "\xC2\xAB"
				     "BHXH\xC2\xBB \xE2\x80\x9C"
				     "BHYT\xE2\x80\x9D \xE2\x80\x93 50.000\xE2\x82\xAB",
				     NULL, 0));
	ASSERT(!ls_text_looks_legacy("Plain ASCII text, 100%", NULL, 0));
}

/* ------------------------------------------------------------ the blit */

TEST(blit_copies_the_visible_window_through_the_palette)
{
	struct ls_strip s = {
	    .width = 4, .height = 2, .cov = (uint8_t[]){0, 255, 128, 0, 255, 0, 0, 255}};
	struct ls_rgb pal[256], red = {255, 0, 0}, black = {0, 0, 0}, blue = {0, 0, 9};
	struct ls_canvas *c = ls_canvas_new(5, 3);

	ls_canvas_fill(c, blue);
	ls_palette_make(pal, red, black);
	/* The strip starts one column left of the canvas; the clip cuts column 3. */
	ls_strip_draw(&s, pal, c, (struct ls_rect){0, 0, 3, 3}, -1, 1);
	ASSERT_EQ_INT(ls_canvas_get(c, 0, 1).r, 255); /* strip column 1 */
	ASSERT_EQ_INT(ls_canvas_get(c, 1, 1).r, 128);
	ASSERT_EQ_INT(ls_canvas_get(c, 2, 1).r, 0);
	ASSERT_EQ_INT(ls_canvas_get(c, 2, 2).r, 255);
	ASSERT_EQ_INT(ls_canvas_get(c, 0, 0).b, 9); /* above the strip: untouched */
	ASSERT_EQ_INT(ls_canvas_get(c, 3, 1).b, 9); /* outside the clip: untouched */
	ls_canvas_free(c);
}

TEST(blit_of_long_rows_matches_the_palette_and_stops_at_the_clip)
{
	uint8_t cov[3 * 40];
	struct ls_strip s = {.width = 40, .height = 3, .cov = cov};
	struct ls_rgb pal[256], blue = {0, 0, 9};
	struct ls_canvas *c = ls_canvas_new(30, 3);

	for (int i = 0; i < 3 * 40; i++)
		cov[i] = (uint8_t)(i * 37);
	ls_canvas_fill(c, blue);
	ls_palette_make(pal, (struct ls_rgb){250, 100, 7}, (struct ls_rgb){3, 20, 200});
	for (int w = 1; w <= 17; w++) { /* every remainder of the unrolled loop */
		ls_canvas_fill(c, blue);
		ls_strip_draw(&s, pal, c, (struct ls_rect){2, 0, w, 3}, -5, 0);
		for (int y = 0; y < 3; y++) {
			for (int x = 2; x < 2 + w; x++) {
				struct ls_rgb want = pal[cov[y * 40 + x + 5]],
					      got = ls_canvas_get(c, x, y);
				ASSERT(got.r == want.r && got.g == want.g && got.b == want.b);
			}
			ASSERT_EQ_INT(ls_canvas_get(c, 2 + w, y).b, 9); /* just past the clip */
			ASSERT_EQ_INT(ls_canvas_get(c, 1, y).b, 9);
		}
	}
	ls_canvas_free(c);
}

/* A strip is bounded whatever the text and size (found in review: 2000
 * characters at 256 px would otherwise take about 100 MB). */
TEST(a_strip_never_exceeds_its_pixel_budget_and_says_what_it_cut)
{
	const char *font = UNIFONT;
	struct ls_fontset *fs = ls_fontset_open(&font, 1, 256, true, NULL);
	struct ls_text_report rep;
	char text[2001], why[512];
	struct ls_strip *s;

	ASSERT(fs);
	memset(text, 'W', 2000);
	text[2000] = '\0';
	s = ls_text_render(fs, text, &rep);
	ASSERT(s);
	ASSERT((long)s->width * s->height <= LS_STRIP_MAX_PIXELS);
	ASSERT(rep.truncated_cols > 0);
	ASSERT_CONTAINS(ls_text_report_describe(&rep, why, sizeof(why)), "not drawn");
	ls_strip_free(s);
	/* An ordinary slogan is never cut. */
	s = ls_text_render(fs, "Bảo hiểm xã hội", &rep);
	ASSERT(s && rep.truncated_cols == 0);
	ls_strip_free(s);
	ls_fontset_free(fs);
}

/* ------------------------------------------------------------ the font provider */

struct counting {
	struct ls_font_provider p;
	int opened, closed, checked;
	char last[256];
};

static int counting_check(void *ctx, const char *path, struct ls_error *err)
{
	struct counting *c = ctx;

	c->checked++;
	return ls_font_files()->check(ls_font_files()->ctx, path, err);
}

static struct FT_FaceRec_ *counting_open(void *ctx, const char *path, struct ls_error *err)
{
	struct counting *c = ctx;

	c->opened++;
	snprintf(c->last, sizeof(c->last), "%s", path);
	return ls_font_files()->open(ls_font_files()->ctx, path, err);
}

static void counting_close(void *ctx, struct FT_FaceRec_ *face)
{
	struct counting *c = ctx;

	c->closed++;
	ls_font_files()->close(ls_font_files()->ctx, face);
}

/* The core opens no font file: every face comes from the provider it is
 * handed, and goes back to it when the set is freed (also after a failure). */
TEST(font_faces_come_from_the_provider_and_go_back_to_it)
{
	struct counting c = {.p = {.open = counting_open, .close = counting_close}};
	const char *paths[] = {th_path(LEDSIGN16), UNIFONT, "/nonexistent/font.ttf"};
	struct ls_error err = {{0}};

	c.p.ctx = &c;
	struct ls_fontset *fs = ls_fontset_new(&c.p, paths, 2, 16, true, &err);
	ASSERT_MSG(fs, "%s", err.msg);
	ASSERT_EQ_INT(c.opened, 2);
	ASSERT(ls_fontset_glyph(fs, 0x1EC7)); /* rasterising asks the provider for nothing */
	ASSERT_EQ_INT(c.opened, 2);
	ls_fontset_free(fs);
	ASSERT_EQ_INT(c.closed, 2);

	c.opened = c.closed = 0;
	ASSERT(!ls_fontset_new(&c.p, paths, 3, 16, true, &err));
	ASSERT_EQ_INT(c.opened, 3);
	ASSERT_EQ_INT(c.closed, 2); /* the two faces that opened */
	ASSERT_CONTAINS(err.msg, "/nonexistent/font.ttf: cannot be opened as a font");
	ASSERT(!ls_fontset_new(NULL, paths, 1, 16, true, &err));
}

/* With a provider that can check a font without loading it, a set opens only
 * its first font; a fallback is checked at once (a broken one is refused with
 * the same message as when it was opened) and opened when a glyph needs it. */
TEST(a_fallback_is_checked_at_once_and_opened_only_when_a_glyph_needs_it)
{
	struct counting c = {.p = {.open = counting_open, .close = counting_close}};
	const char *paths[] = {th_path(LEDSIGN16), UNIFONT, "/nonexistent/font.ttf"};
	struct ls_error err = {{0}};

	c.p.check = counting_check;
	c.p.ctx = &c;
	struct ls_fontset *fs = ls_fontset_new(&c.p, paths, 2, 16, true, &err);
	ASSERT_MSG(fs, "%s", err.msg);
	ASSERT_EQ_INT(c.opened, 1);
	ASSERT_EQ_INT(c.checked, 1);
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 0x1EC7)->face, 0); /* ledsign16 has it */
	ASSERT_EQ_INT(c.opened, 1);
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 0x2603)->face, 1); /* only Unifont has the snowman */
	ASSERT_EQ_INT(c.opened, 2);
	ASSERT_EQ_STR(c.last, UNIFONT);
	ls_fontset_free(fs);
	ASSERT_EQ_INT(c.closed, 2);

	c.opened = c.closed = c.checked = 0;
	ASSERT(!ls_fontset_new(&c.p, paths, 3, 16, true, &err));
	ASSERT_EQ_INT(c.opened, 1);
	ASSERT_EQ_INT(c.checked, 2);
	ASSERT_EQ_INT(c.closed, 1);
	ASSERT_CONTAINS(err.msg, "/nonexistent/font.ttf: cannot be opened as a font");
}

/* The system's provider checks a fallback by its header: a file that is no
 * font is refused at once, with the message opening it would give. */
TEST(the_font_files_refuse_a_fallback_that_is_no_font)
{
	char path[4096];
	struct ls_error err = {{0}};
	FILE *f;

	snprintf(path, sizeof(path), "%s/notes.ttf", th_tmpdir());
	f = fopen(path, "w");
	ASSERT(f);
	fputs("Bảo hiểm xã hội: not a font\n", f);
	fclose(f);
	const char *paths[] = {th_path(LEDSIGN16), DEJAVU, path};
	struct ls_fontset *fs = ls_fontset_open(paths, 2, 16, true, &err);
	ASSERT_MSG(fs, "%s", err.msg); /* DejaVu passes the check */
	ls_fontset_free(fs);
	ASSERT(!ls_fontset_open(paths, 3, 16, true, &err));
	ASSERT_CONTAINS(err.msg, "notes.ttf: cannot be opened as a font (BDF, PCF");
	ASSERT_EQ_INT(ls_font_files()->check(NULL, path, &err), -1);
	ASSERT_EQ_INT(ls_font_files()->check(NULL, th_path(LEDSIGN32), &err), 0);
	ASSERT_EQ_INT(ls_font_files()->check(NULL, UNIFONT, &err), 0);
}

/* A fallback whose header passes the check but whose body is broken is left
 * out of the chain when a glyph first reaches it: the glyph is a box. */
TEST(a_fallback_broken_past_its_header_is_left_out_when_first_needed)
{
	char path[4096];
	struct ls_error err = {{0}};
	FILE *f;

	snprintf(path, sizeof(path), "%s/cut.bdf", th_tmpdir());
	f = fopen(path, "w");
	ASSERT(f);
	fputs("STARTFONT 2.1\nFONT -cut\nSIZE 16 75 75\nCHARS 1\nSTARTCHAR", f);
	fclose(f);
	const char *paths[] = {th_path(LEDSIGN16), path};
	struct ls_fontset *fs = ls_fontset_open(paths, 2, 16, true, &err);
	ASSERT_MSG(fs, "%s", err.msg);
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 0x2603)->face, -1);
	ASSERT(ls_fontset_font(fs, 0, NULL));
	ASSERT(!ls_fontset_font(fs, 1, NULL));
	ls_fontset_free(fs);
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* The service opens its fonts for the start-up check and again for the
 * player: a face given back is handed to the next open of the unchanged file
 * instead of parsing the file again, unless another face of it is open; a
 * file changed on disk is read afresh. */
TEST(a_face_given_back_is_reused_by_the_next_open_of_the_unchanged_file)
{
	const struct ls_font_provider *p = ls_font_files();
	char path[4096];
	struct ls_error err = {{0}};
	int mark_a, mark_c; /* a face's generic.data, set here: a kept face still carries it */

	snprintf(path, sizeof(path), "%s/kept.bdf", th_tmpdir());
	copy_file(th_path(LEDSIGN16), path);
	FT_Face a = p->open(p->ctx, path, &err);
	ASSERT_MSG(a, "%s", err.msg);
	a->generic.data = &mark_a;
	p->close(p->ctx, a);
	FT_Face b = p->open(p->ctx, path, &err);
	ASSERT(b && b->generic.data == &mark_a);
	FT_Face c = p->open(p->ctx, path, &err); /* b is in use: a face of its own */
	ASSERT(c && c != b && !c->generic.data);
	c->generic.data = &mark_c;
	p->close(p->ctx, b); /* c is open: b is closed, not kept */
	p->close(p->ctx, c);
	FT_Face d = p->open(p->ctx, path, &err);
	ASSERT(d && d->generic.data == &mark_c);
	FT_Face d2 = p->open(p->ctx, path, &err); /* b was not kept */
	ASSERT(d2 && !d2->generic.data);
	ASSERT_EQ_INT(d->available_sizes[0].height, 16);
	p->close(p->ctx, d2);
	p->close(p->ctx, d);
	copy_file(th_path(LEDSIGN32), path); /* changed on disk */
	FT_Face e = p->open(p->ctx, path, &err);
	ASSERT(e && !e->generic.data);
	ASSERT_EQ_INT(e->available_sizes[0].height, 32);
	p->close(p->ctx, e);
}

/* A provider that keeps the faces it hands out, so a test can look at them. */
struct keeping {
	struct ls_font_provider p;
	FT_Face faces[4];
	int n;
};

static struct FT_FaceRec_ *keeping_open(void *ctx, const char *path, struct ls_error *err)
{
	struct keeping *k = ctx;
	FT_Face f = ls_font_files()->open(ls_font_files()->ctx, path, err);

	if (f && k->n < 4)
		k->faces[k->n++] = f;
	return f;
}

static void keeping_close(void *ctx, struct FT_FaceRec_ *face)
{
	(void)ctx;
	ls_font_files()->close(ls_font_files()->ctx, face);
}

/* Text the first font has never sizes the fallback (fitting an outline
 * fallback was most of a board's start-up); the first glyph only it has
 * does, and lands at the same place in the chain as before. */
TEST(fallback_fonts_are_fitted_only_when_a_glyph_needs_them)
{
	struct keeping k = {.p = {.open = keeping_open, .close = keeping_close}};
	const char *paths[] = {th_path(LEDSIGN16), UNIFONT};
	struct ls_error err = {{0}};
	struct ls_font_metrics m;

	k.p.ctx = &k;
	struct ls_fontset *fs = ls_fontset_new(&k.p, paths, 2, 16, true, &err);
	ASSERT_MSG(fs, "%s", err.msg);
	ASSERT_EQ_INT(k.n, 2); /* both opened: a font that cannot be read is refused at once */
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 'A')->face, 0);
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 0x1EC7)->face, 0);
	ls_fontset_metrics(fs, &m);
	ASSERT_EQ_INT(k.faces[1]->size->metrics.y_ppem, 0); /* Unifont never sized */
	const struct ls_glyph *snow = ls_fontset_glyph(fs, 0x2603);
	ASSERT(snow && snow->face == 1);
	ASSERT_EQ_INT(k.faces[1]->size->metrics.y_ppem, 16);
	ls_fontset_free(fs);
}

/* ------------------------------------------------------------ spaces */

TEST(spaces_of_every_kind_take_the_width_of_the_lines_own_space)
{
	/* ledsign16 has no no-break, thin or ideographic space; Unifont has them,
	 * 8 or 16 columns wide, against ledsign16's own narrower space. */
	struct ls_fontset *fs = default_chain(16);
	static const char *const spaces[] = {"\xC2\xA0", "\xE2\x80\x89", "\xE2\x80\xAF",
					     "\xE3\x80\x80", "\xE2\x80\x82"};
	struct ls_strip *plain = render(fs, "B\xE1\xBA\xA3o hi\xE1\xBB\x83m", NULL);

	for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
		char text[64];
		struct ls_text_report r;
		snprintf(text, sizeof(text), "B\xE1\xBA\xA3o%shi\xE1\xBB\x83m", spaces[i]);
		struct ls_strip *s = render(fs, text, &r);
		ASSERT_MSG(s->width == plain->width, "space %zu: %d columns, not %d", i, s->width,
			   plain->width);
		ASSERT(same_strip(s, plain));
		ASSERT_EQ_INT(r.missing, 0);
		ls_strip_free(s);
	}
	ls_strip_free(plain);
	ls_fontset_free(fs);
}

/* ------------------------------------------------------------ a glyph too tall */

/* A 16-row BDF with 'A' and 'H' of 10 rows and 'Ẫ' of 18: the font keeps its
 * place in front of Unifont (its 'A' is drawn), only 'Ẫ' comes from Unifont,
 * and the fit names it. */
TEST(a_font_with_one_glyph_taller_than_the_line_loses_that_glyph_not_its_place)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tall.bdf", th_tmpdir());
	f = fopen(path, "w");
	ASSERT(f);
	fprintf(f, "STARTFONT 2.1\nFONT -test-tall-medium-r-normal--16-160-75-75-c-80-iso10646-1\n"
		   "SIZE 16 75 75\nFONTBOUNDINGBOX 8 18 0 -4\nSTARTPROPERTIES 2\nFONT_ASCENT 12\n"
		   "FONT_DESCENT 4\nENDPROPERTIES\nCHARS 3\n");
	static const struct {
		const char *name;
		unsigned cp;
		int rows;
	} g[] = {{"A", 0x41, 10}, {"H", 0x48, 10}, {"Atilde_circ", 0x1EAA, 18}};
	for (size_t i = 0; i < 3; i++) {
		fprintf(
		    f,
		    "STARTCHAR %s\nENCODING %u\nSWIDTH 500 0\nDWIDTH 8 0\nBBX 8 %d 0 0\nBITMAP\n",
		    g[i].name, g[i].cp, g[i].rows);
		for (int r = 0; r < g[i].rows; r++)
			fprintf(f, "%s\n", r == 0 || r == g[i].rows - 1 ? "7E" : "42");
		fprintf(f, "ENDCHAR\n");
	}
	fprintf(f, "ENDFONT\n");
	fclose(f);

	const char *paths[] = {path, UNIFONT};
	struct ls_error err = {{0}};
	struct ls_fontset *fs = ls_fontset_open(paths, 2, 16, true, &err);
	struct ls_font_fit fit;
	ASSERT_MSG(fs, "%s", err.msg);
	ASSERT_EQ_STR(ls_fontset_font(fs, 0, &fit), path); /* still first */
	ASSERT(fit.suitable);
	ASSERT_EQ_INT(fit.overflow_cp, 0x1EAA);
	ASSERT_EQ_INT(fit.overflow_rows, 6);
	ASSERT_EQ_INT(ls_fontset_glyph(fs, 'A')->face, 0);
	const struct ls_glyph *tall = ls_fontset_glyph(fs, 0x1EAA);
	ASSERT_EQ_INT(tall->face, 1); /* from Unifont, whole */
	ASSERT_EQ_INT(tall->clip_above + tall->clip_below, 0);
	ls_fontset_free(fs);
}

/* The status notes a zone's problems anew only when they change: reports
 * compare by their fields, so stale entries past a list's count (or bytes
 * between fields) do not count, and any real change does. */
TEST(text_reports_compare_by_value)
{
	struct ls_fontset *fs = open1(LEDSIGN16, 16, true);
	struct ls_text_report a, b;
	struct ls_strip *s = render(fs, "Bảo hiểm \xe4\xb8\xad", &a);

	ASSERT(a.missing == 1 && a.n_missing_cp == 1 && a.n_spans >= 1);
	b = a;
	b.missing_cp[LS_REPORT_LIST - 1] = 0x1234; /* past n_missing_cp */
	b.spans[LS_REPORT_SPANS - 1].x0 = 77;	   /* past n_spans */
	ASSERT(ls_text_report_equal(&a, &b));
	b.spans[0].x1++;
	ASSERT(!ls_text_report_equal(&a, &b));
	b = a;
	b.missing_cp[0] = 0x4E2E;
	ASSERT(!ls_text_report_equal(&a, &b));
	b = a;
	b.controls = 1;
	ASSERT(!ls_text_report_equal(&a, &b));
	b = a;
	b.unshaped = "Khmer";
	ASSERT(!ls_text_report_equal(&a, &b));
	ls_strip_free(s);
	ls_fontset_free(fs);
}

/* ------------------------------------------------------------ 32 rows */

/* Separate pieces of ink (8-connected) of cp's glyph in set fs. */
static int ink_pieces(struct ls_fontset *fs, uint32_t cp)
{
	const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
	int w = g->width, h = g->rows, n = 0;
	int *stack = malloc(sizeof(int) * (size_t)(w * h + 1));
	bool *seen = calloc((size_t)(w * h + 1), 1);

	ASSERT(stack && seen);
	for (int i = 0; i < w * h; i++) {
		if (seen[i] || g->cov[i] < 128)
			continue;
		int top = 0;
		n++;
		stack[top++] = i;
		seen[i] = true;
		while (top) {
			int p = stack[--top], x = p % w, y = p / w;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					int nx = x + dx, ny = y + dy, q = ny * w + nx;
					if (nx < 0 || ny < 0 || nx >= w || ny >= h || seen[q] ||
					    g->cov[q] < 128)
						continue;
					seen[q] = true;
					stack[top++] = q;
				}
		}
	}
	free(stack);
	free(seen);
	return n;
}

/* On a 32-row board the default chain's first font is ledsign32, in which a
 * tone on a circumflex or breve stands clear of it and of the letter: three
 * pieces of ink (letter, hat, tone). DejaVu Sans Bold, the 32-row font
 * before, sets most of those tones on the hat (two pieces). */
TEST(at_32_rows_the_default_font_keeps_stacked_marks_apart)
{
	struct ls_config cfg;
	struct ls_error err = {{0}};
	const char *paths[LS_MAX_FONTS];
	static const char stacked[] = "ẰẮẲẴẦẤẨẪỀẾỂỄỒỐỔỖằắẳẵầấẩẫềếểễồốổỗ";
	size_t len = strlen(stacked);
	int apart = 0, dejavu_apart = 0, total = 0;

	ls_config_defaults(&cfg);
	ls_config_default_fonts(&cfg);
	for (int i = 0; i < cfg.display.n_fonts; i++)
		paths[i] = cfg.display.fonts[i];
	struct ls_fontset *fs = ls_fontset_open(paths, cfg.display.n_fonts, 32, true, &err);
	const char *dj[] = {DEJAVU};
	struct ls_fontset *dfs = ls_fontset_open(dj, 1, 32, true, &err);
	ASSERT_MSG(fs && dfs, "%s", err.msg);
	ASSERT_CONTAINS(ls_fontset_font(fs, 0, NULL), "ledsign32.bdf");
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += ls_utf8_decode(stacked + i, len - i, &cp);
		total++;
		apart += ink_pieces(fs, cp) >= 3;
		dejavu_apart += ink_pieces(dfs, cp) >= 3;
	}
	ASSERT_EQ_INT(total, 32);
	ASSERT_EQ_INT(apart, 32);
	fprintf(stderr, "  stacked forms in 3 pieces: ledsign32 %d/32, DejaVu Sans Bold %d/32\n",
		apart, dejavu_apart);
	ASSERT(dejavu_apart < 32); /* DejaVu 2.37: 18, so 14 forms touch */
	ls_fontset_free(fs);
	ls_fontset_free(dfs);
}
