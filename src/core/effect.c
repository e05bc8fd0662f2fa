/*
 * effect.c: the motion of each effect as arithmetic on elapsed time.
 *
 * Every effect but scroll-loop repeats one pass: the position depends only on
 * the time within the pass. A scroll-loop is one endless strip of copies, so
 * its position depends on the whole time played.
 */
#include <math.h>

#include "ledsign/effect.h"

/* The zone and block sizes, and where the block rests when it stands still. */
struct geom {
	int zw, zh, sw, sh;
	int ax, vy; /* the aligned x, the vertically centred y */
};

static int aligned_x(const struct ls_item *it, int zone_w, int strip_w)
{
	switch (it->align) {
	case LS_ALIGN_CENTER:
		return (zone_w - strip_w) / 2;
	case LS_ALIGN_RIGHT:
		return zone_w - strip_w;
	case LS_ALIGN_LEFT:
	default:
		return 0;
	}
}

static struct geom geom_of(const struct ls_item *it, int zone_w, int zone_h, int strip_w,
			   int strip_h)
{
	return (struct geom){zone_w,
			     zone_h,
			     strip_w,
			     strip_h,
			     aligned_x(it, zone_w, strip_w),
			     (zone_h - strip_h) / 2};
}

bool ls_effect_is_static(enum ls_effect e)
{
	switch (e) {
	case LS_EFFECT_SCROLL_LEFT:
	case LS_EFFECT_SCROLL_RIGHT:
	case LS_EFFECT_SCROLL_UP:
	case LS_EFFECT_SCROLL_DOWN:
	case LS_EFFECT_SCROLL_LOOP:
		return false;
	default:
		return true;
	}
}

/* A static-type item whose text is wider than its zone cannot be read in
 * place, so it scrolls instead; the same rule drives timing and placement. */
enum ls_effect ls_effect_effective(const struct ls_item *it, int zone_w, int strip_w)
{
	if (ls_effect_is_static(it->effect) && strip_w > zone_w)
		return LS_EFFECT_SCROLL_LEFT;
	return it->effect;
}

/* Pixels an effect that comes in and stops travels before it rests. */
static int travel_px(enum ls_effect e, const struct geom *g)
{
	switch (e) {
	case LS_EFFECT_SLIDE_IN:
	case LS_EFFECT_COVER_FROM_RIGHT:
		return g->zw - g->ax;
	case LS_EFFECT_COVER_FROM_LEFT:
		return g->ax + g->sw;
	case LS_EFFECT_COVER_FROM_TOP:
		return g->vy + g->sh;
	case LS_EFFECT_COVER_FROM_BOTTOM:
		return g->zh - g->vy;
	case LS_EFFECT_TYPEWRITER:
	case LS_EFFECT_WIPE_FROM_LEFT:
	case LS_EFFECT_WIPE_FROM_RIGHT:
		return g->sw;
	case LS_EFFECT_WIPE_FROM_TOP:
	case LS_EFFECT_WIPE_FROM_BOTTOM:
		return g->sh;
	default:
		return 0;
	}
}

/* Seconds one full pass of a repeating effect takes. */
static double pass_seconds(enum ls_effect e, double speed, const struct geom *g)
{
	switch (e) {
	case LS_EFFECT_SCROLL_LEFT:
	case LS_EFFECT_SCROLL_RIGHT:
		return (g->zw + g->sw) / speed;
	case LS_EFFECT_SCROLL_UP:
	case LS_EFFECT_SCROLL_DOWN:
		return (g->zh + g->sh) / speed + LS_EFFECT_HOLD_S / 2;
	default:
		return travel_px(e, g) / speed + LS_EFFECT_HOLD_S;
	}
}

/* The gap a loop leaves between tail and head; the period is never 0. */
static int loop_period(const struct ls_item *it, int strip_w)
{
	int p = strip_w + (it->gap > 0 ? it->gap : 0);

	return p > 0 ? p : 1;
}

double ls_effect_play_seconds(const struct ls_item *it, double speed, int zone_w, int zone_h,
			      int strip_w, int strip_h)
{
	struct geom g = geom_of(it, zone_w, zone_h, strip_w, strip_h);
	enum ls_effect e = ls_effect_effective(it, zone_w, strip_w);
	int repeat = it->repeat > 0 ? it->repeat : 1;

	if (it->duration > 0)
		return it->duration;
	/* A loop's passes follow each other at one period: the first copy
	 * crosses the zone, each of the others one period behind it. */
	if (e == LS_EFFECT_SCROLL_LOOP)
		return (zone_w + strip_w + (double)(repeat - 1) * loop_period(it, strip_w)) / speed;
	return repeat * pass_seconds(e, speed, &g);
}

/* Copy k of the loop is at zone_w - off + k * period, off the pixels moved;
 * the copies drawn are those that meet the zone, and without a duration only
 * the first `repeat` exist, so the last one leaves the zone empty. */
static void place_loop(const struct ls_item *it, double speed, double t, const struct geom *g,
		       struct ls_placement *out)
{
	long long per = loop_period(it, g->sw), off = (long long)floor(t * speed);
	long long first = 0, last;

	if (off - g->zw - g->sw >= 0)
		first = (off - g->zw - g->sw) / per + 1;
	last = off > 0 ? (off - 1) / per : -1;
	if (it->duration <= 0 && last > (it->repeat > 0 ? it->repeat : 1) - 1)
		last = (it->repeat > 0 ? it->repeat : 1) - 1;
	out->period = (int)per;
	out->copies = last >= first ? (int)(last - first + 1) : 0;
	out->x = (int)(g->zw - off + first * per);
	out->y = g->vy;
}

/* Rise into place from below, hold, then rise out of the top; scroll-down is
 * the same motion mirrored top to bottom. */
static int place_vertical(bool up, double tp, double speed, const struct geom *g)
{
	double hold = LS_EFFECT_HOLD_S / 2;
	double in = (up ? g->zh - g->vy : g->vy + g->sh) / speed;
	int dir = up ? -1 : 1; /* the way the block moves: -1 up, +1 down */

	if (tp < in)
		return (up ? g->zh : -g->sh) + dir * (int)floor(tp * speed);
	if (tp >= in + hold)
		return g->vy + dir * (int)floor((tp - in - hold) * speed);
	return g->vy;
}

/* The part of the block a wipe has uncovered after moving px pixels. */
static struct ls_rect wipe_show(enum ls_effect e, int px, const struct geom *g)
{
	int w = px < g->sw ? px : g->sw, h = px < g->sh ? px : g->sh;

	switch (e) {
	case LS_EFFECT_WIPE_FROM_RIGHT:
		return (struct ls_rect){g->sw - w, 0, w, g->sh};
	case LS_EFFECT_WIPE_FROM_TOP:
		return (struct ls_rect){0, 0, g->sw, h};
	case LS_EFFECT_WIPE_FROM_BOTTOM:
		return (struct ls_rect){0, g->sh - h, g->sw, h};
	default: /* typewriter, wipe-from-left */
		return (struct ls_rect){0, 0, w, g->sh};
	}
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* Places the effects that come in and stop (and those that stand still). */
static void place_static(enum ls_effect e, int px, double tp, const struct geom *g,
			 struct ls_placement *out)
{
	switch (e) {
	case LS_EFFECT_SLIDE_IN:
	case LS_EFFECT_COVER_FROM_RIGHT:
		out->x = max_int(g->zw - px, g->ax);
		break;
	case LS_EFFECT_COVER_FROM_LEFT:
		out->x = min_int(px - g->sw, g->ax);
		break;
	case LS_EFFECT_COVER_FROM_TOP:
		out->y = min_int(px - g->sh, g->vy);
		break;
	case LS_EFFECT_COVER_FROM_BOTTOM:
		out->y = max_int(g->zh - px, g->vy);
		break;
	case LS_EFFECT_TYPEWRITER:
	case LS_EFFECT_WIPE_FROM_LEFT:
	case LS_EFFECT_WIPE_FROM_RIGHT:
	case LS_EFFECT_WIPE_FROM_TOP:
	case LS_EFFECT_WIPE_FROM_BOTTOM:
		out->show = wipe_show(e, px, g);
		break;
	case LS_EFFECT_BLINK:
		out->visible = fmod(tp, 1.0) < 0.5;
		break;
	default:
		break;
	}
}

void ls_effect_place(const struct ls_item *it, double speed, double t, int zone_w, int zone_h,
		     int strip_w, int strip_h, struct ls_placement *out)
{
	struct geom g = geom_of(it, zone_w, zone_h, strip_w, strip_h);
	enum ls_effect e = ls_effect_effective(it, zone_w, strip_w);
	double tp = fmod(t, pass_seconds(e, speed, &g)); /* time within the current pass */
	int px = (int)floor(tp * speed);		 /* pixels moved within the pass */

	*out = (struct ls_placement){
	    .x = g.ax, .y = g.vy, .visible = true, .show = {0, 0, strip_w, strip_h}, .copies = 1};
	switch (e) {
	case LS_EFFECT_SCROLL_LEFT:
		out->x = zone_w - px;
		break;
	case LS_EFFECT_SCROLL_RIGHT:
		out->x = px - strip_w;
		break;
	case LS_EFFECT_SCROLL_UP:
	case LS_EFFECT_SCROLL_DOWN:
		out->y = place_vertical(e == LS_EFFECT_SCROLL_UP, tp, speed, &g);
		break;
	case LS_EFFECT_SCROLL_LOOP:
		place_loop(it, speed, t, &g, out);
		break;
	default:
		place_static(e, px, tp, &g, out);
		break;
	}
}
