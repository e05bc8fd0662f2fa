/*
 * Group commit of heartbeats (src/hub/batch.h): an answer is released only
 * once the commit that holds its heartbeat has returned; a batch commits when
 * full, when its delay is up, or before any other request; a heartbeat that
 * fails is undone alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/hub/batch.h"
#include "hub_fixture.h"

#define TOKEN "Zm9yLXRoZS10ZXN0LWJvYXJkLTE"

/* What each answer's commit said, and how many heartbeats another
 * connection to the database saw at that moment. */
struct answer {
	int calls;
	bool stored;
	int64_t visible;
};

static struct hub_db *other; /* a second connection: sees committed rows only */
static struct answer answers[HUB_BATCH_MAX * 2];

static void on_commit(void *ctx, bool stored)
{
	struct answer *a = ctx;

	a->calls++;
	a->stored = stored;
	hub_db_int(other, &a->visible, -1, "SELECT COUNT(*) FROM heartbeats", NULL, 0, NULL);
}

static void open_batched(struct hub *h, int delay_ms)
{
	struct ls_error err;
	const char *pg = getenv("LEDSIGN_HUB_PG_URL");

	fx_open(h);
	ASSERT_MSG(hub_board_accept(h, "bd-1", TOKEN, "Hà Nội", "Ba Đình", "", "t", &err) == 0,
		   "%s", err.msg);
	ASSERT_MSG(hub_batch_new(h, delay_ms, &err) == 0, "%s", err.msg);
	other = hub_db_open(pg ? pg : "", th_tmpdir(), &err);
	ASSERT_MSG(other, "%s", err.msg);
	memset(answers, 0, sizeof(answers));
}

static void close_batched(struct hub *h)
{
	hub_batch_free(h);
	hub_db_close(other);
	hub_close(h);
}

/* Posts heartbeat seq of bd-1; its answer's commit is recorded in answers[i]. */
static int post(struct hub *h, int seq, struct answer *a, bool *wait)
{
	char body[512];
	long to = 1796169000 + seq * 60;
	struct hub_request rq;
	struct hub_response rs;
	int st;

	snprintf(body, sizeof(body),
		 "{\"board\":\"bd-1\",\"time\":%ld,\"uptime_s\":600,\"current\":{\"id\":\"x\","
		 "\"seconds\":1,\"problem\":\"\"},\"reason\":\"scheduled\",\"seq\":%d,"
		 "\"from\":%ld,\"to\":%ld,\"items\":[{\"id\":\"x\",\"plays\":1,\"seconds\":1}],"
		 "\"feeds\":[]}",
		 to, seq, to - 60, to);
	rq = fx_req("POST", "/api/heartbeat", body);
	rq.authorization = "Bearer " TOKEN;
	rq.on_commit = on_commit;
	rq.commit_ctx = a;
	st = fx_do(h, &rq, &rs);
	*wait = rs.wait;
	free(rs.body);
	return st;
}

TEST(an_answer_waits_for_the_commit_and_another_request_commits_first)
{
	struct hub h;
	struct hub_response rs;
	bool wait;

	open_batched(&h, 60000);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ_INT(post(&h, i + 1, &answers[i], &wait), 200);
		ASSERT(wait);
	}
	ASSERT_EQ_INT(answers[0].calls + answers[1].calls + answers[2].calls, 0);
	struct hub_request me = fx_req("GET", "/api/me", NULL);
	fx_do(&h, &me, &rs); /* any other request commits the batch first */
	free(rs.body);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ_INT(answers[i].calls, 1);
		ASSERT(answers[i].stored);
		ASSERT_EQ_INT(answers[i].visible, 3); /* committed before it was answered */
	}
	close_batched(&h);
}

TEST(a_repeated_seq_in_an_open_batch_waits_for_it_too)
{
	struct hub h;
	bool wait;

	open_batched(&h, 60000);
	ASSERT_EQ_INT(post(&h, 1, &answers[0], &wait), 200);
	ASSERT_EQ_INT(post(&h, 1, &answers[1], &wait), 200); /* "duplicate" */
	ASSERT(wait);
	hub_batch_flush(&h);
	ASSERT_EQ_INT(answers[1].calls, 1);
	ASSERT_EQ_INT(answers[1].visible, 1);
	close_batched(&h);
}

TEST(a_full_batch_commits_at_once)
{
	struct hub h;
	bool wait;

	open_batched(&h, 60000);
	for (int i = 0; i < HUB_BATCH_MAX; i++)
		ASSERT_EQ_INT(post(&h, i + 1, &answers[i], &wait), 200);
	for (int i = 0; i < HUB_BATCH_MAX; i++) {
		ASSERT_EQ_INT(answers[i].calls, 1);
		ASSERT_EQ_INT(answers[i].visible, HUB_BATCH_MAX);
	}
	ASSERT_EQ_INT(post(&h, HUB_BATCH_MAX + 1, &answers[HUB_BATCH_MAX], &wait), 200);
	ASSERT_EQ_INT(answers[HUB_BATCH_MAX].calls, 0); /* the next batch */
	close_batched(&h);				/* commits it */
	ASSERT_EQ_INT(answers[HUB_BATCH_MAX].calls, 1);
	ASSERT(answers[HUB_BATCH_MAX].stored);
}

TEST(a_batch_commits_when_its_delay_is_up)
{
	struct hub h;
	bool wait;
	struct timespec nap = {0, 10 * 1000000L};

	open_batched(&h, 20);
	ASSERT_EQ_INT(post(&h, 1, &answers[0], &wait), 200);
	for (int i = 0; i < 300; i++) {
		pthread_mutex_lock(&h.lock);
		int calls = answers[0].calls;
		pthread_mutex_unlock(&h.lock);
		if (calls)
			break;
		nanosleep(&nap, NULL);
	}
	pthread_mutex_lock(&h.lock);
	ASSERT_EQ_INT(answers[0].calls, 1);
	ASSERT(answers[0].stored);
	ASSERT_EQ_INT(answers[0].visible, 1);
	pthread_mutex_unlock(&h.lock);
	close_batched(&h);
}

TEST(a_heartbeat_that_fails_is_undone_alone_and_answered_at_once)
{
	struct hub h;
	bool wait;

	if (getenv("LEDSIGN_HUB_PG_URL"))
		return; /* the failure is made with an SQLite trigger */
	open_batched(&h, 60000);
	ASSERT(
	    hub_db_exec(h.db,
			"CREATE TRIGGER no_two BEFORE INSERT ON daily WHEN "
			"(SELECT MAX(seq) FROM heartbeats) = 2 BEGIN SELECT RAISE(FAIL, 'test'); "
			"END",
			NULL, 0, NULL, NULL, NULL) >= 0);
	ASSERT_EQ_INT(post(&h, 1, &answers[0], &wait), 200);
	ASSERT_EQ_INT(post(&h, 2, &answers[1], &wait), 500);
	ASSERT(!wait);
	ASSERT_EQ_INT(answers[1].calls, 0);
	ASSERT(hub_db_exec(h.db, "DROP TRIGGER no_two", NULL, 0, NULL, NULL, NULL) >= 0);
	ASSERT_EQ_INT(post(&h, 3, &answers[2], &wait), 200);
	hub_batch_flush(&h);
	ASSERT(answers[0].stored && answers[2].stored);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 2);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats WHERE seq = 2"), 0);
	ASSERT_EQ_INT(fx_int(&h, "SELECT SUM(plays) FROM daily"), 2);
	close_batched(&h);
}

TEST(without_a_batch_each_heartbeat_is_committed_before_its_answer)
{
	struct hub h;
	struct ls_error err;
	bool wait;

	fx_open(&h);
	ASSERT_MSG(hub_board_accept(&h, "bd-1", TOKEN, "Hà Nội", "Ba Đình", "", "t", &err) == 0,
		   "%s", err.msg);
	memset(answers, 0, sizeof(answers));
	ASSERT_EQ_INT(post(&h, 1, &answers[0], &wait), 200);
	ASSERT(!wait);
	ASSERT_EQ_INT(answers[0].calls, 0);
	ASSERT_EQ_INT(fx_int(&h, "SELECT COUNT(*) FROM heartbeats"), 1);
	hub_close(&h);
}
