/*
 * test_cache.c: the feed cache keeps the last good body, signature and
 * pictures together, replaces them atomically, and refuses a damaged record
 * on load.
 * (tests/e2e_cache_kill.sh kills a writer with SIGKILL in a loop.)
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "ledsign/cache.h"

#define URL "https://feed.example.vn/national/playlist.json"

static struct ls_cache_entry entry(const char *body, const char *sig, const char *etag, int64_t ts)
{
	struct ls_cache_entry e = {
	    .etag = (char *)etag,
	    .last_modified = "Mon, 25 Nov 2024 10:00:00 GMT",
	    .timestamp = ts,
	    .stored_at = 1732530000,
	    .body = (uint8_t *)body,
	    .body_len = strlen(body),
	    .sig = (char *)sig,
	    .sig_len = sig ? strlen(sig) : 0,
	};
	return e;
}

static const char *record_path(const char *url)
{
	static char path[1024];
	char name[LS_CACHE_NAME_MAX];

	ls_cache_name(url, name);
	snprintf(path, sizeof(path), "%s/%s", th_tmpdir(), name);
	return path;
}

static void store_ok(const char *url, const struct ls_cache_entry *e)
{
	struct ls_error err = {""};

	ASSERT_MSG(ls_cache_store(th_tmpdir(), url, e, &err) == 0, "%s", err.msg);
}

static long file_size(const char *path)
{
	struct stat st;

	ASSERT(stat(path, &st) == 0);
	return (long)st.st_size;
}

static void patch_byte(const char *path, long off, int xor)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	ASSERT(fd >= 0);
	ASSERT(pread(fd, &c, 1, off) == 1);
	c ^= (unsigned char)xor;
	ASSERT(pwrite(fd, &c, 1, off) == 1);
	close(fd);
}

TEST(store_then_load_returns_the_same_record)
{
	struct ls_cache_entry in = entry("{\"items\":[]}", "untrusted comment: x\nsig\n", "\"abc\"",
					 1732470000),
			      out;
	struct ls_error err = {""};

	store_ok(URL, &in);
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(out.url, URL);
	ASSERT_EQ_STR(out.etag, "\"abc\"");
	ASSERT_EQ_STR(out.last_modified, "Mon, 25 Nov 2024 10:00:00 GMT");
	ASSERT_EQ_INT(out.timestamp, 1732470000);
	ASSERT_EQ_INT(out.stored_at, 1732530000);
	ASSERT_EQ_INT(out.body_len, strlen("{\"items\":[]}"));
	ASSERT_EQ_STR((char *)out.body, "{\"items\":[]}");
	ASSERT_EQ_INT(out.sig_len, strlen(in.sig));
	ASSERT_EQ_STR(out.sig, in.sig);
	ls_cache_entry_free(&out);
	ASSERT(out.body == NULL && out.url == NULL);
	ls_cache_entry_free(NULL);
}

TEST(unsigned_feed_without_etag_round_trips_with_null_signature)
{
	struct ls_cache_entry in = entry("hello", NULL, NULL, -1), out;
	struct ls_error err = {""};

	in.last_modified = NULL;
	store_ok(URL, &in);
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT(out.sig == NULL);
	ASSERT_EQ_INT(out.sig_len, 0);
	ASSERT_EQ_STR(out.etag, "");
	ASSERT_EQ_STR(out.last_modified, "");
	ASSERT_EQ_INT(out.timestamp, -1);
	ls_cache_entry_free(&out);
}

TEST(binary_body_with_nul_bytes_is_kept_exactly)
{
	uint8_t body[3000];
	struct ls_cache_entry in = entry("", "s", "e", 1), out;
	struct ls_error err = {""};

	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)(i * 7);
	in.body = body;
	in.body_len = sizeof(body);
	store_ok(URL, &in);
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(out.body_len, sizeof(body));
	ASSERT(memcmp(out.body, body, sizeof(body)) == 0);
	ASSERT_EQ_INT(out.body[sizeof(body)], 0); /* terminated for convenience */
	ls_cache_entry_free(&out);
}

TEST(missing_record_is_not_an_error)
{
	struct ls_cache_entry out;
	struct ls_error err = {""};

	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), 1);
	ASSERT(out.body == NULL);
}

TEST(store_over_an_existing_record_replaces_body_and_signature_together)
{
	struct ls_cache_entry a = entry("version A, a longer body than B", "sig A", "\"a\"", 100);
	struct ls_cache_entry b = entry("version B", "sig B", "\"b\"", 200), out;
	struct ls_error err = {""};
	DIR *d;
	struct dirent *de;
	int files = 0;

	store_ok(URL, &a);
	store_ok(URL, &b);
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR((char *)out.body, "version B");
	ASSERT_EQ_STR(out.sig, "sig B");
	ASSERT_EQ_STR(out.etag, "\"b\"");
	ASSERT_EQ_INT(out.timestamp, 200);
	ls_cache_entry_free(&out);
	/* No temporary file is left behind: only the record and its lock. */
	d = opendir(th_tmpdir());
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		ASSERT_MSG(strstr(de->d_name, ".tmp") == NULL, "left over: %s", de->d_name);
	}
	closedir(d);
	ASSERT_EQ_INT(files, 2);
}

TEST(each_url_has_its_own_record)
{
	struct ls_cache_entry a = entry("national", "s1", "", 1), b = entry("office", "s2", "", 2),
			      out;
	struct ls_error err = {""};
	char n1[LS_CACHE_NAME_MAX], n2[LS_CACHE_NAME_MAX];

	store_ok(URL, &a);
	store_ok("https://feed.example.vn/office/ba-dinh.json", &b);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), 0);
	ASSERT_EQ_STR((char *)out.body, "national");
	ls_cache_entry_free(&out);
	ls_cache_name(URL, n1);
	ls_cache_name("https://feed.example.vn/office/ba-dinh.json", n2);
	ASSERT(strcmp(n1, n2) != 0);
	ASSERT_EQ_INT(strlen(n1), 32 + strlen(".feed"));
}

TEST(flipped_byte_anywhere_is_detected_by_the_checksum)
{
	struct ls_cache_entry in = entry("{\"items\":[1,2,3]}", "signature", "\"e\"", 5), out;
	struct ls_error err = {""};
	const char *path = record_path(URL);
	long size;

	store_ok(URL, &in);
	size = file_size(path);
	/* Every byte after the magic is covered: lengths by the framing, the rest by the sum. */
	for (long off = 8; off < size; off += 3) {
		patch_byte(path, off, 0x20);
		ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
		ASSERT_MSG(strstr(err.msg, "damaged") != NULL, "offset %ld: %s", off, err.msg);
		patch_byte(path, off, 0x20);
	}
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ls_cache_entry_free(&out);
}

TEST(truncated_record_is_refused_with_the_file_name)
{
	struct ls_cache_entry in = entry("{\"items\":[1,2,3]}", "signature", "\"e\"", 5), out;
	struct ls_error err = {""};
	const char *path = record_path(URL);

	store_ok(URL, &in);
	ASSERT(truncate(path, file_size(path) - 10) == 0);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
	ASSERT_CONTAINS(err.msg, path);
	ASSERT_CONTAINS(err.msg, "truncated");
	ASSERT(out.body == NULL);
	ASSERT(truncate(path, 10) == 0);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
	ASSERT_CONTAINS(err.msg, "not a ledsign cache record");
}

TEST(huge_length_field_is_refused_without_allocating_it)
{
	struct ls_cache_entry in = entry("body", "sig", "", 5), out;
	struct ls_error err = {""};
	const char *path = record_path(URL);

	store_ok(URL, &in);
	patch_byte(path, 47, 0x7f); /* top byte of body_len */
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
	ASSERT_CONTAINS(err.msg, "damaged");
}

TEST(record_of_another_url_is_refused)
{
	struct ls_cache_entry in = entry("province", "sig", "", 5), out;
	struct ls_error err = {""};
	char other[1024];

	store_ok("https://feed.example.vn/province/hanoi.json", &in);
	snprintf(other, sizeof(other), "%s",
		 record_path("https://feed.example.vn/province/hanoi.json"));
	ASSERT(rename(other, record_path(URL)) == 0);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
	ASSERT_CONTAINS(err.msg, "another URL");
}

TEST(leftover_temporary_file_from_a_crash_does_not_matter)
{
	struct ls_cache_entry a = entry("A", "sa", "", 1), b = entry("B", "sb", "", 2), out;
	struct ls_error err = {""};
	char tmp[1100];
	FILE *f;

	store_ok(URL, &a);
	snprintf(tmp, sizeof(tmp), "%s.tmp", record_path(URL));
	f = fopen(tmp, "w");
	fputs("half a record", f);
	fclose(f);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), 0);
	ASSERT_EQ_STR((char *)out.body, "A");
	ls_cache_entry_free(&out);
	store_ok(URL, &b);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), 0);
	ASSERT_EQ_STR((char *)out.body, "B");
	ls_cache_entry_free(&out);
}

TEST(store_into_missing_directory_fails_and_says_where)
{
	struct ls_cache_entry a = entry("A", "sa", "", 1);
	struct ls_error err = {""};
	char dir[1024];

	snprintf(dir, sizeof(dir), "%s/does-not-exist", th_tmpdir());
	ASSERT_EQ_INT(ls_cache_store(dir, URL, &a, &err), -1);
	ASSERT_CONTAINS(err.msg, "does-not-exist");
	ASSERT_CONTAINS(err.msg, "cache directory");
}

TEST(failed_store_keeps_the_old_record)
{
	struct ls_cache_entry a = entry("A", "sa", "", 1), b = entry("B", "sb", "", 2), out;
	struct ls_error err = {""};
	char tmp[1100];

	store_ok(URL, &a);
	/* A directory where the temporary file should go makes the store fail. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", record_path(URL));
	ASSERT(mkdir(tmp, 0700) == 0);
	ASSERT_EQ_INT(ls_cache_store(th_tmpdir(), URL, &b, &err), -1);
	ASSERT_CONTAINS(err.msg, ".tmp");
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), 0);
	ASSERT_EQ_STR((char *)out.body, "A");
	ls_cache_entry_free(&out);
}

/* Two pictures named by their SHA-256, kept with the version. */
static void with_pictures(struct ls_cache_entry *e, struct ls_cache_picture p[2])
{
	static uint8_t a[] = "\x89PNG first picture", b[] = "second";

	p[0] = (struct ls_cache_picture){.data = a, .len = sizeof(a) - 1};
	p[1] = (struct ls_cache_picture){.data = b, .len = sizeof(b) - 1};
	for (int i = 0; i < 2; i++)
		crypto_hash_sha256(p[i].sha256, p[i].data, p[i].len);
	e->pictures = p;
	e->n_pictures = 2;
}

static char magic_of(const char *path)
{
	char m[9] = "";
	FILE *f = fopen(path, "rb");

	ASSERT(f && fread(m, 1, 8, f) == 8);
	fclose(f);
	return m[7];
}

TEST(pictures_are_kept_in_the_record_with_their_version_and_come_back_whole)
{
	struct ls_cache_entry in = entry("{\"items\":[]}", "sig", "\"p\"", 7), out;
	struct ls_cache_picture p[2];
	struct ls_error err = {""};

	with_pictures(&in, p);
	store_ok(URL, &in);
	ASSERT_EQ_INT(magic_of(record_path(URL)), '2');
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(out.n_pictures, 2);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ_INT((long)out.pictures[i].len, (long)p[i].len);
		ASSERT(!memcmp(out.pictures[i].data, p[i].data, p[i].len));
		ASSERT(!memcmp(out.pictures[i].sha256, p[i].sha256, 32));
	}
	ASSERT_EQ_STR((char *)out.body, "{\"items\":[]}");
	ls_cache_entry_free(&out);
}

TEST(a_version_without_pictures_is_written_in_the_first_layout_and_drops_the_old_pictures)
{
	struct ls_cache_entry a = entry("A", "sa", "", 1), b = entry("B", "sb", "", 2), out;
	struct ls_cache_picture p[2];
	struct ls_error err = {""};

	with_pictures(&a, p);
	store_ok(URL, &a);
	store_ok(URL, &b);
	ASSERT_EQ_INT(magic_of(record_path(URL)), '1');
	ASSERT_MSG(ls_cache_load(th_tmpdir(), URL, &out, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(out.n_pictures, 0);
	ASSERT(out.pictures == NULL);
	ls_cache_entry_free(&out);
}

TEST(a_damaged_or_cut_picture_record_is_refused)
{
	struct ls_cache_entry in = entry("{}", "s", "", 3), out;
	struct ls_cache_picture p[2];
	struct ls_error err = {""};
	const char *path = record_path(URL);
	long size;

	with_pictures(&in, p);
	store_ok(URL, &in);
	size = file_size(path);
	for (long off = 8; off < size; off += 5) {
		patch_byte(path, off, 0x01);
		ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
		ASSERT_MSG(strstr(err.msg, "damaged") != NULL, "offset %ld: %s", off, err.msg);
		patch_byte(path, off, 0x01);
	}
	ASSERT(truncate(path, size - 40) == 0);
	ASSERT_EQ_INT(ls_cache_load(th_tmpdir(), URL, &out, &err), -1);
	ASSERT_CONTAINS(err.msg, "truncated");
}

TEST(more_pictures_than_a_version_keeps_are_not_stored)
{
	struct ls_cache_entry in = entry("{}", "s", "", 3);
	struct ls_cache_picture p[LS_CACHE_MAX_PICTURES + 1] = {0};
	struct ls_error err = {""};

	in.pictures = p;
	in.n_pictures = LS_CACHE_MAX_PICTURES + 1;
	ASSERT_EQ_INT(ls_cache_store(th_tmpdir(), URL, &in, &err), -1);
	ASSERT_CONTAINS(err.msg, "a version keeps at most 16");
}
