/*
 * tool_render.c: `ledsign render` writes the exact frame a board shows a given
 * number of seconds into whatever plays at a given moment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/player.h"
#include "ledsign/png.h"
#include "ledsign/tool.h"

static void render_usage(FILE *f)
{
	fprintf(f, "usage: ledsign render PLAYLIST... [--board CONFIG|WxH[:mono|rgb]] [--at \"YYYY-MM-DD HH:MM[:SS]\"]\n"
		   "                      [--time SECONDS] --out FILE.png\n"
		   "  --board, -c, --size  the board: a ledsign.conf, or a size such as 192x16 (default)\n"
		   "  --at                 the wall-clock moment, in the board's time zone (default: now)\n"
		   "  --time               seconds into what plays at that moment (default 0)\n");
}

int tool_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"board", required_argument, NULL, 'b'}, {"size", required_argument, NULL, 'b'},
		{"config", required_argument, NULL, 'b'}, {"at", required_argument, NULL, 'a'},
		{"time", required_argument, NULL, 't'},	 {"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	const char *board = NULL, *at = NULL, *outpath = NULL;
	double t = 0;
	int ch, r = 1;
	struct ls_config cfg;
	struct ls_error err;
	struct ls_player_config pc;
	struct ls_playlist **pls;
	struct ls_player *player;
	struct ls_canvas *canvas;
	struct ls_now now;
	int64_t wall;
	char *end;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "b:c:a:t:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
		case 'c':
			board = optarg;
			break;
		case 'a':
			at = optarg;
			break;
		case 't':
			t = strtod(optarg, &end);
			if (*end || t < 0 || t > 86400)
				return fprintf(stderr, "ledsign render: --time '%s': use seconds, 0..86400\n", optarg), 2;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			render_usage(stdout);
			return 0;
		default:
			render_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || !outpath) {
		render_usage(stderr);
		return 2;
	}
	if ((r = tool_setup_board("render", board, NULL, &cfg)) ||
	    (r = tool_setup_time("render", at, &cfg, &wall)))
		return r;
	r = 1;
	if (tool_load_playlists(argv + optind, argc - optind, &pls, &err)) {
		fprintf(stderr, "ledsign render: %s\n", err.msg);
		return 1;
	}
	ls_player_config_from(&pc, &cfg);
	player = ls_player_new(&pc, &err);
	canvas = ls_canvas_new(pc.width, pc.height);
	if (!player || !canvas) {
		fprintf(stderr, "ledsign render: %s\n", player ? "out of memory" : err.msg);
		for (int i = 0; i < argc - optind; i++)
			ls_playlist_free(pls[i]);
		free(pls);
		goto out;
	}
	ls_player_set_playlists(player, pls, argc - optind);
	/* Start what plays at `at`, then advance to `at + t` in frame-sized steps,
	 * as the service does, so item changes on the way happen where they would on
	 * the board (a single jump would look like a stopped service to the player). */
	int64_t t_ms = (int64_t)(t * 1000 + 0.5), step_ms = 1000 / cfg.output.fps;
	for (int64_t ms = 0; ms < t_ms; ms += step_ms) {
		ls_now_at(cfg.board.timezone, wall + ms / 1000, ms, &now);
		ls_player_frame(player, &now, canvas);
	}
	ls_now_at(cfg.board.timezone, wall + t_ms / 1000, t_ms, &now);
	ls_player_frame(player, &now, canvas);
	if (ls_png_write(outpath, canvas, &err)) {
		fprintf(stderr, "ledsign render: %s\n", err.msg);
		goto out;
	}
	r = 0;
out:
	ls_canvas_free(canvas);
	ls_player_free(player);
	return r;
}
