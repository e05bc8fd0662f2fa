/*
 * tool_publish.c: `ledsign publish FILE --key SECKEY --to DIR` is how an
 * editor puts a playlist on the feed: it refuses a playlist that does not
 * validate, signs it, and installs FILE and FILE.minisig into the web root
 * so that boards see either the old pair or the new one. The pictures FILE
 * names go first, beside it in DIR, each checked against its SHA-256 in the
 * playlist (which the signature covers), so a board never meets a playlist
 * whose pictures are not there.
 *
 * The signature's timestamp is the later of now and one second after the
 * signature already published there, so a publisher whose clock is behind
 * the previous one still publishes something boards accept (they refuse a
 * timestamp older than the last they accepted: no replay). A published
 * signature dated further ahead of this clock than boards accept is refused
 * rather than followed (--reset-floor signs at now instead). The trusted
 * comment names the file's path under the feed root (--root, by default the
 * parent of DIR), which binds it to its layer. The new file's mtime is
 * strictly after the old one's, so nginx's ETag (mtime seconds and size)
 * changes even for a same-size file published within the same second
 * (publish.h: the hub publishes through the same code).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledsign/atomic.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/error.h"
#include "ledsign/feed.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/net.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/publish.h"
#include "ledsign/sign.h"
#include "ledsign/tool.h"

struct publish {
	const char *file, *key, *dir, *name, *root, *push;
	int reset_floor;
};

static void publish_usage(FILE *f)
{
	fprintf(
	    f,
	    _("usage: ledsign publish FILE --key SECKEY --to DIR [--name NAME] [--root ROOT]\n"
	      "                       [--reset-floor] [--push URL]\n"
	      "  validates the playlist FILE, signs it with SECKEY and installs NAME\n"
	      "  (default: FILE's name) and NAME.minisig into the layer directory DIR.\n"
	      "  The signature names the path under the feed root ROOT (default: DIR's parent),\n"
	      "  e.g. ha-noi/playlist.json; --reset-floor lets boards take it below a replay\n"
	      "  floor set by a signature dated in the future (deploy/FEED.md).\n"
	      "  --push URL posts {\"path\", \"timestamp\"} to the push channel's publisher\n"
	      "  once the files are in place, so boards fetch it now (deploy/FEED.md, Push).\n"
	      "  An encrypted key's password is read from LEDSIGN_KEY_PASSWORD or the "
	      "terminal.\n"));
}

static void print_finding(void *ctx, const struct ls_lint_finding *f)
{
	static const char *const label[] = {N_("note"), N_("warning"), N_("error")};
	struct ls_error *first = ctx;

	if (f->level == LS_LINT_ERROR && !first->msg[0])
		snprintf(first->msg, sizeof(first->msg), "%s", f->text);
	if (f->level != LS_LINT_NOTE)
		fprintf(stderr, _("ledsign publish: %s: %s\n"), _(label[f->level]), f->text);
}

/* What `ledsign validate` says of the file on a default board: boards refuse
 * what fails, so publish refuses it too. Returns the item count, or -1 with
 * err holding the first error. */
static int check(const char *file, const char *body, size_t len, struct ls_error *err)
{
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_lint_options o = {.board = &pc,
				    .localtime = ls_localtime,
				    .tz_known = ls_tz_known,
				    .report = print_finding,
				    .ctx = err};
	struct ls_lint *l;
	int n;

	tool_need_board(NULL, NULL, &cfg);
	ls_player_config_from(&pc, &cfg);
	pc.pictures = ls_picture_files(); /* beside FILE, checked against their SHA-256 */
	l = tool_need(ls_lint_new(&o, NULL));
	err->msg[0] = '\0';
	ls_lint_add(l, file, body, len);
	ls_lint_run(l);
	n = ls_lint_count(l, LS_LINT_ERROR) ? -1 : ls_lint_playlist(l, 0)->n_items;
	ls_lint_free(l);
	return n;
}

/* Installs the pictures the playlist names into DIR; returns how many. */
static int install_pictures(const struct publish *p, const char *body, size_t len,
			    struct ls_error *err)
{
	struct ls_playlist *pl = ls_playlist_parse(body, len, p->file, err);
	int n;

	if (!pl)
		return -1;
	n = ls_publish_pictures(p->dir, p->file, pl, err);
	ls_playlist_free(pl);
	if (n > 0)
		printf(ngettext("%s: %d picture matches its SHA-256, installed in %s\n",
				"%s: %d pictures match their SHA-256, installed in %s\n", n),
		       p->file, n, p->dir);
	return n;
}

static int publish(const struct publish *p, struct ls_error *err)
{
	struct ls_seckey key;
	struct ls_sig_claims c = {.file = p->name, .reset_floor = p->reset_floor};
	char *body = NULL, *sig = NULL, sig_path[PATH_MAX + 8], path[LS_SIG_PATH_MAX];
	size_t len;
	int r = -1, n;

	memset(&key, 0, sizeof(key));
	if (ls_read_file(p->file, LS_PLAYLIST_MAX_BYTES, &body, &len, err))
		return -1;
	if ((n = check(p->file, body, len, err)) < 0) {
		ls_error_prefix(err, "not published");
		goto out;
	}
	printf(_("%s: valid, %d items\n"), p->file, n);
	if ((n = install_pictures(p, body, len, err)) < 0) {
		ls_error_prefix(err, "not published");
		goto out;
	}
	snprintf(sig_path, sizeof(sig_path), "%s/%s.minisig", p->dir, p->name);
	if (ls_publish_path(p->dir, p->root, p->name, path, sizeof(path), err))
		goto out;
	c.path = path;
	c.timestamp = ls_publish_timestamp(sig_path, (int64_t)time(NULL), p->reset_floor, err);
	if (c.timestamp < 0 || ls_seckey_load(p->key, getenv("LEDSIGN_KEY_PASSWORD"), &key, err))
		goto out;
	sig = ls_sig_sign_claims(&key, body, len, &c, err);
	if (!sig || ls_publish_install(p->dir, p->name, body, len, sig, err))
		goto out;
	printf(_("published %s/%s and %s (path %s, signed at %lld%s)\n"), p->dir, p->name, sig_path,
	       path, (long long)c.timestamp, p->reset_floor ? ", reset-floor" : "");
	r = 0;
	if (p->push &&
	    ls_publish_push(p->push, getenv("LEDSIGN_PUSH_TOKEN"), path, c.timestamp, err))
		fprintf(stderr,
			_("ledsign publish: warning: push not sent (%s); boards see the new "
			  "version at their next poll\n"),
			err->msg);
	else if (p->push)
		printf(_("pushed to %s\n"), p->push);
out:
	ls_seckey_wipe(&key);
	free(body);
	free(sig);
	return r;
}

int tool_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"key", required_argument, NULL, 'k'},   {"to", required_argument, NULL, 't'},
	    {"name", required_argument, NULL, 'n'},  {"root", required_argument, NULL, 'r'},
	    {"reset-floor", no_argument, NULL, 'R'}, {"push", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0},
	};
	struct publish p = {0};
	struct ls_error err;
	char base[PATH_MAX];
	struct stat st;
	int ch;

	while ((ch = tool_getopt(argc, argv, "k:t:n:r:h", longopts, publish_usage)) != -1) {
		if (ch == 'k')
			p.key = optarg;
		else if (ch == 't')
			p.dir = optarg;
		else if (ch == 'n')
			p.name = optarg;
		else if (ch == 'r')
			p.root = optarg;
		else if (ch == 'R')
			p.reset_floor = 1;
		else if (ch == 'P')
			p.push = optarg;
	}
	if (optind != argc - 1 || !p.key || !p.dir)
		tool_usage_exit(publish_usage);
	p.file = argv[optind];
	if (stat(p.dir, &st))
		die("--to %s: %s; create the web root first (mkdir -p %s) or check the path", p.dir,
		    strerror(errno), p.dir);
	if (!S_ISDIR(st.st_mode))
		die("--to %s: not a directory; name the web root directory", p.dir);
	snprintf(base, sizeof(base), "%s", p.file);
	if (!p.name)
		p.name = basename(base);
	if (!ls_sig_name_plain(p.name)) {
		fprintf(stderr, _("ledsign publish: --name '%s': use a plain file name\n"), p.name);
		return 2;
	}
	if (publish(&p, &err)) {
		fprintf(stderr, _("ledsign publish: %s\n"), err.msg);
		return 1;
	}
	return 0;
}
