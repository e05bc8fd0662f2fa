/*
 * fuzz_cache.c: libFuzzer target for the on-disk cache record. A board reads
 * its cache at every start, after power cuts and half-written disks: any bytes
 * in the record file must load or be refused with a reason, never crash.
 *
 * The input is a record without its checksum: the harness appends the
 * BLAKE2b-256 the loader expects, so fuzzed lengths, texts and timestamps get
 * past the checksum into the decoder (a random checksum never would). The
 * seed corpus (tests/corpus/fuzz_cache/) holds whole records for this URL
 * (one without pictures, one with two) minus their last 32 bytes. A record
 * that loads must give back exactly the bytes it holds, so the decoder is
 * checked against the layout, not only for crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "ledsign/cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define URL "https://feed.example/national.json"
#define SUM_LEN 32
#define HEADER_LEN 56

static char dir[64];

static const char *cache_dir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/ledsign-fuzz-cache.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

static void write_record(const char *path, const uint8_t *data, size_t size)
{
	uint8_t sum[SUM_LEN];
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	crypto_generichash(sum, SUM_LEN, data, size, NULL, 0);
	fwrite(data, 1, size, f);
	fwrite(sum, 1, SUM_LEN, f);
	fclose(f);
}

/* A loaded record's body, signature and pictures are the bytes at the end
 * of the input, in that order; each picture's bytes follow its SHA-256 (which
 * they match) and length. */
static void check_loaded(const uint8_t *data, size_t size, const struct ls_cache_entry *e)
{
	size_t pics = 0, tail, at;
	uint8_t sha[32];

	for (int i = 0; i < e->n_pictures; i++)
		pics += 40 + e->pictures[i].len;
	tail = e->body_len + e->sig_len + pics;
	if (!e->body || e->body[e->body_len] != '\0' || !e->etag || !e->last_modified ||
	    strcmp(e->url, URL))
		__builtin_trap(); /* the contract: loaded fields are there and NUL-terminated */
	if (tail > size - HEADER_LEN || memcmp(e->body, data + size - tail, e->body_len) ||
	    (e->sig_len &&
	     (!e->sig || memcmp(e->sig, data + size - pics - e->sig_len, e->sig_len))))
		__builtin_trap();
	at = size - pics;
	for (int i = 0; i < e->n_pictures; i++) {
		const struct ls_cache_picture *p = &e->pictures[i];

		crypto_hash_sha256(sha, p->data, p->len);
		if (memcmp(p->sha256, data + at, 32) || memcmp(sha, p->sha256, 32) ||
		    memcmp(p->data, data + at + 40, p->len))
			__builtin_trap();
		at += 40 + p->len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[LS_CACHE_NAME_MAX], path[128];
	struct ls_cache_entry e;
	struct ls_error err;
	int r;

	if (sodium_init() < 0)
		abort();
	ls_cache_name(URL, name);
	snprintf(path, sizeof(path), "%s/%s", cache_dir(), name);
	write_record(path, data, size);
	err.msg[0] = '\0';
	r = ls_cache_load(cache_dir(), URL, &e, &err);
	if (r < 0 && !err.msg[0])
		__builtin_trap();
	if (r == 0)
		check_loaded(data, size, &e);
	ls_cache_entry_free(&e);
	return 0;
}
