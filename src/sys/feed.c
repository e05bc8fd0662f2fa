/*
 * feed.c: polling the configured feed URLs through the network loop, checking
 * what arrives, and keeping each layer's last good version (in memory and in
 * the cache) until a better one is accepted.
 *
 * Each feed is a small state machine: idle until its poll is due, then a
 * conditional GET of the body, then (with keys configured and a new body) a
 * GET of FILE.minisig, then the checks. Transfer callbacks only record that a
 * transfer ended; ls_feeds_tick() does the work with the time it is given.
 */
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "ledsign/cache.h"
#include "ledsign/feed.h"
#include "ledsign/fetch.h"

enum stage { STAGE_IDLE, STAGE_BODY, STAGE_SIG };

/* One response being received, bounded by max. */
struct rx {
	char *buf;
	size_t len, max;
	int too_big;
	char etag[LS_FEED_ETAG_MAX];
	char last_modified[LS_FEED_ETAG_MAX];
};

struct feed {
	struct ls_feeds *owner;
	int layer;
	char url[LS_URL_MAX + PATH_MAX];
	char sig_url[LS_URL_MAX + PATH_MAX + 8];
	CURL *easy;
	struct curl_slist *headers;
	char curl_err[CURL_ERROR_SIZE];
	enum stage stage;
	int done;
	CURLcode rc;
	struct rx rx;
	char *new_body; /* between the body and the signature transfer */
	size_t new_len;
	char new_etag[LS_FEED_ETAG_MAX], new_last_modified[LS_FEED_ETAG_MAX];

	/* The accepted version. */
	char *body, *sig;
	size_t body_len, sig_len;
	char etag[LS_FEED_ETAG_MAX], last_modified[LS_FEED_ETAG_MAX];
	int64_t timestamp, last_ts, accepted_at;

	/* Schedule and health. */
	int64_t next_ms, checked_at;
	int failures;
	unsigned long polls, not_modified;
	char error[LS_ERROR_MAX];
};

struct ls_feeds {
	struct ls_net *net;
	struct feed feeds[LS_MAX_FEEDS];
	int n;
	struct ls_pubkey keys[LS_MAX_PUBKEYS];
	int n_keys;
	char cache_dir[PATH_MAX];
	char token[256];
	char ca_file[PATH_MAX];
	long max_bytes;
	int connect_timeout_s, timeout_s;
	struct ls_feeds_timing timing;
	ls_feed_event_fn on_event;
	void *user;
	int changed;
};

/* ---- pure parts ---- */

int64_t ls_backoff_ms(int failures, int64_t base_ms, int64_t cap_ms, uint32_t rnd)
{
	int64_t d = base_ms;

	if (failures < 1)
		failures = 1;
	for (int i = 1; i < failures && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	return d / 2 + (int64_t)(rnd % (uint64_t)(d - d / 2 + 1));
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int ls_http_header_split(const char *line, size_t len, char *name, size_t name_n, char *value,
			 size_t value_n)
{
	const char *colon, *v, *end = line + len;
	size_t nl;

	while (end > line && is_space(end[-1]))
		end--;
	if (end == line || (len >= 5 && !strncmp(line, "HTTP/", 5)))
		return 0;
	colon = memchr(line, ':', (size_t)(end - line));
	if (!colon || colon == line)
		return -1;
	nl = (size_t)(colon - line);
	for (size_t i = 0; i < nl; i++)
		if (is_space(line[i]) || (unsigned char)line[i] < 33 ||
		    (unsigned char)line[i] > 126)
			return -1;
	for (v = colon + 1; v < end && is_space(*v); v++)
		;
	if (nl >= name_n || (size_t)(end - v) >= value_n)
		return -1;
	memcpy(name, line, nl);
	name[nl] = '\0';
	memcpy(value, v, (size_t)(end - v));
	value[end - v] = '\0';
	return 1;
}

void ls_url_file_name(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://"), *end, *slash;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "?#");
	slash = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			slash = q;
	if (!slash || n == 0) {
		if (n)
			out[0] = '\0';
		return;
	}
	snprintf(out, n, "%.*s", (int)(end - slash - 1), slash + 1);
}

static int sig_accept(const struct ls_pubkey *keys, int n_keys, const char *url, const char *body,
		      size_t len, const char *sig, size_t sig_len, int64_t last_ts, int64_t *ts,
		      struct ls_error *err)
{
	struct ls_sig_info *info;
	char file[LS_SIG_FILE_MAX + 1]; /* one more: a longer URL name can never match */
	int r = -1;

	if (!sig)
		return ls_error_set(err, "no signature (.minisig) and public keys are configured; "
					 "publish with `ledsign publish` or sign with minisign");
	info = malloc(sizeof(*info));
	if (!info)
		return ls_error_set(err, "out of memory");
	if (ls_sig_verify(keys, n_keys, body, len, sig, sig_len, info, err)) {
		ls_error_prefix(err, "signature refused");
		goto out;
	}
	ls_url_file_name(url, file, sizeof(file));
	if (!info->file[0]) {
		/* Without a name it could be served for any feed (another layer's file). */
		ls_error_set(err,
			     "signature refused: its trusted comment names no file (file:NAME); "
			     "sign with `ledsign sign`, `ledsign publish` or minisign -Sm FILE "
			     "without -t");
		goto out;
	}
	if (strcmp(info->file, file)) {
		ls_error_set(err,
			     "signature refused: it was made for '%s', not '%s'; sign this file",
			     info->file, file);
		goto out;
	}
	if (info->timestamp < 0) {
		ls_error_set(err, "signature refused: its trusted comment has no timestamp:N; sign "
				  "with `ledsign publish` or minisign without -t");
		goto out;
	}
	if (info->timestamp < last_ts) {
		ls_error_set(err,
			     "replay refused: signed at %lld, older than the version accepted "
			     "(signed at %lld); publish a newly signed playlist",
			     (long long)info->timestamp, (long long)last_ts);
		goto out;
	}
	*ts = info->timestamp;
	r = 0;
out:
	free(info);
	return r;
}

struct ls_playlist *ls_feed_check(const struct ls_pubkey *keys, int n_keys, const char *url,
				  const char *body, size_t len, const char *sig, size_t sig_len,
				  int64_t last_ts, int64_t *ts, struct ls_error *err)
{
	struct ls_playlist *pl;

	*ts = -1;
	if (n_keys > 0 && sig_accept(keys, n_keys, url, body, len, sig, sig_len, last_ts, ts, err))
		return NULL;
	pl = ls_playlist_parse(body, len, url, err);
	if (pl && ls_playlist_check_zones(pl, url, err)) {
		ls_playlist_free(pl); /* a mistyped zone would play in UTC, hours off */
		return NULL;
	}
	return pl;
}

int ls_layers_merge(struct ls_playlist *const *layers, int n, struct ls_playlist **out)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (layers[i])
			out[k++] = layers[i];
	return k;
}

/* ---- transfers ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct rx *rx = user;
	size_t n = size * nmemb;
	char *nb;

	if (n > rx->max - rx->len) {
		rx->too_big = 1;
		return 0; /* aborts the transfer now, whatever the server says it will send */
	}
	nb = realloc(rx->buf, rx->len + n + 1);
	if (!nb)
		return 0;
	rx->buf = nb;
	memcpy(rx->buf + rx->len, data, n);
	rx->len += n;
	rx->buf[rx->len] = '\0';
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct rx *rx = user;
	size_t n = size * nmemb;
	char name[64], value[LS_FEED_ETAG_MAX];
	int r = ls_http_header_split(data, n, name, sizeof(name), value, sizeof(value));

	if (r == 0 && n >= 5 && !strncmp(data, "HTTP/", 5))
		rx->etag[0] = rx->last_modified[0] = '\0'; /* a new response (after a redirect) */
	else if (r == 1 && !strcasecmp(name, "ETag"))
		snprintf(rx->etag, sizeof(rx->etag), "%s", value);
	else if (r == 1 && !strcasecmp(name, "Last-Modified"))
		snprintf(rx->last_modified, sizeof(rx->last_modified), "%s", value);
	return n;
}

static void rx_reset(struct rx *rx, size_t max)
{
	free(rx->buf);
	*rx = (struct rx){.max = max};
}

static void on_done(void *user, CURL *easy, CURLcode rc)
{
	struct feed *fd = user;

	(void)easy;
	fd->done = 1;
	fd->rc = rc;
}

static void easy_common(struct ls_feeds *f, struct feed *fd, size_t max)
{
	CURL *c = fd->easy;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &fd->rx);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &fd->rx);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, fd->curl_err);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	ls_net_policy(c, &(struct ls_net_policy){fd->url, f->token, f->ca_file,
						 f->connect_timeout_s, f->timeout_s});
	fd->curl_err[0] = '\0';
	rx_reset(&fd->rx, max);
}

static int start_body(struct ls_feeds *f, struct feed *fd)
{
	char h[LS_FEED_ETAG_MAX + 32];

	easy_common(f, fd, (size_t)f->max_bytes);
	curl_slist_free_all(fd->headers);
	fd->headers = NULL;
	if (fd->body && fd->etag[0]) {
		snprintf(h, sizeof(h), "If-None-Match: %s", fd->etag);
		fd->headers = curl_slist_append(fd->headers, h);
	}
	if (fd->body && fd->last_modified[0]) {
		snprintf(h, sizeof(h), "If-Modified-Since: %s", fd->last_modified);
		fd->headers = curl_slist_append(fd->headers, h);
	}
	curl_easy_setopt(fd->easy, CURLOPT_HTTPHEADER, fd->headers);
	curl_easy_setopt(fd->easy, CURLOPT_URL, fd->url);
	fd->stage = STAGE_BODY;
	fd->done = 0;
	return ls_net_add(f->net, fd->easy, on_done, fd);
}

static int start_sig(struct ls_feeds *f, struct feed *fd)
{
	easy_common(f, fd, LS_SIG_MAX_BYTES);
	curl_easy_setopt(fd->easy, CURLOPT_URL, fd->sig_url);
	fd->stage = STAGE_SIG;
	fd->done = 0;
	return ls_net_add(f->net, fd->easy, on_done, fd);
}

/* ---- outcomes ---- */

static void emit(struct ls_feeds *f, struct feed *fd, enum ls_feed_event_kind kind, const char *msg)
{
	struct ls_feed_event ev = {kind, fd->layer, fd->url, msg};

	if (f->on_event)
		f->on_event(f->user, &ev);
}

static void drop_pending(struct feed *fd)
{
	free(fd->new_body);
	fd->new_body = NULL;
	fd->new_len = 0;
	rx_reset(&fd->rx, 0);
}

static void poll_ended(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	fd->stage = STAGE_IDLE;
	fd->polls++;
	fd->checked_at = wall_s;
	if (fd->failures)
		fd->next_ms =
		    now_ms + ls_backoff_ms(fd->failures, f->timing.backoff_base_ms,
					   f->timing.backoff_cap_ms, randombytes_random());
	else
		fd->next_ms = now_ms + f->timing.poll_ms;
	drop_pending(fd);
}

static void fail(struct ls_feeds *f, struct feed *fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct ls_feeds *f, struct feed *fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fd->error, sizeof(fd->error), fmt, ap);
	va_end(ap);
	fd->failures++;
	emit(f, fd, LS_FEED_FAILED, fd->error);
}

static void succeed(struct feed *fd)
{
	fd->failures = 0;
	fd->error[0] = '\0';
}

/* Says why a finished transfer did not deliver a usable response, or NULL. */
static const char *transfer_error(struct feed *fd, const char *what, long status, char *buf,
				  size_t n)
{
	if (fd->rx.too_big || fd->rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(buf, n, "%s larger than %zu bytes; raise [feed] max_bytes or shrink it",
			 what, fd->rx.max);
	else if (fd->rc != CURLE_OK)
		snprintf(buf, n, "%s: %s%s%s", what, curl_easy_strerror(fd->rc),
			 fd->curl_err[0] ? ": " : "", fd->curl_err);
	else if (status == 401 || status == 403)
		snprintf(buf, n, "%s: the server answered HTTP %ld; check [feed] token", what,
			 status);
	else if (status != 0 && status != 200 && status != 304)
		snprintf(buf, n, "%s: the server answered HTTP %ld", what, status);
	else
		return NULL;
	return buf;
}

static void store(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_cache_entry e = {
	    .etag = fd->etag,
	    .last_modified = fd->last_modified,
	    .timestamp = fd->timestamp,
	    .stored_at = wall_s,
	    .body = (uint8_t *)fd->body,
	    .body_len = fd->body_len,
	    .sig = fd->sig,
	    .sig_len = fd->sig_len,
	};
	struct ls_error err;
	char msg[LS_ERROR_MAX + 64];

	if (!f->cache_dir[0] || !ls_cache_store(f->cache_dir, fd->url, &e, &err))
		return;
	snprintf(msg, sizeof(msg), "playing it, but not cached: %s", err.msg);
	emit(f, fd, LS_FEED_WARNING, msg);
}

/* Replaces the accepted version with the pending body and the signature in
 * rx (NULL sig when unsigned); the buffers change hands. */
static void adopt(struct ls_feeds *f, struct feed *fd, char *sig, size_t sig_len, int64_t ts,
		  int64_t wall_s)
{
	free(fd->body);
	free(fd->sig);
	fd->body = fd->new_body;
	fd->body_len = fd->new_len;
	fd->new_body = NULL;
	fd->sig = sig;
	fd->sig_len = sig_len;
	memcpy(fd->etag, fd->new_etag, sizeof(fd->etag));
	memcpy(fd->last_modified, fd->new_last_modified, sizeof(fd->last_modified));
	fd->timestamp = ts;
	if (ts > fd->last_ts)
		fd->last_ts = ts;
	fd->accepted_at = wall_s;
	store(f, fd, wall_s);
	f->changed = 1;
}

static void check_and_adopt(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_playlist *pl;
	struct ls_error err;
	char msg[256];
	int64_t ts;
	char *sig = f->n_keys ? fd->rx.buf : NULL;
	size_t sig_len = f->n_keys ? fd->rx.len : 0;

	pl = ls_feed_check(f->keys, f->n_keys, fd->url, fd->new_body, fd->new_len, sig, sig_len,
			   fd->last_ts, &ts, &err);
	if (!pl) {
		fail(f, fd, "%s", err.msg);
		return;
	}
	snprintf(msg, sizeof(msg), "%d items, %zu bytes, signed timestamp %lld", pl->n_items,
		 fd->new_len, (long long)ts);
	ls_playlist_free(pl);
	if (sig)
		fd->rx = (struct rx){0}; /* the buffer now belongs to the accepted version */
	adopt(f, fd, sig, sig_len, ts, wall_s);
	succeed(fd);
	emit(f, fd, LS_FEED_ACCEPTED, msg);
}

/* The same bytes came back under new validators (the file was touched or
 * re-uploaded): keep the new ones, or every later poll would be a full 200. */
static void revalidated(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	if (!strcmp(fd->etag, fd->rx.etag) && !strcmp(fd->last_modified, fd->rx.last_modified))
		return;
	memcpy(fd->etag, fd->rx.etag, sizeof(fd->etag));
	memcpy(fd->last_modified, fd->rx.last_modified, sizeof(fd->last_modified));
	store(f, fd, wall_s);
}

static void body_done(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	long status = 0;
	char buf[LS_ERROR_MAX];

	curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &status);
	if (transfer_error(fd, "body", status, buf, sizeof(buf))) {
		fail(f, fd, "%s", buf);
	} else if (status == 304 || (fd->body && fd->rx.len == fd->body_len &&
				     !memcmp(fd->rx.buf, fd->body, fd->rx.len))) {
		fd->not_modified++;
		succeed(fd);
		if (status != 304)
			revalidated(f, fd, wall_s);
		emit(f, fd, LS_FEED_UNCHANGED, status == 304 ? "304 Not Modified" : "same bytes");
	} else {
		fd->new_body = fd->rx.buf ? fd->rx.buf : calloc(1, 1);
		fd->new_len = fd->rx.len;
		memcpy(fd->new_etag, fd->rx.etag, sizeof(fd->new_etag));
		memcpy(fd->new_last_modified, fd->rx.last_modified, sizeof(fd->new_last_modified));
		fd->rx.buf = NULL;
		if (f->n_keys) {
			if (!start_sig(f, fd))
				return;
			fail(f, fd, "could not start the signature transfer");
		} else {
			fd->rx.len = 0;
			check_and_adopt(f, fd, wall_s);
		}
	}
	poll_ended(f, fd, now_ms, wall_s);
}

static void sig_done(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	long status = 0;
	char buf[LS_ERROR_MAX];

	curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &status);
	if (transfer_error(fd, "signature (.minisig)", status, buf, sizeof(buf)) ||
	    (status == 304 && snprintf(buf, sizeof(buf), "signature: unexpected 304")))
		fail(f, fd, "%s", buf);
	else
		check_and_adopt(f, fd, wall_s);
	poll_ended(f, fd, now_ms, wall_s);
}

/* ---- the feeds object ---- */

static int feed_init(struct ls_feeds *f, struct feed *fd, const char *value, const char *base,
		     struct ls_error *err)
{
	if (ls_url_resolve(value, base, fd->url, sizeof(fd->url), err))
		return -1;
	snprintf(fd->sig_url, sizeof(fd->sig_url), "%s.minisig", fd->url);
	fd->owner = f;
	fd->timestamp = fd->last_ts = -1;
	fd->easy = curl_easy_init();
	if (!fd->easy)
		return ls_error_set(err, "libcurl could not start");
	return 0;
}

static int keys_init(struct ls_feeds *f, const struct ls_config *cfg, struct ls_error *err)
{
	for (int i = 0; i < cfg->feed.n_pubkeys; i++) {
		const char *k = cfg->feed.pubkeys[i];
		if (ls_pubkey_parse(k, strlen(k), &f->keys[i], err))
			return ls_error_prefix(err, "%s: [feed] pubkey %d", cfg->path, i + 1);
	}
	f->n_keys = cfg->feed.n_pubkeys;
	return 0;
}

static void timing_init(struct ls_feeds *f, const struct ls_config *cfg,
			const struct ls_feeds_timing *t)
{
	f->timing.poll_ms = t && t->poll_ms ? t->poll_ms : (int64_t)cfg->feed.poll_s * 1000;
	f->timing.backoff_base_ms =
	    t && t->backoff_base_ms ? t->backoff_base_ms : LS_FEED_BACKOFF_BASE_MS;
	f->timing.backoff_cap_ms =
	    t && t->backoff_cap_ms ? t->backoff_cap_ms : LS_FEED_BACKOFF_CAP_MS;
	if (f->timing.backoff_cap_ms < f->timing.poll_ms && !(t && t->backoff_cap_ms))
		f->timing.backoff_cap_ms = f->timing.poll_ms;
}

struct ls_feeds *ls_feeds_new(const struct ls_config *cfg, struct ls_net *net,
			      const struct ls_feeds_timing *timing, ls_feed_event_fn on_event,
			      void *user, struct ls_error *err)
{
	struct ls_feeds *f = calloc(1, sizeof(*f));
	char path[PATH_MAX], base[PATH_MAX];

	if (!f) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	f->net = net;
	f->on_event = on_event;
	f->user = user;
	snprintf(f->cache_dir, sizeof(f->cache_dir), "%s", cfg->feed.cache_dir);
	snprintf(f->token, sizeof(f->token), "%s", cfg->feed.token);
	snprintf(f->ca_file, sizeof(f->ca_file), "%s", cfg->feed.ca_file);
	f->max_bytes = cfg->feed.max_bytes;
	f->connect_timeout_s = cfg->feed.connect_timeout_s;
	f->timeout_s = cfg->feed.timeout_s;
	timing_init(f, cfg, timing);
	if (keys_init(f, cfg, err))
		goto err_free;
	snprintf(path, sizeof(path), "%s", cfg->path);
	snprintf(base, sizeof(base), "%s", dirname(path));
	for (int i = 0; i < cfg->feed.n_urls; i++, f->n++) {
		f->feeds[i].layer = i;
		if (feed_init(f, &f->feeds[i], cfg->feed.urls[i], base, err)) {
			ls_error_prefix(err, "%s: [feed] url %d", cfg->path, i + 1);
			f->n++;
			goto err_free;
		}
	}
	return f;
err_free:
	ls_feeds_free(f);
	return NULL;
}

void ls_feeds_free(struct ls_feeds *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->n; i++) {
		struct feed *fd = &f->feeds[i];
		if (fd->easy) {
			if (fd->stage != STAGE_IDLE)
				ls_net_remove(f->net, fd->easy);
			curl_easy_cleanup(fd->easy);
		}
		curl_slist_free_all(fd->headers);
		drop_pending(fd);
		free(fd->body);
		free(fd->sig);
	}
	free(f);
}

static void load_one(struct ls_feeds *f, struct feed *fd)
{
	struct ls_cache_entry e;
	struct ls_playlist *pl;
	struct ls_error err;
	char msg[LS_ERROR_MAX + 64];
	int64_t ts;
	int r = ls_cache_load(f->cache_dir, fd->url, &e, &err);

	if (r == 1)
		return;
	if (r < 0) {
		snprintf(msg, sizeof(msg), "cache: %s", err.msg);
		emit(f, fd, LS_FEED_FAILED, msg);
		return;
	}
	pl = ls_feed_check(f->keys, f->n_keys, fd->url, (char *)e.body, e.body_len, e.sig,
			   e.sig_len, -1, &ts, &err);
	if (!pl) {
		snprintf(msg, sizeof(msg), "cached version refused: %s", err.msg);
		emit(f, fd, LS_FEED_FAILED, msg);
		ls_cache_entry_free(&e);
		return;
	}
	snprintf(msg, sizeof(msg), "%d items from the cache, signed timestamp %lld", pl->n_items,
		 (long long)ts);
	ls_playlist_free(pl);
	fd->body = (char *)e.body;
	fd->body_len = e.body_len;
	fd->sig = f->n_keys ? e.sig : NULL;
	fd->sig_len = f->n_keys ? e.sig_len : 0;
	if (!f->n_keys)
		free(e.sig);
	snprintf(fd->etag, sizeof(fd->etag), "%s", e.etag);
	snprintf(fd->last_modified, sizeof(fd->last_modified), "%s", e.last_modified);
	/* The floor for replays is the verified signature's timestamp: the record's
	 * own timestamp field is not signed, so it cannot be trusted to set it. */
	fd->timestamp = fd->last_ts = ts;
	fd->accepted_at = e.stored_at;
	free(e.url);
	free(e.etag);
	free(e.last_modified);
	f->changed = 1;
	emit(f, fd, LS_FEED_CACHED, msg);
}

int ls_feeds_load_cache(struct ls_feeds *f, int64_t wall_s)
{
	int n = 0;

	(void)wall_s;
	for (int i = 0; i < f->n; i++) {
		if (f->cache_dir[0])
			load_one(f, &f->feeds[i]);
		n += f->feeds[i].body != NULL;
	}
	return n;
}

int ls_feeds_tick(struct ls_feeds *f, int64_t now_mono_ms, int64_t wall_s)
{
	int changed;

	for (int i = 0; i < f->n; i++) {
		struct feed *fd = &f->feeds[i];

		if (fd->stage != STAGE_IDLE && fd->done) {
			fd->done = 0;
			if (fd->stage == STAGE_BODY)
				body_done(f, fd, now_mono_ms, wall_s);
			else
				sig_done(f, fd, now_mono_ms, wall_s);
		}
		if (fd->stage == STAGE_IDLE && now_mono_ms >= fd->next_ms && start_body(f, fd)) {
			fd->stage = STAGE_IDLE;
			fail(f, fd, "could not start a transfer (too many at once?)");
			fd->next_ms = now_mono_ms + f->timing.backoff_base_ms;
		}
	}
	changed = f->changed;
	f->changed = 0;
	return changed;
}

int64_t ls_feeds_timeout_ms(const struct ls_feeds *f, int64_t now_mono_ms)
{
	int64_t t = -1;

	for (int i = 0; i < f->n; i++) {
		const struct feed *fd = &f->feeds[i];
		int64_t d;

		if (fd->stage != STAGE_IDLE) {
			if (fd->done)
				return 0;
			continue;
		}
		d = fd->next_ms > now_mono_ms ? fd->next_ms - now_mono_ms : 0;
		if (t < 0 || d < t)
			t = d;
	}
	return t;
}

int ls_feeds_playlists(const struct ls_feeds *f, struct ls_playlist ***out)
{
	struct ls_playlist *layers[LS_MAX_FEEDS] = {0};
	struct ls_playlist **pls = calloc(LS_MAX_FEEDS, sizeof(*pls));

	if (!pls)
		return -1;
	for (int i = 0; i < f->n; i++) {
		const struct feed *fd = &f->feeds[i];
		if (fd->body)
			layers[i] = ls_playlist_parse(fd->body, fd->body_len, fd->url, NULL);
	}
	*out = pls;
	return ls_layers_merge(layers, f->n, pls);
}

int ls_feeds_count(const struct ls_feeds *f)
{
	return f->n;
}

void ls_feeds_state(const struct ls_feeds *f, int i, struct ls_feed_state *out)
{
	const struct feed *fd = &f->feeds[i];

	*out = (struct ls_feed_state){
	    .url = fd->url,
	    .has_content = fd->body != NULL,
	    .version = fd->timestamp,
	    .accepted_at = fd->accepted_at,
	    .checked_at = fd->checked_at,
	    .failures = fd->failures,
	    .error = fd->error,
	    .polls = fd->polls,
	    .not_modified = fd->not_modified,
	};
}
