/*
 * db_sqlite.c: the SQLite engine: one file in WAL mode with synchronous =
 * NORMAL (a commit is durable once the WAL is checkpointed; a power cut loses
 * at most the last commits, never the file), foreign keys on, and a small
 * cache of prepared statements keyed by the statement's text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"

#define STMT_CACHE 64

struct sqlite_db {
	struct hub_db base;
	sqlite3 *h;
	struct {
		char *text; /* matched by text: a caller may build statements in one buffer */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
	int next;
};

static void sq_close(struct hub_db *db);
static int64_t sq_exec(struct hub_db *db, const char *sql, const struct hub_arg *args, int n,
		       hub_row_fn row, void *ctx, struct ls_error *err);
static int sq_script(struct hub_db *db, const char *sql, struct ls_error *err);

static const struct hub_db_ops sqlite_ops = {
    .name = "sqlite",
    .exec = sq_exec,
    .script = sq_script,
    .begin = "BEGIN IMMEDIATE",
    .id_column = "INTEGER PRIMARY KEY",
    .close = sq_close,
};

static int sq_error(struct sqlite_db *s, struct ls_error *err, const char *what)
{
	return ls_error_set(err, "sqlite: %s: %s", what, sqlite3_errmsg(s->h));
}

static int sq_script(struct hub_db *db, const char *sql, struct ls_error *err)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	char *msg = NULL;

	if (sqlite3_exec(s->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ls_error_set(err, "sqlite: %s", msg ? msg : sqlite3_errmsg(s->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

struct hub_db *hub_db_sqlite_open(const char *path, struct ls_error *err)
{
	struct sqlite_db *s = calloc(1, sizeof(*s));

	if (!s) {
		ls_error_set(err, "out of memory");
		return NULL;
	}
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		ls_error_set(
		    err,
		    "%s: cannot open the database: %s; check [hub] state_dir and its permissions",
		    path, s->h ? sqlite3_errmsg(s->h) : "out of memory");
		goto err_close;
	}
	sqlite3_busy_timeout(s->h, 5000);
	if (sq_script(&s->base,
		      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
		      "PRAGMA foreign_keys = ON;",
		      err)) {
		ls_error_prefix(err, "%s", path);
		goto err_close;
	}
	return &s->base;
err_close:
	sq_close(&s->base);
	return NULL;
}

static void sq_close(struct hub_db *db)
{
	struct sqlite_db *s = (struct sqlite_db *)db;

	for (int i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(s->cache[i].st);
		free(s->cache[i].text);
	}
	sqlite3_close(s->h);
	free(s);
}

static sqlite3_stmt *prepare(struct sqlite_db *s, const char *sql, struct ls_error *err)
{
	sqlite3_stmt *st;
	int slot;

	for (int i = 0; i < STMT_CACHE; i++)
		if (s->cache[i].st && !strcmp(s->cache[i].text, sql)) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	if (sqlite3_prepare_v2(s->h, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_error(s, err, "prepare");
		return NULL;
	}
	slot = s->next++ % STMT_CACHE;
	sqlite3_finalize(s->cache[slot].st);
	free(s->cache[slot].text);
	s->cache[slot].text = strdup(sql);
	s->cache[slot].st = s->cache[slot].text ? st : NULL;
	if (!s->cache[slot].text) {
		sqlite3_finalize(st);
		ls_error_set(err, "out of memory");
		return NULL;
	}
	return st;
}

static int bind(sqlite3_stmt *st, const struct hub_arg *args, int n)
{
	int r = SQLITE_OK;

	for (int i = 0; i < n && r == SQLITE_OK; i++) {
		switch (args[i].type) {
		case HUB_NULL:
			r = sqlite3_bind_null(st, i + 1);
			break;
		case HUB_INT:
			r = sqlite3_bind_int64(st, i + 1, args[i].i);
			break;
		case HUB_REAL:
			r = sqlite3_bind_double(st, i + 1, args[i].d);
			break;
		case HUB_TEXT:
			r = sqlite3_bind_text(st, i + 1, args[i].s, -1, SQLITE_TRANSIENT);
			break;
		}
	}
	return r;
}

#define MAX_COLS 64

static int64_t sq_exec(struct hub_db *db, const char *sql, const struct hub_arg *args, int n,
		       hub_row_fn row, void *ctx, struct ls_error *err)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3_stmt *st = prepare(s, sql, err);
	const char *vals[MAX_COLS];
	int64_t rows = 0;
	int r, cols;

	if (!st)
		return -1;
	if (bind(st, args, n) != SQLITE_OK)
		return sq_error(s, err, "bind");
	cols = sqlite3_column_count(st);
	cols = cols > MAX_COLS ? MAX_COLS : cols;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		if (!row)
			continue;
		for (int i = 0; i < cols; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (row(ctx, cols, vals))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		sq_error(s, err, "step");
		sqlite3_reset(st);
		return -1;
	}
	if (!cols)
		rows = sqlite3_changes64(s->h);
	sqlite3_reset(st);
	return rows;
}
