/*
 * png.c: libpng reading and writing, with setjmp kept inside this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "ledsign/atomic.h"
#include "ledsign/png.h"

static int write_rows(FILE *f, const struct ls_canvas *c)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < c->height; y++)
		png_write_row(png, (png_const_bytep)(c->px + (long)y * c->width));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

/* Encodes the canvas into fd; libpng writes through a stdio stream of its own. */
static int fill_png(int fd, void *ctx)
{
	int own = dup(fd);
	FILE *f = own >= 0 ? fdopen(own, "wb") : NULL;
	int r;

	if (!f) {
		if (own >= 0)
			close(own);
		return -1;
	}
	r = write_rows(f, ctx);
	return fclose(f) || r ? -1 : 0;
}

int ls_png_write(const char *path, const struct ls_canvas *c, struct ls_error *err)
{
	return ls_atomic_replace(path, NULL, 0666, fill_png, (void *)c, err);
}

struct ls_canvas *ls_png_read(const char *path, struct ls_error *err)
{
	png_image img;
	struct ls_canvas *c;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		ls_error_set(err, "%s: not a readable PNG (%s)", path, img.message);
		return NULL;
	}
	img.format = PNG_FORMAT_RGB;
	c = ls_canvas_new((int)img.width, (int)img.height);
	if (!c) {
		png_image_free(&img);
		ls_error_set(err, "%s: %ux%u is too large", path, img.width, img.height);
		return NULL;
	}
	if (!png_image_finish_read(&img, NULL, c->px, 0, NULL)) {
		ls_error_set(err, "%s: %s", path, img.message);
		ls_canvas_free(c);
		return NULL;
	}
	return c;
}
