/*
 * Time zones as pure values (src/core/tz.c): a zone file in the TZif format
 * (RFC 8536, versions 1 to 4, with the POSIX TZ string of its footer for
 * instants past its table) parsed from memory, and conversions between an
 * instant and local time in that zone. Nothing here reads a file, the
 * environment or TZ: the edge (src/sys/clock.c, ls_zone()) loads each zone
 * file once, and the conversions are functions of (zone, instant) that are
 * safe with any number of threads.
 *
 * The results are those of glibc's localtime_r() and mktime() with TZ set to
 * the zone, which is what ledsign used before, down to glibc's choices:
 * before the first transition the first standard-time type applies; past
 * the last one the footer's rule, evaluated for the UTC year of the instant;
 * leap seconds (the right/ zones) are applied, a positive one reading as
 * second 60. tests/test_tz.c compares both directions with glibc over every
 * hour of 1970-2040 in several zones.
 *
 * Ownership: ls_tz_parse() returns a zone the caller frees with
 * ls_tz_free(); a struct tm filled from a zone points (tm_zone) into it.
 */
#ifndef LEDSIGN_TZ_H
#define LEDSIGN_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ledsign/error.h"

#define LS_TZ_NAME_MAX 63	   /* longest zone name accepted, in bytes */
#define LS_TZ_FILE_MAX (64 * 1024) /* largest zone file read (real ones are under 4 KiB) */

struct ls_tz;

/* Whether name has the form of an IANA zone name: segments of A-Z, a-z,
 * 0-9, '_', '+' and '-' joined by single '/' (no leading '/', no "." or
 * ".."), at most LS_TZ_NAME_MAX bytes; so it can only name a file under the
 * zone directory. Pure. */
bool ls_tz_name_valid(const char *name);

/* Parses the len bytes of a TZif zone file (hostile input: every count,
 * index, offset and the footer's TZ string are checked) as the zone `name`
 * (at most LS_TZ_NAME_MAX bytes, used in messages). Returns a zone to free
 * with ls_tz_free(), or NULL with err saying what is wrong and where. */
struct ls_tz *ls_tz_parse(const void *buf, size_t len, const char *name, struct ls_error *err);

/* Frees a zone; NULL is accepted. */
void ls_tz_free(struct ls_tz *z);

/* UTC (offset 0, "UTC", no daylight time): a static zone, never freed. */
const struct ls_tz *ls_tz_utc(void);

/* The name the zone was parsed as. */
const char *ls_tz_name(const struct ls_tz *z);

/* Broken-down local time of Unix time t in zone z: every field of *out,
 * tm_isdst (0 or 1), tm_gmtoff (seconds east of UTC) and tm_zone (the
 * abbreviation, owned by z) included. */
void ls_tz_local(const struct ls_tz *z, int64_t t, struct tm *out);

/* The instant at which the local time *tm (tm_year, tm_mon, tm_mday,
 * tm_hour, tm_min, tm_sec, which may be out of range and are normalised;
 * tm_isdst and the rest are ignored) occurs in zone z, as glibc's mktime()
 * with tm_isdst = -1 finds it in a process's first call: a search that
 * starts from the time read as UTC and follows the offsets it meets. So:
 *   - a local time that occurs once gives that instant;
 *   - the repeated hour (clocks going back) gives, east of Greenwich, the
 *     later instant (standard time: 02:30 on the last Sunday of October in
 *     Europe/Berlin is 01:30 UTC, CET), and west of it the earlier one
 *     (daylight time: 01:30 on the first Sunday of November in
 *     America/New_York is 05:30 UTC, EDT); Australia/Lord_Howe, east, gives
 *     its later instant (01:45 on the first Sunday of April is +10:30);
 *   - a time in the skipped hour (clocks going forward) is moved forward by
 *     the gap: 02:30 on the last Sunday of March in Europe/Berlin is 03:30
 *     CEST, 02:30 on the second Sunday of March in America/New_York 03:30
 *     EDT, 02:15 on the first Sunday of October in Australia/Lord_Howe
 *     02:45 (+11).
 * Returns 0 with *out and *tm set to the normalised local time (as
 * ls_tz_local() gives it), or -1 when the search finds no answer (times
 * billions of years away), leaving both untouched. */
int ls_tz_mktime(const struct ls_tz *z, struct tm *tm, int64_t *out);

/* The local date of tm as the number yyyymmdd (2026-12-02: 20261202), the
 * day the proof-of-play counters count. */
int ls_tm_yyyymmdd(const struct tm *tm);

#endif
