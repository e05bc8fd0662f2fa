/*
 * playlist_file.c: playlists on this system. Reads a playlist file for the
 * pure parser (src/core/playlist.c parses a buffer), and checks the time
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
