/*
 * datadir.c: finds the installed data directory from the running program's
 * own path (/proc/self/exe), so the data location follows where the files
 * were installed, not the PREFIX the objects happened to be compiled with.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/datadir.h"

#ifndef LS_DATADIR
#define LS_DATADIR "/usr/local/share/ledsign"
#endif

/* PREFIX of a program installed as PREFIX/bin/NAME or PREFIX/sbin/NAME, or "". */
static void exe_prefix(char *out, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	out[0] = '\0';
	if (len <= 0)
		return;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0'; /* PREFIX/bin */
	slash = strrchr(exe, '/');
	if (!slash || (strcmp(slash, "/bin") && strcmp(slash, "/sbin")))
		return;
	*slash = '\0';
	if ((size_t)(slash - exe) < n)
		snprintf(out, n, "%s", exe);
}

char *ls_data_path(char *out, size_t n, const char *rel)
{
	char prefix[PATH_MAX];

	exe_prefix(prefix, sizeof(prefix));
	if (prefix[0] && (size_t)snprintf(out, n, "%s/share/ledsign/%s", prefix, rel) < n &&
	    access(out, R_OK) == 0)
		return out;
	snprintf(out, n, "%s/%s", LS_DATADIR, rel);
	return out;
}
