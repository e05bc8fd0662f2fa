/*
 * fetch.c: a bounded, blocking libcurl transfer into memory.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ledsign/fetch.h"

struct sink {
	char *buf;
	size_t len, max;
	int too_big;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
	struct sink *s = user;
	size_t n = size * nmemb;
	char *nb;

	if (s->len + n > s->max) {
		s->too_big = 1;
		return 0;
	}
	nb = realloc(s->buf, s->len + n + 1);
	if (!nb)
		return 0;
	s->buf = nb;
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

int ls_fetch_url(const char *url, size_t max_bytes, char **buf, size_t *len, struct ls_error *err)
{
	struct sink s = {.max = max_bytes};
	CURL *c = curl_easy_init();
	CURLcode rc;
	long status = 0;

	if (!c)
		return ls_error_set(err, "%s: libcurl could not start", url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		free(s.buf);
		return ls_error_set(err, "%s: larger than %zu bytes; raise [feed] max_bytes or shrink the playlist", url,
				    max_bytes);
	}
	if (rc != CURLE_OK) {
		free(s.buf);
		return ls_error_set(err, "%s: %s", url, curl_easy_strerror(rc));
	}
	if (status >= 400) {
		free(s.buf);
		return ls_error_set(err, "%s: the server answered HTTP %ld", url, status);
	}
	if (!s.buf)
		s.buf = calloc(1, 1);
	*buf = s.buf;
	*len = s.len;
	return 0;
}

int ls_url_resolve(const char *value, const char *base_dir, char *out, size_t n, struct ls_error *err)
{
	char joined[PATH_MAX * 2], real[PATH_MAX];
	int r;

	if (strstr(value, "://")) {
		r = snprintf(out, n, "%s", value);
	} else {
		if (value[0] == '/')
			snprintf(joined, sizeof(joined), "%s", value);
		else
			snprintf(joined, sizeof(joined), "%s/%s", base_dir && *base_dir ? base_dir : ".", value);
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
