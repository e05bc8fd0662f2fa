/*
 * Text: Vietnamese text laid out and rasterised once into a strip of coverage
 * values, then blitted window by window onto the canvas every frame.
 *
 * A font set is a fallback chain of font files (BDF, PCF, PCF.gz, TTF, OTF)
 * opened at one line height: a glyph missing from the first font comes from
 * the next; a glyph missing from all is drawn as a box and counted.
 */
#ifndef LEDSIGN_TEXT_H
#define LEDSIGN_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"

#define LS_FONTSET_MAX 4

struct ls_fontset;

/* A rendered line of text: width x height coverage values, 0 = unlit, 255 = lit. */
struct ls_strip {
	int width, height;
	uint8_t *cov; /* row-major, cov[y * width + x] */
};

/* What rendering found wrong, for validation and previews. */
struct ls_text_report {
	int missing;           /* code points no font in the chain has */
	uint32_t first_missing;
	int clipped_rows;      /* rows of ink that fell outside the line */
	uint32_t first_clipped;
	int replaced;          /* invalid UTF-8 bytes shown as U+FFFD */
};

/* Opens fonts paths[0..n) at line_height pixels; mono selects 1-bit hinted
 * rendering (single-colour panels). Returns a set to free with
 * ls_fontset_free(), or NULL with err naming the font and the problem. */
struct ls_fontset *ls_fontset_open(const char *const *paths, int n, int line_height, bool mono,
				   struct ls_error *err);

/* Frees a font set; NULL is accepted. */
void ls_fontset_free(struct ls_fontset *fs);

/* Line height the set was opened with. */
int ls_fontset_height(const struct ls_fontset *fs);

/* Lays out and rasterises UTF-8 text (NFC-normalised here; invalid bytes become
 * U+FFFD) into a new strip of the set's line height; report may be NULL.
 * Free the strip with ls_strip_free(). NULL only when memory is short. */
struct ls_strip *ls_text_render(struct ls_fontset *fs, const char *text, struct ls_text_report *report);

/* Frees a strip; NULL is accepted. */
void ls_strip_free(struct ls_strip *s);

/* Colour ramp from background (coverage 0) to foreground (255), so the blit is one lookup per pixel. */
void ls_palette_make(struct ls_rgb pal[256], struct ls_rgb fg, struct ls_rgb bg);

/* Draws the strip with its top-left corner at (x, y), clipped to the rectangle
 * clip of the canvas, through the palette. Pixels of clip outside the strip are
 * left untouched. */
void ls_strip_draw(const struct ls_strip *s, const struct ls_rgb pal[256], struct ls_canvas *c,
		   struct ls_rect clip, int x, int y);

#endif
