/*
 * test_config.c: ledsign.conf parsing, defaults, and the messages an installer
 * sees when a key or value is wrong.
 */
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

TEST(values_from_every_section_are_read)
{
	struct ls_config cfg;
	struct ls_error err;
	const char *text = "[board]\nname = BHXH Pleiku\ntags = gia-lai, pleiku\n"
			   "[panel]\ntype = hub75\nmodule = 64x32\nchain = 2\nrows = 2\nbit_planes = 3\n"
			   "[pins]\noe = 18\nr1 = 5\n"
			   "[output]\ntype = png\npath = /tmp/frames\nfps = 30\n"
			   "[feed]\nurl = https://a.example/national.json\nurl = https://a.example/gia-lai.json\npoll = 120\n"
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
	ASSERT_EQ_INT(cfg.panel.pins.oe, 18);
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
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "url = https://x/%d.json\n", i);
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

	ASSERT_MSG(ls_config_load(&cfg, th_path("deploy/ledsign-run.conf"), &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(cfg.feed.n_urls, 1);
	ASSERT(cfg.display.n_fonts >= 1);
}

TEST(report_token_is_the_boards_own_token_for_the_hub)
{
	struct ls_config cfg;
	struct ls_error err;

	ASSERT_MSG(parse(&cfg, "[feed]\ntoken = feed-secret\nreport_token = board-own-token-123456\n", &err) == 0,
		   "%s", err.msg);
	ASSERT_EQ_STR(cfg.feed.report_token, "board-own-token-123456");
	ASSERT_EQ_STR(cfg.feed.token, "feed-secret");
}
