/*
 * log.c: OpenBSD-style log_* functions over stderr. Under systemd (JOURNAL_STREAM
 * set) each line starts with a <priority> prefix the journal understands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ledsign/error.h"
#include "ledsign/log.h"

static bool verbose_log;
static bool journal;
static bool foreground;

void log_init(bool verbose)
{
	verbose_log = verbose;
	journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_foreground(bool on)
{
	foreground = on;
}

static void vlog(int prio, const char *fmt, va_list ap)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;

	/* log_debug() stays English: it is for the developers. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(line, sizeof(line), prio < 7 ? ls_tr(fmt) : fmt, ap);
#pragma GCC diagnostic pop
	if (foreground) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld ledsign: %s\n", tm.tm_hour, tm.tm_min,
			tm.tm_sec, (long)tv.tv_usec / 1000, line);
	} else if (journal) {
		fprintf(stderr, "<%d>%s\n", prio, line);
	} else {
		fprintf(stderr, "ledsign: %s\n", line);
	}
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(4, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(6, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_log)
		return;
	va_start(ap, fmt);
	vlog(7, fmt, ap);
	va_end(ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(3, fmt, ap);
	va_end(ap);
	exit(1);
}
