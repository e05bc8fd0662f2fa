/*
 * Display hours and brightness schedule: when the panel is lit and how brightly,
 * from the [display] hours and brightness keys of ledsign.conf.
 *
 *   hours      = mon-fri 07:00-17:30, sat 07:30-11:30
 *   brightness = 07:00 100, 18:00 30
 *
 * hours is a comma-separated list of spans "DAYS HH:MM-HH:MM". DAYS is a day
 * (mon..sun), a range (mon-fri, fri-mon wraps), "daily", or left out (daily).
 * A span whose end is not after its start crosses midnight: "fri 18:00-02:00"
 * lights Friday evening until 02:00 on Saturday. 24:00 is the end of the day.
 * An empty hours string means always on.
 *
 * brightness is a comma-separated list "HH:MM PERCENT" (0..100, 0 = dark):
 * from each time on, that brightness applies, until the next entry; before the
 * first entry of the day the last one of the previous day still holds. An empty
 * schedule means the [panel] brightness all day.
 *
 * Pure: times are passed in as a weekday and a minute of the day, and
 * ls_display_at() joins the two as the service applies them.
 */
#ifndef LEDSIGN_HOURS_H
#define LEDSIGN_HOURS_H

#include <stdbool.h>

#include "ledsign/error.h"

#define LS_HOURS_MAX 32
#define LS_BRIGHTNESS_MAX 32

struct ls_hours_span {
	unsigned days;	     /* bit d set = the span starts on weekday d (0 = Sunday, as tm_wday) */
	int on_min, off_min; /* minutes after midnight; off <= on crosses midnight */
};

struct ls_hours {
	struct ls_hours_span spans[LS_HOURS_MAX];
	int n; /* 0 = always on */
};

struct ls_brightness_step {
	int at_min;  /* minutes after midnight */
	int percent; /* 0..100 */
};

struct ls_brightness {
	struct ls_brightness_step steps[LS_BRIGHTNESS_MAX]; /* sorted by at_min */
	int n;						    /* 0 = no schedule */
};

/* Parses an hours string into h; returns 0, or -1 with err naming the part
 * that is wrong and the expected form (the caller adds file:line). */
int ls_hours_parse(const char *s, struct ls_hours *h, struct ls_error *err);

/* Whether the panel is lit on weekday wday (0 = Sunday) at minute (0..1439). */
bool ls_hours_on(const struct ls_hours *h, int wday, int minute);

/* Parses a brightness schedule into b; returns 0 or -1 with err. */
int ls_brightness_parse(const char *s, struct ls_brightness *b, struct ls_error *err);

/* Brightness in percent at minute (0..1439); dflt when b has no steps. */
int ls_brightness_at(const struct ls_brightness *b, int minute, int dflt);

/* What the board does at a moment: lit or dark, and the brightness the
 * schedule gives then, before the light sensor bounds it (ls_display_at()). */
struct ls_display {
	bool lit;    /* inside display hours: when not, the panel is dark */
	int percent; /* the scheduled brightness, dark or not */
};

/* The display hours h and brightness schedule b (dflt: the [panel]
 * brightness) at weekday wday and minute of the day; without a synchronised
 * clock (wall_valid false) the board stays lit at dflt, as the service does. */
struct ls_display ls_display_at(const struct ls_hours *h, const struct ls_brightness *b, int dflt,
				bool wall_valid, int wday, int minute);

#endif
