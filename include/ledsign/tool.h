/*
 * Subcommands of the `ledsign` tool, one function each, dispatched by
 * src/cmd/ledsign.c. Each takes the arguments after the tool name (argv[0] is
 * the subcommand) and returns the process exit status.
 */
#ifndef LEDSIGN_TOOL_H
#define LEDSIGN_TOOL_H

int tool_render(int argc, char **argv);	      /* one frame of a playlist as PNG */
int tool_test_pattern(int argc, char **argv); /* installer test patterns on an output */
int tool_keygen(int argc, char **argv);	      /* minisign-compatible key pair */
int tool_sign(int argc, char **argv);	      /* FILE -> FILE.minisig */
int tool_verify(int argc, char **argv);	      /* check FILE against FILE.minisig */

#endif
