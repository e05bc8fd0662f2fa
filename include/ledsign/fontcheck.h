/*
 * Whether a font set can carry Vietnamese on a board: every letter present,
 * nothing clipped, the forms of one letter far enough apart to be told from
 * across a room, and marks clear of their letters. `ledsign fonts check`
 * prints these results and `ledsign doctor` asks for the letters, so the
 * letters a board must show and what "legible" means live here only. Pure:
 * glyphs come from the font set's provider.
 */
#ifndef LEDSIGN_FONTCHECK_H
#define LEDSIGN_FONTCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ledsign/text.h"

/* The 134 letters with diacritics, lower case then capitals (UTF-8). */
extern const char ls_vietnamese_letters[];

/* Two forms of one letter (tones, ă/â, the plain letter) closer than this
 * many LEDs are too easily mistaken (a failure); LS_TONE_LEDS_WARN or fewer
 * is worth a look. */
#define LS_TONE_LEDS_MIN 2
#define LS_TONE_LEDS_WARN 2

/* How many characters of a set passed, and the others, space-separated. */
struct ls_font_tally {
	int have, total;
	char missing[256]; /* as many as fit */
	size_t at;
};

struct ls_font_check {
	struct ls_font_tally vietnamese, ascii, punctuation;
	/* The characters whose ink leaves the line: total counts them, missing
	 * lists them as "ệ(1 top, 0 bottom)". */
	struct ls_font_tally clipped;
	bool first_unfit; /* the first font is not made for the line height */
	int min_distance; /* fewest LEDs between two forms of one letter */
	char closest[24]; /* those two forms, "ỏ/ỗ" */
	int touching;	  /* forms whose mark touches its letter (no blank row) */
	char touch_list[256];
	size_t touch_at;
};

/* Tallies which characters of the UTF-8 string set fs draws (a font has
 * them), adding them to t, and the clipped ones to clip (may be NULL). */
void ls_font_coverage(struct ls_fontset *fs, const char *set, struct ls_font_tally *t,
		      struct ls_font_tally *clip);

/* Runs every check on fs into out; returns 0, or -1 when memory is short. */
int ls_font_check(struct ls_fontset *fs, struct ls_font_check *out);

/* Whether the results pass: every character present, nothing clipped, the
 * first font made for the height and the forms at least LS_TONE_LEDS_MIN apart. */
bool ls_font_check_ok(const struct ls_font_check *c);

/* The strip drawn as red LED dots for a person to look at (`ledsign fonts
 * sample`): scale pixels a dot (1..32), a dark gap between dots from 3 up,
 * unlit dots dim, a margin of one dot. NULL when the picture would be too
 * large or memory is short. Free with ls_canvas_free(). */
struct ls_canvas *ls_font_sample(const struct ls_strip *s, int scale);

#endif
