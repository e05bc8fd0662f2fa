/*
 * tool_validate.c: `ledsign validate` prints what the library's lint (lint.h)
 * finds in playlists for one board: errors (what a board refuses), warnings
 * (what it would do that is probably not meant) and notes. Exit status 0 when
 * every file is usable, 1 otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/lint.h"
#include "ledsign/tool.h"

struct vopts {
	const char *board, *tags, *at;
	bool quiet;
};

static void validate_usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsign validate FILE... [--board CONFIG|WxH[:mono|rgb]] [--tags a,b] "
		  "[--at TIME] [-q]\n"
		  "  --board, -c  the board whose fonts and size the text must fit (default "
		  "192x16 mono)\n"
		  "  --tags       the board's tags, to say which items it would never play\n"
		  "  --at         \"YYYY-MM-DD HH:MM\": also warn about campaigns already over at "
		  "that time\n"
		  "  -q           errors only\n"
		  "Exit status: 0 when every file is usable (warnings allowed), 1 otherwise.\n"));
}

static void print_finding(void *ctx, const struct ls_lint_finding *f)
{
	static const char *const line[] = {N_("note: %s\n"), N_("warning: %s\n"),
					   N_("error: %s\n")};
	const struct vopts *o = ctx;

	if (f->level == LS_LINT_ERROR || !o->quiet)
		printf(_(line[f->level]), f->text);
}

static void parse_options(struct vopts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"board", required_argument, NULL, 'b'},
	    {"config", required_argument, NULL, 'b'},
	    {"tags", required_argument, NULL, 't'},
	    {"at", required_argument, NULL, 'a'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = tool_getopt(argc, argv, "b:c:t:a:qh", longopts, validate_usage)) != -1) {
		if (ch == 'b' || ch == 'c')
			o->board = optarg;
		else if (ch == 't')
			o->tags = optarg;
		else if (ch == 'a')
			o->at = optarg;
		else if (ch == 'q')
			o->quiet = true;
	}
	if (optind >= argc)
		tool_usage_error(validate_usage, "name at least one playlist FILE");
	if (argc - optind > LS_LINT_MAX_FILES)
		tool_usage_error(validate_usage, "at most %d files at once", LS_LINT_MAX_FILES);
}

static void summarise(const struct ls_lint *l, int k, const char *name, bool quiet)
{
	const struct ls_playlist *pl = ls_lint_playlist(l, k);
	int e = ls_lint_file_count(l, k, LS_LINT_ERROR);

	if (quiet)
		return;
	if (ls_lint_skipped(l, k))
		printf(_("%s: skipped: not a playlist\n"), name);
	else if (!pl)
		printf(_("%s: FAILED\n"), name);
	else
		printf(_("%s: %s: %d item(s), %d error(s), %d warning(s)\n"), name,
		       e ? "FAILED" : "ok", pl->n_items, e,
		       ls_lint_file_count(l, k, LS_LINT_WARNING));
}

int tool_validate(int argc, char **argv)
{
	struct vopts o = {0};
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_lint_options lo = {.localtime = ls_localtime, .tz_known = ls_tz_known};
	struct ls_lint *l;
	char *bufs[LS_LINT_MAX_FILES] = {0};
	int n, r;

	parse_options(&o, argc, argv);
	n = argc - optind;
	tool_need_board(o.board, o.tags, &cfg);
	ls_player_config_from(&pc, &cfg);
	lo.board = &pc;
	lo.check_tags = o.tags != NULL;
	lo.have_at = o.at != NULL;
	if (o.at)
		lo.at = tool_need_time(o.at, &cfg);
	lo.report = print_finding;
	lo.ctx = &o;
	l = tool_need(ls_lint_new(&lo, NULL));
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		struct ls_error err;
		bufs[i] = ls_playlist_read(argv[optind + i], &len, &err);
		if (bufs[i])
			ls_lint_add(l, argv[optind + i], bufs[i], len);
		else
			ls_lint_add_failure(l, argv[optind + i], err.msg);
	}
	ls_lint_run(l);
	for (int i = 0; i < n; i++)
		summarise(l, i, argv[optind + i], o.quiet);
	r = ls_lint_count(l, LS_LINT_ERROR) ? 1 : 0;
	ls_lint_free(l);
	for (int i = 0; i < n; i++)
		free(bufs[i]);
	return r;
}
