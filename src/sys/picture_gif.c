/*
 * picture_gif.c: GIF pictures, still or animated, decoded with giflib from
 * memory in two passes. The first walks the file's structure without
 * decoding a pixel (the frames' rectangles are read, their compressed data
 * skipped) and refuses a file with more than LS_PICTURE_MAX_FRAMES frames,
 * more than LS_PICTURE_MAX_ANIM_PIXELS decoded pixels in all, a frame outside
 * the picture, or a damaged or truncated structure; only then does the
 * second decode it, composing every frame whole (GIF frames paint over the
 * last one, then are disposed of as each asks) into the image's frames.
 */
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "ledsign/picture.h"

struct mem {
	const uint8_t *p;
	size_t len, off;
};

static int mem_read(GifFileType *g, GifByteType *out, int n)
{
	struct mem *m = g->UserData;
	size_t k = n < 0 ? 0 : (size_t)n;

	k = k < m->len - m->off ? k : m->len - m->off;
	memcpy(out, m->p + m->off, k);
	m->off += k;
	return (int)k;
}

static int damaged(const char *name, int code, struct ls_error *err)
{
	const char *why = GifErrorString(code);

	return ls_error_set(err, "%s: a damaged or truncated GIF (%s); export it again", name,
			    why ? why : "unknown error");
}

static int check_screen(const GifFileType *g, const char *name, struct ls_error *err)
{
	if (g->SWidth < 1 || g->SHeight < 1 || g->SWidth > LS_PICTURE_MAX_DIM ||
	    g->SHeight > LS_PICTURE_MAX_DIM || (long)g->SWidth * g->SHeight > LS_PICTURE_MAX_PIXELS)
		return ls_error_set(err,
				    "%s: %dx%d pixels; a picture is at most %dx%d and %d pixels "
				    "in all: scale it to the board's size (a zone is rarely over "
				    "192x64)",
				    name, g->SWidth, g->SHeight, LS_PICTURE_MAX_DIM,
				    LS_PICTURE_MAX_DIM, LS_PICTURE_MAX_PIXELS);
	return 0;
}

/* The checks on the n-th frame (counting from 1), from its descriptor alone. */
static int check_frame(const GifFileType *g, int n, const char *name, struct ls_error *err)
{
	const GifImageDesc *d = &g->Image;

	if (n > LS_PICTURE_MAX_FRAMES)
		return ls_error_set(err,
				    "%s: more than %d frames; an animated picture has at most %d: "
				    "drop frames or shorten the animation",
				    name, LS_PICTURE_MAX_FRAMES, LS_PICTURE_MAX_FRAMES);
	if ((long long)n * g->SWidth * g->SHeight > LS_PICTURE_MAX_ANIM_PIXELS)
		return ls_error_set(err,
				    "%s: %d frames of %dx%d pixels; an animated picture decodes "
				    "to at most %d pixels in all (frames x width x height): use "
				    "fewer frames or a smaller picture",
				    name, n, g->SWidth, g->SHeight, LS_PICTURE_MAX_ANIM_PIXELS);
	if (d->Width < 1 || d->Height < 1 || d->Left < 0 || d->Top < 0 ||
	    d->Left + d->Width > g->SWidth || d->Top + d->Height > g->SHeight)
		return ls_error_set(err,
				    "%s: frame %d (%dx%d at %d,%d) lies outside the %dx%d "
				    "picture; export it again",
				    name, n, d->Width, d->Height, d->Left, d->Top, g->SWidth,
				    g->SHeight);
	return 0;
}

/* Reads past the compressed data of the current frame, or an extension. */
static int skip_code(GifFileType *g)
{
	GifByteType *block;
	int size;

	if (DGifGetCode(g, &size, &block) == GIF_ERROR)
		return -1;
	while (block)
		if (DGifGetCodeNext(g, &block) == GIF_ERROR)
			return -1;
	return 0;
}

static int skip_extension(GifFileType *g)
{
	GifByteType *block;
	int code;

	if (DGifGetExtension(g, &code, &block) == GIF_ERROR)
		return -1;
	while (block)
		if (DGifGetExtensionNext(g, &block) == GIF_ERROR)
			return -1;
	return 0;
}

/* The second pass, once the first has counted the frames within the limits:
 * decodes each frame's data a line at a time into one scratch line, keeping
 * nothing, so damaged data is found here and DGifSlurp() in the third pass
 * never fails on it (giflib 5.2.2, Debian 13, leaks the colour map of a frame
 * whose data DGifSlurp() cannot decode). */
static int check_data(GifFileType *g, const char *name, struct ls_error *err)
{
	GifRecordType rt = UNDEFINED_RECORD_TYPE;
	GifPixelType line[LS_PICTURE_MAX_DIM];

	while (rt != TERMINATE_RECORD_TYPE) {
		if (DGifGetRecordType(g, &rt) == GIF_ERROR)
			return damaged(name, g->Error, err);
		if (rt == IMAGE_DESC_RECORD_TYPE) {
			if (DGifGetImageDesc(g) == GIF_ERROR || g->Image.Width > LS_PICTURE_MAX_DIM)
				return damaged(name, g->Error, err);
			for (int y = 0; y < g->Image.Height; y++)
				if (DGifGetLine(g, line, g->Image.Width) == GIF_ERROR)
					return damaged(name, g->Error, err);
		} else if (rt == EXTENSION_RECORD_TYPE && skip_extension(g)) {
			return damaged(name, g->Error, err);
		}
	}
	return 0;
}

/* The first pass: counts the frames into *n, decoding none; -1 with err. */
static int count_frames(GifFileType *g, const char *name, int *n, struct ls_error *err)
{
	GifRecordType rt = UNDEFINED_RECORD_TYPE;

	*n = 0;
	if (check_screen(g, name, err))
		return -1;
	while (rt != TERMINATE_RECORD_TYPE) {
		if (DGifGetRecordType(g, &rt) == GIF_ERROR)
			return damaged(name, g->Error, err);
		if (rt == IMAGE_DESC_RECORD_TYPE) {
			if (DGifGetImageDesc(g) == GIF_ERROR)
				return damaged(name, g->Error, err);
			if (check_frame(g, ++*n, name, err))
				return -1;
			if (skip_code(g))
				return damaged(name, g->Error, err);
		} else if (rt == EXTENSION_RECORD_TYPE && skip_extension(g)) {
			return damaged(name, g->Error, err);
		}
	}
	if (!*n)
		return ls_error_set(err, "%s: a GIF without a frame; export it again", name);
	return 0;
}

/* Paints saved frame si over the w-wide RGBA picture at; a pixel of the
 * transparent index, or beyond the colour table, leaves what is there. */
static void paint(const SavedImage *si, const ColorMapObject *map, int transparent, uint8_t *at,
		  int w)
{
	const GifImageDesc *d = &si->ImageDesc;

	for (int y = 0; y < d->Height; y++)
		for (int x = 0; x < d->Width; x++) {
			int k = si->RasterBits[(long)y * d->Width + x];
			uint8_t *px = at + ((long)(d->Top + y) * w + d->Left + x) * 4;
			if (k == transparent || k >= map->ColorCount)
				continue;
			px[0] = map->Colors[k].Red;
			px[1] = map->Colors[k].Green;
			px[2] = map->Colors[k].Blue;
			px[3] = 255;
		}
}

/* Clears frame si's rectangle of the w-wide picture at to transparent
 * (disposal "restore to background": browsers show what is behind). */
static void clear(const SavedImage *si, uint8_t *at, int w)
{
	const GifImageDesc *d = &si->ImageDesc;

	for (int y = 0; y < d->Height; y++)
		memset(at + ((long)(d->Top + y) * w + d->Left) * 4, 0, (size_t)d->Width * 4);
}

static int delay_ms(const GraphicsControlBlock *gcb)
{
	int ms = gcb->DelayTime * 10;

	return ms < LS_PICTURE_SHORT_DELAY_MS ? LS_PICTURE_DEFAULT_DELAY_MS : ms;
}

/* The second pass: each frame painted over the picture as the ones before
 * it left it, and copied whole into im. */
static int compose(GifFileType *g, struct ls_image *im, uint8_t *cur, uint8_t *prev,
		   const char *name, struct ls_error *err)
{
	size_t size = (size_t)im->w * im->h * 4;

	for (int i = 0; i < im->n_frames; i++) {
		const SavedImage *si = &g->SavedImages[i];
		const ColorMapObject *map =
		    si->ImageDesc.ColorMap ? si->ImageDesc.ColorMap : g->SColorMap;
		GraphicsControlBlock gcb;
		if (!map)
			return ls_error_set(err, "%s: frame %d has no colours; export it again",
					    name, i + 1);
		DGifSavedExtensionToGCB(g, i, &gcb);
		if (gcb.DisposalMode == DISPOSE_PREVIOUS)
			memcpy(prev, cur, size);
		paint(si, map, gcb.TransparentColor, cur, im->w);
		memcpy(im->rgba + i * size, cur, size);
		if (im->delay_ms)
			im->delay_ms[i] = delay_ms(&gcb);
		if (gcb.DisposalMode == DISPOSE_BACKGROUND)
			clear(si, cur, im->w);
		else if (gcb.DisposalMode == DISPOSE_PREVIOUS)
			memcpy(cur, prev, size);
	}
	return 0;
}

static struct ls_image *decode_frames(GifFileType *g, int n, const char *name, struct ls_error *err)
{
	struct ls_image *im = n == 1 ? ls_image_new(g->SWidth, g->SHeight)
				     : ls_image_new_frames(g->SWidth, g->SHeight, n);
	size_t size = (size_t)g->SWidth * g->SHeight * 4;
	uint8_t *cur = calloc(size, 1), *prev = calloc(size, 1);

	if (!im || !cur || !prev) {
		ls_error_set(err, "%s: out of memory", name);
		goto err_free;
	}
	if (DGifSlurp(g) == GIF_ERROR) {
		damaged(name, g->Error, err);
		goto err_free;
	}
	if (g->ImageCount != n) {
		ls_error_set(err, "%s: a damaged GIF (its frames changed between reads)", name);
		goto err_free;
	}
	if (compose(g, im, cur, prev, name, err))
		goto err_free;
	free(cur);
	free(prev);
	return im;

err_free:
	free(cur);
	free(prev);
	ls_image_free(im);
	return NULL;
}

struct ls_image *ls_picture_decode_gif(const void *buf, size_t len, const char *name,
				       struct ls_error *err)
{
	struct mem m = {buf, len, 0};
	struct ls_image *im = NULL;
	int e = 0, n = 0;
	GifFileType *g = DGifOpen(&m, mem_read, &e);

	if (!g) {
		damaged(name, e, err);
		return NULL;
	}
	if (count_frames(g, name, &n, err)) {
		DGifCloseFile(g, NULL);
		return NULL;
	}
	DGifCloseFile(g, NULL);
	m.off = 0;
	if (!(g = DGifOpen(&m, mem_read, &e))) {
		damaged(name, e, err);
		return NULL;
	}
	if (check_data(g, name, err)) {
		DGifCloseFile(g, NULL);
		return NULL;
	}
	DGifCloseFile(g, NULL);
	m.off = 0;
	if (!(g = DGifOpen(&m, mem_read, &e))) {
		damaged(name, e, err);
		return NULL;
	}
	im = decode_frames(g, n, name, err);
	DGifCloseFile(g, NULL);
	return im;
}
