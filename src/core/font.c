/*
 * font.c: the font chain of a text line. Faces come from a font provider
 * (the edge, src/sys/fonts.c, opens the files: BDF, PCF, PCF.gz, TTF, OTF);
 * here they are only sized and rasterised. Each is fitted to the line height: an outline font
 * gets the largest pixel size at which the tallest Vietnamese forms (stacked
 * marks above, dot below, descenders) fit, a bitmap font its best strike, and
 * each gets a baseline that keeps those forms inside the line. Fonts whose
 * strike does not suit the height (a 16-row font on a 32-row line) move to the
 * end of the chain, so one configured chain serves 16- and 32-row lines.
 * Every glyph is rasterised once per set and kept, so re-rendering a line
 * (a live {time} template) is layout from memory. The first font is opened
 * and fitted when the set is made; a fallback is only checked then (the
 * provider's cheap check, so a font that cannot be read is still refused at
 * once), and opened and fitted (sized, measured, ordered) when a glyph, the
 * metrics or ls_fontset_font() first need it: most text never leaves the
 * first font, and opening and fitting the fallbacks was most of a board's
 * start-up (a 5 MB Unifont, a 32-row font on a 16-row board).
 */
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ledsign/text.h"

/* The forms that decide the fit: stacked marks (circumflex or breve or horn
 * plus a tone), the dot below, in both cases; then the ASCII characters that
 * reach furthest in common fonts (descenders, brackets, bar, underscore). */
static const uint32_t probes[] = {
    0x1EA8, 0x1EAA, 0x1EB2, 0x1EB4, 0x1EC2, 0x1EC4, 0x1ED4, 0x1ED6, 0x1EDA, 0x1EDE, 0x1EE0,
    0x1EEC, 0x1EEE, 0x1EF6, 0x1EF8, 0x1EA9, 0x1EAB, 0x1EB3, 0x1EB5, 0x1EC3, 0x1EC5, 0x1ED5,
    0x1ED7, 0x1EDF, 0x1EEF, 0x1EAC, 0x1EB6, 0x1EC6, 0x1ED8, 0x1EE2, 0x1EF0, 0x1EF4, 0x1EAD,
    0x1EB7, 0x1EC7, 0x1ED9, 0x1EE3, 0x1EF1, 0x1EF5, 'g',    'j',    'p',    'q',    'y',
    'l',    'd',    '(',    ')',    ',',    'H',    'x',    '|',    '_',    '[',    ']',
    '{',    '}',    '$',    '@',    'Q',    'J',    ';',
};

#define OUTLINE_MIN_ROWS 24

struct face {
	FT_Face ft; /* from fs->provider, given back to it by ls_fontset_free(); NULL until
		       the face is first fitted */
	char *path;
	int baseline;	      /* rows from the top of the line to the baseline */
	int top, bottom;      /* ink of the probes: rows above / below the baseline */
	int px;		      /* pixel size chosen (outline) or strike height (bitmap) */
	bool suitable;	      /* made for this height; unsuitable faces go last */
	uint32_t overflow_cp; /* the probe whose ink leaves the line most (0: none) */
	int overflow_rows;    /* by how many rows */
	bool broken;	      /* could not be fitted: left out of the chain */
};

struct ls_fontset {
	const struct ls_font_provider *provider;
	struct face faces[LS_FONTSET_MAX]; /* in the configured order */
	int n;
	int n_fitted; /* faces[0..n_fitted) are fitted, in the configured order */
	/* The lookup order, by index into faces: the suitable faces as they are
	 * fitted, then (once all are) the others; a position never changes. */
	int chain[LS_FONTSET_MAX];
	int n_chain;
	int lead; /* the face whose baseline the others share; -1 until known */
	int height;
	bool mono;
	FT_Int32 load_flags;
	struct ls_glyph **slots; /* open-addressing hash by code point */
	size_t cap, used;
};

/* Finds the rows of a bitmap that hold ink; false when it has none. */
static bool bitmap_ink_rows(const FT_Bitmap *bm, int *first, int *last)
{
	int bytes = bm->pixel_mode == FT_PIXEL_MODE_MONO   ? (int)(bm->width + 7) / 8
		    : bm->pixel_mode == FT_PIXEL_MODE_BGRA ? (int)bm->width * 4
							   : (int)bm->width;

	*first = -1;
	for (int r = 0; r < (int)bm->rows; r++) {
		const unsigned char *row = bm->buffer + (long)r * bm->pitch;
		for (int i = 0; i < bytes; i++) {
			if (row[i]) {
				if (*first < 0)
					*first = r;
				*last = r;
				break;
			}
		}
	}
	return *first >= 0;
}

/* Measures how far the ink of the probe glyphs the face has reaches above and
 * below the baseline at the face's current size; false when it has none. */
static bool measure_probes(FT_Face ft, FT_Int32 flags, int *top, int *bottom)
{
	bool any = false;

	*top = *bottom = 0;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		FT_UInt index = FT_Get_Char_Index(ft, probes[i]);
		int first, last;
		if (!index || FT_Load_Glyph(ft, index, flags))
			continue;
		if (!bitmap_ink_rows(&ft->glyph->bitmap, &first, &last))
			continue;
		int above = ft->glyph->bitmap_top - first;
		int below = last + 1 - ft->glyph->bitmap_top;
		*top = above > *top ? above : *top;
		*bottom = below > *bottom ? below : *bottom;
		any = true;
	}
	return any;
}

/* Chooses the baseline: the face's own line box centred in the line, moved
 * just enough that the probes' ink stays inside; when the ink is taller than
 * the line, the loss is shared between top and bottom. */
static int place_baseline(const struct face *f, int height)
{
	long asc = (f->ft->size->metrics.ascender + 32) >> 6;
	long desc = -((f->ft->size->metrics.descender - 32) >> 6);
	int b = (int)(asc + (height - (asc + desc)) / 2);

	if (asc + desc <= 0)
		b = height * 3 / 4;
	if (f->top + f->bottom > height && !FT_IS_SCALABLE(f->ft) && f->suitable)
		return b < 1	    ? 1
		       : b > height ? height
				    : b; /* a strike made for the line keeps
					   its own box; the glyphs taller than
					   it come from the next font */
	if (f->top + f->bottom > height)
		return f->top - (f->top + f->bottom - height) / 2;
	if (b < f->top)
		b = f->top;
	if (b > height - f->bottom)
		b = height - f->bottom;
	return b;
}

/* True when the face draws 'O' (curves: hinting cannot snap them) with every edge on the pixel grid
 * (coverage only 0 or 255): a pixel font in outline form, such as Unifont at a multiple of 16 px,
 * which is as crisp as a bitmap font. */
static bool on_pixel_grid(FT_Face ft)
{
	FT_UInt index = FT_Get_Char_Index(ft, 'O');
	const FT_Bitmap *bm = &ft->glyph->bitmap;

	if (!index || FT_Load_Glyph(ft, index, FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL) ||
	    bm->pixel_mode != FT_PIXEL_MODE_GRAY || !bm->rows)
		return false;
	for (unsigned int r = 0; r < bm->rows; r++)
		for (unsigned int c = 0; c < bm->width; c++)
			if (bm->buffer[(long)r * bm->pitch + c] % 255)
				return false;
	return true;
}

/* Outline fonts: the largest pixel size up to the line height at which the
 * probes fit. The line height is the upper bound, so a pixel font such as
 * Unifont lands on an exact multiple of its grid. Smooth outlines are made
 * for lines of OUTLINE_MIN_ROWS and more: below that their 1-bit forms are
 * rough (FIELD-NOTES), so they only fill gaps behind pixel fonts. */
static int fit_outline(struct face *f, int height, FT_Int32 flags)
{
	for (int size = height; size >= 4; size--) {
		if (FT_Set_Pixel_Sizes(f->ft, 0, (FT_UInt)size))
			return -1;
		f->px = size;
		if (!measure_probes(f->ft, flags, &f->top, &f->bottom) ||
		    f->top + f->bottom <= height)
			break;
	}
	f->suitable = height >= OUTLINE_MIN_ROWS || on_pixel_grid(f->ft);
	return 0;
}

/* Bitmap fonts are never scaled: the tallest strike that is not taller than
 * the line, else the smallest one (which will clip, and is reported). A strike
 * under three quarters of the line is usable but not made for it. */
static int fit_bitmap(struct face *f, int height, FT_Int32 flags)
{
	int best = -1, smallest = 0;

	if (f->ft->num_fixed_sizes < 1)
		return -1;
	for (int i = 0; i < f->ft->num_fixed_sizes; i++) {
		int h = f->ft->available_sizes[i].height;
		if (h <= height && (best < 0 || h > f->ft->available_sizes[best].height))
			best = i;
		if (h < f->ft->available_sizes[smallest].height)
			smallest = i;
	}
	if (best < 0)
		best = smallest;
	if (FT_Select_Size(f->ft, best))
		return -1;
	f->px = f->ft->available_sizes[best].height;
	measure_probes(f->ft, flags, &f->top, &f->bottom);
	/* A strike made for the line keeps its place even when a few glyphs are
	 * taller than the line: those glyphs alone come from a font they fit
	 * (glyph_rasterise()), and the fit names the worst (find_overflow()). */
	f->suitable = f->px <= height && f->px * 4 >= height * 3;
	return 0;
}

/* Records the probe whose ink reaches furthest outside the line at the
 * face's baseline. */
static void find_overflow(struct face *f, int height, FT_Int32 flags)
{
	f->overflow_cp = 0;
	f->overflow_rows = 0;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		FT_UInt index = FT_Get_Char_Index(f->ft, probes[i]);
		int first, last;
		if (!index || FT_Load_Glyph(f->ft, index, flags) ||
		    !bitmap_ink_rows(&f->ft->glyph->bitmap, &first, &last))
			continue;
		int top = f->baseline - f->ft->glyph->bitmap_top + first;
		int bottom = f->baseline - f->ft->glyph->bitmap_top + last;
		int out = (top < 0 ? -top : 0) + (bottom >= height ? bottom - height + 1 : 0);
		if (out > f->overflow_rows) {
			f->overflow_rows = out;
			f->overflow_cp = probes[i];
		}
	}
}

/* Opens the face of f from the provider. */
static int face_load(struct ls_fontset *fs, struct face *f, struct ls_error *err)
{
	f->ft = fs->provider->open(fs->provider->ctx, f->path, err);
	if (!f->ft)
		return -1;
	if (!FT_IS_SCALABLE(f->ft) && f->ft->num_fixed_sizes < 1)
		return ls_error_set(err, "%s: has no size usable for %d-px lines", f->path,
				    fs->height);
	return 0;
}

/* Adds the font at path to the set: the first font (or every one, when the
 * provider cannot check without opening) is opened now, a fallback checked. */
static int face_add(struct ls_fontset *fs, const char *path, struct ls_error *err)
{
	struct face *f = &fs->faces[fs->n];

	f->path = strdup(path);
	if (!f->path)
		return ls_error_set(err, "%s: out of memory", path);
	fs->n++;
	if (fs->n > 1 && fs->provider->check)
		return fs->provider->check(fs->provider->ctx, path, err);
	return face_load(fs, f, err);
}

static int face_fit(struct ls_fontset *fs, struct face *f, struct ls_error *err)
{
	if (!f->ft && face_load(fs, f, err) < 0)
		return -1;
	if ((FT_IS_SCALABLE(f->ft) ? fit_outline(f, fs->height, fs->load_flags)
				   : fit_bitmap(f, fs->height, fs->load_flags)) < 0)
		return ls_error_set(err, "%s: has no size usable for %d-px lines", f->path,
				    fs->height);
	f->baseline = place_baseline(f, fs->height);
	find_overflow(f, fs->height, fs->load_flags);
	return 0;
}

/* A face other than the lead sits on the lead's baseline where its ink
 * allows, so mixed text sits on one line. */
static void share_baseline(struct ls_fontset *fs, struct face *f)
{
	int b = fs->faces[fs->lead].baseline;

	if (f != &fs->faces[fs->lead] && b >= f->top && b <= fs->height - f->bottom)
		f->baseline = b;
}

/* Once every face is fitted: the faces not made for this height go behind
 * the others (in their configured order); without any made for it, the
 * first leads. */
static void complete_chain(struct ls_fontset *fs)
{
	for (int i = 0; i < fs->n; i++)
		if (!fs->faces[i].suitable && !fs->faces[i].broken)
			fs->chain[fs->n_chain++] = i;
	if (fs->lead < 0 && fs->n_chain) {
		fs->lead = fs->chain[0];
		for (int i = 0; i < fs->n; i++)
			share_baseline(fs, &fs->faces[i]);
	}
}

/* Fits the next face in the configured order and places it in the chain;
 * false when every face is fitted already. Returns -1 with err when the face
 * cannot be opened or fitted (it is then left out of the chain). */
static int fit_next(struct ls_fontset *fs, struct ls_error *err)
{
	struct face *f;
	int r;

	if (fs->n_fitted == fs->n)
		return 0;
	f = &fs->faces[fs->n_fitted++];
	r = face_fit(fs, f, err);
	f->broken = r < 0;
	if (f->broken)
		f->suitable = false;
	else if (f->suitable && fs->lead < 0) {
		fs->lead = (int)(f - fs->faces);
		for (struct face *g = fs->faces; g < f; g++)
			share_baseline(fs, g);
	} else if (fs->lead >= 0)
		share_baseline(fs, f);
	if (f->suitable)
		fs->chain[fs->n_chain++] = (int)(f - fs->faces);
	if (fs->n_fitted == fs->n)
		complete_chain(fs);
	return r < 0 ? -1 : 1;
}

/* Fits faces until the lead is known (or all are fitted). */
static void fit_lead(struct ls_fontset *fs)
{
	while (fs->lead < 0 && fit_next(fs, NULL))
		;
}

struct ls_fontset *ls_fontset_new(const struct ls_font_provider *provider, const char *const *paths,
				  int n, int line_height, bool mono, struct ls_error *err)
{
	struct ls_fontset *fs;

	if (!provider) {
		ls_error_set(err, "font chain: no font provider (a program bug)");
		return NULL;
	}
	if (n < 1 || n > LS_FONTSET_MAX) {
		ls_error_set(err, "font chain: %d fonts given; use 1..%d", n, LS_FONTSET_MAX);
		return NULL;
	}
	if (line_height < 4 || line_height > 512) {
		ls_error_set(err, "font chain: line height %d px is outside 4..512", line_height);
		return NULL;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	fs->provider = provider;
	fs->lead = -1;
	fs->height = line_height;
	fs->mono = mono;
	fs->load_flags = FT_LOAD_RENDER |
			 (mono ? FT_LOAD_TARGET_MONO | FT_LOAD_MONOCHROME : FT_LOAD_TARGET_NORMAL);
	for (int i = 0; i < n; i++)
		if (face_add(fs, paths[i], err) < 0)
			goto err_fonts;
	if (fit_next(fs, err) < 0) /* the first font is always needed */
		goto err_fonts;
	return fs;

err_fonts:
	ls_fontset_free(fs);
	return NULL;
}

void ls_fontset_free(struct ls_fontset *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->cap; i++)
		free(fs->slots[i]);
	free(fs->slots);
	for (int i = 0; i < fs->n; i++) {
		if (fs->faces[i].ft)
			fs->provider->close(fs->provider->ctx, fs->faces[i].ft);
		free(fs->faces[i].path);
	}
	free(fs);
}

int ls_fontset_height(const struct ls_fontset *fs)
{
	return fs->height;
}

const char *ls_fontset_font(const struct ls_fontset *fs, int i, struct ls_font_fit *fit)
{
	/* Fitting the fallbacks is a cache filled on demand: it changes no
	 * answer the set gives, so a const set may fill it (the set itself was
	 * made by ls_fontset_new(), never defined const). */
	while (i >= fs->n_chain && fit_next((struct ls_fontset *)fs, NULL))
		;
	if (i < 0 || i >= fs->n_chain)
		return NULL;
	if (fit) {
		const struct face *f = &fs->faces[fs->chain[i]];
		*fit = (struct ls_font_fit){.baseline = f->baseline,
					    .px = f->px,
					    .scalable = FT_IS_SCALABLE(f->ft),
					    .suitable = f->suitable,
					    .overflow_cp = f->overflow_cp,
					    .overflow_rows = f->overflow_rows};
	}
	return fs->faces[fs->chain[i]].path;
}

/* Copies a rendered FreeType bitmap into 8-bit coverage. */
static void copy_coverage(uint8_t *dst, const FT_Bitmap *bm)
{
	for (unsigned int r = 0; r < bm->rows; r++) {
		const unsigned char *src = bm->buffer + (long)r * bm->pitch;
		for (unsigned int c = 0; c < bm->width; c++) {
			uint8_t v;
			if (bm->pixel_mode == FT_PIXEL_MODE_MONO)
				v = (uint8_t)(((src[c >> 3] >> (7 - (c & 7))) & 1) * 255);
			else if (bm->pixel_mode == FT_PIXEL_MODE_BGRA)
				v = src[c * 4 + 3];
			else if (bm->pixel_mode == FT_PIXEL_MODE_GRAY)
				v = src[c];
			else
				v = 0;
			*dst++ = v;
		}
	}
}

/* Rows of the glyph's ink that fall outside the line. */
static void count_clipping(struct ls_glyph *g, int height)
{
	int first = -1, last = -1;

	for (int r = 0; r < g->rows; r++)
		for (int c = 0; c < g->width; c++)
			if (g->cov[(long)r * g->width + c]) {
				if (first < 0)
					first = r;
				last = r;
				break;
			}
	if (first < 0)
		return;
	g->clip_above = g->top + first < 0 ? -(g->top + first) : 0;
	g->clip_below = g->top + last >= height ? g->top + last - height + 1 : 0;
}

static struct ls_glyph *glyph_alloc(int width, int rows)
{
	struct ls_glyph *g = calloc(1, sizeof(*g) + (size_t)width * (size_t)rows);

	if (g) {
		g->width = width;
		g->rows = rows;
		g->cov = (const uint8_t *)(g + 1);
	}
	return g;
}

/* A box the width of half the line, for a code point no font has: it is
 * visible on the board, and the caller counts it. */
static struct ls_glyph *glyph_missing(int height)
{
	int w = height / 2, y0 = height / 4, y1 = height - height / 8 - 1;
	struct ls_glyph *g = glyph_alloc(w, height);

	if (!g)
		return NULL;
	uint8_t *cov = (uint8_t *)(g + 1);
	for (int y = y0; y <= y1; y++)
		for (int x = 1; x < w - 1; x++)
			if (y == y0 || y == y1 || x == 1 || x == w - 2)
				cov[y * w + x] = 255;
	g->face = -1;
	g->advance = w;
	return g;
}

/* cp's glyph from the face at chain position i; NULL in *g when the face
 * lacks it; -1 when memory is short. */
static int glyph_from(struct ls_fontset *fs, int i, uint32_t cp, struct ls_glyph **out)
{
	const struct face *f = &fs->faces[fs->chain[i]];
	FT_Face ft = f->ft;
	FT_UInt index = FT_Get_Char_Index(ft, cp);

	*out = NULL;
	if (!index || FT_Load_Glyph(ft, index, fs->load_flags))
		return 0;
	const FT_Bitmap *bm = &ft->glyph->bitmap;
	struct ls_glyph *g = glyph_alloc((int)bm->width, (int)bm->rows);
	if (!g)
		return -1;
	copy_coverage((uint8_t *)(g + 1), bm);
	g->face = i;
	g->index = index;
	g->left = ft->glyph->bitmap_left;
	g->top = f->baseline - ft->glyph->bitmap_top;
	g->advance = (int)((ft->glyph->advance.x + 32) >> 6);
	count_clipping(g, fs->height);
	*out = g;
	return 0;
}

/* The glyph of the first face in the chain that has cp; when its ink leaves
 * the line and a later face made for the height draws cp inside it, that one
 * (so a font with one glyph too tall loses that glyph, not its place in the
 * chain). The faces are fitted as the walk reaches them: the chain's suitable
 * faces are known in order as they are fitted, the others only once all are. */
static struct ls_glyph *glyph_rasterise(struct ls_fontset *fs, uint32_t cp)
{
	struct ls_glyph *first = NULL, *g;

	for (int i = 0;; i++) {
		while (i >= fs->n_chain && fit_next(fs, NULL))
			;
		if (i >= fs->n_chain)
			break;
		if (first && !fs->faces[fs->chain[i]].suitable)
			continue;
		if (glyph_from(fs, i, cp, &g) < 0) {
			free(first);
			return NULL;
		}
		if (!g)
			continue;
		if (!g->clip_above && !g->clip_below) {
			free(first);
			return g;
		}
		if (first)
			free(g);
		else
			first = g;
	}
	return first ? first : glyph_missing(fs->height);
}

static int cache_grow(struct ls_fontset *fs)
{
	size_t cap = fs->cap ? fs->cap * 2 : 256;
	struct ls_glyph **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < fs->cap; i++) {
		struct ls_glyph *g = fs->slots[i];
		if (!g)
			continue;
		size_t j = (g->cp * 2654435761u) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = g;
	}
	free(fs->slots);
	fs->slots = slots;
	fs->cap = cap;
	return 0;
}

const struct ls_glyph *ls_fontset_glyph(struct ls_fontset *fs, uint32_t cp)
{
	size_t j;

	if (fs->cap) {
		for (j = (cp * 2654435761u) & (fs->cap - 1); fs->slots[j];
		     j = (j + 1) & (fs->cap - 1))
			if (fs->slots[j]->cp == cp)
				return fs->slots[j];
	}
	if ((fs->used + 1) * 2 > fs->cap && cache_grow(fs) < 0)
		return NULL;
	struct ls_glyph *g = glyph_rasterise(fs, cp);
	if (!g)
		return NULL;
	g->cp = cp;
	for (j = (cp * 2654435761u) & (fs->cap - 1); fs->slots[j]; j = (j + 1) & (fs->cap - 1))
		;
	fs->slots[j] = g;
	fs->used++;
	return g;
}

int ls_fontset_kerning(const struct ls_fontset *fs, const struct ls_glyph *a,
		       const struct ls_glyph *b)
{
	FT_Vector k;

	if (!a || !b || a->face < 0 || a->face != b->face)
		return 0;
	FT_Face ft = fs->faces[fs->chain[a->face]].ft;
	if (!FT_HAS_KERNING(ft) || FT_Get_Kerning(ft, a->index, b->index, FT_KERNING_DEFAULT, &k))
		return 0;
	return (int)((k.x + 32) >> 6);
}

/* Ink height above the baseline of one letter in the first face that has it. */
static int letter_height(struct ls_fontset *fs, uint32_t cp)
{
	const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
	int first = -1;

	if (!g || g->face < 0)
		return 0;
	for (int r = 0; r < g->rows && first < 0; r++)
		for (int c = 0; c < g->width; c++)
			if (g->cov[(long)r * g->width + c]) {
				first = r;
				break;
			}
	return first < 0 ? 0 : fs->faces[fs->chain[g->face]].baseline - (g->top + first);
}

void ls_fontset_metrics(struct ls_fontset *fs, struct ls_font_metrics *m)
{
	fit_lead(fs);
	m->baseline = fs->faces[fs->lead].baseline;
	m->cap_height = letter_height(fs, 'H');
	m->x_height = letter_height(fs, 'x');
}
