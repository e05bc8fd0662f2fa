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

/* The directory the running program is in, or "". */
static void exe_dir(char *out, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	out[0] = '\0';
	if (len <= 0)
		return;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (slash && (size_t)(slash - exe) < n)
		snprintf(out, n, "%.*s", (int)(slash - exe), exe);
}

char *ls_tree_path(char *out, size_t n, const char *rel)
{
	char dir[PATH_MAX], mark[PATH_MAX + 32];

	exe_dir(dir, sizeof(dir));
	/* build/ledsign, build-asan/ledsign, build/tests/test_x: one or two up. */
	for (int up = 1; dir[0] && up <= 2; up++) {
		const char *ups = up == 1 ? "/.." : "/../..";
		if ((size_t)snprintf(mark, sizeof(mark), "%s%s/src/core", dir, ups) <
			sizeof(mark) &&
		    access(mark, R_OK) == 0 &&
		    (size_t)snprintf(out, n, "%s%s/%s", dir, ups, rel) < n &&
		    access(out, R_OK) == 0)
			return out;
	}
	return NULL;
}

/* PREFIX of a program installed as PREFIX/bin/NAME or PREFIX/sbin/NAME, or "". */
static void exe_prefix(char *out, size_t n)
{
	char dir[PATH_MAX];
	char *slash;

	out[0] = '\0';
	exe_dir(dir, sizeof(dir)); /* PREFIX/bin */
	slash = strrchr(dir, '/');
	if (!slash || (strcmp(slash, "/bin") && strcmp(slash, "/sbin")))
		return;
	*slash = '\0';
	if ((size_t)(slash - dir) < n)
		snprintf(out, n, "%s", dir);
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
