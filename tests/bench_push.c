/*
 * bench_push.c: N lightweight subscribers in one process, each the board's
 * own push code (ls_push on ls_net and ls_loop): every one subscribes, and on
 * a message fetches the feed through ls_net_policy(), as a board would. Run
 * by tests/bench_push.sh, which publishes once and reads the times.
 *
 *   bench_push N FEED_URL OUT SUB_URL [SUB_URL...]
 *
 * Subscriber i uses SUB_URL[i % count]. Prints "ready N" once all are
 * connected, then writes to OUT one line per subscriber that fetched: the
 * Unix time in ms the fetch ended. Ends when all fetched or after 60 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/loop.h"
#include "ledsign/net.h"
#include "ledsign/push.h"

struct sub {
	struct bench *b;
	struct ls_push *push;
	CURL *fetch;
	bool connected, fetching, wanted;
	int64_t fetched_ms; /* wall ms, 0 = not yet */
};

struct bench {
	struct ls_loop *loop;
	struct ls_net *net;
	const char *feed_url;
	struct sub *subs;
	int n, connected, fetched;
	bool ready;
	uint64_t kick; /* starts the fetches asked for: libcurl takes no new transfer from inside
			  its callbacks */
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t discard(char *d, size_t size, size_t n, void *user)
{
	(void)d;
	(void)user;
	return size * n;
}

static void on_fetched(void *user, CURL *easy, CURLcode rc)
{
	struct sub *s = user;

	(void)easy;
	s->fetching = false;
	if (rc != CURLE_OK)
		fprintf(stderr, "bench_push: fetch: %s\n", curl_easy_strerror(rc));
	if (rc == CURLE_OK && !s->fetched_ms) {
		s->fetched_ms = wall_ms();
		if (++s->b->fetched == s->b->n)
			ls_loop_stop(s->b->loop);
	}
}

static void fetch(struct sub *s)
{
	CURL *c = s->fetch;

	if (s->fetching || s->fetched_ms)
		return;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, s->b->feed_url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	ls_net_policy(c, &(struct ls_net_policy){s->b->feed_url, NULL, NULL, 10, 30});
	if (!ls_net_add(s->b->net, c, on_fetched, s))
		s->fetching = true;
}

static void on_push(void *user, enum ls_push_event ev, const char *data, size_t len)
{
	struct sub *s = user;
	struct bench *b = s->b;

	(void)data;
	(void)len;
	if (ev == LS_PUSH_CONNECTED && !s->connected) {
		s->connected = true;
		if (++b->connected == b->n && !b->ready) {
			b->ready = true;
			printf("ready %d\n", b->n);
			fflush(stdout);
		}
	} else if (ev == LS_PUSH_LOST && s->connected) {
		s->connected = false;
		b->connected--;
	} else if (ev == LS_PUSH_MESSAGE && b->ready) {
		s->wanted = true;
		ls_loop_timer_move(b->loop, b->kick, 0);
	}
}

static int64_t on_kick(struct ls_loop *loop, void *user)
{
	struct bench *b = user;

	(void)loop;
	for (int i = 0; i < b->n; i++)
		if (b->subs[i].wanted) {
			b->subs[i].wanted = false;
			fetch(&b->subs[i]);
		}
	return 3600 * 1000;
}

static int64_t give_up(struct ls_loop *loop, void *user)
{
	(void)user;
	ls_loop_stop(loop);
	return LS_LOOP_STOP;
}

int main(int argc, char **argv)
{
	struct bench b = {0};
	struct ls_error err;
	FILE *out;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_push N FEED_URL OUT SUB_URL [SUB_URL...]\n");
		return 2;
	}
	b.n = atoi(argv[1]);
	b.feed_url = argv[2];
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.loop = ls_loop_new(NULL);
	b.net = b.loop ? ls_net_new(b.loop) : NULL;
	b.subs = calloc((size_t)b.n, sizeof(*b.subs));
	if (!b.net || !b.subs || b.n < 1)
		return 1;
	for (int i = 0; i < b.n; i++) {
		struct ls_net_policy p = {argv[4 + i % (argc - 4)], NULL, NULL, 10, 0};

		b.subs[i].b = &b;
		b.subs[i].fetch = curl_easy_init();
		b.subs[i].push = ls_push_new(b.loop, b.net, &p, on_push, &b.subs[i], &err);
		if (!b.subs[i].push || !b.subs[i].fetch) {
			fprintf(stderr, "subscriber %d: %s\n", i, err.msg);
			return 1;
		}
	}
	ls_loop_timer_add(b.loop, 90000, give_up, NULL);
	b.kick = ls_loop_timer_add(b.loop, 3600 * 1000, on_kick, &b);
	ls_loop_run(b.loop);
	out = fopen(argv[3], "w");
	for (int i = 0; out && i < b.n; i++)
		if (b.subs[i].fetched_ms)
			fprintf(out, "%lld\n", (long long)b.subs[i].fetched_ms);
	if (out)
		fclose(out);
	fprintf(stderr, "bench_push: %d of %d connected at the end, %d fetched\n", b.connected, b.n,
		b.fetched);
	for (int i = 0; i < b.n; i++) {
		ls_push_free(b.subs[i].push);
		if (b.subs[i].fetching)
			ls_net_remove(b.net, b.subs[i].fetch);
		curl_easy_cleanup(b.subs[i].fetch);
	}
	free(b.subs);
	ls_net_free(b.net);
	ls_loop_free(b.loop);
	curl_global_cleanup();
	return 0;
}
