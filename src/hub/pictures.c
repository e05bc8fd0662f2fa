/*
 * pictures.c: the layer's picture store (pictures.h). A file is named by
 * its SHA-256, so a playlist's item finds exactly the bytes its hash names
 * and two editors uploading the same emblem share one file. The checks are
 * the board's own (ls_picture_decode(): the limits read from the header,
 * then a full decode), run before anything is written.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>
#include <sodium.h>

#include "ledsign/atomic.h"
#include "ledsign/i18n.h"
#include "ledsign/picture.h"
#include "pictures.h"

void hub_pictures_of(const struct hub *h, const struct hub_layer *l, struct hub_pictures *s)
{
	memset(s, 0, sizeof(*s));
	if (!l)
		return;
	snprintf(s->dir, sizeof(s->dir), "%s/pictures/%s", h->cfg.hub.state_dir, l->name);
	snprintf(s->layer, sizeof(s->layer), "%s", l->name);
}

/* The store's file of hash into path; -1 with err when there is none. */
static int stored_path(const struct hub_pictures *s, const struct ls_item_picture *pic, char *path,
		       size_t n, struct ls_error *err)
{
	char hex[65];
	struct stat st;

	if (!ls_picture_path_ok(pic->file))
		return ls_error_set(err,
				    "%.80s: not a picture path; use letters, digits, . _ - and /, "
				    "inside the playlist's folder",
				    pic->file);
	if (!s->dir[0])
		return ls_error_set(err,
				    "%s: pictures are read from a layer's picture store; open "
				    "the playlist of a layer in the studio",
				    pic->file);
	sodium_bin2hex(hex, sizeof(hex), pic->sha256, 32);
	snprintf(path, n, "%s/%s", s->dir, hex);
	if (stat(path, &st))
		return ls_error_set(err,
				    "%s: no picture with sha256 %.16s... in layer %s's picture "
				    "store; upload the picture in the studio (the item's picture "
				    "button) and publish again",
				    pic->file, hex, s->layer);
	return 0;
}

static struct ls_image *load_stored(void *ctx, const char *playlist,
				    const struct ls_item_picture *pic, struct ls_error *err)
{
	char path[PATH_MAX + 160];

	(void)playlist;
	if (stored_path(ctx, pic, path, sizeof(path), err))
		return NULL;
	return ls_picture_load(path, pic->sha256, err);
}

static uint8_t *read_stored(void *ctx, const struct ls_item_picture *pic, size_t *len,
			    struct ls_error *err)
{
	char path[PATH_MAX + 160];

	if (stored_path(ctx, pic, path, sizeof(path), err))
		return NULL;
	return ls_picture_read(path, pic->sha256, len, err);
}

struct ls_picture_provider hub_pictures_provider(struct hub_pictures *s)
{
	return (struct ls_picture_provider){load_stored, s};
}

struct ls_publish_source hub_pictures_source(struct hub_pictures *s)
{
	return (struct ls_publish_source){read_stored, s};
}

/* ---- upload ---- */

/* Creates state_dir/pictures and its layer's folder. */
static int make_store(const struct hub_pictures *s, struct ls_error *err)
{
	char parent[PATH_MAX + 64];
	const char *slash = strrchr(s->dir, '/');

	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - s->dir), s->dir);
	if ((mkdir(parent, 0750) && errno != EEXIST) || (mkdir(s->dir, 0750) && errno != EEXIST))
		return ls_error_set(err, "%s: cannot create: %s", s->dir, strerror(errno));
	return 0;
}

/* Checks the picture (PNG or GIF) of len bytes at buf as a board would and
 * stores it; its hash into hex. Returns 0, or an HTTP status with err. */
static int store(const struct hub_pictures *s, const char *name, const void *buf, size_t len,
		 struct ls_image **im, char hex[65], struct ls_error *err)
{
	unsigned char sha[32];
	char path[PATH_MAX + 160];

	if (len > LS_PICTURE_MAX_BYTES) {
		ls_error_set(err, "%s: %zu bytes; a board takes pictures of at most %d bytes", name,
			     len, LS_PICTURE_MAX_BYTES);
		return 413;
	}
	if (!(*im = ls_picture_decode(buf, len, name, err)))
		return 422;
	crypto_hash_sha256(sha, buf, len);
	sodium_bin2hex(hex, 65, sha, sizeof(sha));
	snprintf(path, sizeof(path), "%s/%s", s->dir, hex);
	if (make_store(s, err) || ls_atomic_write(path, buf, len, 0640, err))
		return 500;
	return 0;
}

void hub_pictures_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const char *actor, const struct hub_layer *l)
{
	const char *name = hub_arg(rq, "name");
	struct hub_pictures s;
	struct ls_image *im = NULL;
	struct ls_error err;
	char hex[65], detail[400];
	cJSON *o;
	int status;

	if (!name || !ls_picture_path_ok(name)) {
		hub_reply_error(rs, 400,
				"name: the picture's path beside the playlist is needed, e.g. "
				"pictures/emblem.png (letters, digits, . _ - /, no \"..\")");
		return;
	}
	if (!rq->body || !rq->body_len) {
		hub_reply_error(rs, 400, "send the picture file (PNG or GIF) as the request body");
		return;
	}
	hub_pictures_of(h, l, &s);
	if ((status = store(&s, name, rq->body, rq->body_len, &im, hex, &err))) {
		hub_reply_error(rs, status, "%s", err.msg);
		return;
	}
	snprintf(detail, sizeof(detail), "picture %.255s, sha256 %.16s, %zu bytes, %dx%d", name,
		 hex, rq->body_len, im->w, im->h);
	hub_audit(h, actor, "layer.picture", l->name, detail, rq->address);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", name);
	cJSON_AddStringToObject(o, "sha256", hex);
	cJSON_AddNumberToObject(o, "width", im->w);
	cJSON_AddNumberToObject(o, "height", im->h);
	cJSON_AddNumberToObject(o, "bytes", (double)rq->body_len);
	ls_image_free(im);
	hub_reply_json(rs, 200, o);
}

/* ---- list and serve ---- */

static bool is_stored_name(const char *n)
{
	return strlen(n) == 64 && strspn(n, "0123456789abcdef") == 64;
}

static void list(const struct hub_pictures *s, struct hub_response *rs)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "pictures");
	DIR *d = opendir(s->dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX + 160];
		struct stat st;
		if (!is_stored_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", s->dir, e->d_name);
		if (stat(path, &st))
			continue;
		char hex[65];
		cJSON *p = cJSON_CreateObject();
		snprintf(hex, sizeof(hex), "%.64s", e->d_name);
		cJSON_AddStringToObject(p, "sha256", hex);
		cJSON_AddNumberToObject(p, "bytes", (double)st.st_size);
		cJSON_AddItemToArray(a, p);
	}
	if (d)
		closedir(d);
	hub_reply_json(rs, 200, o);
}

static void serve(const struct hub_pictures *s, const char *hex, struct hub_response *rs)
{
	struct ls_item_picture pic = {.file = "picture.png"};
	struct ls_error err;
	char path[PATH_MAX + 160];
	size_t len;
	uint8_t *buf;

	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64 ||
	    sodium_hex2bin(pic.sha256, 32, hex, 64, NULL, NULL, NULL)) {
		hub_reply_error(rs, 404, "no such picture: write its sha256 in lowercase hex");
		return;
	}
	if (stored_path(s, &pic, path, sizeof(path), &err) ||
	    !(buf = ls_picture_read(path, pic.sha256, &len, &err))) {
		hub_reply_error(rs, 404, "%s", err.msg);
		return;
	}
	hub_reply(rs, 200, len >= 4 && !memcmp(buf, "GIF8", 4) ? "image/gif" : "image/png", NULL);
	rs->body = (char *)buf;
	rs->len = len;
}

void hub_pictures_get(struct hub *h, struct hub_response *rs, const struct hub_layer *l,
		      const char *rest)
{
	struct hub_pictures s;

	hub_pictures_of(h, l, &s);
	if (!rest[0])
		list(&s, rs);
	else if (rest[0] == '/')
		serve(&s, rest + 1, rs);
	else
		hub_reply_error(rs, 404, "no such API: /pictures%s", rest);
}
