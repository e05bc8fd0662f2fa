/*
 * tool_common.c: what several subcommands share: describing a board from a
 * config file or a size (with --tags and --at), loading playlist files,
 * reading small files whole and loading an editor's secret key (asking for
 * its password if need be).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include <sodium.h>

#include "ledsign/atomic.h"
#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/playlist.h"
#include "ledsign/sign.h"
#include "ledsign/tool.h"

int tool_board(const char *spec, struct ls_config *cfg, struct ls_error *err)
{
	int w, h, n = 0;

	if (spec && sscanf(spec, "%dx%d%n", &w, &h, &n) == 2 && (!spec[n] || spec[n] == ':')) {
		const char *kind = spec[n] ? spec + n + 1 : "mono";
		if (w < 8 || h < 8 || w > LS_CANVAS_MAX_DIM || h > LS_CANVAS_MAX_DIM)
			return ls_error_set(
			    err, "--board %s: use WIDTHxHEIGHT between 8x8 and 4096x4096", spec);
		if (strcmp(kind, "rgb") && strcmp(kind, "mono"))
			return ls_error_set(err, "--board %s: after ':' use mono or rgb", spec);
		ls_config_of_size(cfg, w, h, !strcmp(kind, "rgb"));
		return 0;
	}
	if (!spec) {
		ls_config_defaults(cfg);
		ls_config_default_fonts(cfg);
		return 0;
	}
	return ls_config_load(cfg, spec, err);
}

int tool_set_tags(struct ls_board_config *b, const char *list, struct ls_error *err)
{
	const char *p = list;

	b->n_tags = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n && b->n_tags == LS_MAX_TAGS)
			return ls_error_set(err, "--tags: at most %d tags", LS_MAX_TAGS);
		if (n >= LS_TAG_MAX)
			return ls_error_set(err, "--tags: '%.*s' is longer than %d bytes", (int)n,
					    p, LS_TAG_MAX - 1);
		if (n)
			snprintf(b->tags[b->n_tags++], LS_TAG_MAX, "%.*s", (int)n, p);
		p += n + (p[n] == ',');
	}
	return 0;
}

static void say_skipped(void *user, const char *path)
{
	(void)user;
	fprintf(stderr, _("ledsign %s: %s: a JSON Schema, not a playlist: skipped\n"), tool_cmd,
		path);
}

int tool_load_playlists(char **paths, int n, struct ls_playlist ***out, struct ls_error *err)
{
	return ls_playlists_load(paths, n, say_skipped, NULL, out, err);
}

/* Asks for a password on the terminal without echo; returns 0 or -1. */
static int ask_password(char *buf, size_t size)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int echo_off, ok;

	if (!tty)
		return -1;
	fputs(_("Password: "), tty);
	fflush(tty);
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, tty) != NULL;
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok ? 0 : -1;
}

int tool_load_seckey(const char *path, struct ls_seckey *key, struct ls_error *err)
{
	const char *password = getenv("LEDSIGN_KEY_PASSWORD");
	char *text, pw[1024] = "";
	size_t len;
	int rc;

	if (ls_read_file(path, LS_SECKEY_MAX_BYTES, &text, &len, err))
		return -1;
	rc = ls_seckey_parse(text, len, password, key, err);
	if (rc && !password && ls_seckey_encrypted(text, len, NULL) == 1 &&
	    ask_password(pw, sizeof(pw)) == 0)
		rc = ls_seckey_parse(text, len, pw, key, err);
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(text, len);
	free(text);
	return rc ? ls_error_prefix(err, "%s", path) : 0;
}
