/*
 * ledsign doctor: the one command an installer runs on site. It prints the
 * library's checks (src/sys/doctor.c), one line each: "ok", "skip" (does not
 * apply to this board's config), "warn" or "FAIL" with what is wrong and the
 * fix; the exit status is 1 when any check failed.
 *
 *   ledsign doctor [-c CONFIG] [--user NAME]
 */
#include <getopt.h>
#include <stdio.h>

#include "ledsign/doctor.h"
#include "ledsign/i18n.h"
#include "ledsign/tool.h"

#define DEFAULT_CONFIG "/etc/ledsign/ledsign.conf"

static void print_result(void *user, const struct ls_doctor_result *r)
{
	/* TRANSLATORS: the verdicts are padded to one width, so the check names line up. */
	static const char *const verdict[] = {N_("ok    %-10s "), N_("skip  %-10s "),
					      N_("warn  %-10s "), N_("FAIL  %-10s ")};

	(void)user;
	printf(_(verdict[r->status]), r->id);
	fputs(r->msg, stdout);
	if (r->fix[0])
		printf(_(" -- fix: %s"), r->fix);
	putchar('\n');
}

static void usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsign doctor [-c CONFIG] [--user NAME]\n"
		  "  -c, --config FILE   the board's config (default %s)\n"
		  "      --user NAME     the service user whose access is checked (default "
		  "ledsign)\n"
		  "Prints one line per check (ok, skip or FAIL with the fix); exits 1 when any "
		  "failed.\n"),
		DEFAULT_CONFIG);
}

int tool_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
						 {"user", required_argument, NULL, 'u'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	struct ls_doctor_target t = {.config_path = DEFAULT_CONFIG, .user = "ledsign"};
	int ch, failed;

	while ((ch = tool_getopt(argc, argv, "c:h", longopts, usage)) != -1) {
		if (ch == 'c')
			t.config_path = optarg;
		else if (ch == 'u')
			t.user = optarg;
	}
	failed = ls_doctor_run(&t, print_result, NULL);
	if (failed < 0)
		die("out of memory");
	if (failed)
		printf(_("%d check(s) failed\n"), failed);
	else
		printf(_("all checks passed\n"));
	return failed ? 1 : 0;
}
