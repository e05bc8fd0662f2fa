/*
 * tz.c: time zones as pure values. A TZif file (RFC 8536) is parsed from
 * memory into transitions, local time types, leap seconds and the footer's
 * POSIX TZ rule; local time is then a binary search and some calendar
 * arithmetic. Where the RFC leaves a choice, glibc's is made (tz.h says
 * which), so the board shows exactly what it showed when it asked glibc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/tz.h"

#define ABBR_MAX 16 /* a footer name: "<+0530>" is 5, real ones are under 8 */
#define SECS_DAY 86400
#define MAX_TYPES 256
#define MAX_LEAPS 1024
#define UTOFF_MIN (-89999) /* RFC 8536: -24:59:59 .. +25:59:59 */
#define UTOFF_MAX 93599
/* Instants further away are clamped, so every year fits an int. */
#define T_LIMIT ((int64_t)1 << 55)

struct ttype {
	int32_t utoff; /* seconds east of UTC */
	bool isdst;
	uint32_t abbr; /* index into chars */
};

struct leap {
	int64_t at;
	int32_t corr; /* total correction from this instant on */
};

/* A footer rule date: Jn (1..365, no Feb 29), n (0..365) or Mm.w.d. */
struct rule_date {
	char kind; /* 'J', 'N' or 'M' */
	int d, m, w;
	int32_t secs; /* local time of day of the change, -167 h .. 167 h */
};

struct posix_tz {
	char std[ABBR_MAX], dst[ABBR_MAX];
	int32_t std_off, dst_off; /* seconds east of UTC */
	bool has_dst;
	struct rule_date start, end;
};

struct ls_tz {
	char name[LS_TZ_NAME_MAX + 1];
	int64_t *trans; /* ascending */
	uint8_t *trans_type;
	uint32_t n_trans;
	struct ttype types[MAX_TYPES];
	uint32_t n_types, pre_type; /* pre_type: before the first transition */
	char *chars;
	struct leap *leaps;
	uint32_t n_leaps;
	bool has_footer;
	struct posix_tz footer;
};

/* ---- calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static bool leap_year(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static const int month_start[2][13] = {
    {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
    {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
};

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
	return (int)(days + 4 - floor_div(days + 4, 7) * 7);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Fills the calendar fields of *tm from seconds since the epoch, local. */
static void breakdown(int64_t s, struct tm *tm)
{
	int64_t days = floor_div(s, SECS_DAY), y;
	int rem = (int)(s - days * SECS_DAY), m, d;

	civil_from_days(days, &y, &m, &d);
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = rem / 3600;
	tm->tm_min = rem / 60 % 60;
	tm->tm_sec = rem % 60;
	tm->tm_wday = weekday(days);
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
}

/* ---- the footer's POSIX TZ string ---- */

static const char *parse_name(const char *s, char *out)
{
	size_t n = 0;

	if (*s == '<') {
		for (s++; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			  (*s >= '0' && *s <= '9') || *s == '+' || *s == '-';
		     s++)
			if (n < ABBR_MAX - 1)
				out[n++] = *s;
			else
				return NULL;
		if (*s++ != '>')
			return NULL;
	} else {
		for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
			if (n < ABBR_MAX - 1)
				out[n++] = *s;
			else
				return NULL;
	}
	out[n] = '\0';
	return n >= 3 ? s : NULL;
}

static const char *parse_number(const char *s, int max, int *out)
{
	int v = 0, digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		v = v * 10 + (*s - '0');
		if (v > max || digits >= 3)
			return NULL;
	}
	*out = v;
	return digits ? s : NULL;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h, as seconds (the sign applied). */
static const char *parse_hms(const char *s, int max_h, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!(s = parse_number(s, max_h, &h)))
		return NULL;
	if (*s == ':' && !(s = parse_number(s + 1, 59, &m)))
		return NULL;
	if (*s == ':' && !(s = parse_number(s + 1, 59, &sec)))
		return NULL;
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *parse_date(const char *s, struct rule_date *r)
{
	if (*s == 'J') {
		r->kind = 'J';
		if (!(s = parse_number(s + 1, 365, &r->d)) || r->d < 1)
			return NULL;
	} else if (*s == 'M') {
		r->kind = 'M';
		if (!(s = parse_number(s + 1, 12, &r->m)) || r->m < 1 || *s != '.' ||
		    !(s = parse_number(s + 1, 5, &r->w)) || r->w < 1 || *s != '.' ||
		    !(s = parse_number(s + 1, 6, &r->d)))
			return NULL;
	} else {
		r->kind = 'N';
		if (!(s = parse_number(s, 365, &r->d)))
			return NULL;
	}
	r->secs = 7200;
	if (*s == '/')
		s = parse_hms(s + 1, 167, &r->secs);
	return s;
}

/* std offset [dst [offset] [,start[/time],end[/time]]]; offsets are POSIX's
 * (hours west), stored as seconds east. Without rules, the US ones. */
static bool parse_posix(const char *s, struct posix_tz *p)
{
	int32_t off;

	memset(p, 0, sizeof(*p));
	if (!(s = parse_name(s, p->std)) || !(s = parse_hms(s, 24, &off)))
		return false;
	p->std_off = p->dst_off = -off;
	if (!*s)
		return true;
	if (!(s = parse_name(s, p->dst)))
		return false;
	p->has_dst = true;
	p->dst_off = p->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = parse_hms(s, 24, &off)))
			return false;
		p->dst_off = -off;
	}
	if (!*s) {
		p->start = (struct rule_date){.kind = 'M', .m = 3, .w = 2, .d = 0, .secs = 7200};
		p->end = (struct rule_date){.kind = 'M', .m = 11, .w = 1, .d = 0, .secs = 7200};
		return true;
	}
	if (*s != ',' || !(s = parse_date(s + 1, &p->start)) || *s != ',' ||
	    !(s = parse_date(s + 1, &p->end)))
		return false;
	return !*s;
}

/* The instant of a rule's change in a year, the local time of day read with
 * offset off. As glibc: years before 1970 count their days from 1970. */
static int64_t rule_change(const struct rule_date *r, int64_t year, int32_t off)
{
	int64_t day = year > 1970 ? days_from_civil(year, 1, 1) : 0;
	int lp = leap_year(year);

	if (r->kind == 'J') {
		day += r->d - 1 + (r->d >= 60 && lp);
	} else if (r->kind == 'N') {
		day += r->d;
	} else {
		int len = month_start[lp][r->m] - month_start[lp][r->m - 1];
		int64_t first = days_from_civil(year, r->m, 1);
		int dd = (r->d - weekday(first) + 7) % 7;

		for (int i = 1; i < r->w && dd + 7 < len; i++)
			dd += 7;
		day += month_start[lp][r->m - 1] + dd;
	}
	return day * SECS_DAY + r->secs - off;
}

static bool footer_dst(const struct posix_tz *p, int64_t t)
{
	int64_t y;
	int m, d;

	if (!p->has_dst)
		return false;
	civil_from_days(floor_div(t, SECS_DAY), &y, &m, &d); /* the UTC year, as glibc */
	int64_t on = rule_change(&p->start, y, p->std_off);
	int64_t off = rule_change(&p->end, y, p->dst_off);

	return on > off ? t < off || t >= on : t >= on && t < off;
}

/* ---- reading the file ---- */

struct reader {
	const uint8_t *p;
	size_t left;
};

static bool take(struct reader *r, size_t n, const uint8_t **out)
{
	if (n > r->left)
		return false;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be_time(const uint8_t *p, int width)
{
	if (width == 4)
		return (int32_t)be32(p);
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct header {
	char version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static int read_header(struct reader *r, struct header *h, const char *name, struct ls_error *err)
{
	const uint8_t *p;
	uint32_t c[6];

	if (!take(r, 44, &p) || memcmp(p, "TZif", 4))
		return ls_error_set(err, "%s: not a TZif zone file (no \"TZif\" header)", name);
	h->version = (char)p[4];
	if (h->version != 0 && (h->version < '2' || h->version > '4'))
		return ls_error_set(err, "%s: TZif version byte 0x%02x is not 1 to 4", name, p[4]);
	for (int i = 0; i < 6; i++)
		c[i] = be32(p + 20 + 4 * i);
	*h = (struct header){h->version, c[0], c[1], c[2], c[3], c[4], c[5]};
	if (h->type < 1 || h->type > MAX_TYPES || h->chars < 1 || h->leap > MAX_LEAPS ||
	    (h->isut && h->isut != h->type) || (h->isstd && h->isstd != h->type))
		return ls_error_set(
		    err,
		    "%s: TZif counts out of range (%u types, %u abbreviation bytes, "
		    "%u leap seconds, %u/%u indicators)",
		    name, h->type, h->chars, h->leap, h->isstd, h->isut);
	return 0;
}

static uint64_t block_size(const struct header *h, int width)
{
	return (uint64_t)h->time * (width + 1) + (uint64_t)h->type * 6 + h->chars +
	       (uint64_t)h->leap * (width + 4) + h->isstd + h->isut;
}

static int read_types(struct ls_tz *z, const struct header *h, const uint8_t *p, const char *name,
		      struct ls_error *err)
{
	z->n_types = h->type;
	for (uint32_t i = 0; i < h->type; i++, p += 6) {
		int32_t off = (int32_t)be32(p);
		if (off < UTOFF_MIN || off > UTOFF_MAX || p[4] > 1 || p[5] >= h->chars)
			return ls_error_set(
			    err,
			    "%s: local time type %u is invalid (offset %d s, dst %u, "
			    "abbreviation at %u of %u)",
			    name, i, off, p[4], p[5], h->chars);
		z->types[i] = (struct ttype){off, p[4] == 1, p[5]};
	}
	/* glibc: before the first transition, the first standard-time type. */
	z->pre_type = 0;
	while (z->pre_type < z->n_types && z->types[z->pre_type].isdst)
		z->pre_type++;
	if (z->pre_type == z->n_types)
		z->pre_type = 0;
	return 0;
}

/* RFC 8536: each leap second moves the correction by exactly one (the first
 * one too, before version 4) and comes at least 28 days after the last. */
static bool leap_ok(const struct leap *l, const struct leap *prev, char version)
{
	if (!prev)
		return version == '4' ? l->corr >= -MAX_LEAPS && l->corr <= MAX_LEAPS
				      : l->corr == 1 || l->corr == -1;
	return l->at > prev->at && l->at - prev->at >= 2419199 &&
	       (l->corr == prev->corr + 1 || l->corr == prev->corr - 1);
}

static int read_leaps(struct ls_tz *z, const struct header *h, const uint8_t *p, int width,
		      const char *name, struct ls_error *err)
{
	z->n_leaps = h->leap;
	if (h->leap && !(z->leaps = calloc(h->leap, sizeof(*z->leaps))))
		return ls_error_set(err, "out of memory");
	for (uint32_t i = 0; i < h->leap; i++, p += width + 4) {
		struct leap *l = &z->leaps[i];
		l->at = be_time(p, width);
		l->corr = (int32_t)be32(p + width);
		if (!leap_ok(l, i ? l - 1 : NULL, h->version))
			return ls_error_set(err,
					    "%s: leap second record %u is out of order or changes "
					    "the correction by more than one second",
					    name, i);
	}
	return 0;
}

static int read_block(struct ls_tz *z, const struct header *h, struct reader *r, int width,
		      const char *name, struct ls_error *err)
{
	const uint8_t *p;

	if (block_size(h, width) > r->left || !take(r, (size_t)block_size(h, width), &p))
		return ls_error_set(err, "%s: TZif data is truncated", name);
	z->n_trans = h->time;
	z->trans = calloc(h->time ? h->time : 1, sizeof(*z->trans));
	z->trans_type = calloc(h->time ? h->time : 1, 1);
	z->chars = malloc(h->chars);
	if (!z->trans || !z->trans_type || !z->chars)
		return ls_error_set(err, "out of memory");
	for (uint32_t i = 0; i < h->time; i++) {
		z->trans[i] = be_time(p + (size_t)i * width, width);
		z->trans_type[i] = p[(size_t)h->time * width + i];
		if ((i && z->trans[i] <= z->trans[i - 1]) || z->trans_type[i] >= h->type)
			return ls_error_set(
			    err, "%s: transition %u is out of order or names type %u of %u", name,
			    i, z->trans_type[i], h->type);
	}
	p += (size_t)h->time * (width + 1);
	if (read_types(z, h, p, name, err) < 0)
		return -1;
	p += (size_t)h->type * 6;
	memcpy(z->chars, p, h->chars);
	if (z->chars[h->chars - 1] != '\0')
		return ls_error_set(err, "%s: abbreviations do not end with a NUL", name);
	p += h->chars;
	if (read_leaps(z, h, p, width, name, err) < 0)
		return -1;
	p += (size_t)h->leap * (width + 4);
	for (uint32_t i = 0; i < h->isstd + h->isut; i++)
		if (p[i] > 1)
			return ls_error_set(err, "%s: standard/UT indicator %u is not 0 or 1", name,
					    i);
	return 0;
}

/* The footer of a version 2+ file: "\n" TZ-string "\n"; an empty string
 * means no rule (the last type goes on), as in glibc. */
static int read_footer(struct ls_tz *z, struct reader *r, const char *name, struct ls_error *err)
{
	const uint8_t *nl;
	char spec[256];
	size_t n = 0;

	if (!r->left || r->p[0] != '\n' ||
	    !(nl = memchr(r->p + 1, '\n',
			  r->left - 1 < sizeof(spec) - 1 ? r->left - 1 : sizeof(spec) - 1)))
		return ls_error_set(err,
				    "%s: the TZif footer (a TZ string between newlines) is "
				    "missing or longer than 255 bytes",
				    name);
	n = (size_t)(nl - r->p - 1);
	memcpy(spec, r->p + 1, n);
	spec[n] = '\0';
	if (!n)
		return 0;
	if (memchr(spec, '\0', n) || !parse_posix(spec, &z->footer))
		return ls_error_set(err, "%s: TZif footer \"%.*s\" is not a POSIX TZ string", name,
				    (int)n, spec);
	z->has_footer = true;
	return 0;
}

struct ls_tz *ls_tz_parse(const void *buf, size_t len, const char *name, struct ls_error *err)
{
	struct reader r = {buf, len};
	struct header h;
	struct ls_tz *z;
	const uint8_t *skip;

	if (!name || strlen(name) > LS_TZ_NAME_MAX)
		name = "(zone)";
	if (len > LS_TZ_FILE_MAX) {
		ls_error_set(err, "%s: %zu bytes is more than a zone file (at most %d)", name, len,
			     LS_TZ_FILE_MAX);
		return NULL;
	}
	if (!(z = calloc(1, sizeof(*z)))) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	snprintf(z->name, sizeof(z->name), "%s", name);
	if (read_header(&r, &h, name, err) < 0)
		goto err_zone;
	if (h.version) { /* skip the 32-bit block: the 64-bit one follows */
		if (block_size(&h, 4) > r.left || !take(&r, (size_t)block_size(&h, 4), &skip)) {
			ls_error_set(err, "%s: TZif data is truncated", name);
			goto err_zone;
		}
		if (read_header(&r, &h, name, err) < 0)
			goto err_zone;
	}
	if (read_block(z, &h, &r, h.version ? 8 : 4, name, err) < 0 ||
	    (h.version && read_footer(z, &r, name, err) < 0))
		goto err_zone;
	return z;

err_zone:
	ls_tz_free(z);
	return NULL;
}

void ls_tz_free(struct ls_tz *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->trans_type);
	free(z->chars);
	free(z->leaps);
	free(z);
}

static char utc_chars[] = "UTC";
static const struct ls_tz utc = {.name = "UTC", .n_types = 1, .chars = utc_chars};

const struct ls_tz *ls_tz_utc(void)
{
	return &utc;
}

const char *ls_tz_name(const struct ls_tz *z)
{
	return z->name;
}

/* ---- conversions ---- */

/* Index of the last transition at or before t, or -1. */
static int64_t last_transition(const struct ls_tz *z, int64_t t)
{
	int64_t lo = 0, hi = z->n_trans; /* answer in [lo - 1, hi - 1] */

	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* Leap seconds at t: the correction to subtract, and how many seconds of a
 * positive leap t is (glibc reads them as second 60). */
static int32_t leap_at(const struct ls_tz *z, int64_t t, int *hit)
{
	int64_t i = (int64_t)z->n_leaps - 1;

	*hit = 0;
	while (i >= 0 && t < z->leaps[i].at)
		i--;
	if (i < 0)
		return 0;
	int32_t corr = z->leaps[i].corr;
	if (t == z->leaps[i].at && (i == 0 ? corr > 0 : corr > z->leaps[i - 1].corr)) {
		*hit = 1;
		for (; i > 0 && z->leaps[i].at == z->leaps[i - 1].at + 1 &&
		       z->leaps[i].corr == z->leaps[i - 1].corr + 1;
		     i--)
			++*hit;
	}
	return corr;
}

void ls_tz_local(const struct ls_tz *z, int64_t t, struct tm *out)
{
	int32_t off;
	bool dst;
	const char *abbr;
	int hit;

	t = t < -T_LIMIT ? -T_LIMIT : t > T_LIMIT ? T_LIMIT : t;
	if (z->has_footer && z->n_trans && t >= z->trans[z->n_trans - 1]) {
		dst = footer_dst(&z->footer, t);
		off = dst ? z->footer.dst_off : z->footer.std_off;
		abbr = dst ? z->footer.dst : z->footer.std;
	} else {
		int64_t i = last_transition(z, t);
		const struct ttype *ty = &z->types[i < 0 ? z->pre_type : z->trans_type[i]];
		off = ty->utoff;
		dst = ty->isdst;
		abbr = z->chars + ty->abbr;
	}
	int32_t corr = leap_at(z, t, &hit);
	memset(out, 0, sizeof(*out));
	breakdown(t + off - corr, out);
	out->tm_sec += hit;
	out->tm_isdst = dst;
	out->tm_gmtoff = off;
	out->tm_zone = abbr;
}

/* Seconds from the epoch to a local date-time read as UTC (fields may be out
 * of range). */
static int64_t as_utc(int64_t year, int64_t yday, int64_t h, int64_t m, int64_t s)
{
	return (days_from_civil(year, 1, 1) + yday) * SECS_DAY + h * 3600 + m * 60 + s;
}

static int64_t tm_as_utc(const struct tm *tm)
{
	return as_utc(tm->tm_year + 1900LL, tm->tm_yday, tm->tm_hour, tm->tm_min, tm->tm_sec);
}

int ls_tz_mktime(const struct ls_tz *z, struct tm *tm, int64_t *out)
{
	int64_t year = tm->tm_year + 1900LL + floor_div(tm->tm_mon, 12);
	int mon = (int)(tm->tm_mon - floor_div(tm->tm_mon, 12) * 12);
	int sec = tm->tm_sec < 0 ? 0 : tm->tm_sec > 59 ? 59 : tm->tm_sec;
	int64_t want = as_utc(year, month_start[leap_year(year)][mon] + (int64_t)tm->tm_mday - 1,
			      tm->tm_hour, tm->tm_min, sec);
	int64_t t = want, t1 = want, t2 = want; /* the first guess: the time read as UTC */
	bool dst2 = false;
	struct tm probe;

	for (int probes = 6;;) {
		ls_tz_local(z, t, &probe);
		int64_t dt = want - tm_as_utc(&probe);
		if (dt == 0)
			break;
		/* Oscillating between the two sides of a skipped hour: settle on
		 * the later side (daylight time), as glibc does. */
		if (t == t1 && t != t2 && dst2 <= (probe.tm_isdst != 0))
			break;
		if (--probes == 0)
			return -1;
		t1 = t2;
		t2 = t;
		t += dt;
		dst2 = probe.tm_isdst != 0;
	}
	if (tm->tm_sec != probe.tm_sec) { /* seconds out of range, or a leap second */
		t += (sec == 0 && probe.tm_sec == 60) - sec + tm->tm_sec;
		ls_tz_local(z, t, &probe);
	}
	*tm = probe;
	*out = t;
	return 0;
}

bool ls_tz_name_valid(const char *name)
{
	size_t seg = 0, n = 0;

	for (const char *p = name; *p; p++, n++) {
		char ch = *p;

		if (ch == '/') {
			if (seg == 0)
				return false; /* leading or doubled '/' */
			seg = 0;
		} else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			   (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' || ch == '-') {
			seg++;
		} else {
			return false; /* '.', ':', spaces and the rest: no paths, no POSIX rules */
		}
	}
	return n > 0 && n <= LS_TZ_NAME_MAX && seg > 0;
}

int ls_tm_yyyymmdd(const struct tm *tm)
{
	return (tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 + tm->tm_mday;
}
