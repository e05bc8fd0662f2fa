/*
 * Effects: where an item's rendered block (its lines, stacked) sits inside its
 * zone at time t after the item started. Pure functions of (item, t, sizes):
 * the position is a function of elapsed time, so a slow frame never slows the
 * text down. Each effect's motion is written out in content/README.md.
 */
#ifndef LEDSIGN_EFFECT_H
#define LEDSIGN_EFFECT_H

#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/playlist.h"

/* Seconds a static-type effect (static, blink, slide-in, typewriter, the wipes
 * and covers) holds when the item gives neither duration nor repeat. */
#define LS_EFFECT_HOLD_S 5.0

struct ls_placement {
	int x, y;	     /* top-left of the (first drawn copy of the) block, zone-relative */
	bool visible;	     /* false while a blink is in its off phase */
	struct ls_rect show; /* the part of the block shown, block-relative (typewriter, wipes) */
	int copies;	     /* copies drawn, each `period` px right of the one before (>= 0) */
	int period;	     /* scroll-loop: block width + gap; 0 for the other effects */
};

/* Whether the effect ends at rest in its aligned place (static, blink,
 * slide-in, typewriter, the wipes and covers) rather than moving throughout. */
bool ls_effect_is_static(enum ls_effect e);

/* The effect the item plays with in a zone zone_w wide: its own, except that
 * a static-type item whose text (strip_w) is wider than the zone scrolls left. */
enum ls_effect ls_effect_effective(const struct ls_item *it, int zone_w, int strip_w);

/* Seconds the item plays: its duration, or repeat (default 1) full passes. */
double ls_effect_play_seconds(const struct ls_item *it, double speed, int zone_w, int zone_h,
			      int strip_w, int strip_h);

/* Where the block (strip_w x strip_h) is t seconds into the item. */
void ls_effect_place(const struct ls_item *it, double speed, double t, int zone_w, int zone_h,
		     int strip_w, int strip_h, struct ls_placement *out);

#endif
