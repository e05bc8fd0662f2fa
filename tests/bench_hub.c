/*
 * bench_hub: a fleet of simulated boards posting heartbeats to ledsign-hub,
 * for tests/bench_hub.sh. Board i is "bench-NNNNN" with token
 * "bench-token-NNNNNNNN" (as the script enrols them); heartbeats go out at a
 * fixed total rate, board after board, each with its next seq and three items,
 * over up to 64 keep-alive connections (libcurl multi). Prints what was sent
 * and how it was answered, and the latency percentiles.
 *
 *   bench_hub URL BOARDS RATE_PER_S SECONDS [FIRST_SEQ]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define PARALLEL 64
#define MAX_SAMPLES 2000000

struct slot {
	CURL *easy;
	struct curl_slist *hdr;
	char body[1024], resp[256];
	size_t resp_len;
	double start;
	bool busy;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	struct slot *s = user;
	size_t len = size * n, room = sizeof(s->resp) - 1 - s->resp_len;

	memcpy(s->resp + s->resp_len, p, len < room ? len : room);
	s->resp_len += len < room ? len : room;
	s->resp[s->resp_len] = '\0';
	return len;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void start(CURLM *m, struct slot *s, const char *url, int board, int64_t seq, int64_t wall)
{
	char auth[96];

	snprintf(s->body, sizeof(s->body),
		 "{\"board\":\"bench-%05d\",\"time\":%" PRId64
		 ",\"uptime_s\":86400,\"current\":{\"id\":\"an-sinh\","
		 "\"seconds\":3.5,\"problem\":\"\"},\"reason\":\"scheduled\",\"seq\":%" PRId64
		 ",\"from\":%" PRId64 ",\"to\":%" PRId64
		 ",\"items\":[{\"id\":\"an-sinh\",\"plays\":12,\"seconds\":120.5},"
		 "{\"id\":\"bhyt-hoc-sinh\",\"plays\":9,\"seconds\":90.25},{\"id\":\"vssid\","
		 "\"plays\":8,\"seconds\":89.25}],"
		 "\"feeds\":[{\"url\":\"https://feed.example.vn/"
		 "national.json\",\"has_content\":true,\"version\":1796000000,"
		 "\"accepted_at\":1796000100,\"age_s\":60,\"checked_at\":1796000200,\"polls\":4,"
		 "\"not_modified\":3,"
		 "\"failures\":0,\"error\":\"\"}]}",
		 board, wall, seq, wall - 300 + seq * 300, wall + seq * 300);
	if (!s->easy) {
		s->easy = curl_easy_init();
		curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
		curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
	}
	curl_slist_free_all(s->hdr);
	snprintf(auth, sizeof(auth), "Authorization: Bearer bench-token-%08d", board);
	s->hdr = curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), auth);
	curl_easy_setopt(s->easy, CURLOPT_URL, url);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdr);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->body);
	s->resp_len = 0;
	s->start = now_s();
	s->busy = true;
	curl_multi_add_handle(m, s->easy);
}

int main(int argc, char **argv)
{
	static struct slot slots[PARALLEL];
	static double lat[MAX_SAMPLES];
	long n_boards, rate, seconds, stored = 0, dup = 0, other = 0, sent = 0, n_lat = 0;
	int64_t first_seq, wall = (int64_t)time(NULL);
	double t0, next;
	CURLM *m;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_hub URL BOARDS RATE_PER_S SECONDS [FIRST_SEQ]\n");
		return 2;
	}
	n_boards = atol(argv[2]);
	rate = atol(argv[3]);
	seconds = atol(argv[4]);
	first_seq = argc > 5 ? atoll(argv[5]) : 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)PARALLEL);
	t0 = next = now_s();
	for (;;) {
		double t = now_s();
		int running, q;
		CURLMsg *msg;

		while (t >= next && t - t0 < (double)seconds) {
			int i = 0;
			while (i < PARALLEL && slots[i].busy)
				i++;
			if (i == PARALLEL)
				break; /* all busy: the rate waits, counted as lag below */
			start(m, &slots[i], argv[1], (int)(sent % n_boards),
			      first_seq + sent / n_boards, wall);
			sent++;
			next = t0 + (double)sent / (double)rate;
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &q))) {
			struct slot *s;
			long code = 0;

			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			if (n_lat < MAX_SAMPLES)
				lat[n_lat++] = now_s() - s->start;
			if (msg->data.result == CURLE_OK && code == 200 &&
			    strstr(s->resp, "\"stored\":true"))
				stored++;
			else if (code == 200 && strstr(s->resp, "\"duplicate\":true"))
				dup++;
			else if (other++ < 5)
				fprintf(stderr, "bench_hub: %ld %s %s\n", code,
					curl_easy_strerror(msg->data.result), s->resp);
			curl_multi_remove_handle(m, s->easy);
			s->busy = false;
		}
		if (now_s() - t0 >= (double)seconds && !running)
			break;
		curl_multi_poll(m, NULL, 0, 1, NULL);
	}
	double el = now_s() - t0;
	qsort(lat, (size_t)n_lat, sizeof(lat[0]), cmp);
	printf("sent %ld heartbeats from %ld boards in %.1f s (%.0f/s, asked %ld/s): stored %ld, "
	       "duplicate %ld, refused or failed %ld\n",
	       sent, n_boards, el, (double)sent / el, rate, stored, dup, other);
	if (n_lat)
		printf("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", lat[n_lat / 2] * 1e3,
		       lat[n_lat * 99 / 100] * 1e3, lat[n_lat - 1] * 1e3);
	for (int i = 0; i < PARALLEL; i++) {
		curl_easy_cleanup(slots[i].easy);
		curl_slist_free_all(slots[i].hdr);
	}
	curl_multi_cleanup(m);
	curl_global_cleanup();
	return other || stored != sent ? 1 : 0;
}
