/*
 * Subcommands of the `ledsign` tool, one function each, dispatched by
 * src/cmd/ledsign.c. Each takes the arguments after the tool name (argv[0] is
 * the subcommand) and returns the process exit status.
 */
#ifndef LEDSIGN_TOOL_H
#define LEDSIGN_TOOL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int tool_render(int argc, char **argv);	      /* one frame of a playlist as PNG */
int tool_preview(int argc, char **argv);      /* board pictures: GIF, PNG strip, contact sheet */
int tool_test_pattern(int argc, char **argv); /* installer test patterns on an output */
int tool_keygen(int argc, char **argv);	      /* minisign-compatible key pair */
int tool_sign(int argc, char **argv);	      /* FILE -> FILE.minisig */
int tool_verify(int argc, char **argv);	      /* check FILE against FILE.minisig */
int tool_validate(int argc, char **argv);     /* check playlists: errors, warnings, fit */
int tool_schedule(int argc, char **argv);     /* the timeline of what plays when */
int tool_publish(int argc, char **argv);      /* validate, sign, install into a web root */
int tool_fonts(int argc, char **argv);	      /* font coverage and fit check, samples */
int tool_doctor(int argc, char **argv);	      /* on-site checks, one line each, with fixes */
int tool_status(int argc, char **argv);	      /* what the running service shows, feeds, plays */

/* Shared by the subcommands (src/cmd/tool_common.c). */
struct ls_config;
struct ls_error;
struct ls_playlist;

/* Loads playlist files, skipping JSON Schemas with a note on stderr (paths
 * is compacted to the files loaded, in order); returns how many it loaded
 * (at least 1), or -1 with err (having freed them). */
int tool_load_playlists(char **paths, int n, struct ls_playlist ***out, struct ls_error *err);

/* The tool's one option parser and one way to die (src/cmd/tool_opt.c), in
 * the spirit of libgpiod's tools: messages start "ledsign CMD: ", setup
 * failures exit 1, malformed options and usage errors exit 2. */
extern const char *tool_cmd; /* the subcommand's name, set before it runs */

typedef void (*tool_usage_fn)(FILE *f);

/* Prints "ledsign CMD: msg" on stderr and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

/* die(), with ": " and strerror(errno) after the message. */
__attribute__((noreturn, format(printf, 1, 2))) void die_perror(const char *fmt, ...);

/* Prints "ledsign CMD: msg", then the usage, on stderr and exits 2. */
__attribute__((noreturn, format(printf, 2, 3))) void tool_usage_error(tool_usage_fn usage,
								      const char *fmt, ...);

/* The usage on stderr, exit 2: the command line names too few or too many things. */
__attribute__((noreturn)) void tool_usage_exit(tool_usage_fn usage);

/* getopt_long() that handles -h/--help (the usage on stdout, exit 0) and
 * unknown or incomplete options (the usage on stderr, exit 2) itself, so a
 * caller's loop only sees its own options. */
int tool_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
		tool_usage_fn usage);

/* The value of option opt (e.g. "--step") as a whole number of unit (e.g.
 * "ms") in min..max; anything else ("100ms", "five", "", "1e3", out of range)
 * is a usage error naming the option, the value, the unit and the range. */
int tool_opt_int(const char *opt, const char *arg, int min, int max, const char *unit);

/* The same for a decimal number ("2.5"; no unit suffix, no exponent). */
double tool_opt_number(const char *opt, const char *arg, double min, double max, const char *unit);

/* p, or die("out of memory") when it is NULL. */
void *tool_need(void *p);

/* Fills cfg from --board spec (ls_config_board()) and --tags list (ls_board_set_tags();
 * NULL: the config's own tags), or dies: a bad board exits 1, bad tags 2. */
void tool_need_board(const char *spec, const char *tags, struct ls_config *cfg);

/* --at as Unix seconds in cfg's board zone, or now when at is NULL; a value
 * that does not parse is a usage error (exit 2). */
int64_t tool_need_time(const char *at, const struct ls_config *cfg);

#endif
