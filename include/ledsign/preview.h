/*
 * Preview pictures: a frame drawn the way a person in the office sees the
 * board, for editors before they publish (`ledsign preview`).
 *
 * Each LED is a round dot on a dark face, unlit dots faintly visible, in the
 * board's colour (single-colour boards) or the frame's colours quantised to a
 * fixed palette (RGB boards). The picture is kept as palette indices so that
 * the GIF writer takes it as is and a frame costs only the dots that changed.
 * Rendering problems show in the warning colour: the dots where a problem
 * character is drawn (a box for a character no font has, a glyph whose ink
 * was cut off, U+FFFD for invalid UTF-8) are amber, lit ones bright and unlit
 * ones dim so the shape stays readable; and while the item has a problem the
 * rim warns too (all of it for boxes and invalid UTF-8, the top or bottom
 * edge where ink was cut off), even when the character is off the board.
 * Pure: no I/O, no time calls.
 */
#ifndef LEDSIGN_PREVIEW_H
#define LEDSIGN_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/schedule.h"
#include "ledsign/text.h"

#define LS_PREVIEW_COLOURS 256

/* The words of the labels in the reader's language: msgid (English, marked
 * LS_N_() where the core writes it) to its translation, the caller's
 * translator as a value (gettext in the tool, the request's language in the
 * hub). NULL: the labels stay English. */
typedef const char *(*ls_words_fn)(const char *msgid);

/* Colours the sheet and the tool draw labels in. */
#define LS_PREVIEW_WARNING ((struct ls_rgb){255, 176, 0})
#define LS_PREVIEW_FACE ((struct ls_rgb){12, 12, 12})

struct ls_preview_style {
	int scale;		/* picture pixels per LED pitch, 2..32 */
	bool mono;		/* single-colour board: a dot is lit or not */
	struct ls_rgb colour;	/* the LEDs' colour on a single-colour board */
	int module_w, module_h; /* module size for the faint seams; 0 = none */
};

struct ls_preview;

/* Creates a picture for a board of board_w x board_h LEDs; NULL with err when
 * a size or the scale is out of range or memory is short. Free with
 * ls_preview_free(). The picture starts with every dot unlit. */
struct ls_preview *ls_preview_new(int board_w, int board_h, const struct ls_preview_style *st,
				  struct ls_error *err);

/* Frees a picture; NULL is accepted. */
void ls_preview_free(struct ls_preview *p);

/* Picture size in pixels. */
int ls_preview_width(const struct ls_preview *p);
int ls_preview_height(const struct ls_preview *p);

/* The fixed palette of LS_PREVIEW_COLOURS entries the indices refer to
 * (owned by the picture). */
const struct ls_rgb *ls_preview_palette(const struct ls_preview *p);

/* Draws frame (board-sized) into the picture; problems (may be NULL) set the
 * warning sides of the rim, and the dots inside marks[0..n_marks) (board
 * rectangles, e.g. from ls_player_zone_problem_rects(); may be NULL when
 * n_marks is 0) are drawn in the warning colour. Only dots that changed since
 * the last call are redrawn. */
void ls_preview_draw(struct ls_preview *p, const struct ls_canvas *frame,
		     const struct ls_text_report *problems, const struct ls_rect *marks,
		     int n_marks);

/* A palette index the picture never uses (free for a GIF's transparency), or
 * -1 when all are in use (RGB boards). */
int ls_preview_spare_index(const struct ls_preview *p);

/* The picture as palette indices, width x height, row-major (owned by p,
 * valid until the next draw). */
const uint8_t *ls_preview_pixels(const struct ls_preview *p);

/* Picture pixel at the centre of LED (x, y): what a test reads back. */
void ls_preview_led_centre(const struct ls_preview *p, int x, int y, int *px, int *py);

/* Copies the picture as RGB into dst with its top-left corner at (x, y),
 * clipped to dst. */
void ls_preview_blit(const struct ls_preview *p, struct ls_canvas *dst, int x, int y);

/* Writes a one-line summary of the item's schedule ("from 2026-08-01, until
 * 2026-09-30, Mon-Fri, 07:00-11:30, priority 5, interrupts, tags: a b") into
 * buf (always terminated), in words' language (may be NULL: English); the
 * item's time zone only when it is not board_tz (may be NULL); "always" when
 * the item has no restriction. */
void ls_preview_schedule_summary(const struct ls_item *it, const char *board_tz, ls_words_fn words,
				 char *buf, size_t n);

/* Writes the problems of a report (characters in no font, rows cut off,
 * invalid UTF-8) as one line naming the characters (ls_text_report_describe)
 * into buf; returns false and writes "" when there are none. */
bool ls_preview_problems(const struct ls_text_report *r, char *buf, size_t n);

/* ---- composing previews from the player (src/core/preview_sheet.c) ---- */

/* A zone whose last frame shows problem characters (boxes, U+FFFD, ink cut
 * off), as `ledsign render` names it. */
struct ls_zone_problem {
	const char *zone;	    /* its name; "main" for the board's own */
	const struct ls_item *item; /* what it plays (may be NULL) */
	int places;		    /* how many places of the frame show them */
	char what[1024];	    /* which they are (ls_preview_problems()) */
};

/* Calls fn for each zone of p whose last ls_player_frame() shows problem
 * characters, in zone order; returns how many did. Allocates nothing. */
int ls_preview_zone_problems(const struct ls_player *p,
			     void (*fn)(void *ctx, const struct ls_zone_problem *z), void *ctx);

#define LS_SHEET_LABEL_H 16	 /* rows of the label font */
#define LS_SHEET_MAX_SECONDS 600 /* how long an item is played for its still */

/* What a sheet (and the other compositions) is drawn from; all borrowed. */
struct ls_sheet {
	const struct ls_player_config *pc; /* the board */
	const struct ls_preview_style *st; /* how its dots are drawn */
	struct ls_fontset *labels;	   /* a font set LS_SHEET_LABEL_H rows high */
	int64_t wall;			   /* the preview's moment, Unix seconds */
	int fps;			   /* frames per second, 1..50 */
	ls_localtime_fn localtime;	   /* Unix seconds to local time (ls_localtime) */
	ls_words_fn words;		   /* the labels' language (NULL: English) */
	int n_files;			   /* the playlists, as bytes with their names */
	const char *const *names;
	const char *const *bufs;
	const size_t *lens;
	/* Told each item whose still (in an animation or a strip: frame) shows
	 * problems (may be NULL). */
	void (*problem)(void *ctx, const struct ls_item *it, const struct ls_text_report *r);
	void *ctx;
};

/* File f of sh parsed again with item idx on the air at any moment and every
 * other item turned into an "off" item, so the item plays alone in its zone
 * and the other zones are dark (not the board's built-in text), as the
 * sheet's stills and the hub's animations show it: a one-element array for
 * ls_player_set_playlists() (which takes it), or NULL with err (the file does
 * not parse, idx is not an item of it, memory). */
struct ls_playlist **ls_preview_one_item(const struct ls_sheet *sh, int f, int idx,
					 struct ls_error *err);

/* Monotonic milliseconds of frame k at fps, rounded so timing never drifts. */
int64_t ls_preview_frame_ms(long k, int fps);

/* Draws the player's last frame into the picture, the problem characters of
 * every zone in the warning colour and the rim as the main zone's report (or
 * the first zone's with a problem) says. */
void ls_preview_show(struct ls_preview *pv, const struct ls_player *p,
		     const struct ls_canvas *frame);

/* Plays frames 0, 1, ... (sh's moment and fps) until the first one worth
 * opening an animation on: lit LEDs in a quarter of the board's width (16
 * columns at most), or lit and unchanged from the frame before; at most n.
 * Returns its number; frame holds it. */
long ls_preview_first_lit(const struct ls_sheet *sh, struct ls_player *player,
			  struct ls_canvas *frame, long n);

/* The style of board pc at scale picture pixels per LED, in its colour, with
 * seams every module_w x module_h LEDs; a single-colour board that is one
 * module a multiple of 32x16 (a board given by its size) is drawn as P10
 * modules, a seam every 32x16. */
void ls_preview_style_of(struct ls_preview_style *st, const struct ls_player_config *pc,
			 int module_w, int module_h, int scale);

/* Takes a frame of an animation (pv holds it) and its delay; 0, or -1 with err. */
typedef int (*ls_preview_frame_fn)(void *ctx, const struct ls_preview *pv, int delay_ms,
				   struct ls_error *err);

/* The animation of n frames at sh's moment and fps from the first frame
 * with lit LEDs (ls_preview_first_lit()), each drawn into pv and handed to
 * fn; sh->problem (may be NULL) is told what each zone plays when it has
 * problems, every frame. 0, or fn's -1. */
int ls_preview_animate(const struct ls_sheet *sh, struct ls_player *player, struct ls_canvas *frame,
		       struct ls_preview *pv, long n, ls_preview_frame_fn fn, void *ctx,
		       struct ls_error *err);

#define LS_STRIP_MAX_FRAMES 60 /* a longer strip shows a frame every few seconds */

/* The strip of seconds of play at sh's moment and fps into out (free
 * out->px): one frame every *every_s seconds (1, or more for runs over
 * LS_STRIP_MAX_FRAMES s), top to bottom, each labelled with its offset,
 * local time and main item; sh->problem (may be NULL) is told of problems as
 * in ls_preview_animate(). 0, or -1 with err when the strip is too large. */
int ls_preview_strip(const struct ls_sheet *sh, struct ls_player *player, struct ls_canvas *frame,
		     struct ls_preview *pv, double seconds, struct ls_canvas *out, int *every_s,
		     struct ls_error *err);

/* The contact sheet of sh's playlists into out (pixels allocated here: free
 * out->px); the number of items on it, or -1 with err (a file that does not
 * parse, memory). */
int ls_preview_sheet(const struct ls_sheet *sh, struct ls_canvas *out, struct ls_error *err);

/* A canvas of w x h in the sheet's background colour, larger than a board
 * may be (free c->px); 0, or -1 when too large or memory is short. */
int ls_preview_canvas(struct ls_canvas *c, int w, int h);

/* Draws a label line (dim: the secondary ink) at x, y, clipped to max_w. */
void ls_preview_label(struct ls_fontset *labels, struct ls_canvas *c, int x, int y, int max_w,
		      const char *text, bool dim);

/* "Tue 2026-12-01 08:00:00": Unix time t in zone tz, as words (may be NULL:
 * English) writes a moment ("thứ Ba, 01/12/2026 08:00:00"). */
void ls_preview_moment(ls_localtime_fn localtime, ls_words_fn words, const char *tz, int64_t t,
		       char *buf, size_t n);

#endif
