/*
 * The scheduler: which item a zone plays, as one pure function of the
 * playlists, the board's tags, one time sample and the zone's history.
 *
 * The rules (the same paragraph is in content/README.md):
 * An item is eligible when it belongs to the zone, its tags are empty or share
 * one with the board's, and, in its own time zone, the moment is inside its
 * campaign (from inclusive, until exclusive; see ls_schedule_civil_instant()
 * for the autumn and spring hours), its weekday is one of its days
 * and its time of day is inside one of its windows (a window that crosses
 * midnight belongs to the day it starts on). While the clock is not
 * synchronised, only items without from, until, days or windows are eligible.
 * The highest priority among eligible items wins; among the items of that
 * priority, off items are skipped unless all of them are off (then the zone
 * is dark), and the others share the airtime in proportion to their weight,
 * interleaved (smooth weighted round-robin) in playlist order. An item plays to
 * its end, except that it is cut at once when it stops being eligible, when an
 * eligible interrupt item of a higher priority appears (after which the cut
 * item plays again from its start and the rotation continues from there; an
 * interrupt cut by a higher one is replayed first, then the item it cut, and
 * so on: the cut items wait on a stack, each dropped when its time has
 * passed; at most 8), or
 * when it is an off item and something can be shown. When nothing is
 * eligible, the playlists' default items play (first playlist first), and
 * when there is none, the board's built-in item; so a zone is dark only when
 * an off item says so.
 *
 * Everything here is pure: per-item time zones are converted through the
 * caller's localtime function, and the history is the caller's memory.
 */
#ifndef LEDSIGN_SCHEDULE_H
#define LEDSIGN_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ledsign/playlist.h"

/* Converts Unix time t to broken-down local time in IANA zone tz (ls_localtime). */
typedef void (*ls_localtime_fn)(const char *tz, int64_t t, struct tm *out);

struct ls_schedule_input {
	struct ls_playlist *const *pls; /* layer order: national, province, office */
	int n_pls;
	const char *const *tags; /* the board's tags */
	int n_tags;
	const char *zone;  /* the zone being filled */
	bool default_zone; /* items without "zone" play here */
	int64_t wall_s;
	bool wall_valid;
	struct tm local;	   /* wall_s in board_tz (only the date and time fields are read) */
	const char *board_tz;	   /* the board's zone, for items without "timezone" */
	ls_localtime_fn localtime; /* for items in another zone; NULL: treat them as board_tz */
	const struct ls_item *builtin; /* the board's own item, last resort (may be NULL) */
};

/* Why the selection is what it is (static strings in ls_schedule_reason()). */
enum ls_schedule_reason {
	LS_REASON_SCHEDULED, /* an eligible item */
	LS_REASON_NO_CLOCK,  /* scheduled, but the clock is not synchronised: dated items held back
			      */
	LS_REASON_DEFAULT,   /* nothing eligible: a playlist's default item */
	LS_REASON_BUILTIN,   /* nothing eligible and no default: the board's built-in item */
	LS_REASON_OFF,	     /* every eligible item of the top priority is an off item */
	LS_REASON_NOTHING,   /* no item for this zone at all */
};

/* How many cut items a zone remembers: one per nested interrupt priority. */
#define LS_SCHEDULE_RESUME_MAX 8

/* One zone's memory between calls: owned by the caller, set up with
 * ls_schedule_history_init() and released with ls_schedule_history_clear(). */
struct ls_schedule_history {
	int *credit; /* smooth weighted round-robin credit, one per item in layer order */
	int n_credit;
	const struct ls_item *current; /* what the zone plays now (NULL at start) */
	bool current_fallback;	       /* current was chosen as a default or built-in item */
	/* Items interrupts cut, to play again from their start, the last cut on
	 * top; when full, the oldest is forgotten. */
	const struct ls_item *resume[LS_SCHEDULE_RESUME_MAX];
	int n_resume;
	enum ls_schedule_reason reason;
	int n_candidates; /* items sharing the airtime at the last selection */
};

/* What the caller asks. */
enum ls_schedule_event {
	LS_SCHEDULE_NEXT,  /* the current item has ended (or nothing plays yet): choose the next */
	LS_SCHEDULE_CHECK, /* mid-item: keep the current item unless the rules cut it */
};

/* Prepares h for playlists with n_items items in all; returns 0, or -1 when
 * memory is short (the rotation then falls back to playlist order). */
int ls_schedule_history_init(struct ls_schedule_history *h, int n_items);

/* Releases h's memory and empties it; a cleared history can be initialised again. */
void ls_schedule_history_clear(struct ls_schedule_history *h);

/* Returns the item the zone plays from now on (h->current, updated), or NULL
 * for nothing to draw (no item belongs to the zone); on LS_SCHEDULE_CHECK a
 * result equal to the previous h->current means "keep playing it". An off
 * item means "dark". Allocates nothing. */
const struct ls_item *ls_schedule_select(const struct ls_schedule_input *in,
					 struct ls_schedule_history *h, enum ls_schedule_event ev);

/* True when item's own conditions (campaign, days, windows, clock) hold at in's
 * time; tags and zone are not looked at. */
bool ls_schedule_item_active(const struct ls_schedule_input *in, const struct ls_item *it);

/* True when the item has a campaign, a days list other than every day, or windows. */
bool ls_schedule_item_is_timed(const struct ls_item *it);

/* Whether the item is for in's zone and board (its zone, its tags) and on
 * the air at in's moment: what ls_schedule_select() chooses among. */
bool ls_schedule_item_eligible(const struct ls_schedule_input *in, const struct ls_item *it);

/* True when the item's date and time conditions hold at the local civil time
 * tm (in the item's own zone): the part of eligibility that needs no clock. */
bool ls_schedule_item_active_local(const struct ls_item *it, const struct tm *tm);

/* True when the item may play on a board with these tags. */
bool ls_schedule_tags_match(const struct ls_item *it, const char *const *tags, int n_tags);

/* One line for the status: why the zone shows what it shows. */
const char *ls_schedule_reason(enum ls_schedule_reason r);

/* How often a local time occurs (ls_schedule_civil_instant()). */
enum ls_civil_kind {
	LS_CIVIL_ONCE,
	LS_CIVIL_TWICE,	  /* in the hour the clocks go back over (autumn) */
	LS_CIVIL_SKIPPED, /* in the hour the clocks jump over (spring) */
};

/* The instant a campaign bound means: the first at which the local time in
 * zone tz (through lt) reaches civil (YYYYMMDDHHMM). So a local time that
 * occurs twice is its first pass (a campaign until 02:30 on the autumn night
 * stops at the first 02:30 and does not play again in the second pass; one
 * from 02:30 plays through both), and a local time the clocks skip is the
 * moment they jump (02:30 when 02:00 becomes 03:00 is that 03:00). *kind
 * (may be NULL) says which. Assumes at most one change of offset within 36
 * hours of the time, as in every zone of the IANA database. Pure, given lt. */
int64_t ls_schedule_civil_instant(ls_localtime_fn lt, const char *tz, int64_t civil,
				  enum ls_civil_kind *kind);

/* Day of the week of a civil date, 0 = Monday .. 6 = Sunday. */
int ls_weekday(int y, int m, int d);

#endif
