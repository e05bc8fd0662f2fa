/*
 * The timeline: what a board plays when over a stretch of time, as the board
 * would play it. It drives the real player (ls_player_frame(), the code the
 * board runs) with the simulated clock (sim.h), so it uses the scheduler's
 * own selection and the items' real durations, and books what each zone
 * showed: either one row per play, or one row per period in which the same
 * items were eligible, with how often and how long each item played. Both
 * `ledsign schedule` and the hub's studio print these rows; neither counts
 * airtime itself. Pure, given the localtime function.
 */
#ifndef LEDSIGN_TIMELINE_H
#define LEDSIGN_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"

/* One item's part of a period. */
struct ls_timeline_share {
	const struct ls_item *item; /* NULL: the board's built-in item */
	int plays;		    /* how often it started in the period */
	double seconds;		    /* how long it was on the air in the period */
};

enum ls_timeline_kind {
	LS_TIMELINE_PLAY,   /* one item played from `from` to `to` */
	LS_TIMELINE_PERIOD, /* the same items were eligible from `from` to `to` */
};

/* A row, valid during the callback only; its items are the playlists' (the
 * player's), valid while the player holds them. */
struct ls_timeline_row {
	enum ls_timeline_kind kind;
	int zone;
	const char *zone_name;
	int64_t from, to; /* Unix seconds */
	/* LS_TIMELINE_PLAY: */
	const struct ls_item *item; /* what played (NULL: nothing; an off item: dark) */
	/* LS_TIMELINE_PERIOD: in playlist order, the built-in item last; only
	 * items with airtime (NULL on a play). */
	const struct ls_timeline_share *shares;
	int n_shares;
	double total_s;	    /* the shares' airtime together (0: nothing played) */
	const char *reason; /* the zone's status as the period began ("scheduled" ...) */
};

/* Called with each row when it ends; rows of different zones interleave in
 * time order of their ends, and each zone's last row comes at the end. */
typedef void (*ls_timeline_fn)(void *user, const struct ls_timeline_row *row);

struct ls_timeline_config {
	const char *tz;		   /* the board's time zone (borrowed) */
	ls_localtime_fn localtime; /* Unix seconds to local time (ls_localtime) */
	int64_t from, to;	   /* the stretch, Unix seconds, from < to */
	int step_ms;		   /* simulation step, 1..60000 */
	bool unsynced;		   /* as a board whose clock is not synchronised */
	bool detail;		   /* rows per play instead of per period */
	int width, height;	   /* the board's canvas (ls_panel_canvas_size()) */
};

/* Plays player (holding the playlists pls, n_pls in layer order) through c's
 * stretch from its start, handing each row to fn. Returns 0, or -1 when
 * memory is short (rows handed over until then stand). The player ends in
 * the state of the stretch's end. */
int ls_timeline_run(struct ls_player *player, struct ls_playlist *const *pls, int n_pls,
		    const struct ls_timeline_config *c, ls_timeline_fn fn, void *user);

#endif
