/*
 * Text: Vietnamese text laid out and rasterised once into a strip of coverage
 * values, then blitted window by window onto the canvas every frame.
 *
 * A font set is a fallback chain of font files (BDF, PCF, PCF.gz, TTF, OTF)
 * fitted to one line height: outline fonts get the largest size at which the
 * tallest Vietnamese forms (Ẩ Ễ Ỗ Ặ Ở Ữ, Ệ Ộ Ợ, g y) fit, bitmap fonts their
 * best strike, and fonts not made for the height (a 16-row bitmap font on a
 * 32-row line) move to the end of the chain. A glyph missing from the first
 * font comes from the next; a glyph missing from all is drawn as a box and
 * counted. The report says where in the strip each problem character is
 * drawn, so a preview can point at it. Each glyph is rasterised once per set
 * (src/core/font.c, from faces a font provider opens: src/sys/fonts.c); layout, the
 * strip and the blit live in src/core/text.c; the legacy-encoding check in
 * src/core/legacy.c.
 *
 * Ownership: a font set owns its glyphs (pointers stay valid until
 * ls_fontset_free()); a strip owns its coverage; callers own both.
 */
#ifndef LEDSIGN_TEXT_H
#define LEDSIGN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"

#define LS_FONTSET_MAX 8
#define LS_REPORT_LIST 8
#define LS_REPORT_SPANS 16

struct ls_fontset;

/* A rendered line of text: width x height coverage values, 0 = unlit, 255 = lit. */
struct ls_strip {
	int width, height;
	uint8_t *cov; /* row-major, cov[y * width + x] */
};

/* One character whose ink did not fit the line. */
struct ls_clip {
	uint32_t cp;
	int above, below; /* rows cut off at the top / at the bottom */
};

/* What is wrong with the characters of a span (bits: one can be both). */
enum {
	LS_SPAN_MISSING = 1,  /* drawn as a box: no font has it */
	LS_SPAN_CLIPPED = 2,  /* ink cut off at the top or bottom of the line */
	LS_SPAN_REPLACED = 4, /* U+FFFD: invalid UTF-8, or a character an earlier conversion lost */
};

/* Strip columns [x0, x1) where problem characters are drawn: a character's
 * ink columns (the box of a missing one); neighbouring characters with the
 * same problem make one span. */
struct ls_text_span {
	int x0, x1;
	int kind; /* LS_SPAN_* bits */
	int line; /* line of a multi-line item (the player sets it; 0 from ls_text_render) */
};

/* What rendering found wrong, for validation and previews. */
/* The most coverage bytes one strip may take (4 MiB): 262,144 columns at 16
 * rows, 131,072 at 32, far more than the longest item text needs, yet small
 * enough that hostile sizes cannot exhaust a board's memory. */
#define LS_STRIP_MAX_PIXELS (4L * 1024 * 1024)

/* ls_text_report_equal() compares every field: a new one goes there too. */
struct ls_text_report {
	int missing; /* characters no font in the chain has (drawn as boxes) */
	uint32_t first_missing;
	int clipped_rows; /* rows of ink cut off, summed over the characters drawn */
	uint32_t first_clipped;
	int replaced; /* U+FFFD shown: invalid UTF-8, or the character itself in the text */
	/* The first LS_REPORT_LIST distinct code points of each kind. */
	uint32_t missing_cp[LS_REPORT_LIST];
	int n_missing_cp;
	struct ls_clip clipped[LS_REPORT_LIST];
	int n_clipped;
	/* Where they are drawn, left to right: the first LS_REPORT_SPANS spans. */
	struct ls_text_span spans[LS_REPORT_SPANS];
	int n_spans;
	int spans_over;	    /* spans found after the list was full */
	int truncated_cols; /* columns past LS_STRIP_MAX_PIXELS that were not rendered */
	/* Found in the text itself, whatever the font (ls_text_check()); positions
	 * are 1-based characters of the text as written (before NFC). */
	int legacy;	      /* enum ls_legacy: the encoding the text looks like */
	int legacy_at;	      /* the first suspicious character */
	int legacy_count;     /* suspicious characters */
	char legacy_word[48]; /* the word around the first one */
	int controls;	      /* control characters (drawn as spaces) */
	uint32_t first_control;
	int first_control_at;
	int lookalikes; /* letters that look like the one meant (Ð for Đ, Cyrillic А) */
	uint32_t lookalike_cp, lookalike_fix;
	int lookalike_at;
	const char *unshaped; /* a script ledsign draws letter by letter though it needs
				 shaping (Khmer, Lao, Thai, Arabic ...): its English name */
	int unshaped_at;      /* its first character */
	/* Drawn, with ink, by a later font of the set than its first (that one
	 * lacks them, or they are too tall in it): they may look unlike the rest. */
	int fallback;
	uint32_t first_fallback;
	int fallback_face; /* the font that drew the first one (ls_fontset_font()) */
};

/* Legacy encodings the text check recognises (struct ls_text_report.legacy). */
enum ls_legacy {
	LS_LEGACY_NONE,
	LS_LEGACY_TCVN3,  /* TCVN3 (ABC) bytes read as Windows-1252: "B¶o hiÓm" */
	LS_LEGACY_VNI,	  /* VNI bytes read as Windows-1252: "Baûo hieåm" */
	LS_LEGACY_CP1258, /* Windows-1258 bytes read as Windows-1252: "BaÒo hiêÒm" */
	LS_LEGACY_DOUBLE, /* UTF-8 read as Windows-1252 or -1258 and saved again: "Báº£o" */
};

/* How one font of a set was fitted to the line. */
struct ls_font_fit {
	int baseline; /* rows from the top of the line to the baseline */
	int px;	      /* pixel size (outline) or strike height (bitmap) */
	bool scalable;
	bool suitable; /* made for this height; unsuitable fonts only fill gaps */
	/* The Vietnamese form or tall ASCII character whose ink leaves the line
	 * most, and by how many rows (0: all fit); a later font in the chain that
	 * fits it draws that glyph. */
	uint32_t overflow_cp;
	int overflow_rows;
};

/* Vertical metrics of a set's first font at its line height. */
struct ls_font_metrics {
	int baseline;	/* rows from the top of the line to the baseline */
	int cap_height; /* ink rows of 'H' above the baseline */
	int x_height;	/* ink rows of 'x' above the baseline */
};

/* One rasterised glyph; owned by its font set, valid until ls_fontset_free(). */
struct ls_glyph {
	uint32_t cp;
	int face;	    /* position in the chain (ls_fontset_font()); -1: no font has cp */
	unsigned int index; /* glyph index in that font */
	int left;	    /* bitmap offset from the pen, in columns */
	int top;	    /* line row of the bitmap's first row; < 0 is above the line */
	int width, rows;
	int advance;
	int clip_above, clip_below; /* rows of ink outside the line */
	const uint8_t *cov;	    /* width x rows coverage, row-major */
};

/* A FreeType face (FT_Face), as the font provider hands it over. */
struct FT_FaceRec_;

/* Where a font set's faces come from. The core never opens a file: the edge
 * (src/sys/fonts.c, ls_font_files()) opens font files as FreeType faces, and
 * the font set sizes and rasterises what it is handed. */
struct ls_font_provider {
	/* A new face of the font at path, owned by the caller until it is given
	 * back through close(); NULL with err naming the font and what to do. */
	struct FT_FaceRec_ *(*open)(void *ctx, const char *path, struct ls_error *err);
	/* Takes back a face open() returned; NULL is accepted. */
	void (*close)(void *ctx, struct FT_FaceRec_ *face);
	/* 0 when open() would likely succeed for path, found without loading
	 * the face; -1 with err as open() would fill it. May be NULL: the font
	 * set then opens every font at once. */
	int (*check)(void *ctx, const char *path, struct ls_error *err);
	void *ctx;
};

/* Builds a font set from fonts paths[0..n), whose faces come from provider
 * (which must outlive the set), fitted to line_height pixels; mono selects
 * 1-bit hinted rendering (single-colour panels), otherwise 8-bit coverage.
 * The first font is opened and fitted now; each fallback is checked now
 * (provider->check) and opened and fitted when a glyph first needs it (a
 * fallback that passed the check but then cannot be opened is left out of
 * the chain). Returns a set to free with ls_fontset_free(), or NULL with
 * err naming the font and the problem. */
struct ls_fontset *ls_fontset_new(const struct ls_font_provider *provider, const char *const *paths,
				  int n, int line_height, bool mono, struct ls_error *err);

/* The font files of this system (src/sys/fonts.c): a process-wide provider
 * that opens each path through FreeType (BDF, PCF, PCF.gz, TTF, OTF). Safe to
 * use from several threads, each with its own font sets. */
const struct ls_font_provider *ls_font_files(void);

/* ls_fontset_new() with the system's font files (ls_font_files()). */
struct ls_fontset *ls_fontset_open(const char *const *paths, int n, int line_height, bool mono,
				   struct ls_error *err);

/* Frees a font set and its glyph cache; NULL is accepted. */
void ls_fontset_free(struct ls_fontset *fs);

/* Line height the set was opened with. */
int ls_fontset_height(const struct ls_fontset *fs);

/* Path of the i-th font in lookup order (after fitting moved fonts not made
 * for the height to the end), with its fit in *fit (may be NULL); NULL past
 * the end. Fits the fonts up to the i-th if they are not yet (a set fits a
 * fallback only when it is first needed). The string belongs to the set. */
const char *ls_fontset_font(const struct ls_fontset *fs, int i, struct ls_font_fit *fit);

/* Fills m with the first font's baseline, cap height and x-height. */
void ls_fontset_metrics(struct ls_fontset *fs, struct ls_font_metrics *m);

/* Returns cp's glyph from the first font that has it (a box with face -1 when
 * none has), rasterising it on first use; NULL only when memory is short. */
const struct ls_glyph *ls_fontset_glyph(struct ls_fontset *fs, uint32_t cp);

/* Kerning in columns between two glyphs drawn side by side (0 unless both
 * come from the same outline font with a kerning table). */
int ls_fontset_kerning(const struct ls_fontset *fs, const struct ls_glyph *a,
		       const struct ls_glyph *b);

/* Lays out and rasterises UTF-8 text (NFC-normalised here; invalid bytes become
 * U+FFFD) into a new strip of the set's line height; report may be NULL.
 * Free the strip with ls_strip_free(). NULL only when memory is short. */
struct ls_strip *ls_text_render(struct ls_fontset *fs, const char *text,
				struct ls_text_report *report);

/* Whether two reports say the same, field by field. */
bool ls_text_report_equal(const struct ls_text_report *a, const struct ls_text_report *b);

/* Writes a one-line English description of the report's problems into buf
 * ("" when there are none), naming the characters; returns buf. */
char *ls_text_report_describe(const struct ls_text_report *r, char *buf, size_t n);

/* Fills the text findings of r (legacy, controls, lookalikes: the fields
 * after truncated_cols) from UTF-8 text, leaving the rest of r alone.
 * ls_text_render() calls it; a check without fonts (ledsign publish) can too. */
void ls_text_check(const char *utf8, struct ls_text_report *r);

/* What a legacy kind (enum ls_legacy) means, in English: a static string. */
const char *ls_legacy_name(int kind);

/* True when UTF-8 text looks like a legacy Vietnamese encoding (TCVN3/ABC,
 * VNI, Windows-1258) or UTF-8 read as Windows-1252/1258, e.g. "B¶o hiÓm" or
 * "Baûo hieåm"; then why (may be NULL) gets a message quoting the suspicious
 * part and the fix. */
bool ls_text_looks_legacy(const char *utf8, char *why, size_t n);

/* Frees a strip; NULL is accepted. */
void ls_strip_free(struct ls_strip *s);

/* Colour ramp from background (coverage 0) to foreground (255), so the blit is
 * one lookup per pixel. */
void ls_palette_make(struct ls_rgb pal[256], struct ls_rgb fg, struct ls_rgb bg);

/* Draws the strip with its top-left corner at (x, y), clipped to the rectangle
 * clip of the canvas, through the palette. Pixels of clip outside the strip are
 * left untouched. Allocates nothing: this is the per-frame cost of a line. */
void ls_strip_draw(const struct ls_strip *s, const struct ls_rgb pal[256], struct ls_canvas *c,
		   struct ls_rect clip, int x, int y);

#endif
