/*
 * Status and proof of play: what the board has shown (plays and seconds per
 * item), what it shows now, and how its feeds are doing; written as JSON to a
 * status file (for an installer over SSH, and on SIGUSR1) and as the body of
 * a heartbeat (heartbeat.h delivers those).
 */
#ifndef LEDSIGN_STATUS_H
#define LEDSIGN_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "ledsign/error.h"
#include "ledsign/feed.h"
#include "ledsign/player.h"
#include "ledsign/push.h"

#define LS_STATUS_MAX_ITEMS 512	 /* distinct item ids counted; more go to "(other)" */
#define LS_STATUS_MAX_ZONES 9	 /* a playlist's zones (8), or the whole board as one */
#define LS_STATUS_EVERY_MS 10000 /* the service rewrites its status file this often */
/* A status file older than this says the service is stopped or hung
 * (`ledsign status` and `ledsign doctor` say so). */
#define LS_STATUS_STALE_S 120

struct ls_status;
struct cJSON;

/* What one zone shows and why, as the service hands it to ls_status_zones(). */
struct ls_status_zone {
	const char *name;
	const char *item_id; /* NULL: nothing plays */
	int64_t since_ms;    /* mono ms the item started */
	const char *reason;  /* why it plays (ls_player_zone_status()) */
	const char *problem; /* the item's text problems (ls_text_report_describe()); "" = none */
	bool main;	     /* items without "zone" play here: its reason goes next to "current" */
};

/* Creates empty counters for board `name` (copied). Free with ls_status_free(). */
struct ls_status *ls_status_new(const char *name, int64_t now_mono_ms, int64_t wall_s);

/* Frees the counters; accepts NULL. */
void ls_status_free(struct ls_status *st);

/* Accounts one frame: item_id (NULL when nothing plays) has been playing
 * since since_ms; a new id or a new since_ms is a new play. Pure. */
void ls_status_frame(struct ls_status *st, const char *item_id, int64_t since_ms,
		     int64_t now_mono_ms);

/* Records what each of the board's n zones shows (zones past
 * LS_STATUS_MAX_ZONES are left out), for the document's "reason", the current
 * item's "problem" and "zones". Copies the strings; call it when any of them
 * changes, not every frame. Pure. */
void ls_status_zones(struct ls_status *st, const struct ls_status_zone *z, int n);

/* Told of an item's text problem (ls_text_report_describe()) the first time
 * ls_status_watch() sees it since ls_status_rewatch(); zone is the zone's
 * name on a board of several zones, else NULL. */
typedef void (*ls_status_problem_fn)(void *user, const char *zone, const struct ls_item *it,
				     const char *problem);

/* Looks at what each zone of p shows, why, and what is wrong with its text,
 * and records them (ls_status_zones()) when any of it changed since the last
 * look; fn (may be NULL) is told of each item's problem once. Returns
 * whether anything changed. Pure: call it every frame. */
bool ls_status_watch(struct ls_status *st, const struct ls_player *p, ls_status_problem_fn fn,
		     void *user);

/* New playlists or a new player: the next ls_status_watch() looks at every
 * zone afresh and tells of every problem again. */
void ls_status_rewatch(struct ls_status *st);

/* Tells the counters the board's local date as yyyymmdd (0 = unknown, the
 * clock is not synchronised: the day goes on). A new date starts today's
 * plays and seconds afresh, keeping the totals; the first known date takes
 * over what was counted before it. Pure. */
void ls_status_day(struct ls_status *st, int yyyymmdd);

/* Records what the output does now (type name, measured refresh rate in Hz,
 * brightness 0..100, lit = inside display hours), for the status document's
 * "output" object. */
void ls_status_output(struct ls_status *st, const char *type, double refresh_hz, int brightness,
		      bool lit);

/* Records the board's panel geometry (the canvas, after rotation, in LEDs;
 * rgb for a colour panel, else single-colour), for the documents' "panel"
 * object, which the hub uses to know the board sizes in its fleet. */
void ls_status_panel(struct ls_status *st, int width, int height, bool rgb);

/* The push channel, for the document's "push" object: its URL ("" or NULL:
 * none configured), not connected yet (a new channel). The counts and times
 * go on across calls, as proof of play does. */
void ls_status_push_open(struct ls_status *st, const char *url);

/* The channel connected at Unix time wall_s. */
void ls_status_push_up(struct ls_status *st, int64_t wall_s);

/* The channel is down (why, copied), since wall_s unless it was already down;
 * returns whether this is its first loss since it was up (the one to warn
 * of). */
bool ls_status_push_down(struct ls_status *st, int64_t wall_s, const char *why);

/* A message was heard at wall_s and meant h (ls_push_hint(); an oversized one
 * is LS_PUSH_REFUSED): one naming a feed is the last push, one making a feed
 * poll is counted as a push, any other as ignored. */
void ls_status_push_heard(struct ls_status *st, enum ls_push_hint h, int64_t wall_s);

/* Plays and milliseconds of item id since start (0 when unknown). */
void ls_status_item(const struct ls_status *st, const char *id, long *plays, int64_t *ms);

/* The same for today (the date last given to ls_status_day()). */
void ls_status_item_today(const struct ls_status *st, const char *id, long *plays, int64_t *ms);

/* The status document: totals since start and today, the current item and
 * why, the zones, feeds (f may be NULL). Returns malloc'd JSON (caller frees)
 * or NULL. */
char *ls_status_json(const struct ls_status *st, const struct ls_feeds *f, int64_t now_mono_ms,
		     int64_t wall_s);

/* A heartbeat: the plays and seconds since the previous heartbeat, numbered
 * seq, then starts a new interval. Returns malloc'd JSON or NULL. */
char *ls_status_heartbeat(struct ls_status *st, const struct ls_feeds *f, uint64_t seq,
			  int64_t now_mono_ms, int64_t wall_s);

/* Writes the status document (ls_status_json()) to path in one step
 * (ls_write_file_atomic()), so `ledsign status` never reads half of one.
 * Returns 0, or -1 with err. */
int ls_status_write(const struct ls_status *st, const struct ls_feeds *f, const char *path,
		    int64_t now_mono_ms, int64_t wall_s, struct ls_error *err);

/* Reads the status file at path (as the service writes ls_status_json()),
 * with its modification time in Unix seconds into *mtime (may be NULL), for
 * `ledsign status` and `ledsign doctor`. Returns the document, to free with
 * cJSON_Delete(), or NULL with err saying the file is missing (is ledsignd
 * running?) or is not a status document. */
struct cJSON *ls_status_read(const char *path, int64_t *mtime, struct ls_error *err);

#endif
