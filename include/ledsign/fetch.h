/*
 * Feed URLs: a config "url" value (a URL, or a path to a local playlist)
 * turned into the URL the feeds fetch.
 */
#ifndef LEDSIGN_FETCH_H
#define LEDSIGN_FETCH_H

#include <stddef.h>

#include "ledsign/error.h"

/* Turns a config "url" into a URL libcurl accepts: a value without a scheme is
 * a path, relative to base_dir when not absolute, and becomes file://...
 * (canonical when the file exists; a missing file is reported when fetched). */
int ls_url_resolve(const char *value, const char *base_dir, char *out, size_t n,
		   struct ls_error *err);

#endif
