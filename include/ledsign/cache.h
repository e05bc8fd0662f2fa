/*
 * The on-disk cache of each feed's last good version, so a board shows
 * content at start-up before any network activity and keeps it through any
 * failure.
 *
 * One record per feed URL, in one file named after a hash of the URL
 * (DIR/<32 hex>.feed), holding the body, its .minisig and a little metadata
 * (URL, ETag, Last-Modified, the accepted signature's timestamp), and the
 * pictures the playlist names, each under its SHA-256. Body, signature and
 * pictures live in the same file so they can never disagree: a version and
 * its pictures are replaced together, and a picture the new version no
 * longer names goes with the old record. A store writes
 * a temporary file in the same directory, fsyncs it, renames it over the old
 * record and fsyncs the directory: a kill -9 or power cut at any moment
 * leaves either the old record or the new one. Stores to the same directory
 * are serialised by an flock on DIR/<hash>.lock. A load checks the magic,
 * every length, a BLAKE2b checksum over the whole record and each picture's
 * SHA-256, and refuses a broken record with an error that says so.
 */
#ifndef LEDSIGN_CACHE_H
#define LEDSIGN_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"

#define LS_CACHE_MAX_BYTES (64L * 1024 * 1024) /* largest record loaded */
#define LS_CACHE_NAME_MAX 48		       /* "<32 hex>.feed" and its NUL, with room */
#define LS_CACHE_MAX_PICTURES 16	       /* pictures kept with one version */

/* A picture kept with a version: its bytes, named by their SHA-256. */
struct ls_cache_picture {
	uint8_t sha256[32];
	uint8_t *data;
	size_t len;
};

/* One cached feed version. Filled by ls_cache_load(): every pointer is then
 * malloc'd, NUL-terminated (also body and sig) and released by
 * ls_cache_entry_free(). For ls_cache_store() the caller owns the fields;
 * etag, last_modified and sig may be NULL. */
struct ls_cache_entry {
	char *url;	     /* set by load; ignored by store (the url argument counts) */
	char *etag;	     /* the ETag header of the response, "" when none */
	char *last_modified; /* the Last-Modified header, "" when none */
	int64_t timestamp;   /* trusted-comment timestamp of the accepted version, -1 if none */
	int64_t stored_at;   /* Unix time of the store, as the caller says */
	uint8_t *body;
	size_t body_len;
	char *sig; /* the .minisig text, NULL for an unsigned feed */
	size_t sig_len;
	struct ls_cache_picture *pictures; /* n_pictures of them (distinct hashes), or NULL */
	int n_pictures;
};

/* Writes the file name (not the path) of url's record into name. */
void ls_cache_name(const char *url, char name[LS_CACHE_NAME_MAX]);

/* Atomically replaces the record for url in dir with e (and its pictures). Returns 0, or -1 with
 * err naming the file and the failing step; the record on disk is then the
 * old one, or the new one if only the final directory fsync failed. */
int ls_cache_store(const char *dir, const char *url, const struct ls_cache_entry *e,
		   struct ls_error *err);

/* Loads url's record from dir into out (release it with ls_cache_entry_free()).
 * Returns 0 when loaded, 1 when no record exists (out zeroed), or -1 with err
 * saying why the record is unreadable or broken. */
int ls_cache_load(const char *dir, const char *url, struct ls_cache_entry *out,
		  struct ls_error *err);

/* Frees the n pictures of p (their data and the array); accepts NULL. */
void ls_cache_pictures_free(struct ls_cache_picture *p, int n);

/* Releases what ls_cache_load() allocated and zeroes e; accepts NULL. */
void ls_cache_entry_free(struct ls_cache_entry *e);

#endif
