/*
 * atomic.c: replacing a file in one step (temporary file, fsync, rename,
 * directory fsync), for the feed cache, signatures, keys, pictures, the
 * status file and the heartbeat queue; and reading a small file whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledsign/atomic.h"

int ls_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The rename is only durable once the directory entry reaches the disk. */
static int fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int ls_atomic_replace(const char *path, const char *tmp, mode_t mode, ls_atomic_fill_fn fill,
		      void *ctx, struct ls_error *err)
{
	char own[PATH_MAX];
	int fd;

	if (!tmp) {
		int n = snprintf(own, sizeof(own), "%s.tmp.%ld", path, (long)getpid());

		if (n < 0 || (size_t)n >= sizeof(own))
			return ls_error_set(err, "%s: path too long", path);
		tmp = own;
	}
	/* Removing first lets O_EXCL refuse a link planted in tmp's place. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return ls_error_set(err, "%s: cannot create: %s", tmp, strerror(errno));
	errno = 0;
	if (fill(fd, ctx) != 0 || fsync(fd) != 0) {
		ls_error_set(err, "%s: cannot write: %s (disk full?)", tmp,
			     errno ? strerror(errno) : "write failed");
		goto err_tmp;
	}
	if (close(fd) != 0) {
		fd = -1;
		ls_error_set(err, "%s: cannot write: %s", tmp, strerror(errno));
		goto err_tmp;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		ls_error_set(err, "%s: cannot rename into place: %s", path, strerror(errno));
		goto err_tmp;
	}
	if (fsync_dir_of(path) != 0)
		return ls_error_set(err, "%s: cannot sync its directory: %s", path,
				    strerror(errno));
	return 0;
err_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

struct bytes {
	const void *data;
	size_t len;
};

static int fill_bytes(int fd, void *ctx)
{
	const struct bytes *b = ctx;

	return ls_write_all(fd, b->data, b->len);
}

int ls_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct ls_error *err)
{
	struct bytes b = {data, len};

	return ls_atomic_replace(path, NULL, mode, fill_bytes, &b, err);
}

int ls_write_file_atomic(const char *path, const char *text, struct ls_error *err)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0755) && errno != EEXIST)
		return ls_error_set(err, "%s: cannot create its directory: %s", path,
				    strerror(errno));
	return ls_atomic_write(path, text, strlen(text), 0644, err);
}

/* Sets err from errno e and leaves errno e: the caller may tell ENOENT apart. */
static int read_failed(struct ls_error *err, const char *path, int e)
{
	ls_error_set(err, "%s: %s", path, strerror(e));
	errno = e;
	return -1;
}

int ls_read_file(const char *path, size_t max, char **out, size_t *len, struct ls_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t n;
	size_t got = 0;

	*out = NULL;
	if (fd < 0)
		return read_failed(err, path, errno);
	if (!(buf = malloc(max + 2))) {
		close(fd);
		return read_failed(err, path, ENOMEM);
	}
	do {
		n = read(fd, buf + got, max + 1 - got);
		got += n > 0 ? (size_t)n : 0;
	} while ((n > 0 || (n < 0 && errno == EINTR)) && got <= max);
	if (n < 0) {
		int e = errno;
		close(fd);
		free(buf);
		return read_failed(err, path, e);
	}
	close(fd);
	if (got > max) {
		free(buf);
		ls_error_set(err, "%s: larger than %zu bytes", path, max);
		errno = EFBIG;
		return -1;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int ls_atomic_create(const char *path, const char *text, mode_t mode, bool replace,
		     struct ls_error *err)
{
	if (!replace && access(path, F_OK) == 0)
		return ls_error_set(err, "%s already exists; use --force to replace it", path);
	return ls_atomic_write(path, text, strlen(text), mode, err);
}

char *ls_read_small(const char *path, size_t max_bytes)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && (size_t)n <= max_bytes &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(fp);
	return buf;
}
