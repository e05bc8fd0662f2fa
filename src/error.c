/*
 * error.c: the one place error messages are formatted, so every layer can
 * add its context ("file:line: ...") without juggling buffers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ledsign/error.h"

int ls_error_set(struct ls_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
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
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}
