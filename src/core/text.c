/*
 * text.c: layout of a text line into a strip, the report of what went wrong,
 * and the per-frame blit. Rendering happens once per item (and again only
 * when a live template changes), from the font set's glyph cache; the blit
 * of the visible window is the only per-frame cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/error.h"
#include "ledsign/text.h"
#include "ledsign/utf8.h"

struct pen {
	struct ls_strip *strip; /* NULL while measuring */
	int x;			/* pen position, in strip columns */
	int ink_min, ink_max;	/* ink columns touched, while measuring */
	struct ls_text_report *rep;
	int run_kind; /* problem of the character just placed (LS_SPAN_*), 0 for none */
};

/* What a code point becomes on a board: itself, a space (controls, tabs,
 * spaces of any kind that the font drawing the line's own space lacks) or
 * nothing (default-ignorable code points such as a byte-order mark, which are
 * invisible by definition). A no-break space that only a fallback font has
 * would otherwise take that font's width (Unifont's 8 columns in a line of
 * 5-column spaces). */
static bool visible_cp(struct ls_fontset *fs, uint32_t *cp)
{
	const utf8proc_property_t *prop = utf8proc_get_property((utf8proc_int32_t)*cp);

	if (prop->category == UTF8PROC_CATEGORY_CC) {
		*cp = ' ';
		return true;
	}
	if (prop->ignorable)
		return false;
	if (prop->category == UTF8PROC_CATEGORY_ZS && *cp != ' ') {
		const struct ls_glyph *g = ls_fontset_glyph(fs, *cp);
		const struct ls_glyph *space = ls_fontset_glyph(fs, ' ');
		if (g && space && g->face != space->face)
			*cp = ' ';
	}
	return true;
}

static void note_missing(struct ls_text_report *r, uint32_t cp)
{
	if (!r->missing++)
		r->first_missing = cp;
	for (int i = 0; i < r->n_missing_cp; i++)
		if (r->missing_cp[i] == cp)
			return;
	if (r->n_missing_cp < LS_REPORT_LIST)
		r->missing_cp[r->n_missing_cp++] = cp;
}

static void note_clipped(struct ls_text_report *r, const struct ls_glyph *g)
{
	if (!r->clipped_rows)
		r->first_clipped = g->cp;
	r->clipped_rows += g->clip_above + g->clip_below;
	for (int i = 0; i < r->n_clipped; i++)
		if (r->clipped[i].cp == g->cp)
			return;
	if (r->n_clipped < LS_REPORT_LIST)
		r->clipped[r->n_clipped++] =
		    (struct ls_clip){.cp = g->cp, .above = g->clip_above, .below = g->clip_below};
}

/* Copies a glyph's coverage into the strip at pen column x, keeping the
 * stronger value where neighbours overlap; rows outside the line are cut. */
static void blit_glyph(struct ls_strip *s, const struct ls_glyph *g, int x)
{
	for (int r = 0; r < g->rows; r++) {
		int y = g->top + r;
		if (y < 0 || y >= s->height)
			continue;
		const uint8_t *src = g->cov + (long)r * g->width;
		uint8_t *dst = s->cov + (long)y * s->width;
		for (int c = 0; c < g->width; c++) {
			int dx = x + g->left + c;
			if (src[c] && dx >= 0 && dx < s->width && src[c] > dst[dx])
				dst[dx] = src[c];
		}
	}
}

/* Columns [*c0, *c1) of the strip that a glyph drawn at pen column x inks,
 * rows outside the line included (its cell when it has no ink), within the strip. */
static void ink_columns(const struct ls_strip *s, const struct ls_glyph *g, int x, int *c0, int *c1)
{
	int lo = g->width, hi = -1;

	for (int r = 0; r < g->rows; r++)
		for (int c = 0; c < g->width; c++)
			if (g->cov[(long)r * g->width + c]) {
				lo = c < lo ? c : lo;
				hi = c > hi ? c : hi;
			}
	*c0 = hi >= 0 ? x + g->left + lo : x;
	*c1 = hi >= 0 ? x + g->left + hi + 1 : x + (g->advance > 0 ? g->advance : 1);
	*c0 = *c0 < 0 ? 0 : *c0 > s->width - 1 ? s->width - 1 : *c0;
	*c1 = *c1 > s->width ? s->width : *c1 <= *c0 ? *c0 + 1 : *c1;
}

static int problem_kind(const struct ls_text_report *r, const struct ls_glyph *g)
{
	return (g->face < 0 ? LS_SPAN_MISSING : 0) |
	       (g->clip_above || g->clip_below ? LS_SPAN_CLIPPED : 0) |
	       (r->replaced && g->cp == LS_REPLACEMENT_CHAR ? LS_SPAN_REPLACED : 0);
}

/* Records where a problem character is drawn: it widens the span of its
 * neighbour with the same problem, or starts one (counted past the list). */
static void note_span(struct pen *p, const struct ls_glyph *g, int kind)
{
	struct ls_text_report *r = p->rep;
	int c0, c1;

	ink_columns(p->strip, g, p->x, &c0, &c1);
	if (kind == p->run_kind) {
		if (!r->spans_over && r->n_spans) {
			struct ls_text_span *sp = &r->spans[r->n_spans - 1];
			sp->x0 = c0 < sp->x0 ? c0 : sp->x0;
			sp->x1 = c1 > sp->x1 ? c1 : sp->x1;
		}
		return;
	}
	if (r->n_spans < LS_REPORT_SPANS && !r->spans_over)
		r->spans[r->n_spans++] = (struct ls_text_span){.x0 = c0, .x1 = c1, .kind = kind};
	else
		r->spans_over++;
}

static void place_glyph(struct pen *p, const struct ls_glyph *g)
{
	if (p->strip) {
		blit_glyph(p->strip, g, p->x);
		int kind = p->rep ? problem_kind(p->rep, g) : 0;
		if (kind & LS_SPAN_MISSING)
			note_missing(p->rep, g->cp);
		if (kind & LS_SPAN_CLIPPED)
			note_clipped(p->rep, g);
		if (kind)
			note_span(p, g, kind);
		p->run_kind = kind;
		if (p->rep && g->face > 0 && g->width && !p->rep->fallback++) {
			p->rep->first_fallback = g->cp;
			p->rep->fallback_face = g->face;
		}
	} else if (g->width) {
		int l = p->x + g->left, r = l + g->width;
		p->ink_min = l < p->ink_min ? l : p->ink_min;
		p->ink_max = r > p->ink_max ? r : p->ink_max;
	}
	p->x += g->advance;
}

/* Lays out NFC text with the pen; -1 when memory is short. */
static int layout(struct ls_fontset *fs, const char *text, size_t len, struct pen *p)
{
	const struct ls_glyph *prev = NULL;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		i += ls_utf8_decode(text + i, len - i, &cp);
		if (!visible_cp(fs, &cp))
			continue;
		const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
		if (!g)
			return -1;
		p->x += ls_fontset_kerning(fs, prev, g);
		place_glyph(p, g);
		prev = g;
	}
	return 0;
}

static int count_replaced(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ls_utf8_decode(s + i, len - i, &cp);
		n += cp == LS_REPLACEMENT_CHAR; /* written as such, a character an earlier
						   conversion lost */
		i += k;
	}
	return n;
}

static struct ls_strip *strip_new(int width, int height)
{
	struct ls_strip *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->width = width > 0 ? width : 1;
	s->height = height;
	s->cov = calloc((size_t)s->width * (size_t)height, 1);
	if (!s->cov) {
		free(s);
		return NULL;
	}
	return s;
}

struct ls_strip *ls_text_render(struct ls_fontset *fs, const char *text,
				struct ls_text_report *report)
{
	size_t len = strlen(text);
	char *nfc = ls_utf8_nfc(text, len);
	struct ls_strip *s = NULL;
	struct pen p = {.ink_min = 0, .ink_max = 0};

	if (!nfc)
		return NULL;
	if (report) {
		memset(report, 0, sizeof(*report));
		report->replaced = count_replaced(text, len);
		ls_text_check(text, report);
	}
	len = strlen(nfc);
	if (layout(fs, nfc, len, &p) < 0)
		goto out;
	/* Ink left of the first pen position (a negative side bearing) shifts
	 * the line right rather than being cut off. */
	int shift = p.ink_min < 0 ? -p.ink_min : 0;
	long width = (long)(p.x > p.ink_max ? p.x : p.ink_max) + shift;
	long max_width = LS_STRIP_MAX_PIXELS / ls_fontset_height(fs);
	if (width > max_width) { /* glyphs past the budget are not drawn, and reported */
		if (report)
			report->truncated_cols = (int)(width - max_width);
		width = max_width;
	}
	s = strip_new((int)width, ls_fontset_height(fs));
	if (!s)
		goto out;
	p = (struct pen){.strip = s, .x = shift, .rep = report};
	if (layout(fs, nfc, len, &p) < 0) {
		ls_strip_free(s);
		s = NULL;
	}
out:
	free(nfc);
	return s;
}

static size_t put_cp(char *buf, size_t n, size_t at, uint32_t cp)
{
	char u[8] = {0};
	int k;

	if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CC) {
		k = snprintf(buf + at, n - at, "U+%04X", (unsigned)cp); /* not printable */
	} else {
		utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)u);
		k = snprintf(buf + at, n - at, "'%s' (U+%04X)", u, (unsigned)cp);
	}
	return at + (k > 0 && (size_t)k < n - at ? (size_t)k : 0);
}

static bool spans_equal(const struct ls_text_report *a, const struct ls_text_report *b)
{
	for (int i = 0; i < a->n_spans; i++) {
		const struct ls_text_span *x = &a->spans[i], *y = &b->spans[i];
		if (x->x0 != y->x0 || x->x1 != y->x1 || x->kind != y->kind || x->line != y->line)
			return false;
	}
	return true;
}

/* Only the filled entries of the lists count. */
bool ls_text_report_equal(const struct ls_text_report *a, const struct ls_text_report *b)
{
	if (a->missing != b->missing || a->first_missing != b->first_missing ||
	    a->clipped_rows != b->clipped_rows || a->first_clipped != b->first_clipped ||
	    a->replaced != b->replaced || a->n_missing_cp != b->n_missing_cp ||
	    a->n_clipped != b->n_clipped || a->n_spans != b->n_spans ||
	    a->spans_over != b->spans_over || a->truncated_cols != b->truncated_cols)
		return false;
	if (a->legacy != b->legacy || a->legacy_at != b->legacy_at ||
	    a->legacy_count != b->legacy_count || strcmp(a->legacy_word, b->legacy_word) ||
	    a->controls != b->controls || a->first_control != b->first_control ||
	    a->first_control_at != b->first_control_at || a->lookalikes != b->lookalikes ||
	    a->lookalike_cp != b->lookalike_cp || a->lookalike_fix != b->lookalike_fix ||
	    a->lookalike_at != b->lookalike_at || a->unshaped != b->unshaped ||
	    a->unshaped_at != b->unshaped_at || a->fallback != b->fallback ||
	    a->first_fallback != b->first_fallback || a->fallback_face != b->fallback_face)
		return false;
	for (int i = 0; i < a->n_missing_cp; i++)
		if (a->missing_cp[i] != b->missing_cp[i])
			return false;
	for (int i = 0; i < a->n_clipped; i++)
		if (a->clipped[i].cp != b->clipped[i].cp ||
		    a->clipped[i].above != b->clipped[i].above ||
		    a->clipped[i].below != b->clipped[i].below)
			return false;
	return spans_equal(a, b);
}

/* The characters of the missing list, one put_cp() each, space-separated. */
static void missing_list(const struct ls_text_report *r, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->n_missing_cp; i++) {
		if (i && at + 1 < n)
			buf[at++] = ' ', buf[at] = '\0';
		at = put_cp(buf, n, at, r->missing_cp[i]);
	}
}

/* The clipped characters, each with the rows it loses at the top and the
 * bottom, space-separated: each entry is one translated phrase. */
static void clipped_list(const struct ls_text_report *r, char *buf, size_t n)
{
	size_t at = 0;
	char cp[32];

	buf[0] = '\0';
	for (int i = 0; i < r->n_clipped && at < n; i++) {
		const struct ls_clip *c = &r->clipped[i];
		int k;

		put_cp(cp, sizeof(cp), 0, c->cp);
		if (c->above && c->below)
			k = snprintf(buf + at, n - at, ls_tr("%s%s %d at the top %d at the bottom"),
				     i ? " " : "", cp, c->above, c->below);
		else if (c->above)
			k = snprintf(buf + at, n - at, ls_tr("%s%s %d at the top"), i ? " " : "",
				     cp, c->above);
		else if (c->below)
			k = snprintf(buf + at, n - at, ls_tr("%s%s %d at the bottom"), i ? " " : "",
				     cp, c->below);
		else
			k = snprintf(buf + at, n - at, "%s%s", i ? " " : "", cp);
		if (k > 0)
			at += (size_t)k < n - at ? (size_t)k : n - at - 1;
	}
}

/* Control characters: one finding, with the TCVN3 note when the first is a
 * control byte that TCVN3 uses for a capital. */
static const char *controls_format(const struct ls_text_report *r)
{
	unsigned long k = (unsigned long)r->controls;

	if (r->first_control >= 0x01 && r->first_control <= 0x17 && r->first_control != '\t')
		return ls_ntr(
		    "%s%d control character (drawn as spaces), the first %s at character "
		    "%d; remove it (TCVN3 text puts capitals such as \xE1\xBB\xAA on "
		    "control bytes)",
		    "%s%d control characters (drawn as spaces), the first %s at character "
		    "%d; remove them (TCVN3 text puts capitals such as \xE1\xBB\xAA on "
		    "control bytes)",
		    k);
	return ls_ntr("%s%d control character (drawn as spaces), the first %s at character %d; "
		      "remove it",
		      "%s%d control characters (drawn as spaces), the first %s at character %d; "
		      "remove them",
		      k);
}

/* Every finding is one whole sentence of the catalogue (ls_tr(), ls_ntr());
 * findings are joined by "; ". */
char *ls_text_report_describe(const struct ls_text_report *r, char *buf, size_t n)
{
	size_t at = 0;
	char list[256], a[32], b[32];

	if (!n)
		return buf;
	buf[0] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#define ADD(...)                                                                                   \
	do {                                                                                       \
		int k_ = snprintf(buf + at, n - at, __VA_ARGS__);                                  \
		if (k_ > 0 && (size_t)k_ < n - at)                                                 \
			at += (size_t)k_;                                                          \
	} while (0)
	if (r->missing) {
		missing_list(r, list, sizeof(list));
		ADD(ls_ntr("%d character in no font (drawn as boxes): %s; add a font that has "
			   "them to [display] font",
			   "%d characters in no font (drawn as boxes): %s; add a font that has "
			   "them to [display] font",
			   (unsigned long)r->missing),
		    r->missing, list);
	}
	if (r->n_clipped) {
		clipped_list(r, list, sizeof(list));
		ADD(ls_ntr("%s%d row of ink cut off: %s; use a font made for this line height",
			   "%s%d rows of ink cut off: %s; use a font made for this line height",
			   (unsigned long)r->clipped_rows),
		    at ? "; " : "", r->clipped_rows, list);
	}
	if (r->replaced)
		ADD(ls_tr("%s%d U+FFFD shown (bytes that were not UTF-8, or a character lost in an "
			  "earlier conversion); retype the text from its source, saved as UTF-8"),
		    at ? "; " : "", r->replaced);
	if (r->legacy)
		ADD(ls_tr(
			"%stext looks like %s (\"%s\" at character %d, %d suspicious characters); "
			"convert the source to Unicode (e.g. Unikey's converter) and save it as "
			"UTF-8"),
		    at ? "; " : "", ls_legacy_name(r->legacy), r->legacy_word, r->legacy_at,
		    r->legacy_count);
	if (r->controls) {
		put_cp(a, sizeof(a), 0, r->first_control);
		ADD(controls_format(r), at ? "; " : "", r->controls, a, r->first_control_at);
	}
	if (r->lookalikes) {
		put_cp(a, sizeof(a), 0, r->lookalike_cp);
		put_cp(b, sizeof(b), 0, r->lookalike_fix);
		if (r->lookalikes > 1)
			ADD(ls_tr("%s%s at character %d: did you mean %s? (%d such lookalike "
				  "letters)"),
			    at ? "; " : "", a, r->lookalike_at, b, r->lookalikes);
		else
			ADD(ls_tr("%s%s at character %d: did you mean %s?"), at ? "; " : "", a,
			    r->lookalike_at, b);
	}
	if (r->unshaped)
		ADD(ls_tr(
			"%s%s script at character %d is drawn letter by letter, unshaped (ledsign "
			"does not join, stack, reorder or turn right to left): it will not read "
			"correctly; show it as a picture or write it in Vietnamese"),
		    at ? "; " : "", r->unshaped, r->unshaped_at);
	if (r->truncated_cols)
		ADD(ls_tr("%sthe last %d columns of text were not drawn (a line is at most %ld "
			  "pixels); shorten the text or the size"),
		    at ? "; " : "", r->truncated_cols, LS_STRIP_MAX_PIXELS);
#undef ADD
#pragma GCC diagnostic pop
	return buf;
}

void ls_strip_free(struct ls_strip *s)
{
	if (!s)
		return;
	free(s->cov);
	free(s);
}

void ls_palette_make(struct ls_rgb pal[256], struct ls_rgb fg, struct ls_rgb bg)
{
	for (int i = 0; i < 256; i++) {
		pal[i].r = (uint8_t)((bg.r * (255 - i) + fg.r * i + 127) / 255);
		pal[i].g = (uint8_t)((bg.g * (255 - i) + fg.g * i + 127) / 255);
		pal[i].b = (uint8_t)((bg.b * (255 - i) + fg.b * i + 127) / 255);
	}
}

/* Copies n >= 1 pixels through a palette padded to 4 bytes: 4-byte stores
 * 3 bytes apart, each overwriting the spare byte of the one before, and a
 * 3-byte store for the last pixel so nothing past the span is touched. */
static void blit_row(uint8_t *dst, const uint8_t *src, int n, const uint32_t pal4[256])
{
	for (; n >= 5; n -= 4, src += 4, dst += 12) {
		memcpy(dst, &pal4[src[0]], 4);
		memcpy(dst + 3, &pal4[src[1]], 4);
		memcpy(dst + 6, &pal4[src[2]], 4);
		memcpy(dst + 9, &pal4[src[3]], 4);
	}
	for (; n > 1; n--, dst += 3)
		memcpy(dst, &pal4[*src++], 4);
	memcpy(dst, &pal4[*src], 3);
}

void ls_strip_draw(const struct ls_strip *s, const struct ls_rgb pal[256], struct ls_canvas *c,
		   struct ls_rect clip, int x, int y)
{
	int x0 = clip.x > x ? clip.x : x, y0 = clip.y > y ? clip.y : y;
	int x1 = clip.x + clip.w, y1 = clip.y + clip.h;
	uint32_t pal4[256];

	if (x1 > x + s->width)
		x1 = x + s->width;
	if (y1 > y + s->height)
		y1 = y + s->height;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > c->width)
		x1 = c->width;
	if (y1 > c->height)
		y1 = c->height;
	if (x0 >= x1 || y0 >= y1)
		return;
	_Static_assert(sizeof(struct ls_rgb) == 3, "the blit copies 3-byte pixels");
	for (int i = 0; i < 256; i++) {
		pal4[i] = 0;
		memcpy(&pal4[i], &pal[i], 3);
	}
	for (int row = y0; row < y1; row++)
		blit_row((uint8_t *)(c->px + (long)row * c->width + x0),
			 s->cov + (long)(row - y) * s->width + (x0 - x), x1 - x0, pal4);
}
