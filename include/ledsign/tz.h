/*
 * Time zones as pure values (src/core/tz.c).
 */
#ifndef LEDSIGN_TZ_H
#define LEDSIGN_TZ_H

#include <stdbool.h>

#define LS_TZ_NAME_MAX 63 /* longest zone name accepted, in bytes */

/* Whether name has the form of an IANA zone name: segments of A-Z, a-z,
 * 0-9, '_', '+' and '-' joined by single '/' (no leading '/', no "." or
 * ".."), at most LS_TZ_NAME_MAX bytes; so it can only name a file under the
 * zone directory. Pure. */
bool ls_tz_name_valid(const char *name);

#endif
