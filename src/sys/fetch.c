/*
 * fetch.c: feed URLs as the config writes them, turned into URLs libcurl
 * accepts.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/fetch.h"

int ls_url_resolve(const char *value, const char *base_dir, char *out, size_t n,
		   struct ls_error *err)
{
	char joined[PATH_MAX * 2], real[PATH_MAX];
	int r;

	if (strstr(value, "://")) {
		r = snprintf(out, n, "%s", value);
	} else {
		if (value[0] == '/')
			snprintf(joined, sizeof(joined), "%s", value);
		else
			snprintf(joined, sizeof(joined), "%s/%s",
				 base_dir && *base_dir ? base_dir : ".", value);
		/* A file that is not there yet is not a config error: the feed layer
		 * reports it on each poll and the board plays its cache meanwhile. */
		if (!realpath(joined, real)) {
			char cwd[PATH_MAX];
			if (joined[0] != '/' && getcwd(cwd, sizeof(cwd)))
				snprintf(real, sizeof(real), "%.2000s/%.2000s", cwd, joined);
			else
				snprintf(real, sizeof(real), "%.4000s", joined);
		}
		r = snprintf(out, n, "file://%s", real);
	}
	if (r < 0 || (size_t)r >= n)
		return ls_error_set(err, "%s: URL too long", value);
	return 0;
}
