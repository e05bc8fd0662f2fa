/*
 * db.c: the engine-neutral half of the storage layer: dispatch, helpers and
 * the schema as numbered migrations. A migration is never edited once
 * released; a change of schema is a new entry at the end of the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* "@ID" in a migration becomes the engine's auto-numbered primary key. */
static const char *const migrations[] = {
    /* 1: boards, heartbeats, daily totals, gaps, feeds, accounts, audit */
    "CREATE TABLE boards ("
    " id @ID,"
    " name TEXT NOT NULL UNIQUE,"
    " state TEXT NOT NULL," /* pending, active, refused */
    " token_hash TEXT NOT NULL,"
    " province TEXT NOT NULL DEFAULT '',"
    " district TEXT NOT NULL DEFAULT '',"
    " tags TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL,"
    " accepted_at BIGINT,"
    " address TEXT NOT NULL DEFAULT '',"
    " attempts BIGINT NOT NULL DEFAULT 0," /* heartbeats refused while pending */
    " last_seen BIGINT,"
    " last_seq BIGINT NOT NULL DEFAULT 0,"
    " last_to BIGINT NOT NULL DEFAULT 0,"
    " interval_s BIGINT NOT NULL DEFAULT 0,"
    " heartbeats BIGINT NOT NULL DEFAULT 0,"
    " missing_reports BIGINT NOT NULL DEFAULT 0,"
    " missing_s BIGINT NOT NULL DEFAULT 0,"
    " current_item TEXT,"
    " reason TEXT,"
    " problem TEXT NOT NULL DEFAULT '',"
    " status TEXT);"
    "CREATE TABLE heartbeats ("
    " board_id BIGINT NOT NULL REFERENCES boards(id),"
    " seq BIGINT NOT NULL,"
    " from_t BIGINT NOT NULL,"
    " to_t BIGINT NOT NULL,"
    " received_at BIGINT NOT NULL,"
    " body TEXT NOT NULL,"
    " PRIMARY KEY (board_id, seq, from_t));"
    "CREATE INDEX heartbeats_received ON heartbeats (received_at);"
    "CREATE TABLE daily ("
    " item TEXT NOT NULL,"
    " day INTEGER NOT NULL," /* yyyymmdd in [hub] timezone */
    " board_id BIGINT NOT NULL REFERENCES boards(id),"
    " plays BIGINT NOT NULL,"
    " ms BIGINT NOT NULL,"
    " PRIMARY KEY (item, day, board_id));"
    "CREATE INDEX daily_board ON daily (board_id, day);"
    "CREATE TABLE gaps ("
    " board_id BIGINT NOT NULL REFERENCES boards(id),"
    " from_seq BIGINT NOT NULL,"
    " to_seq BIGINT NOT NULL,"
    " from_t BIGINT NOT NULL,"
    " to_t BIGINT NOT NULL,"
    " found_at BIGINT NOT NULL);"
    "CREATE INDEX gaps_board ON gaps (board_id, found_at);"
    "CREATE TABLE feeds ("
    " board_id BIGINT NOT NULL REFERENCES boards(id),"
    " layer INTEGER NOT NULL,"
    " url TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " accepted_at BIGINT NOT NULL,"
    " failures BIGINT NOT NULL,"
    " error TEXT NOT NULL,"
    " PRIMARY KEY (board_id, layer));"
    "CREATE TABLE users ("
    " id @ID,"
    " name TEXT NOT NULL UNIQUE,"
    " pw_hash TEXT NOT NULL,"
    " role TEXT NOT NULL,"	       /* admin, editor, viewer */
    " scope TEXT NOT NULL DEFAULT ''," /* editor: layers/tags; viewer: provinces */
    " created_at BIGINT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    " id_hash TEXT PRIMARY KEY,"
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL);"
    "CREATE TABLE audit ("
    " id @ID,"
    " at BIGINT NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " address TEXT NOT NULL);"
    "CREATE INDEX audit_at ON audit (at);",
    /* 2: the studio's drafts: each editor's working copy of a layer (studio.c) */
    "CREATE TABLE drafts ("
    " layer TEXT NOT NULL,"
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " body TEXT NOT NULL,"
    " saved_at BIGINT NOT NULL,"
    " PRIMARY KEY (layer, user_id));",
    /* 3: every version of a layer the hub signed or was asked to (publish.c) */
    "CREATE TABLE versions ("
    " id @ID,"
    " layer TEXT NOT NULL,"
    " version BIGINT NOT NULL," /* 1, 2, ... per layer */
    " state TEXT NOT NULL,"	/* pending, published, rejected */
    " body TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " signature TEXT NOT NULL DEFAULT ''," /* the .minisig, once published */
    " signed_at BIGINT,"		   /* its trusted timestamp */
    " submitted_by TEXT NOT NULL,"
    " submitted_at BIGINT NOT NULL,"
    " published_by TEXT,"
    " published_at BIGINT,"
    " note TEXT NOT NULL DEFAULT ''," /* "rollback of 3", "urgent notice", a reason */
    " UNIQUE (layer, version));",
    /* 4: each board's panel as its heartbeats report it, "WxH" or "WxH:rgb" (heartbeat.c) */
    "ALTER TABLE boards ADD COLUMN panel TEXT NOT NULL DEFAULT '';",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

struct hub_db *hub_db_open(const char *url, const char *state_dir, struct ls_error *err)
{
	char path[4096];

	if (!url || !url[0]) {
		snprintf(path, sizeof(path), "%s/hub.db", state_dir);
		return hub_db_sqlite_open(path, err);
	}
	if (!strncmp(url, "sqlite:", 7))
		return hub_db_sqlite_open(url + 7, err);
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return hub_db_pg_open(url, err);
	ls_error_set(err,
		     "[database] url: '%s' is not a database; use sqlite:PATH or postgresql://...",
		     url);
	return NULL;
}

void hub_db_close(struct hub_db *db)
{
	if (db)
		db->ops->close(db);
}

const char *hub_db_engine(const struct hub_db *db)
{
	return db->ops->name;
}

int64_t hub_db_exec(struct hub_db *db, const char *sql, const struct hub_arg *args, int n,
		    hub_row_fn row, void *ctx, struct ls_error *err)
{
	return db->ops->exec(db, sql, args, n, row, ctx, err);
}

struct int_ctx {
	int64_t *out;
};

static int int_row(void *ctx, int n, const char *const *vals)
{
	struct int_ctx *c = ctx;

	if (n > 0 && vals[0])
		*c->out = strtoll(vals[0], NULL, 10);
	return 1;
}

int hub_db_int(struct hub_db *db, int64_t *out, int64_t dflt, const char *sql,
	       const struct hub_arg *args, int n, struct ls_error *err)
{
	struct int_ctx c = {out};

	*out = dflt;
	return hub_db_exec(db, sql, args, n, int_row, &c, err) < 0 ? -1 : 0;
}

int hub_db_begin(struct hub_db *db, struct ls_error *err)
{
	return hub_db_exec(db, db->ops->begin, NULL, 0, NULL, NULL, err) < 0 ? -1 : 0;
}

int hub_db_commit(struct hub_db *db, struct ls_error *err)
{
	return hub_db_exec(db, "COMMIT", NULL, 0, NULL, NULL, err) < 0 ? -1 : 0;
}

void hub_db_rollback(struct hub_db *db)
{
	hub_db_exec(db, "ROLLBACK", NULL, 0, NULL, NULL, NULL);
}

/* The migration's text with @ID replaced; malloc'd. */
static char *migration_sql(const struct hub_db *db, const char *text)
{
	size_t idlen = strlen(db->ops->id_column), n = 0;
	char *out = malloc(strlen(text) * 2 + 64 * idlen + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (!strncmp(p, "@ID", 3) && n < 64) {
			memcpy(o, db->ops->id_column, idlen);
			o += idlen;
			p += 2;
			n++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static int apply_one(struct hub_db *db, int version, struct ls_error *err)
{
	char *sql = migration_sql(db, migrations[version - 1]);
	int r;

	if (!sql)
		return ls_error_set(err, "out of memory");
	if (hub_db_begin(db, err)) {
		free(sql);
		return -1;
	}
	r = db->ops->script(db, sql, err);
	free(sql);
	if (!r && hub_db_exec(db, "UPDATE schema_version SET version = ?",
			      (struct hub_arg[]){HA_I(version)}, 1, NULL, NULL, err) < 0)
		r = -1;
	if (!r && hub_db_commit(db, err))
		r = -1;
	if (r) {
		hub_db_rollback(db);
		return ls_error_prefix(err, "schema migration %d", version);
	}
	return 0;
}

int hub_db_migrate(struct hub_db *db, struct ls_error *err)
{
	int64_t v;

	if (db->ops->script(
		db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err))
		return -1;
	if (hub_db_int(db, &v, -1, "SELECT version FROM schema_version", NULL, 0, err))
		return -1;
	if (v < 0) {
		if (hub_db_exec(db, "INSERT INTO schema_version (version) VALUES (0)", NULL, 0,
				NULL, NULL, err) < 0)
			return -1;
		v = 0;
	}
	if (v > N_MIGRATIONS)
		return ls_error_set(err,
				    "the database has schema version %lld, newer than this "
				    "ledsign-hub knows (%d); run the newer ledsign-hub",
				    (long long)v, N_MIGRATIONS);
	for (int i = (int)v + 1; i <= N_MIGRATIONS; i++)
		if (apply_one(db, i, err))
			return -1;
	return N_MIGRATIONS;
}
