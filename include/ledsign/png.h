/*
 * PNG files through libpng: frames from `ledsign render` and the png output,
 * golden images in tests, contact sheets and previews.
 */
#ifndef LEDSIGN_PNG_H
#define LEDSIGN_PNG_H

#include "ledsign/canvas.h"
#include "ledsign/error.h"

/* Writes the canvas as an 8-bit RGB PNG, atomically (temporary file + rename);
 * returns 0 or -1 with err. */
int ls_png_write(const char *path, const struct ls_canvas *c, struct ls_error *err);

/* Reads an RGB or RGBA PNG into a new canvas (free with ls_canvas_free());
 * NULL with err. */
struct ls_canvas *ls_png_read(const char *path, struct ls_error *err);

#endif
