/*
 * The editors' studio: the hub's pages where an editor writes a playlist for
 * a layer, sees the library's lint as they type, and sees what the boards of
 * the fleet will show (an animation per item and board size, a contact
 * sheet, the week's timeline, the difference from the published version)
 * before anything is published. Everything a board decides comes from the
 * library the board runs (lint.h, preview.h, player.h, sim.h); the studio
 * only carries bytes between the editor and it, bounded at every step.
 */
#ifndef LEDSIGN_HUB_STUDIO_H
#define LEDSIGN_HUB_STUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub.h"

#define HUB_STUDIO_MAX_BODY (256 * 1024) /* a playlist the studio checks or renders */
#define HUB_STUDIO_MAX_SECONDS 30	 /* of one animation */
#define HUB_STUDIO_MAX_FPS 25
#define HUB_STUDIO_MAX_LEDS (512 * 128) /* of a board the studio draws */
#define HUB_STUDIO_MAX_SIZES 8		/* board sizes shown at once */
#define HUB_STUDIO_MAX_ROUNDS 16	/* lint passes that uncover the next field's error */

/* A board as the studio draws it: its LEDs and whether they are RGB. */
struct hub_board_kind {
	int w, h;
	bool rgb;
};

/* Parses "192x16", "64x32:rgb" or "192x16:mono" (sizes up to
 * HUB_STUDIO_MAX_LEDS LEDs, 8..1024 a side). Returns 0 or -1 with err. */
int hub_board_kind_parse(const char *spec, struct hub_board_kind *b, struct ls_error *err);

/* The spec of b ("192x16", "64x32:rgb") into out. */
void hub_board_kind_name(const struct hub_board_kind *b, char *out, size_t n);

/* Bytes the studio hands back (an image); free data. */
struct hub_blob {
	char *data;
	size_t len;
};

/* ---- server-side rendering (preview.c); pure of HTTP, writes only in tmpdir ---- */

/* Each takes the pictures of its items from pics (pictures.h: a layer's
 * store; NULL refuses every picture), never from the working directory. */
struct ls_picture_provider;

/* Item `item` of the playlist in body played alone, as the board plays it,
 * on board b from Unix time at, for seconds at fps, as a looping animated
 * GIF (the picture `ledsign preview --out X.gif` draws). Returns 0, or -1
 * with err (the playlist does not parse, no such item, no font). */
int hub_preview_gif(const char *body, size_t len, int item, const struct hub_board_kind *b,
		    const struct ls_picture_provider *pics, int64_t at, double seconds, int fps,
		    const char *tmpdir, struct hub_blob *out, struct ls_error *err);

/* The contact sheet of every item of body on board b at time at, as a PNG
 * (`ledsign preview --sheet`). Returns 0 or -1 with err. */
int hub_preview_sheet(const char *body, size_t len, const struct hub_board_kind *b,
		      const struct ls_picture_provider *pics, int64_t at, const char *tmpdir,
		      struct hub_blob *out, struct ls_error *err);

/* What a board of kind b with tags (comma-separated, may be "") plays from
 * Unix time from for days days (1..7), as `ledsign schedule` finds it by
 * playing the real player on a simulated clock: per zone, the periods in
 * which the same items are eligible, each with every item's plays and share
 * of the airtime. Returns a cJSON object (free with cJSON_Delete) or NULL
 * with err. */
struct cJSON *hub_preview_timeline(const char *body, size_t len, const struct hub_board_kind *b,
				   const struct ls_picture_provider *pics, const char *tags,
				   int64_t from, int days, struct ls_error *err);

/* ---- the library's messages in the editor's language (catalog.c) ---- */

struct hub_catalog;

/* Reads a GNU .mo catalogue (ledsign.mo), checking every table entry.
 * Returns NULL with err. Free with hub_catalog_free(). */
struct hub_catalog *hub_catalog_load(const char *path, struct ls_error *err);

/* Frees; accepts NULL. */
void hub_catalog_free(struct hub_catalog *c);

/* The translation of msgid, or msgid itself when c (may be NULL) has none. */
const char *hub_catalog_get(const struct hub_catalog *c, const char *msgid);

/* ---- routes (studio.c) ---- */

/* POST /api/studio/lint, /preview, /sheet, /timeline, /diff: the
 * playlist being edited is the request body. */
void hub_studio_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* GET /api/studio/boards (the board sizes of the fleet). */
void hub_studio_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

#endif
