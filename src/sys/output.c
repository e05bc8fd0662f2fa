/*
 * output.c: picks the backend named in [output] and forwards frames to it.
 */
#include <stdlib.h>

#include "ledsign/output.h"

struct ls_output {
	struct ls_output_backend be;
};

static int discard(void *impl, const struct ls_canvas *frame, struct ls_error *err)
{
	(void)impl;
	(void)frame;
	(void)err;
	return 0;
}

static void close_nothing(void *impl)
{
	(void)impl;
}

struct ls_output *ls_output_open(const struct ls_config *cfg, int width, int height,
				 struct ls_error *err)
{
	struct ls_output *out = calloc(1, sizeof(*out));
	int r;

	if (!out) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	switch (cfg->output.type) {
	case LS_OUTPUT_TERM:
		r = ls_term_output_open(cfg, width, height, &out->be, err);
		break;
	case LS_OUTPUT_PNG:
		r = ls_png_output_open(cfg, width, height, &out->be, err);
		break;
	case LS_OUTPUT_RECORD:
	case LS_OUTPUT_GPIOD:
	case LS_OUTPUT_SPI:
	case LS_OUTPUT_MMAP:
		r = ls_panel_output_open(cfg, width, height, &out->be, err);
		break;
	case LS_OUTPUT_NONE:
	default:
		out->be.show = discard;
		out->be.close = close_nothing;
		r = 0;
		break;
	}
	if (r) {
		free(out);
		return NULL;
	}
	return out;
}

int ls_output_show(struct ls_output *out, const struct ls_canvas *frame, struct ls_error *err)
{
	return out->be.show(out->be.impl, frame, err);
}

void ls_output_close(struct ls_output *out)
{
	if (!out)
		return;
	out->be.close(out->be.impl);
	free(out);
}

const char *ls_output_warning(const struct ls_output *out)
{
	return out->be.warning ? out->be.warning(out->be.impl) : "";
}

double ls_output_refresh_hz(const struct ls_output *out)
{
	return out->be.refresh_hz ? out->be.refresh_hz(out->be.impl) : 0.0;
}

void ls_output_set_brightness(struct ls_output *out, int percent)
{
	if (out->be.set_brightness)
		out->be.set_brightness(out->be.impl, percent);
}

uint64_t ls_output_refresh_count(struct ls_output *out)
{
	static uint64_t ticks; /* no refresh thread: nothing can hang behind the main loop */

	return out->be.refresh_count ? out->be.refresh_count(out->be.impl) : ++ticks;
}
