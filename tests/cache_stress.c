/*
 * cache_stress.c: helper for tests/e2e_cache_kill.sh, built by that script
 * against libledsign.a. "write DIR" stores two versions of one feed in turn,
 * forever, until it is killed; "check DIR" loads the record and exits 0 only
 * if it is exactly one of the two versions (body, signature and metadata
 * belonging together); "init DIR" stores version A once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/cache.h"

#define URL "https://feed.example.vn/national/playlist.json"

struct version {
	const char *name, *sig;
	size_t len;
	int64_t ts;
};

/* A is large and B small, so a kill often lands inside a write and a mix of
 * the two would show as a wrong length or content. */
static const struct version versions[2] = {
    {"A", "untrusted comment: A\nsig-A\ntrusted comment: timestamp:100\nglobal-A\n", 512 * 1024,
     100},
    {"B", "untrusted comment: B\nsig-B\ntrusted comment: timestamp:200\nglobal-B\n", 48 * 1024,
     200},
};

static uint8_t body_byte(const struct version *v, size_t i)
{
	return (uint8_t)(v->name[0] + (i % 23));
}

static int store(const char *dir, const struct version *v, uint8_t *buf)
{
	struct ls_error err = {""};
	struct ls_cache_entry e = {
	    .etag = (char *)v->name,
	    .last_modified = "Mon, 25 Nov 2024 10:00:00 GMT",
	    .timestamp = v->ts,
	    .stored_at = v->ts + 1,
	    .body = buf,
	    .body_len = v->len,
	    .sig = (char *)v->sig,
	    .sig_len = strlen(v->sig),
	};

	for (size_t i = 0; i < v->len; i++)
		buf[i] = body_byte(v, i);
	if (ls_cache_store(dir, URL, &e, &err) != 0) {
		fprintf(stderr, "store: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static int matches(const struct ls_cache_entry *e, const struct version *v)
{
	if (strcmp(e->etag, v->name) != 0 || e->body_len != v->len || e->timestamp != v->ts ||
	    e->stored_at != v->ts + 1 || !e->sig || strcmp(e->sig, v->sig) != 0)
		return 0;
	for (size_t i = 0; i < v->len; i++)
		if (e->body[i] != body_byte(v, i))
			return 0;
	return 1;
}

static int check(const char *dir)
{
	struct ls_error err = {""};
	struct ls_cache_entry e;
	int rc = ls_cache_load(dir, URL, &e, &err);

	if (rc != 0) {
		fprintf(stderr, "load: %s\n", rc > 0 ? "no record" : err.msg);
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		if (matches(&e, &versions[i])) {
			printf("%s\n", versions[i].name);
			ls_cache_entry_free(&e);
			return 0;
		}
	}
	fprintf(stderr, "load: record is neither version A nor B (etag %s, %zu bytes)\n", e.etag,
		e.body_len);
	ls_cache_entry_free(&e);
	return 1;
}

int main(int argc, char **argv)
{
	static uint8_t buf[512 * 1024];

	if (argc != 3) {
		fprintf(stderr, "usage: cache_stress write|check|init DIR\n");
		return 2;
	}
	if (strcmp(argv[1], "check") == 0)
		return check(argv[2]);
	if (strcmp(argv[1], "init") == 0)
		return store(argv[2], &versions[0], buf);
	if (strcmp(argv[1], "write") != 0)
		return 2;
	for (unsigned long n = 0;; n++)
		if (store(argv[2], &versions[n % 2], buf) != 0)
			return 1;
}
