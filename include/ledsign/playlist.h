/*
 * Playlists: the JSON documents editors publish (format v1, documented in
 * content/README.md and ledsign-playlist(5)), parsed into plain structs.
 *
 * Parsing is pure and hostile-input safe: sizes, counts, text lengths and
 * nesting depth are bounded, text must be valid UTF-8, and every error names
 * the file, the line:column or JSON path, and what to write instead.
 * A parsed playlist owns all its strings; free it with ls_playlist_free().
 */
#ifndef LEDSIGN_PLAYLIST_H
#define LEDSIGN_PLAYLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"
#include "ledsign/picture.h"

#define LS_PLAYLIST_MAX_BYTES (1024 * 1024)
#define LS_PLAYLIST_MAX_ITEMS 500
#define LS_PLAYLIST_MAX_PICTURES 16 /* different pictures (by SHA-256) a playlist names */
#define LS_PLAYLIST_MAX_DEPTH 16
#define LS_PLAYLIST_MAX_KEY_WARNINGS 100	  /* unknown keys listed; the rest are counted */
#define LS_PLAYLIST_MAX_ERRORS 20		  /* errors listed by ls_playlist_parse_all() */
#define LS_TEXT_MAX_CHARS 2000			  /* a text or line, in characters */
#define LS_TEXT_MAX_BYTES (4 * LS_TEXT_MAX_CHARS) /* the most bytes those can take */
#define LS_ITEM_MAX_LINES 4
#define LS_ITEM_MAX_WINDOWS 8
#define LS_ITEM_MAX_TAGS 16
#define LS_PLAYLIST_MAX_ZONES 8

enum ls_effect {
	LS_EFFECT_SCROLL_LEFT, /* continuous right-to-left scroll */
	LS_EFFECT_SCROLL_UP,
	LS_EFFECT_STATIC,
	LS_EFFECT_BLINK,
	LS_EFFECT_SLIDE_IN,
	LS_EFFECT_TYPEWRITER,
	LS_EFFECT_SCROLL_RIGHT,	  /* continuous left-to-right scroll */
	LS_EFFECT_SCROLL_DOWN,	  /* falls into place, holds, leaves at the bottom */
	LS_EFFECT_SCROLL_LOOP,	  /* scroll-left whose head follows its tail, gap px behind */
	LS_EFFECT_WIPE_FROM_LEFT, /* stands in place, uncovered column by column */
	LS_EFFECT_WIPE_FROM_RIGHT,
	LS_EFFECT_WIPE_FROM_TOP, /* uncovered row by row */
	LS_EFFECT_WIPE_FROM_BOTTOM,
	LS_EFFECT_COVER_FROM_LEFT, /* moves in from that side and stops in place */
	LS_EFFECT_COVER_FROM_RIGHT,
	LS_EFFECT_COVER_FROM_TOP,
	LS_EFFECT_COVER_FROM_BOTTOM,
};

/* Pixels between a scroll-loop's tail and its next head when the item sets no "gap". */
#define LS_ITEM_GAP_DEFAULT 32

enum ls_align { LS_ALIGN_LEFT, LS_ALIGN_CENTER, LS_ALIGN_RIGHT };

/* A daily window in minutes since local midnight; end < start crosses midnight. */
struct ls_window {
	int start, end;
};

/* An item's picture: a PNG or GIF beside the playlist, named by path and SHA-256. */
struct ls_item_picture {
	char *file;		/* relative to the playlist: letters, digits, . _ - and / */
	uint8_t sha256[32];	/* the file's hash; the playlist's signature covers it */
	enum ls_fit fit;	/* how it fills its box */
	enum ls_dither dither;	/* how a single-colour panel shows it */
	enum ls_align position; /* where its box is: beside text, left or right of it */
	int width;		/* its box's width in px; 0: its width at the zone's height */
	int fps;		/* an animation's frames per second; 0: the file's delays */
	struct ls_image *image; /* decoded (ls_playlist_attach_pictures()); NULL until then */
};

/* A zone: a rectangle of the board that plays its own items. */
struct ls_zone {
	char *name;
	int x, y, width, height;
};

struct ls_item {
	char *id;
	char *text;			/* UTF-8, NFC is not required here */
	char *lines[LS_ITEM_MAX_LINES]; /* optional: one string per board line */
	int n_lines;
	char *font; /* NULL: the board's font chain */
	int size;   /* line height in px; 0: the zone's height / lines */
	struct ls_rgb colour, background;
	bool has_colour, has_background;
	enum ls_effect effect;
	double speed;	 /* px/s */
	double duration; /* seconds; 0 = use repeat */
	int repeat;	 /* full passes; 0 = use duration */
	int gap;	 /* scroll-loop: px from the tail to the next head */
	enum ls_align align;
	char *zone; /* NULL: the main (whole-board) zone */

	/* Schedule. Date-times are local civil times packed as YYYYMMDDHHMM; 0 = unset. */
	int64_t from, until;
	uint8_t days; /* bit 0 = Monday .. bit 6 = Sunday; 0x7f = every day */
	struct ls_window windows[LS_ITEM_MAX_WINDOWS];
	int n_windows;
	char *timezone; /* NULL: the board's */
	int priority;
	bool interrupt;
	int weight;
	char *tags[LS_ITEM_MAX_TAGS]; /* the item plays on boards that have any of these; none = all
				       */
	int n_tags;
	bool off; /* an "off" item: the board goes dark while it is selected */
	struct ls_item_picture *picture; /* NULL: text only */
};

struct ls_playlist {
	int version;
	char *name;
	char *default_item; /* id of the item to show when nothing else is eligible */
	struct ls_item *items;
	int n_items;
	struct ls_zone zones[LS_PLAYLIST_MAX_ZONES];
	int n_zones;
};

/* Parses a playlist document of len bytes (named `name` in messages);
 * returns a playlist to free with ls_playlist_free(), or NULL with err. */
struct ls_playlist *ls_playlist_parse(const char *buf, size_t len, const char *name,
				      struct ls_error *err);

/* Receives one warning line (file, JSON path, what to do); msg is valid during the call. */
typedef void (*ls_playlist_warn_fn)(void *ctx, const char *msg);

/* ls_playlist_parse(), also reporting keys the format does not know (typos,
 * keys from a newer format) through warn, which may be NULL: the first
 * LS_PLAYLIST_MAX_KEY_WARNINGS one by one, then one line counting the rest. */
struct ls_playlist *ls_playlist_parse_ex(const char *buf, size_t len, const char *name,
					 ls_playlist_warn_fn warn, void *warn_ctx,
					 struct ls_error *err);

/* ls_playlist_parse_ex(), reporting every error it finds through error (may
 * be NULL: stop at the first), each a complete "name:line:col: path: what"
 * line: it goes on to the next item after one fails, lists the first
 * LS_PLAYLIST_MAX_ERRORS and then one line counting the rest. Returns NULL
 * when there was any error (err holds the first), else the playlist. warn
 * and error get ctx. */
struct ls_playlist *ls_playlist_parse_all(const char *buf, size_t len, const char *name,
					  ls_playlist_warn_fn warn, ls_playlist_warn_fn error,
					  void *ctx, struct ls_error *err);

/* Whether the document is a JSON Schema (its "$schema" names json-schema.org
 * and it has no "version" or "items"), such as content/playlist.schema.json
 * next to the playlists: tools skip it, saying so, instead of failing. */
bool ls_playlist_is_schema(const char *buf, size_t len);

/* Line and column (1-based) of the value at a JSON path such as
 * "items[3].windows[0]" in a document cJSON accepts; 0, or -1 when absent. */
int ls_playlist_locate(const char *buf, size_t len, const char *path, int *line, int *col);

/* Reads the file at path for parsing: a malloc'd buffer (the caller frees it) of
 * at most LS_PLAYLIST_MAX_BYTES + 1 bytes, so that the parser refuses a larger
 * file by its size, and *len; NULL with err when it cannot be read. */
char *ls_playlist_read(const char *path, size_t *len, struct ls_error *err);

/* Reads and parses the file at path; NULL with err on failure. */
struct ls_playlist *ls_playlist_load(const char *path, struct ls_error *err);

/* Told of a file ls_playlists_load() skips: a JSON Schema, not a playlist. */
typedef void (*ls_playlist_skip_fn)(void *user, const char *path);

/* Loads the playlist files paths[0..n) with their pictures (as
 * ls_playlist_load() does), skipping JSON Schemas among them (skipped, may
 * be NULL, is told of each); paths is compacted to the files loaded, in
 * order. Returns how many it loaded (at least 1) into *out (an array of
 * them, NULL-terminated, for ls_player_set_playlists()), or -1 with err
 * (having freed them; no playlist at all is an error too). */
int ls_playlists_load(char **paths, int n, ls_playlist_skip_fn skipped, void *user,
		      struct ls_playlist ***out, struct ls_error *err);

/* Checks that every item's time zone exists on this system, by loading it
 * (ls_zone_lookup(): a missing or damaged zone file is refused, where it
 * would play in UTC without a word), so that schedule checks never read a
 * zone file. Returns 0, or
 * -1 with err naming the item and the zone (name is the file, in messages).
 * src/sys/playlist_file.c, as ls_playlist_read() and ls_playlist_load(). */
int ls_playlist_check_zones(const struct ls_playlist *pl, const char *name, struct ls_error *err);

/* Where pictures come from: load returns the checked, decoded picture pic
 * of the playlist named `playlist` (a file path, or a feed URL), to free
 * with ls_image_free(), or NULL with err. ls_picture_files() (src/sys) reads
 * them beside the playlist file; a board's feed reads them from its cache. */
struct ls_picture_provider {
	struct ls_image *(*load)(void *ctx, const char *playlist, const struct ls_item_picture *pic,
				 struct ls_error *err);
	void *ctx;
};

/* Whether s may name a picture: a path that stays inside the playlist's
 * folder (no "..", no leading "/", no empty segment, at most 255 bytes) of
 * letters, digits and . _ - /, characters every web server and file system
 * treat alike; so it is never a URL of its own. */
bool ls_picture_path_ok(const char *s);

/* Gives every item of pl its picture from pp (the playlist is `name`).
 * Returns 0, or -1 with err naming the item and why its picture was refused;
 * then the caller refuses the whole playlist, so a board keeps its last good
 * content. A NULL pp or pp->load refuses every picture. */
int ls_playlist_attach_pictures(struct ls_playlist *pl, const char *name,
				const struct ls_picture_provider *pp, struct ls_error *err);

/* The provider that reads pictures from the folder of the playlist file
 * (src/sys/playlist_file.c). */
const struct ls_picture_provider *ls_picture_files(void);

/* Frees a playlist; NULL is accepted. */
void ls_playlist_free(struct ls_playlist *pl);

/* Name of an effect as written in playlists ("scroll-left", ...). */
const char *ls_effect_name(enum ls_effect e);

/* Packs a civil date-time as YYYYMMDDHHMM. */
static inline int64_t ls_civil_pack(int y, int mo, int d, int h, int mi)
{
	return (((((int64_t)y * 100 + mo) * 100 + d) * 100 + h) * 100) + mi;
}

#endif
