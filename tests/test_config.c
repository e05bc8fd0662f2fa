/*
 * test_config.c: ledsign.conf parsing, defaults, and the messages an installer
 * sees when a key or value is wrong.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/config.h"

static int parse(struct ls_config *cfg, const char *text, struct ls_error *err)
{
	ls_config_defaults(cfg);
	return ls_config_parse(cfg, "test.conf", text, strlen(text), err);
}

TEST(defaults_describe_a_192x16_red_p10_board_in_the_terminal)
{
	struct ls_config cfg;
	int w, h;

	ls_config_defaults(&cfg);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT_EQ_INT(w, 192);
	ASSERT_EQ_INT(h, 16);
	ASSERT_EQ_INT(cfg.panel.type, LS_PANEL_HUB12);
	ASSERT_EQ_INT(cfg.output.type, LS_OUTPUT_TERM);
	ASSERT_EQ_STR(cfg.board.timezone, "Asia/Ho_Chi_Minh");
}

TEST(a_board_known_by_its_size_is_one_module_with_the_default_fonts)
{
	struct ls_config cfg;
	int w, h;

	ls_config_of_size(&cfg, 96, 16, false);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT_EQ_INT(w, 96);
	ASSERT_EQ_INT(h, 16);
	ASSERT_EQ_INT(cfg.panel.type, LS_PANEL_HUB12);
	ASSERT_EQ_INT(cfg.panel.chain, 1);
	ASSERT_EQ_INT(cfg.panel.rows, 1);
	ASSERT(cfg.display.n_fonts > 0);
	ls_config_of_size(&cfg, 64, 32, true);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT_EQ_INT(w, 64);
	ASSERT_EQ_INT(h, 32);
	ASSERT_EQ_INT(cfg.panel.type, LS_PANEL_HUB75);
	ASSERT_EQ_STR(cfg.board.timezone, "Asia/Ho_Chi_Minh");
}

TEST(a_tools_board_is_a_size_a_config_file_or_the_defaults)
{
	struct ls_config cfg;
	struct ls_error err;
	char path[512];
	FILE *f;
	int w, h;

	ASSERT_MSG(!ls_config_board(&cfg, "64x32:rgb", &err), "%s", err.msg);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT(w == 64 && h == 32 && cfg.panel.type == LS_PANEL_HUB75);
	ASSERT(!ls_config_board(&cfg, "96x16", &err) && cfg.panel.type == LS_PANEL_HUB12);
	ASSERT(!ls_config_board(&cfg, NULL, &err) && cfg.display.n_fonts > 0);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT(w == 192 && h == 16);
	ASSERT_EQ_INT(ls_config_board(&cfg, "4x16", &err), -1);
	ASSERT_CONTAINS(err.msg, "--board 4x16: use WIDTHxHEIGHT between 8x8 and 4096x4096");
	ASSERT_EQ_INT(ls_config_board(&cfg, "64x32:color", &err), -1);
	ASSERT_CONTAINS(err.msg, "after ':' use mono or rgb");
	snprintf(path, sizeof(path), "%s/board.conf", th_tmpdir());
	ASSERT((f = fopen(path, "w")) && fputs("[board]\nname = Ba Dinh\n", f) >= 0 && !fclose(f));
	ASSERT_MSG(!ls_config_board(&cfg, path, &err), "%s", err.msg);
	ASSERT_EQ_STR(cfg.board.name, "Ba Dinh");
	ASSERT_EQ_INT(ls_config_board(&cfg, "/nonexistent/ledsign.conf", &err), -1);
}

TEST(a_tools_tags_replace_the_boards_and_skip_empty_names)
{
	struct ls_board_config b = {.n_tags = 1};
	struct ls_error err;
	char many[LS_MAX_TAGS * 3 + 8] = "", longer[LS_TAG_MAX + 8];

	ASSERT(!ls_board_set_tags(&b, "national,,hanoi,", &err));
	ASSERT_EQ_INT(b.n_tags, 2);
	ASSERT_EQ_STR(b.tags[0], "national");
	ASSERT_EQ_STR(b.tags[1], "hanoi");
	ASSERT(!ls_board_set_tags(&b, "", &err) && b.n_tags == 0);
	for (int i = 0; i <= LS_MAX_TAGS; i++)
		strcat(many, "t,");
	ASSERT_EQ_INT(ls_board_set_tags(&b, many, &err), -1);
	ASSERT_CONTAINS(err.msg, "--tags: at most");
	memset(longer, 'x', LS_TAG_MAX);
	longer[LS_TAG_MAX] = '\0';
	ASSERT_EQ_INT(ls_board_set_tags(&b, longer, &err), -1);
	ASSERT_CONTAINS(err.msg, "is longer than");
}

TEST(values_from_every_section_are_read)
{
	struct ls_config cfg;
	struct ls_error err;
	const char *text =
	    "[board]\nname = BHXH Pleiku\ntags = gia-lai, pleiku\n"
	    "[panel]\ntype = hub75\nmodule = 64x32\nchain = 2\nrows = 2\nbit_planes = 3\n"
	    "[pins]\noe = 18\nr1 = 5\n"
	    "[output]\ntype = png\npath = /tmp/frames\nfps = 30\n"
	    "[feed]\nurl = https://a.example/national.json\nurl = "
	    "https://a.example/gia-lai.json\npoll = 120\n"
	    "[display]\nfont = /f/a.bdf\nfont = /f/b.otf\ncolour = amber\nspeed = 40\n";
	int w, h;

	ASSERT_MSG(parse(&cfg, text, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(cfg.board.name, "BHXH Pleiku");
	ASSERT_EQ_INT(cfg.board.n_tags, 2);
	ASSERT_EQ_STR(cfg.board.tags[1], "pleiku");
	ASSERT_EQ_INT(cfg.panel.type, LS_PANEL_HUB75);
	ls_panel_canvas_size(&cfg.panel, &w, &h);
	ASSERT_EQ_INT(w, 128);
	ASSERT_EQ_INT(h, 64);
	ASSERT_EQ_INT(cfg.panel.bit_planes, 3);
	ASSERT_EQ_INT(cfg.panel.pins.line[LS_LINE_OE], 18);
	ASSERT_EQ_INT(cfg.output.type, LS_OUTPUT_PNG);
	ASSERT_EQ_INT(cfg.output.fps, 30);
	ASSERT_EQ_INT(cfg.feed.n_urls, 2);
	ASSERT_EQ_STR(cfg.feed.urls[1], "https://a.example/gia-lai.json");
	ASSERT_EQ_INT(cfg.feed.poll_s, 120);
	ASSERT_EQ_INT(cfg.display.n_fonts, 2);
	ASSERT_EQ_INT(cfg.display.colour.g, 160);
	ASSERT_EQ_INT(cfg.display.speed, 40);
}

TEST(a_typo_in_a_key_names_the_file_line_and_the_valid_keys)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[board]\nname = x\n\n[panel]\nchian = 6\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:5:");
	ASSERT_CONTAINS(err.msg, "chian: unknown key");
	ASSERT_CONTAINS(err.msg, "chain");
	ASSERT_CONTAINS(err.msg, "module");
}

TEST(a_bad_value_says_what_to_write_instead)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[output]\nfps = fast\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:2:");
	ASSERT_CONTAINS(err.msg, "'fast' is not valid");
	ASSERT_CONTAINS(err.msg, "1..200");
	ASSERT(parse(&cfg, "[panel]\noe_active = sideways\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "use high");
	ASSERT(parse(&cfg, "[display]\ncolour = #12345g\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "not a colour");
}

TEST(a_bad_pubkey_names_its_line_and_says_to_paste_the_pub_files_base64_line)
{
	struct ls_config cfg;
	struct ls_error err;
	const char *good = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
	char text[256];

	ASSERT(parse(&cfg, "[feed]\nurl = https://f.example/f.json\npubkey = RWQnotakey\n", &err) ==
	       -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3:");
	ASSERT_CONTAINS(err.msg, "[feed] pubkey: not a minisign public key");
	ASSERT_CONTAINS(err.msg, "paste the base64 line of the .pub file");
	/* a key cut short when copied: the second of two keys */
	snprintf(text, sizeof(text), "[feed]\npubkey = %s\npubkey = %.40s\n", good, good);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3:");
	ASSERT_CONTAINS(err.msg, "base64 line of the .pub file");
	snprintf(text, sizeof(text), "[feed]\npubkey = %s\n", good);
	ASSERT_MSG(parse(&cfg, text, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(cfg.feed.n_pubkeys, 1);
	ASSERT_EQ_STR(cfg.feed.pubkeys[0], good);
}

TEST(a_board_timezone_that_is_not_a_zone_name_is_refused_with_its_line)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[board]\nname = x\ntimezone = ../../etc/passwd\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3: [board] timezone: '../../etc/passwd' is not a time "
				 "zone name; an IANA zone, e.g. Asia/Ho_Chi_Minh");
	ASSERT(parse(&cfg, "[board]\ntimezone = /tmp/x\n", &err) == -1);
	ASSERT_MSG(parse(&cfg, "[board]\ntimezone = Asia/Bangkok\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(cfg.board.timezone, "Asia/Bangkok");
}

/* A name that is not UTF-8 is the configuration's fault, named with its line,
 * not a playlist text's (where {board} would show it as U+FFFD). */
TEST(a_board_name_that_is_not_utf8_is_refused_with_its_line)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[board]\nname = BHXH B\xe0 \xd0\xecnh\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:2: [board] name: byte 7 (0xE0) is not UTF-8");
	ASSERT_MSG(parse(&cfg, "[board]\nname = BHXH Ba \xc4\x90\xc3\xacnh\n", &err) == 0, "%s",
		   err.msg);
}

TEST(an_unknown_section_lists_the_valid_sections)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[screen]\nwidth = 3\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:2:");
	ASSERT_CONTAINS(err.msg, "[screen]: unknown section");
	ASSERT_CONTAINS(err.msg, "[panel]");
}

TEST(a_key_outside_any_section_is_an_error)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "fps = 25\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:1:");
	ASSERT_CONTAINS(err.msg, "outside any section");
}

TEST(a_line_too_long_for_the_parser_is_refused_not_split)
{
	struct ls_config cfg;
	struct ls_error err;
	char text[600];

	snprintf(text, sizeof(text), "[board]\nname = %0400d\n", 7);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:2:");
	ASSERT_CONTAINS(err.msg, "longer than");
}

TEST(a_syntax_error_is_reported_with_its_line)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[board]\nname = a\nthis line has no equals sign\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3:");
}

TEST(repeatable_keys_are_bounded)
{
	struct ls_config cfg;
	struct ls_error err;
	char text[2048] = "[feed]\n";

	for (int i = 0; i <= LS_MAX_FEEDS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "url = https://x/%d.json\n", i);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "at most 8");
}

TEST(png_and_record_outputs_need_a_path)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse(&cfg, "[output]\ntype = png\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "needs a path");
	ASSERT_MSG(parse(&cfg, "[output]\ntype = record:/tmp/t.trace\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(cfg.output.type, LS_OUTPUT_RECORD);
	ASSERT_EQ_STR(cfg.output.path, "/tmp/t.trace");
}

TEST(an_oversized_or_binary_file_is_refused)
{
	struct ls_config cfg;
	struct ls_error err;
	size_t n = LS_CONFIG_MAX_BYTES + 1;
	char *big = malloc(n);

	memset(big, ';', n);
	ls_config_defaults(&cfg);
	ASSERT(ls_config_parse(&cfg, "big.conf", big, n, &err) == -1);
	ASSERT_CONTAINS(err.msg, "at most");
	free(big);
	ASSERT(ls_config_parse(&cfg, "bin.conf", "[board]\0x", 9, &err) == -1);
	ASSERT_CONTAINS(err.msg, "NUL");
}

TEST(load_reports_a_missing_file_by_name)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(ls_config_load(&cfg, "/nonexistent/ledsign.conf", &err) == -1);
	ASSERT_CONTAINS(err.msg, "/nonexistent/ledsign.conf");
	ASSERT_CONTAINS(err.msg, "No such file");
}

TEST(the_run_config_in_deploy_is_valid)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT_MSG(ls_config_load(&cfg, th_path("deploy/ledsign-run.conf"), &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_INT(cfg.feed.n_urls, 1);
	ASSERT(cfg.display.n_fonts >= 1);
}

/* Parses text and runs the checks the service runs at start-up; -1 with err
 * at the first refusal. */
static int parse_and_check(struct ls_config *cfg, const char *text, unsigned flags,
			   struct ls_error *err)
{
	ls_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "test.conf");
	if (ls_config_parse(cfg, "test.conf", text, strlen(text), err))
		return -1;
	ls_config_default_fonts(cfg);
	return ls_config_check(cfg, flags, NULL, NULL, err);
}

/* Each wrong value is refused with "test.conf:LINE:" and words of the fix. */
static const struct wrong {
	const char *text;
	int line;
	const char *says;
} wrong_values[] = {
    {"[output]\ntype = record:/tmp/t\n[pins]\noe = 24\nlat = 24\n", 5,
     "[pins] lat: GPIO 24 is also oe; give each line its own GPIO"},
    {"[output]\ntype = none\n[pins]\nr1 = 11\n", 4, "[pins] r1: GPIO 11 is also clk"},
    {"[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\n[pins]\ng1 = 11\n", 6,
     "[pins] g1: GPIO 11 is also r1"},
    {"[panel]\ntype = hub75\nmodule = 64x64\nchain = 1\n[pins]\ne = none\n", 6,
     "[pins] e: this panel needs line e"},
    {"[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\nrows = 3\nlayout = parallel\n[pins]\np3_r1 "
     "= 18\n",
     8, "[pins] p3_r1: GPIO 18 is also oe"},
    {"[feed]\ncache_dir =\n", 2, "[feed] cache_dir: empty; write a writable directory"},
    {"[feed]\nurl = ftp://feeds.example/p.json\n", 2,
     "'ftp://' is not a scheme ledsign fetches; use https://"},
    {"[feed]\nurl =\n", 2, "[feed] url: empty"},
    {"[feed]\nreport_url = not a url\n", 2, "is not an http(s) URL"},
    {"[feed]\nca_file = /nonexistent.pem\n", 2, "[feed] ca_file: /nonexistent.pem: No such file"},
    {"[feed]\nstatus_file = /nonexistent-dir/status.json\n", 2,
     "directory /nonexistent-dir does not exist"},
    {"[feed]\nstate_dir = /dev/null\n", 2, "[feed] state_dir: /dev/null is not a directory"},
    {"[feed]\ncache_dir = /dev/null\n", 2, "[feed] cache_dir: /dev/null is not a directory"},
    {"[output]\nchip =\n", 2, "[output] chip: empty"},
    {"[output]\ntype = record:/tmp/t\nrecord_as = i2c\n", 3,
     "[output] record_as: 'i2c' is not valid; use gpiod, spi or mmap"},
    {"[board]\nname = a\nname = b\n", 3, "[board] name: given twice (first on line 2); keep one"},
    {"[display]\ncolour = red\ncolor = amber\n", 3, "given twice (first on line 2)"},
    {"[feed]\ntoken = x\ntoken = y\n", 3, "[feed] token: given twice"},
    {"[pins]\noe = 5\noe = 6\n", 3, "[pins] oe: given twice"},
    {"[board]\nname =\n", 2, "[board] name: empty"},
    {"[board]\ntags = a,,b\n", 2, "'a,,b' has an empty tag; remove the extra comma"},
    {"[board]\ntags = a,\n", 2, "has an empty tag"},
    {"[board]\nname = x\n[panel]\nscan = 3\n", 4,
     "[panel] scan: 1/3 scan does not divide a 16-row module"},
    {"[board]\nname = x\n[output]\ntype = png\n", 4, "[output] path: the png output needs a path"},
    {"[board]\ntimezone = Asia/Hanoi\n", 2,
     "'Asia/Hanoi' is not a time zone on this system; did you mean"},
    {"[board]\ntimezone = UTC+7\n", 2, "Etc/GMT-7 is UTC+7"},
    {"[display]\nfont = /nonexistent/x.bdf\n", 2, "[display] font"},
    {"[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\n[output]\ntype = spi\n", 6,
     "[output] type: spi drives HUB12 panels only"},
    {"[output]\ntype = record:/nonexistent-dir/t.trace\n", 2,
     "[output] path: cannot create the trace in /nonexistent-dir"},
    {"[output]\ntype = png\npath = /dev/null/frames\n", 3,
     "[output] path: /dev/null/frames is not a directory"},
    {"[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\nmapping = outdoor-4s\n", 5,
     "[panel] mapping"},
};

TEST(every_wrong_value_is_refused_with_its_line_and_the_fix)
{
	char where[32];

	for (size_t i = 0; i < sizeof(wrong_values) / sizeof(wrong_values[0]); i++) {
		const struct wrong *w = &wrong_values[i];
		struct ls_config cfg;
		struct ls_error err = {""};

		ASSERT_MSG(parse_and_check(&cfg, w->text, 0, &err) == -1, "accepted: %s", w->text);
		snprintf(where, sizeof(where), "test.conf:%d: ", w->line);
		ASSERT_MSG(!strncmp(err.msg, where, strlen(where)), "%s: want %s, got: %s", w->text,
			   where, err.msg);
		ASSERT_MSG(strstr(err.msg, w->says), "%s: want '%s' in: %s", w->text, w->says,
			   err.msg);
	}
}

TEST(a_mistyped_zone_is_answered_with_the_nearest_zone_names)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT(parse_and_check(&cfg, "[board]\ntimezone = Europe/Berln\n", 0, &err) == -1);
	ASSERT_CONTAINS(err.msg, "did you mean Europe/Berlin");
	ASSERT(parse_and_check(&cfg, "[board]\ntimezone = asia/ho_chi_minh\n", 0, &err) == -1);
	ASSERT_CONTAINS(err.msg, "did you mean Asia/Ho_Chi_Minh");
	ASSERT_MSG(parse_and_check(&cfg, "[board]\ntimezone = Asia/Bangkok\n", 0, &err) == 0, "%s",
		   err.msg);
}

TEST(a_gpio_output_without_its_chip_is_refused_by_the_hardware_check_only)
{
	struct ls_config cfg;
	struct ls_error err;
	const char *text = "[output]\ntype = gpiod\nchip = ledsign-no-such-chip\n";

	ASSERT_MSG(parse_and_check(&cfg, text, 0, &err) == 0, "%s", err.msg);
	ASSERT(parse_and_check(&cfg, text, LS_CHECK_HARDWARE, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3: [output] chip: no GPIO chip is named or labelled "
				 "'ledsign-no-such-chip'");
}

static void collect(void *user, const char *msg)
{
	snprintf(user, LS_ERROR_MAX, "%s", msg);
}

/* SIGHUP: a reload takes the file's values but the running wiring. */
TEST(a_reload_keeps_the_running_panel_and_output_and_says_when_the_file_changes_them)
{
	static struct ls_config running, next;
	char path[4096];
	struct ls_error err;
	bool rewired = true;
	FILE *f;

	ASSERT_MSG(ls_config_load(&running, th_path("deploy/ledsign-run.conf"), &err) == 0, "%s",
		   err.msg);
	ASSERT_MSG(ls_config_reload(&next, th_path("deploy/ledsign-run.conf"), &running, NULL, NULL,
				    &rewired, &err) == 0,
		   "%s", err.msg);
	ASSERT(!rewired);
	snprintf(path, sizeof(path), "%s/moved.conf", th_tmpdir());
	f = fopen(path, "w");
	ASSERT(f);
	fprintf(f, "[board]\nname = Quận 1\n[panel]\nchain = 2\n[output]\ntype = none\n");
	fclose(f);
	ASSERT_MSG(ls_config_reload(&next, path, &running, NULL, NULL, &rewired, &err) == 0, "%s",
		   err.msg);
	ASSERT(rewired);
	ASSERT_EQ_STR(next.board.name, "Quận 1");		    /* the file's value */
	ASSERT(ls_panel_config_equal(&next.panel, &running.panel)); /* the running wiring */
	ASSERT(ls_output_config_equal(&next.output, &running.output));
	f = fopen(path, "w");
	ASSERT(f);
	fprintf(f, "[board]\nnmae = x\n");
	fclose(f);
	ASSERT_EQ_INT(ls_config_reload(&next, path, &running, NULL, NULL, &rewired, &err), -1);
	ASSERT_CONTAINS(err.msg, "nmae: unknown key");
}

TEST(plain_http_feeds_are_accepted_with_a_located_warning)
{
	struct ls_config cfg;
	struct ls_error err;
	char warning[LS_ERROR_MAX] = "";
	const char *text =
	    "[feed]\nurl = https://a.example/n.json\nurl = http://b.example/p.json\n";

	ls_config_defaults(&cfg);
	snprintf(cfg.path, sizeof(cfg.path), "test.conf");
	ASSERT_MSG(ls_config_parse(&cfg, "test.conf", text, strlen(text), &err) == 0, "%s",
		   err.msg);
	ls_config_default_fonts(&cfg);
	ASSERT_MSG(ls_config_check(&cfg, 0, collect, warning, &err) == 0, "%s", err.msg);
	ASSERT_CONTAINS(warning,
			"test.conf:3: [feed] url 2: http://b.example/p.json is plain http://");
	ASSERT_CONTAINS(warning, "use https://");
}

TEST(the_line_of_every_key_is_remembered)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT_MSG(
	    parse(&cfg, "[board]\nname = x\n\n[feed]\nurl = a.json\nurl = b.json\n[pins]\nr1 = 5\n",
		  &err) == 0,
	    "%s", err.msg);
	ASSERT_EQ_INT(ls_config_line(&cfg, "board", "name", 0), 2);
	ASSERT_EQ_INT(ls_config_line(&cfg, "feed", "url", 1), 6);
	ASSERT_EQ_INT(ls_config_line(&cfg, "pins", "r1", 0), 8);
	ASSERT_EQ_INT(ls_config_line(&cfg, "board", "timezone", 0), 0);
}

TEST(report_token_is_the_boards_own_token_for_the_hub)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT_MSG(parse(&cfg,
			 "[feed]\ntoken = feed-secret\nreport_token = board-own-token-123456\n",
			 &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_STR(cfg.feed.report_token, "board-own-token-123456");
	ASSERT_EQ_STR(cfg.feed.token, "feed-secret");
}

TEST(the_refresh_rate_is_stated_with_its_cost_and_what_to_change_when_slow)
{
	struct ls_config cfg;
	struct ls_refresh_estimate e;
	struct ls_error err;

	/* 192x16 HUB12 over gpiod: 6160 writes at 1.15 us, no advice */
	ASSERT_MSG(parse(&cfg, "[output]\ntype = gpiod\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	ASSERT_EQ_INT(e.writes, 6160);
	ASSERT_EQ_INT(e.write_ns, 1150);
	ASSERT(fabs(e.hz - 1e9 / (6160 * 1150.0)) < 0.5);
	ASSERT_EQ_STR(e.advice, "");
	/* two rows serpentine: half the rate, and the ways out with their rates */
	ASSERT_MSG(parse(&cfg, "[panel]\nrows = 2\n[output]\ntype = gpiod\n", &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	ASSERT(e.hz < LS_REFRESH_MIN_HZ);
	ASSERT_CONTAINS(e.advice, "[output] type = spi gives");
	ASSERT_CONTAINS(e.advice, "layout = parallel (a data line per module row) gives 141 Hz");
	/* HUB75 64x32 at 4 planes: 103 Hz; 3 planes reach 137 Hz */
	ASSERT_MSG(parse(&cfg,
			 "[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\n[output]\ntype = "
			 "gpiod\n",
			 &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 0);
	ASSERT_EQ_INT(e.writes, 16 * 4 * (2 * 64 + 4));
	ASSERT_CONTAINS(e.advice, "bit_planes = 3 gives 137 Hz");
	/* the terminal drives no panel */
	ASSERT_MSG(parse(&cfg, "[output]\ntype = term\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(ls_config_refresh(&cfg, &e, &err), 1);
}

/* A reload decides by value: bytes after a string's end (left over from a
 * longer earlier value) or between fields do not make two configs differ,
 * and any key that changed does. */
TEST(reload_compares_values_not_bytes)
{
	static struct ls_config a, b;
	struct ls_error err = {""};
	const char *text = "[feed]\nurl = https://feed.example/national.json\npoll = 300\n"
			   "[output]\ntype = png\npath = /tmp/frames\n";

	ASSERT_MSG(parse(&a, text, &err) == 0, "%s", err.msg);
	b = a;
	memset(b.feed.urls[0] + strlen(b.feed.urls[0]) + 1, 'x', 8);
	memset(b.feed.token + 1, 'y', 8);
	memset(b.output.path + strlen(b.output.path) + 1, 'z', 8);
	memset(b.panel.mapping + strlen(b.panel.mapping) + 1, 'w', 4);
	ASSERT(memcmp(&a.feed, &b.feed, sizeof(a.feed)) != 0); /* what memcmp would have seen */
	ASSERT(ls_feed_config_equal(&a.feed, &b.feed));
	ASSERT(ls_output_config_equal(&a.output, &b.output));
	ASSERT(ls_panel_config_equal(&a.panel, &b.panel));

	b.feed.poll_s++;
	ASSERT(!ls_feed_config_equal(&a.feed, &b.feed));
	b = a;
	b.feed.urls[0][8] = 'X';
	ASSERT(!ls_feed_config_equal(&a.feed, &b.feed));
	b = a;
	b.feed.n_pubkeys = 1;
	ASSERT(!ls_feed_config_equal(&a.feed, &b.feed));
	b = a;
	b.output.fps = 7;
	ASSERT(!ls_output_config_equal(&a.output, &b.output));
	b = a;
	b.panel.pins.line[LS_LINE_OE] = 99;
	ASSERT(!ls_panel_config_equal(&a.panel, &b.panel));
	b = a;
	b.panel.colour.g ^= 1;
	ASSERT(!ls_panel_config_equal(&a.panel, &b.panel));
}

/* ---- per-layer keys ---- */

/* The base64 line of a fresh public key, and its key ID in hex. */
static void fresh_key(char b64[LS_PUBKEY_B64_LEN + 1], char id[LS_KEY_ID_HEX])
{
	struct ls_pubkey pub;
	struct ls_seckey sec;
	char *text;

	ASSERT(ls_keypair_generate(&pub, &sec, NULL) == 0);
	text = ls_pubkey_format(&pub);
	ASSERT(text);
	snprintf(b64, LS_PUBKEY_B64_LEN + 1, "%.*s", LS_PUBKEY_B64_LEN, strchr(text, '\n') + 1);
	ls_key_id_hex(pub.id, id);
	free(text);
	ls_seckey_wipe(&sec);
}

static void key_ids(const struct ls_config *cfg, int layer, char *out, size_t n)
{
	struct ls_pubkey k[LS_MAX_PUBKEYS];
	struct ls_error err;
	int got = ls_config_layer_keys(cfg, layer, k, &err);
	size_t used = 0;

	ASSERT_MSG(got >= 0, "%s", err.msg);
	out[0] = '\0';
	for (int i = 0; i < got; i++) {
		char hex[LS_KEY_ID_HEX];
		ls_key_id_hex(k[i].id, hex);
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? " " : "", hex);
	}
}

TEST(each_named_layer_trusts_its_own_keys_and_unnamed_layers_the_global_ones)
{
	static struct ls_config cfg;
	struct ls_error err = {""};
	char n1[64], n2[64], d1[64], g1[64], in1[17], in2[17], id1[17], ig1[17];
	char text[1024], ids[128], want[128], name[LS_LAYER_NAME_MAX];

	fresh_key(n1, in1);
	fresh_key(n2, in2);
	fresh_key(d1, id1);
	fresh_key(g1, ig1);
	snprintf(text, sizeof(text),
		 "[feed]\nurl = national https://f.example/national/playlist.json\n"
		 "url = ba-dinh\thttps://f.example/ha-noi/ba-dinh/playlist.json\n"
		 "url = https://f.example/office/playlist.json\n"
		 "pubkey = national %s\npubkey = national   %s\npubkey = ba-dinh %s\n"
		 "pubkey = %s\n",
		 n1, n2, d1, g1);
	ASSERT_MSG(parse(&cfg, text, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(cfg.feed.urls[0], "https://f.example/national/playlist.json");
	ASSERT_EQ_STR(cfg.feed.urls[1], "https://f.example/ha-noi/ba-dinh/playlist.json");
	ASSERT_EQ_STR(cfg.feed.layers[0], "national");
	ASSERT_EQ_STR(cfg.feed.layers[2], "");
	ASSERT_EQ_STR(cfg.feed.pubkeys[1], n2);
	key_ids(&cfg, 0, ids, sizeof(ids));
	snprintf(want, sizeof(want), "%s %s", in1, in2);
	ASSERT_EQ_STR(ids, want); /* the two keys of a rotation, not the global one */
	key_ids(&cfg, 1, ids, sizeof(ids));
	ASSERT_EQ_STR(ids, id1);
	key_ids(&cfg, 2, ids, sizeof(ids));
	ASSERT_EQ_STR(ids, ig1);
	ASSERT_EQ_STR(ls_config_layer_name(&cfg, 1, name), "ba-dinh");
	ASSERT_EQ_STR(ls_config_layer_name(&cfg, 2, name), "3");
}

TEST(a_config_with_global_keys_only_reads_as_before_every_layer_trusting_them)
{
	static struct ls_config cfg;
	struct ls_error err = {""};
	char g1[64], g2[64], i1[17], i2[17], text[512], ids[128], want[64];

	fresh_key(g1, i1);
	fresh_key(g2, i2);
	snprintf(
	    text, sizeof(text),
	    "[feed]\nurl = https://f.example/national/p.json\nurl = https://f.example/hn/p.json\n"
	    "pubkey = %s\npubkey = %s\n",
	    g1, g2);
	ASSERT_MSG(parse(&cfg, text, &err) == 0, "%s", err.msg);
	snprintf(want, sizeof(want), "%s %s", i1, i2);
	for (int l = 0; l < 2; l++) {
		key_ids(&cfg, l, ids, sizeof(ids));
		ASSERT_EQ_STR(ids, want);
	}
	/* and a file:// path with a space is still one URL, not a name and a URL */
	ASSERT_MSG(parse(&cfg, "[feed]\nurl = file:///srv/bhxh feeds/p.json\n", &err) == 0, "%s",
		   err.msg);
	ASSERT_EQ_STR(cfg.feed.urls[0], "file:///srv/bhxh feeds/p.json");
	ASSERT_EQ_STR(cfg.feed.layers[0], "");
}

/* Each mistake is refused at its line with what to write. */
TEST(layer_key_mistakes_are_refused_at_their_line)
{
	static struct ls_config cfg;
	struct ls_error err;
	char a[64], b[64], c[64], ia[17], ib[17], ic[17], text[1024];
	const char *head = "[feed]\nurl = national https://f.example/national/p.json\n"
			   "url = ha-noi https://f.example/ha-noi/p.json\n";

	fresh_key(a, ia);
	fresh_key(b, ib);
	fresh_key(c, ic);
	/* a key for a layer no url names */
	snprintf(text, sizeof(text), "%spubkey = national %s\npubkey = ha-nio %s\n", head, a, b);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:5: [feed] pubkey 2: no [feed] url is named 'ha-nio'");
	/* a third key for one layer */
	snprintf(text, sizeof(text),
		 "%spubkey = ha-noi %s\npubkey = national %s\npubkey = national %s\n"
		 "pubkey = national %s\n",
		 head, a, b, c, a);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:7: [feed] pubkey 4: layer national has 3 keys");
	ASSERT_CONTAINS(err.msg, "at most 2");
	/* one key trusted by two layers */
	snprintf(text, sizeof(text), "%spubkey = national %s\npubkey = ha-noi %s\n", head, a, a);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:5: [feed] pubkey 2: key ID");
	ASSERT_CONTAINS(err.msg, ia);
	ASSERT_CONTAINS(err.msg, "for layer national");
	ASSERT_CONTAINS(err.msg, "give this layer its own key");
	/* the same key twice in one layer */
	snprintf(text, sizeof(text), "%spubkey = national %s\npubkey = national %s\n", head, b, b);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "remove one of the two lines");
	/* a layer left with no key while the other is signed */
	snprintf(text, sizeof(text), "%spubkey = national %s\n", head, a);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3: [feed] url 2: layer ha-noi has no key");
	ASSERT_CONTAINS(err.msg, "pubkey = ha-noi KEY");
	/* ... which a global key closes */
	snprintf(text, sizeof(text), "%spubkey = national %s\npubkey = %s\n", head, a, b);
	ASSERT_MSG(parse(&cfg, text, &err) == 0, "%s", err.msg);
	/* a bad base64 key after a layer name */
	snprintf(text, sizeof(text), "%spubkey = national %.30s\n", head, a);
	ASSERT(parse(&cfg, text, &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:4: [feed] pubkey: not a minisign public key");
	/* a name that is not one, and two layers of one name */
	ASSERT(parse(&cfg, "[feed]\npubkey = Hà-Nội RWQ\n", &err) == -1);
	ASSERT_CONTAINS(err.msg, "is not a layer name");
	ASSERT(parse(&cfg, "[feed]\nurl = hn https://a/x.json\nurl = hn https://a/y.json\n",
		     &err) == -1);
	ASSERT_CONTAINS(err.msg, "test.conf:3: [feed] url 2: the layer name 'hn' is url 1's too");
}

TEST(a_global_key_no_layer_trusts_is_accepted_with_a_located_warning)
{
	static struct ls_config cfg;
	struct ls_error err;
	char warning[LS_ERROR_MAX] = "", a[64], b[64], ia[17], ib[17], text[512];

	fresh_key(a, ia);
	fresh_key(b, ib);
	snprintf(text, sizeof(text),
		 "[feed]\nurl = national https://a.example/n/p.json\npubkey = %s\n"
		 "pubkey = national %s\n",
		 a, b);
	ls_config_defaults(&cfg);
	snprintf(cfg.path, sizeof(cfg.path), "test.conf");
	ASSERT_MSG(ls_config_parse(&cfg, "test.conf", text, strlen(text), &err) == 0, "%s",
		   err.msg);
	ls_config_default_fonts(&cfg);
	ASSERT_MSG(ls_config_check(&cfg, 0, collect, warning, &err) == 0, "%s", err.msg);
	ASSERT_CONTAINS(warning, "test.conf:3: [feed] pubkey 1: a global key, but every layer has "
				 "keys of its own");
	/* with a layer that has none, the global key is that layer's */
	warning[0] = '\0';
	snprintf(
	    text, sizeof(text),
	    "[feed]\nurl = national https://a.example/n/p.json\nurl = https://a.example/o/p.json\n"
	    "pubkey = %s\npubkey = national %s\n",
	    a, b);
	ls_config_defaults(&cfg);
	snprintf(cfg.path, sizeof(cfg.path), "test.conf");
	ASSERT_MSG(ls_config_parse(&cfg, "test.conf", text, strlen(text), &err) == 0, "%s",
		   err.msg);
	ls_config_default_fonts(&cfg);
	ASSERT_MSG(ls_config_check(&cfg, 0, collect, warning, &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(warning, "");
}
