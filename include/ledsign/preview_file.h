/*
 * The previews' edge (src/sys/preview_file.c): the label font from the
 * project's font files, and an animation written as a GIF file, for
 * `ledsign preview` and the hub's studio alike. The pictures themselves are
 * composed by the pure preview module (preview.h).
 */
#ifndef LEDSIGN_PREVIEW_FILE_H
#define LEDSIGN_PREVIEW_FILE_H

#include "ledsign/error.h"
#include "ledsign/player.h"
#include "ledsign/preview.h"

/* The font previews write their labels in: the project's default font chain
 * at LS_SHEET_LABEL_H rows, whatever the board's fonts. NULL with err when
 * no font file is installed. Free with ls_fontset_free(). */
struct ls_fontset *ls_preview_label_font(struct ls_error *err);

/* Writes the animation of n frames of player at sh's moment, fps, board and
 * style (ls_preview_animate()) to the GIF file path, looping, with the
 * frames' real timing; the picture's size goes to *w and *h (may be NULL).
 * Returns 0, or -1 with err (path is then not made). */
int ls_preview_gif(const struct ls_sheet *sh, struct ls_player *player, long n, const char *path,
		   int *w, int *h, struct ls_error *err);

/* The contact sheet (ls_preview_sheet()) of the playlist files paths[0..n)
 * (at most LS_LINT_MAX_FILES) into out, with sh's board, moment and labels
 * (its files are set here); the number of items on it, or -1 with err (a file
 * that cannot be read or does not parse). */
int ls_preview_sheet_files(struct ls_sheet *sh, const char *const *paths, int n,
			   struct ls_canvas *out, struct ls_error *err);

#endif
