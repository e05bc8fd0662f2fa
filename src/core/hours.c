/*
 * hours.c: parses and evaluates the display hours ("mon-fri 07:00-17:30") and
 * the brightness schedule ("07:00 100, 18:00 30") of the [display] section.
 * Pure: the caller passes the weekday and minute of the day.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ledsign/hours.h"

#define ALL_DAYS 0x7fu
/* The hints are written out in each message (not a macro pasted on), so
 * each is one whole sentence in the catalogue. */

static const char *const day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads "HH:MM" (00:00..24:00) at p; returns the end or NULL. */
static const char *parse_time(const char *p, int *minute)
{
	int h, m;

	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
	    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
		return NULL;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return NULL;
	*minute = h * 60 + m;
	return p + 5;
}

/* Reads a three-letter day name at p; returns the end or NULL. */
static const char *parse_day(const char *p, int *day)
{
	for (int d = 0; d < 7; d++)
		if (!strncasecmp(p, day_names[d], 3) && !isalpha((unsigned char)p[3])) {
			*day = d;
			return p + 3;
		}
	return NULL;
}

/* Reads "mon", "mon-fri", "daily" or nothing; a range may wrap (fri-mon). */
static const char *parse_days(const char *p, unsigned *days)
{
	int from, to;
	const char *q;

	if (!strncasecmp(p, "daily", 5)) {
		*days = ALL_DAYS;
		return p + 5;
	}
	if (isdigit((unsigned char)*p)) {
		*days = ALL_DAYS;
		return p;
	}
	q = parse_day(p, &from);
	if (!q)
		return NULL;
	to = from;
	if (*q == '-' && !(q = parse_day(q + 1, &to)))
		return NULL;
	*days = 0;
	for (int d = from;; d = (d + 1) % 7) {
		*days |= 1u << d;
		if (d == to)
			break;
	}
	return q;
}

/* Copies the comma-separated item starting at s into buf, trimmed; returns the
 * position after the comma, or NULL at the end. */
static const char *next_item(const char *s, char *buf, size_t n)
{
	const char *comma = strchr(s, ',');
	size_t len;

	s = skip_space(s);
	len = comma ? (size_t)(comma - s) : strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return comma ? comma + 1 : NULL;
}

static int parse_span(const char *item, struct ls_hours_span *span, struct ls_error *err)
{
	const char *p = parse_days(item, &span->days);

	if (!p)
		return ls_error_set(err,
				    "[display] hours: '%s': unknown days; use mon..sun, a range "
				    "such as mon-fri, or daily",
				    item);
	p = skip_space(p);
	if (!(p = parse_time(p, &span->on_min)) || *p != '-' ||
	    !(p = parse_time(p + 1, &span->off_min)))
		return ls_error_set(err,
				    "[display] hours: '%s': expected HH:MM-HH:MM after the days; "
				    "use e.g. mon-fri 07:00-17:30, sat 07:30-11:30",
				    item);
	if (*skip_space(p))
		return ls_error_set(err,
				    "[display] hours: '%s': unexpected '%s'; use e.g. mon-fri "
				    "07:00-17:30, sat 07:30-11:30",
				    item, skip_space(p));
	if (span->on_min == span->off_min)
		return ls_error_set(err,
				    "[display] hours: '%s': starts and ends at the same time; for "
				    "all day write 00:00-24:00",
				    item);
	if (span->on_min == 24 * 60)
		return ls_error_set(
		    err, "[display] hours: '%s': a span cannot start at 24:00; use 00:00", item);
	return 0;
}

int ls_hours_parse(const char *s, struct ls_hours *h, struct ls_error *err)
{
	char item[128];

	h->n = 0;
	if (!*skip_space(s))
		return 0;
	while (s) {
		s = next_item(s, item, sizeof(item));
		if (!item[0])
			return ls_error_set(err, "[display] hours: empty entry between commas; use "
						 "e.g. mon-fri 07:00-17:30, sat 07:30-11:30");
		if (h->n == LS_HOURS_MAX)
			return ls_error_set(err, "[display] hours: more than %d spans",
					    LS_HOURS_MAX);
		if (parse_span(item, &h->spans[h->n], err))
			return -1;
		h->n++;
	}
	return 0;
}

static bool span_on(const struct ls_hours_span *s, int wday, int minute)
{
	int yesterday = (wday + 6) % 7;

	if (s->off_min > s->on_min)
		return (s->days & (1u << wday)) && minute >= s->on_min && minute < s->off_min;
	/* Crosses midnight: the evening part today, the morning part from yesterday's start. */
	return ((s->days & (1u << wday)) && minute >= s->on_min) ||
	       ((s->days & (1u << yesterday)) && minute < s->off_min);
}

bool ls_hours_on(const struct ls_hours *h, int wday, int minute)
{
	if (h->n == 0)
		return true;
	for (int i = 0; i < h->n; i++)
		if (span_on(&h->spans[i], wday, minute))
			return true;
	return false;
}

static int parse_step(const char *item, struct ls_brightness_step *st, struct ls_error *err)
{
	const char *p = parse_time(item, &st->at_min);
	char *end;
	long v;

	if (!p || (*p != ' ' && *p != '\t') || st->at_min == 24 * 60)
		return ls_error_set(err,
				    "[display] brightness: '%s': expected HH:MM then a percentage; "
				    "use e.g. 07:00 100, 18:00 30 (time, then percent 0..100)",
				    item);
	p = skip_space(p);
	v = strtol(p, &end, 10);
	if (end == p || (*end && strcmp(end, "%")) || v < 0 || v > 100)
		return ls_error_set(err,
				    "[display] brightness: '%s': '%s' is not a percentage 0..100; "
				    "use e.g. 07:00 100, 18:00 30 (time, then percent 0..100)",
				    item, p);
	st->percent = (int)v;
	return 0;
}

int ls_brightness_parse(const char *s, struct ls_brightness *b, struct ls_error *err)
{
	char item[64];

	b->n = 0;
	if (!*skip_space(s))
		return 0;
	while (s) {
		struct ls_brightness_step st;

		s = next_item(s, item, sizeof(item));
		if (!item[0])
			return ls_error_set(err,
					    "[display] brightness: empty entry between commas; "
					    "use e.g. 07:00 100, 18:00 30 (time, then percent "
					    "0..100)");
		if (b->n == LS_BRIGHTNESS_MAX)
			return ls_error_set(err, "[display] brightness: more than %d entries",
					    LS_BRIGHTNESS_MAX);
		if (parse_step(item, &st, err))
			return -1;
		if (b->n && st.at_min <= b->steps[b->n - 1].at_min)
			return ls_error_set(
			    err, "[display] brightness: '%s': times must increase through the day",
			    item);
		b->steps[b->n++] = st;
	}
	return 0;
}

int ls_brightness_at(const struct ls_brightness *b, int minute, int dflt)
{
	int percent;

	if (b->n == 0)
		return dflt;
	percent = b->steps[b->n - 1].percent; /* before the first step: last night's */
	for (int i = 0; i < b->n && b->steps[i].at_min <= minute; i++)
		percent = b->steps[i].percent;
	return percent;
}

struct ls_display ls_display_at(const struct ls_hours *h, const struct ls_brightness *b, int dflt,
				bool wall_valid, int wday, int minute)
{
	if (!wall_valid)
		return (struct ls_display){true, dflt};
	return (struct ls_display){ls_hours_on(h, wday, minute), ls_brightness_at(b, minute, dflt)};
}
