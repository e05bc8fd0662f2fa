/*
 * fonts.c: the font files of this system, as a font provider for the pure
 * core (text.h). The core sizes and rasterises faces; only this file opens
 * font files. One FreeType library serves the process: FreeType allows faces
 * of one library to be used from several threads (each face by one thread at
 * a time) as long as creating and destroying faces is serialised, which the
 * mutex does.
 *
 * Opening a face is most of a board's start-up (FreeType parses a BDF file
 * whole), and the service opens its fonts twice in a row: once for the check
 * that refuses a bad configuration, once for the player. So a face given back
 * is kept (at most KEEP_MAX of them, the oldest dropped first) unless another
 * face of the same file is still open, and the next open of that file, while
 * it is unchanged on disk, gets the kept face instead of parsing it again.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ledsign/text.h"

#define KEEP_MAX 4

/* A face this provider handed out or keeps, and the file it was read from. */
struct held {
	FT_Face face;
	struct held *next;
	struct stat st;	    /* the file when it was opened */
	unsigned long kept; /* when it was given back (a count); 0 while in use */
	char path[];
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library lib;	    /* NULL when FreeType could not start */
static struct held *held;   /* under lib_lock */
static unsigned long gives; /* faces given back so far, under lib_lock */

static void lib_init(void)
{
	if (FT_Init_FreeType(&lib))
		lib = NULL;
}

static int refuse(struct ls_error *err, const char *path)
{
	return ls_error_set(err,
			    "%s: cannot be opened as a font (BDF, PCF, PCF.gz, TTF or OTF); "
			    "check the path and the file",
			    path);
}

static bool same_file(const struct held *h, const char *path, const struct stat *st)
{
	return h->st.st_dev == st->st_dev && h->st.st_ino == st->st_ino &&
	       h->st.st_size == st->st_size && h->st.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	       h->st.st_mtim.tv_nsec == st->st_mtim.tv_nsec && !strcmp(h->path, path);
}

/* Takes a kept face of the unchanged file at path out of the keep; NULL when
 * there is none. Called under lib_lock. */
static FT_Face take_kept(const char *path, const struct stat *st)
{
	for (struct held *h = held; h; h = h->next)
		if (h->kept && same_file(h, path, st)) {
			h->kept = 0;
			return h->face;
		}
	return NULL;
}

/* Opens path as a new face and records it. Called under lib_lock. */
static FT_Face open_new(const char *path, const struct stat *st)
{
	size_t len = strlen(path) + 1;
	struct held *h = calloc(1, sizeof(*h) + len);

	if (!h)
		return NULL;
	if (FT_New_Face(lib, path, 0, &h->face)) {
		free(h);
		return NULL;
	}
	h->st = *st;
	memcpy(h->path, path, len);
	h->next = held;
	held = h;
	return h->face;
}

static struct FT_FaceRec_ *file_open(void *ctx, const char *path, struct ls_error *err)
{
	FT_Face face = NULL;
	struct stat st;

	(void)ctx;
	pthread_once(&lib_once, lib_init);
	if (!lib) {
		ls_error_set(err, "FreeType could not start (out of memory?)");
		return NULL;
	}
	if (stat(path, &st)) {
		refuse(err, path);
		return NULL;
	}
	pthread_mutex_lock(&lib_lock);
	face = take_kept(path, &st);
	if (!face)
		face = open_new(path, &st);
	pthread_mutex_unlock(&lib_lock);
	if (!face)
		refuse(err, path);
	return face;
}

/* Unlinks *link's entry and closes its face. Called under lib_lock. */
static void drop(struct held **link)
{
	struct held *h = *link;

	*link = h->next;
	FT_Done_Face(h->face);
	free(h);
}

/* Whether a face of h's file other than h is in use or kept, and the link to
 * the oldest kept face. Called under lib_lock. */
static bool twin_of(const struct held *h, struct held ***oldest, int *n_kept)
{
	bool twin = false;

	*oldest = NULL;
	*n_kept = 0;
	for (struct held **l = &held; *l; l = &(*l)->next) {
		if (*l != h && same_file(*l, h->path, &h->st))
			twin = true;
		if ((*l)->kept) {
			++*n_kept;
			if (!*oldest || (*l)->kept < (**oldest)->kept)
				*oldest = l;
		}
	}
	return twin;
}

static void file_close(void *ctx, struct FT_FaceRec_ *face)
{
	struct held **link = &held, **oldest;
	int n_kept;

	(void)ctx;
	if (!face)
		return;
	pthread_mutex_lock(&lib_lock);
	while (*link && (*link)->face != face)
		link = &(*link)->next;
	if (!*link)
		FT_Done_Face(face); /* not one of ours: cannot happen */
	else if (twin_of(*link, &oldest, &n_kept))
		drop(link);
	else {
		(*link)->kept = ++gives;
		if (n_kept >= KEEP_MAX)
			drop(oldest);
	}
	pthread_mutex_unlock(&lib_lock);
}

/* Whether the header of the file at path is that of a BDF, PCF or gzip (PCF.gz)
 * file, which FreeType would parse whole even to count its faces. */
static bool parsed_whole(const char *path)
{
	unsigned char b[9] = {0};
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	size_t n = fread(b, 1, sizeof(b), f);
	fclose(f);
	return (n == 9 && !memcmp(b, "STARTFONT", 9)) || (n >= 4 && !memcmp(b, "\1fcp", 4)) ||
	       (n >= 2 && b[0] == 0x1f && b[1] == 0x8b);
}

/* A fallback's check: a BDF, PCF or PCF.gz by its header; any other font by
 * FreeType reading its header (face index -1 counts the faces without loading
 * one: a TTF's or OTF's table directory). */
static int file_check(void *ctx, const char *path, struct ls_error *err)
{
	FT_Open_Args args = {.flags = FT_OPEN_PATHNAME, .pathname = (char *)path};
	FT_Face face = NULL;
	FT_Error e;

	(void)ctx;
	pthread_once(&lib_once, lib_init);
	if (!lib)
		return ls_error_set(err, "FreeType could not start (out of memory?)");
	if (parsed_whole(path))
		return 0;
	pthread_mutex_lock(&lib_lock);
	e = FT_Open_Face(lib, &args, -1, &face);
	if (!e)
		FT_Done_Face(face);
	pthread_mutex_unlock(&lib_lock);
	return e ? refuse(err, path) : 0;
}

static const struct ls_font_provider files = {
    .open = file_open,
    .close = file_close,
    .check = file_check,
};

const struct ls_font_provider *ls_font_files(void)
{
	return &files;
}

struct ls_fontset *ls_fontset_open(const char *const *paths, int n, int line_height, bool mono,
				   struct ls_error *err)
{
	return ls_fontset_new(&files, paths, n, line_height, mono, err);
}
