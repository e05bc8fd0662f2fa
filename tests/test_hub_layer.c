/*
 * [layer NAME] in hub.conf: each layer's feed directory and its own key
 * pair, the secret key only in minisign's encrypted form; who may edit and
 * approve which layer; what a layer publishes now.
 */
#include <string.h>

#include "../src/hub/auth.h"
#include "../src/hub/config.h"
#include "../src/hub/layer.h"
#include "harness.h"
#include "layer_fixture.h"

static int parse(struct hub_config *cfg, const char *text, struct ls_error *err)
{
	hub_config_defaults(cfg);
	return hub_config_parse(cfg, "hub.conf", text, strlen(text), err);
}

static struct hub_config *cfg_alloc(void)
{
	static struct hub_config cfg; /* large: keep it off the stack */
	return &cfg;
}

TEST(a_layer_section_is_read_with_its_defaults)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err;
	struct ls_pubkey pub;
	char text[2048], sec[1024];
	const struct hub_layer *l;

	pub = lf_layer_keys(th_tmpdir(), "gia-lai", "mật khẩu dài");
	lf_section(sec, sizeof(sec), th_tmpdir(), "gia-lai",
		   "title = Bảng tin Gia Lai\napproval = yes\n");
	snprintf(text, sizeof(text), "[hub]\nretention_days = 30\n%s", sec);
	ASSERT_MSG(parse(cfg, text, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(cfg->layers.n, 1);
	l = &cfg->layers.l[0];
	ASSERT_EQ_STR(l->name, "gia-lai");
	ASSERT_EQ_STR(l->title, "Bảng tin Gia Lai");
	ASSERT_EQ_STR(l->file, "playlist.json");
	ASSERT_EQ_STR(l->path, "gia-lai/playlist.json");
	ASSERT_EQ_INT(l->approval, 1);
	ASSERT_EQ_INT(l->urgent, 0);
	ASSERT_EQ_STR(l->push, "");
	ASSERT(!memcmp(l->pub.id, pub.id, 8) && !memcmp(l->pub.pk, pub.pk, 32));
	ASSERT_EQ_INT(cfg->hub.retention_days, 30);
}

TEST(two_layers_are_found_by_name_and_iterated_in_order)
{
	static struct hub h;
	struct ls_error err;
	char text[4096], a[1024], b[1024];
	const struct hub_layer *l;
	int n = 0;

	lf_layer_keys(th_tmpdir(), "quoc-gia", "một hai ba bốn");
	lf_layer_keys(th_tmpdir(), "khan", "năm sáu bảy tám");
	lf_section(a, sizeof(a), th_tmpdir(), "quoc-gia", "file = national.json\n");
	lf_section(b, sizeof(b), th_tmpdir(), "khan",
		   "urgent = yes\npath = urgent/khan.json\nfile = khan.json\n"
		   "push = http://127.0.0.1:8081/push/pub/khan\n");
	snprintf(text, sizeof(text), "%s%s", a, b);
	ASSERT_MSG(parse(&h.cfg, text, &err) == 0, "%s", err.msg);
	ASSERT(hub_layer_find(&h, "quoc-gia") == &h.cfg.layers.l[0]);
	l = hub_layer_find(&h, "khan");
	ASSERT(l && l->urgent);
	ASSERT_EQ_STR(l->path, "urgent/khan.json");
	ASSERT_EQ_STR(l->push, "http://127.0.0.1:8081/push/pub/khan");
	ASSERT_EQ_STR(hub_layer_find(&h, "quoc-gia")->path, "quoc-gia/national.json");
	ASSERT(hub_layer_find(&h, "gia-lai") == NULL);
	ASSERT(hub_layer_find(&h, NULL) == NULL);
	for (l = hub_layer_next(&h, NULL); l; l = hub_layer_next(&h, l))
		ASSERT_EQ_STR(l->name, n++ ? "khan" : "quoc-gia");
	ASSERT_EQ_INT(n, 2);
}

TEST(an_unencrypted_secret_key_is_refused_with_what_to_do)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err = {{0}};
	char text[1024];

	lf_layer_keys(th_tmpdir(), "gia-lai", NULL);
	lf_section(text, sizeof(text), th_tmpdir(), "gia-lai", NULL);
	ASSERT(parse(cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "hub.conf:3: [layer gia-lai] secret_key: ");
	ASSERT_CONTAINS(err.msg, "gia-lai.key is not encrypted; the hub keeps only "
				 "password-protected keys: make one with `minisign -G");
}

TEST(a_key_made_by_minisign_without_a_password_is_refused)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err = {{0}};
	char text[1024], cmd[1024];

	lf_layer_keys(th_tmpdir(), "gia-lai", "mật khẩu dài");
	snprintf(cmd, sizeof(cmd),
		 "cd %s && minisign -G -W -f -p gia-lai.pub -s gia-lai.key </dev/null "
		 ">/dev/null 2>&1",
		 th_tmpdir());
	ASSERT_EQ_INT(system(cmd), 0);
	lf_section(text, sizeof(text), th_tmpdir(), "gia-lai", NULL);
	ASSERT(parse(cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "is not encrypted");
}

static void refused(const char *extra, const char *name, const char *why)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err = {{0}};
	char text[2048], sec[1024];

	lf_layer_keys(th_tmpdir(), "gia-lai", "mật khẩu dài");
	lf_section(sec, sizeof(sec), th_tmpdir(), name ? name : "gia-lai", "");
	snprintf(text, sizeof(text), "%s%s", sec, extra);
	ASSERT_MSG(parse(cfg, text, &err) == -1, "accepted: %s", text);
	ASSERT_CONTAINS(err.msg, why);
}

TEST(layer_mistakes_name_the_line_and_the_remedy)
{
	refused("approval = maybe\n", NULL,
		"hub.conf:5: [layer gia-lai] approval: 'maybe' is not valid; yes or no");
	refused("colour = red\n", NULL,
		"hub.conf:5: [layer gia-lai] colour: unknown key; valid keys in [layer gia-lai] "
		"are: title, feed_dir");
	refused("file = ../x.json\n", NULL, "[layer gia-lai] file: '../x.json' is not a plain");
	refused("feed_dir = srv/feed\n", NULL, "feed_dir: 'srv/feed' is not an absolute path");
	refused("feed_dir = /nonexistent/feed\n", NULL,
		"hub.conf:5: [layer gia-lai] feed_dir: /nonexistent/feed is not a directory; "
		"create it");
	refused("secret_key = /nonexistent/k.key\n", NULL,
		"[layer gia-lai] secret_key: /nonexistent/k.key does not exist; make the layer's "
		"key pair with `minisign -G");
	refused("push = ftp://x\n", NULL, "[layer gia-lai] push: 'ftp://x' is not a URL");
	refused("path = ../gia-lai/playlist.json\n", NULL, "[layer gia-lai] path");
	refused("", "Gia Lai", "[layer Gia Lai]: not a layer name; use 1 to 47 of a-z");
	refused("[web]\nx = 1\n", NULL,
		"valid sections are [http], [database], [hub], [layer NAME]");
}

TEST(a_damaged_public_key_or_a_missing_key_is_refused)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err = {{0}};
	char text[1024], path[1024];

	lf_layer_keys(th_tmpdir(), "gia-lai", "mật khẩu dài");
	snprintf(path, sizeof(path), "%s/gia-lai.pub", th_tmpdir());
	lf_write(path, "untrusted comment: x\nnot base64 at all\n");
	lf_section(text, sizeof(text), th_tmpdir(), "gia-lai", NULL);
	ASSERT(parse(cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "hub.conf:4: [layer gia-lai] public_key: ");
	ASSERT_CONTAINS(err.msg, "not a minisign public key");
	snprintf(text, sizeof(text), "[layer gia-lai]\nfeed_dir = %s/feed/gia-lai\n", th_tmpdir());
	ASSERT(parse(cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "hub.conf: [layer gia-lai]: no secret_key; add secret_key = ");
}

TEST(two_layers_writing_one_file_are_refused)
{
	struct hub_config *cfg = cfg_alloc();
	struct ls_error err = {{0}};
	char text[4096], a[1024], b[1024];

	lf_layer_keys(th_tmpdir(), "gia-lai", "mật khẩu dài");
	lf_section(a, sizeof(a), th_tmpdir(), "gia-lai", NULL);
	snprintf(b, sizeof(b),
		 "[layer other]\nfeed_dir = %s/feed/gia-lai/\nsecret_key = %s/gia-lai.key\n"
		 "public_key = %s/gia-lai.pub\n",
		 th_tmpdir(), th_tmpdir(), th_tmpdir());
	snprintf(text, sizeof(text), "%s%s", a, b);
	ASSERT(parse(cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "[layer gia-lai] and [layer other] both publish");
}

static struct hub_user user(const char *role, const char *scope)
{
	struct hub_user u = {0};

	snprintf(u.role, sizeof(u.role), "%s", role);
	snprintf(u.scope, sizeof(u.scope), "%s", scope);
	return u;
}

TEST(an_editor_may_edit_only_the_layers_of_the_scope)
{
	struct hub_layer gl = {.name = "gia-lai"}, kt = {.name = "kon-tum"}, g = {.name = "gia"};
	struct hub_user ed = user("editor", "kon-tum, gia-lai "), ap = user("approver", "gia-lai");
	struct hub_user ad = user("admin", ""), vw = user("viewer", "gia-lai");

	ASSERT(hub_user_may_edit(&ed, &gl) && hub_user_may_edit(&ed, &kt));
	ASSERT(!hub_user_may_edit(&ed, &g)); /* a prefix of a scope entry is not in it */
	ASSERT(!hub_user_may_approve(&ed, &gl));
	ASSERT(hub_user_may_edit(&ap, &gl) && hub_user_may_approve(&ap, &gl));
	ASSERT(!hub_user_may_edit(&ap, &kt) && !hub_user_may_approve(&ap, &kt));
	ASSERT(hub_user_may_edit(&ad, &kt) && hub_user_may_approve(&ad, &kt));
	ASSERT(!hub_user_may_edit(&vw, &gl) && !hub_user_may_approve(&vw, &gl));
	ASSERT(!hub_user_may_edit(NULL, &gl) && !hub_user_may_edit(&ad, NULL));
}

TEST(the_published_body_is_what_feed_dir_holds)
{
	struct hub_layer l = {.name = "gia-lai", .file = "playlist.json"};
	struct ls_error err;
	char *body = (char *)"x", path[1024];
	size_t len = 7;

	snprintf(l.feed_dir, sizeof(l.feed_dir), "%s", th_tmpdir());
	ASSERT_EQ_INT(hub_layer_published(&l, &body, &len, &err), 1);
	ASSERT(body == NULL && len == 0);
	snprintf(path, sizeof(path), "%s/playlist.json", th_tmpdir());
	lf_write(path, "{\"items\": []}\n");
	ASSERT_MSG(hub_layer_published(&l, &body, &len, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(body, "{\"items\": []}\n");
	ASSERT_EQ_INT(len, 14);
	free(body);
}
