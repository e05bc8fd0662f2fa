/*
 * The storage interface, on SQLite (and on PostgreSQL when
 * LEDSIGN_HUB_PG_URL names a server: tests/e2e_hub_pg.sh): numbered
 * migrations applied once, parameters of every type, NULLs, transactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_fixture.h"

struct rows {
	int n;
	char first[3][256];
	bool null[3];
};

static int collect(void *ctx, int n, const char *const *v)
{
	struct rows *r = ctx;

	for (int i = 0; i < n && i < 3; i++) {
		r->null[i] = !v[i];
		snprintf(r->first[i], sizeof(r->first[i]), "%s", v[i] ? v[i] : "");
	}
	r->n++;
	return 0;
}

TEST(migrations_are_applied_once_and_the_version_kept)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT_EQ_INT(fx_int(&h, "SELECT version FROM schema_version"), 4);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM schema_version"), 1);
	ASSERT_MSG(hub_db_migrate(h.db, &err) == 4, "%s",
		   err.msg); /* a second start: nothing to do */
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM boards"), 0);
	hub_close(&h);
}

TEST(a_database_newer_than_the_program_is_refused)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT(hub_db_exec(h.db, "UPDATE schema_version SET version = 99", NULL, 0, NULL, NULL,
			   NULL) == 1);
	ASSERT(hub_db_migrate(h.db, &err) == -1);
	ASSERT_CONTAINS(err.msg, "schema version 99, newer than this ledsign-hub knows (4)");
	ASSERT(hub_db_exec(h.db, "UPDATE schema_version SET version = 4", NULL, 0, NULL, NULL,
			   NULL) == 1);
	hub_close(&h);
}

TEST(parameters_of_every_type_round_trip)
{
	struct hub h;
	struct rows r = {0};
	const char *text = "Bảo hiểm xã hội 'quoted' \"double\" ? $1 -- not a comment";

	fx_open(&h);
	ASSERT(hub_db_exec(h.db,
			   "INSERT INTO audit (at, actor, action, target, detail, address) VALUES "
			   "(?, ?, ?, ?, ?, ?)",
			   (struct hub_arg[]){HA_I(INT64_C(9007199254740993)), HA_S(text),
					      HA_S("a"), HA_S(""), HA_S("d"), HA_S("x")},
			   6, NULL, NULL, NULL) == 1);
	ASSERT(hub_db_exec(h.db,
			   "SELECT at, actor, NULL FROM audit WHERE actor = ? AND action <> '?'",
			   (struct hub_arg[]){HA_S(text)}, 1, collect, &r, NULL) == 1);
	ASSERT_EQ_STR(r.first[0], "9007199254740993");
	ASSERT_EQ_STR(r.first[1], text);
	ASSERT(r.null[2]);
	hub_close(&h);
}

TEST(a_null_parameter_is_sql_null)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT_MSG(hub_board_accept(&h, "b", "a-token-of-16-chars", NULL, NULL, NULL, "t", &err) ==
		       0,
		   "%s", err.msg);
	ASSERT(hub_db_exec(h.db, "UPDATE boards SET current_item = ? WHERE name = 'b'",
			   (struct hub_arg[]){HA_S(NULL)}, 1, NULL, NULL, NULL) == 1);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM boards WHERE current_item IS NULL"), 1);
	hub_close(&h);
}

TEST(a_rolled_back_transaction_leaves_nothing)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT(hub_db_begin(h.db, &err) == 0);
	ASSERT(hub_db_exec(h.db,
			   "INSERT INTO audit (at, actor, action, target, detail, address) VALUES "
			   "(1, '', 'x', '', '', '')",
			   NULL, 0, NULL, NULL, NULL) == 1);
	hub_db_rollback(h.db);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM audit WHERE action = 'x'"), 0);
	hub_close(&h);
}

TEST(an_sql_error_is_reported_with_the_engine)
{
	struct hub h;
	struct ls_error err;

	fx_open(&h);
	ASSERT(hub_db_exec(h.db, "SELECT nope FROM boards", NULL, 0, NULL, NULL, &err) == -1);
	ASSERT_CONTAINS(err.msg, hub_db_engine(h.db));
	ASSERT_CONTAINS(err.msg, "nope");
	hub_close(&h);
}

TEST(an_unusable_database_url_is_refused)
{
	struct ls_error err;

	ASSERT(hub_db_open("mysql://x", "/tmp", &err) == NULL);
	ASSERT_CONTAINS(err.msg, "use sqlite:PATH or postgresql://");
	ASSERT(hub_db_open("sqlite:/nonexistent/dir/hub.db", "/tmp", &err) == NULL);
	ASSERT_CONTAINS(err.msg, "/nonexistent/dir/hub.db: cannot open the database");
}

TEST(the_engine_is_the_one_asked_for)
{
	struct hub h;

	fx_open(&h);
	ASSERT_EQ_STR(hub_db_engine(h.db), getenv("LEDSIGN_HUB_PG_URL") ? "postgresql" : "sqlite");
	hub_close(&h);
}
