/*
 * Logging for the programs (ledsignd, ledsign-hub), the one library module
 * that writes to stderr and exits (fatalx()): every other module returns
 * errors to its caller. One line per event on stderr, which systemd's
 * journal collects with the priority prefix.
 */
#ifndef LEDSIGN_LOG_H
#define LEDSIGN_LOG_H

#include <stdbool.h>

/* verbose enables log_debug(); when stderr goes to the journal, lines carry <N> priorities. */
void log_init(bool verbose);

/* For a person watching (ledsignd -d): each line starts with the time of
 * day to the millisecond, and never carries the journal's <N> prefix. */
void log_foreground(bool on);

void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
