/*
 * Text templates: placeholders in a playlist item's text, filled in at show time.
 *
 *   {time}                HH:MM, 24-hour clock                      "07:05"
 *   {date}                DD/MM/YYYY                                "17/02/2026"
 *   {weekday}             Vietnamese day name                       "Thứ Ba", "Chủ Nhật"
 *   {lunar}               lunar day/month and can-chi year          "Âm lịch: 1/1 Bính Ngọ",
 *                         a leap month is marked "nhuận"            "Âm lịch: 3/6 nhuận Ất Tỵ"
 *   {countdown:YYYY-MM-DD} whole days from today to that date       "45"; "0" on the day itself
 *                         and on every day after it (never negative: end the item with the
 *                         playlist's date range rather than showing a stale 0)
 *   {board}               the board's name, as configured
 *   {{ and }}             a literal { or }
 *
 * Anything else in braces, a lone { or }, or a bad countdown date is an error, reported
 * with its column, so the playlist validator rejects it before a board ever shows it.
 *
 * When the board's clock is not trustworthy (never synchronised), the time-dependent
 * placeholders render neutral forms instead of a wrong value: {time} "--:--", {date}
 * "--/--/----", {weekday} "" (empty), {lunar} "Âm lịch: --/--", {countdown:...} "--".
 * A struct tm whose fields are out of range is treated the same way.
 *
 * Re-rendering: ls_template_next_change() says how many seconds the expansion stays the
 * same, so the caller re-expands at that moment and otherwise keeps its rendered text.
 * The caller also re-expands whenever clock_valid flips or the wall clock jumps.
 *
 * Everything here is pure: time comes in as a value; no I/O, no globals, no clock.
 */
#ifndef LEDSIGN_TEMPLATE_H
#define LEDSIGN_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ledsign/error.h"

struct ls_template_ctx {
	struct tm local;   /* wall-clock time in the board's zone; tm_wday/tm_yday are ignored */
	bool clock_valid;  /* false until the clock is known good (NTP/RTC) */
	const char *board; /* the board's name; NULL renders as "" */
};

/* Expands text into out (caller-owned, out_size bytes, always NUL-terminated when out_size
 * > 0); returns the length written, or -1 with err set when text has an unknown or malformed
 * placeholder or the result does not fit (out is then ""). */
int ls_template_expand(const char *text, const struct ls_template_ctx *ctx, char *out,
		       size_t out_size, struct ls_error *err);

/* Returns 0 when text parses as a template (the same rules as ls_template_expand), else -1
 * with err naming the column and the placeholder, and listing the valid ones. */
int ls_template_check(const char *text, struct ls_error *err);

/* Returns true when text parses and contains a placeholder whose value changes with time
 * ({time}, {date}, {weekday}, {lunar}, {countdown:...}). */
bool ls_template_is_live(const char *text);

/* Returns the seconds (>= 1) from `local` until the expansion of text may next change: the
 * next minute boundary with {time}, the next local midnight with date-based placeholders;
 * -1 when it never changes (no live placeholder, or text does not parse); 60 when local is
 * NULL or out of range. Computed from the wall-clock fields, so a DST jump is the caller's to
 * notice. */
int64_t ls_template_next_change(const char *text, const struct tm *local);

#endif
