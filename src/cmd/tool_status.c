/*
 * ledsign status: what the running service shows now, read from the JSON
 * status file it keeps (status.h): the current item, since when and why,
 * what is wrong with its text, each zone, the output's refresh rate and
 * brightness, each feed's age and last error, and the plays counted today
 * (the board's local day) and since the service started.
 *
 *   ledsign status [-c CONFIG] [--file STATUS.json]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/status.h"
#include "ledsign/tool.h"

#define DEFAULT_CONFIG "/etc/ledsign/ledsign.conf"

static double num(const cJSON *o, const char *key)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

static const char *str(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : dflt;
}

/* "1h 02m", "3m 20s" or "12s". */
static const char *span(double seconds, char *buf, size_t n)
{
	long s = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (s >= 3600)
		snprintf(buf, n, "%ldh %02ldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(buf, n, "%ldm %02lds", s / 60, s % 60);
	else
		snprintf(buf, n, "%lds", s);
	return buf;
}

static const char *board_tz = "Asia/Ho_Chi_Minh"; /* from the config when one is read */

static const char *clock_time(double unix_s, char *buf, size_t n)
{
	struct tm tm;

	ls_localtime(board_tz, (int64_t)unix_s, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

/* Why o's item plays, in the reader's language: the status file keeps the
 * scheduler's English sentence (ls_schedule_reason()), a message of the
 * catalogue. */
static const char *reason_of(const cJSON *o)
{
	const char *r = str(o, "reason", NULL);

	return r && *r ? _(r) : "?";
}

/* Each zone of a board split into zones: what it shows, why, what is wrong. */
static void print_zones(const cJSON *doc)
{
	const cJSON *zones = cJSON_GetObjectItem(doc, "zones"), *z;
	char a[32];

	if (cJSON_GetArraySize(zones) < 2)
		return;
	cJSON_ArrayForEach(z, zones)
	{
		const char *id = str(z, "id", NULL), *problem = str(z, "problem", "");

		if (id)
			printf(_("zone      %-10s %s for %s (%s)\n"), str(z, "name", "?"), id,
			       span(num(z, "seconds"), a, sizeof(a)), reason_of(z));
		else
			printf(_("zone      %-10s nothing (%s)\n"), str(z, "name", "?"),
			       reason_of(z));
		if (*problem)
			printf(_("          text problem: %s\n"), problem);
	}
}

static void print_now(const cJSON *doc, double age)
{
	const cJSON *cur = cJSON_GetObjectItem(doc, "current"),
		    *out = cJSON_GetObjectItem(doc, "output");
	const char *reason = str(doc, "reason", NULL), *problem = str(cur, "problem", "");
	double now = num(doc, "time");
	char a[32], b[32];

	printf(_("board     %s\n"), str(doc, "board", "?"));
	if (cJSON_IsObject(cur))
		printf(_("showing   %s for %s (since %s)\n"), str(cur, "id", "?"),
		       span(num(cur, "seconds"), a, sizeof(a)),
		       clock_time(now - num(cur, "seconds"), b, sizeof(b)));
	else
		printf(_("showing   nothing\n"));
	if (reason && *reason) /* gettext("") would be the catalogue's header */
		printf(_("why       %s\n"), _(reason));
	if (*problem)
		printf(_("problem   %s\n"), problem);
	print_zones(doc);
	if (cJSON_IsObject(out))
		printf(cJSON_IsFalse(cJSON_GetObjectItem(out, "lit"))
			   ? _("output    %s, refresh %.0f Hz, brightness %.0f%%, dark (outside "
			       "display hours)\n")
			   : _("output    %s, refresh %.0f Hz, brightness %.0f%%\n"),
		       str(out, "type", "?"), num(out, "refresh_hz"), num(out, "brightness"));
	printf(age > LS_STATUS_STALE_S
		   ? _("service   up %s, status written %s ago (stale: is ledsignd "
		       "running?)\n")
		   : _("service   up %s, status written %s ago\n"),
	       span(num(doc, "uptime_s"), a, sizeof(a)), span(age, b, sizeof(b)));
}

/* Which layer the feed is, the keys it trusts and the one that signed what it shows. */
static void print_feed_keys(const cJSON *f)
{
	const cJSON *keys = cJSON_GetObjectItem(f, "keys"), *k;
	char list[128] = "";
	size_t used = 0;

	cJSON_ArrayForEach(k, keys)
	{
		if (cJSON_IsString(k) && used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", k->valuestring);
	}
	if (!*str(f, "layer", ""))
		return;
	if (!used)
		printf(_("          layer %s, unsigned (no [feed] pubkey)\n"), str(f, "layer", ""));
	else if (*str(f, "signed_by", ""))
		printf(_("          layer %s, trusts key %s, shown version signed by %s\n"),
		       str(f, "layer", ""), list, str(f, "signed_by", ""));
	else
		printf(_("          layer %s, trusts key %s\n"), str(f, "layer", ""), list);
}

/* Whether the feed has content, its age and the last check, as one sentence. */
static void print_feed_state(const cJSON *doc, const cJSON *f)
{
	bool content = cJSON_IsTrue(cJSON_GetObjectItem(f, "has_content"));
	char a[32], b[32];

	span(num(f, "age_s"), a, sizeof(a));
	if (num(f, "checked_at") <= 0)
		printf(content ? _("          playing, content age %s, never checked, %.0f polls, "
				   "%.0f failures\n")
			       : _("          NO CONTENT, content age %s, never checked, %.0f "
				   "polls, %.0f failures\n"),
		       a, num(f, "polls"), num(f, "failures"));
	else
		printf(content ? _("          playing, content age %s, checked %s ago, %.0f polls, "
				   "%.0f failures\n")
			       : _("          NO CONTENT, content age %s, checked %s ago, %.0f "
				   "polls, %.0f failures\n"),
		       a, span(num(doc, "time") - num(f, "checked_at"), b, sizeof(b)),
		       num(f, "polls"), num(f, "failures"));
}

static void print_feeds(const cJSON *doc)
{
	const cJSON *feeds = cJSON_GetObjectItem(doc, "feeds"), *f;
	int i = 0;

	cJSON_ArrayForEach(f, feeds)
	{
		const char *err = str(f, "error", "");

		printf(_("feed %d    %s\n"), ++i, str(f, "url", "?"));
		print_feed_state(doc, f);
		if (*err)
			printf(_("          last error: %s\n"), err);
		print_feed_keys(f);
		if (num(f, "ignored_keys") > 0)
			printf(_("          ignored %.0f key(s) it does not know: %s\n"),
			       num(f, "ignored_keys"), str(f, "ignored", ""));
	}
	if (!i)
		printf(_("feeds     none configured\n"));
}

/* The push channel: up or down since when, the last push. */
static void print_push(const cJSON *doc)
{
	const cJSON *p = cJSON_GetObjectItem(doc, "push");
	bool up = cJSON_IsTrue(cJSON_GetObjectItem(p, "connected"));
	char a[32], b[32];

	if (!cJSON_IsObject(p)) {
		printf(_("push      none configured (polling only)\n"));
		return;
	}
	if (num(p, "since") > 0)
		printf(up ? _("push      %s, connected since %s\n")
			  : _("push      %s, DOWN since %s\n"),
		       str(p, "url", "?"), clock_time(num(p, "since"), a, sizeof(a)));
	else
		printf(up ? _("push      %s, connected\n") : _("push      %s, DOWN\n"),
		       str(p, "url", "?"));
	if (num(p, "last_push_at") > 0)
		printf(_("          last push %s, %.0f fetched, %.0f ignored\n"),
		       clock_time(num(p, "last_push_at"), b, sizeof(b)), num(p, "pushes"),
		       num(p, "ignored"));
	else
		printf(_("          last push never, %.0f fetched, %.0f ignored\n"),
		       num(p, "pushes"), num(p, "ignored"));
	if (!up && *str(p, "error", ""))
		printf(_("          why: %s (the board polls meanwhile)\n"), str(p, "error", ""));
}

/* Plays and airtime per item: today (the board's local day) and since the
 * service started. Older status files have no today columns. */
static void print_plays(const cJSON *doc)
{
	const cJSON *items = cJSON_GetObjectItem(doc, "items"), *it;
	const cJSON *today = cJSON_GetObjectItem(doc, "today");
	char a[32], b[32], since[32];

	/* The heading over the columns of the rows below: today's local date, or
	 * why there is none, and the service's start. */
	clock_time(num(doc, "since"), since, sizeof(since));
	if (cJSON_IsString(today))
		printf(_("plays                              today %-16s since %s\n"),
		       cJSON_GetStringValue(today), since);
	else if (cJSON_IsNull(today))
		printf(_("plays                              today (clock not synchronised) since "
			 "%s\n"),
		       since);
	else
		printf(_("plays                              today (not reported)   since %s\n"),
		       since);
	cJSON_ArrayForEach(it, items)
	{
		printf(_("  %-32s %5.0f plays %8s   %5.0f plays %8s\n"), str(it, "id", "?"),
		       num(it, "plays_today"), span(num(it, "seconds_today"), a, sizeof(a)),
		       num(it, "plays"), span(num(it, "seconds"), b, sizeof(b)));
	}
}

static void status_usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsign status [-c CONFIG] [--file STATUS.json]\n"
		  "  -c, --config FILE   the board's config, which names the status file (default "
		  "%s)\n"
		  "      --file FILE     read this status file instead\n"
		  "Prints what the service shows now and why, each zone, the output, each feed's "
		  "age\n"
		  "and last error, and the plays counted today and since the service started.\n"),
		DEFAULT_CONFIG);
}

int tool_status(int argc, char **argv)
{
	static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
						 {"file", required_argument, NULL, 'f'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *config = DEFAULT_CONFIG, *file = NULL;
	static struct ls_config cfg;
	struct ls_error err;
	int64_t mtime = 0;
	cJSON *doc;
	int ch;

	while ((ch = tool_getopt(argc, argv, "c:f:h", longopts, status_usage)) != -1) {
		if (ch == 'c')
			config = optarg;
		else if (ch == 'f')
			file = optarg;
	}
	if (!file) {
		if (ls_config_load(&cfg, config, &err)) {
			fprintf(stderr, _("ledsign status: %s\n"), err.msg);
			return 1;
		}
		file = cfg.feed.status_file;
		board_tz = cfg.board.timezone;
	}
	doc = ls_status_read(file, &mtime, &err);
	if (!doc) {
		fprintf(stderr, _("ledsign status: %s\n"), err.msg);
		return 1;
	}
	print_now(doc, difftime(time(NULL), (time_t)mtime));
	print_feeds(doc);
	print_push(doc);
	print_plays(doc);
	cJSON_Delete(doc);
	return 0;
}
