/*
 * Replacing a file so that a reader, a crash or a power cut sees the old
 * content or the new, never a mix: the new content goes into a temporary
 * file in the same directory, which is fsynced and renamed over the file;
 * then the directory is fsynced, so that the rename itself is on the disk.
 */
#ifndef LEDSIGN_ATOMIC_H
#define LEDSIGN_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ledsign/error.h"

/* Writes the new content to fd; returns 0, or -1 with errno saying why. */
typedef int (*ls_atomic_fill_fn)(int fd, void *ctx);

/* Replaces path with what fill(fd, ctx) writes, through the temporary file tmp
 * (in path's directory; NULL means path.tmp.<pid>; a file left there by a crash
 * is replaced), created with mode. Returns 0, or -1 with err naming the file and the failing
 * step; path is then the old file (or the new one, if only the directory fsync
 * failed) and tmp is gone. */
int ls_atomic_replace(const char *path, const char *tmp, mode_t mode, ls_atomic_fill_fn fill,
		      void *ctx, struct ls_error *err);

/* Replaces path with the len bytes at data, as ls_atomic_replace(path, NULL, ...)
 * does. */
int ls_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
		    struct ls_error *err);

/* Writes the string text to path as ls_atomic_write() does, with mode; an
 * existing file only when replace, else -1 with err saying to use --force.
 * Returns 0, or -1 with err. */
int ls_atomic_create(const char *path, const char *text, mode_t mode, bool replace,
		     struct ls_error *err);

/* Writes the string text to path as ls_atomic_write() does (mode 0644),
 * creating the last directory level if missing. Returns 0 or -1 with err. */
int ls_write_file_atomic(const char *path, const char *text, struct ls_error *err);

/* Reads all of path (at most max bytes) into *out, NUL-terminated, and its
 * length into *len; the caller frees *out. Returns 0, or -1 with err (may be
 * NULL) naming the file, errno saying why (ENOENT: there is no such file;
 * EFBIG: larger than max). */
int ls_read_file(const char *path, size_t max, char **out, size_t *len, struct ls_error *err);

/* Reads the whole file at path into a new NUL-terminated buffer (free with
 * free()), or NULL when it cannot be read or is larger than max_bytes. */
char *ls_read_small(const char *path, size_t max_bytes);

/* Writes all len bytes at buf to fd, going on after signals; returns 0, or -1
 * with errno set. */
int ls_write_all(int fd, const void *buf, size_t len);

#endif
