/*
 * tool_common.c: what several subcommands share: describing a board from a
 * config file or a size, and loading playlist files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/config.h"
#include "ledsign/playlist.h"
#include "ledsign/tool.h"

int tool_board(const char *spec, struct ls_config *cfg, struct ls_error *err)
{
	int w, h, n = 0;

	if (spec && sscanf(spec, "%dx%d%n", &w, &h, &n) == 2 && (!spec[n] || spec[n] == ':')) {
		const char *kind = spec[n] ? spec + n + 1 : "mono";
		ls_config_defaults(cfg);
		if (w < 8 || h < 8 || w > LS_CANVAS_MAX_DIM || h > LS_CANVAS_MAX_DIM)
			return ls_error_set(err, "--board %s: use WIDTHxHEIGHT between 8x8 and 4096x4096", spec);
		if (!strcmp(kind, "rgb"))
			cfg->panel.type = LS_PANEL_HUB75;
		else if (strcmp(kind, "mono"))
			return ls_error_set(err, "--board %s: after ':' use mono or rgb", spec);
		cfg->panel.module_width = w;
		cfg->panel.module_height = h;
		cfg->panel.chain = cfg->panel.rows = 1;
		ls_config_default_fonts(cfg);
		return 0;
	}
	if (!spec) {
		ls_config_defaults(cfg);
		ls_config_default_fonts(cfg);
		return 0;
	}
	return ls_config_load(cfg, spec, err);
}

int tool_load_playlists(char *const *paths, int n, struct ls_playlist ***out, struct ls_error *err)
{
	struct ls_playlist **pls = calloc((size_t)n + 1, sizeof(*pls));

	if (!pls)
		return ls_error_set(err, "out of memory");
	for (int i = 0; i < n; i++) {
		pls[i] = ls_playlist_load(paths[i], err);
		if (!pls[i]) {
			for (int j = 0; j < i; j++)
				ls_playlist_free(pls[j]);
			free(pls);
			return -1;
		}
	}
	*out = pls;
	return 0;
}
