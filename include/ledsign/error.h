/*
 * Errors the library hands back to its callers.
 *
 * Library functions never print and never exit: they return -1 or NULL and,
 * when the caller passed a struct ls_error, fill it with one line that says
 * what was wrong, where, and what to do, in the form
 *   "playlist.json:14:9: items[2].speed: -3 is not a speed; use 1..400 px/s".
 * Only main() and setup code turn an error into a message on stderr or an exit.
 */
#ifndef LEDSIGN_ERROR_H
#define LEDSIGN_ERROR_H

#include <stddef.h>

#define LS_ERROR_MAX 512

struct ls_error {
	char msg[LS_ERROR_MAX];
};

/* Formats msg into err (which may be NULL) and returns -1, so that
 * `return ls_error_set(err, ...)` reads as one step. */
int ls_error_set(struct ls_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes err's message with "prefix: " (e.g. a file name); returns -1. */
int ls_error_prefix(struct ls_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
