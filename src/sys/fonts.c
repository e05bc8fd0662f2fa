/*
 * fonts.c: the font files of this system, as a font provider for the pure
 * core (text.h). The core sizes and rasterises faces; only this file opens
 * font files. One FreeType library serves the process: FreeType allows faces
 * of one library to be used from several threads (each face by one thread at
 * a time) as long as creating and destroying faces is serialised, which the
 * mutex does.
 */
#include <pthread.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ledsign/text.h"

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library lib; /* NULL when FreeType could not start */

static void lib_init(void)
{
	if (FT_Init_FreeType(&lib))
		lib = NULL;
}

static struct FT_FaceRec_ *file_open(void *ctx, const char *path, struct ls_error *err)
{
	FT_Face face = NULL;
	FT_Error e;

	(void)ctx;
	pthread_once(&lib_once, lib_init);
	if (!lib) {
		ls_error_set(err, "FreeType could not start (out of memory?)");
		return NULL;
	}
	pthread_mutex_lock(&lib_lock);
	e = FT_New_Face(lib, path, 0, &face);
	pthread_mutex_unlock(&lib_lock);
	if (e) {
		ls_error_set(err,
			     "%s: cannot be opened as a font (BDF, PCF, PCF.gz, TTF or OTF); "
			     "check the path and the file",
			     path);
		return NULL;
	}
	return face;
}

static void file_close(void *ctx, struct FT_FaceRec_ *face)
{
	(void)ctx;
	if (!face)
		return;
	pthread_mutex_lock(&lib_lock);
	FT_Done_Face(face);
	pthread_mutex_unlock(&lib_lock);
}

static const struct ls_font_provider files = {.open = file_open, .close = file_close};

const struct ls_font_provider *ls_font_files(void)
{
	return &files;
}

struct ls_fontset *ls_fontset_open(const char *const *paths, int n, int line_height, bool mono,
				   struct ls_error *err)
{
	return ls_fontset_new(&files, paths, n, line_height, mono, err);
}
