/*
 * Time as the pure core sees it: one sample, taken by the edge (the service's
 * main loop, or a test, or `ledsign render --at`), passed in as a value.
 * Animation runs on the monotonic clock; schedules read the wall clock only
 * when it is known to be synchronised.
 */
#ifndef LEDSIGN_CLOCK_H
#define LEDSIGN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ledsign/error.h"
#include "ledsign/tz.h"

struct ls_now {
	int64_t mono_ms; /* CLOCK_MONOTONIC in ms: drives animation */
	int64_t wall_s;	 /* CLOCK_REALTIME, Unix seconds */
	bool wall_valid; /* the system clock is synchronised (NTP, RTC) */
	struct tm local; /* wall_s in the board's time zone */
};

/* An interval of the service in milliseconds: the test knob env names
 * (deploy/FEED.md, "Testing") when it is set to a positive number, else
 * dflt. */
int64_t ls_interval_ms(const char *env, int64_t dflt);

/* Samples the system clocks now; local time in time zone tz (IANA name). */
void ls_now_sample(const char *tz, struct ls_now *now);

/* Builds a sample for wall time `wall_s` in zone tz at monotonic time mono_ms,
 * with the clock marked synchronised (for tests, render and preview). */
void ls_now_at(const char *tz, int64_t wall_s, int64_t mono_ms, struct ls_now *now);

/* Parses "YYYY-MM-DD HH:MM[:SS]" as local time in zone tz into Unix seconds
 * (ls_tz_mktime(): tz.h says which instant a repeated or skipped wall time
 * is); returns 0, or -1 with err saying the expected form. */
int ls_time_parse_local(const char *s, const char *tz, int64_t *out, struct ls_error *err);

/* Parses a moment as a command line gives it, "YYYY-MM-DD HH:MM[:SS]" or a
 * date alone, local time in zone tz: a date alone is its midnight, or with
 * is_end the next midnight (through that day, as a playlist's "until").
 * Returns 0, or -1 with err. */
int ls_time_parse_when(const char *s, bool is_end, const char *tz, int64_t *out,
		       struct ls_error *err);

/* ls_time_parse_when(), strict about the hours the clocks change: a local time
 * they skip is refused, saying what the clocks do then and what to write; one
 * they pass twice is its first pass (as playlists' from and until are), its
 * UTC offset in seconds into *gmtoff (may be NULL), and 1 is returned. Returns
 * 0 (1 for a time passed twice), or -1 with err. */
int ls_time_parse_civil(const char *s, bool is_end, const char *tz, int64_t *out, long *gmtoff,
			struct ls_error *err);

/* "YYYY-MM-DD HH:MM:SS", Unix time t in zone tz, followed by its UTC offset
 * ("+02:00") when the clocks pass that time twice, so the passes can be told
 * apart; into out (n bytes, at least 20 with room for 6 more). */
void ls_time_format_civil(const char *tz, int64_t t, char *out, size_t n);

/* Whether zone tz's offset from UTC changes between from and an hour past to
 * (looked at hour by hour). */
bool ls_tz_offset_changes(const char *tz, int64_t from, int64_t to);

/* The zone named name (IANA, e.g. Asia/Ho_Chi_Minh; NULL or "" is UTC),
 * its file under $TZDIR, else /usr/share/zoneinfo, read and parsed on first
 * use and kept for the life of the process: each zone file is read once, and
 * the zone is never freed. UTC (ls_tz_utc()) for a name of the wrong form or
 * a zone whose file is missing or damaged, as glibc did. Thread-safe. */
const struct ls_tz *ls_zone(const char *name);

/* ls_zone(), but NULL where it gives UTC for want of the zone: a name of the
 * wrong form, a missing or damaged zone file, or more than 256 zones. */
const struct ls_tz *ls_zone_lookup(const char *name);

/* Broken-down local time of Unix time t in zone tz (ls_zone(tz), converted by
 * ls_tz_local()); never touches TZ. */
void ls_localtime(const char *tz, int64_t t, struct tm *out);

/* Whether name (of a valid form) is a zone this system has: a zone file
 * under $TZDIR, else /usr/share/zoneinfo. Without it, glibc silently uses UTC. */
bool ls_tz_known(const char *name);

#endif
