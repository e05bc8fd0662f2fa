/*
 * tool_opt.c: the tool's option parsing and dying, shared by every
 * subcommand so that a malformed number is refused the same way everywhere.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/number.h"
#include "ledsign/tool.h"

const char *tool_cmd = "";

static void vsay(const char *fmt, va_list ap, const char *tail)
{
	fprintf(stderr, _("ledsign%s%s: "), tool_cmd[0] ? " " : "", tool_cmd);
	vfprintf(stderr, _(fmt), ap);
	if (tail)
		fprintf(stderr, ": %s", tail);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void die_perror(const char *fmt, ...)
{
	const char *why = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap, why);
	va_end(ap);
	exit(1);
}

void tool_usage_error(tool_usage_fn usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap, NULL);
	va_end(ap);
	if (usage)
		usage(stderr);
	exit(2);
}

void tool_usage_exit(tool_usage_fn usage)
{
	usage(stderr);
	exit(2);
}

int tool_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
		tool_usage_fn usage)
{
	int ch = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (ch == 'h') {
		usage(stdout);
		exit(0);
	}
	if (ch == '?' || ch == ':') {
		usage(stderr);
		exit(2);
	}
	return ch;
}

/* Refuses a malformed or out-of-range number: the unit (a noun the caller
 * marked with N_(), translated here) and the range, in whole sentences. */
static void bad_number(const char *opt, const char *arg, bool malformed, bool whole, double min,
		       double max, const char *unit)
{
	if (malformed && whole)
		tool_usage_error(NULL, "%s '%s': not a whole number of %s; use %g..%g, digits only",
				 opt, arg, _(unit), min, max);
	if (malformed)
		tool_usage_error(NULL, "%s '%s': not a number of %s; use %g..%g, digits only", opt,
				 arg, _(unit), min, max);
	tool_usage_error(NULL, "%s '%s': out of range; use %g..%g %s", opt, arg, min, max, _(unit));
}

int tool_opt_int(const char *opt, const char *arg, int min, int max, const char *unit)
{
	long v = 0;
	enum ls_number_verdict r = ls_number_int(arg, min, max, &v);

	if (r != LS_NUMBER_OK)
		bad_number(opt, arg, r == LS_NUMBER_MALFORMED, true, min, max, unit);
	return (int)v;
}

double tool_opt_number(const char *opt, const char *arg, double min, double max, const char *unit)
{
	double v = 0;
	enum ls_number_verdict r = ls_number_real(arg, min, max, &v);

	if (r != LS_NUMBER_OK)
		bad_number(opt, arg, r == LS_NUMBER_MALFORMED, false, min, max, unit);
	return v;
}

void *tool_need(void *p)
{
	if (!p)
		die("out of memory");
	return p;
}

void tool_need_board(const char *spec, const char *tags, struct ls_config *cfg)
{
	struct ls_error err;

	if (ls_config_board(cfg, spec, &err))
		die("%s", err.msg);
	if (tags && ls_board_set_tags(&cfg->board, tags, &err))
		tool_usage_error(NULL, "%s", err.msg);
}

int64_t tool_need_time(const char *at, const struct ls_config *cfg)
{
	struct ls_error err;
	struct ls_now now;
	int64_t wall;

	if (!at) {
		ls_now_sample(cfg->board.timezone, &now);
		return now.wall_s;
	}
	if (ls_time_parse_when(at, false, cfg->board.timezone, &wall, &err))
		tool_usage_error(NULL, "--at %s", err.msg);
	return wall;
}
