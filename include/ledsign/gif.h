/*
 * Animated GIF files through giflib, for previews: one global palette, real
 * per-frame timing, looping forever (the NETSCAPE2.0 extension).
 *
 * Frames are palette-index pictures of one size. A frame identical to the one
 * before it only lengthens that frame's delay, and a frame that differs is
 * stored as the rectangle that changed, so a board holding still costs
 * nothing and a scrolling line costs only its rows.
 */
#ifndef LEDSIGN_GIF_H
#define LEDSIGN_GIF_H

#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"

struct ls_gif;

/* Starts a w x h GIF at path (written to a temporary file, renamed into place
 * by ls_gif_close()) with the 256-colour palette pal. transparent is a palette
 * index the frames never use (then pixels a frame leaves unchanged are stored
 * as transparent, which makes files smaller), or -1. Returns a writer to
 * finish with ls_gif_close() or drop with ls_gif_abort(), or NULL with err. */
struct ls_gif *ls_gif_open(const char *path, int w, int h, const struct ls_rgb pal[256],
			   int transparent, struct ls_error *err);

/* Adds a frame of w x h palette indices (copied) shown for ms milliseconds
 * (> 0); returns 0 or -1 with err. Delays are kept exact over the whole
 * animation, in the GIF's hundredths of a second. */
int ls_gif_add(struct ls_gif *g, const uint8_t *px, int ms, struct ls_error *err);

/* Writes the last frame and the trailer, renames the file into place and frees
 * the writer (also on failure); returns 0 or -1 with err. */
int ls_gif_close(struct ls_gif *g, struct ls_error *err);

/* Frees the writer and removes the unfinished file; NULL is accepted. */
void ls_gif_abort(struct ls_gif *g);

#endif
