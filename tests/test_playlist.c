/*
 * test_playlist.c: playlist format 1 as content/README.md documents it: every
 * key parsed, defaults inherited, limits enforced, and every error naming the
 * file, the position or JSON path, and what to write instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/playlist.h"

static struct ls_playlist *ok(const char *json)
{
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(json, strlen(json), "t.json", &err);

	ASSERT_MSG(pl, "expected to parse: %s", err.msg);
	return pl;
}

/* Parses json expecting a failure; returns the message in a static buffer. */
static const char *fails(const char *json)
{
	static struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(json, strlen(json), "t.json", &err);

	ASSERT_MSG(!pl, "expected an error for %s", json);
	return err.msg;
}

#define ITEM(x) "{\"version\":1,\"items\":[" x "]}"

TEST(every_item_key_is_parsed)
{
	struct ls_playlist *pl = ok(ITEM(
	    "{\"id\":\"a\",\"text\":\"t\",\"lines\":[\"l1\",\"l2\"],\"font\":\"f.bdf\",\"size\":12,"
	    "\"color\":\"amber\",\"background\":\"#102030\",\"effect\":\"typewriter\",\"speed\":40,"
	    "\"duration\":12.5,\"repeat\":3,\"align\":\"center\",\"zone\":\"clock\","
	    "\"from\":\"2026-08-01 07:30\",\"until\":\"2026-09-30\",\"days\":[\"mon-wed\",\"sun\"],"
	    "\"windows\":[\"07:30-11:30\",\"22:00-06:00\",\"13:00-24:00\"],\"timezone\":\"Asia/"
	    "Tokyo\","
	    "\"priority\":7,\"interrupt\":true,\"weight\":4,\"tags\":[\"gia-lai\",\"pleiku\"],"
	    "\"off\":false}"));
	const struct ls_item *it = &pl->items[0];

	ASSERT_EQ_STR(it->id, "a");
	ASSERT_EQ_INT(it->n_lines, 2);
	ASSERT_EQ_STR(it->lines[1], "l2");
	ASSERT_EQ_STR(it->font, "f.bdf");
	ASSERT_EQ_INT(it->size, 12);
	ASSERT(it->has_colour && it->colour.r == 255 && it->colour.g == 160);
	ASSERT(it->has_background && it->background.r == 0x10 && it->background.b == 0x30);
	ASSERT_EQ_INT(it->effect, LS_EFFECT_TYPEWRITER);
	ASSERT(it->speed == 40 && it->duration == 12.5 && it->repeat == 3);
	ASSERT_EQ_INT(it->align, LS_ALIGN_CENTER);
	ASSERT_EQ_STR(it->zone, "clock");
	ASSERT_EQ_INT(it->from, 202608010730LL);
	ASSERT_EQ_INT(it->until, 202609302400LL); /* a date alone ends at the end of that day */
	ASSERT_EQ_INT(it->days, 0x1 | 0x2 | 0x4 | 0x40);
	ASSERT_EQ_INT(it->n_windows, 3);
	ASSERT_EQ_INT(it->windows[1].start, 22 * 60);
	ASSERT_EQ_INT(it->windows[1].end, 6 * 60);
	ASSERT_EQ_INT(it->windows[2].end, 24 * 60);
	ASSERT_EQ_STR(it->timezone, "Asia/Tokyo");
	ASSERT(it->priority == 7 && it->interrupt && it->weight == 4 && !it->off);
	ASSERT_EQ_INT(it->n_tags, 2);
	ASSERT_EQ_STR(it->tags[1], "pleiku");
	ls_playlist_free(pl);
}

TEST(items_inherit_defaults_and_override_them)
{
	struct ls_playlist *pl =
	    ok("{\"version\":1,\"default\":\"b\",\"defaults\":{\"effect\":\"static\",\"speed\":20,"
	       "\"timezone\":\"Asia/Bangkok\",\"priority\":3,\"font\":\"x.bdf\"},\"items\":["
	       "{\"id\":\"a\",\"text\":\"a\"},{\"id\":\"b\",\"text\":\"b\",\"effect\":\"blink\","
	       "\"priority\":0,\"timezone\":\"UTC\"}]}");

	ASSERT_EQ_STR(pl->default_item, "b");
	ASSERT_EQ_INT(pl->items[0].effect, LS_EFFECT_STATIC);
	ASSERT(pl->items[0].speed == 20);
	ASSERT_EQ_INT(pl->items[0].priority, 3);
	ASSERT_EQ_STR(pl->items[0].timezone, "Asia/Bangkok");
	ASSERT_EQ_STR(pl->items[0].font, "x.bdf");
	ASSERT_EQ_INT(pl->items[1].effect, LS_EFFECT_BLINK);
	ASSERT_EQ_INT(pl->items[1].priority, 0);
	ASSERT_EQ_STR(pl->items[1].timezone, "UTC");
	ASSERT_EQ_INT(pl->items[1].weight, 1);
	ASSERT_EQ_INT(pl->items[1].days, 0x7f);
	ls_playlist_free(pl);
}

TEST(syntax_error_gives_file_line_and_column)
{
	const char *msg = fails("{\n  \"version\": 1\n  \"items\": []\n}");

	ASSERT_CONTAINS(msg, "t.json:3:3: JSON syntax error");
}

TEST(semantic_error_gives_position_path_and_fix)
{
	const char *msg = fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\"},\n"
				"  {\"id\":\"b\",\"text\":\"y\",\n   \"windows\":[\"07:00-11:00\", "
				"\"25:00-26:00\"]}]}");

	/* The form is right; the hours are not: say so, not "use HH:MM-HH:MM". */
	ASSERT_CONTAINS(msg,
			"t.json:3:30: items[1].windows[1]: \"25:00-26:00\": not a time of day; "
			"hours are 00..23 (24:00 only as an end)");
	msg = fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"windows\":[\"07:00-"
		    "07:00\"]}]}");
	ASSERT_CONTAINS(msg, "\"07:00-07:00\" starts and ends at the same time; to play all day "
			     "drop \"windows\"");
	msg = fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"windows\":[\"7:00-"
		    "11:00\"]}]}");
	ASSERT_CONTAINS(msg, "is not a window; use \"HH:MM-HH:MM\"");
}

/* Empty days and windows lists are refused alike (they were "never" and
 * "all day"); a datetime at 24:00 and digits in the wrong places too, as
 * the schema refuses them; years run to 2199 as the docs say. */
TEST(empty_lists_and_loose_dates_are_refused_as_the_schema_refuses_them)
{
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"days\":[]}]}"),
	    "items[0].days: the list is empty");
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"windows\":[]}]}"),
	    "items[0].windows: the list is empty");
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"from\":\"2026-01-01 "
		  "24:00\"}]}"),
	    "items[0].from: \"2026-01-01 24:00\" is not a date");
	ASSERT_CONTAINS(fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"from\":"
			      "\"2026-+1-01\"}]}"),
			"is not a date");
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"color\":\"Red\"}]}"),
	    "not a colour; use a name (red, green, blue, amber, white, yellow, cyan, magenta, "
	    "black)");
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"color\":\"ff3000\"}]}"),
	    "not a colour");
	const char *ok =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"until\":\"2199-12-31\","
	    "\"color\":\"#FF3000\"}]}";
	struct ls_playlist *pl = ls_playlist_parse(ok, strlen(ok), "t.json", NULL);
	ASSERT(pl);
	ls_playlist_free(pl);
}

/* Limits count characters, as the schema's maxLength does: 2000 letters
 * with marks (6000 bytes) are a text, 2001 are not. */
TEST(text_limits_count_characters_not_bytes)
{
	static char buf[LS_TEXT_MAX_BYTES + 256];
	struct ls_playlist *pl;
	size_t n;

	for (int extra = 0; extra < 2; extra++) {
		n = (size_t)sprintf(buf, "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"");
		for (int i = 0; i < LS_TEXT_MAX_CHARS + extra; i++)
			n += (size_t)sprintf(buf + n, "\xe1\xbb\x87"); /* ệ */
		n += (size_t)sprintf(buf + n, "\"}]}");
		pl = ls_playlist_parse(buf, n, "t.json", NULL);
		ASSERT_EQ_INT(pl != NULL, !extra);
		ls_playlist_free(pl);
	}
}

TEST(bad_values_are_refused_with_the_form_to_use)
{
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"speed\":-3}")),
			"items[0].speed: the number is not valid; use 1..400 px/s");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"until\":\"2026-02-29\"}")),
			"items[0].until: \"2026-02-29\" is not a date");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"days\":[\"monday\"]}")),
			"items[0].days[0]: not a day; use mon, tue");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"effect\":\"fade\"}")),
			"items[0].effect: not an effect");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"interrupt\":\"yes\"}")),
			"items[0].interrupt: use true or false");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"color\":\"rose\"}")),
			"items[0].color: not a colour");
	ASSERT_CONTAINS(fails(ITEM("{\"text\":\"x\"}")), "items[0]: has no \"id\"");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\"}")), "has no \"text\"");
	ASSERT_CONTAINS(
	    fails(ITEM(
		"{\"id\":\"a\",\"text\":\"x\",\"from\":\"2026-09-01\",\"until\":\"2026-08-01\"}")),
	    "ends before it starts");
	ASSERT_CONTAINS(fails("{\"items\":[]}"), "add \"version\": 1");
	ASSERT_CONTAINS(fails("{\"version\":2,\"items\":[]}"), "this board reads format 1");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"\\u00ff\\ud800\"}")),
			"t.json"); /* a lone surrogate */
}

TEST(a_timezone_that_is_not_a_zone_name_is_refused_before_it_reaches_tz)
{
	const char *bad[] = {"../../etc/passwd",
			     "/tmp/x",
			     "Asia/../x",
			     "Asia//Saigon",
			     "Asia/",
			     ":Asia/Saigon",
			     "ICT-7 <+07>",
			     "Asia/Ho_Chi_Minh.bak",
			     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
	char doc[256];
	struct ls_playlist *pl;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc),
			 ITEM("{\"id\":\"a\",\"text\":\"x\",\"timezone\":\"%s\"}"), bad[i]);
		ASSERT_CONTAINS(fails(doc), "items[0].timezone: ");
		ASSERT_CONTAINS(fails(doc), "use an IANA name such as \"Asia/Ho_Chi_Minh\"");
	}
	ASSERT_CONTAINS(fails("{\"version\":1,\"defaults\":{\"timezone\":\"/etc/passwd\"},"
			      "\"items\":[{\"id\":\"a\",\"text\":\"x\"}]}"),
			"defaults.timezone: \"/etc/passwd\" is not a time zone name");
	pl = ok(
	    ITEM("{\"id\":\"a\",\"text\":\"x\",\"timezone\":\"Asia/Ho_Chi_Minh\"},"
		 "{\"id\":\"b\",\"text\":\"x\",\"timezone\":\"Etc/GMT-7\"},"
		 "{\"id\":\"c\",\"text\":\"x\",\"timezone\":\"America/Argentina/Buenos_Aires\"}"));
	ASSERT_EQ_STR(pl->items[1].timezone, "Etc/GMT-7");
	ls_playlist_free(pl);
}

TEST(an_off_item_needs_no_text)
{
	struct ls_playlist *pl =
	    ok(ITEM("{\"id\":\"dark\",\"off\":true,\"windows\":[\"22:00-06:00\"]}"));

	ASSERT(pl->items[0].off);
	ASSERT(pl->items[0].text == NULL);
	ls_playlist_free(pl);
}

/* Invalid UTF-8 refuses the playlist (it is not shown as U+FFFD), naming the
 * line and column of the first bad byte. */
TEST(invalid_utf8_is_refused_with_advice)
{
	const char doc[] =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\n\"text\":\"B\xe1o hi\xea\x6d\"}]}";
	struct ls_error err;

	ASSERT(!ls_playlist_parse(doc, strlen(doc), "t.json", &err));
	ASSERT_CONTAINS(err.msg, "t.json:2:10: byte 0xE1: this byte is not UTF-8");
	ASSERT_CONTAINS(err.msg, "not TCVN3, VNI or Windows-1258");
}

/* A NUL would end the C string there ("Việt\0Nam" showed "Việt"). */
TEST(a_nul_raw_or_escaped_is_refused_with_its_position)
{
	const char raw[] =
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"Vi\xe1\xbb\x87t\0Nam\"}]}";
	struct ls_error err;

	ASSERT(!ls_playlist_parse(raw, sizeof(raw) - 1, "t.json", &err));
	ASSERT_CONTAINS(err.msg, "t.json:1:45: a NUL byte, which would cut the text here");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"Vi\\u1ec7t\\u0000Nam\"}")),
			"t.json:1:50: \\u0000 is a NUL character, which would cut the text here");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\\u0000\"}")), "\\u0000");
	/* An escaped backslash before "u0000" is text, not an escape. */
	struct ls_playlist *pl = ok(ITEM("{\"id\":\"a\",\"text\":\"C:\\\\u0000\"}"));
	ASSERT_EQ_STR(pl->items[0].text, "C:\\u0000");
	ls_playlist_free(pl);
}

/* Half a surrogate pair is no character: say so, not "missing comma". */
TEST(a_lone_surrogate_escape_is_named_not_called_a_syntax_error)
{
	const char *m = fails(ITEM("{\"id\":\"a\",\"text\":\"ab\\ud800cd\"}"));

	ASSERT_CONTAINS(
	    m, "t.json:1:43: this \\u escape is the first half of a UTF-16 surrogate pair");
	ASSERT(!strstr(m, "comma"));
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"\\udc00\"}")), "second half");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"\\ud83d\\u0041\"}")), "first half");
	struct ls_playlist *pl = ok(ITEM("{\"id\":\"a\",\"text\":\"\\ud83d\\ude00\"}"));
	ASSERT_EQ_STR(pl->items[0].text, "\xF0\x9F\x98\x80");
	ls_playlist_free(pl);
}

TEST(limits_file_size_items_text_and_depth)
{
	size_t big = LS_PLAYLIST_MAX_BYTES + 1, n = 0;
	char *buf = malloc(big + 64);
	struct ls_error err;

	ASSERT(buf);
	memset(buf, ' ', big);
	ASSERT(!ls_playlist_parse(buf, big, "t.json", &err));
	ASSERT_CONTAINS(err.msg, "a playlist is at most 1048576 bytes");

	/* 501 items */
	n = (size_t)sprintf(buf, "{\"version\":1,\"items\":[");
	for (int i = 0; i <= LS_PLAYLIST_MAX_ITEMS; i++)
		n += (size_t)sprintf(buf + n, "%s{\"id\":\"i%d\",\"text\":\"x\"}", i ? "," : "", i);
	n += (size_t)sprintf(buf + n, "]}");
	ASSERT(!ls_playlist_parse(buf, n, "t.json", &err));
	ASSERT_CONTAINS(err.msg, "at most 500");

	/* text of 2001 characters */
	n = (size_t)sprintf(buf, "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"");
	memset(buf + n, 'a', LS_TEXT_MAX_CHARS + 1);
	n += LS_TEXT_MAX_CHARS + 1;
	n += (size_t)sprintf(buf + n, "\"}]}");
	ASSERT(!ls_playlist_parse(buf, n, "t.json", &err));
	ASSERT_CONTAINS(err.msg, "items[0].text: is longer than 2000 characters");

	/* 17 levels of nesting, refused before cJSON recurses */
	n = 0;
	for (int i = 0; i < 17; i++)
		buf[n++] = '[';
	for (int i = 0; i < 17; i++)
		buf[n++] = ']';
	ASSERT(!ls_playlist_parse(buf, n, "t.json", &err));
	ASSERT_CONTAINS(err.msg, "t.json:1:17: nested deeper than 16 levels");
	free(buf);
}

static void collect(void *ctx, const char *msg)
{
	char *out = ctx;

	strncat(out, msg, 4000 - strlen(out) - 2);
	strcat(out, "\n");
}

/* The parser names unknown keys (the board ignores them; validate and
 * publish refuse them) with the nearest known key. */
TEST(unknown_keys_are_named_with_position_and_suggestion)
{
	const char *doc = "{\"version\":1,\"comment\":1,\"_note\":\"ok\",\"items\":[\n"
			  "{\"id\":\"a\",\"text\":\"x\",\"colr\":\"red\",\"_why\":1}],"
			  "\"zones\":[{\"name\":\"main\",\"width\":8,\"height\":8,\"widht\":3}]}";
	char out[4096] = "";
	struct ls_error err;
	struct ls_playlist *pl =
	    ls_playlist_parse_ex(doc, strlen(doc), "t.json", collect, out, &err);

	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT_CONTAINS(out,
			"t.json:2:29: items[0]: unknown key \"colr\"; did you mean \"color\"?");
	ASSERT_CONTAINS(out,
			": unknown key \"comment\" at the top level (a comment? start its name "
			"with _)");
	ASSERT_CONTAINS(out, "zones[0]: unknown key \"widht\"; did you mean \"width\"?");
	ASSERT(!strstr(out, "_note") && !strstr(out, "_why"));
	ls_playlist_free(pl);
}

struct warnings {
	int n;
	char last[512];
};

static void count_warning(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

TEST(unknown_key_warnings_stop_at_a_cap_with_a_count_of_the_rest)
{
	size_t cap = LS_PLAYLIST_MAX_BYTES - 64, len;
	char *doc = malloc(cap + 64);
	struct warnings w = {0};
	struct ls_error err;
	struct ls_playlist *pl;
	int keys = 0;
	char want[64];

	ASSERT(doc);
	len = (size_t)sprintf(doc, "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\"");
	while (len < cap)
		len += (size_t)sprintf(doc + len, ",\"k%d\":0", keys++);
	len += (size_t)sprintf(doc + len, "}]}");
	pl = ls_playlist_parse_ex(doc, len, "t.json", count_warning, &w, &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ASSERT(keys > 50000);
	ASSERT_EQ_INT(w.n, LS_PLAYLIST_MAX_KEY_WARNINGS + 1);
	snprintf(want, sizeof(want), "and %d more unknown keys",
		 keys - LS_PLAYLIST_MAX_KEY_WARNINGS);
	ASSERT_CONTAINS(w.last, want);
	ls_playlist_free(pl);
	free(doc);
}

TEST(zones_are_parsed_and_checked)
{
	struct ls_playlist *pl =
	    ok("{\"version\":1,\"zones\":[{\"name\":\"clock\",\"width\":48,\"height\":16},"
	       "{\"name\":\"main\",\"x\":48,\"width\":144,\"height\":16}],\"items\":[]}");

	ASSERT_EQ_INT(pl->n_zones, 2);
	ASSERT_EQ_STR(pl->zones[1].name, "main");
	ASSERT_EQ_INT(pl->zones[1].x, 48);
	ls_playlist_free(pl);
	ASSERT_CONTAINS(fails("{\"version\":1,\"zones\":[{\"name\":\"a\",\"width\":0,\"height\":16}"
			      "],\"items\":[]}"),
			"zones[0].width");
	ASSERT_CONTAINS(
	    fails("{\"version\":1,\"zones\":[{\"width\":5,\"height\":16}],\"items\":[]}"),
	    "zones[0]: needs \"name\"");
}

TEST(every_shipped_content_file_parses)
{
	const char *files[] = {"content/national.json", "content/province-gia-lai.json",
			       "content/office-ba-dinh.json", "content/urgent-template.json"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct ls_error err;
		struct ls_playlist *pl = ls_playlist_load(th_path(files[i]), &err);
		ASSERT_MSG(pl, "%s", err.msg);
		ASSERT(pl->n_items > 0);
		ls_playlist_free(pl);
	}
}

/* Found by fuzz_playlist: a refusal must always carry its reason. */
TEST(defaults_that_are_not_an_object_are_refused_with_a_reason)
{
	const char *doc = "{\"version\":1,\"defaults\":\"scroll-left\",\"items\":[{\"id\":\"a\","
			  "\"text\":\"x\"}]}";
	struct ls_error err = {{0}};

	ASSERT(!ls_playlist_parse(doc, strlen(doc), "t.json", &err));
	ASSERT_CONTAINS(err.msg, "t.json:1:");
	ASSERT_CONTAINS(err.msg, "defaults: must be an object");
}

/* Each document is refused with the message and the line:col given. */
static void refused_at(const char *doc, size_t len, const char *want)
{
	struct ls_error err;
	struct ls_playlist *pl = ls_playlist_parse(doc, len, "t.json", &err);

	ASSERT_MSG(!pl, "accepted: %s", doc);
	ASSERT_MSG(strstr(err.msg, want), "%s\n  wanted: %s", err.msg, want);
}

#define REFUSED(doc, want) refused_at(doc, sizeof(doc) - 1, want)

TEST(trailing_data_after_the_playlist_is_refused_where_it_starts)
{
	REFUSED("{\"version\":1,\"items\":[]}\n{\"version\":1,\"items\":[]}",
		"t.json:2:1: more text after the playlist's closing }");
	REFUSED("{\"version\":1,\"items\":[]} x", "t.json:1:26: more text after");
}

TEST(a_key_given_twice_is_refused_at_its_second_occurrence)
{
	REFUSED("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\n"
		"\"from\":\"2026-01-01\",\"from\":\"2027-01-01\"}]}",
		"t.json:2:21: items[0]: the key \"from\" appears twice; keep one");
	REFUSED("{\"version\":1,\"items\":[],\"items\":[]}",
		"t.json:1:25: the key \"items\" appears twice at the top level; keep one");
}

TEST(an_empty_id_and_a_default_naming_it_are_refused)
{
	REFUSED("{\"version\":1,\"items\":[{\"id\":\"\",\"text\":\"x\"}]}",
		"t.json:1:29: items[0].id: is empty");
	REFUSED("{\"version\":1,\"default\":\"\",\"items\":[{\"id\":\"a\",\"text\":\"x\"}]}",
		"t.json:1:24: default: is empty");
}

TEST(a_default_naming_no_item_or_an_off_item_is_refused_as_the_board_refuses_it)
{
	REFUSED("{\"version\":1,\"default\":\"b\",\"items\":[{\"id\":\"a\",\"text\":\"x\"}]}",
		"t.json:1:24: default: no item has the id \"b\"");
	REFUSED("{\"version\":1,\"default\":\"a\",\"items\":[{\"id\":\"a\",\"off\":true}]}",
		"default: \"a\" is an off item");
}

TEST(errors_at_the_top_level_have_a_position)
{
	REFUSED("{\"items\":[]}", "t.json:1:1: version: missing");
	REFUSED("{\n \"version\": 2, \"items\":[]}",
		"t.json:2:13: version: the number is not valid");
	REFUSED("{\"version\":1,\"items\":{}}", "t.json:1:22: items: missing or not a list");
	REFUSED("{\"version\":1}", "t.json:1:1: items: missing or not a list");
	REFUSED("[1]", "t.json:1:1: the top level must be an object");
}

TEST(a_name_or_default_too_long_is_refused_at_its_value)
{
	char doc[600];

	snprintf(doc, sizeof(doc), "{\"version\":1,\"name\":\"%0201d\",\"items\":[]}", 0);
	refused_at(doc, strlen(doc), "t.json:1:21: name: is longer than 200 characters");
	snprintf(doc, sizeof(doc), "{\"version\":1,\"default\":\"%065d\",\"items\":[]}", 0);
	refused_at(doc, strlen(doc), "t.json:1:24: default: is longer than 64 characters");
}

TEST(common_syntax_mistakes_are_named)
{
	REFUSED("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",}]}",
		"t.json:1:43: a comma before a closing } or ]; delete this trailing comma");
	REFUSED("{\"version\":1,\"items\":[{\"id\":\xe2\x80\x9c"
		"a\xe2\x80\x9d}]}",
		"t.json:1:29: curly quotes are not JSON quotes");
	REFUSED("\xff\xfe{\0\"\0v\0", "t.json:1:1: the file is UTF-16; save it as UTF-8");
	REFUSED("{\0\"\0v\0", "the file is UTF-16");
	/* A UTF-8 byte-order mark (Notepad writes one) is allowed. */
	struct ls_playlist *bom =
	    ls_playlist_parse("\xef\xbb\xbf{\"version\":1,\"items\":[]}", 27, "t.json", NULL);
	ASSERT(bom);
	ls_playlist_free(bom);
}

TEST(a_misspelt_effect_gets_the_nearest_name)
{
	REFUSED(
	    "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"effect\":\"scrol-left\"}]}",
	    "items[0].effect: \"scrol-left\" is not an effect; did you mean \"scroll-left\"?");
	REFUSED("{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"x\",\"effect\":\"zoom\"}]}",
		"items[0].effect: not an effect; use scroll-left");
}

static void collect_error(void *ctx, const char *msg)
{
	int *n = ctx;

	(*n)++;
	(void)msg;
}

TEST(every_error_is_reported_up_to_a_bound)
{
	char doc[16384];
	size_t n = 0;
	int count = 0;
	struct ls_error err;

	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "{\"version\":1,\"items\":[");
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%s{\"id\":\"i%d\",\"speed\":-%d}",
				      i ? "," : "", i, i + 1);
	snprintf(doc + n, sizeof(doc) - n, "]}");
	ASSERT(
	    !ls_playlist_parse_all(doc, strlen(doc), "t.json", NULL, collect_error, &count, &err));
	ASSERT_EQ_INT(count, LS_PLAYLIST_MAX_ERRORS + 1); /* and one line counting the rest */
	ASSERT_CONTAINS(err.msg, "t.json:1:");
	ASSERT_CONTAINS(err.msg, "items[0].speed");
}

TEST(every_effect_name_parses_and_a_loop_gap_is_inherited_and_bounded)
{
	static const char *const names[] = {"scroll-left",
					    "scroll-right",
					    "scroll-up",
					    "scroll-down",
					    "scroll-loop",
					    "static",
					    "blink",
					    "slide-in",
					    "typewriter",
					    "wipe-from-left",
					    "wipe-from-right",
					    "wipe-from-top",
					    "wipe-from-bottom",
					    "cover-from-left",
					    "cover-from-right",
					    "cover-from-top",
					    "cover-from-bottom"};
	char doc[256];
	struct ls_playlist *pl;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(doc, sizeof(doc), ITEM("{\"id\":\"a\",\"text\":\"x\",\"effect\":\"%s\"}"),
			 names[i]);
		pl = ok(doc);
		ASSERT_EQ_STR(ls_effect_name(pl->items[0].effect), names[i]);
		/* The message for a name it cannot place lists every one. */
		ASSERT_CONTAINS(
		    fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"effect\":\"zzzzzzzzzzz\"}")),
		    names[i]);
		ls_playlist_free(pl);
	}
	pl = ok("{\"version\":1,\"defaults\":{\"gap\":8},\"items\":[{\"id\":\"a\",\"text\":\"x\"},"
		"{\"id\":\"b\",\"text\":\"x\",\"gap\":0}]}");
	ASSERT_EQ_INT(pl->items[0].gap, 8);
	ASSERT_EQ_INT(pl->items[1].gap, 0);
	ls_playlist_free(pl);
	pl = ok(ITEM("{\"id\":\"a\",\"text\":\"x\"}"));
	ASSERT_EQ_INT(pl->items[0].gap, LS_ITEM_GAP_DEFAULT);
	ls_playlist_free(pl);
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"gap\":1001}")),
			"items[0].gap: the number is not valid; use 0..1000 px");
	ASSERT_CONTAINS(fails(ITEM("{\"id\":\"a\",\"text\":\"x\",\"effect\":\"scroll-rigth\"}")),
			"did you mean \"scroll-right\"?");
}

/* ---- files a command line names (ls_playlists_load, src/sys/playlist_file.c) ---- */

static char *put_file(const char *name, const char *text)
{
	char *path = malloc(4096);
	FILE *f;

	snprintf(path, 4096, "%s/%s", th_tmpdir(), name);
	f = fopen(path, "w");
	ASSERT(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void note_skip(void *user, const char *path)
{
	snprintf(user, 4096, "%s", path);
}

TEST(files_load_in_order_skipping_a_schema_and_saying_so)
{
	char *files[3] = {
	    put_file("a.json", "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"A\"}]}"),
	    put_file("p.schema.json",
		     "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
		     "\"type\":\"object\"}"),
	    put_file("b.json", "{\"version\":1,\"items\":[{\"id\":\"b\",\"text\":\"B\"}]}")};
	char *paths[3] = {files[0], files[1], files[2]}, skipped[4096] = "";
	struct ls_playlist **pls;
	struct ls_error err;
	int n = ls_playlists_load(paths, 3, note_skip, skipped, &pls, &err);

	ASSERT_MSG(n == 2, "%d: %s", n, err.msg);
	ASSERT_EQ_STR(pls[0]->items[0].id, "a");
	ASSERT_EQ_STR(pls[1]->items[0].id, "b");
	ASSERT(pls[2] == NULL);
	ASSERT(paths[1] == files[2]); /* compacted to the files loaded */
	ASSERT_CONTAINS(skipped, "p.schema.json");
	for (int i = 0; i < n; i++)
		ls_playlist_free(pls[i]);
	free(pls);
	for (int i = 0; i < 3; i++)
		free(files[i]);
}

TEST(a_broken_file_or_only_schemas_is_an_error)
{
	char *bad[2] = {
	    put_file("a.json", "{\"version\":1,\"items\":[{\"id\":\"a\",\"text\":\"A\"}]}"),
	    put_file("bad.json", "{\"version\":1,\"items\":[{\"id\":\"x\"}]}")};
	char *schema[1] = {put_file("s.json", "{\"$schema\":\"https://json-schema.org/schema\"}")};
	struct ls_playlist **pls;
	struct ls_error err;

	ASSERT_EQ_INT(ls_playlists_load(bad, 2, NULL, NULL, &pls, &err), -1);
	ASSERT_CONTAINS(err.msg, "bad.json");
	ASSERT_EQ_INT(ls_playlists_load(schema, 1, NULL, NULL, &pls, &err), -1);
	ASSERT_EQ_STR(err.msg, "no playlist among the files given");
	free(bad[0]);
	free(bad[1]);
	free(schema[0]);
}

/* n items, item i naming a picture whose hash is (distinct ? i : 0) in hex. */
static char *pictures_doc(int n, bool distinct)
{
	size_t cap = (size_t)n * 200 + 64, used;
	char *doc = malloc(cap);

	ASSERT(doc);
	used = (size_t)snprintf(doc, cap, "{\"version\":1,\"items\":[");
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, cap - used,
					 "%s{\"id\":\"i%d\",\"text\":\"x\",\"picture\":{\"file\":"
					 "\"p%d.png\",\"sha256\":\"%064x\"}}",
					 i ? "," : "", i, i, distinct ? i : 0);
	snprintf(doc + used, cap - used, "]}");
	return doc;
}

TEST(a_playlist_names_at_most_16_different_pictures)
{
	struct ls_error err;
	struct ls_playlist *pl;
	char *doc = pictures_doc(LS_PLAYLIST_MAX_PICTURES, true);

	pl = ls_playlist_parse(doc, strlen(doc), "p.json", &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(doc);
	doc = pictures_doc(LS_PLAYLIST_MAX_PICTURES + 1, true);
	ASSERT(!ls_playlist_parse(doc, strlen(doc), "p.json", &err));
	ASSERT_CONTAINS(err.msg, "p.json:1:");
	ASSERT_CONTAINS(err.msg, ": items[16].picture: the playlist names more than 16 "
				 "different pictures, the most a board takes");
	free(doc);
	/* The same picture under 40 names is one picture. */
	doc = pictures_doc(40, false);
	pl = ls_playlist_parse(doc, strlen(doc), "p.json", &err);
	ASSERT_MSG(pl, "%s", err.msg);
	ls_playlist_free(pl);
	free(doc);
}
