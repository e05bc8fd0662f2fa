/*
 * tool_render.c: `ledsign render` writes the exact frame a board shows a given
 * number of seconds into whatever plays at a given moment.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ledsign/clock.h"
#include "ledsign/config.h"
#include "ledsign/i18n.h"
#include "ledsign/player.h"
#include "ledsign/png.h"
#include "ledsign/preview.h"
#include "ledsign/sim.h"
#include "ledsign/tool.h"

static void render_usage(FILE *f)
{
	fprintf(
	    f, _("usage: ledsign render PLAYLIST... [--board CONFIG|WxH[:mono|rgb]] [--at "
		 "\"YYYY-MM-DD "
		 "HH:MM[:SS]\"]\n"
		 "                      [--time SECONDS] --out FILE.png\n"
		 "  --board, -c, --size  the board: a ledsign.conf, or a size such as 192x16 "
		 "(default)\n"
		 "  --at                 the wall-clock moment, in the board's time zone (default: "
		 "now)\n"
		 "  --time               seconds into what plays at that moment (default 0)\n"
		 "  --strict             exit 3 when the picture shows a box, U+FFFD or cut ink\n"
		 "Problem characters in the picture are named on stderr; the picture is written "
		 "anyway.\n"));
}

/* Names on stderr a zone that shows problem characters in the frame just
 * written to the file ctx. */
static void say_problem(void *ctx, const struct ls_zone_problem *z)
{
	fprintf(stderr,
		_("ledsign render: warning: %s shows problem characters in %d place%s of zone "
		  "\"%s\" (item \"%s\"): %s\n"),
		(const char *)ctx, z->places, z->places > 1 ? "s" : "", z->zone,
		z->item && z->item->id ? z->item->id : "", z->what);
}

int tool_render(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"board", required_argument, NULL, 'b'},
	    {"size", required_argument, NULL, 'b'},
	    {"config", required_argument, NULL, 'b'},
	    {"at", required_argument, NULL, 'a'},
	    {"time", required_argument, NULL, 't'},
	    {"out", required_argument, NULL, 'o'},
	    {"strict", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *board = NULL, *at = NULL, *outpath = NULL;
	double t = 0;
	int ch, n, r = 0;
	bool strict = false;
	struct ls_config cfg;
	struct ls_error err;
	struct ls_player_config pc;
	struct ls_playlist **pls;
	struct ls_player *player;
	struct ls_canvas *canvas;
	struct ls_sim sim;

	while ((ch = tool_getopt(argc, argv, "b:c:a:t:o:h", longopts, render_usage)) != -1) {
		if (ch == 'b' || ch == 'c')
			board = optarg;
		else if (ch == 'a')
			at = optarg;
		else if (ch == 't')
			t = tool_opt_number("--time", optarg, 0, 86400, N_("seconds"));
		else if (ch == 'o')
			outpath = optarg;
		else if (ch == 's')
			strict = true;
	}
	if (optind >= argc || !outpath)
		tool_usage_error(render_usage, "name a PLAYLIST and --out FILE.png");
	n = argc - optind;
	tool_need_board(board, NULL, &cfg);
	ls_sim_init(&sim, cfg.board.timezone, tool_need_time(at, &cfg), 1000 / cfg.output.fps,
		    ls_localtime);
	if ((n = tool_load_playlists(argv + optind, n, &pls, &err)) < 0)
		die("%s", err.msg);
	ls_player_config_from(&pc, &cfg);
	if (!(player = ls_player_with(&pc, pls, n, &err)))
		die("%s", err.msg);
	canvas = tool_need(ls_canvas_new(pc.width, pc.height));
	/* Frame-sized steps up to `at + t`, as the service plays, so item changes on
	 * the way happen where they would on the board. */
	ls_sim_play_to(&sim, player, canvas, (int64_t)(t * 1000 + 0.5));
	if (ls_png_write(outpath, canvas, &err))
		die("%s", err.msg);
	if (ls_preview_zone_problems(player, say_problem, (void *)outpath) && strict)
		r = 3;
	ls_canvas_free(canvas);
	ls_player_free(player);
	return r;
}
