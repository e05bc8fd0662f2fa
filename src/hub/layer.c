/*
 * layer.c: the `[layer NAME]` sections of hub.conf, checked key by key as
 * the rest of the file is (the key files are read and checked at once, so
 * `ledsign-hub -n` finds an unencrypted or damaged key before any editor
 * does), who may edit or approve which layer, and what a layer publishes now.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "hub.h"
#include "layer.h"
#include "ledsign/atomic.h"
#include "ledsign/playlist.h"

#define LAYER_KEYS "title, feed_dir, file, path, secret_key, public_key, push, approval, urgent"

int hub_read_file(const char *path, size_t max, char **out, size_t *len, struct ls_error *err)
{
	if (!ls_read_file(path, max, out, len, err))
		return 0;
	return errno == ENOENT ? 1 : -1;
}

static bool name_valid(const char *name)
{
	size_t n = strlen(name);

	return n && n < HUB_LAYER_NAME_MAX && name[0] != '-' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static struct hub_layer *layer_get(struct hub_layers *ls, const char *name, struct ls_error *err)
{
	struct hub_layer *l;

	for (int i = 0; i < ls->n; i++)
		if (!strcmp(ls->l[i].name, name))
			return &ls->l[i];
	if (!name_valid(name)) {
		ls_error_set(err,
			     "[layer %s]: not a layer name; use 1 to %d of a-z, 0-9 and '-', "
			     "e.g. [layer gia-lai]",
			     name, HUB_LAYER_NAME_MAX - 1);
		return NULL;
	}
	if (ls->n == HUB_MAX_LAYERS) {
		ls_error_set(err, "[layer %s]: more than %d layers; run another hub for the rest",
			     name, HUB_MAX_LAYERS);
		return NULL;
	}
	l = &ls->l[ls->n++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->file, sizeof(l->file), "playlist.json");
	return l;
}

static int set_str(char *dst, size_t size, const struct hub_layer *l, const char *key,
		   const char *value, struct ls_error *err)
{
	if (strlen(value) >= size)
		return ls_error_set(err, "[layer %s] %s: value is %zu characters; the limit is %zu",
				    l->name, key, strlen(value), size - 1);
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int set_yes_no(int *dst, const struct hub_layer *l, const char *key, const char *value,
		      struct ls_error *err)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
		*dst = 1;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
		*dst = 0;
	else
		return ls_error_set(err, "[layer %s] %s: '%s' is not valid; yes or no", l->name,
				    key, value);
	return 0;
}

static int need_absolute(const struct hub_layer *l, const char *key, const char *value,
			 struct ls_error *err)
{
	if (value[0] != '/')
		return ls_error_set(err,
				    "[layer %s] %s: '%s' is not an absolute path; write it "
				    "from /, e.g. /srv/ledsign/feed/%s",
				    l->name, key, value, l->name);
	return 0;
}

static int set_feed_dir(struct hub_layer *l, const char *value, struct ls_error *err)
{
	struct stat st;

	size_t n;

	if (need_absolute(l, "feed_dir", value, err) ||
	    set_str(l->feed_dir, sizeof(l->feed_dir), l, "feed_dir", value, err))
		return -1;
	n = strlen(l->feed_dir);
	while (n > 1 && l->feed_dir[n - 1] == '/')
		l->feed_dir[--n] = '\0';
	if (stat(value, &st) || !S_ISDIR(st.st_mode))
		return ls_error_set(err,
				    "[layer %s] feed_dir: %s is not a directory; create it "
				    "(install -d -o ledsign-hub %s) and serve it with nginx "
				    "(deploy/nginx/ledsign-feed.conf)",
				    l->name, value, value);
	return 0;
}

static int set_file(struct hub_layer *l, const char *value, struct ls_error *err)
{
	if (!value[0] || strchr(value, '/') || value[0] == '.' ||
	    strpbrk(value, LS_SIG_NAME_FORBIDDEN))
		return ls_error_set(err,
				    "[layer %s] file: '%s' is not a plain file name; write the "
				    "name boards fetch, e.g. playlist.json",
				    l->name, value);
	return set_str(l->file, sizeof(l->file), l, "file", value, err);
}

/* The hub keeps only password-protected keys: one that signs without a
 * password would put every board of the layer in the hands of whoever reads
 * the server's disk. */
static int set_secret_key(struct hub_layer *l, const char *value, struct ls_error *err)
{
	char *text;
	size_t len;
	int rc;

	if (need_absolute(l, "secret_key", value, err) ||
	    set_str(l->secret_key, sizeof(l->secret_key), l, "secret_key", value, err))
		return -1;
	rc = hub_read_file(value, LS_SECKEY_MAX_BYTES, &text, &len, err);
	if (rc == 1)
		return ls_error_set(
		    err,
		    "[layer %s] secret_key: %s does not exist; make the layer's "
		    "key pair with `minisign -G -p %s.pub -s %s.key` (deploy/HUB.md)",
		    l->name, value, l->name, l->name);
	if (rc)
		return ls_error_prefix(err, "[layer %s] secret_key", l->name);
	rc = ls_seckey_encrypted(text, len, err);
	sodium_memzero(text, len);
	free(text);
	if (rc < 0)
		return ls_error_prefix(err, "[layer %s] secret_key: %s", l->name, value);
	if (rc == 0)
		return ls_error_set(
		    err,
		    "[layer %s] secret_key: %s is not encrypted; the hub keeps only "
		    "password-protected keys: make one with `minisign -G -p %s.pub "
		    "-s %s.key` (it asks for the password), or protect this one "
		    "with `minisign -C -s %s`, then delete every unencrypted copy",
		    l->name, value, l->name, l->name, value);
	return 0;
}

static int set_public_key(struct hub_layer *l, const char *value, struct ls_error *err)
{
	char *text;
	size_t len;
	int rc;

	if (need_absolute(l, "public_key", value, err) ||
	    set_str(l->public_key, sizeof(l->public_key), l, "public_key", value, err))
		return -1;
	rc = hub_read_file(value, 4096, &text, &len, err);
	if (rc == 1)
		return ls_error_set(err,
				    "[layer %s] public_key: %s does not exist; it is the .pub "
				    "file minisign -G wrote beside the secret key",
				    l->name, value);
	if (rc)
		return ls_error_prefix(err, "[layer %s] public_key", l->name);
	rc = ls_pubkey_parse(text, len, &l->pub, err);
	free(text);
	return rc ? ls_error_prefix(err, "[layer %s] public_key: %s", l->name, value) : 0;
}

static int set_push(struct hub_layer *l, const char *value, struct ls_error *err)
{
	if (value[0] && strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
		return ls_error_set(err,
				    "[layer %s] push: '%s' is not a URL; write the push channel's "
				    "publisher, e.g. http://127.0.0.1:8081/push/pub/%s, or leave "
				    "it empty",
				    l->name, value, l->name);
	return set_str(l->push, sizeof(l->push), l, "push", value, err);
}

int hub_layer_config_key(struct hub_layers *ls, const char *name, const char *key,
			 const char *value, struct ls_error *err)
{
	struct hub_layer *l = layer_get(ls, name, err);

	if (!l)
		return -1;
	if (!strcmp(key, "title"))
		return set_str(l->title, sizeof(l->title), l, key, value, err);
	if (!strcmp(key, "feed_dir"))
		return set_feed_dir(l, value, err);
	if (!strcmp(key, "file"))
		return set_file(l, value, err);
	if (!strcmp(key, "path"))
		return set_str(l->path, sizeof(l->path), l, key, value, err);
	if (!strcmp(key, "secret_key"))
		return set_secret_key(l, value, err);
	if (!strcmp(key, "public_key"))
		return set_public_key(l, value, err);
	if (!strcmp(key, "push"))
		return set_push(l, value, err);
	if (!strcmp(key, "approval"))
		return set_yes_no(&l->approval, l, key, value, err);
	if (!strcmp(key, "urgent"))
		return set_yes_no(&l->urgent, l, key, value, err);
	return ls_error_set(err, "[layer %s] %s: unknown key; valid keys in [layer %s] are: %s",
			    name, key, name, LAYER_KEYS);
}

static int finish_one(struct hub_layers *ls, int i, const char *conf, struct ls_error *err)
{
	struct hub_layer *l = &ls->l[i];
	static const char *const need[][2] = {
	    {"feed_dir", "the directory nginx serves for it, e.g. /srv/ledsign/feed/"},
	    {"secret_key", "its encrypted minisign secret key, e.g. /etc/ledsign/hub/"},
	    {"public_key", "its public key, e.g. /etc/ledsign/hub/"},
	};
	const char *have[] = {l->feed_dir, l->secret_key, l->public_key};
	const char *base;

	for (size_t k = 0; k < 3; k++)
		if (!have[k][0])
			return ls_error_set(err, "%s: [layer %s]: no %s; add %s = %s%s%s", conf,
					    l->name, need[k][0], need[k][0], need[k][1], l->name,
					    k ? (k == 1 ? ".key" : ".pub") : "");
	if (!l->title[0])
		snprintf(l->title, sizeof(l->title), "%s", l->name);
	base = strrchr(l->feed_dir, '/') + 1;
	if (!l->path[0] && (size_t)snprintf(l->path, sizeof(l->path), "%s%s%s", base,
					    *base ? "/" : "", l->file) >= sizeof(l->path))
		return ls_error_set(err, "%s: [layer %s]: the signed path is too long", conf,
				    l->name);
	if (ls_sig_path_check(l->path, l->file, err))
		return ls_error_prefix(err, "%s: [layer %s] path '%s'", conf, l->name, l->path);
	for (int j = 0; j < i; j++)
		if (!strcmp(ls->l[j].feed_dir, l->feed_dir) && !strcmp(ls->l[j].file, l->file))
			return ls_error_set(
			    err,
			    "%s: [layer %s] and [layer %s] both publish %s/%s; give "
			    "each layer its own feed_dir or file",
			    conf, ls->l[j].name, l->name, l->feed_dir, l->file);
	return 0;
}

int hub_layers_finish(struct hub_layers *ls, const char *conf_path, struct ls_error *err)
{
	for (int i = 0; i < ls->n; i++)
		if (finish_one(ls, i, conf_path, err))
			return -1;
	return 0;
}

const struct hub_layer *hub_layer_find(struct hub *h, const char *name)
{
	for (int i = 0; name && i < h->cfg.layers.n; i++)
		if (!strcmp(h->cfg.layers.l[i].name, name))
			return &h->cfg.layers.l[i];
	return NULL;
}

const struct hub_layer *hub_layer_next(struct hub *h, const struct hub_layer *prev)
{
	const struct hub_layer *first = h->cfg.layers.l;
	ptrdiff_t i = prev ? prev - first + 1 : 0;

	return i < h->cfg.layers.n ? first + i : NULL;
}

static bool scope_lists(const char *scope, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = scope; *p;) {
		size_t len;

		p += strspn(p, " ,");
		len = strcspn(p, ",");
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && !strncmp(p, name, n))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

bool hub_user_may_edit(const struct hub_user *u, const struct hub_layer *l)
{
	if (!u || !l)
		return false;
	if (!strcmp(u->role, "admin"))
		return true;
	return (!strcmp(u->role, "editor") || !strcmp(u->role, "approver")) &&
	       scope_lists(u->scope, l->name);
}

bool hub_user_may_approve(const struct hub_user *u, const struct hub_layer *l)
{
	if (!u || !l)
		return false;
	if (!strcmp(u->role, "admin"))
		return true;
	return !strcmp(u->role, "approver") && scope_lists(u->scope, l->name);
}

int hub_layer_published(const struct hub_layer *l, char **body, size_t *len, struct ls_error *err)
{
	char path[HUB_LAYER_PATH_MAX + HUB_LAYER_FILE_MAX + 2];

	snprintf(path, sizeof(path), "%s/%s", l->feed_dir, l->file);
	*len = 0;
	return hub_read_file(path, LS_PLAYLIST_MAX_BYTES, body, len, err);
}
