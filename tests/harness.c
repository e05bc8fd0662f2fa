/*
 * harness.c: runs the tests registered with TEST(), each in a forked child so
 * a crash or an ASan report fails that test alone, and prints one summary line.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define TH_MAX 512

static struct {
	const char *name;
	void (*fn)(void);
} tests[TH_MAX];
static int n_tests;
static char tmpdir[PATH_MAX];

void th_register(const char *name, void (*fn)(void))
{
	if (n_tests < TH_MAX) {
		tests[n_tests].name = name;
		tests[n_tests].fn = fn;
		n_tests++;
	}
}

void th_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(1);
}

const char *th_path(const char *rel)
{
	static char buf[PATH_MAX];
	const char *root = getenv("LEDSIGN_ROOT");

	snprintf(buf, sizeof(buf), "%s/%s", root ? root : ".", rel);
	return buf;
}

const char *th_tmpdir(void)
{
	return tmpdir;
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

static int run_one(int i)
{
	pid_t pid;
	int status;
	char cmd[PATH_MAX + 16];

	snprintf(tmpdir, sizeof(tmpdir), "%s/ledsign-test-%d-%d",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), i);
	if (mkdir(tmpdir, 0700) != 0 && errno != EEXIST)
		return 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		tests[i].fn();
		fflush(NULL);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "  warning: could not remove %s\n", tmpdir);
	if (WIFSIGNALED(status))
		fprintf(stderr, "  killed by signal %d\n", WTERMSIG(status));
	return status == 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < n_tests; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		if (run_one(i)) {
			printf("ok   %s\n", tests[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
