/*
 * The player: turns playlists and a time sample into the frame a board shows.
 *
 * It owns the per-zone state (which item plays, since when, its rendered
 * strips) and is the one code path shared by the service, `ledsign render`
 * and `ledsign preview`, so what an editor previews is what the board shows.
 * Given the same playlists and the same sequence of ls_now samples, the
 * frames are identical.
 */
#ifndef LEDSIGN_PLAYER_H
#define LEDSIGN_PLAYER_H

#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/error.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"
#include "ledsign/text.h"

struct ls_player;

struct ls_player_config {
	int width, height;		 /* canvas */
	const char *fonts[LS_MAX_FONTS]; /* fallback chain */
	int n_fonts;
	bool mono; /* single-colour panel: 1-bit text */
	struct ls_rgb colour, background;
	int speed; /* default px/s */
	const char *board_name;
	const char *const *tags; /* the board's tags, for targeting */
	int n_tags;
	const char *tag_list[LS_MAX_TAGS]; /* storage ls_player_config_from points tags at */
	const char *timezone;
	/* What the core asks the edge for: font faces, and local time in an
	 * item's own zone (NULL: items play in the board's zone). */
	const struct ls_font_provider *font_provider;
	ls_localtime_fn localtime;
	/* Pictures for the checks and previews that parse playlists themselves
	 * (lint, the contact sheet); NULL: pictures are refused there. */
	const struct ls_picture_provider *pictures;
};

/* Fills pc from a loaded config (the strings stay owned by cfg), with this
 * system's font files and zone files as providers (src/sys/player_config.c). */
void ls_player_config_from(struct ls_player_config *pc, const struct ls_config *cfg);

/* Creates a player; NULL with err when a font cannot be opened. Free with ls_player_free(). */
struct ls_player *ls_player_new(const struct ls_player_config *pc, struct ls_error *err);

/* A player (ls_player_new()) playing pls[0..n) (an array of playlists,
 * taken: freed with it, or at once when it cannot be made); NULL with err.
 * Free with ls_player_free(). */
struct ls_player *ls_player_with(const struct ls_player_config *pc, struct ls_playlist **pls, int n,
				 struct ls_error *err);

/* Frees the player and the playlists it owns; NULL is accepted. */
void ls_player_free(struct ls_player *p);

/* Hands the player a new set of playlists (layer order; ownership taken, the
 * old ones are freed). The current item keeps playing if it still exists. */
void ls_player_set_playlists(struct ls_player *p, struct ls_playlist **pls, int n);

/* Draws the frame for time `now` into c (which has the configured size). */
void ls_player_frame(struct ls_player *p, const struct ls_now *now, struct ls_canvas *c);

/* The item playing in the main zone (NULL when none), and since when (mono ms). */
const struct ls_item *ls_player_current(const struct ls_player *p, int64_t *since_ms);

/* Rendering problems of the item playing in the main zone (missing glyphs, clipping). */
const struct ls_text_report *ls_player_report(const struct ls_player *p);

/* The same for zone zi (an empty report for an off item, nothing, or zi out of range);
 * the report belongs to the player and changes when the zone's item does. */
const struct ls_text_report *ls_player_zone_report(const struct ls_player *p, int zi);

/* Where zone zi drew the problem characters of its item (the report's spans)
 * in the last ls_player_frame(): up to max board rectangles, each a span's
 * columns by its line's rows, clipped to what was drawn of the zone. Returns
 * how many (0 when the zone drew no text or has no problems). Allocates nothing. */
int ls_player_zone_problem_rects(const struct ls_player *p, int zi, struct ls_rect *rects, int max);

/* Why the main zone (where items without "zone" play) shows what it shows (for the status):
 * "scheduled", clock not synchronised, default or built-in item, off. A static string. */
const char *ls_player_status(const struct ls_player *p);

/* The same for zone zi. */
const char *ls_player_zone_status(const struct ls_player *p, int zi);

/* Index of the main zone, where items without "zone" play. */
int ls_player_main_zone(const struct ls_player *p);

/* Number of zones the board is split into (1 without "zones"). */
int ls_player_n_zones(const struct ls_player *p);

/* Zone zi's name (into *name when not NULL), the item it plays (NULL when
 * nothing; an off item when dark) and since when (mono ms). */
const struct ls_item *ls_player_zone_item(const struct ls_player *p, int zi, const char **name,
					  int64_t *since_ms);

/* A fingerprint of which items are eligible in zone zi at now (by the
 * scheduler's own rule: zone, tags, time): it changes exactly when that set
 * does, so `ledsign schedule` can group its timeline into periods. */
uint64_t ls_player_zone_eligible(const struct ls_player *p, int zi, const struct ls_now *now);

/* How the board lays out one item: the player's own decisions, for checks
 * such as `ledsign validate` that must say only what the board does. */
struct ls_player_layout {
	int zone;	     /* the zone it plays in; -1: its "zone" names none of the board's */
	struct ls_rect rect; /* the part of that zone its text plays in (all of it without a
				picture) */
	struct ls_rect picture_box; /* where its picture is drawn; w 0: it has none (loaded) */
	int detail_kept;	    /* ls_picture_detail_kept() of the picture in its box, 0..100 */
	int n_lines, line_h;	    /* its lines and each one's height, clamped to the zone */
	bool font_fallback;	    /* its "font" cannot be opened: the board's fonts draw it */
	bool no_font;		    /* no font opens at line_h: nothing is drawn */
	bool font_demoted;	    /* its "font" opens but is not made for line_h: the board's
				       fonts made for it come first, it only fills their gaps */
	char first_font[64];	/* file name of the font that draws the text (the set's first) */
	char fallback_font[64]; /* of the one that drew report.first_fallback, "" when none */
	int widths[LS_ITEM_MAX_LINES]; /* each line's width in px, drawn as the board draws it */
	int widest;
	enum ls_effect effect;	      /* the effect it plays with (ls_effect_effective()) */
	double play_s;		      /* seconds it plays each time it is chosen */
	struct ls_text_report report; /* missing, clipped and replaced characters */
};

/* Lays out item it (of one of the player's playlists, or any item) as the
 * board would when it starts at time now (templates expanded then) into out;
 * an off item gets only its zone and line height. Returns 0, or -1 when the
 * item names a zone the board does not have (it never plays). Changes no
 * zone's state. */
int ls_player_layout(struct ls_player *p, const struct ls_item *it, const struct ls_now *now,
		     struct ls_player_layout *out);

#endif
