/*
 * Pictures: decoded images (RGBA, 8 bits a channel, one frame or the frames
 * of an animation with their delays) and how one is drawn into a rectangle
 * of the canvas: scaled by its fit, laid over the background, and on a
 * single-colour panel reduced to lit and dark LEDs by a threshold, an
 * ordered dither or an error-diffusion dither. Pure: the decoding and the
 * file checks (size, hash, dimensions, frames) are in src/sys/picture_file.c
 * and src/sys/picture_gif.c.
 */
#ifndef LEDSIGN_PICTURE_H
#define LEDSIGN_PICTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"

/* Limits checked before anything is decoded: a picture file's bytes, each
 * side and the pixels (a "PNG bomb" declares more than it carries). */
#define LS_PICTURE_MAX_BYTES (256 * 1024)
#define LS_PICTURE_MAX_DIM 1024
#define LS_PICTURE_MAX_PIXELS (256 * 1024)

/* An animated GIF: at most this many frames, and frames x width x height
 * (the pixels decoded in all) at most LS_PICTURE_MAX_ANIM_PIXELS, both
 * counted from the file's structure before any frame is decoded. */
#define LS_PICTURE_MAX_FRAMES 64
#define LS_PICTURE_MAX_ANIM_PIXELS (512 * 1024)

/* A frame delay under 20 ms (GIF's 0 or 1 hundredth) plays as 100 ms, as
 * browsers do; "fps" in the playlist overrides every delay. */
#define LS_PICTURE_SHORT_DELAY_MS 20
#define LS_PICTURE_DEFAULT_DELAY_MS 100
#define LS_PICTURE_MAX_FPS 50

enum ls_fit {
	LS_FIT_CONTAIN, /* scaled to fit inside its box, aspect kept (the default) */
	LS_FIT_NONE,	/* its own size, cut at the box */
	LS_FIT_COVER,	/* scaled to fill its box, aspect kept, the overflow cut */
};

enum ls_dither {
	LS_DITHER_DIFFUSION, /* Floyd-Steinberg error diffusion (the default) */
	LS_DITHER_ORDERED,   /* 4x4 Bayer matrix */
	LS_DITHER_THRESHOLD, /* lit where the brightness is at least half */
};

struct ls_image {
	int w, h;
	uint8_t *rgba; /* n_frames * w * h * 4 bytes, row-major, straight (not
			  premultiplied) alpha; frame i at rgba + i * w * h * 4 */
	int n_frames;  /* 1 for a still picture */
	int *delay_ms; /* n_frames delays of an animation (each > 0); NULL for a still */
};

/* A w x h transparent image; NULL when a side is outside 1..LS_PICTURE_MAX_DIM
 * or memory is short. Free with ls_image_free(). */
struct ls_image *ls_image_new(int w, int h);

/* An animation of n transparent w x h frames, each delay_ms
 * LS_PICTURE_DEFAULT_DELAY_MS; NULL when a side is outside 1..LS_PICTURE_MAX_DIM,
 * n outside 1..LS_PICTURE_MAX_FRAMES, n * w * h over LS_PICTURE_MAX_ANIM_PIXELS
 * or memory is short. Free with ls_image_free(). */
struct ls_image *ls_image_new_frames(int w, int h, int n);

/* Frame i (0..n_frames-1) of im as a still image that shares im's pixels:
 * a value, not to be freed, valid while im is. */
struct ls_image ls_image_frame(const struct ls_image *im, int i);

/* The frame an animation shows t_ms after its item started: looping over
 * its delays, or with fps (1..LS_PICTURE_MAX_FPS; 0: the file's delays)
 * every frame lasts 1000 / fps ms; 0 for a still or t_ms < 0. */
int ls_image_frame_at(const struct ls_image *im, int fps, int64_t t_ms);

/* Milliseconds one loop of the animation lasts (the sum of its delays, or
 * n_frames * 1000 / fps rounded up); 0 for a still. */
int64_t ls_image_loop_ms(const struct ls_image *im, int fps);

/* Frees an image from ls_image_new(); NULL is accepted. */
void ls_image_free(struct ls_image *im);

/* The size a sw x sh picture takes in a bw x bh box under fit (for cover,
 * larger than the box). */
void ls_picture_fit_size(enum ls_fit fit, int sw, int sh, int bw, int bh, int *w, int *h);

/* How a picture is drawn. */
struct ls_picture_style {
	enum ls_fit fit;
	enum ls_dither dither;
	bool mono;	      /* single-colour panel: each LED lit (fg) or dark (bg) */
	struct ls_rgb fg, bg; /* mono: the lit colour; both: the background */
};

/* Draws im into box (canvas coordinates), centred in it, cut at the box and
 * at the canvas. Reads only im and writes only the box: no allocation. */
void ls_picture_draw(const struct ls_image *im, const struct ls_picture_style *st,
		     struct ls_canvas *c, struct ls_rect box);

/* The share (0..100) of the picture's contrast edges that survive reduction
 * to one bit at its fitted size in box: a low figure means the dithered
 * picture has lost most of its detail (validate warns). */
int ls_picture_detail_kept(const struct ls_image *im, const struct ls_picture_style *st,
			   struct ls_rect box);

/* From src/sys/picture_file.c (the edge: libpng, files, hashing). */

/* Decodes a PNG or a GIF (still or animated) of len bytes (named `name` in
 * messages) into a new RGBA image (free with ls_image_free()), refusing more
 * than LS_PICTURE_MAX_BYTES, and dimensions over LS_PICTURE_MAX_DIM a side or
 * LS_PICTURE_MAX_PIXELS in all, read from the header before anything is
 * decoded, and for a GIF more than LS_PICTURE_MAX_FRAMES frames or
 * LS_PICTURE_MAX_ANIM_PIXELS decoded pixels, counted before any frame is
 * decoded; NULL with err. */
struct ls_image *ls_picture_decode(const void *buf, size_t len, const char *name,
				   struct ls_error *err);

/* From src/sys/picture_gif.c: decodes a GIF as ls_picture_decode() does
 * (buf starts "GIF87a" or "GIF89a", len within LS_PICTURE_MAX_BYTES). */
struct ls_image *ls_picture_decode_gif(const void *buf, size_t len, const char *name,
				       struct ls_error *err);

/* Reads the file at path (at most LS_PICTURE_MAX_BYTES, checked before it is
 * read) into a malloc'd buffer of *len bytes (the caller frees it) when its
 * SHA-256 is sha256; NULL with err naming the file and both hashes. */
uint8_t *ls_picture_read(const char *path, const uint8_t sha256[32], size_t *len,
			 struct ls_error *err);

/* Reads the file at path as ls_picture_read() does and decodes it; NULL with err
 * saying which check failed. The file is read once: what is hashed is what
 * is decoded. */
struct ls_image *ls_picture_load(const char *path, const uint8_t sha256[32], struct ls_error *err);

#endif
