/*
 * Refresh: the thread that keeps a multiplexed panel lit by replaying the
 * current encoded frame (a program, see transport.h) through a transport.
 *
 * Frames are double-buffered: the renderer encodes into the back program
 * (ls_refresh_back()) and publishes it with ls_refresh_swap(); the thread
 * takes it only between two replays, so a refresh never mixes two frames.
 * The hot loop takes no locks and allocates nothing.
 *
 * With passes > 0 (the record transport) the thread replays each published
 * frame exactly `passes` times and then waits for the next one, and every
 * published frame is replayed, so a trace depends only on the frames and the
 * config, never on timing.
 */
#ifndef LEDSIGN_REFRESH_H
#define LEDSIGN_REFRESH_H

#include "ledsign/error.h"
#include "ledsign/transport.h"

struct ls_refresh_opts {
	int rt_priority; /* SCHED_FIFO priority 1..99; 0 = normal scheduling */
	int cpu;	 /* CPU to pin the thread to; -1 = any */
	int passes;	 /* 0 = replay continuously; N = replay each frame N times */
	int lock_memory; /* lock the programs and the thread's stack before starting */
};

struct ls_refresh;

/* Starts the thread on t with the two (caller-owned, equally sized) programs;
 * nothing is shown until the first swap. Failing to get SCHED_FIFO, the CPU or
 * locked memory is not fatal: see ls_refresh_warning(). NULL with err when the
 * thread cannot start. Stop with ls_refresh_stop(). */
struct ls_refresh *ls_refresh_start(struct ls_transport *t, struct ls_program *a,
				    struct ls_program *b, const struct ls_refresh_opts *opts,
				    struct ls_error *err);

/* The program the renderer may encode into now; waits (briefly) while the
 * previously published one has not been taken by the thread yet. */
struct ls_program *ls_refresh_back(struct ls_refresh *r);

/* Publishes the back program; the thread shows it from its next replay on. */
void ls_refresh_swap(struct ls_refresh *r);

/* Replays per second measured over the last second or so; 0 before that. */
double ls_refresh_hz(const struct ls_refresh *r);

/* Turns of the thread's loop so far (replays and idle waits): advances while
 * the thread is alive, so the service's watchdog notices a hung refresh. */
unsigned long ls_refresh_beats(const struct ls_refresh *r);

/* Frames (published programs) the thread has taken so far. */
unsigned long ls_refresh_frames(const struct ls_refresh *r);

/* What could not be set up (realtime priority, CPU, memory lock), or "". */
const char *ls_refresh_warning(const struct ls_refresh *r);

/* Stops the thread at a frame boundary (in passes mode after the last published
 * frame is replayed), replays blank once (OE off) and frees r. The transport is
 * left open for the caller to release. NULL r is accepted. */
void ls_refresh_stop(struct ls_refresh *r, const struct ls_program *blank);

#endif
