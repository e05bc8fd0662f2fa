/*
 * A tiny test harness: TEST(name) registers a test, ASSERT*() fail it, and
 * main() (in harness.c) runs every test, or those named on the command line,
 * and ends with the line "N passed, N failed".
 *
 * A test file is one module's spec; name tests after the behaviour they check:
 *   TEST(window_crossing_midnight_plays_at_0030) { ... }
 * Tests find fixtures through th_path("content/national.json"), relative to
 * the repository root (the runner starts binaries there).
 */
#ifndef LEDSIGN_TEST_HARNESS_H
#define LEDSIGN_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

void th_register(const char *name, void (*fn)(void));
void th_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* Returns a path below the repository root in a static buffer (valid until the next call). */
const char *th_path(const char *rel);
/* Returns a fresh empty directory for this test, removed after the run. */
const char *th_tmpdir(void);

#define TEST(name)                                                                                 \
	static void name(void);                                                                    \
	__attribute__((constructor)) static void th_reg_##name(void)                               \
	{                                                                                          \
		th_register(#name, name);                                                          \
	}                                                                                          \
	static void name(void)

#define ASSERT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			th_fail(__FILE__, __LINE__, "assertion failed: %s", #cond);                \
	} while (0)

#define ASSERT_MSG(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond))                                                                       \
			th_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
	} while (0)

#define ASSERT_EQ_INT(a, b)                                                                        \
	do {                                                                                       \
		long long th_a = (long long)(a), th_b = (long long)(b);                            \
		if (th_a != th_b)                                                                  \
			th_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, th_a, th_b); \
	} while (0)

#define ASSERT_EQ_STR(a, b)                                                                        \
	do {                                                                                       \
		const char *th_a = (a), *th_b = (b);                                               \
		if (!th_a || !th_b || strcmp(th_a, th_b) != 0)                                     \
			th_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,          \
				th_a ? th_a : "(null)", th_b ? th_b : "(null)");                   \
	} while (0)

#define ASSERT_CONTAINS(hay, needle)                                                               \
	do {                                                                                       \
		const char *th_h = (hay), *th_n = (needle);                                        \
		if (!th_h || !strstr(th_h, th_n))                                                  \
			th_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"",              \
				th_h ? th_h : "(null)", th_n);                                     \
	} while (0)

#endif
