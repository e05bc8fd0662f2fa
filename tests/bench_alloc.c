/*
 * bench_alloc.c: what the board's hot paths allocate, and the heap a
 * 192x16 HUB12 board holds once started. Counts, not times, so the figures
 * do not drift with machine load (alloc_count.h):
 *   allocations per refresh  the refresh thread replaying the encoded frame
 *                            through a transport that sends nothing;
 *   allocations per frame    the player drawing the bundled national
 *                            playlist and the panel output encoding and
 *                            swapping it (record transport to /dev/null);
 *   heap in use              mallinfo2() after each start-up step (config,
 *                            fonts, playlist, canvas, panel output with its
 *                            refresh thread, status counters) and after
 *                            1000 frames.
 * tests/test_alloc.c asserts the zeros; this prints them with the heap.
 *   make bench   (or: build/bench/bench_alloc [FRAMES])
 */
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_count.h"
#include "sink_transport.h"
#include "ledsign/config.h"
#include "ledsign/output.h"
#include "ledsign/panel.h"
#include "ledsign/player.h"
#include "ledsign/playlist.h"
#include "ledsign/refresh.h"
#include "ledsign/status.h"
#include "ledsign/transport.h"

#define CONFIG "deploy/ledsign-run.conf" /* the 192x16 red P10 board of `make run` */
#define PLAYLIST "content/national.json"

static atomic_ulong sets;

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

	nanosleep(&ts, NULL);
}

static size_t heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 0; /* ASan's allocator is not glibc's: mallinfo2() says nothing */
#else
	return mallinfo2().uordblks;
#endif
}

static size_t heap_step(const char *what, size_t since)
{
	size_t now = heap_in_use();

	printf("  %-44s %9zu bytes (+%zu)\n", what, now, now - since);
	return now;
}

/* Allocations per replay of one frame of panel p, over n replays. */
static int per_refresh(const struct ls_panel *p, const struct ls_canvas *c, int n)
{
	struct ls_refresh_opts ro = {.rt_priority = 0, .cpu = -1, .passes = 0, .lock_memory = 0};
	struct ls_program *a = ls_panel_program_new(p), *b = ls_panel_program_new(p);
	struct ls_transport *t = sink_transport_new(&sets);
	struct ls_refresh *r = t && a && b ? ls_refresh_start(t, a, b, &ro, NULL) : NULL;
	unsigned long writes, before, after, from;

	if (!r)
		return 1;
	ls_panel_encode(p, c, 100, ls_refresh_back(r));
	writes = ls_program_writes(ls_refresh_back(r));
	ls_refresh_swap(r);
	while (atomic_load(&sets) < 2 * writes)
		nap_ms(1);
	from = atomic_load(&sets);
	before = alloc_count();
	while (atomic_load(&sets) < from + (unsigned long)n * writes)
		nap_ms(1);
	after = alloc_count();
	printf("allocations per refresh: %.4f (%lu in %d refreshes of %lu writes)\n",
	       (double)(after - before) / n, after - before, n, writes);
	ls_refresh_stop(r, NULL);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
	return 0;
}

struct board {
	struct ls_config cfg;
	struct ls_player *player;
	struct ls_canvas *canvas;
	struct ls_output *out;
	struct ls_status *status;
	size_t heap; /* in use after start-up */
};

/* What the service sets up before its first frame, step by step. */
static int start(struct board *b)
{
	struct ls_player_config pc;
	struct ls_playlist **pls = malloc(sizeof(*pls));
	struct ls_error err;
	size_t at = heap_step("before start-up", heap_in_use());

	if (ls_config_load(&b->cfg, CONFIG, &err))
		goto err_msg;
	b->cfg.output.type = LS_OUTPUT_RECORD;
	snprintf(b->cfg.output.path, sizeof(b->cfg.output.path), "/dev/null");
	ls_player_config_from(&pc, &b->cfg);
	b->player = ls_player_new(&pc, &err);
	if (!b->player)
		goto err_msg;
	at = heap_step("player (fonts opened)", at);
	if (!pls || !(pls[0] = ls_playlist_load(PLAYLIST, &err)))
		goto err_msg;
	ls_player_set_playlists(b->player, pls, 1);
	at = heap_step("playlist " PLAYLIST, at);
	b->canvas = ls_canvas_new(pc.width, pc.height);
	at = heap_step("canvas", at);
	b->out = ls_output_open(&b->cfg, pc.width, pc.height, &err);
	if (!b->out)
		goto err_msg;
	at = heap_step("panel output (programs, refresh thread)", at);
	b->status = ls_status_new(b->cfg.board.name, 0, 0);
	b->heap = heap_step("status counters", at);
	return 0;
err_msg:
	fprintf(stderr, "bench_alloc: %s\n", err.msg);
	return 1;
}

/* One frame as the service draws it, at 25 fps. */
static void frame(struct board *b, int i)
{
	struct ls_now now;
	const struct ls_item *it;
	int64_t since;

	ls_now_at(b->cfg.board.timezone, 1796086800 + i / 25, (int64_t)i * 40, &now);
	ls_player_frame(b->player, &now, b->canvas);
	ls_output_show(b->out, b->canvas, NULL);
	it = ls_player_current(b->player, &since);
	ls_status_frame(b->status, it ? it->id : NULL, since, now.mono_ms);
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? atoi(argv[1]) : 1000;
	struct board b = {0};
	unsigned long before, after;
	size_t started;

	printf("192x16 HUB12 board (%s), counted by %s\n", CONFIG, ALLOC_COUNT_HOW);
	if (start(&b))
		return 1;
	frame(&b, 0);
	started = heap_step("after the first frame (text rendered)", b.heap);
	before = alloc_count();
	for (int i = 1; i <= frames; i++)
		frame(&b, i);
	after = alloc_count();
	heap_step("after frames (item changes included)", started);
	printf("allocations per frame: %.4f (%lu in %d frames = %d s at 25 fps; each new item "
	       "renders its text once)\n",
	       (double)(after - before) / frames, after - before, frames, frames / 25);
	struct ls_panel_timing timing = {LS_PANEL_WRITE_NS, 0};
	struct ls_panel *panel = ls_panel_new(&b.cfg.panel, &timing, NULL);
	if (!panel || per_refresh(panel, b.canvas, 1000))
		return 1;
	ls_panel_free(panel);
	ls_status_free(b.status);
	ls_output_close(b.out);
	ls_player_free(b.player);
	ls_canvas_free(b.canvas);
	return 0;
}
