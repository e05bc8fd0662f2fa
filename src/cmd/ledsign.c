/*
 * ledsign: the tool for editors and installers. One subcommand per job; each
 * lives in src/cmd/tool_<name>.c and is declared in include/ledsign/tool.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ledsign/i18n.h"
#include "ledsign/tool.h"

/* Weak, so a subcommand whose file is not in this build reports it instead of
 * breaking the link. */
#pragma weak tool_render
#pragma weak tool_preview
#pragma weak tool_test_pattern
#pragma weak tool_keygen
#pragma weak tool_sign
#pragma weak tool_verify
#pragma weak tool_publish
#pragma weak tool_validate
#pragma weak tool_schedule
#pragma weak tool_fonts
#pragma weak tool_doctor
#pragma weak tool_status

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
    {"render", tool_render,
     N_("render PLAYLIST... --at TIME --time S --out FILE.png   one frame as PNG")},
    {"preview", tool_preview,
     N_("preview PLAYLIST... --at TIME --seconds N --out FILE.gif|.png [--sheet]   board picture")},
    {"test-pattern", tool_test_pattern,
     N_("test-pattern --pattern NAME [-c CONFIG]   installer test patterns")},
    {"keygen", tool_keygen, N_("keygen --pub FILE --sec FILE               a signing key pair")},
    {"sign", tool_sign, N_("sign FILE --key SECKEY                      write FILE.minisig")},
    {"verify", tool_verify, N_("verify FILE --pubkey KEY                    check FILE.minisig")},
    {"publish", tool_publish,
     N_("publish FILE --key SECKEY --to DIR            validate, sign, install")},
    {"validate", tool_validate,
     N_("validate FILE... [--board CONFIG|WxH] [--tags a,b]   check playlists")},
    {"schedule", tool_schedule,
     N_("schedule FILE... --from T --to T [--tags a,b]   what plays when")},
    {"fonts", tool_fonts,
     N_("fonts check FONT... [--height 16]             Vietnamese coverage and fit")},
    {"doctor", tool_doctor,
     N_("doctor [-c CONFIG]                           check a board on site")},
    {"status", tool_status,
     N_("status [-c CONFIG] [--file STATUS.json]      what the service shows now")},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, _("usage: ledsign COMMAND [ARGS]   (ledsign COMMAND --help for "
		     "details)\n\ncommands:\n"));
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (commands[i].fn)
			fprintf(f, "  %s\n", _(commands[i].help));
}

int main(int argc, char **argv)
{
	int r;

	ls_i18n_init();
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf(_("ledsign %s\n"), LS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (!commands[i].fn) {
			fprintf(stderr, _("ledsign: '%s' is not part of this build\n"), argv[1]);
			return 2;
		}
		tool_cmd = commands[i].name;
		optind = 1;
		r = commands[i].fn(argc - 1, argv + 1); /* libcurl opens when used (libcurl.h) */
		return r;
	}
	fprintf(stderr, _("ledsign: '%s' is not a command\n"), argv[1]);
	usage(stderr);
	return 2;
}
