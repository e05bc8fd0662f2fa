/*
 * Feed layers as the hub publishes them: each `[layer NAME]` section of
 * hub.conf names the directory nginx serves for that layer (feed_dir), the
 * file boards fetch from it, the layer's own minisign key pair (the secret
 * key only in minisign's password-encrypted form: the hub never holds an
 * unlocked key on disk), and whether publishing needs an approver's second
 * pair of eyes or carries urgent notices. Editors' and approvers' scopes are
 * comma-separated layer names; an administrator may edit every layer.
 */
#ifndef LEDSIGN_HUB_LAYER_H
#define LEDSIGN_HUB_LAYER_H

#include <stdbool.h>
#include <stddef.h>

#include "ledsign/error.h"
#include "ledsign/sign.h"

#define HUB_MAX_LAYERS 128
#define HUB_LAYER_NAME_MAX 48 /* [a-z0-9-], with its NUL */
#define HUB_LAYER_PATH_MAX 512
#define HUB_LAYER_FILE_MAX 128

struct hub;
struct hub_user;

struct hub_layer {
	char name[HUB_LAYER_NAME_MAX];	     /* "gia-lai": in URLs, scopes and the audit log */
	char title[128];		     /* what the pages show; the name when not set */
	char feed_dir[HUB_LAYER_PATH_MAX];   /* the directory nginx serves for this layer */
	char file[HUB_LAYER_FILE_MAX];	     /* the file boards fetch, "playlist.json" */
	char path[HUB_LAYER_PATH_MAX];	     /* "path:" signed: basename(feed_dir)/file */
	char secret_key[HUB_LAYER_PATH_MAX]; /* minisign encrypted secret key */
	char public_key[HUB_LAYER_PATH_MAX]; /* its public half, as boards trust it */
	char push[1024];		     /* the push channel's publisher URL, "" = none */
	struct ls_pubkey pub;
	int approval; /* 1: an editor submits, an approver publishes */
	int urgent;   /* 1: the urgent notice form publishes here */
};

/* The layers of one hub.conf, in the order of their sections. */
struct hub_layers {
	int n;
	struct hub_layer l[HUB_MAX_LAYERS];
};

/* Applies key = value of section "[layer NAME]" (name is NAME) of hub.conf,
 * creating the layer at its first key. Reads and checks the key
 * files it names. Returns 0 or -1 with err "[layer NAME] key: what; what to
 * write" (the caller adds file:line). */
int hub_layer_config_key(struct hub_layers *ls, const char *name, const char *key,
			 const char *value, struct ls_error *err);

/* Checks what one key cannot: every layer has feed_dir, secret_key and
 * public_key, the signed path is valid. Returns 0 or -1 with err naming
 * the layer and what to add. */
int hub_layers_finish(struct hub_layers *ls, const char *conf_path, struct ls_error *err);

/* The layer named name, or NULL. */
const struct hub_layer *hub_layer_find(struct hub *h, const char *name);

/* Iterates: hub_layer_next(h, NULL) is the first layer, NULL after the last. */
const struct hub_layer *hub_layer_next(struct hub *h, const struct hub_layer *prev);

/* Whether u may write, preview and submit drafts of l: an administrator
 * always; an editor or approver whose scope lists l's name. */
bool hub_user_may_edit(const struct hub_user *u, const struct hub_layer *l);

/* Whether u may approve what an editor submitted on l and publish it: an
 * administrator, or an approver whose scope lists l's name. */
bool hub_user_may_approve(const struct hub_user *u, const struct hub_layer *l);

/* Reads the body boards fetch now, feed_dir/file, into *body (malloc'd,
 * NUL-terminated, caller frees) and *len. Returns 0, 1 when nothing has been
 * published yet (*body NULL), or -1 with err. */
int hub_layer_published(const struct hub_layer *l, char **body, size_t *len, struct ls_error *err);

#endif
