/*
 * hub.conf: read like the board's ledsign.conf; every mistake refused with
 * the file, the line and what to write.
 */
#include <string.h>

#include "../src/hub/config.h"
#include "harness.h"

static int parse(struct hub_config *cfg, const char *text, struct ls_error *err)
{
	hub_config_defaults(cfg);
	return hub_config_parse(cfg, "hub.conf", text, strlen(text), err);
}

TEST(defaults_are_loopback_sqlite_and_ninety_days)
{
	struct hub_config cfg;

	hub_config_defaults(&cfg);
	ASSERT_EQ_STR(cfg.http.listen, "127.0.0.1:8470");
	ASSERT_EQ_STR(cfg.database.url, "");
	ASSERT_EQ_INT(cfg.hub.retention_days, 90);
	ASSERT_EQ_INT(cfg.hub.report_interval_s, 300);
	ASSERT_EQ_INT(cfg.http.cookie_secure, 1);
}

TEST(every_section_is_read)
{
	struct hub_config cfg;
	struct ls_error err;

	ASSERT_MSG(
	    parse(&cfg,
		  "[http]\nlisten = unix:/run/ledsign-hub/hub.sock\nmax_body = 4096\n"
		  "cookie_secure = no\n[database]\nurl = postgresql:///hub?host=/run/postgresql\n"
		  "[hub]\nretention_days = 30\ntimezone = Asia/Bangkok\n",
		  &err) == 0,
	    "%s", err.msg);
	ASSERT_EQ_STR(cfg.http.listen, "unix:/run/ledsign-hub/hub.sock");
	ASSERT_EQ_INT(cfg.http.max_body, 4096);
	ASSERT_EQ_INT(cfg.http.cookie_secure, 0);
	ASSERT_EQ_STR(cfg.database.url, "postgresql:///hub?host=/run/postgresql");
	ASSERT_EQ_INT(cfg.hub.retention_days, 30);
	ASSERT_EQ_STR(cfg.hub.timezone, "Asia/Bangkok");
}

static void refused(const char *text, const char *why)
{
	struct hub_config cfg;
	struct ls_error err = {{0}};

	ASSERT_MSG(parse(&cfg, text, &err) == -1, "accepted: %s", text);
	ASSERT_CONTAINS(err.msg, why);
}

TEST(mistakes_name_the_file_line_and_the_remedy)
{
	refused("[hub]\n\nretention = 5\n", "hub.conf:3: [hub] retention: unknown key; valid keys "
					    "in [hub] are: state_dir, timezone");
	refused("[web]\nlisten = x\n",
		"hub.conf:2: [web]: unknown section; valid sections are [http], [database], [hub]");
	refused("listen = 1\n", "hub.conf:1: listen: key outside any section");
	refused("[http]\nmax_body = 10\n",
		"hub.conf:2: [http] max_body: '10' is not valid; bytes, 1024..16777216");
	refused("[http]\ntimeout = five\n", "[http] timeout: 'five' is not valid");
	refused("[http]\ncookie_secure = maybe\n",
		"[http] cookie_secure: 'maybe' is not valid; yes or no");
	refused("[http]\nlisten = localhost\n", "[http] listen: 'localhost' has no port");
	refused("[database]\nurl = mysql://x\n", "[database] url: 'mysql://x' is not a database");
	refused("[hub]\ntimezone = ../../etc/passwd\n",
		"[hub] timezone: '../../etc/passwd' is not a time zone name");
	refused("[hub\n", "hub.conf:1: syntax error");
}

TEST(a_line_too_long_for_the_reader_is_refused_not_split)
{
	char text[600];

	memset(text, 0, sizeof(text));
	strcpy(text, "[database]\nurl = postgresql://");
	memset(text + strlen(text), 'a', 300);
	strcat(text, "\n");
	refused(text, "hub.conf:2: line longer than 199 characters");
}

TEST(a_binary_or_huge_file_is_refused)
{
	struct hub_config cfg;
	struct ls_error err;

	hub_config_defaults(&cfg);
	ASSERT(hub_config_parse(&cfg, "bin.conf", "[hub]\0x", 7, &err) == -1);
	ASSERT_CONTAINS(err.msg, "NUL byte");
	ASSERT(hub_config_load(&cfg, "/nonexistent/hub.conf", &err) == -1);
	ASSERT_CONTAINS(err.msg, "/nonexistent/hub.conf: cannot open");
}

TEST(a_key_given_twice_is_refused_with_its_first_line)
{
	refused("[hub]\nretention_days = 30\n[http]\nmax_body = 4096\n[hub]\nretention_days = 60\n",
		"hub.conf:6: [hub] retention_days: given twice (first on line 2); keep one");
}

TEST(an_empty_value_is_refused_except_the_database_url)
{
	struct hub_config cfg;
	struct ls_error err;

	refused("[hub]\nstate_dir =\n", "hub.conf:2: [hub] state_dir: empty; write a writable "
					"directory, e.g. /var/lib/ledsign-hub, or remove the line");
	refused("[http]\nlisten =\n", "hub.conf:2: [http] listen: empty; write host:port");
	ASSERT_MSG(parse(&cfg, "[database]\nurl =\n", &err) == 0, "%s", err.msg);
	ASSERT_EQ_STR(cfg.database.url, "");
}

TEST(a_value_longer_than_its_field_is_refused_with_the_limit)
{
	char text[256] = "[hub]\ntimezone = Asia/";

	memset(text + strlen(text), 'x', 70);
	strcat(text, "\n");
	refused(text, "hub.conf:2: [hub] timezone: '");
}

TEST(a_layer_section_is_read_by_the_same_checker)
{
	refused("[layer hanoi]\ntitle = Hà Nội\ntitle = HN\n",
		"hub.conf:3: [layer hanoi] title: given twice (first on line 2); keep one");
	refused("[layer]\ntitle = x\n", "hub.conf:2: [layer]: unknown section; valid sections are "
					"[http], [database], [hub], [layer NAME]");
	refused("title = x\n", "hub.conf:1: title: key outside any section; put it under one of "
			       "[http], [database], [hub], [layer NAME]");
}
