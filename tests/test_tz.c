/*
 * The time-zone converter (src/core/tz.c) against the C library it replaces:
 * glibc's localtime_r() and mktime(), run here with TZ set, over every hour
 * of 1970-2040 (Berlin, New York, Lord Howe; every 5 hours elsewhere) and
 * every second around each change of offset, in zones with
 * every kind of rule (north and south, 30- and 45-minute offsets and DST,
 * negative DST, v3 footers with hours past 24 and below 0, leap seconds, a
 * version 1 file); then the repeated and the skipped hour by name in
 * Europe/Berlin, America/New_York and Australia/Lord_Howe; then hostile
 * files. The edge's zone cache (src/sys/clock.c) is checked last.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "ledsign/clock.h"
#include "ledsign/tz.h"

#define ZONEINFO "/usr/share/zoneinfo/"
#define T1970 0LL
/* 2040, or the end of a 32-bit time_t, which glibc cannot go past there. */
#define T2040 (sizeof(time_t) < 8 ? 2147483647LL - 2 * 86400 : 2208988800LL)

static const char *const zones[] = {
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Ho_Chi_Minh",
    "Pacific/Chatham",
    "America/Nuuk",
    "Asia/Jerusalem",
    "Africa/Casablanca",
    "Europe/Dublin",
    "America/St_Johns",
    "America/Santiago",
    "right/Europe/Berlin",
    "UTC",
};

static uint8_t *slurp(const char *path, size_t *len)
{
	static uint8_t buf[LS_TZ_FILE_MAX + 1];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ASSERT_MSG(fd >= 0, "cannot open %s", path);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ASSERT(n > 0 && n <= LS_TZ_FILE_MAX);
	*len = (size_t)n;
	return buf;
}

static struct ls_tz *load(const char *path, const char *name)
{
	struct ls_error err = {""};
	size_t len;
	uint8_t *buf = slurp(path, &len);
	struct ls_tz *z = ls_tz_parse(buf, len, name, &err);

	ASSERT_MSG(z, "%s: %s", path, err.msg);
	return z;
}

/* glibc with TZ = spec (a zone name, or ":/absolute/path"). */
static void glibc_zone(const char *spec)
{
	setenv("TZ", spec, 1);
	tzset();
}

/* glibc's mktime() starts from the offset its previous call found; a call in
 * a fresh process starts from 0, which is what ls_tz_mktime() reproduces. */
static void glibc_fresh_mktime(const char *spec)
{
	struct tm tm = {.tm_year = 100, .tm_mday = 1, .tm_isdst = -1};

	glibc_zone("UTC");
	mktime(&tm);
	glibc_zone(spec);
}

static void same_tm(const struct tm *a, const struct tm *b, const char *zone, long long t,
		    const char *what)
{
	ASSERT_MSG(a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
		       a->tm_hour == b->tm_hour && a->tm_min == b->tm_min &&
		       a->tm_sec == b->tm_sec && a->tm_wday == b->tm_wday &&
		       a->tm_yday == b->tm_yday && a->tm_isdst == b->tm_isdst &&
		       a->tm_gmtoff == b->tm_gmtoff,
		   "%s %s at %lld: ours %04d-%02d-%02d %02d:%02d:%02d wd%d yd%d dst%d %+ld, "
		   "glibc %04d-%02d-%02d %02d:%02d:%02d wd%d yd%d dst%d %+ld",
		   zone, what, t, a->tm_year + 1900, a->tm_mon + 1, a->tm_mday, a->tm_hour,
		   a->tm_min, a->tm_sec, a->tm_wday, a->tm_yday, a->tm_isdst, a->tm_gmtoff,
		   b->tm_year + 1900, b->tm_mon + 1, b->tm_mday, b->tm_hour, b->tm_min, b->tm_sec,
		   b->tm_wday, b->tm_yday, b->tm_isdst, b->tm_gmtoff);
	ASSERT_MSG(a->tm_zone && b->tm_zone && !strcmp(a->tm_zone, b->tm_zone),
		   "%s %s at %lld: abbreviation %s, glibc %s", zone, what, t,
		   a->tm_zone ? a->tm_zone : "(null)", b->tm_zone ? b->tm_zone : "(null)");
}

static void same_local(const struct ls_tz *z, const char *zone, long long t)
{
	struct tm ours, theirs;
	time_t tt = (time_t)t;

	ls_tz_local(z, t, &ours);
	ASSERT(localtime_r(&tt, &theirs));
	same_tm(&ours, &theirs, zone, t, "local time");
}

/* The wall time the UTC fields of u name, converted back in the zone. */
static void same_mktime(const struct ls_tz *z, const char *zone, long long u)
{
	time_t uu = (time_t)u;
	struct tm want, ours, theirs;
	int64_t t;

	gmtime_r(&uu, &want);
	want.tm_isdst = -1;
	ours = theirs = want;
	time_t g = mktime(&theirs);
	ASSERT_MSG(ls_tz_mktime(z, &ours, &t) == 0, "%s: no instant for %lld", zone, u);
	ASSERT_MSG(t == (int64_t)g, "%s: %04d-%02d-%02d %02d:%02d:%02d is %lld, glibc says %lld",
		   zone, want.tm_year + 1900, want.tm_mon + 1, want.tm_mday, want.tm_hour,
		   want.tm_min, want.tm_sec, (long long)t, (long long)g);
	same_tm(&ours, &theirs, zone, u, "mktime");
}

/* Every step seconds, and every second around each change glibc shows.
 * Returns how many changes it found, and stores up to max of them (their
 * first second). */
static int compare_zone(const struct ls_tz *z, const char *zone, long long step, long long *changes,
			int max)
{
	struct tm prev = {0}, cur;
	int n = 0;

	for (long long t = T1970; t < T2040; t += step) {
		time_t tt = (time_t)t;
		same_local(z, zone, t);
		localtime_r(&tt, &cur);
		if (t > T1970 &&
		    (cur.tm_gmtoff != prev.tm_gmtoff || cur.tm_isdst != prev.tm_isdst)) {
			long long lo = t - step, hi = t; /* find the first second of the change */
			while (hi - lo > 1) {
				long long mid = lo + (hi - lo) / 2;
				time_t tm_mid = (time_t)mid;
				struct tm m;
				localtime_r(&tm_mid, &m);
				if (m.tm_gmtoff == prev.tm_gmtoff && m.tm_isdst == prev.tm_isdst)
					lo = mid;
				else
					hi = mid;
			}
			for (long long s = hi - 2; s <= hi + 1; s++)
				same_local(z, zone, s);
			if (n < max)
				changes[n] = hi;
			n++;
		}
		prev = cur;
	}
	return n;
}

#define N_ZONES (sizeof(zones) / sizeof(zones[0]))
#define MAX_CHANGES 512

/* Both directions against glibc, zone by zone: local time every hour in the
 * first three zones and every 5 hours in the others (glibc's own conversions
 * are the slow part, under qemu most of all), and every second around each
 * change; then the wall times back to instants, around every change from a
 * fresh glibc state. One test, so glibc walks each zone once. */
TEST(both_directions_are_glibcs_over_1970_to_2040_in_every_kind_of_zone)
{
	static long long changes[MAX_CHANGES];

	for (size_t i = 0; i < N_ZONES; i++) {
		char path[256];
		snprintf(path, sizeof(path), ZONEINFO "%s", zones[i]);
		struct ls_tz *z = load(path, zones[i]);
		glibc_zone(zones[i]);
		int n =
		    compare_zone(z, zones[i], i < 3 ? 3600 : 5 * 3600 + 1, changes, MAX_CHANGES);
		int c = 0;
		ASSERT(n <= MAX_CHANGES);
		if (strcmp(zones[i], "UTC") && strcmp(zones[i], "Asia/Ho_Chi_Minh"))
			ASSERT_MSG(n > 10, "%s: only %d changes seen", zones[i], n);
		/* Wall times that occur once have one answer, whatever glibc's state;
		 * those near a change are left to the fresh-state loop below. */
		for (long long u = T1970 + 86400; u < T2040; u += 12 * 3600 + 7 * 60) {
			while (c < n && changes[c] + 4 * 86400 < u) /* past any offset */
				c++;
			if (c < n && changes[c] - 2 * 86400 < u)
				continue;
			same_mktime(z, zones[i], u);
		}
		/* Around each change (repeated and skipped wall times), from a fresh state. */
		for (c = 0; c < n; c++) {
			time_t at = (time_t)changes[c], before = at - 1;
			struct tm b, a;
			localtime_r(&before, &b);
			localtime_r(&at, &a);
			long long wall =
			    changes[c] + b.tm_gmtoff; /* the wall clock at the change */
			for (long long u = wall - 2 * 3600; u <= wall + 2 * 3600; u += 20 * 60) {
				/* Repeated (both offsets give u) or skipped (neither does)? Then
				 * glibc's answer depends on its state: start it fresh. */
				bool in_b = u - b.tm_gmtoff < changes[c],
				     in_a = u - a.tm_gmtoff >= changes[c];
				if (in_b == in_a) {
					glibc_fresh_mktime(zones[i]);
					same_mktime(z, zones[i], u);
					glibc_zone(zones[i]);
				} else {
					same_mktime(z, zones[i], u);
				}
			}
		}
		ls_tz_free(z);
	}
}

/* A version 1 file: the same data in 32-bit form, no footer. Made from a
 * real file by setting its version byte to 0, so glibc reads that block too. */
TEST(a_version_1_file_reads_as_glibc_reads_it)
{
	static long long changes[512];
	char path[600];
	size_t len;
	uint8_t *buf = slurp(ZONEINFO "America/New_York", &len);
	FILE *f;

	buf[4] = 0;
	snprintf(path, sizeof(path), "%s/NY1", th_tmpdir());
	f = fopen(path, "wb");
	ASSERT(f && fwrite(buf, 1, len, f) == len);
	fclose(f);
	struct ls_tz *z = load(path, "NY1");
	char spec[620];
	snprintf(spec, sizeof(spec), ":%s", path);
	glibc_zone(spec);
	ASSERT(compare_zone(z, "NY1", 3 * 3600 + 1, changes, 512) > 100);
	ls_tz_free(z);
}

/* ---- the repeated and the skipped hour, by name ---- */

struct wall {
	int y, mo, d, h, mi;
};

static int64_t instant(const struct ls_tz *z, struct wall w, struct tm *out)
{
	struct tm tm = {.tm_year = w.y - 1900,
			.tm_mon = w.mo - 1,
			.tm_mday = w.d,
			.tm_hour = w.h,
			.tm_min = w.mi,
			.tm_isdst = -1};
	int64_t t;

	ASSERT(ls_tz_mktime(z, &tm, &t) == 0);
	*out = tm;
	return t;
}

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm);
}

/* Checks one wall time against the expected instant, and against glibc in a fresh state. */
static void wall_is(const char *zone, struct wall w, int64_t want, int want_h, int want_mi,
		    int want_dst)
{
	char path[256];
	struct tm got;

	snprintf(path, sizeof(path), ZONEINFO "%s", zone);
	struct ls_tz *z = load(path, zone);
	int64_t t = instant(z, w, &got);
	ASSERT_MSG(t == want, "%s %02d:%02d: %lld, expected %lld", zone, w.h, w.mi, (long long)t,
		   (long long)want);
	ASSERT_EQ_INT(got.tm_hour, want_h);
	ASSERT_EQ_INT(got.tm_min, want_mi);
	ASSERT_EQ_INT(got.tm_isdst, want_dst);
	glibc_fresh_mktime(zone);
	struct tm g = {.tm_year = w.y - 1900,
		       .tm_mon = w.mo - 1,
		       .tm_mday = w.d,
		       .tm_hour = w.h,
		       .tm_min = w.mi,
		       .tm_isdst = -1};
	ASSERT_EQ_INT(mktime(&g), want);
	/* and the instant reads back as the wall time the zone shows then */
	struct tm back;
	ls_tz_local(z, t, &back);
	ASSERT_EQ_INT(back.tm_hour, want_h);
	ASSERT_EQ_INT(back.tm_min, want_mi);
	ls_tz_free(z);
}

TEST(the_repeated_autumn_hour_east_of_greenwich_is_its_later_standard_time_instant)
{
	/* Berlin, 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens twice. */
	wall_is("Europe/Berlin", (struct wall){2026, 10, 25, 2, 30}, utc(2026, 10, 25, 1, 30), 2,
		30, 0);
	/* The first 02:30 (CEST) is still reachable from its instant. */
	struct ls_tz *z = load(ZONEINFO "Europe/Berlin", "Europe/Berlin");
	struct tm tm;
	ls_tz_local(z, utc(2026, 10, 25, 0, 30), &tm);
	ASSERT_EQ_INT(tm.tm_hour, 2);
	ASSERT_EQ_INT(tm.tm_isdst, 1);
	ASSERT_EQ_STR(tm.tm_zone, "CEST");
	ls_tz_free(z);
	/* Lord Howe, 2026-04-05: 02:00 +11 -> 01:30 +1030; 01:45 happens twice. */
	wall_is("Australia/Lord_Howe", (struct wall){2026, 4, 5, 1, 45}, utc(2026, 4, 4, 15, 15), 1,
		45, 0);
}

TEST(the_repeated_autumn_hour_west_of_greenwich_is_its_earlier_daylight_instant)
{
	/* New York, 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 happens twice. */
	wall_is("America/New_York", (struct wall){2026, 11, 1, 1, 30}, utc(2026, 11, 1, 5, 30), 1,
		30, 1);
}

TEST(a_wall_time_in_the_skipped_spring_hour_moves_forward_by_the_gap)
{
	/* Berlin, 2026-03-29: 02:00 CET -> 03:00 CEST; 02:30 never happens. */
	wall_is("Europe/Berlin", (struct wall){2026, 3, 29, 2, 30}, utc(2026, 3, 29, 1, 30), 3, 30,
		1);
	/* New York, 2026-03-08: 02:00 EST -> 03:00 EDT. */
	wall_is("America/New_York", (struct wall){2026, 3, 8, 2, 30}, utc(2026, 3, 8, 7, 30), 3, 30,
		1);
	/* Lord Howe, 2026-10-04: 02:00 +1030 -> 02:30 +11, a 30-minute gap. */
	wall_is("Australia/Lord_Howe", (struct wall){2026, 10, 4, 2, 15}, utc(2026, 10, 3, 15, 45),
		2, 45, 1);
}

TEST(lord_howe_changes_by_half_an_hour)
{
	struct ls_tz *z = load(ZONEINFO "Australia/Lord_Howe", "Australia/Lord_Howe");
	struct tm a, b;

	ls_tz_local(z, utc(2026, 10, 3, 15, 29) + 59, &a); /* 01:59:59 +1030 */
	ls_tz_local(z, utc(2026, 10, 3, 15, 30), &b);	   /* 02:30:00 +11 */
	ASSERT_EQ_INT(a.tm_gmtoff, 37800);
	ASSERT_EQ_INT(b.tm_gmtoff, 39600);
	ASSERT_EQ_INT(a.tm_hour * 60 + a.tm_min, 1 * 60 + 59);
	ASSERT_EQ_INT(b.tm_hour * 60 + b.tm_min, 2 * 60 + 30);
	ASSERT_EQ_STR(b.tm_zone, "+11");
	ls_tz_free(z);
}

TEST(out_of_range_fields_are_normalised_as_mktime_does)
{
	struct ls_tz *z = load(ZONEINFO "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh");
	struct tm tm = {.tm_year = 126, .tm_mon = 1, .tm_mday = 31, .tm_hour = 8, .tm_sec = 60};
	int64_t t;

	ASSERT(ls_tz_mktime(z, &tm, &t) ==
	       0); /* 31 February is 3 March; second 60 the next minute */
	ASSERT_EQ_INT(t, utc(2026, 3, 3, 1, 1));
	ASSERT_EQ_INT(tm.tm_mon, 2);
	ASSERT_EQ_INT(tm.tm_mday, 3);
	ASSERT_EQ_INT(tm.tm_min, 1);
	ASSERT_EQ_INT(tm.tm_sec, 0);
	ASSERT_EQ_INT(tm.tm_wday, 2); /* a Tuesday */
	ls_tz_free(z);
}

TEST(utc_is_built_in)
{
	struct tm tm;

	ls_tz_local(ls_tz_utc(), 1796086800, &tm);
	ASSERT_EQ_INT(tm.tm_hour, 1);
	ASSERT_EQ_INT(tm.tm_gmtoff, 0);
	ASSERT_EQ_STR(tm.tm_zone, "UTC");
	ASSERT_EQ_STR(ls_tz_name(ls_tz_utc()), "UTC");
}

/* ---- hostile files ---- */

static void refused(const void *buf, size_t len, const char *why)
{
	struct ls_error err = {""};

	ASSERT_MSG(!ls_tz_parse(buf, len, "Bad/Zone", &err), "accepted: %s", why);
	ASSERT_CONTAINS(err.msg, "Bad/Zone");
	ASSERT_CONTAINS(err.msg, why);
}

static uint8_t copy[LS_TZ_FILE_MAX + 1];

static size_t berlin(void)
{
	size_t len;
	uint8_t *buf = slurp(ZONEINFO "Europe/Berlin", &len);

	memcpy(copy, buf, len);
	return len;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

TEST(a_damaged_zone_file_is_refused_saying_what_is_wrong)
{
	size_t len = berlin();
	struct ls_error err = {""};

	refused("", 0, "not a TZif zone file");
	refused("TZjf2", 5, "not a TZif zone file");
	for (size_t cut = 0; cut < len; cut += 97) /* every truncation */
		ASSERT_MSG(!ls_tz_parse(copy, cut, "Bad/Zone", &err), "accepted %zu of %zu bytes",
			   cut, len);
	ASSERT_MSG(!ls_tz_parse(copy, len - 1, "Bad/Zone", &err), "accepted without its last byte");
	len = berlin();
	copy[4] = '9';
	refused(copy, len, "version byte");
	len = berlin();
	put32(copy + 20 + 4 * 4, 0); /* no local time types */
	refused(copy, len, "counts out of range");
	len = berlin();
	put32(copy + 20 + 4 * 4, 100000); /* more types than the file could hold */
	refused(copy, len, "counts out of range");
	len = berlin();
	put32(copy + 20 + 4 * 3, 0x40000000); /* a billion transitions */
	refused(copy, len, "truncated");
	len = berlin();
	memcpy(copy + len - 10, "???", 3); /* a footer that is no TZ string */
	refused(copy, len, "not a POSIX TZ string");
	len = berlin();
	copy[len - 1] = 'x'; /* no closing newline */
	refused(copy, len, "footer");
	refused(copy, LS_TZ_FILE_MAX + 1, "more than a zone file");
}

TEST(transitions_out_of_order_or_naming_no_type_are_refused)
{
	size_t len = berlin();
	uint32_t v1_times = (uint32_t)copy[32] << 24 | copy[33] << 16 | copy[34] << 8 | copy[35];
	uint32_t v1_types = (uint32_t)copy[36] << 24 | copy[37] << 16 | copy[38] << 8 | copy[39];
	uint32_t v1_chars = (uint32_t)copy[40] << 24 | copy[41] << 16 | copy[42] << 8 | copy[43];
	uint32_t v1_leaps = (uint32_t)copy[28] << 24 | copy[29] << 16 | copy[30] << 8 | copy[31];
	uint32_t v1_std = (uint32_t)copy[24] << 24 | copy[25] << 16 | copy[26] << 8 | copy[27];
	uint32_t v1_ut = (uint32_t)copy[20] << 24 | copy[21] << 16 | copy[22] << 8 | copy[23];
	size_t v2 = 44 + v1_times * 5 + v1_types * 6 + v1_chars + v1_leaps * 8 + v1_std + v1_ut;
	uint32_t n = (uint32_t)copy[v2 + 32] << 24 | copy[v2 + 33] << 16 | copy[v2 + 34] << 8 |
		     copy[v2 + 35];
	uint8_t *times = copy + v2 + 44;

	ASSERT(!memcmp(copy + v2, "TZif", 4) && n > 10);
	memcpy(times + 8 * 5, times + 8 * 4, 8); /* transitions 4 and 5 equal */
	refused(copy, len, "out of order");
	len = berlin();
	times[(size_t)n * 8 + 3] = 200; /* transition 3 names type 200 */
	refused(copy, len, "names type 200");
}

/* ---- the edge: each zone file read once ---- */

TEST(the_edge_loads_each_zone_once_and_falls_back_to_utc)
{
	const struct ls_tz *a = ls_zone("Europe/Berlin"), *b = ls_zone("Europe/Berlin");
	struct tm tm;

	ASSERT(a == b);
	ASSERT_EQ_STR(ls_tz_name(a), "Europe/Berlin");
	ASSERT(ls_zone("Asia/Ho_Chi_Mihn") == ls_tz_utc());
	ASSERT(ls_zone("../../etc/passwd") == ls_tz_utc());
	ASSERT(ls_zone(NULL) == ls_zone("UTC"));
	ASSERT(ls_zone_lookup("Europe/Berlin") == a);
	ASSERT(!ls_zone_lookup("Asia/Ho_Chi_Mihn")); /* what the playlist check refuses */
	ASSERT(!ls_zone_lookup("../../etc/passwd"));
	ls_localtime("Europe/Berlin", 1796086800, &tm); /* 2026-12-01 01:00 UTC */
	ASSERT_EQ_INT(tm.tm_hour, 2);
	ASSERT_EQ_STR(tm.tm_zone, "CET");
}

TEST(a_local_date_is_the_number_yyyymmdd)
{
	struct tm tm;

	ls_tz_local(ls_tz_utc(), 1796169600, &tm); /* 2026-12-02 00:00 UTC */
	ASSERT_EQ_INT(ls_tm_yyyymmdd(&tm), 20261202);
	ls_tz_local(ls_tz_utc(), 1796169599, &tm);
	ASSERT_EQ_INT(ls_tm_yyyymmdd(&tm), 20261201);
}
