/*
 * Putting a signed version of a feed file where boards fetch it: the one
 * way `ledsign publish` and the hub do it, so both keep the same promises.
 * A board sees either the old pair (file and .minisig) or the new one; the
 * new signature is dated after the one it replaces (boards refuse an older
 * one: no replay); the new file's mtime is strictly after the old one's, so
 * nginx's ETag (mtime seconds and size) changes even for a same-size file
 * published within the same second; the push channel hears of it at once.
 */
#ifndef LEDSIGN_PUBLISH_H
#define LEDSIGN_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "ledsign/error.h"
#include "ledsign/playlist.h"

/* The timestamp to sign a new version with, given the signature published
 * now at sig_path (may not exist): now, or one second after that one's when
 * it is not older than now. With reset_floor, now. Returns -1 with err when
 * the published one is dated LS_FEED_AHEAD_MAX_S or more ahead of now (a
 * clock gone wrong: boards would refuse what follows it). */
int64_t ls_publish_timestamp(const char *sig_path, int64_t now, int reset_floor,
			     struct ls_error *err);

/* The path under the feed root a version of name installed in dir is signed
 * with (its "path:" claim, which binds it to its layer): dir relative to
 * root (dir's parent when root is NULL; both resolved), then name, into out
 * (n bytes). Returns 0, or -1 with err when dir is not under root or the
 * path is not one boards accept (ls_sig_path_check()). */
int ls_publish_path(const char *dir, const char *root, const char *name, char *out, size_t n,
		    struct ls_error *err);

/* Writes body as dir/name and sig as dir/name.minisig: each to a temporary
 * file in dir, synced, its mtime max(now, the replaced file's + 1 s), then
 * both renamed into place (the body first) and dir synced. Returns 0, or -1
 * with err and the published pair untouched. */
int ls_publish_install(const char *dir, const char *name, const void *body, size_t len,
		       const char *sig, struct ls_error *err);

/* Installs the pictures pl names (its items' picture paths, read beside the
 * playlist file src) under dir at the same paths, each checked against the
 * SHA-256 the playlist names as it is read (what is checked is what is
 * written) and written atomically, creating its folders: call it before
 * ls_publish_install(), so a board never meets a playlist whose pictures are
 * not there. Returns the number of pictures installed, or -1 with err naming
 * the file and the fix (nothing of the playlist installed then); more than
 * LS_FEED_MAX_PICTURES different pictures are refused, as boards would. */
int ls_publish_pictures(const char *dir, const char *src, const struct ls_playlist *pl,
			struct ls_error *err);

/* Where the hub's pictures come from: read returns pic's bytes (malloc'd,
 * *len of them, the caller frees them) when they hash to pic->sha256, or
 * NULL with err saying what is missing and what to do. */
struct ls_publish_source {
	uint8_t *(*read)(void *ctx, const struct ls_item_picture *pic, size_t *len,
			 struct ls_error *err);
	void *ctx;
};

/* ls_publish_pictures() with the pictures read from `from` (the hub's
 * picture store) rather than beside a playlist file; the same checks and
 * the same atomic writes. */
int ls_publish_pictures_from(const char *dir, const struct ls_publish_source *from,
			     const struct ls_playlist *pl, struct ls_error *err);

/* Tells the boards through the push channel's publisher endpoint url that
 * path has a version signed at ts: POSTs {"path", "timestamp"} with token
 * (may be NULL) as a bearer token. Returns 0, or -1 with err. */
int ls_publish_push(const char *url, const char *token, const char *path, int64_t ts,
		    struct ls_error *err);

#endif
