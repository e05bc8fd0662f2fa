/*
 * push.c: the push channel (push.h): an EventSource request that never
 * ends, parsed as it arrives with a bounded buffer, and reconnected on a
 * loop timer with backoff and jitter whenever it does end; and what a
 * message it brings means for the feeds.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledsign/error.h"
#include "ledsign/feed.h"
#include "ledsign/libcurl.h"
#include "ledsign/push.h"

/* ---- the event-stream parser ---- */

static void sse_put(struct ls_sse *s, char c)
{
	if (s->len < LS_PUSH_MAX_BYTES)
		s->data[s->len++] = c;
	else
		s->over = true;
}

static void sse_line_end(struct ls_sse *s, ls_push_fn fn, void *user)
{
	if (s->line_len == 0 && s->has_data) { /* a blank line ends the event */
		s->data[s->len] = '\0';
		if (s->over)
			fn(user, LS_PUSH_OVERSIZED, "", 0);
		else
			fn(user, LS_PUSH_MESSAGE, s->data, s->len);
	}
	if (s->line_len == 0) {
		s->len = 0;
		s->has_data = s->over = false;
	}
	s->line_len = 0;
	s->in_data = false;
}

static void sse_char(struct ls_sse *s, char c)
{
	if (s->in_data) {
		if (s->skip_space && c == ' ') {
			s->skip_space = false;
			return;
		}
		s->skip_space = false;
		sse_put(s, c);
		return;
	}
	if (s->line_len < 5) {
		s->field[s->line_len] = c;
		s->field[s->line_len + 1] = '\0';
	}
	s->line_len++;
	if (s->line_len == 5 && !memcmp(s->field, "data:", 5)) {
		if (s->has_data)
			sse_put(s, '\n'); /* data lines of one event join with newlines */
		s->has_data = s->in_data = s->skip_space = true;
	}
}

void ls_sse_feed(struct ls_sse *s, const char *buf, size_t n, ls_push_fn fn, void *user)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			sse_line_end(s, fn, user);
		} else if (buf[i] != '\r') {
			sse_char(s, buf[i]);
		}
	}
}

/* ---- the channel ---- */

struct ls_push {
	struct ls_loop *loop;
	struct ls_net *net;
	char url[LS_URL_MAX], token[256], ca_file[4096];
	int connect_timeout_s;
	ls_push_fn fn;
	void *user;
	CURL *easy;
	struct curl_slist *headers;
	char curl_err[CURL_ERROR_SIZE];
	struct ls_sse sse;
	bool running, connected;
	long status; /* of the response being received */
	int failures;
	unsigned long losses;
	uint64_t retry_timer;
};

static int subscribe(struct ls_push *p);

static int64_t on_retry(struct ls_loop *loop, void *user)
{
	struct ls_push *p = user;

	(void)loop;
	p->retry_timer = 0;
	if (subscribe(p)) {
		p->failures++;
		return ls_backoff_ms(p->failures, LS_PUSH_BACKOFF_BASE_MS, LS_PUSH_BACKOFF_CAP_MS,
				     randombytes_random());
	}
	return LS_LOOP_STOP;
}

static void retry_later(struct ls_push *p)
{
	int64_t d = ls_backoff_ms(p->failures, LS_PUSH_BACKOFF_BASE_MS, LS_PUSH_BACKOFF_CAP_MS,
				  randombytes_random());

	p->retry_timer = ls_loop_timer_add(p->loop, d, on_retry, p);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct ls_push *p = user;
	size_t n = size * nmemb;
	long code;

	if (n > 12 && !strncmp(data, "HTTP/", 5) && sscanf(data, "HTTP/%*s %ld", &code) == 1)
		p->status = code;
	if (n <= 2 && p->status == 200 && !p->connected) { /* the end of a 200's headers */
		p->connected = true;
		p->failures = 0;
		memset(&p->sse, 0, sizeof(p->sse));
		p->fn(p->user, LS_PUSH_CONNECTED, "", 0);
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct ls_push *p = user;
	size_t n = size * nmemb;

	if (p->connected)
		ls_sse_feed(&p->sse, data, n, p->fn, p->user);
	return n; /* a refusal's body is read and dropped */
}

static void on_done(void *user, CURL *easy, CURLcode rc)
{
	struct ls_push *p = user;
	char why[LS_ERROR_MAX];

	(void)easy;
	p->running = false;
	if (rc != CURLE_OK)
		snprintf(why, sizeof(why), "%s%s%s", curl_easy_strerror(rc),
			 p->curl_err[0] ? ": " : "", p->curl_err);
	else if (p->status == 401 || p->status == 403)
		snprintf(why, sizeof(why),
			 ls_tr("the server answered HTTP %ld; check [feed] token"), p->status);
	else if (p->status != 200)
		snprintf(why, sizeof(why), ls_tr("the server answered HTTP %ld"), p->status);
	else
		snprintf(why, sizeof(why), "%s", ls_tr("the server closed the stream"));
	if (p->connected)
		p->losses++;
	p->connected = false;
	p->failures++;
	p->fn(p->user, LS_PUSH_LOST, why, strlen(why));
	retry_later(p);
}

static int subscribe(struct ls_push *p)
{
	CURL *c = p->easy;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, p->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, p->headers);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, p);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, p->curl_err);
	ls_net_policy(
	    c, &(struct ls_net_policy){p->url, p->token, p->ca_file, p->connect_timeout_s, 0});
	/* The stream never ends by itself; silence (not even the server's pings)
	 * for LS_PUSH_IDLE_S means it is dead. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)LS_PUSH_IDLE_S);
	p->curl_err[0] = '\0';
	p->status = 0;
	if (ls_net_add(p->net, c, on_done, p))
		return -1;
	p->running = true;
	return 0;
}

struct ls_push *ls_push_new(struct ls_loop *loop, struct ls_net *net,
			    const struct ls_net_policy *policy, ls_push_fn fn, void *user,
			    struct ls_error *err)
{
	struct ls_push *p = calloc(1, sizeof(*p));

	if (!p) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	p->loop = loop;
	p->net = net;
	p->fn = fn;
	p->user = user;
	snprintf(p->url, sizeof(p->url), "%s", policy->url);
	snprintf(p->token, sizeof(p->token), "%s", policy->token ? policy->token : "");
	snprintf(p->ca_file, sizeof(p->ca_file), "%s", policy->ca_file ? policy->ca_file : "");
	p->connect_timeout_s = policy->connect_timeout_s;
	p->easy = curl_easy_init();
	p->headers = curl_slist_append(NULL, "Accept: text/event-stream");
	if (!p->easy || !p->headers) {
		ls_push_free(p);
		ls_error_set(err, "libcurl cannot be opened (%s): reinstall the libcurl4 package",
			     ls_libcurl_error());
		return NULL;
	}
	if (subscribe(p)) {
		p->failures = 1;
		retry_later(p);
	}
	return p;
}

void ls_push_free(struct ls_push *p)
{
	if (!p)
		return;
	if (p->running)
		ls_net_remove(p->net, p->easy);
	ls_loop_timer_del(p->loop, p->retry_timer);
	if (p->easy)
		curl_easy_cleanup(p->easy);
	curl_slist_free_all(p->headers);
	free(p);
}

bool ls_push_connected(const struct ls_push *p)
{
	return p->connected;
}

unsigned long ls_push_losses(const struct ls_push *p)
{
	return p->losses;
}

enum ls_push_hint ls_push_hint(struct ls_feeds *f, const char *data, size_t len, int *layer,
			       int64_t *ts, int64_t *shown, struct ls_error *err)
{
	char path[LS_PUSH_PATH_MAX];
	struct ls_feed_state s;

	*layer = -1;
	*ts = *shown = 0;
	if (ls_push_message_parse(data, len, path, sizeof(path), ts, err))
		return LS_PUSH_REFUSED;
	if ((*layer = ls_feeds_find_path(f, path)) < 0) {
		ls_error_set(err, "'%.256s' is not a feed of this board", path);
		return LS_PUSH_REFUSED;
	}
	ls_feeds_state(f, *layer, &s);
	*shown = s.version;
	if (s.has_content && *ts <= s.version)
		return LS_PUSH_SHOWN;
	ls_feeds_poll_now(f, *layer);
	return LS_PUSH_FETCH;
}
