/*
 * The board's health checks: what `ledsign doctor` runs on site, as a table
 * of checks in the library, so every program that wants a board's verdict
 * (the tool, the service, the hub) asks the same code. Each check hands back
 * structured results (which check, its verdict, one whole sentence saying
 * what was found and, for a failure or a warning, one saying what to do),
 * already in the reader's language (through ls_tr(): English without a
 * translator). The configuration check is ls_config_check(), the one of
 * `ledsignd -n`, which also runs the directory checks ("cache", "state") and
 * reports what they find as warnings.
 */
#ifndef LEDSIGN_DOCTOR_H
#define LEDSIGN_DOCTOR_H

#include <stddef.h>

#include "ledsign/error.h"

enum ls_doctor_status {
	LS_DOCTOR_OK,	/* checked and fine */
	LS_DOCTOR_SKIP, /* does not apply to this board's config */
	LS_DOCTOR_WARN, /* works, but should change */
	LS_DOCTOR_FAIL, /* broken: fix says what to do */
};

/* One finding; a check may report several (one per feed, per font). */
struct ls_doctor_result {
	const char *id; /* the check: "config", "gpio", "lines" ... (never translated) */
	enum ls_doctor_status status;
	char msg[LS_ERROR_MAX]; /* what was found: a whole sentence */
	char fix[LS_ERROR_MAX]; /* what to do: set on every FAIL, on some WARN, else "" */
};

/* Called with each result as it is found; r is valid during the call only. */
typedef void (*ls_doctor_report_fn)(void *user, const struct ls_doctor_result *r);

/* What is checked: the config file (its defaults when it is missing or
 * refused) and the service user whose access to devices and directories
 * counts. */
struct ls_doctor_target {
	const char *config_path;
	const char *user;
	/* NULL: every check; else the ids of the checks to run, NULL-terminated
	 * (the config is read either way, and reported only when "config" is one) */
	const char *const *only;
};

/* Runs every check in table order (ls_doctor_check_id()), reporting each
 * result to report; returns how many results were failures (-1 when memory
 * is short, before any check). Looks at the
 * machine (GPIO chip, devices, fonts, feeds over the network, the cache, the
 * clock, the status file, systemd units); changes nothing. */
int ls_doctor_run(const struct ls_doctor_target *t, ls_doctor_report_fn report, void *user);

/* The checks `ledsignd -n` runs, of what the service would warn of in its
 * first seconds: the cache and state directories, for the user this process
 * runs as (the one the unit runs -n as). Returns ls_doctor_run()'s count. */
int ls_doctor_run_service_dirs(const char *config_path, ls_doctor_report_fn report, void *user);

/* The id of check i in run order, or NULL past the last. */
const char *ls_doctor_check_id(size_t i);

#endif
