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

/* The translation of a message format (msgid), by the translator the program
 * installed (ls_i18n_init(): gettext); msgid itself when none is. The core's
 * formats go through it, so a whole sentence with its placeholders is
 * translated before the values are put in. */
const char *ls_tr(const char *msgid) __attribute__((format_arg(1)));
void ls_set_translator(const char *(*fn)(const char *msgid));

/* ls_tr() for a message about n things: the form of one (n == 1 in English)
 * or of many, as the reader's language counts (ngettext). */
const char *ls_ntr(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
void ls_set_plural_translator(const char *(*fn)(const char *one, const char *many,
						unsigned long n));

/* Marks a whole message format for the catalogue where it is not written
 * straight into ls_error_set() or ls_tr() (a table of messages); the code that
 * uses it passes it through ls_tr() then. */
#define LS_N_(s) s

#endif
