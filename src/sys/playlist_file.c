/*
 * playlist_file.c: playlists on this system. Reads a playlist file for the
 * pure parser (src/core/playlist.c parses a buffer), loads the files a
 * command line names (JSON Schemas among them skipped), and checks the time
 * zones its items name against the zone files this system has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledsign/clock.h"
#include "ledsign/playlist.h"

char *ls_playlist_read(const char *path, size_t *len, struct ls_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;

	if (!f) {
		ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > LS_PLAYLIST_MAX_BYTES) {
		fclose(f);
		ls_error_set(
		    err,
		    "%s:1:1: %lld bytes (%.1f MB); a playlist is at most %d bytes (1 MiB): "
		    "split it into several playlists or shorten it",
		    path, (long long)st.st_size, st.st_size / 1e6, LS_PLAYLIST_MAX_BYTES);
		return NULL;
	}
	buf = malloc(LS_PLAYLIST_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		ls_error_set(err, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, LS_PLAYLIST_MAX_BYTES + 1, f);
	fclose(f);
	return buf;
}

struct ls_playlist *ls_playlist_load(const char *path, struct ls_error *err)
{
	struct ls_playlist *pl;
	size_t len;
	char *buf = ls_playlist_read(path, &len, err);

	if (!buf)
		return NULL;
	pl = ls_playlist_parse(buf, len, path, err);
	free(buf);
	if (pl && ls_playlist_attach_pictures(pl, path, ls_picture_files(), err)) {
		ls_playlist_free(pl);
		return NULL;
	}
	return pl;
}

/* Loads one file into pls[*k] (advancing *k), or tells skipped of a schema. */
static int load_one(const char *path, struct ls_playlist **pls, int *k, ls_playlist_skip_fn skipped,
		    void *user, struct ls_error *err)
{
	size_t len;
	char *buf = ls_playlist_read(path, &len, err);
	int r = -1;

	if (buf && ls_playlist_is_schema(buf, len)) {
		if (skipped)
			skipped(user, path);
		r = 0;
	} else if (buf && (pls[*k] = ls_playlist_parse(buf, len, path, err))) {
		r = ls_playlist_attach_pictures(pls[(*k)++], path, ls_picture_files(), err);
	}
	free(buf);
	return r;
}

int ls_playlists_load(char **paths, int n, ls_playlist_skip_fn skipped, void *user,
		      struct ls_playlist ***out, struct ls_error *err)
{
	struct ls_playlist **pls = calloc((size_t)n + 1, sizeof(*pls));
	int k = 0;

	if (!pls)
		return ls_error_set(err, "out of memory");
	for (int i = 0; i < n; i++) {
		int before = k;
		if (load_one(paths[i], pls, &k, skipped, user, err)) {
			for (int j = 0; j < k; j++)
				ls_playlist_free(pls[j]);
			free(pls);
			return -1;
		}
		if (k > before)
			paths[k - 1] = paths[i];
	}
	if (!k) {
		free(pls);
		return ls_error_set(err, "no playlist among the files given");
	}
	*out = pls;
	return k;
}

int ls_playlist_check_zones(const struct ls_playlist *pl, const char *name, struct ls_error *err)
{
	for (int i = 0; i < pl->n_items; i++) {
		const char *tz = pl->items[i].timezone;

		if (!tz)
			continue;
		/* Loaded now (each zone file read once), so no schedule check reads one. */
		if (!ls_zone_lookup(tz))
			return ls_error_set(
			    err,
			    "%s: items[%d].timezone: %s is not a known time zone; use "
			    "e.g. Asia/Ho_Chi_Minh",
			    name, i, tz);
	}
	return 0;
}

/* The folder of path, for the pictures beside a playlist file. */
static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

static struct ls_image *load_beside(void *ctx, const char *playlist,
				    const struct ls_item_picture *pic, struct ls_error *err)
{
	char dir[4096], path[4096 + 256];

	(void)ctx;
	dir_of(playlist, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, pic->file);
	return ls_picture_load(path, pic->sha256, err);
}

const struct ls_picture_provider *ls_picture_files(void)
{
	static const struct ls_picture_provider files = {load_beside, NULL};

	return &files;
}
