/*
 * cache.c: the last good version of each feed on disk, replaced atomically
 * (temporary file, fsync, rename, directory fsync) and checked on load, so a
 * crash or power cut never leaves a board with nothing, or a mix, to show.
 *
 * Record layout (integers little-endian):
 *   "LSCACHE2"  u32 url_len  u32 etag_len  u32 lm_len  u32 n_pictures
 *   i64 timestamp  i64 stored_at  u64 body_len  u64 sig_len
 *   url  etag  last_modified  body  sig
 *   n_pictures times: SHA-256 (32 bytes)  u64 len  the picture's bytes
 *   BLAKE2b-256 of everything before it
 * A record without pictures is written as "LSCACHE1" (n_pictures 0), the
 * layout of the versions before pictures, so a board downgraded keeps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "ledsign/atomic.h"
#include "ledsign/cache.h"

#define MAGIC "LSCACHE1"      /* no pictures */
#define MAGIC_PICS "LSCACHE2" /* n_pictures in the header, the pictures after sig */
#define PIC_HEAD 40	      /* a picture's SHA-256 and length */
#define HEADER_LEN 56
#define SUM_LEN 32
#define TEXT_MAX 4096 /* longest URL, ETag or Last-Modified stored */

struct pieces {
	const void *p[5];
	size_t len[5];
};

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void ls_cache_name(const char *url, char name[LS_CACHE_NAME_MAX])
{
	uint8_t h[16];
	char hex[33];

	crypto_generichash(h, sizeof(h), (const uint8_t *)url, strlen(url), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(name, LS_CACHE_NAME_MAX, "%s.feed", hex);
}

static int cache_path(const char *dir, const char *url, const char *suffix, char *out, size_t size,
		      struct ls_error *err)
{
	char name[LS_CACHE_NAME_MAX];
	int n;

	ls_cache_name(url, name);
	n = snprintf(out, size, "%s/%s%s", dir, name, suffix);
	if (n < 0 || (size_t)n >= size)
		return ls_error_set(err, "cache directory path is too long: %s", dir);
	return 0;
}

static size_t text_len(const char *s)
{
	return s ? strlen(s) : 0;
}

static void header_fill(uint8_t *h, const char *url, const struct ls_cache_entry *e)
{
	memcpy(h, e->n_pictures ? MAGIC_PICS : MAGIC, 8);
	put_le(h + 8, text_len(url), 4);
	put_le(h + 12, text_len(e->etag), 4);
	put_le(h + 16, text_len(e->last_modified), 4);
	put_le(h + 20, (uint64_t)e->n_pictures, 4);
	put_le(h + 24, (uint64_t)e->timestamp, 8);
	put_le(h + 32, (uint64_t)e->stored_at, 8);
	put_le(h + 40, e->body_len, 8);
	put_le(h + 48, e->sig ? e->sig_len : 0, 8);
}

/* Writes len bytes of p to fd and into the checksum. */
static int put_piece(int fd, crypto_generichash_state *st, const void *p, size_t len)
{
	if (len == 0)
		return 0;
	crypto_generichash_update(st, p, len);
	return ls_write_all(fd, p, len);
}

static int write_pictures(int fd, crypto_generichash_state *st, const struct ls_cache_entry *e)
{
	uint8_t head[PIC_HEAD];

	for (int i = 0; i < e->n_pictures; i++) {
		memcpy(head, e->pictures[i].sha256, 32);
		put_le(head + 32, e->pictures[i].len, 8);
		if (put_piece(fd, st, head, PIC_HEAD) ||
		    put_piece(fd, st, e->pictures[i].data, e->pictures[i].len))
			return -1;
	}
	return 0;
}

/* Writes header, pieces, pictures and checksum to fd. */
static int write_record(int fd, const uint8_t *header, const struct pieces *pc,
			const struct ls_cache_entry *e)
{
	crypto_generichash_state st;
	uint8_t sum[SUM_LEN];

	crypto_generichash_init(&st, NULL, 0, SUM_LEN);
	if (put_piece(fd, &st, header, HEADER_LEN))
		return -1;
	for (int i = 0; i < 5; i++)
		if (put_piece(fd, &st, pc->p[i], pc->len[i]))
			return -1;
	if (write_pictures(fd, &st, e))
		return -1;
	crypto_generichash_final(&st, sum, SUM_LEN);
	return ls_write_all(fd, sum, SUM_LEN);
}

/* Takes the per-record writer lock; returns its fd or -1. */
static int lock_record(const char *dir, const char *url, struct ls_error *err)
{
	char path[PATH_MAX];
	int fd;

	if (cache_path(dir, url, ".lock", path, sizeof(path), err) != 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return ls_error_set(err,
				    "%s: cannot open: %s (does the cache directory exist and is "
				    "it writable?)",
				    path, strerror(errno));
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			ls_error_set(err, "%s: cannot lock: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int check_pictures(const struct ls_cache_entry *e, struct ls_error *err)
{
	size_t total = e->body_len;

	if (e->n_pictures < 0 || e->n_pictures > LS_CACHE_MAX_PICTURES ||
	    (e->n_pictures && !e->pictures))
		return ls_error_set(err, "cache: %d pictures; a version keeps at most %d",
				    e->n_pictures, LS_CACHE_MAX_PICTURES);
	for (int i = 0; i < e->n_pictures; i++) {
		if (e->pictures[i].len > (size_t)LS_CACHE_MAX_BYTES / 2 - total)
			return ls_error_set(err,
					    "cache: a version and its pictures are too large to "
					    "cache (at most %ld bytes)",
					    LS_CACHE_MAX_BYTES / 2);
		total += e->pictures[i].len;
	}
	return 0;
}

static int check_entry(const char *url, const struct ls_cache_entry *e, struct ls_error *err)
{
	if (text_len(url) == 0 || text_len(url) > TEXT_MAX || text_len(e->etag) > TEXT_MAX ||
	    text_len(e->last_modified) > TEXT_MAX)
		return ls_error_set(err,
				    "cache: URL missing, or URL, ETag or Last-Modified longer "
				    "than %d bytes",
				    TEXT_MAX);
	if (e->body_len > (size_t)LS_CACHE_MAX_BYTES / 2 ||
	    (e->sig && e->sig_len > (size_t)LS_CACHE_MAX_BYTES / 4))
		return ls_error_set(err,
				    "cache: a %zu-byte feed is too large to cache (at most %ld)",
				    e->body_len, LS_CACHE_MAX_BYTES / 2);
	if (!e->body && e->body_len)
		return ls_error_set(err, "cache: body missing");
	return check_pictures(e, err);
}

/* The temporary file's content: header, pieces and checksum. */
struct record {
	uint8_t header[HEADER_LEN];
	struct pieces pc;
	const struct ls_cache_entry *e;
};

static int fill_record(int fd, void *ctx)
{
	const struct record *r = ctx;

	return write_record(fd, r->header, &r->pc, r->e);
}

static int store_locked(const char *dir, const char *url, const struct ls_cache_entry *e,
			struct ls_error *err)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct record r = {
	    .pc = {{url, e->etag, e->last_modified, e->body, e->sig},
		   {text_len(url), text_len(e->etag), text_len(e->last_modified), e->body_len,
		    e->sig ? e->sig_len : 0}},
	    .e = e,
	};

	if (cache_path(dir, url, ".tmp", tmp, sizeof(tmp), err) != 0 ||
	    cache_path(dir, url, "", path, sizeof(path), err) != 0)
		return -1;
	header_fill(r.header, url, e);
	return ls_atomic_replace(path, tmp, 0644, fill_record, &r, err);
}

int ls_cache_store(const char *dir, const char *url, const struct ls_cache_entry *e,
		   struct ls_error *err)
{
	int lock, rc;

	if (check_entry(url, e, err) != 0)
		return -1;
	if (sodium_init() < 0)
		return ls_error_set(err, "cannot initialise libsodium");
	lock = lock_record(dir, url, err);
	if (lock < 0)
		return -1;
	rc = store_locked(dir, url, e, err);
	close(lock); /* releases the flock */
	return rc;
}

/* Reads the whole file at path into a malloc'd buffer; 1 if it does not exist. */
static int read_record(const char *path, uint8_t **out, size_t *len, struct ls_error *err)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > LS_CACHE_MAX_BYTES) {
		close(fd);
		return ls_error_set(err, "%s: not a regular file of at most %ld bytes", path,
				    LS_CACHE_MAX_BYTES);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return ls_error_set(err, "%s: out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

static char *dup_bytes(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* The length of the picture table of n pictures at p, which may take up to
 * room bytes; -1 when it does not fit. */
static int64_t pictures_len(const uint8_t *p, uint64_t room, uint64_t n)
{
	uint64_t used = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t plen;

		if (room - used < PIC_HEAD)
			return -1;
		plen = get_le(p + used + 32, 8);
		if (plen > room - used - PIC_HEAD)
			return -1;
		used += PIC_HEAD + plen;
	}
	return (int64_t)used;
}

/* Checks the framing of a record in buf and returns the five piece lengths,
 * the picture count (lens[5]) and the picture table's length (lens[6]). */
static int record_check(const uint8_t *buf, size_t len, uint64_t lens[7], struct ls_error *err)
{
	uint8_t sum[SUM_LEN];
	uint64_t total = HEADER_LEN + SUM_LEN;
	int64_t table;
	int pics = len >= 8 && !memcmp(buf, MAGIC_PICS, 8);

	if (len < HEADER_LEN + SUM_LEN || (!pics && memcmp(buf, MAGIC, 8) != 0))
		return ls_error_set(err, "not a ledsign cache record (bad magic or too short)");
	lens[0] = get_le(buf + 8, 4);
	lens[1] = get_le(buf + 12, 4);
	lens[2] = get_le(buf + 16, 4);
	lens[3] = get_le(buf + 40, 8);
	lens[4] = get_le(buf + 48, 8);
	lens[5] = pics ? get_le(buf + 20, 4) : 0;
	for (int i = 0; i < 5; i++) {
		if (lens[i] > (uint64_t)LS_CACHE_MAX_BYTES)
			return ls_error_set(err, "cache record is damaged (impossible length)");
		total += lens[i];
	}
	table = lens[5] > LS_CACHE_MAX_PICTURES || total > len
		    ? -1
		    : pictures_len(buf + total - SUM_LEN, len - total, lens[5]);
	if (table < 0 || total + (uint64_t)table != len)
		return ls_error_set(err,
				    "cache record is damaged: its lengths add up to %llu bytes "
				    "but the file has %zu (truncated?)",
				    (unsigned long long)(total + (table > 0 ? (uint64_t)table : 0)),
				    len);
	lens[6] = (uint64_t)table;
	crypto_generichash(sum, SUM_LEN, buf, len - SUM_LEN, NULL, 0);
	if (sodium_memcmp(sum, buf + len - SUM_LEN, SUM_LEN) != 0)
		return ls_error_set(err, "cache record is damaged: checksum mismatch");
	return 0;
}

void ls_cache_pictures_free(struct ls_cache_picture *p, int n)
{
	for (int i = 0; p && i < n; i++)
		free(p[i].data);
	free(p);
}

/* Copies the n pictures of the table at p into out, checking each one's
 * SHA-256 (its name) against its bytes. */
static int pictures_decode(const uint8_t *p, uint64_t n, struct ls_cache_entry *out,
			   struct ls_error *err)
{
	uint8_t got[32];

	if (n == 0)
		return 0;
	out->pictures = calloc(n, sizeof(*out->pictures));
	if (!out->pictures)
		return ls_error_set(err, "out of memory");
	for (uint64_t i = 0; i < n; i++) {
		struct ls_cache_picture *pc = &out->pictures[out->n_pictures];

		memcpy(pc->sha256, p, 32);
		pc->len = get_le(p + 32, 8);
		crypto_hash_sha256(got, p + PIC_HEAD, pc->len);
		if (sodium_memcmp(got, pc->sha256, 32))
			return ls_error_set(err,
					    "cache record is damaged: picture %llu does not "
					    "match its SHA-256",
					    (unsigned long long)i + 1);
		pc->data = (uint8_t *)dup_bytes(p + PIC_HEAD, pc->len);
		if (!pc->data)
			return ls_error_set(err, "out of memory");
		out->n_pictures++;
		p += PIC_HEAD + pc->len;
	}
	return 0;
}

static int record_decode(const uint8_t *buf, const uint64_t lens[7], struct ls_cache_entry *out,
			 struct ls_error *err)
{
	const uint8_t *p = buf + HEADER_LEN;
	char *s[5];

	for (int i = 0; i < 5; i++) {
		s[i] = dup_bytes(p, lens[i]);
		p += lens[i];
	}
	out->url = s[0];
	out->etag = s[1];
	out->last_modified = s[2];
	out->body = (uint8_t *)s[3];
	out->body_len = lens[3];
	out->sig = lens[4] ? s[4] : NULL;
	out->sig_len = lens[4];
	if (!lens[4])
		free(s[4]);
	out->timestamp = (int64_t)get_le(buf + 24, 8);
	out->stored_at = (int64_t)get_le(buf + 32, 8);
	if (!s[0] || !s[1] || !s[2] || !s[3] || (lens[4] && !s[4])) {
		ls_cache_entry_free(out);
		return ls_error_set(err, "out of memory");
	}
	if (pictures_decode(p, lens[5], out, err)) {
		ls_cache_entry_free(out);
		return -1;
	}
	return 0;
}

int ls_cache_load(const char *dir, const char *url, struct ls_cache_entry *out,
		  struct ls_error *err)
{
	char path[PATH_MAX];
	uint8_t *buf = NULL;
	uint64_t lens[7];
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sodium_init() < 0)
		return ls_error_set(err, "cannot initialise libsodium");
	if (cache_path(dir, url, "", path, sizeof(path), err) != 0)
		return -1;
	rc = read_record(path, &buf, &len, err);
	if (rc != 0)
		return rc;
	rc = record_check(buf, len, lens, err);
	if (rc == 0 && (lens[0] != strlen(url) || memcmp(buf + HEADER_LEN, url, lens[0]) != 0))
		rc = ls_error_set(err, "cache record belongs to another URL (%.*s)",
				  (int)(lens[0] < 200 ? lens[0] : 200), buf + HEADER_LEN);
	if (rc == 0)
		rc = record_decode(buf, lens, out, err);
	free(buf);
	if (rc != 0)
		ls_error_prefix(err, "%s", path);
	return rc;
}

void ls_cache_entry_free(struct ls_cache_entry *e)
{
	if (!e)
		return;
	free(e->url);
	free(e->etag);
	free(e->last_modified);
	free(e->body);
	free(e->sig);
	ls_cache_pictures_free(e->pictures, e->n_pictures);
	memset(e, 0, sizeof(*e));
}
