/*
 * fuzz_playlist.c: libFuzzer target for the playlist parser and the scheduler.
 * Playlists arrive signed but editor-written, so the parser must survive any
 * bytes: the input is parsed with unknown-key warnings on (which also walks
 * the JSON-path locator), and a playlist that parses is run through the
 * selection function at a time derived from the input. Beyond "no crash, no
 * over-read", it traps when a parsed playlist breaks a documented limit or
 * the scheduler returns nothing although a built-in item exists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledsign/playlist.h"
#include "ledsign/schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_warning(void *ctx, const char *msg)
{
	size_t *n = ctx;

	*n += strlen(msg) > 0;
}

static void fake_localtime(const char *tz, int64_t t, struct tm *out)
{
	time_t tt = (time_t)(t + (tz && tz[0] == 'E' ? 3600 : 7 * 3600));

	gmtime_r(&tt, out);
}

static void schedule_it(struct ls_playlist *pl, const uint8_t *data, size_t size)
{
	static const struct ls_item builtin = {
	    .id = "builtin", .text = "x", .days = 0x7f, .weight = 1};
	struct ls_playlist *pls[1] = {pl};
	const char *tags[2] = {"gia-lai", "ba-dinh"};
	struct ls_schedule_history h;
	uint32_t seed = 2166136261u;

	for (size_t i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 16777619u;
	if (ls_schedule_history_init(&h, pl->n_items))
		return;
	for (int step = 0; step < 8; step++) {
		struct ls_schedule_input in = {.pls = pls,
					       .n_pls = 1,
					       .tags = tags,
					       .n_tags = (int)(seed % 3),
					       .zone = step & 1 ? "clock" : "main",
					       .default_zone = !(step & 1),
					       .board_tz = "Asia/Ho_Chi_Minh",
					       .localtime = fake_localtime,
					       .builtin = &builtin};
		const struct ls_item *it;

		in.wall_s =
		    1767225600 + (int64_t)(seed % (5u * 366 * 86400)) - (int64_t)step * 7919;
		in.wall_valid = (seed >> 3) & 1 ? true : step < 4;
		fake_localtime(NULL, in.wall_s, &in.local);
		it = ls_schedule_select(&in, &h, step % 3 ? LS_SCHEDULE_CHECK : LS_SCHEDULE_NEXT);
		if (!it && in.default_zone)
			__builtin_trap();
		seed = seed * 1103515245u + 12345u;
	}
	ls_schedule_history_clear(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	size_t warnings = 0;
	struct ls_playlist *pl;

	pl = ls_playlist_parse_ex((const char *)data, size, "fuzz.json", on_warning, &warnings,
				  &err);
	if (!pl) {
		if (!err.msg[0])
			__builtin_trap(); /* a failure always says why */
		return 0;
	}
	if (pl->n_items > LS_PLAYLIST_MAX_ITEMS || pl->n_zones > LS_PLAYLIST_MAX_ZONES ||
	    size > LS_PLAYLIST_MAX_BYTES)
		__builtin_trap();
	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item *it = &pl->items[i];
		if (!it->id || (it->text && strlen(it->text) > LS_TEXT_MAX_BYTES) ||
		    it->n_windows > LS_ITEM_MAX_WINDOWS || it->n_lines > LS_ITEM_MAX_LINES ||
		    it->n_tags > LS_ITEM_MAX_TAGS)
			__builtin_trap();
	}
	schedule_it(pl, data, size);
	ls_playlist_free(pl);
	return 0;
}
