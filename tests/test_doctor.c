/*
 * The board's health checks (src/sys/doctor.c): every check of the table
 * reports, in table order; every failure says what to do; the count returned
 * is the failures reported; a run of some checks reports only those; and each
 * message is one whole sentence passed through the program's translator.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "ledsign/doctor.h"
#include "ledsign/error.h"

#define MAX_RESULTS 64

struct seen {
	struct ls_doctor_result r[MAX_RESULTS];
	int n, failed;
};

static void collect(void *user, const struct ls_doctor_result *r)
{
	struct seen *s = user;

	if (r->status == LS_DOCTOR_FAIL)
		s->failed++;
	if (s->n < MAX_RESULTS)
		s->r[s->n++] = *r;
}

/* A board with no panel output, a local feed, no key, no cache directory. */
static const char *write_config(const char *dir)
{
	static char path[512];
	char feed[4096];
	FILE *f;

	ASSERT(realpath(th_path("content/national.json"), feed));

	snprintf(path, sizeof(path), "%s/board.conf", dir);
	f = fopen(path, "w");
	ASSERT(f);
	fprintf(f,
		"[output]\ntype = none\n[feed]\nurl = %s\ncache_dir = %s/no-cache\n"
		"state_dir = %s\nstatus_file = %s/no-status.json\n",
		feed, dir, dir, dir);
	fclose(f);
	return path;
}

static int run(struct seen *s)
{
	const char *dir = th_tmpdir();
	struct ls_doctor_target t = {.config_path = write_config(dir), .user = "root"};

	memset(s, 0, sizeof(*s));
	return ls_doctor_run(&t, collect, s);
}

static const struct ls_doctor_result *find(const struct seen *s, const char *id)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].id, id))
			return &s->r[i];
	return NULL;
}

TEST(every_check_reports_in_table_order)
{
	struct seen s;
	size_t c = 0;

	run(&s);
	for (int i = 0; i < s.n; i++) {
		while (ls_doctor_check_id(c) && strcmp(ls_doctor_check_id(c), s.r[i].id))
			c++;
		ASSERT_MSG(ls_doctor_check_id(c), "result %d (%s) out of table order", i,
			   s.r[i].id);
	}
	for (size_t k = 0; ls_doctor_check_id(k); k++)
		ASSERT_MSG(find(&s, ls_doctor_check_id(k)), "check %s reported nothing",
			   ls_doctor_check_id(k));
}

TEST(every_failure_says_what_to_do_and_is_counted)
{
	struct seen s;
	int failed = run(&s);

	ASSERT_EQ_INT(failed, s.failed);
	ASSERT(failed >= 3); /* signature, cache, service at least */
	for (int i = 0; i < s.n; i++) {
		ASSERT_MSG(s.r[i].msg[0], "%s: empty message", s.r[i].id);
		if (s.r[i].status == LS_DOCTOR_FAIL)
			ASSERT_MSG(s.r[i].fix[0], "%s fails without a fix: %s", s.r[i].id,
				   s.r[i].msg);
		if (s.r[i].status == LS_DOCTOR_OK || s.r[i].status == LS_DOCTOR_SKIP)
			ASSERT_MSG(!s.r[i].fix[0], "%s: a fix on a non-failure", s.r[i].id);
	}
}

TEST(a_board_without_panel_output_skips_the_hardware)
{
	struct seen s;

	run(&s);
	ASSERT_EQ_INT(find(&s, "config")->status, LS_DOCTOR_OK);
	ASSERT_EQ_INT(find(&s, "gpio")->status, LS_DOCTOR_SKIP);
	ASSERT_EQ_INT(find(&s, "lines")->status, LS_DOCTOR_SKIP);
	ASSERT_EQ_INT(find(&s, "spidev")->status, LS_DOCTOR_SKIP);
	ASSERT_MSG(find(&s, "feed")->status == LS_DOCTOR_OK, "feed: %s", find(&s, "feed")->msg);
	ASSERT_CONTAINS(find(&s, "feed")->msg, "feed 1 file://");
	ASSERT_EQ_INT(find(&s, "signature")->status, LS_DOCTOR_FAIL);
	ASSERT_EQ_INT(find(&s, "state")->status, LS_DOCTOR_OK);
}

/* What `ledsignd -n` asks: the directory checks alone, of the file's directories. */
TEST(only_the_checks_asked_for_report_and_they_look_at_the_config)
{
	static const char *const only[] = {"cache", "state", NULL};
	const char *dir = th_tmpdir();
	struct ls_doctor_target t = {write_config(dir), "root", only};
	struct seen s = {0};
	char want[600];

	ASSERT_EQ_INT(ls_doctor_run(&t, collect, &s), 1); /* no-cache is missing */
	ASSERT_EQ_INT(s.n, 2);
	ASSERT_EQ_STR(s.r[0].id, "cache");
	ASSERT_EQ_INT(s.r[0].status, LS_DOCTOR_FAIL);
	snprintf(want, sizeof(want), "%s/no-cache does not exist", dir);
	ASSERT_EQ_STR(s.r[0].msg, want);
	ASSERT_CONTAINS(s.r[0].fix, "sudo install -d -o root -g root -m 0750");
	ASSERT_EQ_STR(s.r[1].id, "state");
	ASSERT_EQ_INT(s.r[1].status, LS_DOCTOR_OK);
}

TEST(the_services_own_checks_are_its_directories_for_the_user_it_runs_as)
{
	const char *dir = th_tmpdir();
	const struct passwd *pw = getpwuid(geteuid());
	struct seen s = {0};
	char want[300];

	ASSERT(pw);
	ASSERT_EQ_INT(ls_doctor_run_service_dirs(write_config(dir), collect, &s), 1);
	ASSERT_EQ_INT(s.n, 2);
	ASSERT_EQ_STR(s.r[0].id, "cache");
	ASSERT_EQ_INT(s.r[0].status, LS_DOCTOR_FAIL);
	snprintf(want, sizeof(want), "sudo install -d -o %s ", pw->pw_name);
	ASSERT_CONTAINS(s.r[0].fix, want);
	ASSERT_EQ_STR(s.r[1].id, "state");
}

static const char *fake_vietnamese(const char *msgid)
{
	if (!strcmp(msgid, "%s does not exist"))
		return "%s không tồn tại";
	if (!strcmp(msgid, "sudo install -d -o %s -g %s -m 0750 %s (setup-board.sh does it)"))
		return "sudo install -d -o %s -g %s -m 0750 %s (setup-board.sh làm việc này)";
	return msgid;
}

TEST(messages_and_fixes_are_translated_whole)
{
	const struct ls_doctor_result *r;
	struct seen s;

	ls_set_translator(fake_vietnamese);
	run(&s);
	ls_set_translator(NULL);
	r = find(&s, "cache");
	ASSERT_EQ_INT(r->status, LS_DOCTOR_FAIL);
	ASSERT_CONTAINS(r->msg, "/no-cache không tồn tại");
	ASSERT_CONTAINS(r->fix, "sudo install -d -o root -g root -m 0750 ");
	ASSERT_CONTAINS(r->fix, "(setup-board.sh làm việc này)");
}
