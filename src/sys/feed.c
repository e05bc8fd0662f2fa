/*
 * feed.c: polling the configured feed URLs through the network loop, checking
 * what arrives, and keeping each layer's last good version (in memory and in
 * the cache) until a better one is accepted.
 *
 * Each feed is a small state machine: idle until its poll is due, then a
 * conditional GET of the body, then (with keys configured and a new body) a
 * GET of FILE.minisig, then the checks, then a GET of each picture the
 * verified playlist names that the board does not have yet. Transfer
 * callbacks only record that a transfer ended; ls_feeds_tick() does the work
 * with the time it is given.
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

#include "ledsign/atomic.h"
#include "ledsign/cache.h"
#include "ledsign/feed.h"
#include "ledsign/fetch.h"
#include "ledsign/libcurl.h"
#include "ledsign/picture.h"

#define FLOOR_MAGIC "ledsign-floor-1"

_Static_assert(LS_FEED_MAX_PICTURES <= LS_CACHE_MAX_PICTURES,
	       "a cache record keeps every picture a version names");

enum stage { STAGE_IDLE, STAGE_BODY, STAGE_SIG, STAGE_PIC };

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
	char name[LS_LAYER_NAME_MAX];	       /* for messages: "national", or "2" when unnamed */
	struct ls_pubkey keys[LS_MAX_PUBKEYS]; /* the keys this layer trusts */
	int n_keys;
	uint8_t signed_by[8];		   /* the key that signed the accepted version */
	char ignored[LS_FEED_IGNORED_MAX]; /* its keys this board does not know, "; "-joined */
	int n_ignored;
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

	/* A verified version waiting for its pictures: want[i] (data NULL until
	 * it arrives) is named by item want_item[i]; fetching is the next one. */
	struct ls_playlist *pend_pl;
	char *pend_sig;
	size_t pend_sig_len;
	struct ls_feed_floor pend_fl;
	struct ls_cache_picture want[LS_FEED_MAX_PICTURES];
	int want_item[LS_FEED_MAX_PICTURES];
	int n_want, fetching, n_fetched;
	char pic_url[LS_URL_MAX + PATH_MAX + 256];

	/* The accepted version, and the pictures it names (distinct hashes). */
	char *body, *sig;
	size_t body_len, sig_len;
	struct ls_cache_picture *pics;
	int n_pics;
	char etag[LS_FEED_ETAG_MAX], last_modified[LS_FEED_ETAG_MAX];
	int64_t timestamp, accepted_at;
	struct ls_feed_floor floor;	      /* the replay floor, also in the state directory */
	char from_url[LS_URL_MAX + PATH_MAX]; /* the version shown came from this URL (reload) */

	/* Schedule and health. */
	int sent_validators; /* the body request carried If-None-Match or If-Modified-Since */
	int no_cache;	     /* the next body request asks caches not to answer (after a bad 304) */
	int floor_warned;    /* the state file could not be written (said once) */
	unsigned long cache_writes;

	int64_t next_ms, checked_at; /* next_ms -1: the first poll is not scheduled yet */
	int failures;
	bool again; /* a push asked for a poll while one ran: poll once more at its end */
	unsigned long polls, not_modified;
	char error[LS_ERROR_MAX];
};

struct ls_feeds {
	struct ls_net *net;
	struct feed feeds[LS_MAX_FEEDS];
	int n;
	char cache_dir[PATH_MAX];
	char state_dir[PATH_MAX];
	char token[256];
	char ca_file[PATH_MAX];
	long max_bytes;
	int connect_timeout_s, timeout_s;
	struct ls_feeds_timing timing;
	ls_feed_event_fn on_event;
	void *user;
	int changed;
	int clock_synced; /* of the last tick */
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

int64_t ls_poll_jitter_ms(int64_t poll_ms, uint32_t rnd)
{
	int64_t span = poll_ms * LS_FEED_JITTER_PCT / 100;

	return poll_ms - span + (int64_t)(rnd % (uint64_t)(2 * span + 1));
}

void ls_feed_conditions(const char *etag, const char *last_modified, int64_t now, char *inm,
			char *ims, size_t n)
{
	time_t t = last_modified[0] ? curl_getdate(last_modified, NULL) : -1;

	inm[0] = ims[0] = '\0';
	if (etag[0])
		snprintf(inm, n, "If-None-Match: %s", etag);
	if (t >= 0 && (int64_t)t <= now)
		snprintf(ims, n, "If-Modified-Since: %s", last_modified);
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

/* The path of url without query or fragment: "/ha-noi/playlist.json" of
 * https://h/ha-noi/playlist.json?v=2, "/srv/x.json" of file:///srv/x.json. */
static const char *url_path(const char *url, size_t *n)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	p += strcspn(p, "/?#");
	*n = strcspn(p, "?#");
	return p;
}

/* Whether url's path ends in "/" + path, so the signature was made for the
 * place this URL serves. */
static int path_binds(const char *url, const char *path)
{
	size_t n, pl = strlen(path);
	const char *u = url_path(url, &n);

	return pl < n && u[n - pl - 1] == '/' && !memcmp(u + n - pl, path, pl);
}

static int key_configured(const struct ls_pubkey *keys, int n_keys, const uint8_t id[8])
{
	for (int i = 0; i < n_keys; i++)
		if (!memcmp(keys[i].id, id, 8))
			return 1;
	return 0;
}

/* The file and layer a signature names must be this URL's. */
static int sig_place(const char *url, const struct ls_sig_info *info, int cached,
		     struct ls_error *err)
{
	char file[LS_SIG_FILE_MAX + 1]; /* one more: a longer URL name can never match */
	size_t n;

	ls_url_file_name(url, file, sizeof(file));
	if (!info->file[0]) /* without a name it could be served for any feed */
		return ls_error_set(err, "signature refused: its trusted comment names no file "
					 "(file:NAME); sign with `ledsign sign`, `ledsign "
					 "publish` or minisign -Sm FILE without -t");
	if (strcmp(info->file, file))
		return ls_error_set(err,
				    "signature refused: it was made for '%s', not '%s'; sign "
				    "this file",
				    info->file, file);
	if (!info->path[0] && !cached)
		return ls_error_set(err,
				    "signature refused: its trusted comment names no layer "
				    "path (path:DIR/%s), so any layer's %s could be served "
				    "here; publish with `ledsign publish`",
				    file, file);
	if (info->path[0] && !path_binds(url, info->path)) {
		url_path(url, &n);
		return ls_error_set(err,
				    "signature refused: it was made for the layer path '%s', and "
				    "this feed's URL path '%.*s' does not end in it (another "
				    "layer's file served here?); publish this layer's own file",
				    info->path, (int)n, url_path(url, &n));
	}
	return 0;
}

/* A version signed before the floor is a replay, unless it resets the floor
 * within its window on a synchronised clock. */
static int below_floor(const struct ls_feed_expect *x, const struct ls_sig_info *info,
		       struct ls_error *err)
{
	int64_t age = x->now - info->timestamp;
	long long ts = (long long)info->timestamp, floor = (long long)x->floor.timestamp;

	if (info->reset_floor && !x->cached && x->clock_synced && age <= LS_FEED_RESET_WINDOW_S)
		return 0;
	if (info->reset_floor && (x->cached || !x->clock_synced))
		return ls_error_set(
		    err,
		    "replay refused: signed at %lld, older than the version accepted "
		    "(signed at %lld) (its reset-floor needs a synchronised board "
		    "clock); publish a newly signed playlist",
		    ts, floor);
	if (info->reset_floor)
		return ls_error_set(
		    err,
		    "replay refused: signed at %lld, older than the version accepted "
		    "(signed at %lld) (its reset-floor was signed %lld s ago, more "
		    "than %d: publish it again with --reset-floor); publish a newly "
		    "signed playlist",
		    ts, floor, (long long)age, LS_FEED_RESET_WINDOW_S);
	return ls_error_set(err,
			    "replay refused: signed at %lld, older than the version accepted "
			    "(signed at %lld); publish a newly signed playlist",
			    ts, floor);
}

static int floor_check(const struct ls_pubkey *keys, int n_keys, const struct ls_feed_expect *x,
		       const struct ls_sig_info *info, const uint8_t hash[32], struct ls_error *err)
{
	const struct ls_feed_floor *fl = &x->floor;

	if (fl->timestamp < 0 || !key_configured(keys, n_keys, fl->key_id))
		return 0; /* no floor yet, or its key was rotated out */
	if (info->timestamp > fl->timestamp)
		return 0;
	if (info->timestamp == fl->timestamp) {
		if (!memcmp(hash, fl->hash, 32))
			return 0;
		return ls_error_set(err,
				    "signature refused: signed at %lld like the version accepted, "
				    "but with other content (two versions may not share a "
				    "timestamp); publish again, newly signed",
				    (long long)info->timestamp);
	}
	return below_floor(x, info, err);
}

static int sig_when(const struct ls_feed_expect *x, const struct ls_sig_info *info,
		    struct ls_error *err)
{
	if (info->timestamp < 0)
		return ls_error_set(err, "signature refused: its trusted comment has no "
					 "timestamp:N; sign with `ledsign publish` or minisign "
					 "without -t");
	if (!x->cached && x->clock_synced && info->timestamp > x->now + LS_FEED_AHEAD_MAX_S)
		return ls_error_set(err,
				    "signature refused: signed at %lld, %lld s ahead of this "
				    "board's synchronised clock (at most %d allowed); fix the "
				    "publishing machine's clock and publish again",
				    (long long)info->timestamp,
				    (long long)(info->timestamp - x->now), LS_FEED_AHEAD_MAX_S);
	return 0;
}

/* "2420DFAACE85AC44, 0C08CC12A9A73DD1" (the first LS_LAYER_KEYS, then "...") into list. */
static void key_list(const struct ls_pubkey *keys, int n_keys, char *list, size_t n)
{
	char hex[LS_KEY_ID_HEX];
	size_t used = 0;

	list[0] = '\0';
	for (int i = 0; i < n_keys && used < n; i++) {
		if (i == LS_LAYER_KEYS) {
			snprintf(list + used, n - used, ", ...");
			break;
		}
		ls_key_id_hex(keys[i].id, hex);
		used += (size_t)snprintf(list + used, n - used, "%s%s", i ? ", " : "", hex);
	}
}

#define KEY_LIST_MAX ((LS_LAYER_KEYS + 1) * (LS_KEY_ID_HEX + 2))

/* A signature by a key the layer does not trust is named by its key ID and
 * the layer, so the log says whose file arrived where. */
static int sig_key_trusted(const struct ls_pubkey *keys, int n_keys, const char *layer,
			   const struct ls_sig_info *info, struct ls_error *err)
{
	char list[KEY_LIST_MAX];

	if (key_configured(keys, n_keys, info->key_id))
		return 0;
	key_list(keys, n_keys, list, sizeof(list));
	if (!layer)
		return ls_error_set(err,
				    "signature refused: signed with key %s, which this layer does "
				    "not trust (it trusts %s); publish this layer's file with its "
				    "own key, or add the key to this layer's [feed] pubkey lines",
				    info->key_id_hex, list);
	return ls_error_set(err,
			    "signature refused: signed with key %s, which layer %s does not trust "
			    "(it trusts %s); publish this layer's file with its own key, or add "
			    "the key to this layer's [feed] pubkey lines",
			    info->key_id_hex, layer, list);
}

static int sig_accept(const struct ls_pubkey *keys, int n_keys, const char *url, const char *body,
		      size_t len, const char *sig, size_t sig_len, const struct ls_feed_expect *x,
		      struct ls_feed_floor *out, struct ls_error *err)
{
	struct ls_sig_info *info;
	int r = -1;

	if (!sig)
		return ls_error_set(err, "no signature (.minisig) and public keys are configured; "
					 "publish with `ledsign publish` or sign with minisign");
	info = malloc(sizeof(*info));
	if (!info)
		return ls_error_set(err, "out of memory");
	if (ls_sig_inspect(sig, sig_len, info, err)) {
		ls_error_prefix(err, "signature refused");
		goto out;
	}
	if (sig_key_trusted(keys, n_keys, x->layer, info, err))
		goto out;
	if (ls_sig_verify(keys, n_keys, body, len, sig, sig_len, info, err)) {
		ls_error_prefix(err, "signature refused");
		goto out;
	}
	if (sig_place(url, info, x->cached, err) || sig_when(x, info, err) ||
	    floor_check(keys, n_keys, x, info, out->hash, err))
		goto out;
	out->timestamp = info->timestamp;
	memcpy(out->key_id, info->key_id, 8);
	r = 0;
out:
	free(info);
	return r;
}

struct ls_playlist *ls_feed_check(const struct ls_pubkey *keys, int n_keys, const char *url,
				  const char *body, size_t len, const char *sig, size_t sig_len,
				  const struct ls_feed_expect *x, struct ls_feed_floor *out,
				  struct ls_error *err)
{
	static const struct ls_feed_expect at_start = {.floor = {.timestamp = -1}, .cached = 1};
	struct ls_playlist *pl;

	*out = (struct ls_feed_floor){.timestamp = -1};
	crypto_generichash(out->hash, sizeof(out->hash), (const uint8_t *)body, len, NULL, 0);
	if (n_keys > 0 &&
	    sig_accept(keys, n_keys, url, body, len, sig, sig_len, x ? x : &at_start, out, err))
		return NULL;
	pl = ls_playlist_parse(body, len, url, err);
	if (pl && ls_playlist_check_zones(pl, url, err)) {
		ls_playlist_free(pl); /* a mistyped zone would play in UTC, hours off */
		return NULL;
	}
	return pl;
}

int ls_feed_picture_url(const char *url, const char *file, char *out, size_t n,
			struct ls_error *err)
{
	size_t len, dir = 0;
	const char *path = url_path(url, &len);
	int r;

	if (!ls_picture_path_ok(file))
		return ls_error_set(err,
				    "%s: not a picture path inside the playlist's folder (no URL, "
				    "no leading /, no \"..\"); a board fetches pictures only from "
				    "beside the playlist",
				    file);
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			dir = i + 1;
	if (!dir)
		return ls_error_set(err, "%s: the feed URL has no folder to fetch pictures from",
				    url);
	r = snprintf(out, n, "%.*s%s", (int)(path + dir - url), url, file);
	if (r < 0 || (size_t)r >= n)
		return ls_error_set(err, "%s: URL too long", file);
	return 0;
}

/* The pictures kept with a version, for ls_playlist_attach_pictures(). */
struct kept {
	const struct ls_cache_picture *pics;
	int n;
};

static struct ls_image *load_kept(void *ctx, const char *playlist,
				  const struct ls_item_picture *pic, struct ls_error *err)
{
	const struct kept *k = ctx;

	(void)playlist;
	for (int i = 0; i < k->n; i++)
		if (!memcmp(k->pics[i].sha256, pic->sha256, 32))
			return ls_picture_decode(k->pics[i].data, k->pics[i].len, pic->file, err);
	ls_error_set(err,
		     "%s: not among the pictures kept with this version; the board fetches the "
		     "playlist and its pictures again",
		     pic->file);
	return NULL;
}

int ls_feed_pictures_attach(struct ls_playlist *pl, const char *url,
			    const struct ls_cache_picture *pics, int n, struct ls_error *err)
{
	struct kept k = {pics, n};
	struct ls_picture_provider pp = {load_kept, &k};

	return ls_playlist_attach_pictures(pl, url, &pp, err);
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

/* Readies the feed's handle for a transfer of at most max bytes; the handle
 * is made by the first transfer, which opens libcurl (libcurl.h), so a board
 * shows its cache before libcurl is loaded. Returns 0, or -1 when libcurl
 * cannot start. */
static int easy_common(struct ls_feeds *f, struct feed *fd, size_t max)
{
	CURL *c = fd->easy;

	if (!c && !(c = fd->easy = curl_easy_init()))
		return -1;
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
	return 0;
}

static int start_body(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	char inm[LS_FEED_ETAG_MAX + 32], ims[LS_FEED_ETAG_MAX + 32];

	if (easy_common(f, fd, (size_t)f->max_bytes))
		return -1;
	curl_slist_free_all(fd->headers);
	fd->headers = NULL;
	inm[0] = ims[0] = '\0';
	if (fd->body && !fd->from_url[0])
		ls_feed_conditions(fd->etag, fd->last_modified, wall_s, inm, ims, sizeof(inm));
	fd->sent_validators = inm[0] || ims[0];
	if (inm[0])
		fd->headers = curl_slist_append(fd->headers, inm);
	if (ims[0])
		fd->headers = curl_slist_append(fd->headers, ims);
	if (fd->no_cache) {
		fd->headers = curl_slist_append(fd->headers, "Cache-Control: no-cache");
		fd->headers = curl_slist_append(fd->headers, "Pragma: no-cache");
	}
	curl_easy_setopt(fd->easy, CURLOPT_HTTPHEADER, fd->headers);
	curl_easy_setopt(fd->easy, CURLOPT_URL, fd->url);
	fd->stage = STAGE_BODY;
	fd->done = 0;
	return ls_net_add(f->net, fd->easy, on_done, fd);
}

static int start_sig(struct ls_feeds *f, struct feed *fd)
{
	if (easy_common(f, fd, LS_SIG_MAX_BYTES))
		return -1;
	curl_easy_setopt(fd->easy, CURLOPT_URL, fd->sig_url);
	fd->stage = STAGE_SIG;
	fd->done = 0;
	return ls_net_add(f->net, fd->easy, on_done, fd);
}

/* Picture i of the pending version: redirects are not followed, so it
 * comes from the playlist's own folder (same scheme, host and port). */
static int start_picture(struct ls_feeds *f, struct feed *fd, struct ls_error *err)
{
	const struct ls_item_picture *pic = fd->pend_pl->items[fd->want_item[fd->fetching]].picture;

	if (ls_feed_picture_url(fd->url, pic->file, fd->pic_url, sizeof(fd->pic_url), err))
		return -1;
	if (easy_common(f, fd, LS_PICTURE_MAX_BYTES))
		return ls_error_set(err,
				    "libcurl cannot be opened (%s): reinstall the libcurl4 package",
				    ls_libcurl_error());
	curl_easy_setopt(fd->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(fd->easy, CURLOPT_URL, fd->pic_url);
	fd->stage = STAGE_PIC;
	fd->done = 0;
	if (!ls_net_add(f->net, fd->easy, on_done, fd))
		return 0;
	fd->stage = STAGE_IDLE;
	return ls_error_set(err, "could not start a transfer (too many at once?)");
}

/* ---- outcomes ---- */

static void emit(struct ls_feeds *f, struct feed *fd, enum ls_feed_event_kind kind, const char *msg)
{
	struct ls_feed_event ev = {kind, fd->layer, fd->url, msg, fd->body != NULL};

	if (f->on_event)
		f->on_event(f->user, &ev);
}

static void drop_pending(struct feed *fd)
{
	free(fd->new_body);
	fd->new_body = NULL;
	fd->new_len = 0;
	rx_reset(&fd->rx, 0);
	ls_playlist_free(fd->pend_pl);
	fd->pend_pl = NULL;
	free(fd->pend_sig);
	fd->pend_sig = NULL;
	for (int i = 0; i < fd->n_want; i++)
		free(fd->want[i].data);
	memset(fd->want, 0, sizeof(fd->want));
	fd->n_want = fd->fetching = fd->n_fetched = 0;
}

static uint32_t feeds_random(struct ls_feeds *f)
{
	return f->timing.random ? f->timing.random(f->timing.random_user) : randombytes_random();
}

static void poll_ended(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	fd->stage = STAGE_IDLE;
	fd->polls++;
	fd->checked_at = wall_s;
	if (fd->failures)
		fd->next_ms = now_ms + ls_backoff_ms(fd->failures, f->timing.backoff_base_ms,
						     f->timing.backoff_cap_ms, feeds_random(f));
	else
		fd->next_ms = now_ms + ls_poll_jitter_ms(f->timing.poll_ms, feeds_random(f));
	if (fd->again)
		fd->next_ms = now_ms; /* it may have started before the version pushed */
	fd->again = false;
	drop_pending(fd);
}

static void fail(struct ls_feeds *f, struct feed *fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct ls_feeds *f, struct feed *fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fd->error, sizeof(fd->error), ls_tr(fmt), ap);
	va_end(ap);
	fd->failures++;
	emit(f, fd, LS_FEED_FAILED, fd->error);
}

static void succeed(struct feed *fd)
{
	fd->failures = 0;
	fd->error[0] = '\0';
}

/* Why libcurl ended a transfer, in words that say what to do. */
static void curl_reason(struct feed *fd, const char *what, char *buf, size_t n)
{
	if (fd->rc == CURLE_UNSUPPORTED_PROTOCOL && !strncasecmp(fd->url, "https:", 6))
		snprintf(buf, n,
			 "%s: the server redirected this https feed to another scheme (%s); "
			 "refused, the token and the feed stay on https: point [feed] url at "
			 "the final https address",
			 what, fd->curl_err);
	/* How libcurl reports a giant header: 7.x as out of memory, 8.6 and later
	 * as CURLE_TOO_LARGE (100, compared as a number: the library met at run
	 * time may be newer than the headers this was built with). */
	else if (fd->rc == CURLE_OUT_OF_MEMORY || (int)fd->rc == 100)
		snprintf(buf, n,
			 "%s: libcurl refused to hold the response, most likely a response header "
			 "over libcurl's 100 KiB limit: check the server or proxy",
			 what);
	else
		snprintf(buf, n, "%s: %s%s%s", what, curl_easy_strerror(fd->rc),
			 fd->curl_err[0] ? ": " : "", fd->curl_err);
}

/* Says why a finished transfer did not deliver a usable response, or NULL. */
static const char *transfer_error(struct feed *fd, const char *what, long status, char *buf,
				  size_t n)
{
	if ((fd->rx.too_big || fd->rc == CURLE_FILESIZE_EXCEEDED) && fd->stage == STAGE_PIC)
		snprintf(buf, n,
			 "%s larger than %zu bytes, the most a picture may have: scale it to the "
			 "zone's size and publish again",
			 what, fd->rx.max);
	else if ((fd->rx.too_big || fd->rc == CURLE_FILESIZE_EXCEEDED) && fd->stage == STAGE_SIG)
		snprintf(buf, n,
			 "%s larger than %zu bytes: not a minisign signature (is the server "
			 "sending another file under this name?)",
			 what, fd->rx.max);
	else if (fd->rx.too_big || fd->rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(buf, n, "%s larger than %zu bytes; raise [feed] max_bytes or shrink it",
			 what, fd->rx.max);
	else if (fd->rc != CURLE_OK)
		curl_reason(fd, what, buf, n);
	else if (status == 401 || status == 403)
		snprintf(buf, n, "%s: the server answered HTTP %ld; check [feed] token", what,
			 status);
	else if (fd->stage == STAGE_PIC && status >= 300 && status < 400)
		snprintf(buf, n,
			 "%s: the server answered HTTP %ld, a redirect, which a picture may not "
			 "follow: serve the picture from the playlist's own folder",
			 what, status);
	else if (fd->stage == STAGE_PIC && status != 200 && status != 0)
		snprintf(buf, n,
			 "%s: the server answered HTTP %ld; install the picture beside the "
			 "playlist (ledsign publish does)",
			 what, status);
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
	    .pictures = fd->pics,
	    .n_pictures = fd->n_pics,
	};
	struct ls_error err;
	char msg[LS_ERROR_MAX + 64];

	if (!f->cache_dir[0])
		return;
	fd->cache_writes++;
	if (!ls_cache_store(f->cache_dir, fd->url, &e, &err))
		return;
	snprintf(msg, sizeof(msg), ls_tr("playing it, but not cached: %s"), err.msg);
	emit(f, fd, LS_FEED_WARNING, msg);
}

/* ---- the replay floor in the state directory ---- */

static int floor_path(const struct ls_feeds *f, const struct feed *fd, char *out, size_t n)
{
	char name[LS_CACHE_NAME_MAX];

	ls_cache_name(fd->url, name);
	name[strcspn(name, ".")] = '\0';
	return snprintf(out, n, "%s/%s.floor", f->state_dir, name) < (int)n ? 0 : -1;
}

/* Reads a file of at most 4 KiB into a NUL-terminated buffer; 0 or -1. */
static int read_small(const char *path, char **out, size_t *len)
{
	char *buf = malloc(4097);
	FILE *fp = buf ? fopen(path, "re") : NULL;

	if (!fp) {
		free(buf);
		return -1;
	}
	*len = fread(buf, 1, 4096, fp);
	fclose(fp);
	buf[*len] = '\0';
	*out = buf;
	return 0;
}

/* Reads fd's floor file: "ledsign-floor-1 TS KEYID HASH URL\n" (tab-separated,
 * hex). A missing, damaged or foreign file is no floor. */
static void floor_load(struct ls_feeds *f, struct feed *fd)
{
	char path[PATH_MAX], *text = NULL, *p, *end;
	size_t len, bin;
	struct ls_feed_floor fl;
	int64_t ts;

	if (!f->state_dir[0] || floor_path(f, fd, path, sizeof(path)) ||
	    read_small(path, &text, &len))
		return;
	p = strchr(text, '\t');
	if (!p || strncmp(text, FLOOR_MAGIC "\t", strlen(FLOOR_MAGIC) + 1))
		goto out;
	ts = strtoll(p + 1, &end, 10);
	if (*end != '\t' || ts < 0 || sodium_hex2bin(fl.key_id, 8, end + 1, 16, NULL, &bin, NULL) ||
	    bin != 8 || end[17] != '\t' ||
	    sodium_hex2bin(fl.hash, 32, end + 18, 64, NULL, &bin, NULL) || bin != 32 ||
	    end[82] != '\t' || strncmp(end + 83, fd->url, strlen(fd->url)) ||
	    strcmp(end + 83 + strlen(fd->url), "\n"))
		goto out;
	fl.timestamp = ts;
	fd->floor = fl;
out:
	free(text);
}

/* Writes fd's floor atomically; a failure is said once, then again after a success. */
static void floor_save(struct ls_feeds *f, struct feed *fd)
{
	char path[PATH_MAX], kid[17], hash[65], msg[LS_ERROR_MAX + 96];
	char line[LS_URL_MAX + PATH_MAX + 128];
	struct ls_error err;
	int n;

	if (!f->state_dir[0] || fd->floor.timestamp < 0 || floor_path(f, fd, path, sizeof(path)))
		return;
	sodium_bin2hex(kid, sizeof(kid), fd->floor.key_id, 8);
	sodium_bin2hex(hash, sizeof(hash), fd->floor.hash, 32);
	n = snprintf(line, sizeof(line), FLOOR_MAGIC "\t%lld\t%s\t%s\t%s\n",
		     (long long)fd->floor.timestamp, kid, hash, fd->url);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (ls_atomic_write(path, line, (size_t)n, 0644, &err)) {
		if (!fd->floor_warned) {
			snprintf(msg, sizeof(msg),
				 ls_tr("replay floor not kept in [feed] state_dir (said once): %s"),
				 err.msg);
			emit(f, fd, LS_FEED_WARNING, msg);
		}
		fd->floor_warned = 1;
	} else {
		fd->floor_warned = 0;
	}
}

static int floor_same(const struct ls_feed_floor *a, const struct ls_feed_floor *b)
{
	return a->timestamp == b->timestamp && !memcmp(a->key_id, b->key_id, sizeof(a->key_id)) &&
	       !memcmp(a->hash, b->hash, sizeof(a->hash));
}

static void floor_set(struct ls_feeds *f, struct feed *fd, const struct ls_feed_floor *fl)
{
	if (fl->timestamp < 0 || floor_same(fl, &fd->floor))
		return;
	fd->floor = *fl;
	floor_save(f, fd);
}

/* The pending version's pictures become the accepted ones (want is emptied). */
static int take_pictures(struct feed *fd)
{
	struct ls_cache_picture *p = NULL;

	if (fd->n_want && !(p = malloc((size_t)fd->n_want * sizeof(*p))))
		return -1;
	if (p)
		memcpy(p, fd->want, (size_t)fd->n_want * sizeof(*p));
	ls_cache_pictures_free(fd->pics, fd->n_pics);
	fd->pics = p;
	fd->n_pics = fd->n_want;
	memset(fd->want, 0, sizeof(fd->want));
	fd->n_want = 0;
	return 0;
}

/* Replaces the accepted version with the pending body, its signature
 * (pend_sig, NULL when unsigned) and its pictures; the buffers change hands. */
static void adopt(struct ls_feeds *f, struct feed *fd, const struct ls_feed_floor *fl,
		  int64_t wall_s)
{
	free(fd->body);
	free(fd->sig);
	fd->body = fd->new_body;
	fd->body_len = fd->new_len;
	fd->new_body = NULL;
	fd->sig = fd->pend_sig;
	fd->sig_len = fd->pend_sig_len;
	fd->pend_sig = NULL;
	memcpy(fd->etag, fd->new_etag, sizeof(fd->etag));
	memcpy(fd->last_modified, fd->new_last_modified, sizeof(fd->last_modified));
	fd->timestamp = fl->timestamp;
	memcpy(fd->signed_by, fl->key_id, sizeof(fd->signed_by));
	fd->from_url[0] = '\0';
	floor_set(f, fd, fl);
	fd->accepted_at = wall_s;
	store(f, fd, wall_s);
	f->changed = 1;
}

/* A signature by a key this layer does not trust but another layer of the
 * board does: refused saying whose key it is (that layer's file was
 * published, or served, as this one). Returns -1 with err then, else 0. */
static int foreign_key(const struct ls_feeds *f, const struct feed *fd, const char *sig,
		       size_t sig_len, struct ls_error *err)
{
	struct ls_sig_info *info = sig ? malloc(sizeof(*info)) : NULL;
	char mine[KEY_LIST_MAX];
	int r = 0;

	if (!info || ls_sig_inspect(sig, sig_len, info, NULL) ||
	    key_configured(fd->keys, fd->n_keys, info->key_id))
		goto out;
	for (int i = 0; i < f->n && !r; i++) {
		if (i == fd->layer ||
		    !key_configured(f->feeds[i].keys, f->feeds[i].n_keys, info->key_id))
			continue;
		key_list(fd->keys, fd->n_keys, mine, sizeof(mine));
		r = ls_error_set(
		    err,
		    "signature refused: signed with key %s, the key of layer %s, which "
		    "layer %s does not trust (it trusts %s): layer %s's file was "
		    "published, or served, as this layer's; publish this layer's own file",
		    info->key_id_hex, f->feeds[i].name, fd->name, mine, f->feeds[i].name);
	}
out:
	free(info);
	return r;
}

/* Collects the playlist parser's unknown-key lines, without the URL. */
static void on_unknown_key(void *ctx, const char *msg)
{
	struct feed *fd = ctx;
	size_t n = strlen(fd->url), used = strlen(fd->ignored);

	if (!strncmp(msg, fd->url, n) && msg[n] == ':')
		msg += n + 1;
	else if (!strncmp(msg, fd->url, n) && msg[n] == ' ')
		msg += n;
	fd->n_ignored++;
	if (used + strlen(msg) + 8 < sizeof(fd->ignored))
		snprintf(fd->ignored + used, sizeof(fd->ignored) - used, "%s%s", used ? "; " : "",
			 msg);
	else if (!strstr(fd->ignored, "; ..."))
		snprintf(fd->ignored + used, sizeof(fd->ignored) - used, "; ...");
}

/* Boards ignore keys the format does not know (a newer format's keys must
 * not break them; `ledsign validate` and `publish` refuse them): the
 * accepted version's are kept for the status, and said once in the log. */
static void note_ignored(struct ls_feeds *f, struct feed *fd)
{
	char msg[LS_FEED_IGNORED_MAX + 160];

	fd->ignored[0] = '\0';
	fd->n_ignored = 0;
	ls_playlist_free(
	    ls_playlist_parse_ex(fd->body, fd->body_len, fd->url, on_unknown_key, fd, NULL));
	if (!fd->n_ignored)
		return;
	snprintf(msg, sizeof(msg),
		 ls_tr("playing it, but ignoring %d key(s) this board does not know (a newer "
		       "format, or a typo that ledsign validate refuses): %s"),
		 fd->n_ignored, fd->ignored);
	emit(f, fd, LS_FEED_WARNING, msg);
}

/* Says the accepted version is the new one, and what to fix about it. */
static void accepted(struct ls_feeds *f, struct feed *fd, const struct ls_feed_floor *fl)
{
	char msg[256];
	if (fd->n_pics)
		snprintf(msg, sizeof(msg),
			 ls_tr("%d items, %zu bytes, signed timestamp %lld, pictures: %d (fetched: "
			       "%d)"),
			 fd->pend_pl->n_items, fd->body_len, (long long)fl->timestamp, fd->n_pics,
			 fd->n_fetched);
	else
		snprintf(msg, sizeof(msg), ls_tr("%d items, %zu bytes, signed timestamp %lld"),
			 fd->pend_pl->n_items, fd->body_len, (long long)fl->timestamp);
	succeed(fd);
	emit(f, fd, LS_FEED_ACCEPTED, msg);
	note_ignored(f, fd);
	if (fd->n_keys && !f->clock_synced) {
		snprintf(msg, sizeof(msg),
			 ls_tr("the board's clock is not synchronised, so the signed time %lld "
			       "could not be checked against it"),
			 (long long)fl->timestamp);
		emit(f, fd, LS_FEED_WARNING, msg);
	}
}

/* The pending version has every picture: it becomes the one shown. */
static void accept_version(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_feed_floor fl = fd->pend_fl;

	if (take_pictures(fd)) {
		fail(f, fd, "out of memory");
		return;
	}
	adopt(f, fd, &fl, wall_s);
	accepted(f, fd, &fl);
	ls_playlist_free(fd->pend_pl);
	fd->pend_pl = NULL;
}

/* A copy of the picture with this hash when a version on the board has it
 * (so it is not fetched again): 1 copied into w, 0 none, -1 out of memory. */
static int picture_known(const struct ls_feeds *f, const uint8_t sha[32],
			 struct ls_cache_picture *w)
{
	for (int i = 0; i < f->n; i++)
		for (int k = 0; k < f->feeds[i].n_pics; k++) {
			const struct ls_cache_picture *p = &f->feeds[i].pics[k];

			if (memcmp(p->sha256, sha, 32))
				continue;
			if (!(w->data = malloc(p->len ? p->len : 1)))
				return -1;
			memcpy(w->data, p->data, p->len);
			w->len = p->len;
			return 1;
		}
	return 0;
}

static int wanted(const struct feed *fd, const uint8_t sha[32])
{
	for (int i = 0; i < fd->n_want; i++)
		if (!memcmp(fd->want[i].sha256, sha, 32))
			return 1;
	return 0;
}

/* The distinct pictures the pending version names, those already on the
 * board copied in. Returns 0, or -1 with err. */
static int pictures_plan(struct ls_feeds *f, struct feed *fd, struct ls_error *err)
{
	const struct ls_playlist *pl = fd->pend_pl;

	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item_picture *pic = pl->items[i].picture;
		struct ls_cache_picture *w = &fd->want[fd->n_want];

		if (!pic || wanted(fd, pic->sha256))
			continue;
		if (fd->n_want == LS_FEED_MAX_PICTURES)
			return ls_error_set(err,
					    "items[%d].picture (%s): the playlist names more than "
					    "%d different pictures, the most a board takes; use "
					    "fewer pictures",
					    i, pl->items[i].id, LS_FEED_MAX_PICTURES);
		memcpy(w->sha256, pic->sha256, 32);
		fd->want_item[fd->n_want++] = i;
		if (picture_known(f, pic->sha256, w) < 0)
			return ls_error_set(err, "out of memory");
	}
	return 0;
}

/* Starts the next missing picture's transfer, or accepts the version when
 * it has them all; fd->stage is STAGE_PIC only while one is under way. */
static void next_picture(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_error err;

	fd->stage = STAGE_IDLE;
	while (fd->fetching < fd->n_want && fd->want[fd->fetching].data)
		fd->fetching++;
	if (fd->fetching == fd->n_want)
		accept_version(f, fd, wall_s);
	else if (start_picture(f, fd, &err))
		fail(f, fd, "%s", err.msg);
}

static void check_and_adopt(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_feed_expect x = {fd->floor, wall_s, f->clock_synced, 0, fd->name};
	struct ls_playlist *pl;
	struct ls_error err;
	char *sig = fd->n_keys ? fd->rx.buf : NULL;
	size_t sig_len = fd->n_keys ? fd->rx.len : 0;

	pl = foreign_key(f, fd, sig, sig_len, &err)
		 ? NULL
		 : ls_feed_check(fd->keys, fd->n_keys, fd->url, fd->new_body, fd->new_len, sig,
				 sig_len, &x, &fd->pend_fl, &err);
	if (!pl) {
		fail(f, fd, "%s", err.msg);
		return;
	}
	fd->pend_pl = pl;
	fd->pend_sig = sig;
	fd->pend_sig_len = sig_len;
	if (sig)
		fd->rx = (struct rx){0}; /* the buffer now belongs to the pending version */
	if (pictures_plan(f, fd, &err)) {
		fail(f, fd, "%s", err.msg);
		return;
	}
	next_picture(f, fd, wall_s);
}

/* Why a fetched picture is refused, or NULL when it matches and decodes. */
static const char *picture_refused(const struct feed *fd, const struct ls_item_picture *pic,
				   char *buf, size_t n)
{
	uint8_t got[32];
	char want_hex[65], got_hex[65];
	struct ls_error err;
	struct ls_image *im;

	crypto_hash_sha256(got, (const uint8_t *)(fd->rx.buf ? fd->rx.buf : ""), fd->rx.len);
	if (sodium_memcmp(got, pic->sha256, 32)) {
		sodium_bin2hex(want_hex, sizeof(want_hex), pic->sha256, 32);
		sodium_bin2hex(got_hex, sizeof(got_hex), got, 32);
		snprintf(buf, n,
			 ls_tr("its SHA-256 is %s but the signed playlist names %s: the file on "
			       "the server was changed or swapped; publish the picture and the "
			       "playlist together (ledsign publish)"),
			 got_hex, want_hex);
		return buf;
	}
	im = ls_picture_decode(fd->rx.buf ? fd->rx.buf : "", fd->rx.len, pic->file, &err);
	if (im) {
		ls_image_free(im);
		return NULL;
	}
	snprintf(buf, n, "%s", err.msg);
	return buf;
}

static void picture_done(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	int item = fd->want_item[fd->fetching];
	const struct ls_item *it = &fd->pend_pl->items[item];
	struct ls_cache_picture *w = &fd->want[fd->fetching];
	char buf[LS_ERROR_MAX];
	const char *why;
	long status = 0;

	curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &status);
	why = transfer_error(fd, "picture", status, buf, sizeof(buf));
	if (!why && status == 304)
		why = strcpy(buf, "picture: unexpected 304");
	if (!why)
		why = picture_refused(fd, it->picture, buf, sizeof(buf));
	if (why) {
		fail(f, fd,
		     "items[%d].picture (%s) from %s: %s; the new playlist is not shown until "
		     "every picture it names arrives and matches",
		     item, it->id, fd->pic_url, why);
		poll_ended(f, fd, now_ms, wall_s);
		return;
	}
	w->data = (uint8_t *)(fd->rx.buf ? fd->rx.buf : calloc(1, 1));
	w->len = fd->rx.len;
	fd->rx = (struct rx){0};
	fd->n_fetched++;
	next_picture(f, fd, wall_s);
	if (fd->stage != STAGE_PIC)
		poll_ended(f, fd, now_ms, wall_s);
}

/* The same bytes came back under new validators (the file was touched, or
 * servers behind one name disagree): send the new ones from now on, or
 * every later poll would be a full 200, but leave the cache alone: it is
 * rewritten only when the content changes (a flapping ETag would otherwise
 * rewrite it, with fsync, on every poll). */
static void revalidated(struct feed *fd)
{
	memcpy(fd->etag, fd->rx.etag, sizeof(fd->etag));
	memcpy(fd->last_modified, fd->rx.last_modified, sizeof(fd->last_modified));
}

/* A 304 to a request that named no version: a server or cache in between
 * is wrong. Ask once more with caches told not to answer, then count it. */
static int bad_304(struct ls_feeds *f, struct feed *fd)
{
	if (fd->no_cache) {
		fail(f, fd,
		     "body: the server answered 304 Not Modified again, to a request "
		     "without validators and with Cache-Control: no-cache; check the "
		     "server (or proxy) configuration");
		return 0;
	}
	fd->no_cache = 1;
	emit(f, fd, LS_FEED_WARNING,
	     ls_tr("body: the server answered 304 Not Modified to a request without validators "
		   "(nothing from this URL yet); fetching again at once with Cache-Control: "
		   "no-cache"));
	return 1;
}

static void take_body(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	fd->new_body = fd->rx.buf ? fd->rx.buf : calloc(1, 1);
	fd->new_len = fd->rx.len;
	memcpy(fd->new_etag, fd->rx.etag, sizeof(fd->new_etag));
	memcpy(fd->new_last_modified, fd->rx.last_modified, sizeof(fd->new_last_modified));
	fd->rx.buf = NULL;
	fd->no_cache = 0;
	if (fd->n_keys) {
		if (!start_sig(f, fd))
			return;
		fd->stage = STAGE_IDLE;
		if (ls_libcurl_error()[0])
			fail(f, fd, "libcurl cannot be opened (%s): reinstall the libcurl4 package",
			     ls_libcurl_error());
		else
			fail(f, fd, "could not start the signature transfer");
	} else {
		fd->rx.len = 0;
		check_and_adopt(f, fd, wall_s);
	}
}

static void body_done(struct ls_feeds *f, struct feed *fd, int64_t now_ms, int64_t wall_s)
{
	long status = 0;
	char buf[LS_ERROR_MAX];
	int same;

	curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &status);
	same = (status == 200 || status == 0) && fd->body && !fd->from_url[0] &&
	       fd->rx.len == fd->body_len && !memcmp(fd->rx.buf, fd->body, fd->rx.len);
	if (transfer_error(fd, "body", status, buf, sizeof(buf))) {
		fail(f, fd, "%s", buf);
	} else if (status == 304 && !fd->sent_validators) {
		if (bad_304(f, fd)) {
			poll_ended(f, fd, now_ms, wall_s);
			fd->next_ms = now_ms;
			return;
		}
	} else if (status == 304 || same) {
		fd->not_modified++;
		succeed(fd);
		if (same)
			revalidated(fd);
		emit(f, fd, LS_FEED_UNCHANGED,
		     status == 304 ? "304 Not Modified" : ls_tr("same bytes"));
	} else {
		take_body(f, fd, wall_s);
		if (fd->stage == STAGE_SIG || fd->stage == STAGE_PIC)
			return;
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
	if (fd->stage != STAGE_PIC)
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
	fd->timestamp = fd->floor.timestamp = -1;
	fd->next_ms = -1;
	return 0; /* fd->easy comes with the first transfer (easy_common()) */
}

/* The layer's name and the keys it trusts (ls_config_layer_keys()). */
static int keys_init(struct feed *fd, const struct ls_config *cfg, struct ls_error *err)
{
	ls_config_layer_name(cfg, fd->layer, fd->name);
	fd->n_keys = ls_config_layer_keys(cfg, fd->layer, fd->keys, err);
	if (fd->n_keys < 0)
		return ls_error_prefix(err, "%s", cfg->path);
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
	f->timing.random = t ? t->random : NULL;
	f->timing.random_user = t ? t->random_user : NULL;
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
	snprintf(f->state_dir, sizeof(f->state_dir), "%s", cfg->feed.state_dir);
	snprintf(f->token, sizeof(f->token), "%s", cfg->feed.token);
	snprintf(f->ca_file, sizeof(f->ca_file), "%s", cfg->feed.ca_file);
	f->max_bytes = cfg->feed.max_bytes;
	f->connect_timeout_s = cfg->feed.connect_timeout_s;
	f->timeout_s = cfg->feed.timeout_s;
	timing_init(f, cfg, timing);
	snprintf(path, sizeof(path), "%s", cfg->path);
	snprintf(base, sizeof(base), "%s", dirname(path));
	for (int i = 0; i < cfg->feed.n_urls; i++, f->n++) {
		f->feeds[i].layer = i;
		if (keys_init(&f->feeds[i], cfg, err)) {
			f->n++;
			goto err_free;
		}
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
		ls_cache_pictures_free(fd->pics, fd->n_pics);
	}
	free(f);
}

/* Makes the verified cache record e the shown version (its buffers change hands). */
static void take_cached(struct ls_feeds *f, struct feed *fd, struct ls_cache_entry *e,
			const struct ls_feed_floor *fl)
{
	fd->body = (char *)e->body;
	fd->body_len = e->body_len;
	fd->sig = fd->n_keys ? e->sig : NULL;
	fd->sig_len = fd->n_keys ? e->sig_len : 0;
	if (!fd->n_keys)
		free(e->sig);
	fd->pics = e->pictures;
	fd->n_pics = e->n_pictures;
	snprintf(fd->etag, sizeof(fd->etag), "%s", e->etag);
	snprintf(fd->last_modified, sizeof(fd->last_modified), "%s", e->last_modified);
	/* The floor for replays is the verified signature's timestamp: the record's
	 * own timestamp field is not signed, so it cannot be trusted to set it. */
	fd->timestamp = fl->timestamp;
	memcpy(fd->signed_by, fl->key_id, sizeof(fd->signed_by));
	floor_set(f, fd, fl);
	fd->accepted_at = e->stored_at;
	free(e->url);
	free(e->etag);
	free(e->last_modified);
	f->changed = 1;
}

static void load_one(struct ls_feeds *f, struct feed *fd, int64_t wall_s)
{
	struct ls_feed_expect x = {fd->floor, wall_s, 0, 1, fd->name};
	struct ls_feed_floor fl;
	struct ls_cache_entry e;
	struct ls_playlist *pl;
	struct ls_error err;
	char msg[LS_ERROR_MAX + 64];
	int r = ls_cache_load(f->cache_dir, fd->url, &e, &err);

	if (r == 1)
		return;
	if (r < 0) {
		snprintf(msg, sizeof(msg), ls_tr("cache: %s"), err.msg);
		emit(f, fd, LS_FEED_FAILED, msg);
		return;
	}
	pl = fd->n_keys && foreign_key(f, fd, e.sig, e.sig_len, &err)
		 ? NULL
		 : ls_feed_check(fd->keys, fd->n_keys, fd->url, (char *)e.body, e.body_len, e.sig,
				 e.sig_len, &x, &fl, &err);
	if (pl && ls_feed_pictures_attach(pl, fd->url, e.pictures, e.n_pictures, &err)) {
		ls_playlist_free(pl);
		pl = NULL;
	}
	if (!pl) {
		snprintf(msg, sizeof(msg), ls_tr("cached version refused: %s"), err.msg);
		emit(f, fd, LS_FEED_FAILED, msg);
		ls_cache_entry_free(&e);
		return;
	}
	if (e.n_pictures)
		snprintf(msg, sizeof(msg),
			 ls_tr("%d items from the cache, signed timestamp %lld, with its pictures"),
			 pl->n_items, (long long)fl.timestamp);
	else
		snprintf(msg, sizeof(msg), ls_tr("%d items from the cache, signed timestamp %lld"),
			 pl->n_items, (long long)fl.timestamp);
	ls_playlist_free(pl);
	take_cached(f, fd, &e, &fl);
	emit(f, fd, LS_FEED_CACHED, msg);
	note_ignored(f, fd);
}

int ls_feeds_load_cache(struct ls_feeds *f, int64_t wall_s)
{
	int n = 0;

	for (int i = 0; i < f->n; i++) {
		if (f->feeds[i].n_keys)
			floor_load(f, &f->feeds[i]);
		if (f->cache_dir[0])
			load_one(f, &f->feeds[i], wall_s);
		n += f->feeds[i].body != NULL;
	}
	return n;
}

static int has_url(const struct ls_feeds *f, const char *url)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->feeds[i].url, url))
			return 1;
	return 0;
}

static int dup_pictures(struct feed *to, const struct feed *from)
{
	if (!from->n_pics)
		return 0;
	to->pics = calloc((size_t)from->n_pics, sizeof(*to->pics));
	if (!to->pics)
		return -1;
	for (int i = 0; i < from->n_pics; i++, to->n_pics++) {
		to->pics[i] = from->pics[i];
		to->pics[i].data = malloc(from->pics[i].len ? from->pics[i].len : 1);
		if (!to->pics[i].data)
			return -1;
		memcpy(to->pics[i].data, from->pics[i].data, from->pics[i].len);
	}
	return 0;
}

static int dup_version(struct feed *to, const struct feed *from)
{
	to->body = malloc(from->body_len + 1);
	to->sig = from->sig ? malloc(from->sig_len + 1) : NULL;
	if (!to->body || (from->sig && !to->sig) || dup_pictures(to, from)) {
		free(to->body);
		free(to->sig);
		ls_cache_pictures_free(to->pics, to->n_pics);
		to->body = to->sig = NULL;
		to->pics = NULL;
		to->n_pics = 0;
		return -1;
	}
	memcpy(to->body, from->body, from->body_len + 1);
	to->body_len = from->body_len;
	if (from->sig)
		memcpy(to->sig, from->sig, from->sig_len + 1);
	to->sig_len = from->sig_len;
	to->timestamp = from->timestamp;
	memcpy(to->signed_by, from->signed_by, sizeof(to->signed_by));
	memcpy(to->ignored, from->ignored, sizeof(to->ignored));
	to->n_ignored = from->n_ignored;
	to->accepted_at = from->accepted_at;
	snprintf(to->from_url, sizeof(to->from_url), "%s",
		 from->from_url[0] ? from->from_url : from->url);
	return 0;
}

int ls_feeds_inherit(struct ls_feeds *f, const struct ls_feeds *old)
{
	char msg[LS_URL_MAX + PATH_MAX + 128];
	int n = 0;

	for (int i = 0; old && i < f->n && i < old->n; i++) {
		struct feed *fd = &f->feeds[i];
		const struct feed *was = &old->feeds[i];

		if (fd->body || !was->body || has_url(old, fd->url) || has_url(f, was->url) ||
		    dup_version(fd, was))
			continue;
		snprintf(msg, sizeof(msg),
			 ls_tr("nothing from this URL yet; showing the layer's last good version "
			       "(from %s) until it delivers"),
			 fd->from_url);
		emit(f, fd, LS_FEED_WARNING, msg);
		f->changed = 1;
		n++;
	}
	return n;
}

/* Boards that start together (a power cut ends) do not poll together: the
 * first poll comes within the first tenth of the interval; one with nothing
 * to show for this layer asks at once. */
static int64_t first_delay(struct ls_feeds *f, const struct feed *fd)
{
	return fd->body ? (int64_t)(feeds_random(f) % (uint64_t)(f->timing.poll_ms / 10 + 1)) : 0;
}

static void feed_tick(struct ls_feeds *f, struct feed *fd, const struct ls_now *now)
{
	if (fd->stage != STAGE_IDLE && fd->done) {
		fd->done = 0;
		if (fd->stage == STAGE_BODY)
			body_done(f, fd, now->mono_ms, now->wall_s);
		else if (fd->stage == STAGE_SIG)
			sig_done(f, fd, now->mono_ms, now->wall_s);
		else
			picture_done(f, fd, now->mono_ms, now->wall_s);
	}
	if (fd->next_ms < 0)
		fd->next_ms = now->mono_ms + first_delay(f, fd);
	if (fd->stage == STAGE_IDLE && now->mono_ms >= fd->next_ms &&
	    start_body(f, fd, now->wall_s)) {
		fd->stage = STAGE_IDLE;
		if (ls_libcurl_error()[0])
			fail(f, fd, "libcurl cannot be opened (%s): reinstall the libcurl4 package",
			     ls_libcurl_error());
		else
			fail(f, fd, "could not start a transfer (too many at once?)");
		fd->next_ms = now->mono_ms + f->timing.backoff_base_ms;
	}
}

int ls_feeds_tick(struct ls_feeds *f, const struct ls_now *now)
{
	int changed;

	f->clock_synced = now->wall_valid;
	for (int i = 0; i < f->n; i++)
		feed_tick(f, &f->feeds[i], now);
	changed = f->changed;
	f->changed = 0;
	return changed;
}

int ls_feeds_find_path(const struct ls_feeds *f, const char *path)
{
	for (int i = 0; path && path[0] && i < f->n; i++)
		if (path_binds(f->feeds[i].url, path))
			return i;
	return -1;
}

void ls_feeds_poll_now(struct ls_feeds *f, int layer)
{
	struct feed *fd;

	if (layer < 0 || layer >= f->n)
		return;
	fd = &f->feeds[layer];
	if (fd->stage == STAGE_IDLE)
		fd->next_ms = 0;
	else
		fd->again = true;
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
		if (!fd->body)
			continue;
		layers[i] = ls_playlist_parse(fd->body, fd->body_len, fd->url, NULL);
		/* Decoded here, once per version, never per frame. */
		if (layers[i] &&
		    ls_feed_pictures_attach(layers[i], fd->url, fd->pics, fd->n_pics, NULL)) {
			ls_playlist_free(layers[i]);
			layers[i] = NULL;
		}
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
	    .cache_writes = fd->cache_writes,
	    .shown_from = fd->from_url[0] ? fd->from_url : fd->url,
	    .layer = fd->name,
	    .ignored = fd->body ? fd->ignored : "",
	    .n_ignored = fd->body ? fd->n_ignored : 0,
	};
	if (fd->body && fd->n_keys && fd->timestamp >= 0)
		ls_key_id_hex(fd->signed_by, out->signed_by);
	for (int k = 0; k < fd->n_keys && k < LS_MAX_GLOBAL_KEYS; k++)
		ls_key_id_hex(fd->keys[k].id, out->keys[out->n_keys++]);
}
