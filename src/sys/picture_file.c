/*
 * picture_file.c: pictures on this system. Reads a picture file once, checks
 * its size before reading and its SHA-256 before decoding, and decodes it
 * with libpng's simplified API after checking the dimensions its header
 * declares, so a hostile file costs at most LS_PICTURE_MAX_BYTES of reading
 * and LS_PICTURE_MAX_PIXELS * 4 bytes of decoding; a GIF goes to
 * picture_gif.c, bounded by the same bytes and LS_PICTURE_MAX_ANIM_PIXELS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>
#include <sodium.h>

#include "ledsign/picture.h"

static const uint8_t PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static int check_header(const png_image *img, const char *name, struct ls_error *err)
{
	if (img->width > LS_PICTURE_MAX_DIM || img->height > LS_PICTURE_MAX_DIM ||
	    (unsigned long)img->width * img->height > LS_PICTURE_MAX_PIXELS)
		return ls_error_set(err,
				    "%s: %ux%u pixels; a picture is at most %dx%d and %d pixels "
				    "in all: scale it to the board's size (a zone is rarely over "
				    "192x64)",
				    name, img->width, img->height, LS_PICTURE_MAX_DIM,
				    LS_PICTURE_MAX_DIM, LS_PICTURE_MAX_PIXELS);
	return 0;
}

struct ls_image *ls_picture_decode(const void *buf, size_t len, const char *name,
				   struct ls_error *err)
{
	png_image img;
	struct ls_image *im;

	if (len > LS_PICTURE_MAX_BYTES) {
		ls_error_set(err, "%s: %zu bytes; a picture is at most %d bytes (256 KiB)", name,
			     len, LS_PICTURE_MAX_BYTES);
		return NULL;
	}
	if (len >= 6 && (!memcmp(buf, "GIF87a", 6) || !memcmp(buf, "GIF89a", 6)))
		return ls_picture_decode_gif(buf, len, name, err);
	if (len < sizeof(PNG_SIG) || memcmp(buf, PNG_SIG, sizeof(PNG_SIG))) {
		ls_error_set(err,
			     "%s: not a PNG or GIF file; save the picture as PNG (an animation "
			     "as GIF)",
			     name);
		return NULL;
	}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, buf, len)) {
		ls_error_set(err, "%s: not a readable PNG (%s)", name, img.message);
		return NULL;
	}
	if (check_header(&img, name, err)) {
		png_image_free(&img);
		return NULL;
	}
	if (!(im = ls_image_new((int)img.width, (int)img.height))) {
		ls_error_set(err, "%s: out of memory", name);
		png_image_free(&img);
		return NULL;
	}
	img.format = PNG_FORMAT_RGBA;
	if (!png_image_finish_read(&img, NULL, im->rgba, 0, NULL)) {
		ls_error_set(err, "%s: a damaged or truncated PNG (%s); export it again", name,
			     img.message);
		ls_image_free(im);
		return NULL;
	}
	return im;
}

/* Reads at most LS_PICTURE_MAX_BYTES of the regular file at path into a
 * malloc'd buffer; NULL with err. */
static uint8_t *read_bounded(const char *path, size_t *len, struct ls_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint8_t *buf = NULL;
	ssize_t n;

	if (fd < 0) {
		ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		ls_error_set(err, "%s: not a regular file", path);
	else if (st.st_size > LS_PICTURE_MAX_BYTES)
		ls_error_set(err, "%s: %lld bytes; a picture is at most %d bytes (256 KiB)", path,
			     (long long)st.st_size, LS_PICTURE_MAX_BYTES);
	else if (!(buf = malloc(LS_PICTURE_MAX_BYTES + 1)))
		ls_error_set(err, "out of memory");
	else if ((n = read(fd, buf, LS_PICTURE_MAX_BYTES + 1)) < 0 || n > LS_PICTURE_MAX_BYTES) {
		ls_error_set(err, "%s: cannot read, or it grew past %d bytes", path,
			     LS_PICTURE_MAX_BYTES);
		free(buf);
		buf = NULL;
	} else {
		*len = (size_t)n;
	}
	close(fd);
	return buf;
}

static void hex(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

uint8_t *ls_picture_read(const char *path, const uint8_t sha256[32], size_t *len,
			 struct ls_error *err)
{
	uint8_t got[32];
	char want_hex[65], got_hex[65];
	uint8_t *buf = read_bounded(path, len, err);

	if (!buf)
		return NULL;
	crypto_hash_sha256(got, buf, *len);
	if (!sodium_memcmp(got, sha256, 32))
		return buf;
	hex(sha256, want_hex);
	hex(got, got_hex);
	ls_error_set(err,
		     "%s: its SHA-256 is %s but the playlist names %s: the file was changed or "
		     "swapped; put the picture the playlist names back, or write the new one's "
		     "SHA-256 (sha256sum FILE) into the playlist",
		     path, got_hex, want_hex);
	free(buf);
	return NULL;
}

struct ls_image *ls_picture_load(const char *path, const uint8_t sha256[32], struct ls_error *err)
{
	size_t len = 0;
	uint8_t *buf = ls_picture_read(path, sha256, &len, err);
	struct ls_image *im;

	if (!buf)
		return NULL;
	im = ls_picture_decode(buf, len, path, err);
	free(buf);
	return im;
}
