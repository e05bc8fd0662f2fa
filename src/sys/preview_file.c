/*
 * preview_file.c: what previews need of the system: the label font, opened
 * from the font files the board's defaults name, and the GIF file an
 * animation is written to, frame by frame as the preview module draws it.
 */
#include <stdlib.h>

#include "ledsign/config.h"
#include "ledsign/gif.h"
#include "ledsign/lint.h"
#include "ledsign/preview_file.h"

struct ls_fontset *ls_preview_label_font(struct ls_error *err)
{
	struct ls_config *c = calloc(1, sizeof(*c));
	const char *chain[LS_MAX_FONTS];
	struct ls_fontset *fs = NULL;

	if (!c) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	ls_config_defaults(c);
	ls_config_default_fonts(c);
	for (int i = 0; i < c->display.n_fonts; i++)
		chain[i] = c->display.fonts[i];
	if (c->display.n_fonts)
		fs = ls_fontset_open(chain, c->display.n_fonts, LS_SHEET_LABEL_H, false, err);
	else
		ls_error_set(
		    err,
		    "no font for the labels: install fonts-unifont or run from the source tree");
	free(c);
	return fs;
}

static int add_frame(void *ctx, const struct ls_preview *pv, int delay_ms, struct ls_error *err)
{
	return ls_gif_add(ctx, ls_preview_pixels(pv), delay_ms, err);
}

static int write_gif(const struct ls_sheet *sh, struct ls_player *player, long n,
		     struct ls_canvas *frame, struct ls_preview *pv, const char *path,
		     struct ls_error *err)
{
	struct ls_gif *gif = ls_gif_open(path, ls_preview_width(pv), ls_preview_height(pv),
					 ls_preview_palette(pv), ls_preview_spare_index(pv), err);

	if (!gif)
		return -1;
	if (ls_preview_animate(sh, player, frame, pv, n, add_frame, gif, err)) {
		ls_gif_abort(gif);
		return -1;
	}
	return ls_gif_close(gif, err);
}

int ls_preview_gif(const struct ls_sheet *sh, struct ls_player *player, long n, const char *path,
		   int *w, int *h, struct ls_error *err)
{
	struct ls_canvas *frame = ls_canvas_new(sh->pc->width, sh->pc->height);
	struct ls_preview *pv = NULL;
	int r = -1;

	if (!frame) {
		ls_error_set(err, "out of memory");
		return -1;
	}
	if ((pv = ls_preview_new(sh->pc->width, sh->pc->height, sh->st, err)))
		r = write_gif(sh, player, n, frame, pv, path, err);
	if (pv && w)
		*w = ls_preview_width(pv);
	if (pv && h)
		*h = ls_preview_height(pv);
	ls_preview_free(pv);
	ls_canvas_free(frame);
	return r;
}

int ls_preview_sheet_files(struct ls_sheet *sh, const char *const *paths, int n,
			   struct ls_canvas *out, struct ls_error *err)
{
	char *bufs[LS_LINT_MAX_FILES] = {0};
	size_t lens[LS_LINT_MAX_FILES];
	int r = -1, i = 0;

	if (n > LS_LINT_MAX_FILES)
		return ls_error_set(err, "at most %d playlists in a sheet", LS_LINT_MAX_FILES);
	while (i < n && (bufs[i] = ls_playlist_read(paths[i], &lens[i], err)))
		i++;
	sh->n_files = n;
	sh->names = paths;
	sh->bufs = (const char *const *)bufs;
	sh->lens = lens;
	if (i == n)
		r = ls_preview_sheet(sh, out, err);
	while (i--)
		free(bufs[i]);
	sh->bufs = NULL;
	sh->lens = NULL;
	return r;
}
