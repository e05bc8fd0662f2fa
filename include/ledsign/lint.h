/*
 * The lint: what `ledsign validate` (and `publish`, and the hub) say about a
 * set of playlists before they go to a board. Errors are what the board would
 * refuse, warnings what it would do that the editor probably did not mean,
 * notes what it does that is worth knowing.
 *
 * Every finding about the board's picture comes from the player's own layout
 * (ls_player_layout: line height, zone, fonts, fits or scrolls, glyphs) and
 * every finding about time from the scheduler's own rules, so a warning can
 * only say what the board does. Each finding names file:line:col. Pure: the
 * files come in as bytes, time zones through the caller's functions.
 *
 * A module with its own checks of an item (text, scheduling) adds them by
 * writing one ls_lint_item_fn and listing it in lint.c's table of item checks;
 * it reports through ls_lint_item_report().
 */
#ifndef LEDSIGN_LINT_H
#define LEDSIGN_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"

#define LS_LINT_MAX_FILES 64

enum ls_lint_level { LS_LINT_NOTE, LS_LINT_WARNING, LS_LINT_ERROR };

struct ls_lint_finding {
	enum ls_lint_level level;
	int file;	  /* index of the file, in the order added */
	int line, col;	  /* 1-based; 0 when the finding has no position */
	const char *text; /* "file:line:col: items[2] (id).speed: what, and what to do" */
};

typedef void (*ls_lint_report_fn)(void *ctx, const struct ls_lint_finding *f);

struct ls_lint_options {
	const struct ls_player_config *board; /* the board the files must fit (borrowed) */
	bool check_tags;		      /* note the items the board's tags never play */
	bool have_at;			      /* at is set: warn about campaigns over by then */
	int64_t at;			      /* Unix seconds; also the moment templates show */
	ls_localtime_fn localtime;	      /* Unix seconds to local time (ls_localtime) */
	bool (*tz_known)(const char *name);   /* whether a time zone exists (ls_tz_known) */
	ls_lint_report_fn report;	      /* receives each finding, in order */
	void *ctx;
};

struct ls_lint;

/* One item being checked, as an item check sees it. */
struct ls_lint_item {
	struct ls_lint *lint;
	int file, index;		       /* which file, which item */
	const struct ls_playlist *pl;	       /* its playlist */
	const struct ls_item *it;	       /* the item */
	const struct ls_player_layout *layout; /* how the board lays it out; NULL when unknown */
	const struct ls_now *now;	       /* the sample moment */
};

/* An item check: reports what it finds through ls_lint_item_report(). */
typedef void (*ls_lint_item_fn)(const struct ls_lint_item *li);

/* Creates a lint for one board; NULL with err when memory is short. Free
 * with ls_lint_free(). */
struct ls_lint *ls_lint_new(const struct ls_lint_options *o, struct ls_error *err);

/* Frees the lint and the playlists it parsed; NULL is accepted. */
void ls_lint_free(struct ls_lint *l);

/* Parses one file (len bytes at buf, borrowed until ls_lint_free(), named
 * name in findings) and reports what the parser refuses or ignores. Returns
 * 0 when it parsed, -1 when it is refused (with its errors reported) or
 * skipped as a JSON Schema (with a note). */
int ls_lint_add(struct ls_lint *l, const char *name, const char *buf, size_t len);

/* Records a file that could not be read (msg says why) as an error. */
void ls_lint_add_failure(struct ls_lint *l, const char *name, const char *msg);

/* Reports a finding about file `file` at JSON path (e.g. "items[2].speed";
 * "" for the whole file), located to line:col when the path exists. */
void ls_lint_report(struct ls_lint *l, enum ls_lint_level level, int file, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ls_lint_report() about item li, at li's path plus suffix (e.g. ".text"):
 * the message is prefixed with that path, or with "items[N] (id)" when the
 * suffix is "". */
void ls_lint_item_report(const struct ls_lint_item *li, enum ls_lint_level level,
			 const char *suffix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Checks every file added, together (a zone may be declared in another file
 * of the set, as on the board), reporting each finding. */
void ls_lint_run(struct ls_lint *l);

/* Findings reported so far, by level. */
int ls_lint_count(const struct ls_lint *l, enum ls_lint_level level);

/* Findings of a level about file `file`. */
int ls_lint_file_count(const struct ls_lint *l, int file, enum ls_lint_level level);

/* Whether file `file` was skipped as not a playlist (a JSON Schema). */
bool ls_lint_skipped(const struct ls_lint *l, int file);

/* The parsed playlist of file `file`, or NULL when it was refused. */
const struct ls_playlist *ls_lint_playlist(const struct ls_lint *l, int file);

#endif
