/*
 * effect.c: the motion of each effect as arithmetic on elapsed time.
 */
#include <math.h>

#include "ledsign/effect.h"

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

/* A static-type item whose text is wider than its zone cannot be read in
 * place, so it scrolls instead; the same rule drives timing and placement. */
enum ls_effect ls_effect_effective(const struct ls_item *it, int zone_w, int strip_w)
{
	if (it->effect != LS_EFFECT_SCROLL_LEFT && it->effect != LS_EFFECT_SCROLL_UP &&
	    strip_w > zone_w)
		return LS_EFFECT_SCROLL_LEFT;
	return it->effect;
}

/* Seconds one full pass of the item takes in a zone of zone_w x zone_h. */
static double pass_seconds(const struct ls_item *it, double speed, int zone_w, int zone_h,
			   int strip_w, int strip_h)
{
	switch (ls_effect_effective(it, zone_w, strip_w)) {
	case LS_EFFECT_SCROLL_LEFT:
		return (zone_w + strip_w) / speed;
	case LS_EFFECT_SCROLL_UP:
		return (zone_h + strip_h) / speed + LS_EFFECT_HOLD_S / 2;
	case LS_EFFECT_SLIDE_IN:
		return (zone_w - aligned_x(it, zone_w, strip_w)) / speed + LS_EFFECT_HOLD_S;
	case LS_EFFECT_TYPEWRITER:
		return strip_w / speed + LS_EFFECT_HOLD_S;
	case LS_EFFECT_STATIC:
	case LS_EFFECT_BLINK:
	default:
		return LS_EFFECT_HOLD_S;
	}
}

double ls_effect_play_seconds(const struct ls_item *it, double speed, int zone_w, int zone_h,
			      int strip_w, int strip_h)
{
	if (it->duration > 0)
		return it->duration;
	return (it->repeat > 0 ? it->repeat : 1) *
	       pass_seconds(it, speed, zone_w, zone_h, strip_w, strip_h);
}

void ls_effect_place(const struct ls_item *it, double speed, double t, int zone_w, int zone_h,
		     int strip_w, int strip_h, struct ls_placement *out)
{
	double pass = pass_seconds(it, speed, zone_w, zone_h, strip_w, strip_h);
	double tp = fmod(t, pass); /* time within the current pass */
	int ax = aligned_x(it, zone_w, strip_w), vy = (zone_h - strip_h) / 2;

	out->x = ax;
	out->y = vy;
	out->visible = true;
	out->reveal_w = strip_w;
	switch (ls_effect_effective(it, zone_w, strip_w)) {
	case LS_EFFECT_SCROLL_LEFT:
		out->x = zone_w - (int)floor(tp * speed);
		break;
	case LS_EFFECT_SCROLL_UP: {
		/* Rise into place, hold, then rise out of the top. */
		double rise = (zone_h - vy) / speed, hold = LS_EFFECT_HOLD_S / 2;
		if (tp < rise)
			out->y = zone_h - (int)floor(tp * speed);
		else if (tp >= rise + hold)
			out->y = vy - (int)floor((tp - rise - hold) * speed);
		break;
	}
	case LS_EFFECT_SLIDE_IN: {
		int x = zone_w - (int)floor(tp * speed);
		out->x = x > ax ? x : ax;
		break;
	}
	case LS_EFFECT_TYPEWRITER: {
		int w = (int)floor(tp * speed);
		out->reveal_w = w < strip_w ? w : strip_w;
		break;
	}
	case LS_EFFECT_BLINK:
		out->visible = fmod(tp, 1.0) < 0.5;
		break;
	case LS_EFFECT_STATIC:
	default:
		break;
	}
}
