/*
 * test_feed.c: the pure parts of the feed: backoff with jitter stays within
 * its bounds and grows to its cap, header lines split exactly, a body is
 * accepted only with a good, fresh signature for its own file, and layers
 * merge in config order.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "ledsign/cache.h"
#include "ledsign/feed.h"
#include "ledsign/loop.h"
#include "ledsign/sign.h"
#include "ledsign/status.h"

#define URL "https://feed.example.vn/national/feed.json"
#define BODY "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"BHXH, BHYT\"}]}"

TEST(backoff_doubles_per_failure_within_equal_jitter_bounds)
{
	for (int f = 1; f <= 6; f++) {
		int64_t d = 1000LL << (f - 1);
		ASSERT_EQ_INT(ls_backoff_ms(f, 1000, 1000000, 0), d / 2);
		ASSERT_EQ_INT(ls_backoff_ms(f, 1000, 1000000, (uint32_t)(d - d / 2)), d);
		for (uint32_t r = 0; r < 5000; r += 97) {
			int64_t v = ls_backoff_ms(f, 1000, 1000000, r * 2654435761u);
			ASSERT(v >= d / 2 && v <= d);
		}
	}
}

TEST(backoff_never_exceeds_its_cap_even_after_many_failures)
{
	for (int f = 1; f < 200; f += 7)
		for (uint32_t r = 0; r < 100000; r += 9973) {
			int64_t v = ls_backoff_ms(f, 5000, 900000, r);
			ASSERT(v >= 2500 && v <= 900000);
		}
	ASSERT(ls_backoff_ms(1000, 5000, 900000, 0) == 450000);
	ASSERT(ls_backoff_ms(0, 5000, 900000, 0) == 2500); /* treated as the first failure */
}

TEST(backoff_jitter_spreads_a_fleet)
{
	int64_t lo = INT64_MAX, hi = 0;

	for (uint32_t r = 0; r < 2000; r++) {
		int64_t v = ls_backoff_ms(3, 5000, 900000, r * 2654435761u);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	ASSERT(hi - lo > 8000); /* boards that failed together do not retry together */
}

TEST(header_line_splits_into_trimmed_name_and_value)
{
	char n[64], v[256];
	const char *line = "ETag:   W/\"5f1-1a2b\" \r\n";

	ASSERT_EQ_INT(ls_http_header_split(line, strlen(line), n, sizeof(n), v, sizeof(v)), 1);
	ASSERT_EQ_STR(n, "ETag");
	ASSERT_EQ_STR(v, "W/\"5f1-1a2b\"");
	line = "Last-Modified: Mon, 25 Nov 2024 10:00:00 GMT\r\n";
	ASSERT_EQ_INT(ls_http_header_split(line, strlen(line), n, sizeof(n), v, sizeof(v)), 1);
	ASSERT_EQ_STR(v, "Mon, 25 Nov 2024 10:00:00 GMT");
	line = "X-Empty:\r\n";
	ASSERT_EQ_INT(ls_http_header_split(line, strlen(line), n, sizeof(n), v, sizeof(v)), 1);
	ASSERT_EQ_STR(v, "");
}

TEST(header_status_line_and_blank_line_are_not_headers)
{
	char n[64], v[256];

	ASSERT_EQ_INT(ls_http_header_split("HTTP/1.1 304 Not Modified\r\n", 27, n, 64, v, 256), 0);
	ASSERT_EQ_INT(ls_http_header_split("\r\n", 2, n, 64, v, 256), 0);
}

TEST(header_malformed_or_oversized_lines_are_refused)
{
	char n[64], v[16];
	const char *bad[] = {"no colon here\r\n", ": value\r\n", "Bad Name: x\r\n"};
	const char *big = "ETag: \"0123456789abcdef0123\"\r\n";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_EQ_INT(ls_http_header_split(bad[i], strlen(bad[i]), n, 64, v, 16), -1);
	ASSERT_EQ_INT(ls_http_header_split(big, strlen(big), n, 64, v, 16), -1);
	/* The length bounds the read: a line without its terminator is read no further. */
	ASSERT_EQ_INT(ls_http_header_split("ETag: \"abc\"XXXX", 11, n, 64, v, 16), 1);
	ASSERT_EQ_STR(v, "\"abc\"");
}

TEST(url_file_name_ignores_query_and_fragment)
{
	char out[64];

	ls_url_file_name("https://h.vn/a/b/feed.json?v=2#x", out, sizeof(out));
	ASSERT_EQ_STR(out, "feed.json");
	ls_url_file_name("https://h.vn", out, sizeof(out));
	ASSERT_EQ_STR(out, "");
	ls_url_file_name("file:///srv/www/office.json", out, sizeof(out));
	ASSERT_EQ_STR(out, "office.json");
}

struct keys {
	struct ls_pubkey pub;
	struct ls_seckey sec;
};

static struct keys make_keys(void)
{
	struct keys k;

	ASSERT(ls_keypair_generate(&k.pub, &k.sec, NULL) == 0);
	return k;
}

static char *sign(const struct keys *k, const char *body, const char *file, int64_t ts)
{
	char *sig = ls_sig_sign(&k->sec, body, strlen(body), file, NULL, ts, NULL);

	ASSERT(sig != NULL);
	return sig;
}

#define NOW 1732530600 /* the board's clock in the checks below */

/* A floor at last set by k for body (so an equal timestamp is that same
 * version), on a board whose clock reads NOW and is synchronised. */
static struct ls_feed_expect expect(const struct keys *k, const char *body, int64_t last)
{
	struct ls_feed_expect x = {.floor = {.timestamp = last}, .now = NOW, .clock_synced = 1};

	memcpy(x.floor.key_id, k->pub.id, 8);
	crypto_generichash(x.floor.hash, 32, (const uint8_t *)body, strlen(body), NULL, 0);
	return x;
}

static struct ls_playlist *check_x(const struct keys *k, const char *url, const char *body,
				   const char *sig, const struct ls_feed_expect *x, int64_t *ts,
				   struct ls_error *err)
{
	struct ls_feed_floor fl;
	struct ls_playlist *pl = ls_feed_check(&k->pub, 1, url, body, strlen(body), sig,
					       sig ? strlen(sig) : 0, x, &fl, err);

	*ts = fl.timestamp;
	return pl;
}

static struct ls_playlist *check(const struct keys *k, const char *body, const char *sig,
				 int64_t last, int64_t *ts, struct ls_error *err)
{
	struct ls_feed_expect x = expect(k, body, last);

	return check_x(k, URL, body, sig, &x, ts, err);
}

TEST(check_accepts_a_signed_playlist_and_reports_its_timestamp)
{
	struct keys k = make_keys();
	char *sig = sign(&k, BODY, "feed.json", 1732530000);
	struct ls_error err;
	int64_t ts;
	struct ls_playlist *pl = check(&k, BODY, sig, 1732529999, &ts, &err);

	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_EQ_INT(ts, 1732530000);
	ASSERT_EQ_INT(pl->n_items, 1);
	ls_playlist_free(pl);
	pl = check(&k, BODY, sig, 1732530000, &ts, &err); /* the same version again is fine */
	ASSERT(pl);
	ls_playlist_free(pl);
	free(sig);
}

TEST(check_refuses_an_older_signed_playlist_as_a_replay)
{
	struct keys k = make_keys();
	char *sig = sign(&k, BODY, "feed.json", 1700000000);
	struct ls_error err;
	int64_t ts;

	ASSERT(!check(&k, BODY, sig, 1732530000, &ts, &err));
	ASSERT_CONTAINS(err.msg, "replay refused");
	ASSERT_CONTAINS(err.msg, "1700000000");
	free(sig);
}

TEST(check_refuses_a_signature_made_for_another_file)
{
	struct keys k = make_keys();
	char *sig = sign(&k, BODY, "province.json", 1732530000);
	struct ls_error err;
	int64_t ts;

	ASSERT(!check(&k, BODY, sig, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "made for 'province.json', not 'feed.json'");
	free(sig);
}

/* A prehashed minisign signature with any trusted comment, as `minisign -t`
 * makes one (ls_sig_sign always writes its own comment). */
static char *sign_comment(const struct keys *k, const char *body, const char *comment)
{
	uint8_t hash[crypto_generichash_BYTES_MAX], blob[74], global[64];
	uint8_t *msg = malloc(64 + strlen(comment));
	char b1[128], b2[128], *out = malloc(strlen(comment) + 512);

	ASSERT(msg && out);
	crypto_generichash(hash, sizeof(hash), (const uint8_t *)body, strlen(body), NULL, 0);
	memcpy(blob, "ED", 2);
	memcpy(blob + 2, k->sec.id, 8);
	crypto_sign_detached(blob + 10, NULL, hash, sizeof(hash), k->sec.sk);
	memcpy(msg, blob + 10, 64);
	memcpy(msg + 64, comment, strlen(comment));
	crypto_sign_detached(global, NULL, msg, 64 + strlen(comment), k->sec.sk);
	sodium_bin2base64(b1, sizeof(b1), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b2, sizeof(b2), global, sizeof(global), sodium_base64_VARIANT_ORIGINAL);
	sprintf(out, "untrusted comment: test\n%s\ntrusted comment: %s\n%s\n", b1, comment, b2);
	free(msg);
	return out;
}

TEST(check_refuses_a_signature_whose_file_name_is_too_long_to_compare)
{
	struct keys k = make_keys();
	char comment[512], *sig;
	struct ls_error err;
	int64_t ts;

	snprintf(comment, sizeof(comment), "timestamp:1732530000\tfile:%0300d.json\thashed", 7);
	sig = sign_comment(&k, BODY, comment);
	ASSERT(!check(&k, BODY, sig, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "signature refused");
	ASSERT_CONTAINS(err.msg, "names a file of 305 bytes");
	free(sig);
	/* and ledsign does not make such signatures */
	memset(comment, 'n', 300);
	comment[300] = '\0';
	ASSERT(!ls_sig_sign(&k.sec, BODY, strlen(BODY), comment, NULL, 1, &err));
	ASSERT_CONTAINS(err.msg, "the file name is 300 bytes");
}

TEST(check_refuses_a_signature_that_names_no_file)
{
	struct keys k = make_keys();
	char *sig = sign_comment(&k, BODY, "timestamp:1732530000\tmy own comment");
	struct ls_error err;
	int64_t ts;

	ASSERT(!check(&k, BODY, sig, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "names no file");
	ASSERT_CONTAINS(err.msg, "ledsign publish");
	free(sig);
}

TEST(check_accepts_a_minisign_style_comment_naming_this_file_and_its_path)
{
	struct keys k = make_keys();
	char *sig =
	    sign_comment(&k, BODY, "timestamp:1732530000\tfile:feed.json\tpath:national/feed.json");
	struct ls_error err;
	int64_t ts;
	struct ls_playlist *pl = check(&k, BODY, sig, -1, &ts, &err);

	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_EQ_INT(ts, 1732530000);
	ls_playlist_free(pl);
	free(sig);
}

/* Plain `minisign -Sm` names the file only: fetched, that binds no layer and
 * is refused; a cached version from before path: existed still shows. */
TEST(a_signature_without_a_layer_path_is_refused_when_fetched_and_shown_from_the_cache)
{
	struct keys k = make_keys();
	char *sig = sign_comment(&k, BODY, "timestamp:1732530000\tfile:feed.json\thashed");
	struct ls_feed_expect x = expect(&k, BODY, -1);
	struct ls_error err;
	int64_t ts;
	struct ls_playlist *pl;

	ASSERT(!check_x(&k, URL, BODY, sig, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "names no layer path (path:DIR/feed.json)");
	x.cached = 1;
	pl = check_x(&k, URL, BODY, sig, &x, &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(sig);
}

TEST(check_refuses_missing_wrong_or_foreign_signatures)
{
	struct keys k = make_keys(), other = make_keys();
	const char *tampered = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"HACKED\"}]}";
	char *sig = sign(&k, BODY, "feed.json", 1732530000);
	char *foreign = sign(&other, BODY, "feed.json", 1732530000);
	struct ls_error err;
	int64_t ts;

	ASSERT(!check(&k, BODY, NULL, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "no signature");
	ASSERT(!check(&k, tampered, sig, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "signature refused");
	ASSERT(!check(&k, BODY, foreign, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, "signature refused");
	free(sig);
	free(foreign);
}

TEST(check_refuses_a_well_signed_body_that_is_not_a_playlist)
{
	struct keys k = make_keys();
	const char *bodies[] = {"{\"version\":1,\"items\":[", "{\"version\":1,\"items\":[{\"id\":"
							      "\"a\",\"text\":\"\xc3\x28\"}]}"};

	for (int i = 0; i < 2; i++) {
		char *sig = sign(&k, bodies[i], "feed.json", 1732530000);
		struct ls_error err;
		int64_t ts;

		ASSERT(!check(&k, bodies[i], sig, -1, &ts, &err));
		ASSERT_CONTAINS(err.msg, URL);
		free(sig);
	}
}

TEST(check_without_keys_accepts_unsigned_playlists)
{
	struct ls_error err;
	struct ls_feed_floor fl;
	struct ls_feed_expect x = {.floor = {.timestamp = 99}, .now = NOW, .clock_synced = 1};
	struct ls_playlist *pl =
	    ls_feed_check(NULL, 0, URL, BODY, strlen(BODY), NULL, 0, &x, &fl, &err);

	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_EQ_INT(fl.timestamp, -1);
	ls_playlist_free(pl);
}

TEST(check_refuses_an_item_zone_this_system_does_not_know)
{
	const char *typo = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\"},"
			   "{\"id\":\"b\",\"text\":\"y\",\"timezone\":\"Asia/Ho_Chi_Mihn\"}]}";
	const char *real = "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\","
			   "\"timezone\":\"Asia/Ho_Chi_Minh\"}]}";
	struct keys k = make_keys();
	char *sig = sign(&k, typo, "feed.json", 1732530000);
	struct ls_error err;
	struct ls_feed_floor fl;
	int64_t ts;
	struct ls_playlist *pl;

	ASSERT(!check(&k, typo, sig, -1, &ts, &err));
	ASSERT_CONTAINS(err.msg, URL ": items[1].timezone: Asia/Ho_Chi_Mihn is not a known time "
				     "zone; use e.g. Asia/Ho_Chi_Minh");
	ASSERT(!ls_feed_check(NULL, 0, URL, typo, strlen(typo), NULL, 0, NULL, &fl, &err));
	ASSERT_CONTAINS(err.msg, "items[1].timezone");
	pl = ls_feed_check(NULL, 0, URL, real, strlen(real), NULL, 0, NULL, &fl, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(sig);
}

static char *sign_claims(const struct keys *k, const char *body, const char *path, int reset,
			 int64_t ts)
{
	struct ls_sig_claims c = {
	    .file = "feed.json", .path = path, .reset_floor = reset, .timestamp = ts};
	char *sig = ls_sig_sign_claims(&k->sec, body, strlen(body), &c, NULL);

	ASSERT(sig);
	return sig;
}

/* The freeze attack: a version dated far ahead would make every honest one
 * after it look like a replay. */
TEST(a_signature_dated_beyond_the_tolerance_ahead_of_a_synchronised_clock_is_refused)
{
	struct keys k = make_keys();
	char *far = sign(&k, BODY, "feed.json", NOW + LS_FEED_AHEAD_MAX_S + 1),
	     *near = sign(&k, BODY, "feed.json", NOW + LS_FEED_AHEAD_MAX_S);
	struct ls_feed_expect x = expect(&k, BODY, -1);
	struct ls_error err;
	struct ls_playlist *pl;
	int64_t ts;

	ASSERT(!check_x(&k, URL, BODY, far, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "3601 s ahead of this board's synchronised clock (at most 3600");
	ASSERT_CONTAINS(err.msg, "fix the publishing machine's clock");
	pl = check_x(&k, URL, BODY, near, &x, &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	x.clock_synced = 0; /* a board that cannot know the date takes it */
	pl = check_x(&k, URL, BODY, far, &x, &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_EQ_INT(ts, NOW + LS_FEED_AHEAD_MAX_S + 1);
	ls_playlist_free(pl);
	free(far);
	free(near);
}

/* The way out of a floor frozen in the future: a recent reset-floor version
 * on a synchronised clock, or retiring the key that set the floor. */
TEST(a_recent_reset_floor_version_or_a_rotated_key_gets_below_a_frozen_floor)
{
	struct keys k = make_keys(), gone = make_keys();
	char *plain = sign_claims(&k, BODY, NULL, 0, NOW - 100),
	     *reset = sign_claims(&k, BODY, NULL, 1, NOW - 100),
	     *stale = sign_claims(&k, BODY, NULL, 1, NOW - LS_FEED_RESET_WINDOW_S - 1);
	struct ls_feed_expect x = expect(&k, "other", 2000000000);
	struct ls_error err;
	struct ls_playlist *pl;
	int64_t ts;

	ASSERT(!check_x(&k, URL, BODY, plain, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "replay refused");
	pl = check_x(&k, URL, BODY, reset, &x, &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_EQ_INT(ts, NOW - 100); /* the new, lower floor */
	ls_playlist_free(pl);
	ASSERT(!check_x(&k, URL, BODY, stale, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "its reset-floor was signed 86401 s ago, more than 86400");
	x.clock_synced = 0;
	ASSERT(!check_x(&k, URL, BODY, reset, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "its reset-floor needs a synchronised board clock");
	memcpy(x.floor.key_id, gone.pub.id, 8); /* the floor's key is no longer configured */
	pl = check_x(&k, URL, BODY, plain, &x, &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(plain);
	free(reset);
	free(stale);
}

TEST(a_different_body_with_the_accepted_timestamp_is_refused)
{
	struct keys k = make_keys();
	const char *other = "{\"version\":1,\"items\":[{\"id\":\"b\",\"text\":\"other\"}]}";
	char *sig = sign(&k, other, "feed.json", 1732530000);
	struct ls_feed_expect x = expect(&k, BODY, 1732530000);
	struct ls_error err;
	int64_t ts;

	ASSERT(!check_x(&k, URL, other, sig, &x, &ts, &err));
	ASSERT_CONTAINS(err.msg, "signed at 1732530000 like the version accepted, but with other "
				 "content");
	free(sig);
}

/* Every layer's file is feed.json: the national file served at the province
 * URL names the national path, and is refused there. */
TEST(a_signature_binds_its_layer_path_so_another_layers_file_is_refused)
{
	struct keys k = make_keys();
	char *national = sign_claims(&k, BODY, "national/feed.json", 0, 1732530000);
	struct ls_feed_expect x = expect(&k, BODY, -1);
	struct ls_error err;
	struct ls_playlist *pl;
	int64_t ts;

	ASSERT(!check_x(&k, "https://feed.example.vn/ha-noi/feed.json", BODY, national, &x, &ts,
			&err));
	ASSERT_CONTAINS(err.msg, "made for the layer path 'national/feed.json', and this feed's "
				 "URL path '/ha-noi/feed.json' does not end in it");
	ASSERT(!check_x(&k, "https://feed.example.vn/x-national/feed.json", BODY, national, &x, &ts,
			&err));
	pl = check_x(&k, "https://feed.example.vn/feed/national/feed.json?v=3", BODY, national, &x,
		     &ts, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(national);
}

TEST(conditional_headers_never_carry_a_date_later_than_the_board_clock)
{
	char inm[300], ims[300];

	ls_feed_conditions("\"5f1-1a\"", "Thu, 01 Jan 2037 00:00:00 GMT", NOW, inm, ims,
			   sizeof(inm));
	ASSERT_EQ_STR(inm, "If-None-Match: \"5f1-1a\"");
	ASSERT_EQ_STR(ims, "");
	ls_feed_conditions("", "Mon, 25 Nov 2024 10:00:00 GMT", NOW, inm, ims, sizeof(inm));
	ASSERT_EQ_STR(inm, "");
	ASSERT_EQ_STR(ims, "If-Modified-Since: Mon, 25 Nov 2024 10:00:00 GMT");
	ls_feed_conditions("", "not a date", NOW, inm, ims, sizeof(inm));
	ASSERT_EQ_STR(ims, "");
}

TEST(poll_jitter_stays_within_ten_percent_and_spreads)
{
	int64_t lo = INT64_MAX, hi = 0;

	ASSERT_EQ_INT(ls_poll_jitter_ms(60000, 0), 54000);
	ASSERT_EQ_INT(ls_poll_jitter_ms(60000, 12000), 66000);
	for (uint32_t r = 0; r < 5000; r++) {
		int64_t v = ls_poll_jitter_ms(60000, r * 2654435761u);
		ASSERT(v >= 54000 && v <= 66000);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	ASSERT(hi - lo > 10000);
}

/* ---- the feeds object, over file:// (no server) ---- */

struct heard {
	int accepted, failed, cached, warned, unchanged;
	int loaded, failed_loading; /* by the cache load, before the poll */
	int fail_has_content;	    /* has_content of the last FAILED event */
	char msg[LS_ERROR_MAX + 64], fail_msg[LS_ERROR_MAX + 64], accept_msg[LS_ERROR_MAX + 64];
	char warn_msg[4 * LS_ERROR_MAX]; /* every warning, one a line */
};

static void hear(void *user, const struct ls_feed_event *ev)
{
	struct heard *h = user;

	h->accepted += ev->kind == LS_FEED_ACCEPTED;
	h->failed += ev->kind == LS_FEED_FAILED;
	h->cached += ev->kind == LS_FEED_CACHED;
	h->warned += ev->kind == LS_FEED_WARNING;
	h->unchanged += ev->kind == LS_FEED_UNCHANGED;
	if (ev->kind != LS_FEED_UNCHANGED)
		snprintf(h->msg, sizeof(h->msg), "%s", ev->msg);
	if (ev->kind == LS_FEED_ACCEPTED)
		snprintf(h->accept_msg, sizeof(h->accept_msg), "%s", ev->msg);
	if (ev->kind == LS_FEED_FAILED) {
		snprintf(h->fail_msg, sizeof(h->fail_msg), "%s", ev->msg);
		h->fail_has_content = ev->has_content;
	}
	if (ev->kind == LS_FEED_WARNING)
		snprintf(h->warn_msg + strlen(h->warn_msg),
			 sizeof(h->warn_msg) - strlen(h->warn_msg), "%s\n", ev->msg);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ASSERT(f);
	fputs(text, f);
	fclose(f);
}

/* A board configured with k's public key and one file:// feed in dir. */
static void board_config(struct ls_config *cfg, const struct keys *k, const char *dir)
{
	char *pub = ls_pubkey_format(&k->pub);

	ASSERT(pub);
	ls_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s/ledsign.conf", dir);
	snprintf(cfg->feed.urls[0], LS_URL_MAX, "file://%s/feed.json", dir);
	cfg->feed.n_urls = 1;
	snprintf(cfg->feed.pubkeys[0], sizeof(cfg->feed.pubkeys[0]), "%.*s",
		 (int)strcspn(strchr(pub, '\n') + 1, "\n"), strchr(pub, '\n') + 1);
	cfg->feed.n_pubkeys = 1;
	snprintf(cfg->feed.cache_dir, sizeof(cfg->feed.cache_dir), "%s", dir);
	snprintf(cfg->feed.state_dir, sizeof(cfg->feed.state_dir), "%s", dir);
	free(pub);
}

/* Loads the cache, then polls once; returns what the feeds said. */
static struct heard cache_then_poll(const struct ls_config *cfg)
{
	struct ls_feeds_timing t = {.poll_ms = 60000, .backoff_base_ms = 60000};
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct heard h = {0};
	struct ls_error err;
	struct ls_feeds *f;

	ASSERT(net);
	f = ls_feeds_new(cfg, net, &t, hear, &h, &err);
	ASSERT_MSG(f, "%s", err.msg);
	ls_feeds_load_cache(f, 1800000000);
	h.loaded = h.cached;
	h.failed_loading = h.failed;
	for (int64_t end = mono_ms() + 10000;
	     !h.accepted && h.failed == h.failed_loading && mono_ms() < end;) {
		struct ls_now now = {.mono_ms = mono_ms(), .wall_s = 1800000000};

		ls_feeds_tick(f, &now);
		ls_loop_once(loop, 10);
	}
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
	return h;
}

/* Caches `old` with old_sig under a record timestamp field of year 2100 (a
 * field the signature does not cover), publishes BODY with new_sig, and lets
 * the board start from its cache and poll once. */
static struct heard cache_2100_then_poll(const struct keys *k, const char *old, const char *old_sig,
					 const char *new_sig)
{
	const char *dir = th_tmpdir();
	struct ls_cache_entry e = {.etag = "",
				   .last_modified = "",
				   .timestamp = 4102444800,
				   .stored_at = 1800000000,
				   .body = (uint8_t *)old,
				   .body_len = strlen(old),
				   .sig = (char *)old_sig,
				   .sig_len = strlen(old_sig)};
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct ls_error err;
	struct heard h;

	ASSERT(cfg);
	board_config(cfg, k, dir);
	ASSERT_MSG(!ls_cache_store(dir, cfg->feed.urls[0], &e, &err), "%s", err.msg);
	write_text(dir, "feed.json", BODY);
	write_text(dir, "feed.json.minisig", new_sig);
	h = cache_then_poll(cfg);
	free(cfg);
	return h;
}

/* Over a version signed at 1000 whose record says 2100, the floor for replays
 * is the signed 1000, so a version signed at 2000 is accepted. */
TEST(replay_floor_comes_from_the_verified_cached_signature_not_the_record_field)
{
	struct keys k = make_keys();
	const char *old = "{\"version\":1,\"items\":[{\"id\":\"old\",\"text\":\"x\"}]}";
	char *old_sig = sign(&k, old, "feed.json", 1000),
	     *new_sig = sign(&k, BODY, "feed.json", 2000);
	struct heard h = cache_2100_then_poll(&k, old, old_sig, new_sig);

	ASSERT_EQ_INT(h.loaded, 1);
	ASSERT_MSG(h.accepted == 1, "the newer version was not accepted: %s", h.msg);
	free(old_sig);
	free(new_sig);
}

/* A cached version that no longer verifies (signed by a key the board no
 * longer has) is not shown, and its record's timestamp sets no floor. */
TEST(a_cached_version_that_fails_verification_is_not_shown_and_sets_no_floor)
{
	struct keys k = make_keys(), gone = make_keys();
	char *old_sig = sign(&gone, BODY, "feed.json", 3000),
	     *new_sig = sign(&k, BODY, "feed.json", 2000);
	struct heard h = cache_2100_then_poll(&k, BODY, old_sig, new_sig);

	ASSERT_EQ_INT(h.loaded, 0);
	ASSERT_EQ_INT(h.failed_loading, 1);
	ASSERT_MSG(h.accepted == 1, "the fetched version was not accepted: %s", h.msg);
	free(old_sig);
	free(new_sig);
}

TEST(layers_merge_in_config_order_skipping_empty_layers)
{
	struct ls_playlist a = {.name = "national"}, b = {.name = "province"},
			   c = {.name = "office"};
	struct ls_playlist *layers[4] = {&a, NULL, &b, &c}, *out[4] = {0};

	ASSERT_EQ_INT(ls_layers_merge(layers, 4, out), 3);
	ASSERT(out[0] == &a && out[1] == &b && out[2] == &c);
	layers[0] = NULL;
	ASSERT_EQ_INT(ls_layers_merge(layers, 4, out), 2);
	ASSERT(out[0] == &b && out[1] == &c);
}

TEST(status_counts_a_play_per_new_item_or_restart_and_seconds_shown)
{
	struct ls_status *st = ls_status_new("b", 0, 1000);
	long plays;
	int64_t ms;

	ls_status_frame(st, "a", 0, 0);
	ls_status_frame(st, "a", 0, 400);
	ls_status_frame(st, "b", 400, 1000); /* a played 0..1000 */
	ls_status_frame(st, "a", 1000, 1500);
	ls_status_frame(st, "a", 1500, 2000); /* a restarts: a new play */
	ls_status_frame(st, NULL, 0, 2600);
	ls_status_item(st, "a", &plays, &ms);
	ASSERT_EQ_INT(plays, 3);
	ASSERT_EQ_INT(ms, 1000 + 1100);
	ls_status_item(st, "b", &plays, &ms);
	ASSERT_EQ_INT(plays, 1);
	ASSERT_EQ_INT(ms, 500);
	ls_status_free(st);
}

TEST(heartbeat_carries_only_its_interval_and_its_sequence)
{
	struct ls_status *st = ls_status_new("Ba Đình", 0, 1000);
	char *h1, *h2;

	ls_status_frame(st, "a", 0, 0);
	ls_status_frame(st, "a", 0, 3000);
	h1 = ls_status_heartbeat(st, NULL, 7, 3000, 1003);
	ls_status_frame(st, "b", 3000, 3000);
	ls_status_frame(st, "b", 3000, 5000);
	h2 = ls_status_heartbeat(st, NULL, 8, 5000, 1005);
	ASSERT_CONTAINS(h1, "\"seq\":\t7");
	ASSERT_CONTAINS(h1, "\"id\":\t\"a\"");
	ASSERT(!strstr(h1, "\"id\":\t\"b\""));
	ASSERT_CONTAINS(h2, "\"seq\":\t8");
	ASSERT_CONTAINS(h2, "\"id\":\t\"b\"");
	ASSERT(!strstr(h2, "\"id\":\t\"a\""));
	ASSERT_CONTAINS(h2, "Ba Đình");
	free(h1);
	free(h2);
	ls_status_free(st);
}

/* ---- the feeds object against a scripted HTTP server ---- */

/* Answers request number nth (from 0) for path on out. */
typedef void (*serve_fn)(FILE *out, const char *path, int nth, void *ctx);

struct server {
	pid_t pid;
	int port;
	char log[600]; /* every request's head, appended */
};

static void serve_loop(int ls, serve_fn fn, void *ctx, const char *log)
{
	static char req[65536];

	for (int nth = 0;; nth++) {
		char path[512] = "";
		size_t len = 0;
		ssize_t r;
		int c = accept(ls, NULL, NULL);
		FILE *lf, *out;

		if (c < 0)
			continue;
		while (len < sizeof(req) - 1 &&
		       (r = read(c, req + len, sizeof(req) - 1 - len)) > 0) {
			len += (size_t)r;
			req[len] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[len] = '\0';
		lf = fopen(log, "a");
		if (lf) {
			fputs(req, lf);
			fclose(lf);
		}
		sscanf(req, "GET %511s", path);
		out = fdopen(c, "w");
		if (!out)
			_exit(1);
		fn(out, path, nth, ctx);
		fclose(out);
	}
}

/* A server in a child process on a free loopback port; stop with server_stop(). */
static struct server server_start(serve_fn fn, void *ctx)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	struct server sv = {0};
	int ls = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT(ls >= 0 && !bind(ls, (struct sockaddr *)&a, sizeof(a)) && !listen(ls, 16) &&
	       !getsockname(ls, (struct sockaddr *)&a, &al));
	sv.port = ntohs(a.sin_port);
	snprintf(sv.log, sizeof(sv.log), "%s/requests.log", th_tmpdir());
	fflush(NULL);
	sv.pid = fork();
	ASSERT(sv.pid >= 0);
	if (sv.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test's server goes with it */
		serve_loop(ls, fn, ctx, sv.log);
		_exit(0);
	}
	close(ls);
	return sv;
}

static void server_stop(struct server *sv)
{
	kill(sv->pid, SIGKILL);
	waitpid(sv->pid, NULL, 0);
}

/* The requests the server saw (malloc'd). */
static char *server_log(const struct server *sv)
{
	FILE *f = fopen(sv->log, "r");
	char *s = calloc(1, 1 << 20);

	ASSERT(f && s);
	s[fread(s, 1, (1 << 20) - 1, f)] = '\0';
	fclose(f);
	return s;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void respond(FILE *out, int status, const char *headers, const char *body)
{
	fprintf(out, "HTTP/1.1 %d X\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n%s",
		status, strlen(body), headers, body);
}

/* What the scripted feed serves: body and sig (signed for national/feed.json),
 * and the extra headers of the body's answers. */
struct script {
	const char *body, *sig, *headers;
	int first_304, etag_per_answer, big_header, big_sig, status;
	const uint8_t *picture; /* what /national/pictures/ answers, with picture_headers */
	size_t picture_len;
	int picture_status;
	const char *picture_headers;
};

static void serve_script(FILE *out, const char *path, int nth, void *ctx)
{
	const struct script *sc = ctx;
	char h[256];

	if (strstr(path, "/pictures/")) {
		fprintf(out, "HTTP/1.1 %d X\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n",
			sc->picture_status ? sc->picture_status : 200, sc->picture_len,
			sc->picture_headers ? sc->picture_headers : "");
		fwrite(sc->picture, 1, sc->picture_len, out);
	} else if (strstr(path, ".minisig")) {
		if (sc->big_sig) {
			fprintf(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: "
				     "20000\r\n\r\n");
			for (int i = 0; i < 20000; i++)
				fputc('A', out);
			return;
		}
		respond(out, 200, "", sc->sig);
	} else if (sc->first_304 && nth == 0) {
		fprintf(out, "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
	} else if (sc->big_header) {
		fprintf(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nX-Big: ");
		for (int i = 0; i < 110 * 1024; i++)
			fputc('a', out);
		fprintf(out, "\r\nContent-Length: %zu\r\n\r\n%s", strlen(sc->body), sc->body);
	} else {
		snprintf(h, sizeof(h), "%s", sc->headers ? sc->headers : "");
		if (sc->etag_per_answer)
			snprintf(h, sizeof(h), "ETag: \"e%d\"\r\n", nth);
		respond(out, sc->status ? sc->status : 200, h, sc->body);
	}
}

struct rig {
	struct ls_config cfg;
	struct ls_loop *loop;
	struct ls_net *net;
	struct ls_feeds *f;
	struct heard h;
	struct server sv;
};

/* A board with k's key polling the script every 50 ms. Free with rig_free(). */
static struct rig *rig_new(const struct keys *k, struct script *sc)
{
	struct ls_feeds_timing t = {.poll_ms = 50, .backoff_base_ms = 50, .backoff_cap_ms = 50};
	struct rig *g = calloc(1, sizeof(*g));
	struct ls_error err;

	ASSERT(g);
	g->sv = server_start(serve_script, sc);
	board_config(&g->cfg, k, th_tmpdir());
	snprintf(g->cfg.feed.urls[0], LS_URL_MAX, "http://127.0.0.1:%d/national/feed.json",
		 g->sv.port);
	g->loop = ls_loop_new(NULL);
	g->net = g->loop ? ls_net_new(g->loop) : NULL;
	ASSERT(g->net);
	g->f = ls_feeds_new(&g->cfg, g->net, &t, hear, &g->h, &err);
	ASSERT_MSG(g->f, "%s", err.msg);
	return g;
}

static void rig_free(struct rig *g)
{
	ls_feeds_free(g->f);
	ls_net_free(g->net);
	ls_loop_free(g->loop);
	server_stop(&g->sv);
	free(g);
}

/* Drives f until it completed `polls` polls, or 10 s passed. */
static struct ls_feed_state drive(struct ls_feeds *f, struct ls_loop *loop, unsigned long polls)
{
	struct ls_feed_state st;

	for (int64_t end = mono_ms() + 10000; mono_ms() < end;) {
		struct ls_now now = {.mono_ms = mono_ms(), .wall_s = NOW};

		ls_feeds_tick(f, &now);
		ls_feeds_state(f, 0, &st);
		if (st.polls >= polls)
			return st;
		ls_loop_once(loop, 5);
	}
	ls_feeds_state(f, 0, &st);
	return st;
}

#define SIGNED_FOR_NATIONAL(k) sign_claims(k, BODY, "national/feed.json", 0, NOW - 60)

/* Two servers behind one name (or a CDN) give the same bytes a new ETag each
 * time: the board sends the newest one, but writes its cache only once. */
TEST(a_flapping_etag_over_the_same_content_writes_the_cache_once)
{
	struct keys k = make_keys();
	struct script sc = {.body = BODY, .sig = SIGNED_FOR_NATIONAL(&k), .etag_per_answer = 1};
	struct rig *g = rig_new(&k, &sc);
	struct ls_feed_state st = drive(g->f, g->loop, 6);
	char *log = server_log(&g->sv);

	ASSERT_EQ_INT(st.polls, 6);
	ASSERT_MSG(g->h.accepted == 1, "%s", g->h.msg);
	ASSERT_EQ_INT(st.not_modified, 5);
	ASSERT_EQ_INT(st.cache_writes, 1);
	ASSERT(count(log, "If-None-Match: \"e") >= 4); /* the newest validator goes back */
	free(log);
	rig_free(g);
	free((char *)sc.sig);
}

TEST(a_304_to_the_first_poll_is_logged_and_followed_by_an_uncached_fetch)
{
	struct keys k = make_keys();
	struct script sc = {.body = BODY, .sig = SIGNED_FOR_NATIONAL(&k), .first_304 = 1};
	struct rig *g = rig_new(&k, &sc);
	char *log;

	drive(g->f, g->loop, 2);
	log = server_log(&g->sv);
	ASSERT_CONTAINS(g->h.warn_msg, "304 Not Modified to a request without validators");
	ASSERT_MSG(g->h.accepted == 1, "%s", g->h.msg);
	ASSERT_EQ_INT(g->h.failed, 0);
	ASSERT(!strstr(log, "If-None-Match") && !strstr(log, "If-Modified-Since"));
	ASSERT_CONTAINS(strstr(log, "GET /national/feed.json HTTP") + 1, "Cache-Control: no-cache");
	free(log);
	rig_free(g);
	free((char *)sc.sig);
}

TEST(a_future_last_modified_is_never_sent_back)
{
	struct keys k = make_keys();
	struct script sc = {.body = BODY,
			    .sig = SIGNED_FOR_NATIONAL(&k),
			    .headers = "Last-Modified: Thu, 01 Jan 2037 00:00:00 GMT\r\n"};
	struct rig *g = rig_new(&k, &sc);
	char *log;

	drive(g->f, g->loop, 3);
	log = server_log(&g->sv);
	ASSERT_MSG(g->h.accepted == 1, "%s", g->h.msg);
	ASSERT(!strstr(log, "If-Modified-Since"));
	free(log);
	rig_free(g);
	sc.headers = "Last-Modified: Mon, 25 Nov 2024 10:00:00 GMT\r\n";
	g = rig_new(&k, &sc);
	drive(g->f, g->loop, 3);
	log = server_log(&g->sv);
	ASSERT_CONTAINS(log, "If-Modified-Since: Mon, 25 Nov 2024 10:00:00 GMT");
	free(log);
	rig_free(g);
	free((char *)sc.sig);
}

TEST(a_giant_header_is_named_as_such_not_out_of_memory)
{
	struct keys k = make_keys();
	struct script sc = {.body = BODY, .sig = SIGNED_FOR_NATIONAL(&k), .big_header = 1};
	struct rig *g = rig_new(&k, &sc);

	drive(g->f, g->loop, 1);
	ASSERT_EQ_INT(g->h.failed, 1);
	ASSERT_CONTAINS(g->h.fail_msg, "a response header over libcurl's 100 KiB limit");
	ASSERT_MSG(strncmp(g->h.fail_msg, "body: Out of memory", 19), "%s", g->h.fail_msg);
	rig_free(g);
	free((char *)sc.sig);
}

TEST(an_oversized_minisig_is_not_told_to_raise_max_bytes)
{
	struct keys k = make_keys();
	struct script sc = {.body = BODY, .sig = SIGNED_FOR_NATIONAL(&k), .big_sig = 1};
	struct rig *g = rig_new(&k, &sc);

	drive(g->f, g->loop, 1);
	ASSERT_CONTAINS(g->h.fail_msg, "signature (.minisig) larger than 16384 bytes: not a "
				       "minisign signature");
	ASSERT_MSG(!strstr(g->h.fail_msg, "max_bytes"), "%s", g->h.fail_msg);
	rig_free(g);
	free((char *)sc.sig);
}

TEST(a_failure_with_nothing_to_show_says_so)
{
	struct keys k = make_keys();
	struct script sc = {.body = "gone", .sig = "", .status = 404};
	struct rig *g = rig_new(&k, &sc);

	drive(g->f, g->loop, 1);
	ASSERT_CONTAINS(g->h.fail_msg, "HTTP 404");
	ASSERT_EQ_INT(g->h.fail_has_content, 0);
	rig_free(g);
}

/* ---- the replay floor in the state directory, reloads, first polls ---- */

static void damage_cache(const char *dir, const char *url)
{
	char name[LS_CACHE_NAME_MAX];

	ls_cache_name(url, name);
	write_text(dir, name, "not a cache record any more");
}

/* After cache damage and a restart, an older signed version is still a replay. */
TEST(the_replay_floor_outlives_a_damaged_cache)
{
	struct keys k = make_keys();
	const char *dir = th_tmpdir();
	const char *old = "{\"version\":1,\"items\":[{\"id\":\"old\",\"text\":\"x\"}]}";
	char *new_sig = sign(&k, BODY, "feed.json", 2000),
	     *old_sig = sign(&k, old, "feed.json", 1000);
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct heard h;
	char floor_file[700], name[LS_CACHE_NAME_MAX];
	struct stat st;

	ASSERT(cfg);
	board_config(cfg, &k, dir);
	write_text(dir, "feed.json", BODY);
	write_text(dir, "feed.json.minisig", new_sig);
	h = cache_then_poll(cfg);
	ASSERT_MSG(h.accepted == 1, "%s", h.msg);
	ls_cache_name(cfg->feed.urls[0], name);
	snprintf(floor_file, sizeof(floor_file), "%s/%.32s.floor", dir, name);
	ASSERT_MSG(!stat(floor_file, &st), "no %s", floor_file);
	damage_cache(dir, cfg->feed.urls[0]);
	write_text(dir, "feed.json", old);
	write_text(dir, "feed.json.minisig", old_sig);
	h = cache_then_poll(cfg);
	ASSERT_EQ_INT(h.accepted, 0);
	ASSERT_CONTAINS(h.fail_msg, "replay refused: signed at 1000, older than the version "
				    "accepted (signed at 2000)");
	free(cfg);
	free(new_sig);
	free(old_sig);
}

static struct ls_feeds *feeds_on(const struct ls_config *cfg, struct ls_net *net, struct heard *h,
				 const struct ls_feeds_timing *t)
{
	struct ls_error err;
	struct ls_feeds *f = ls_feeds_new(cfg, net, t, hear, h, &err);

	ASSERT_MSG(f, "%s", err.msg);
	ls_feeds_load_cache(f, NOW);
	return f;
}

/* A reload that changes a layer's url goes on showing that layer's last
 * good version until the new URL delivers one. */
TEST(a_changed_url_keeps_the_layers_last_good_version_until_the_new_one_delivers)
{
	struct keys k = make_keys();
	char a[600], b[600];
	struct ls_config *ca = malloc(sizeof(*ca)), *cb = malloc(sizeof(*cb));
	struct ls_feeds_timing t = {.poll_ms = 50, .backoff_base_ms = 50, .backoff_cap_ms = 50};
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct heard ha = {0}, hb = {0};
	struct ls_feeds *fa, *fb;
	struct ls_feed_state st;
	struct ls_playlist **pls;
	char *sig = sign(&k, BODY, "feed.json", 2000);
	int n;

	ASSERT(ca && cb && net);
	snprintf(a, sizeof(a), "%s/a", th_tmpdir());
	snprintf(b, sizeof(b), "%s/b", th_tmpdir());
	ASSERT(!mkdir(a, 0700) && !mkdir(b, 0700));
	board_config(ca, &k, a);
	board_config(cb, &k, b);
	write_text(a, "feed.json", BODY);
	write_text(a, "feed.json.minisig", sig);
	fa = feeds_on(ca, net, &ha, &t);
	st = drive(fa, loop, 1);
	ASSERT_MSG(ha.accepted == 1, "%s", ha.msg);
	fb = feeds_on(cb, net, &hb, &t);
	ASSERT_EQ_INT(ls_feeds_inherit(fb, fa), 1);
	ls_feeds_free(fa);
	ls_feeds_state(fb, 0, &st);
	ASSERT_EQ_INT(st.has_content, 1);
	ASSERT_EQ_STR(st.shown_from, ca->feed.urls[0]);
	ASSERT_CONTAINS(hb.warn_msg, "nothing from this URL yet; showing the layer's last good "
				     "version (from file://");
	n = ls_feeds_playlists(fb, &pls);
	ASSERT_EQ_INT(n, 1);
	ls_playlist_free(pls[0]);
	free(pls);
	st = drive(fb, loop, 1); /* b has no file yet */
	ASSERT_EQ_INT(hb.failed, 1);
	ASSERT_EQ_INT(hb.fail_has_content, 1);
	write_text(b, "feed.json", BODY); /* the same bytes, checked as b's own */
	write_text(b, "feed.json.minisig", sig);
	st = drive(fb, loop, st.polls + 1);
	ASSERT_MSG(hb.accepted == 1, "%s", hb.msg);
	ls_feeds_state(fb, 0, &st);
	ASSERT_EQ_STR(st.shown_from, cb->feed.urls[0]);
	ls_feeds_free(fb);
	ls_net_free(net);
	ls_loop_free(loop);
	free(ca);
	free(cb);
	free(sig);
}

static uint32_t fixed_random(void *user)
{
	return *(uint32_t *)user;
}

/* With the random source injected, poll times are exact: the first poll of
 * a cached layer within the first tenth, the next within +-10 %. */
TEST(first_poll_is_spread_and_later_polls_jittered_by_the_random_source)
{
	struct keys k = make_keys();
	const char *dir = th_tmpdir();
	uint32_t rnd = 12345;
	struct ls_feeds_timing t = {.poll_ms = 60000, .random = fixed_random, .random_user = &rnd};
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct heard h = {0};
	struct ls_feeds *f;
	struct ls_feed_state st;
	char *sig = sign(&k, BODY, "feed.json", 2000);
	struct ls_now now = {.mono_ms = 1000000, .wall_s = NOW};

	ASSERT(cfg && net);
	board_config(cfg, &k, dir);
	write_text(dir, "feed.json", BODY);
	write_text(dir, "feed.json.minisig", sig);
	f = feeds_on(cfg, net, &h, &t);
	ls_feeds_tick(f, &now); /* nothing cached: asks at once (running, no timer) */
	ASSERT_EQ_INT(ls_feeds_timeout_ms(f, now.mono_ms), -1);
	for (int64_t end = mono_ms() + 5000; !h.accepted && mono_ms() < end;) {
		ls_loop_once(loop, 5);
		ls_feeds_tick(f, &now);
	}
	ASSERT_MSG(h.accepted == 1, "%s", h.msg);
	/* 60000 - 6000 + 12345 % 12001 */
	ASSERT_EQ_INT(ls_feeds_timeout_ms(f, now.mono_ms), 54000 + 344);
	ls_feeds_free(f);
	f = feeds_on(cfg, net, &h, &t); /* a restart, now from the cache */
	ls_feeds_tick(f, &now);
	ASSERT_EQ_INT(ls_feeds_timeout_ms(f, now.mono_ms), 12345 % 6001);
	ls_feeds_state(f, 0, &st);
	ASSERT_EQ_INT(st.polls, 0);
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
	free(cfg);
	free(sig);
}

/* ---- per-layer keys ---- */

/* A layer that trusts two keys (a rotation) takes a version signed by
 * either, and refuses a third key naming itself and the key. */
TEST(a_layer_in_rotation_accepts_both_its_keys_and_names_any_other)
{
	struct keys old = make_keys(), new = make_keys(), other = make_keys();
	struct ls_pubkey both[2] = {old.pub, new.pub};
	struct ls_feed_expect x = {
	    .floor = {.timestamp = -1}, .now = NOW, .clock_synced = 1, .layer = "national"};
	char *by_old = sign_claims(&old, BODY, "national/feed.json", 0, NOW - 100),
	     *by_new = sign_claims(&new, BODY, "national/feed.json", 0, NOW - 50),
	     *by_other = sign_claims(&other, BODY, "national/feed.json", 0, NOW - 10);
	char id_old[LS_KEY_ID_HEX], id_new[LS_KEY_ID_HEX], id_other[LS_KEY_ID_HEX], want[160];
	struct ls_feed_floor fl;
	struct ls_playlist *pl;
	struct ls_error err;

	ls_key_id_hex(old.pub.id, id_old);
	ls_key_id_hex(new.pub.id, id_new);
	ls_key_id_hex(other.pub.id, id_other);
	pl = ls_feed_check(both, 2, URL, BODY, strlen(BODY), by_old, strlen(by_old), &x, &fl, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	x.floor = fl;
	pl = ls_feed_check(both, 2, URL, BODY, strlen(BODY), by_new, strlen(by_new), &x, &fl, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT(!memcmp(fl.key_id, new.pub.id, 8)); /* the floor now names the new key */
	ls_playlist_free(pl);
	ASSERT(!ls_feed_check(both, 2, URL, BODY, strlen(BODY), by_other, strlen(by_other), &x, &fl,
			      &err));
	snprintf(want, sizeof(want),
		 "signed with key %s, which layer national does not trust (it trusts %s, %s)",
		 id_other, id_old, id_new);
	ASSERT_CONTAINS(err.msg, want);
	free(by_old);
	free(by_new);
	free(by_other);
}

/* Polls every layer of cfg once after loading the cache. */
static void poll_every_layer(const struct ls_config *cfg, struct heard *h, struct ls_feed_state *st)
{
	struct ls_feeds_timing t = {.poll_ms = 60000, .backoff_base_ms = 60000};
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct ls_feeds *f;
	int done = 0;

	ASSERT(net);
	f = feeds_on(cfg, net, h, &t);
	for (int64_t end = mono_ms() + 10000; done < cfg->feed.n_urls && mono_ms() < end;) {
		struct ls_now now = {.mono_ms = mono_ms(), .wall_s = NOW, .wall_valid = 1};

		ls_feeds_tick(f, &now);
		ls_loop_once(loop, 10);
		done = 0;
		for (int i = 0; i < ls_feeds_count(f); i++) {
			ls_feeds_state(f, i, &st[i]);
			done += st[i].polls > 0;
		}
	}
	for (int i = 0; i < ls_feeds_count(f); i++) {
		ls_feeds_state(f, i, &st[i]);
		st[i].url = st[i].error = st[i].shown_from = st[i].layer = st[i].ignored =
		    NULL; /* freed below */
	}
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
}

static void set_key(struct ls_config *cfg, int i, const char *layer, const struct keys *k)
{
	char *pub = ls_pubkey_format(&k->pub);

	ASSERT(pub);
	snprintf(cfg->feed.pubkeys[i], sizeof(cfg->feed.pubkeys[i]), "%.*s", LS_PUBKEY_B64_LEN,
		 strchr(pub, '\n') + 1);
	snprintf(cfg->feed.pubkey_layers[i], LS_LAYER_NAME_MAX, "%s", layer);
	free(pub);
}

/* The district's key signs a file named and placed as the national one: the
 * national layer refuses it, names itself, the key and the district layer,
 * and keeps its cached version; the district's own file plays. */
TEST(a_national_file_signed_by_a_district_key_is_refused_naming_layer_and_key)
{
	struct keys nat = make_keys(), dist = make_keys();
	const char *dir = th_tmpdir();
	const char *good = "{\"version\":1,\"items\":[{\"id\":\"good\",\"text\":\"Quốc gia\"}]}";
	char *good_sig = sign_claims(&nat, good, "national/feed.json", 0, NOW - 500),
	     *forged = sign_claims(&dist, BODY, "national/feed.json", 0, NOW - 10),
	     *district = sign_claims(&dist, BODY, "ba-dinh/feed.json", 0, NOW - 10);
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct ls_feed_state st[2];
	struct heard h = {0};
	struct ls_cache_entry e;
	struct ls_error err;
	char sub[600], id[LS_KEY_ID_HEX], want[200];

	ASSERT(cfg);
	board_config(cfg, &nat, dir);
	snprintf(cfg->feed.urls[0], LS_URL_MAX, "file://%s/national/feed.json", dir);
	snprintf(cfg->feed.urls[1], LS_URL_MAX, "file://%s/ba-dinh/feed.json", dir);
	cfg->feed.n_urls = 2;
	snprintf(cfg->feed.layers[0], LS_LAYER_NAME_MAX, "national");
	snprintf(cfg->feed.layers[1], LS_LAYER_NAME_MAX, "ba-dinh");
	set_key(cfg, 0, "national", &nat);
	set_key(cfg, 1, "ba-dinh", &dist);
	cfg->feed.n_pubkeys = 2;
	for (int i = 0; i < 2; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, i ? "ba-dinh" : "national");
		ASSERT(!mkdir(sub, 0755));
	}
	/* first the national layer's own version, accepted and cached */
	snprintf(sub, sizeof(sub), "%s/national", dir);
	write_text(sub, "feed.json", good);
	write_text(sub, "feed.json.minisig", good_sig);
	snprintf(sub, sizeof(sub), "%s/ba-dinh", dir);
	write_text(sub, "feed.json", BODY);
	write_text(sub, "feed.json.minisig", district);
	poll_every_layer(cfg, &h, st);
	ASSERT_MSG(h.accepted == 2, "%s", h.msg);
	ls_key_id_hex(nat.pub.id, id);
	ASSERT_EQ_STR(st[0].signed_by, id);
	ASSERT_EQ_STR(st[0].keys[0], id);
	ASSERT_EQ_INT(st[0].n_keys, 1);
	/* then the forgery */
	snprintf(sub, sizeof(sub), "%s/national", dir);
	write_text(sub, "feed.json", BODY);
	write_text(sub, "feed.json.minisig", forged);
	h = (struct heard){0};
	poll_every_layer(cfg, &h, st);
	ASSERT_EQ_INT(h.cached, 2);
	ASSERT_EQ_INT(h.accepted, 0);
	ASSERT_EQ_INT(h.failed, 1);
	ls_key_id_hex(dist.pub.id, id);
	snprintf(
	    want, sizeof(want),
	    "signed with key %s, the key of layer ba-dinh, which layer national does not trust",
	    id);
	ASSERT_CONTAINS(h.fail_msg, want);
	ASSERT(h.fail_has_content);
	ASSERT_EQ_INT(st[0].failures, 1);
	/* the cache still holds the national layer's own version */
	ASSERT_MSG(ls_cache_load(dir, cfg->feed.urls[0], &e, &err) == 0, "%s", err.msg);
	ASSERT(e.body_len == strlen(good) && !memcmp(e.body, good, e.body_len));
	ls_cache_entry_free(&e);
	free(cfg);
	free(good_sig);
	free(forged);
	free(district);
}

/* A key the board does not know is ignored (a newer format's keys must not
 * break older boards), and the board says which, in its log and status. */
TEST(a_playlist_with_unknown_keys_plays_and_the_board_says_which_it_ignored)
{
	struct keys k = make_keys();
	const char *dir = th_tmpdir();
	const char *body = "{\"version\":1,\"items\":[\n{\"id\":\"a\",\"text\":\"BHXH\","
			   "\"window\":[\"07:00-11:00\"]}]}";
	char *sig = sign(&k, body, "feed.json", NOW - 10);
	struct ls_config *cfg = malloc(sizeof(*cfg));
	struct ls_feed_state st[1];
	struct heard h = {0};

	ASSERT(cfg);
	board_config(cfg, &k, dir);
	write_text(dir, "feed.json", body);
	write_text(dir, "feed.json.minisig", sig);
	poll_every_layer(cfg, &h, st);
	ASSERT_MSG(h.accepted == 1, "%s", h.msg);
	ASSERT_EQ_INT(st[0].n_ignored, 1);
	ASSERT_CONTAINS(h.warn_msg, "ignoring 1 key(s) this board does not know");
	ASSERT_CONTAINS(h.warn_msg, "2:34: items[0]: unknown key \"window\"; did you mean "
				    "\"windows\"?");
	ASSERT(!strstr(h.warn_msg, "file://")); /* the URL is the event's, not repeated */
	/* from the cache at the next start, the same is said again */
	h = (struct heard){0};
	poll_every_layer(cfg, &h, st);
	ASSERT_EQ_INT(h.cached, 1);
	ASSERT_EQ_INT(st[0].n_ignored, 1);
	ASSERT_CONTAINS(h.warn_msg, "unknown key \"window\"");
	free(cfg);
	free(sig);
}

/* ---- pictures travel with the playlist ---- */

TEST(a_picture_url_is_the_playlists_folder_plus_its_path_and_nothing_else)
{
	char out[256];
	struct ls_error err;
	const char *bad[] = {"../national/x.png",
			     "/etc/passwd",
			     "https://evil.example/x.png",
			     "a//b.png",
			     "pictures/../../x.png",
			     "pictures/%2e%2e/x.png",
			     ""};

	ASSERT_EQ_INT(ls_feed_picture_url("https://h.vn/ha-noi/playlist.json?v=2#x",
					  "pictures/emblem.png", out, sizeof(out), &err),
		      0);
	ASSERT_EQ_STR(out, "https://h.vn/ha-noi/pictures/emblem.png");
	ASSERT_EQ_INT(
	    ls_feed_picture_url("file:///srv/www/office.json", "e.png", out, sizeof(out), &err), 0);
	ASSERT_EQ_STR(out, "file:///srv/www/e.png");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ_INT(ls_feed_picture_url(URL, bad[i], out, sizeof(out), &err), -1);
		ASSERT_CONTAINS(err.msg, "not a picture path inside the playlist's folder");
	}
	ASSERT_EQ_INT(ls_feed_picture_url(URL, "e.png", out, 20, &err), -1);
}

/* What a board made of cfg heard, and the picture its player got. */
struct pic_run {
	struct heard h;
	int has_picture; /* item 0 of the first layer came with its picture decoded */
	int pic_w, pic_h;
};

static struct pic_run pictures_poll(const struct ls_config *cfg)
{
	struct ls_feeds_timing t = {.poll_ms = 60000, .backoff_base_ms = 60000};
	struct ls_loop *loop = ls_loop_new(NULL);
	struct ls_net *net = loop ? ls_net_new(loop) : NULL;
	struct pic_run r = {0};
	struct ls_playlist **pls;
	struct ls_error err;
	struct ls_feeds *f;
	int n;

	ASSERT(net);
	f = ls_feeds_new(cfg, net, &t, hear, &r.h, &err);
	ASSERT_MSG(f, "%s", err.msg);
	ls_feeds_load_cache(f, 1800000000);
	r.h.loaded = r.h.cached;
	r.h.failed_loading = r.h.failed;
	for (int64_t end = mono_ms() + 10000;
	     !r.h.accepted && r.h.failed == r.h.failed_loading && mono_ms() < end;) {
		struct ls_now now = {.mono_ms = mono_ms(), .wall_s = 1800000000};

		ls_feeds_tick(f, &now);
		ls_loop_once(loop, 10);
	}
	n = ls_feeds_playlists(f, &pls);
	if (n > 0 && pls[0]->n_items && pls[0]->items[0].picture &&
	    pls[0]->items[0].picture->image) {
		r.has_picture = 1;
		r.pic_w = pls[0]->items[0].picture->image->w;
		r.pic_h = pls[0]->items[0].picture->image->h;
	}
	for (int i = 0; i < n; i++)
		ls_playlist_free(pls[i]);
	free(pls);
	ls_feeds_free(f);
	ls_net_free(net);
	ls_loop_free(loop);
	return r;
}

/* Copies from (relative to the tree, or absolute) to dir/name. */
static void copy_file(const char *from, const char *dir, const char *name)
{
	char path[600], buf[4096];
	FILE *in = fopen(from[0] == '/' ? from : th_path(from), "rb"), *out;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	ASSERT(in && out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

static void file_sha_hex(const char *path, char hex[65])
{
	static uint8_t buf[512 * 1024];
	uint8_t d[32];
	FILE *f = fopen(path, "rb");
	size_t n;

	ASSERT(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	crypto_hash_sha256(d, buf, n);
	sodium_bin2hex(hex, 65, d, 32);
}

/* Publishes, in dir, a playlist (signed by k at ts) whose item "vssid" names
 * pictures/NAME with the hash sha (hex). */
static void publish_with_picture(const struct keys *k, const char *dir, const char *name,
				 const char *sha, int64_t ts)
{
	char body[512];
	char *sig;

	snprintf(body, sizeof(body),
		 "{\"version\":1,\"items\":[{\"id\":\"vssid\",\"text\":\"VssID\",\"picture\":"
		 "{\"file\":\"pictures/%s\",\"sha256\":\"%s\"}}]}",
		 name, sha);
	sig = sign(k, body, "feed.json", ts);
	write_text(dir, "feed.json", body);
	write_text(dir, "feed.json.minisig", sig);
	free(sig);
}

/* A fresh board over dir (a picture folder in it) and key k. */
static struct ls_config *picture_board(const struct keys *k, const char *dir)
{
	struct ls_config *cfg = malloc(sizeof(*cfg));
	char pics[600];

	ASSERT(cfg);
	board_config(cfg, k, dir);
	snprintf(pics, sizeof(pics), "%s/pictures", dir);
	mkdir(pics, 0755);
	return cfg;
}

static void emblem_sha(char hex[65])
{
	file_sha_hex(th_path("tests/data/pictures/emblem.png"), hex);
}

TEST(a_signed_playlist_plays_with_its_picture_fetched_beside_it_and_cached_with_it)
{
	struct keys k = make_keys();
	const char *dir = th_tmpdir();
	struct ls_config *cfg = picture_board(&k, dir);
	struct ls_cache_entry e;
	struct ls_error err;
	struct pic_run r;
	char sha[65], path[600];

	emblem_sha(sha);
	copy_file("tests/data/pictures/emblem.png", dir, "pictures/emblem.png");
	publish_with_picture(&k, dir, "emblem.png", sha, 2000);
	r = pictures_poll(cfg);
	ASSERT_MSG(r.h.accepted == 1, "not accepted: %s", r.h.msg);
	ASSERT_CONTAINS(r.h.accept_msg, "pictures: 1 (fetched: 1)");
	ASSERT(r.has_picture);
	ASSERT_MSG(ls_cache_load(dir, cfg->feed.urls[0], &e, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(e.n_pictures, 1);
	ls_cache_entry_free(&e);

	/* Without the network (the feed's files gone) the cache shows it, picture and all. */
	snprintf(path, sizeof(path), "%s/feed.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/pictures/emblem.png", dir);
	unlink(path);
	r = pictures_poll(cfg);
	ASSERT_EQ_INT(r.h.loaded, 1);
	ASSERT(r.has_picture);
	ASSERT(r.pic_w > 0 && r.pic_h > 0);
	free(cfg);
}

TEST(an_unchanged_picture_is_not_fetched_again_for_a_new_version)
{
	struct keys k = make_keys();
	const char *dir = th_tmpdir();
	struct ls_config *cfg = picture_board(&k, dir);
	struct pic_run r;
	char sha[65], path[600];

	emblem_sha(sha);
	copy_file("tests/data/pictures/emblem.png", dir, "pictures/emblem.png");
	publish_with_picture(&k, dir, "emblem.png", sha, 2000);
	ASSERT_EQ_INT(pictures_poll(cfg).h.accepted, 1);
	/* The next version names the same picture, under another name, and the
	 * server no longer has the file: the board has it by its hash. */
	snprintf(path, sizeof(path), "%s/pictures/emblem.png", dir);
	unlink(path);
	publish_with_picture(&k, dir, "renamed.png", sha, 3000);
	r = pictures_poll(cfg);
	ASSERT_MSG(r.h.accepted == 1, "not accepted: %s", r.h.msg);
	ASSERT_CONTAINS(r.h.accept_msg, "pictures: 1 (fetched: 0)");
	ASSERT(r.has_picture);
	free(cfg);
}

/* Version 1 (the emblem) is shown; version 2 names pictures/NAME with hash
 * sha, served from `from`: it is refused with a message containing why, and
 * the emblem still plays, also after a restart. */
static void refused_keeps_the_old(const char *from, const char *name, const char *sha,
				  const char *why)
{
	struct keys k = make_keys();
	char dir[400], emblem[65], pic[300];
	struct ls_config *cfg;
	struct pic_run r;

	snprintf(dir, sizeof(dir), "%s/%s.d", th_tmpdir(), name);
	mkdir(dir, 0755);
	cfg = picture_board(&k, dir);
	emblem_sha(emblem);
	copy_file("tests/data/pictures/emblem.png", dir, "pictures/emblem.png");
	publish_with_picture(&k, dir, "emblem.png", emblem, 2000);
	ASSERT_EQ_INT(pictures_poll(cfg).h.accepted, 1);
	snprintf(pic, sizeof(pic), "pictures/%s", name);
	if (from)
		copy_file(from, dir, pic);
	publish_with_picture(&k, dir, name, sha, 3000);
	r = pictures_poll(cfg);
	ASSERT_EQ_INT(r.h.accepted, 0);
	ASSERT_EQ_INT(r.h.failed, 1);
	ASSERT_CONTAINS(r.h.fail_msg, "items[0].picture (vssid) from file://");
	ASSERT_CONTAINS(r.h.fail_msg, why);
	ASSERT_CONTAINS(r.h.fail_msg, "the new playlist is not shown until every picture");
	ASSERT(r.h.fail_has_content);
	ASSERT(r.has_picture);
	ASSERT_EQ_INT(r.pic_w, 32); /* the emblem, not the refused picture */
	r = pictures_poll(cfg);
	ASSERT_EQ_INT(r.h.loaded, 1);
	ASSERT_EQ_INT(r.pic_w, 32);
	free(cfg);
}

TEST(a_swapped_picture_on_the_server_is_refused_by_its_hash_and_the_old_content_stays)
{
	char wide[65];

	file_sha_hex(th_path("tests/data/pictures/wide.png"), wide);
	/* The playlist names wide.png's hash; the server has the emblem there. */
	refused_keeps_the_old("tests/data/pictures/emblem.png", "new.png", wide,
			      "but the signed playlist names");
}

TEST(a_missing_truncated_or_bomb_picture_is_refused_saying_why)
{
	char sha[65];

	file_sha_hex(th_path("tests/data/pictures/truncated.png"), sha);
	refused_keeps_the_old(NULL, "none.png", sha, "Couldn't open file");
	refused_keeps_the_old("tests/data/pictures/truncated.png", "t.png", sha, "truncated PNG");
	file_sha_hex(th_path("tests/data/pictures/bomb.png"), sha);
	refused_keeps_the_old("tests/data/pictures/bomb.png", "b.png", sha,
			      "1000x1000 pixels; a picture is at most 1024x1024 and 262144 pixels");
}

TEST(an_oversized_picture_is_refused_before_it_is_read_whole)
{
	const char *dir = th_tmpdir();
	char path[600], sha[65];
	FILE *f;

	snprintf(path, sizeof(path), "%s/big.png", dir);
	f = fopen(path, "wb");
	ASSERT(f);
	for (int i = 0; i < 300 * 1024; i++)
		fputc(i * 7 & 0xff, f);
	fclose(f);
	file_sha_hex(path, sha);
	refused_keeps_the_old(path, "big.png", sha,
			      "picture larger than 262144 bytes, the most a picture may have");
}

/* The emblem's bytes (static) and, as hex, its SHA-256. */
static const uint8_t *emblem_bytes(size_t *len, char sha[65])
{
	static uint8_t buf[4096];
	FILE *f = fopen(th_path("tests/data/pictures/emblem.png"), "rb");

	ASSERT(f);
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	emblem_sha(sha);
	return buf;
}

/* A signed national playlist naming pictures/emblem.png with the emblem's hash. */
static void emblem_script(const struct keys *k, struct script *sc, char *body, size_t n)
{
	char sha[65];

	sc->picture = emblem_bytes(&sc->picture_len, sha);
	snprintf(body, n,
		 "{\"version\":1,\"items\":[{\"id\":\"vssid\",\"text\":\"VssID\",\"picture\":"
		 "{\"file\":\"pictures/emblem.png\",\"sha256\":\"%s\"}}]}",
		 sha);
	sc->body = body;
	sc->sig = sign_claims(k, body, "national/feed.json", 0, NOW - 60);
}

/* A picture is fetched from the playlist's folder on the same server, with
 * the feed's token, once. */
TEST(a_picture_comes_from_the_playlists_folder_with_the_feeds_token)
{
	struct keys k = make_keys();
	struct script sc = {0};
	char body[512], *log;
	struct ls_feed_state st;
	struct rig *g;

	emblem_script(&k, &sc, body, sizeof(body));
	g = rig_new(&k, &sc);
	ls_feeds_free(g->f);
	snprintf(g->cfg.feed.token, sizeof(g->cfg.feed.token), "s3cret-token");
	g->f = ls_feeds_new(&g->cfg, g->net, &(struct ls_feeds_timing){.poll_ms = 50}, hear, &g->h,
			    NULL);
	ASSERT(g->f);
	st = drive(g->f, g->loop, 3);
	ASSERT_MSG(g->h.accepted == 1, "%s", st.error);
	ASSERT_CONTAINS(g->h.accept_msg, "pictures: 1 (fetched: 1)");
	log = server_log(&g->sv);
	ASSERT_EQ_INT(count(log, "GET /national/pictures/emblem.png HTTP"), 1);
	ASSERT_CONTAINS(strstr(log, "GET /national/pictures/emblem.png"),
			"Authorization: Bearer s3cret-token");
	free(log);
	free((char *)sc.sig);
	rig_free(g);
}

/* A redirect could take the board to any host: a picture's is refused, not
 * followed, and the version with it is not shown. */
TEST(a_picture_redirect_is_refused_not_followed)
{
	struct keys k = make_keys();
	struct script sc = {.picture_status = 302,
			    .picture_headers = "Location: /elsewhere.png\r\n"};
	char body[512], *log;
	struct ls_feed_state st;
	struct rig *g;

	emblem_script(&k, &sc, body, sizeof(body));
	g = rig_new(&k, &sc);
	st = drive(g->f, g->loop, 1);
	ASSERT_EQ_INT(g->h.accepted, 0);
	ASSERT_CONTAINS(st.error, "items[0].picture (vssid) from http://127.0.0.1:");
	ASSERT_CONTAINS(st.error, "the server answered HTTP 302, a redirect, which a picture may "
				  "not follow: serve the picture from the playlist's own folder");
	ASSERT_EQ_INT(st.has_content, 0);
	log = server_log(&g->sv);
	ASSERT_EQ_INT(count(log, "GET /national/pictures/emblem.png HTTP"), 1);
	ASSERT(!strstr(log, "elsewhere"));
	free(log);
	free((char *)sc.sig);
	rig_free(g);
}
