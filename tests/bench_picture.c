/*
 * bench_picture.c: what a zone with a picture costs per frame: the player
 * drawing the 32x32 emblem (contained in a 16x16 box, or 32x32 on RGB)
 * beside 200 characters scrolling on a 192x16 red board and a 64x32 RGB
 * one, against the same text without the picture. The picture is dithered
 * once when the item starts; a frame copies it (rows of memcpy) and draws
 * the text. "anim" puts tests/data/pictures/anim.gif (16x16, 4 frames) in
 * the emblem's place: its frames are drawn when the item starts (measured
 * apart, the "start" dump), a frame copies the one its time shows.
 *   build/bench/bench_picture mono|rgb picture|anim|text FRAMES
 * tests/bench_picture.sh runs it under callgrind (instrumentation on around
 * the frames only) and prints instructions per frame and per pixel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "ledsign/config.h"
#include "ledsign/player.h"

#define TZ "Asia/Ho_Chi_Minh"
#define T0 1796086800

static const char DOC[] =
    "{\"version\":1,\"items\":[{\"id\":\"p\",\"speed\":32,\"duration\":3600,\"text\":\"BHXH, "
    "BHYT là hai chính sách xã hội quan trọng, trụ cột của hệ thống an sinh xã hội - đi từng "
    "ngõ, gõ từng nhà - Cài đặt VssID - BHXH số: tra cứu quá trình đóng, hưởng BHXH, BHYT, "
    "BHTN ngay trên điện thoại của bạn\"%s}]}";
static const char PICTURE[] =
    ",\"picture\":{\"file\":\"pictures/emblem.png\",\"sha256\":"
    "\"386ac40ebc6445623aa406c72b35acf09c5130b62ece0b6d82bf21f54c07a8b1\"}";
static const char ANIM[] = ",\"picture\":{\"file\":\"pictures/anim.gif\",\"sha256\":"
			   "\"4f4bf44ac053ede572c3b4da68d42a72802107029acc2bba9e88727b749fa248\"}";

int main(int argc, char **argv)
{
	bool rgb = argc > 1 && !strcmp(argv[1], "rgb");
	bool pic = !(argc > 2 && !strcmp(argv[2], "text"));
	bool anim = argc > 2 && !strcmp(argv[2], "anim");
	int frames = argc > 3 ? atoi(argv[3]) : 1000;
	char doc[2048];
	struct ls_config cfg;
	struct ls_player_config pc;
	struct ls_playlist **pls = calloc(1, sizeof(*pls));
	struct ls_error err;
	struct ls_player *p;
	struct ls_canvas *c;
	struct ls_now now;

	ls_config_defaults(&cfg);
	cfg.display.n_fonts = 1;
	snprintf(cfg.display.fonts[0], sizeof(cfg.display.fonts[0]), "fonts/ledsign16.bdf");
	snprintf(cfg.board.timezone, sizeof(cfg.board.timezone), TZ);
	ls_player_config_from(&pc, &cfg);
	if (rgb) {
		pc.mono = false;
		pc.width = 64;
		pc.height = 32;
	}
	snprintf(doc, sizeof(doc), DOC, anim ? ANIM : pic ? PICTURE : "");
	if (!pls || !(pls[0] = ls_playlist_parse(doc, strlen(doc), "bench.json", &err)) ||
	    ls_playlist_attach_pictures(pls[0], "tests/data/bench.json", ls_picture_files(),
					&err) ||
	    !(p = ls_player_new(&pc, &err)) || !(c = ls_canvas_new(pc.width, pc.height))) {
		fprintf(stderr, "bench_picture: %s (run from the repository root)\n", err.msg);
		return 1;
	}
	ls_player_set_playlists(p, pls, 1);
	ls_now_at(TZ, T0, 0, &now);
	CALLGRIND_START_INSTRUMENTATION;
	ls_player_frame(p, &now, c); /* the item starts: text and picture drawn once */
	CALLGRIND_DUMP_STATS_AT("start");
	for (int i = 1; i <= frames; i++) {
		ls_now_at(TZ, T0 + i * 40 / 1000, i * 40, &now);
		ls_player_frame(p, &now, c);
	}
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT("frames");
	printf("bench_picture: %s %dx%d, %s: %d frames drawn\n", rgb ? "rgb" : "mono", pc.width,
	       pc.height,
	       anim  ? "animated picture beside scrolling text"
	       : pic ? "picture beside scrolling text"
		     : "scrolling text alone",
	       frames);
	ls_canvas_free(c);
	ls_player_free(p);
	return 0;
}
