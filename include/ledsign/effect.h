/*
 * Effects: where an item's rendered strip sits inside its zone at time t after
 * the item started. Pure functions of (item, t, sizes): the scroll position is
 * a function of elapsed time, so a slow frame never slows the text down.
 */
#ifndef LEDSIGN_EFFECT_H
#define LEDSIGN_EFFECT_H

#include <stdbool.h>

#include "ledsign/playlist.h"

/* Seconds a static-type effect (static, blink, slide-in, typewriter) holds when
 * the item gives neither duration nor repeat. */
#define LS_EFFECT_HOLD_S 5.0

struct ls_placement {
	int x, y;     /* top-left of the strip relative to the zone */
	bool visible; /* false while a blink is in its off phase */
	int reveal_w; /* columns of the strip shown (typewriter); the whole strip otherwise */
};

/* The effect the item plays with in a zone zone_w wide: its own, except that
 * a static-type item whose text (strip_w) is wider than the zone scrolls left. */
enum ls_effect ls_effect_effective(const struct ls_item *it, int zone_w, int strip_w);

/* Seconds the item plays: its duration, or repeat (default 1) full passes. */
double ls_effect_play_seconds(const struct ls_item *it, double speed, int zone_w, int zone_h,
			      int strip_w, int strip_h);

/* Where the strip is t seconds into the item. */
void ls_effect_place(const struct ls_item *it, double speed, double t, int zone_w, int zone_h,
		     int strip_w, int strip_h, struct ls_placement *out);

#endif
