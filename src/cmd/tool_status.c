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

		printf(_("zone      %-10s %s%s%s (%s)\n"), str(z, "name", "?"), id ? id : "nothing",
		       id ? " for " : "", id ? span(num(z, "seconds"), a, sizeof(a)) : "",
		       str(z, "reason", "?"));
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
	if (reason)
		printf(_("why       %s\n"), reason);
	if (*problem)
		printf(_("problem   %s\n"), problem);
	print_zones(doc);
	if (cJSON_IsObject(out))
		printf(_("output    %s, refresh %.0f Hz, brightness %.0f%%%s\n"),
		       str(out, "type", "?"), num(out, "refresh_hz"), num(out, "brightness"),
		       cJSON_IsFalse(cJSON_GetObjectItem(out, "lit"))
			   ? ", dark (outside display hours)"
			   : "");
	printf(_("service   up %s, status written %s ago%s\n"),
	       span(num(doc, "uptime_s"), a, sizeof(a)), span(age, b, sizeof(b)),
	       age > 120 ? " (stale: is ledsignd running?)" : "");
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

static void print_feeds(const cJSON *doc)
{
	const cJSON *feeds = cJSON_GetObjectItem(doc, "feeds"), *f;
	char a[32], b[32];
	int i = 0;

	cJSON_ArrayForEach(f, feeds)
	{
		const char *err = str(f, "error", "");

		printf(_("feed %d    %s\n          %s, content age %s, checked %s ago, %.0f polls, "
			 "%.0f failures%s%s\n"),
		       ++i, str(f, "url", "?"),
		       cJSON_IsTrue(cJSON_GetObjectItem(f, "has_content")) ? "playing"
									   : "NO CONTENT",
		       span(num(f, "age_s"), a, sizeof(a)),
		       num(f, "checked_at") > 0
			   ? span(num(doc, "time") - num(f, "checked_at"), b, sizeof(b))
			   : "never",
		       num(f, "polls"), num(f, "failures"), *err ? "\n          last error: " : "",
		       err);
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
	printf(_("push      %s, %s%s%s\n          last push %s, %.0f fetched, %.0f ignored\n"),
	       str(p, "url", "?"), up ? "connected" : "DOWN", num(p, "since") > 0 ? " since " : "",
	       num(p, "since") > 0 ? clock_time(num(p, "since"), a, sizeof(a)) : "",
	       num(p, "last_push_at") > 0 ? clock_time(num(p, "last_push_at"), b, sizeof(b))
					  : "never",
	       num(p, "pushes"), num(p, "ignored"));
	if (!up && *str(p, "error", ""))
		printf(_("          why: %s (the board polls meanwhile)\n"), str(p, "error", ""));
}

/* The board's local date of today's counts, or why there is none. */
static const char *today_label(const cJSON *doc)
{
	const cJSON *today = cJSON_GetObjectItem(doc, "today");

	if (cJSON_IsString(today))
		return cJSON_GetStringValue(today);
	return cJSON_IsNull(today) ? "(clock not synchronised)" : "(not reported)";
}

/* Plays and airtime per item: today (the board's local day) and since the
 * service started. Older status files have no today columns. */
static void print_plays(const cJSON *doc)
{
	const cJSON *items = cJSON_GetObjectItem(doc, "items"), *it;
	char a[32], b[32], since[32], head[48];

	clock_time(num(doc, "since"), since, sizeof(since));
	snprintf(head, sizeof(head), "today %s", today_label(doc));
	printf(_("%-35s%-22s since %s\n"), "plays", head, since); /* a long label keeps a space */
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
