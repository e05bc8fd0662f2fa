/*
 * Logging for the executables (never for the pure core): one line per event
 * on stderr, which systemd's journal collects with the priority prefix.
 */
#ifndef LEDSIGN_LOG_H
#define LEDSIGN_LOG_H

#include <stdbool.h>

/* verbose enables log_debug(); when stderr goes to the journal, lines carry <N> priorities. */
void log_init(bool verbose);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* appends strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
