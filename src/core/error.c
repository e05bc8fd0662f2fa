/*
 * error.c: the one place error messages are formatted, so every layer can
 * add its context ("file:line: ...") without juggling buffers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ledsign/error.h"

/* Set once by main() before any thread starts (ls_i18n_init()), read after;
 * so is plural_translator. */
static const char *(*translator)(const char *msgid);

void ls_set_translator(const char *(*fn)(const char *msgid))
{
	translator = fn;
}

const char *ls_tr(const char *msgid)
{
	return translator && msgid && msgid[0] ? translator(msgid) : msgid;
}

static const char *(*plural_translator)(const char *one, const char *many, unsigned long n);

void ls_set_plural_translator(const char *(*fn)(const char *one, const char *many, unsigned long n))
{
	plural_translator = fn;
}

const char *ls_ntr(const char *one, const char *many, unsigned long n)
{
	if (plural_translator)
		return plural_translator(one, many, n);
	return n == 1 ? one : many;
}

int ls_error_set(struct ls_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(err->msg, sizeof(err->msg), ls_tr(fmt), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return -1;
}

int ls_error_prefix(struct ls_error *err, const char *fmt, ...)
{
	char prefix[LS_ERROR_MAX], old[LS_ERROR_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(prefix, sizeof(prefix), ls_tr(fmt), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is acceptable: the message is for people, and stays terminated. */
	size_t n = strnlen(prefix, sizeof(err->msg) - 3);
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	size_t m = strnlen(old, sizeof(err->msg) - n - 1);
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
	return -1;
}
