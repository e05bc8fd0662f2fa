/*
 * The central feed: each configured URL (a layer: national, province,
 * office) is polled on its own through the service's network loop (net.h),
 * checked, cached and handed to the player, merged in config order.
 *
 * A poll is a conditional GET (If-None-Match / If-Modified-Since from the
 * accepted version; a Last-Modified later than the board's clock is not
 * sent back), so an unchanged feed costs one small 304. A new body is
 * accepted only when, in this order: it arrived whole and within max_bytes;
 * when the layer trusts any public key (its own, else the global ones:
 * config.h), FILE.minisig is signed by one of them (else it is refused
 * naming the layer and the key ID), verifies, names this file and its path
 * under the feed root (the URL's path must end in it), is dated at most LS_FEED_AHEAD_MAX_S ahead
 * of a synchronised clock, and is newer than the replay floor (the newest version accepted for this
 * URL, kept in the cache and in the state directory), or as new with the same content; and it
 * parses as a playlist (keys the format does not know are ignored, and said in the
 * log and the status). Then each picture it names (by path and SHA-256, which
 * the signature covers) is fetched from the playlist URL's folder, without
 * redirects, at most LS_PICTURE_MAX_BYTES, and must match its SHA-256 and
 * decode within the picture limits (picture.h); a picture already on the
 * board under that hash is not fetched again. Only when every picture is
 * there does the version replace the cache record (cache.h, pictures and
 * all, in one atomic step) and the player's playlists. Anything else is an event with the feed's
 * URL and the exact reason, a backoff with jitter before the next try, and the last good version
 * keeps playing. Successful polls are spread by +-LS_FEED_JITTER_PCT %, the first after start-up
 * over the first tenth of the interval.
 *
 * The pure parts (backoff, header lines, the acceptance checks, layer merge)
 * are exported so tests can pin them down without a network.
 */
#ifndef LEDSIGN_FEED_H
#define LEDSIGN_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "ledsign/cache.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/error.h"
#include "ledsign/net.h"
#include "ledsign/playlist.h"
#include "ledsign/sign.h"

#define LS_FEED_IGNORED_MAX 512 /* the unknown keys of a version, as the status shows them */
#define LS_FEED_ETAG_MAX 256 /* longer validators are not kept (the poll is then unconditional) */
#define LS_FEED_BACKOFF_BASE_MS 5000
#define LS_FEED_BACKOFF_CAP_MS (15 * 60 * 1000)
#define LS_FEED_JITTER_PCT 10	     /* successful polls come every poll_s +- this share */
#define LS_FEED_AHEAD_MAX_S 3600     /* how far ahead of a synchronised clock a signature may be */
#define LS_FEED_RESET_WINDOW_S 86400 /* how long after signing a "reset-floor" version counts */
#define LS_FEED_MAX_PICTURES LS_PLAYLIST_MAX_PICTURES /* different pictures one playlist names */

struct ls_feeds;

/* Timing knobs; ls_feeds_new() takes them from the config unless a field is
 * non-zero here (the service's tests shorten them). */
struct ls_feeds_timing {
	int64_t poll_ms;
	int64_t backoff_base_ms;
	int64_t backoff_cap_ms;
	uint32_t (*random)(void *user); /* the jitter's source (NULL: libsodium's) */
	void *random_user;
};

enum ls_feed_event_kind {
	LS_FEED_ACCEPTED,  /* a new version replaced the old one */
	LS_FEED_UNCHANGED, /* 304, or the same bytes again */
	LS_FEED_FAILED,	   /* fetch or check failed; the last good version stays */
	LS_FEED_CACHED,	   /* start-up: a cached version was loaded */
	LS_FEED_WARNING,   /* accepted, but something should be fixed (e.g. cache not writable) */
};

struct ls_feed_event {
	enum ls_feed_event_kind kind;
	int layer;	 /* 0-based index in config order */
	const char *url; /* the feed's URL */
	const char *msg; /* the exact reason (FAILED/WARNING) or a summary */
	int has_content; /* the layer has a version to show (after this event) */
};

typedef void (*ls_feed_event_fn)(void *user, const struct ls_feed_event *ev);

/* What the status file shows of one feed. */
struct ls_feed_state {
	const char *url;
	int has_content;	       /* a version is playing */
	int64_t version;	       /* its signed timestamp, -1 when unsigned or none */
	int64_t accepted_at;	       /* Unix time it was accepted (or stored, when from cache) */
	int64_t checked_at;	       /* Unix time of the last completed poll, 0 never */
	int failures;		       /* consecutive failed polls */
	const char *error;	       /* the last failure's reason, "" after a success */
	unsigned long polls;	       /* completed polls since start */
	unsigned long not_modified;    /* of which answered 304 or identical */
	unsigned long cache_writes;    /* records written to the cache since start */
	const char *shown_from;	       /* the URL the shown version came from: url, or the
					  layer's previous URL until this one delivers */
	const char *layer;	       /* its name: "national", or "2" (its place) when unnamed */
	char signed_by[LS_KEY_ID_HEX]; /* key ID of the shown version, "" unsigned */
	char keys[LS_MAX_GLOBAL_KEYS][LS_KEY_ID_HEX]; /* the key IDs this layer trusts */
	int n_keys;
	const char
	    *ignored;  /* "2:27: items[0]: unknown key ..." lines of the shown version's
			  keys the board does not know, "; "-joined (cut with "; ..."); "" none */
	int n_ignored; /* how many */
};

/* The replay floor of one feed URL: its newest accepted version. */
struct ls_feed_floor {
	int64_t timestamp; /* its signed timestamp; -1: no floor */
	uint8_t key_id[8]; /* the key that signed it: the floor lapses when that key is removed */
	uint8_t hash[32];  /* BLAKE2b-256 of its body */
};

/* What ls_feed_check() holds a new version against. */
struct ls_feed_expect {
	struct ls_feed_floor floor;
	int64_t now;	   /* the board's wall clock, Unix seconds */
	int clock_synced;  /* now is known to be right (NTP, RTC) */
	int cached;	   /* a version from the cache at start-up: no clock check, and a
			      signature made before path: existed is taken on its file name */
	const char *layer; /* the layer's name in messages ("national"), NULL when unknown */
};

/*
 * Creates the feeds of cfg on the loop net (which must outlive them); timing
 * may be NULL. on_event(user, ...) hears every outcome. Returns NULL with err
 * when a URL or public key in cfg is unusable. Free with ls_feeds_free().
 */
struct ls_feeds *ls_feeds_new(const struct ls_config *cfg, struct ls_net *net,
			      const struct ls_feeds_timing *timing, ls_feed_event_fn on_event,
			      void *user, struct ls_error *err);

/* Stops any transfer and frees everything; accepts NULL. */
void ls_feeds_free(struct ls_feeds *f);

/* Loads every feed's replay floor from the state directory and its cached
 * version (checked as a fetched one would be against that floor, no
 * network); returns how many layers now have content. */
int ls_feeds_load_cache(struct ls_feeds *f, int64_t wall_s);

/* After a reload: each layer of f with nothing to show whose URL is new
 * shows old's version of the same layer, if old's URL is gone from f, until
 * its own URL delivers. Returns how many layers took a version. */
int ls_feeds_inherit(struct ls_feeds *f, const struct ls_feeds *old);

/* Finishes the transfers that ended and starts the polls that are due at
 * now->mono_ms. Returns 1 when any feed's accepted content changed since the
 * last call (then fetch it with ls_feeds_playlists()), else 0. */
int ls_feeds_tick(struct ls_feeds *f, const struct ls_now *now);

/* The layer whose URL path ends in "/" + path (the root-relative path a
 * signature and a push name, e.g. "ha-noi/playlist.json"), or -1. */
int ls_feeds_find_path(const struct ls_feeds *f, const char *path);

/* Makes layer's next poll due now (a push said a new version is out); a poll
 * already running is followed by one more. The next ls_feeds_tick() starts it. */
void ls_feeds_poll_now(struct ls_feeds *f, int layer);

/* Milliseconds until a poll is due (0 = now). */
int64_t ls_feeds_timeout_ms(const struct ls_feeds *f, int64_t now_mono_ms);

/* Parses every layer's accepted version into a new array in layer order
 * (layers without content are skipped); ownership of the array and the
 * playlists passes to the caller (hand it to ls_player_set_playlists()).
 * Returns the count, or -1 on allocation failure. */
int ls_feeds_playlists(const struct ls_feeds *f, struct ls_playlist ***out);

/* Number of layers, and the state of layer i (pointers valid until the next tick). */
int ls_feeds_count(const struct ls_feeds *f);
void ls_feeds_state(const struct ls_feeds *f, int i, struct ls_feed_state *out);

/* ---- pure parts ---- */

/* Delay before retry number `failures` (>= 1): base * 2^(failures-1) capped
 * at cap, then "equal jitter": a value in [d/2, d] chosen by rnd. */
int64_t ls_backoff_ms(int failures, int64_t base_ms, int64_t cap_ms, uint32_t rnd);

/* Splits one raw HTTP header line ("Name: value\r\n") into name and value
 * (trimmed, NUL-terminated). Returns 1 for a header, 0 for a status line or
 * the blank end of the headers, -1 for a malformed line or one that does not
 * fit (name_n / value_n bytes with the NUL). */
int ls_http_header_split(const char *line, size_t len, char *name, size_t name_n, char *value,
			 size_t value_n);

/* The file name a URL's path ends in ("feed.json" for
 * https://h/x/feed.json?v=1), into out (n bytes); "" when none. */
void ls_url_file_name(const char *url, char *out, size_t n);

/*
 * Decides whether body (with its .minisig text sig, NULL when none was
 * fetched) may replace the accepted version of url: with keys configured
 * (n_keys > 0) the signature must verify; name url's file ("file:") and its
 * path under the feed root ("path:", which url's path must end in); carry a
 * timestamp at most LS_FEED_AHEAD_MAX_S ahead of x->now when the clock is
 * synchronised; and be newer than x->floor (when the floor's key is still
 * configured), or as new with the same body, or below it when it says
 * "reset-floor", the clock is synchronised and it was signed within
 * LS_FEED_RESET_WINDOW_S. x NULL means x->cached with no floor. Then the
 * body must parse as a playlist whose item time zones exist on this system
 * (ls_playlist_check_zones()). Returns the parsed playlist (the caller frees
 * it) and fills *out with the floor it sets (timestamp -1 when unsigned), or
 * NULL with err giving the exact reason. Its pictures are not attached: the
 * caller fetches them or takes them from the cache record
 * (ls_feed_pictures_attach()).
 */
struct ls_playlist *ls_feed_check(const struct ls_pubkey *keys, int n_keys, const char *url,
				  const char *body, size_t len, const char *sig, size_t sig_len,
				  const struct ls_feed_expect *x, struct ls_feed_floor *out,
				  struct ls_error *err);

/* The URL of the picture file (a playlist's picture path) beside the
 * playlist at url: url's folder (query and fragment dropped) + file, so on
 * the same scheme, host and port. Returns 0, or -1 with err when file is not
 * a path inside that folder (ls_picture_path_ok(): no URL, no leading "/",
 * no "..") or the result does not fit out (n bytes). */
int ls_feed_picture_url(const char *url, const char *file, char *out, size_t n,
			struct ls_error *err);

/* Gives every item of pl its picture, decoded, from pics[0..n-1] (the
 * checked pictures kept with a version, matched by SHA-256; url names the
 * playlist in messages). Returns 0, or -1 with err naming the item when its
 * picture is not among them or does not decode. */
int ls_feed_pictures_attach(struct ls_playlist *pl, const char *url,
			    const struct ls_cache_picture *pics, int n, struct ls_error *err);

/* The conditional headers a poll may send for the validators of the version
 * it has, at wall time now: If-None-Match for a non-empty etag, and
 * If-Modified-Since for a last_modified that parses as an HTTP date no later
 * than now (a server's future date could otherwise answer 304 for ever).
 * Writes the header lines (without CRLF) into inm and ims (n bytes each, ""
 * when not sent). */
void ls_feed_conditions(const char *etag, const char *last_modified, int64_t now, char *inm,
			char *ims, size_t n);

/* The delay before the next poll after a success: poll_ms +- LS_FEED_JITTER_PCT %
 * chosen by rnd. */
int64_t ls_poll_jitter_ms(int64_t poll_ms, uint32_t rnd);

/* Compacts layers[0..n-1] (NULL = no content) into out, keeping layer order;
 * returns how many were copied. */
int ls_layers_merge(struct ls_playlist *const *layers, int n, struct ls_playlist **out);

#endif
