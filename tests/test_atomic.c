/*
 * test_atomic.c: reading a small file whole (ls_read_file, the tool's and the
 * hub's one reader): the bytes and their length, a file of exactly the limit,
 * one byte over it refused with the limit, and a missing file told apart.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ledsign/atomic.h"

static const char *put(const char *name, const char *text)
{
	static char path[4096];
	struct ls_error err;

	snprintf(path, sizeof(path), "%s/%s", th_tmpdir(), name);
	ASSERT_MSG(ls_atomic_write(path, text, strlen(text), 0644, &err) == 0, "%s", err.msg);
	return path;
}

TEST(a_file_is_read_whole_and_terminated)
{
	const char *path = put("a.txt", "Bảo hiểm\nxã hội");
	char *buf;
	size_t len;

	ASSERT_EQ_INT(ls_read_file(path, 100, &buf, &len, NULL), 0);
	ASSERT_EQ_INT(len, strlen("Bảo hiểm\nxã hội"));
	ASSERT_EQ_STR(buf, "Bảo hiểm\nxã hội");
	free(buf);
	path = put("empty.txt", "");
	ASSERT_EQ_INT(ls_read_file(path, 100, &buf, &len, NULL), 0);
	ASSERT_EQ_INT(len, 0);
	ASSERT_EQ_STR(buf, "");
	free(buf);
}

TEST(a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused)
{
	const char *path = put("ten.txt", "0123456789");
	struct ls_error err;
	char *buf = (char *)"x";
	size_t len;

	ASSERT_EQ_INT(ls_read_file(path, 10, &buf, &len, &err), 0);
	ASSERT_EQ_INT(len, 10);
	free(buf);
	ASSERT_EQ_INT(ls_read_file(path, 9, &buf, &len, &err), -1);
	ASSERT_EQ_INT(errno, EFBIG);
	ASSERT(buf == NULL);
	ASSERT_CONTAINS(err.msg, "ten.txt: larger than 9 bytes");
}

TEST(a_missing_file_names_itself_and_leaves_enoent)
{
	struct ls_error err;
	char path[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/none.txt", th_tmpdir());
	ASSERT_EQ_INT(ls_read_file(path, 10, &buf, &len, &err), -1);
	ASSERT_EQ_INT(errno, ENOENT);
	ASSERT_CONTAINS(err.msg, "none.txt: ");
	ASSERT_CONTAINS(err.msg, strerror(ENOENT));
	ASSERT_EQ_INT(ls_read_file(th_tmpdir(), 10, &buf, &len, &err), -1); /* a directory */
	ASSERT_EQ_INT(errno, EISDIR);
}
