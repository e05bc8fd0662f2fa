/*
 * The layer's picture store: the pictures (PNG, or GIF still or animated)
 * an editor uploads for the picture items of a layer's playlist, kept by
 * SHA-256 in the hub's state directory (state_dir/pictures/LAYER/HASH). The studio's lint and
 * previews read an item's picture from here by its hash, never from the
 * hub's working directory; a publish installs them beside the playlist in
 * the layer's feed_dir through the library's publish code (publish.h), as
 * `ledsign publish` does. Every file is checked as a board checks it
 * (picture.h: bytes, sides and pixels from the header, then a full decode)
 * before it is stored.
 */
#ifndef LEDSIGN_HUB_PICTURES_H
#define LEDSIGN_HUB_PICTURES_H

#include <limits.h>

#include "hub.h"
#include "layer.h"
#include "ledsign/playlist.h"
#include "ledsign/publish.h"

struct hub_pictures {
	char dir[PATH_MAX + 64];	/* state_dir/pictures/LAYER; "" = no layer named */
	char layer[HUB_LAYER_NAME_MAX]; /* for messages */
};

/* The store of layer l (NULL: none, every picture refused, saying to name
 * the layer) into s. */
void hub_pictures_of(const struct hub *h, const struct hub_layer *l, struct hub_pictures *s);

/* The library's picture provider over s (for lint, previews, the player):
 * an item's picture is s's file of its SHA-256, checked and decoded. */
struct ls_picture_provider hub_pictures_provider(struct hub_pictures *s);

/* The same files as the source of ls_publish_pictures_from(). */
struct ls_publish_source hub_pictures_source(struct hub_pictures *s);

/* POST /api/layers/NAME/pictures?name=PATH (the file as the body): checks and
 * stores it, answers {path, sha256, width, height, bytes}. The caller has
 * checked the session and the layer's scope. */
void hub_pictures_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs,
		       const char *actor, const struct hub_layer *l);

/* GET /api/layers/NAME/pictures (the list) and .../pictures/HASH (the file,
 * as image/png or image/gif as its bytes are); rest is the path after
 * "/pictures". */
void hub_pictures_get(struct hub *h, struct hub_response *rs, const struct hub_layer *l,
		      const char *rest);

#endif
