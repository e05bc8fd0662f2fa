/*
 * heartbeat.c: the heartbeat queue (heartbeat.h): reports numbered in files
 * of one directory, posted oldest first through the network, each removed
 * only after a 2xx answer; failures back off with jitter.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "ledsign/atomic.h"
#include "ledsign/feed.h"
#include "ledsign/heartbeat.h"
#include "ledsign/libcurl.h"

struct ls_reporter {
	struct ls_net *net;
	char url[LS_URL_MAX];
	char dir[PATH_MAX];
	char token[256], ca_file[PATH_MAX];
	int connect_timeout_s, timeout_s;
	uint64_t lo, hi; /* queued: reports lo .. hi-1 (some may be missing) */
	CURL *easy;
	struct curl_slist *headers;
	char *body; /* the report being posted */
	char curl_err[CURL_ERROR_SIZE];
	int busy, done;
	CURLcode rc;
	int failures;
	int64_t next_ms;
};

static void report_path(const struct ls_reporter *r, uint64_t seq, char *out, size_t n)
{
	snprintf(out, n, "%s/%020" PRIu64 ".json", r->dir, seq);
}

static void seq_path(const struct ls_reporter *r, char *out, size_t n)
{
	snprintf(out, n, "%s/next-seq", r->dir);
}

/* Sequence numbers stay exact in JSON (a double) and far from overflow; a
 * larger one in next-seq or a file name is damage, not a count. */
#define REPORT_SEQ_MAX (UINT64_C(1) << 53)

/* Parses a sequence number: digits only (then "end", e.g. ".json"), at most
 * REPORT_SEQ_MAX. */
static bool seq_parse(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > REPORT_SEQ_MAX)
			return false;
	}
	if (p == s || strcmp(p, end))
		return false;
	*out = v;
	return true;
}

/* The sequence number of a queued report's file name (20 digits + ".json"). */
static bool report_seq(const char *name, uint64_t *seq)
{
	return strlen(name) == 25 && seq_parse(name, ".json", seq);
}

/* Finds the queued range from the files in dir and the saved next-seq (a
 * next-seq that is not a number is ignored). */
static void queue_scan(struct ls_reporter *r)
{
	char path[PATH_MAX + 32], buf[32];
	struct dirent *de;
	DIR *d = opendir(r->dir);
	uint64_t lo = UINT64_MAX, hi = 1, s;
	FILE *fp;

	while (d && (de = readdir(d))) {
		if (report_seq(de->d_name, &s)) {
			lo = s < lo ? s : lo;
			hi = s + 1 > hi ? s + 1 : hi;
		}
	}
	if (d)
		closedir(d);
	seq_path(r, path, sizeof(path));
	fp = fopen(path, "r");
	if (fp && fgets(buf, sizeof(buf), fp) &&
	    (seq_parse(buf, "\n", &s) || seq_parse(buf, "", &s)) && s > hi)
		hi = s;
	if (fp)
		fclose(fp);
	r->hi = hi;
	r->lo = lo == UINT64_MAX ? hi : lo;
}

struct ls_reporter *ls_reporter_new(const char *url, const char *dir, const struct ls_config *cfg,
				    struct ls_net *net, struct ls_error *err)
{
	struct ls_reporter *r = calloc(1, sizeof(*r));

	if (!r) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	r->net = net;
	snprintf(r->url, sizeof(r->url), "%s", url);
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	snprintf(r->token, sizeof(r->token), "%s",
		 cfg->feed.report_token[0] ? cfg->feed.report_token : cfg->feed.token);
	snprintf(r->ca_file, sizeof(r->ca_file), "%s", cfg->feed.ca_file);
	r->connect_timeout_s = cfg->feed.connect_timeout_s;
	r->timeout_s = cfg->feed.timeout_s;
	if (mkdir(dir, 0750) && errno != EEXIST) {
		ls_error_set(err, "%s: cannot create the report queue: %s", dir, strerror(errno));
		goto err_free;
	}
	if (access(dir, W_OK)) {
		ls_error_set(err, "%s: report queue not writable: %s", dir, strerror(errno));
		goto err_free;
	}
	r->easy = curl_easy_init();
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!r->easy || !r->headers) {
		ls_error_set(err, "libcurl cannot be opened (%s): reinstall the libcurl4 package",
			     ls_libcurl_error());
		goto err_free;
	}
	queue_scan(r);
	return r;
err_free:
	ls_reporter_free(r);
	return NULL;
}

void ls_reporter_free(struct ls_reporter *r)
{
	if (!r)
		return;
	if (r->busy)
		ls_net_remove(r->net, r->easy);
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->body);
	free(r);
}

uint64_t ls_reporter_next_seq(const struct ls_reporter *r)
{
	return r->hi;
}

uint64_t ls_reporter_queued(const struct ls_reporter *r)
{
	return r->hi - r->lo;
}

/* Unlinks the queued reports numbered below keep, found by listing the
 * directory: the range below may be a gap of any size. */
static void queue_drop_below(const struct ls_reporter *r, uint64_t keep)
{
	char path[PATH_MAX + 32];
	struct dirent *de;
	DIR *d = opendir(r->dir);
	uint64_t s;

	while (d && (de = readdir(d)))
		if (report_seq(de->d_name, &s) && s < keep) {
			report_path(r, s, path, sizeof(path));
			unlink(path);
		}
	if (d)
		closedir(d);
}

/* Drops the oldest reports beyond the bound (never the one being posted). */
static void queue_trim(struct ls_reporter *r)
{
	char path[PATH_MAX + 32];
	uint64_t keep = r->hi - LS_REPORT_QUEUE_MAX;

	if (r->busy || r->hi - r->lo <= LS_REPORT_QUEUE_MAX)
		return;
	if (keep - r->lo > LS_REPORT_QUEUE_MAX) {
		/* A gap (a damaged next-seq, a stray file): list the files, do not count. */
		queue_drop_below(r, keep);
		r->lo = keep;
	}
	while (r->lo < keep) { /* the usual case: one report over the bound */
		report_path(r, r->lo++, path, sizeof(path));
		unlink(path);
	}
}

int ls_reporter_enqueue(struct ls_reporter *r, const char *json, struct ls_error *err)
{
	char path[PATH_MAX + 32], seq[32];

	report_path(r, r->hi, path, sizeof(path));
	if (ls_write_file_atomic(path, json, err))
		return -1;
	r->hi++;
	snprintf(seq, sizeof(seq), "%" PRIu64 "\n", r->hi);
	seq_path(r, path, sizeof(path));
	if (ls_write_file_atomic(path, seq, err))
		return -1;
	queue_trim(r); /* while a report is in flight, trimming waits until it ends */
	return 0;
}

static void on_post_done(void *user, CURL *easy, CURLcode rc)
{
	struct ls_reporter *r = user;

	(void)easy;
	r->done = 1;
	r->rc = rc;
}

static size_t discard(char *data, size_t size, size_t nmemb, void *user)
{
	(void)data;
	(void)user;
	return size * nmemb;
}

static int post_start(struct ls_reporter *r)
{
	char path[PATH_MAX + 32];
	CURL *c = r->easy;

	while (r->lo < r->hi) {
		report_path(r, r->lo, path, sizeof(path));
		free(r->body);
		if ((r->body = ls_read_small(path, 4 * 1024 * 1024)))
			break;
		r->lo++; /* dropped or unreadable: nothing to send */
	}
	if (r->lo == r->hi)
		return 0;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->curl_err);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	ls_net_policy(c, &(struct ls_net_policy){r->url, r->token, r->ca_file, r->connect_timeout_s,
						 r->timeout_s});
	r->curl_err[0] = '\0';
	r->done = 0;
	if (ls_net_add(r->net, c, on_post_done, r))
		return -1;
	r->busy = 1;
	return 0;
}

static int post_end(struct ls_reporter *r, int64_t now_ms, struct ls_error *err)
{
	char path[PATH_MAX + 32];
	long status = 0;

	r->busy = r->done = 0;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (r->rc == CURLE_OK && status >= 200 && status < 300) {
		report_path(r, r->lo++, path, sizeof(path));
		unlink(path);
		r->failures = 0;
		r->next_ms = now_ms;
		return 0;
	}
	r->failures++;
	r->next_ms = now_ms + ls_backoff_ms(r->failures, 2000, 5 * 60 * 1000, randombytes_random());
	if (r->rc != CURLE_OK)
		return ls_error_set(err, "report %s: %s%s%s; %" PRIu64 " queued, retrying", r->url,
				    curl_easy_strerror(r->rc), r->curl_err[0] ? ": " : "",
				    r->curl_err, r->hi - r->lo);
	return ls_error_set(
	    err, "report %s: the receiver answered HTTP %ld; %" PRIu64 " queued, retrying", r->url,
	    status, r->hi - r->lo);
}

int ls_reporter_tick(struct ls_reporter *r, int64_t now_mono_ms, struct ls_error *err)
{
	int ret = 0;

	if (r->busy && r->done)
		ret = post_end(r, now_mono_ms, err);
	queue_trim(r);
	if (!r->busy && r->lo < r->hi && now_mono_ms >= r->next_ms && post_start(r))
		r->next_ms = now_mono_ms + 1000;
	return ret;
}

int64_t ls_reporter_timeout_ms(const struct ls_reporter *r, int64_t now_mono_ms)
{
	if (r->busy)
		return r->done ? 0 : -1;
	if (r->lo == r->hi)
		return -1;
	return r->next_ms > now_mono_ms ? r->next_ms - now_mono_ms : 0;
}

void ls_reporter_drain(const struct ls_reporter *r, struct ls_loop *loop, int64_t for_ms)
{
	int64_t deadline = ls_loop_now(loop) + for_ms, t;

	do {
		ls_loop_once(loop, 50);
		t = ls_loop_now(loop);
	} while (ls_reporter_queued(r) && t < deadline &&
		 ls_reporter_timeout_ms(r, t) <= 0); /* > 0: backing off */
}
