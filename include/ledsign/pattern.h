/*
 * Installer test patterns (src/core/pattern.c), what `ledsign test-pattern`
 * shows so that each wiring mistake is visible: `modules` numbers every
 * module in chain order (a swapped cable or a wrong layout shows as wrong
 * numbers), `rows`/`columns` expose a wrong scan mapping, `walk` moves one
 * pixel through the board in reading order, `gradient` shows colour depth
 * and `solid` checks power and polarity. Pure: a canvas in, pixels out.
 */
#ifndef LEDSIGN_PATTERN_H
#define LEDSIGN_PATTERN_H

#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/panel.h"

/* Whether name is one of the patterns. */
bool ls_pattern_known(const char *name);

/* Draws frame number frame of pattern name (ls_pattern_known()) into c, the
 * board of panel; mono: a single-colour board, whose gradient is dithered. */
void ls_pattern_draw(struct ls_canvas *c, const struct ls_panel *panel, const char *name,
		     long frame, bool mono);

#endif
