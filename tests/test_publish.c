/*
 * test_publish.c: the path a published version is signed with
 * (ls_publish_path(), src/sys/publish.c): the layer directory under the feed
 * root, then the file's name; what boards would refuse is refused here.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "ledsign/publish.h"

static const char *dir_of(const char *rel)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", th_tmpdir(), rel);
	mkdir(p, 0755);
	return p;
}

TEST(the_path_is_the_layer_directory_under_its_parent_then_the_name)
{
	char out[256];
	struct ls_error err;

	dir_of("root");
	ASSERT_MSG(
	    !ls_publish_path(dir_of("root/ha-noi"), NULL, "playlist.json", out, sizeof(out), &err),
	    "%s", err.msg);
	ASSERT_EQ_STR(out, "ha-noi/playlist.json");
}

TEST(a_root_further_up_keeps_every_folder_between_it_and_the_directory)
{
	char out[256];
	struct ls_error err;

	dir_of("feeds");
	dir_of("feeds/north");
	ASSERT_MSG(!ls_publish_path(dir_of("feeds/north/ha-noi"), dir_of("feeds"), "p.json", out,
				    sizeof(out), &err),
		   "%s", err.msg);
	ASSERT_EQ_STR(out, "north/ha-noi/p.json");
}

TEST(a_directory_outside_the_root_or_missing_is_refused_by_name)
{
	char out[256];
	struct ls_error err;

	dir_of("a");
	dir_of("b");
	ASSERT_EQ_INT(ls_publish_path(dir_of("a"), dir_of("b"), "p.json", out, sizeof(out), &err),
		      -1);
	ASSERT_CONTAINS(err.msg, "is not a directory under the feed root");
	ASSERT_EQ_INT(ls_publish_path(dir_of("b"), dir_of("b"), "p.json", out, sizeof(out), &err),
		      -1);
	ASSERT_CONTAINS(err.msg, "is not a directory under the feed root");
	ASSERT_EQ_INT(ls_publish_path("/nonexistent/x", NULL, "p.json", out, sizeof(out), &err),
		      -1);
	ASSERT_CONTAINS(err.msg, "--to /nonexistent/x: ");
	ASSERT_EQ_INT(
	    ls_publish_path(dir_of("a"), "/nonexistent/r", "p.json", out, sizeof(out), &err), -1);
	ASSERT_CONTAINS(err.msg, "--root /nonexistent/r: ");
}

TEST(a_path_too_long_for_the_buffer_is_refused)
{
	char out[8];
	struct ls_error err;

	dir_of("long");
	ASSERT_EQ_INT(
	    ls_publish_path(dir_of("long/ha-noi"), NULL, "playlist.json", out, sizeof(out), &err),
	    -1);
	ASSERT_CONTAINS(err.msg, "too long");
}
