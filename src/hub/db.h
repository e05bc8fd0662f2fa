/*
 * The hub's storage: one small interface over SQLite and PostgreSQL, so every
 * query is written once. Statements use '?' placeholders (turned into $1, $2
 * for PostgreSQL) and the SQL both engines share (ON CONFLICT upserts,
 * RETURNING); values come back as text, NULL as a NULL pointer.
 *
 * The schema is a list of numbered migrations (db.c), applied in order at
 * start inside transactions; the version reached is kept in schema_version.
 * A connection is used by one thread at a time.
 */
#ifndef LEDSIGN_HUB_DB_H
#define LEDSIGN_HUB_DB_H

#include <stdint.h>

#include "ledsign/error.h"

struct hub_db;

enum hub_arg_type { HUB_NULL, HUB_INT, HUB_REAL, HUB_TEXT };

/* One statement parameter. */
struct hub_arg {
	enum hub_arg_type type;
	int64_t i;
	double d;
	const char *s;
};

#define HA_I(v) ((struct hub_arg){.type = HUB_INT, .i = (int64_t)(v)})
#define HA_D(v) ((struct hub_arg){.type = HUB_REAL, .d = (v)})
#define HA_S(v) hub_arg_text(v)
#define HA_NULL ((struct hub_arg){.type = HUB_NULL})

/* A text parameter; NULL is SQL NULL. */
static inline struct hub_arg hub_arg_text(const char *s)
{
	return (struct hub_arg){.type = s ? HUB_TEXT : HUB_NULL, .s = s};
}

/* Called for each result row with its n column values (NULL for SQL NULL);
 * returning non-zero stops the rows. */
typedef int (*hub_row_fn)(void *ctx, int n, const char *const *vals);

/* Opens the database url names: "" is SQLite in state_dir/hub.db,
 * "sqlite:PATH" that file, "postgresql://..." a PostgreSQL server through
 * libpq. SQLite runs in WAL mode. Migrations are not applied (hub_db_migrate).
 * Returns NULL with err. Close with hub_db_close(). */
struct hub_db *hub_db_open(const char *url, const char *state_dir, struct ls_error *err);

/* Closes; accepts NULL. */
void hub_db_close(struct hub_db *db);

/* "sqlite" or "postgresql". */
const char *hub_db_engine(const struct hub_db *db);

/* Applies every migration above the stored version. Returns the version
 * reached, or -1 with err (the failing migration rolled back). */
int hub_db_migrate(struct hub_db *db, struct ls_error *err);

/* Runs one statement with n args, handing each result row to row (may be
 * NULL). Returns the rows changed (or returned), or -1 with err. */
int64_t hub_db_exec(struct hub_db *db, const char *sql, const struct hub_arg *args, int n,
		    hub_row_fn row, void *ctx, struct ls_error *err);

/* The first column of the first row as an integer (dflt when no row or
 * NULL), or -1 with err on failure: for counts and ids. */
int hub_db_int(struct hub_db *db, int64_t *out, int64_t dflt, const char *sql,
	       const struct hub_arg *args, int n, struct ls_error *err);

/* Transactions: BEGIN (IMMEDIATE on SQLite), COMMIT, ROLLBACK. */
int hub_db_begin(struct hub_db *db, struct ls_error *err);
int hub_db_commit(struct hub_db *db, struct ls_error *err);
void hub_db_rollback(struct hub_db *db);

/* ---- engines (db_sqlite.c, db_pg.c): what hub_db_open() dispatches to ---- */

struct hub_db_ops {
	const char *name;
	int64_t (*exec)(struct hub_db *db, const char *sql, const struct hub_arg *args, int n,
			hub_row_fn row, void *ctx, struct ls_error *err);
	int (*script)(struct hub_db *db, const char *sql, struct ls_error *err);
	const char *begin;
	const char *id_column; /* DDL of an auto-numbered primary key */
	void (*close)(struct hub_db *db);
};

struct hub_db {
	const struct hub_db_ops *ops;
};

struct hub_db *hub_db_sqlite_open(const char *path, struct ls_error *err);
struct hub_db *hub_db_pg_open(const char *url, struct ls_error *err);

#endif
