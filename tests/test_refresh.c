/*
 * The refresh thread: frames are swapped only between replays, every frame is
 * replayed the configured number of times in passes mode, stop blanks, and
 * missing realtime privileges are warnings.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"

#include "ledsign/refresh.h"
#include "ledsign/transport.h"

#define MARK (UINT32_C(1) << 31)
#define OPS 200

/* A fake transport that checks each replay is one whole frame. */
struct fake {
	long replays, torn, blocks, writes_in_replay;
	uint32_t frame_value, last_mask, last_values;
};

static int fake_set(void *impl, uint32_t mask, uint32_t values)
{
	struct fake *f = impl;

	if (mask == MARK) {
		if (f->replays && f->writes_in_replay != OPS)
			f->torn++;
		f->replays++;
		f->writes_in_replay = 0;
		f->frame_value = values & MARK ? 2 : 0;
		return 0;
	}
	if (f->writes_in_replay == 0)
		f->frame_value |= values & 1;
	else if ((values & 1) != (f->frame_value & 1))
		f->torn++;
	f->writes_in_replay++;
	f->last_mask = mask;
	f->last_values = values;
	return 0;
}

static int fake_hold(void *impl, uint32_t ns)
{
	(void)impl;
	(void)ns;
	return 0;
}

static void fake_begin(void *impl, const char *what, unsigned long n)
{
	(void)what;
	(void)n;
	((struct fake *)impl)->blocks++;
}

static void fake_close(void *impl)
{
	(void)impl;
}

static struct ls_transport *fake_transport(struct fake *f)
{
	static const struct ls_transport_ops ops = {
	    .set = fake_set, .hold = fake_hold, .begin = fake_begin, .close = fake_close};
	memset(f, 0, sizeof(*f));
	return ls_transport_wrap(&ops, f);
}

/* A frame whose data writes all carry the same value v. */
static void fill(struct ls_program *p, uint32_t v)
{
	ls_program_clear(p);
	ls_program_set(p, MARK, MARK);
	for (int i = 0; i < OPS; i++)
		ls_program_set(p, 1, v);
}

TEST(frames_are_swapped_only_between_replays)
{
	struct fake f;
	struct ls_transport *t = fake_transport(&f);
	struct ls_program *a = ls_program_new(OPS + 1, 0), *b = ls_program_new(OPS + 1, 0);
	struct ls_refresh_opts o = {.cpu = -1};
	struct ls_error err = {""};
	struct ls_refresh *r = ls_refresh_start(t, a, b, &o, &err);

	ASSERT_MSG(r, "%s", err.msg);
	for (int i = 0; i < 300; i++) {
		fill(ls_refresh_back(r), (uint32_t)i & 1);
		ls_refresh_swap(r);
	}
	fill(ls_refresh_back(r), 0); /* waits until frame 300 was taken */
	ASSERT_EQ_INT(ls_refresh_frames(r), 300);
	ls_refresh_stop(r, NULL);
	ASSERT(f.replays >= 300);
	ASSERT_EQ_INT(f.torn, 0);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
}

TEST(passes_mode_replays_every_frame_exactly_n_times)
{
	struct fake f;
	struct ls_transport *t = fake_transport(&f);
	struct ls_program *a = ls_program_new(OPS + 1, 0), *b = ls_program_new(OPS + 1, 0);
	struct ls_refresh_opts o = {.cpu = -1, .passes = 3};
	struct ls_error err = {""};
	struct ls_refresh *r = ls_refresh_start(t, a, b, &o, &err);

	ASSERT_MSG(r, "%s", err.msg);
	for (int i = 0; i < 7; i++) {
		fill(ls_refresh_back(r), (uint32_t)i & 1);
		ls_refresh_swap(r);
	}
	ls_refresh_stop(r, NULL);
	ASSERT_EQ_INT(f.blocks, 7);
	ASSERT_EQ_INT(f.replays, 21);
	ASSERT_EQ_INT(f.torn, 0);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
}

TEST(stop_replays_the_blank_program_last)
{
	struct fake f;
	struct ls_transport *t = fake_transport(&f);
	struct ls_program *a = ls_program_new(OPS + 1, 0), *b = ls_program_new(OPS + 1, 0);
	struct ls_program *blank = ls_program_new(1, 0);
	struct ls_refresh_opts o = {.cpu = -1};
	struct ls_error err = {""};
	struct ls_refresh *r = ls_refresh_start(t, a, b, &o, &err);

	ASSERT_MSG(r, "%s", err.msg);
	ls_program_set(blank, 0x1, 0x0);
	fill(ls_refresh_back(r), 1);
	ls_refresh_swap(r);
	ls_refresh_stop(r, blank);
	ASSERT_EQ_INT(f.last_mask, 1);
	ASSERT_EQ_INT(f.last_values, 0);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
	ls_program_free(blank);
}

TEST(refresh_rate_is_measured_while_running)
{
	struct fake f;
	struct ls_transport *t = fake_transport(&f);
	struct ls_program *a = ls_program_new(OPS + 1, 0), *b = ls_program_new(OPS + 1, 0);
	struct ls_refresh_opts o = {.cpu = -1};
	struct ls_error err = {""};
	struct ls_refresh *r = ls_refresh_start(t, a, b, &o, &err);
	struct timespec ts = {1, 300000000};

	ASSERT_MSG(r, "%s", err.msg);
	ASSERT(ls_refresh_hz(r) == 0);
	fill(ls_refresh_back(r), 1);
	ls_refresh_swap(r);
	nanosleep(&ts, NULL);
	ASSERT_MSG(ls_refresh_hz(r) > 1000, "%.0f Hz", ls_refresh_hz(r));
	ls_refresh_stop(r, NULL);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
}

TEST(unavailable_cpu_is_a_warning_not_an_error)
{
	struct fake f;
	struct ls_transport *t = fake_transport(&f);
	struct ls_program *a = ls_program_new(OPS + 1, 0), *b = ls_program_new(OPS + 1, 0);
	struct ls_refresh_opts o = {.cpu = 1000, .rt_priority = 10, .lock_memory = 1};
	struct ls_error err = {""};
	struct ls_refresh *r = ls_refresh_start(t, a, b, &o, &err);

	ASSERT_MSG(r, "%s", err.msg);
	ASSERT_CONTAINS(ls_refresh_warning(r), "cannot pin the refresh thread");
	ls_refresh_stop(r, NULL);
	ls_transport_close(t);
	ls_program_free(a);
	ls_program_free(b);
}
