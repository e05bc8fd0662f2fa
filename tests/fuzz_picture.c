/*
 * fuzz_picture.c: libFuzzer target for picture decoding and drawing
 * (src/sys/picture_file.c, src/core/picture.c). The input is a picture file
 * as a feed or an editor could hand it over: it is decoded with the limits
 * (bytes, sides, pixels) and, when it decodes, drawn with every fit and
 * dither into boxes of a small canvas, some of them partly off it. Beyond
 * "no crash, no over-read", it traps when a decoded picture exceeds the
 * limits its header was checked against. A GIF (the seeds include animated
 * ones) also has its frame limits checked, each frame drawn, and the frame
 * of a few moments asked.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ledsign/picture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_image *im = ls_picture_decode(data, size, "fuzz.png", &err);
	struct ls_canvas *c;
	static const struct ls_rect boxes[] = {{0, 0, 48, 16}, {-8, -4, 20, 30}, {40, 8, 30, 30}};

	if (!im)
		return 0;
	if (im->w > LS_PICTURE_MAX_DIM || im->h > LS_PICTURE_MAX_DIM ||
	    (long)im->w * im->h > LS_PICTURE_MAX_PIXELS || im->n_frames < 1 ||
	    im->n_frames > LS_PICTURE_MAX_FRAMES ||
	    (im->n_frames > 1 && (long)im->n_frames * im->w * im->h > LS_PICTURE_MAX_ANIM_PIXELS))
		abort();
	for (int64_t t = 0; t < 5000; t += 733) {
		int f = ls_image_frame_at(im, (int)(size % 51), t);
		if (f < 0 || f >= im->n_frames)
			abort();
	}
	c = ls_canvas_new(48, 16);
	for (int fit = 0; c && fit < 3; fit++)
		for (int d = 0; d < 3; d++)
			for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
				struct ls_picture_style st = {.fit = (enum ls_fit)fit,
							      .dither = (enum ls_dither)d,
							      .mono = d != 1 || b != 0,
							      .fg = {255, 0, 0}};
				struct ls_image fr =
				    ls_image_frame(im, (int)(b + d) % im->n_frames);
				ls_picture_draw(&fr, &st, c, boxes[b]);
			}
	if (size % 7 == 0)
		(void)ls_picture_detail_kept(im, &(struct ls_picture_style){.mono = true},
					     (struct ls_rect){0, 0, 16, 16});
	ls_canvas_free(c);
	ls_image_free(im);
	return 0;
}
