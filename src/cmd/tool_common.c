/*
 * tool_common.c: what several subcommands share: loading playlist files,
 * saying on stderr which ones were skipped.
 */
#include <stdio.h>

#include "ledsign/i18n.h"
#include "ledsign/playlist.h"
#include "ledsign/tool.h"

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
