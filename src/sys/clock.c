/*
 * clock.c: the edge between the pure core and the system clocks. The only
 * file that asks the kernel what time it is or whether it is synchronised.
 *
 * Time zones never touch TZ or the C library's zone state: each zone file is
 * read once (ls_zone()) and parsed by the pure core (src/core/tz.c), which
 * does every conversion after that, safely from any thread.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <unistd.h>

#include "ledsign/clock.h"
#include "ledsign/schedule.h"

/* Zones loaded so far, kept for the life of the process so that pointers
 * handed out stay valid; a name whose file cannot be read is kept too (as
 * NULL), so it is tried once. */
#define ZONES_MAX 256

static struct {
	char name[LS_TZ_NAME_MAX + 1];
	const struct ls_tz *tz;
} zones[ZONES_MAX];
static int n_zones;
static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;

/* Reads the zone file of a valid name, bounded; NULL when it cannot. */
static struct ls_tz *zone_read(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	static uint8_t buf[LS_TZ_FILE_MAX + 1]; /* under zones_lock */
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? ls_tz_parse(buf, (size_t)n, name, NULL) : NULL;
}

const struct ls_tz *ls_zone_lookup(const char *name)
{
	const struct ls_tz *tz = NULL;

	if (!name || !*name)
		name = "UTC";
	if (!ls_tz_name_valid(name))
		return NULL;
	pthread_mutex_lock(&zones_lock);
	for (int i = 0; i < n_zones; i++)
		if (!strcmp(zones[i].name, name)) {
			tz = zones[i].tz;
			goto out;
		}
	struct ls_tz *loaded = zone_read(name);
	if (n_zones < ZONES_MAX) {
		snprintf(zones[n_zones].name, sizeof(zones[n_zones].name), "%s", name);
		zones[n_zones++].tz = tz = loaded; /* NULL too: a missing zone is tried once */
	} else {
		ls_tz_free(loaded); /* more zones than any system has: refuse to grow */
	}
out:
	pthread_mutex_unlock(&zones_lock);
	return tz;
}

const struct ls_tz *ls_zone(const char *name)
{
	const struct ls_tz *tz = ls_zone_lookup(name);

	return tz ? tz : ls_tz_utc();
}

void ls_localtime(const char *tz, int64_t t, struct tm *out)
{
	ls_tz_local(ls_zone(tz), t, out);
}

bool ls_tz_known(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX], magic[4];
	struct stat st;
	ssize_t got;
	int fd;

	if (!ls_tz_name_valid(name))
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, magic, sizeof(magic));
	close(fd);
	return got == 4 && !memcmp(magic, "TZif", 4); /* not zone.tab and the like */
}

static bool clock_synchronised(void)
{
	struct timex tx = {0};
	int state = adjtimex(&tx);

	/* TIME_ERROR (or a failure) means the kernel does not consider the clock set. */
	return state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* Test only: LEDSIGN_FAKE_TIME="YYYY-MM-DD HH:MM[:SS]" (local time in the
 * board's zone) makes the wall clock start there when first sampled and run
 * on in real time, so tests can watch 18:00 pass. Returns the offset in s. */
static int64_t fake_offset(const char *tz, int64_t real_s, bool *faked)
{
	static int64_t offset;
	static int state; /* 0 = not read yet, 1 = off, 2 = on */
	const char *s;
	int64_t t;

	if (!state) {
		s = getenv("LEDSIGN_FAKE_TIME");
		state = s && *s && !ls_time_parse_local(s, tz, &t, NULL) ? 2 : 1;
		if (state == 2)
			offset = t - real_s;
	}
	*faked = state == 2;
	return *faked ? offset : 0;
}

void ls_now_sample(const char *tz, struct ls_now *now)
{
	struct timespec m, r;
	const char *force = getenv("LEDSIGN_CLOCK_SYNCED");
	bool faked;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	now->mono_ms = (int64_t)m.tv_sec * 1000 + m.tv_nsec / 1000000;
	now->wall_s = r.tv_sec + fake_offset(tz, r.tv_sec, &faked);
	/* LEDSIGN_CLOCK_SYNCED=1/0 overrides the kernel's view, for containers and tests. */
	now->wall_valid = force ? atoi(force) != 0 : faked || clock_synchronised();
	ls_localtime(tz, now->wall_s, &now->local);
}

void ls_now_at(const char *tz, int64_t wall_s, int64_t mono_ms, struct ls_now *now)
{
	now->mono_ms = mono_ms;
	now->wall_s = wall_s;
	now->wall_valid = true;
	ls_localtime(tz, wall_s, &now->local);
}

int ls_time_parse_local(const char *s, const char *tz, int64_t *out, struct ls_error *err)
{
	struct tm tm = {0};
	int n = 0;

	if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &n) != 5 &&
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &n) != 5)
		return ls_error_set(err, "'%s' is not a time; use \"YYYY-MM-DD HH:MM[:SS]\"", s);
	if (s[n] == ':' && sscanf(s + n + 1, "%2d", &tm.tm_sec) == 1)
		n += 3;
	if (s[n] || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return ls_error_set(err, "'%s' is not a time; use \"YYYY-MM-DD HH:MM[:SS]\"", s);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if (ls_tz_mktime(ls_zone(tz), &tm, out) < 0)
		return ls_error_set(err, "'%s' is out of range", s);
	return 0;
}

int ls_time_parse_when(const char *s, bool is_end, const char *tz, int64_t *out,
		       struct ls_error *err)
{
	char full[64];
	struct tm tm = {0};
	int y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return ls_time_parse_local(s, tz, out, err);
	/* A date alone: its midnight, or as an end the next midnight (through the
	 * day, as "until" reads it in playlists). */
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + (is_end ? 1 : 0);
	tm.tm_hour = 12;
	if (timegm(&tm) == -1)
		return ls_error_set(err, "%s: not a date; use \"YYYY-MM-DD[ HH:MM[:SS]]\"", s);
	snprintf(full, sizeof(full), "%04d-%02d-%02d 00:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	return ls_time_parse_local(full, tz, out, err);
}

/* Refuses s, a wall time the clocks skip at t, saying what they do then. */
static int skipped(const char *s, const char *tz, int64_t t, struct ls_error *err)
{
	struct tm before, after;

	ls_localtime(tz, t - 1, &before);
	ls_localtime(tz, t, &after);
	return ls_error_set(err,
			    "%s: that time does not exist in %s: the clocks go from %02d:%02d to "
			    "%02d:%02d then; use %04d-%02d-%02d %02d:%02d",
			    s, tz, (before.tm_hour * 60 + before.tm_min + 1) / 60 % 24,
			    (before.tm_min + 1) % 60, after.tm_hour, after.tm_min,
			    after.tm_year + 1900, after.tm_mon + 1, after.tm_mday, after.tm_hour,
			    after.tm_min);
}

int ls_time_parse_civil(const char *s, bool is_end, const char *tz, int64_t *out, long *gmtoff,
			struct ls_error *err)
{
	enum ls_civil_kind kind;
	int y, mo, d, h = 0, mi = 0;
	char sep;
	int64_t t;
	struct tm tm;

	if (ls_time_parse_when(s, is_end, tz, out, err))
		return -1;
	if (strlen(s) == 10 || sscanf(s, "%4d-%2d-%2d%c%2d:%2d", &y, &mo, &d, &sep, &h, &mi) < 3)
		return 0;
	t = ls_schedule_civil_instant(ls_localtime, tz, ls_civil_pack(y, mo, d, h, mi), &kind);
	if (kind == LS_CIVIL_SKIPPED)
		return skipped(s, tz, t, err);
	*out = t + (*out % 60 + 60) % 60; /* the seconds given, if any */
	if (kind != LS_CIVIL_TWICE)
		return 0;
	ls_localtime(tz, t, &tm);
	if (gmtoff)
		*gmtoff = tm.tm_gmtoff;
	return 1;
}

void ls_time_format_civil(const char *tz, int64_t t, char *out, size_t n)
{
	enum ls_civil_kind kind;
	struct tm tm;
	size_t k;

	ls_localtime(tz, t, &tm);
	k = strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
	ls_schedule_civil_instant(
	    ls_localtime, tz,
	    ls_civil_pack(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min),
	    &kind);
	if (kind == LS_CIVIL_TWICE && k + 7 < n)
		snprintf(out + k, n - k, "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+',
			 labs(tm.tm_gmtoff) / 3600, labs(tm.tm_gmtoff) / 60 % 60);
}

bool ls_tz_offset_changes(const char *tz, int64_t from, int64_t to)
{
	struct tm a, b;

	ls_localtime(tz, from, &a);
	for (int64_t t = from; t <= to + 3600; t += 3600) {
		ls_localtime(tz, t, &b);
		if (b.tm_gmtoff != a.tm_gmtoff)
			return true;
	}
	return false;
}

int64_t ls_interval_ms(const char *env, int64_t dflt)
{
	const char *v = getenv(env);
	long long ms = v && *v ? strtoll(v, NULL, 10) : 0;

	return ms > 0 ? ms : dflt;
}
