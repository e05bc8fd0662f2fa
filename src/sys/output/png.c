/*
 * output/png.c: the png output writes each shown frame to
 * DIR/frame-NNNNNN.png, so a run can be inspected or compared afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledsign/output.h"
#include "ledsign/png.h"

struct png_out {
	char dir[PATH_MAX];
	unsigned long frame;
};

static int png_show(void *impl, const struct ls_canvas *frame, struct ls_error *err)
{
	struct png_out *o = impl;
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/frame-%06lu.png", o->dir, o->frame++);
	return ls_png_write(path, frame, err);
}

static void png_close(void *impl)
{
	free(impl);
}

int ls_png_output_open(const struct ls_config *cfg, int width, int height,
		       struct ls_output_backend *be, struct ls_error *err)
{
	struct png_out *o;

	(void)width;
	(void)height;
	if (mkdir(cfg->output.path, 0755) && errno != EEXIST)
		return ls_error_set(err, "[output] path: cannot create %s: %s", cfg->output.path,
				    strerror(errno));
	o = calloc(1, sizeof(*o));
	if (!o)
		return ls_error_set(err, "out of memory");
	snprintf(o->dir, sizeof(o->dir), "%s", cfg->output.path);
	be->impl = o;
	be->show = png_show;
	be->close = png_close;
	return 0;
}
