/*
 * gif.c: a streaming GIF89a writer over giflib's low-level API. One frame is
 * held back until the next one differs, so repeated frames merge into one
 * longer delay; each written frame covers only the rectangle that changed
 * and leaves the rest of the previous picture in place (disposal "do not").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gif_lib.h>

#include "ledsign/gif.h"

/* GIF delays are 16-bit hundredths of a second. */
#define MAX_DELAY_CS 65535

struct ls_gif {
	GifFileType *file;
	char *path, *tmp;
	int w, h;
	uint8_t *pending; /* the frame not yet written */
	uint8_t *shown;	  /* what a decoder shows after the frames written so far */
	uint8_t *line;	  /* one row with unchanged pixels made transparent */
	int64_t pending_start_ms, end_ms;
	int frames_written;
	int has_pending;
	int transparent; /* palette index for "unchanged", or -1 */
};

static int gif_fail(struct ls_gif *g, struct ls_error *err, const char *what)
{
	return ls_error_set(err, "%s: %s: %s", g->path, what,
			    GifErrorString(g->file ? g->file->Error : 0));
}

static int put_loop_extension(struct ls_gif *g)
{
	static const uint8_t loop_forever[3] = {1, 0, 0}; /* sub-block 1, loop count 0 */

	if (EGifPutExtensionLeader(g->file, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
	    EGifPutExtensionBlock(g->file, 11, "NETSCAPE2.0") == GIF_ERROR ||
	    EGifPutExtensionBlock(g->file, 3, loop_forever) == GIF_ERROR ||
	    EGifPutExtensionTrailer(g->file) == GIF_ERROR)
		return -1;
	return 0;
}

static int put_header(struct ls_gif *g, const struct ls_rgb pal[256])
{
	GifColorType colours[256];
	ColorMapObject *map;
	int r;

	for (int i = 0; i < 256; i++)
		colours[i] = (GifColorType){pal[i].r, pal[i].g, pal[i].b};
	map = GifMakeMapObject(256, colours);
	if (!map)
		return -1;
	EGifSetGifVersion(g->file, true);
	r = EGifPutScreenDesc(g->file, g->w, g->h, 8, 0, map);
	GifFreeMapObject(map);
	if (r == GIF_ERROR)
		return -1;
	return put_loop_extension(g);
}

struct ls_gif *ls_gif_open(const char *path, int w, int h, const struct ls_rgb pal[256],
			   int transparent, struct ls_error *err)
{
	struct ls_gif *g;
	size_t n = strlen(path) + 32;
	int e = 0, fd;

	if (w < 1 || h < 1 || w > 65535 || h > 65535) {
		ls_error_set(err, "%s: %dx%d cannot be a GIF (1..65535 pixels a side)", path, w, h);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g || !(g->path = strdup(path)) || !(g->tmp = malloc(n)) ||
	    !(g->pending = malloc((size_t)w * h)) || !(g->shown = malloc((size_t)w * h)) ||
	    !(g->line = malloc((size_t)w))) {
		ls_gif_abort(g);
		ls_error_set(err, "%s: out of memory", path);
		return NULL;
	}
	g->w = w;
	g->h = h;
	g->transparent = transparent >= 0 && transparent < 256 ? transparent : -1;
	snprintf(g->tmp, n, "%s.tmp%d", path, (int)getpid());
	/* Opened here rather than by giflib, which would make the file private (0600). */
	fd = open(g->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		ls_error_set(err, "%s: cannot write: %s", path, strerror(errno));
		free(g->tmp);
		g->tmp = NULL; /* nothing to remove */
		ls_gif_abort(g);
		return NULL;
	}
	g->file = EGifOpenFileHandle(fd, &e);
	if (!g->file) {
		close(fd);
		ls_error_set(err, "%s: %s", path, GifErrorString(e));
		ls_gif_abort(g);
		return NULL;
	}
	if (put_header(g, pal)) {
		gif_fail(g, err, "writing the GIF header failed");
		ls_gif_abort(g);
		return NULL;
	}
	return g;
}

/* The smallest rectangle where pending differs from shown (everything for the first frame). */
static void changed_rect(const struct ls_gif *g, int *x0, int *y0, int *x1, int *y1)
{
	*x0 = 0, *y0 = 0, *x1 = g->w, *y1 = g->h;
	if (!g->frames_written)
		return;
	*x0 = g->w, *x1 = 0, *y1 = 0, *y0 = g->h;
	for (int y = 0; y < g->h; y++) {
		const uint8_t *a = g->pending + (size_t)y * g->w, *b = g->shown + (size_t)y * g->w;
		int l = 0, r = g->w;
		if (!memcmp(a, b, (size_t)g->w))
			continue;
		while (a[l] == b[l])
			l++;
		while (a[r - 1] == b[r - 1])
			r--;
		*x0 = l < *x0 ? l : *x0;
		*x1 = r > *x1 ? r : *x1;
		*y0 = y < *y0 ? y : *y0;
		*y1 = y + 1;
	}
	if (*x1 <= *x0) /* identical to what is shown: a 1x1 frame carries the delay */
		*x0 = 0, *y0 = 0, *x1 = 1, *y1 = 1;
}

static int put_delay(struct ls_gif *g, int delay_cs)
{
	GraphicsControlBlock gcb = {.DisposalMode = DISPOSE_DO_NOT,
				    .UserInputFlag = false,
				    .DelayTime = delay_cs,
				    .TransparentColor =
					g->frames_written ? g->transparent : NO_TRANSPARENT_COLOR};
	GifByteType ext[4];

	EGifGCBToExtension(&gcb, ext);
	return EGifPutExtension(g->file, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_ERROR ? -1 : 0;
}

static int put_frame(struct ls_gif *g, int delay_cs)
{
	int x0, y0, x1, y1;

	changed_rect(g, &x0, &y0, &x1, &y1);
	if (put_delay(g, delay_cs) ||
	    EGifPutImageDesc(g->file, x0, y0, x1 - x0, y1 - y0, false, NULL) == GIF_ERROR)
		return -1;
	for (int y = y0; y < y1; y++) {
		uint8_t *row = g->pending + (size_t)y * g->w + x0,
			*shown = g->shown + (size_t)y * g->w + x0;
		uint8_t *out = row;
		if (g->transparent >= 0 && g->frames_written) {
			/* Pixels already on screen become transparent: runs LZW packs well. */
			out = g->line;
			for (int x = 0; x < x1 - x0; x++)
				out[x] = row[x] == shown[x] ? (uint8_t)g->transparent : row[x];
		}
		if (EGifPutLine(g->file, out, x1 - x0) == GIF_ERROR)
			return -1;
		memcpy(shown, row, (size_t)(x1 - x0));
	}
	g->frames_written++;
	return 0;
}

/* Writes the pending frame with the delay that keeps the running total exact;
 * a hold longer than a GIF delay allows is split into repeated frames. */
static int flush(struct ls_gif *g, struct ls_error *err)
{
	int64_t start_cs = (g->pending_start_ms + 5) / 10, end_cs = (g->end_ms + 5) / 10;

	if (!g->has_pending)
		return 0;
	do {
		int64_t d = end_cs - start_cs > MAX_DELAY_CS ? MAX_DELAY_CS : end_cs - start_cs;
		if (put_frame(g, (int)d))
			return gif_fail(g, err, "writing a frame failed (disk full?)");
		start_cs += d;
	} while (start_cs < end_cs);
	g->has_pending = 0;
	return 0;
}

int ls_gif_add(struct ls_gif *g, const uint8_t *px, int ms, struct ls_error *err)
{
	size_t size = (size_t)g->w * g->h;

	if (ms <= 0)
		return ls_error_set(err, "%s: a frame must last at least 1 ms, not %d", g->path,
				    ms);
	if (g->has_pending && !memcmp(px, g->pending, size)) {
		g->end_ms += ms;
		return 0;
	}
	if (flush(g, err))
		return -1;
	memcpy(g->pending, px, size);
	g->pending_start_ms = g->end_ms;
	g->end_ms += ms;
	g->has_pending = 1;
	return 0;
}

static void gif_free(struct ls_gif *g)
{
	free(g->path);
	free(g->tmp);
	free(g->pending);
	free(g->shown);
	free(g->line);
	free(g);
}

int ls_gif_close(struct ls_gif *g, struct ls_error *err)
{
	int e = 0;

	if (flush(g, err)) {
		ls_gif_abort(g);
		return -1;
	}
	if (EGifCloseFile(g->file, &e) == GIF_ERROR) {
		g->file = NULL;
		ls_error_set(err, "%s: finishing the GIF failed: %s", g->path, GifErrorString(e));
		ls_gif_abort(g);
		return -1;
	}
	g->file = NULL;
	if (rename(g->tmp, g->path)) {
		ls_error_set(err, "%s: %s", g->path, strerror(errno));
		ls_gif_abort(g);
		return -1;
	}
	gif_free(g);
	return 0;
}

void ls_gif_abort(struct ls_gif *g)
{
	if (!g)
		return;
	if (g->file)
		EGifCloseFile(g->file, NULL);
	if (g->tmp)
		unlink(g->tmp);
	gif_free(g);
}
