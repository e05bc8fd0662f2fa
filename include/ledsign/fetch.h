/*
 * One-shot, blocking fetch of a URL into memory with a size limit (libcurl).
 * Used where blocking is fine: the tool, and the service's first load of
 * local file:// playlists.
 */
#ifndef LEDSIGN_FETCH_H
#define LEDSIGN_FETCH_H

#include <stddef.h>

#include "ledsign/error.h"

/* Fetches url into a new NUL-terminated buffer (*buf, free with free()) of
 * *len bytes, refusing bodies over max_bytes; returns 0 or -1 with err. */
int ls_fetch_url(const char *url, size_t max_bytes, char **buf, size_t *len, struct ls_error *err);

/* Turns a config "url" into a URL libcurl accepts: a value without a scheme is
 * a path, relative to base_dir when not absolute, and becomes file://...
 * (canonical when the file exists; a missing file is reported when fetched). */
int ls_url_resolve(const char *value, const char *base_dir, char *out, size_t n, struct ls_error *err);

#endif
