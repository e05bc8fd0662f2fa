/*
 * text.c: FreeType font chains, layout and rasterisation of a text line into a
 * strip, and the per-frame blit. Rendering happens once per item (and again
 * only when a live template changes); the blit is the only per-frame cost.
 */
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ledsign/text.h"
#include "ledsign/utf8.h"

struct ls_fontset {
	FT_Library lib;
	FT_Face faces[LS_FONTSET_MAX];
	int ascent[LS_FONTSET_MAX]; /* baseline offset from the top of the line, per face */
	int n;
	int height;
	bool mono;
};

/* Picks the pixel size for a face: scalable fonts at the line height, bitmap
 * fonts at the strike closest to it (a bitmap font is never scaled). */
static int size_face(FT_Face face, int height)
{
	int best = 0;

	if (FT_IS_SCALABLE(face))
		return FT_Set_Pixel_Sizes(face, 0, (FT_UInt)height) ? -1 : 0;
	if (face->num_fixed_sizes < 1)
		return -1;
	for (int i = 1; i < face->num_fixed_sizes; i++)
		if (abs(face->available_sizes[i].height - height) < abs(face->available_sizes[best].height - height))
			best = i;
	return FT_Select_Size(face, best) ? -1 : 0;
}

/* The baseline sits so that the face's ascent fills the line from the top and
 * its descent fits below; for bitmap fonts FreeType's ascender is exact. */
static int face_ascent(FT_Face face, int height)
{
	long asc = face->size->metrics.ascender >> 6, desc = -(face->size->metrics.descender >> 6);
	long total = asc + desc;

	if (total <= 0)
		return height * 3 / 4;
	if (total != height) /* centre the face's line box in ours */
		asc += (height - total) / 2;
	return (int)asc;
}

struct ls_fontset *ls_fontset_open(const char *const *paths, int n, int line_height, bool mono,
				   struct ls_error *err)
{
	struct ls_fontset *fs;

	if (n < 1 || n > LS_FONTSET_MAX) {
		ls_error_set(err, "font chain: %d fonts given; use 1..%d", n, LS_FONTSET_MAX);
		return NULL;
	}
	if (line_height < 4 || line_height > 512) {
		ls_error_set(err, "font chain: line height %d px is outside 4..512", line_height);
		return NULL;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs || FT_Init_FreeType(&fs->lib)) {
		free(fs);
		ls_error_set(err, "FreeType could not start (out of memory?)");
		return NULL;
	}
	fs->height = line_height;
	fs->mono = mono;
	for (int i = 0; i < n; i++) {
		FT_Face face;
		if (FT_New_Face(fs->lib, paths[i], 0, &face)) {
			ls_error_set(err, "%s: cannot be opened as a font (BDF, PCF, TTF or OTF); check the path in [display] font",
				     paths[i]);
			goto err_fonts;
		}
		fs->faces[fs->n] = face;
		if (size_face(face, line_height)) {
			ls_error_set(err, "%s: has no size usable for %d-px lines", paths[i], line_height);
			fs->n++;
			goto err_fonts;
		}
		fs->ascent[fs->n] = face_ascent(face, line_height);
		fs->n++;
	}
	return fs;

err_fonts:
	ls_fontset_free(fs);
	return NULL;
}

void ls_fontset_free(struct ls_fontset *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < fs->n; i++)
		FT_Done_Face(fs->faces[i]);
	FT_Done_FreeType(fs->lib);
	free(fs);
}

int ls_fontset_height(const struct ls_fontset *fs)
{
	return fs->height;
}

/* Finds the first face in the chain that has cp; -1 when none has it. */
static int find_glyph(const struct ls_fontset *fs, uint32_t cp, FT_UInt *index)
{
	for (int i = 0; i < fs->n; i++) {
		*index = FT_Get_Char_Index(fs->faces[i], cp);
		if (*index)
			return i;
	}
	return -1;
}

struct pen {
	struct ls_strip *strip; /* NULL while measuring */
	int x;
	struct ls_text_report *rep;
};

static void draw_bitmap(struct pen *p, const FT_Bitmap *bm, int left, int top, bool mono, uint32_t cp)
{
	int clipped_above = 0, clipped_below = 0;

	for (unsigned int row = 0; row < bm->rows; row++) {
		int y = top + (int)row;
		const unsigned char *src = bm->buffer + (long)row * bm->pitch;
		bool ink = false;
		for (unsigned int col = 0; col < bm->width; col++) {
			int x = left + (int)col;
			uint8_t v = mono || bm->pixel_mode == FT_PIXEL_MODE_MONO
					    ? ((src[col >> 3] >> (7 - (col & 7))) & 1) * 255
					    : src[col];
			if (!v)
				continue;
			ink = true;
			if (p->strip && y >= 0 && y < p->strip->height && x >= 0 && x < p->strip->width) {
				uint8_t *d = &p->strip->cov[(long)y * p->strip->width + x];
				if (v > *d)
					*d = v;
			}
		}
		if (ink && y < 0)
			clipped_above++;
		if (ink && p->strip && y >= p->strip->height)
			clipped_below++;
	}
	if (p->strip && p->rep && (clipped_above || clipped_below)) {
		if (!p->rep->clipped_rows)
			p->rep->first_clipped = cp;
		p->rep->clipped_rows += clipped_above + clipped_below;
	}
}

/* Draws a box for a code point no font has, so it is visible, not dropped. */
static int draw_missing_box(struct pen *p, int height)
{
	int w = height / 2;

	if (p->strip)
		for (int y = height / 4; y < height - height / 8; y++)
			for (int x = 1; x < w - 1; x++)
				if (y == height / 4 || y == height - height / 8 - 1 || x == 1 || x == w - 2)
					p->strip->cov[(long)y * p->strip->width + p->x + x] = 255;
	return w;
}

static void layout(struct ls_fontset *fs, const char *text, struct pen *p)
{
	size_t len = strlen(text), i = 0;
	FT_Int32 flags = FT_LOAD_RENDER | (fs->mono ? FT_LOAD_TARGET_MONO | FT_LOAD_MONOCHROME : FT_LOAD_TARGET_NORMAL);
	int prev_face = -1;
	FT_UInt prev = 0;

	while (i < len) {
		uint32_t cp;
		FT_UInt index;
		int f;

		i += ls_utf8_decode(text + i, len - i, &cp);
		f = find_glyph(fs, cp, &index);
		if (f < 0) {
			if (p->strip && p->rep) {
				if (!p->rep->missing)
					p->rep->first_missing = cp;
				p->rep->missing++;
			}
			p->x += draw_missing_box(p, fs->height);
			prev_face = -1;
			continue;
		}
		FT_Face face = fs->faces[f];
		if (f == prev_face && FT_HAS_KERNING(face)) {
			FT_Vector k;
			if (!FT_Get_Kerning(face, prev, index, FT_KERNING_DEFAULT, &k))
				p->x += (int)(k.x >> 6);
		}
		if (FT_Load_Glyph(face, index, flags))
			continue;
		draw_bitmap(p, &face->glyph->bitmap, p->x + face->glyph->bitmap_left,
			    fs->ascent[f] - face->glyph->bitmap_top, fs->mono, cp);
		p->x += (int)(face->glyph->advance.x >> 6);
		prev_face = f;
		prev = index;
	}
}

struct ls_strip *ls_text_render(struct ls_fontset *fs, const char *text, struct ls_text_report *report)
{
	char *nfc = ls_utf8_nfc(text, strlen(text));
	struct ls_strip *s;
	struct pen p = {0};
	size_t bad;

	if (!nfc)
		return NULL;
	if (report) {
		memset(report, 0, sizeof(*report));
		if (!ls_utf8_valid(text, strlen(text), &bad))
			for (size_t i = 0; text[i];) {
				uint32_t cp;
				size_t n = ls_utf8_decode(text + i, strlen(text + i), &cp);
				report->replaced += cp == LS_REPLACEMENT_CHAR && n == 1 &&
						    memcmp(text + i, "\xEF\xBF\xBD", 3) != 0;
				i += n;
			}
	}
	layout(fs, nfc, &p); /* measure */
	s = calloc(1, sizeof(*s));
	if (!s)
		goto err_nfc;
	s->width = p.x > 0 ? p.x : 1;
	s->height = fs->height;
	s->cov = calloc((size_t)s->width * s->height, 1);
	if (!s->cov)
		goto err_strip;
	p = (struct pen){.strip = s, .x = 0, .rep = report};
	layout(fs, nfc, &p);
	free(nfc);
	return s;

err_strip:
	free(s);
err_nfc:
	free(nfc);
	return NULL;
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

void ls_strip_draw(const struct ls_strip *s, const struct ls_rgb pal[256], struct ls_canvas *c,
		   struct ls_rect clip, int x, int y)
{
	int x0 = clip.x > x ? clip.x : x, y0 = clip.y > y ? clip.y : y;
	int x1 = clip.x + clip.w, y1 = clip.y + clip.h;

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
	for (int row = y0; row < y1; row++) {
		const uint8_t *src = s->cov + (long)(row - y) * s->width + (x0 - x);
		struct ls_rgb *dst = c->px + (long)row * c->width + x0;
		for (int n = x1 - x0; n > 0; n--)
			*dst++ = pal[*src++];
	}
}
