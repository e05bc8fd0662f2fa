/*
 * log.c: OpenBSD-style log_* functions over stderr. Under systemd (JOURNAL_STREAM
 * set) each line starts with a <priority> prefix the journal understands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/log.h"

static bool verbose_log;
static bool journal;

void log_init(bool verbose)
{
	verbose_log = verbose;
	journal = getenv("JOURNAL_STREAM") != NULL;
}

static void vlog(int prio, const char *fmt, va_list ap, const char *suffix)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (journal)
		fprintf(stderr, "<%d>%s%s%s\n", prio, line, suffix ? ": " : "", suffix ? suffix : "");
	else
		fprintf(stderr, "ledsign: %s%s%s\n", line, suffix ? ": " : "", suffix ? suffix : "");
}

void log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(4, fmt, ap, e);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(4, fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(6, fmt, ap, NULL);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_log)
		return;
	va_start(ap, fmt);
	vlog(7, fmt, ap, NULL);
	va_end(ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(3, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
