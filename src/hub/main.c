/*
 * ledsign-hub: the fleet's central service (deploy/HUB.md, ledsign-hub(8)).
 *
 *   ledsign-hub [-c FILE] [-d] [-v]          serve
 *   ledsign-hub [-c FILE] -n                 check the configuration and the database, exit
 *   ledsign-hub [-c FILE] user add NAME --role admin|editor|approver|viewer
 *                         [--scope LIST] [--replace]
 *   ledsign-hub [-c FILE] board add NAME TOKEN [--province P] [--district D] [--tags T]
 *   ledsign-hub [-c FILE] board accept|refuse NAME [--province P] [--district D] [--tags T]
 *   ledsign-hub [-c FILE] board import FILE     NAME<TAB>TOKEN<TAB>PROVINCE<TAB>DISTRICT<TAB>TAGS
 *   ledsign-hub [-c FILE] board list
 *   ledsign-hub [-c FILE] prune              drop raw heartbeats past [hub] retention_days
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "ledsign/i18n.h"
#include "auth.h"
#include "batch.h"
#include "http.h"
#include "hub.h"
#include "ledsign/log.h"

#define DEFAULT_CONF "/etc/ledsign/hub.conf"

static volatile sig_atomic_t stop, reload;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

/* The usage on f; exits 0 when it was asked for (-h, --help), 2 after a mistake. */
__attribute__((noreturn)) static void usage(FILE *f)
{
	fprintf(
	    f,
	    _("usage: ledsign-hub [-c FILE] [-d] [-n] [-v]\n"
	      "       ledsign-hub [-c FILE] user add NAME --role admin|editor|approver|viewer\n"
	      "                         [--scope LIST] [--replace]\n"
	      "       ledsign-hub [-c FILE] board add NAME TOKEN [--province P] [--district D] "
	      "[--tags T]\n"
	      "       ledsign-hub [-c FILE] board accept|refuse NAME [--province P] [--district "
	      "D] [--tags T]\n"
	      "       ledsign-hub [-c FILE] board import FILE (NAME TOKEN PROVINCE DISTRICT "
	      "TAGS, tab-separated)\n"
	      "       ledsign-hub [-c FILE] board list\n"
	      "       ledsign-hub [-c FILE] prune\n"
	      "  -c FILE   the hub's configuration (default %s)\n"
	      "  -n        check the configuration and the database, and exit\n"
	      "  -d        stay in the foreground (the hub always does; it logs to stderr)\n"
	      "  -v        log debug messages\n"
	      "  user add      adds an account; its password is read from standard input\n"
	      "  board ...     enrols boards (add, accept), refuses one, imports a list, lists "
	      "them\n"
	      "  prune         deletes raw heartbeats older than [hub] retention_days\n"
	      "Without a command, serves the fleet's pages and API (deploy/HUB.md).\n"),
	    DEFAULT_CONF);
	exit(f == stdout ? 0 : 2);
}

static int prune(struct hub *h, struct ls_error *err)
{
	int64_t n;

	pthread_mutex_lock(&h->lock);
	hub_batch_flush(h);
	n = hub_prune(h, err);
	pthread_mutex_unlock(&h->lock);
	if (n > 0)
		log_info("pruned %lld raw heartbeats older than %d days", (long long)n,
			 h->cfg.hub.retention_days);
	return n < 0 ? -1 : 0;
}

struct opts {
	const char *province, *district, *tags, *role, *scope;
	bool replace;
};

static void sub_options(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {{"province", required_argument, NULL, 'p'},
					      {"district", required_argument, NULL, 'D'},
					      {"tags", required_argument, NULL, 't'},
					      {"role", required_argument, NULL, 'r'},
					      {"scope", required_argument, NULL, 's'},
					      {"replace", no_argument, NULL, 'R'},
					      {NULL, 0, NULL, 0}};
	int ch;

	optind = 0; /* 0: GNU getopt starts afresh (the first parse stopped at the command) */
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'p':
			o->province = optarg;
			break;
		case 'D':
			o->district = optarg;
			break;
		case 't':
			o->tags = optarg;
			break;
		case 'r':
			o->role = optarg;
			break;
		case 's':
			o->scope = optarg;
			break;
		case 'R':
			o->replace = true;
			break;
		default:
			usage(stderr);
		}
	}
}

/* The password: the first line of standard input (a prompt on a terminal). */
static void read_password(char *buf, size_t n)
{
	if (isatty(0))
		fputs(_("password (shown as typed; at least 10 characters): "), stderr);
	if (!fgets(buf, (int)n, stdin))
		fatalx("no password on standard input");
	buf[strcspn(buf, "\r\n")] = '\0';
}

static int cmd_user(struct hub *h, int argc, char **argv)
{
	struct opts o = {.scope = ""};
	struct ls_error err;
	char pw[300];

	sub_options(argc, argv, &o);
	if (argc - optind != 2 || strcmp(argv[optind], "add") || !o.role)
		usage(stderr);
	read_password(pw, sizeof(pw));
	if (hub_user_add(h, argv[optind + 1], pw, o.role, o.scope, o.replace, &err))
		fatalx("user add: %s", err.msg);
	sodium_memzero(pw, sizeof(pw));
	printf(_("user %s (%s) ready\n"), argv[optind + 1], o.role);
	return 0;
}

/* s and the spaces that make it width characters wide (a province such as
 * "Hà Nội" is more bytes than letters), then one more. */
static void column(const char *s, int width)
{
	int chars = 0;

	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	printf("%s%*s", s, (width > chars ? width - chars : 0) + 1, "");
}

static int list_row(void *ctx, int n, const char *const *v)
{
	(void)ctx;
	if (n < 6)
		return 0;
	column(v[0], 24);
	column(v[1], 10);
	column(v[2], 20);
	column(v[3], 20);
	printf("%.8s %s\n", v[4], v[5] ? v[5] : "-");
	return 0;
}

/* board import FILE: one board a line, NAME<TAB>TOKEN<TAB>PROVINCE<TAB>DISTRICT<TAB>TAGS
 * (the last three may be empty), all in one transaction: a fleet from a
 * spreadsheet. A bad line stops the import with its number; nothing is added. */
static int cmd_import(struct hub *h, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[2048], *field[5];
	struct ls_error err;
	int n = 0, ln = 0;

	if (!f)
		fatalx("board import: %s: %s", path, strerror(errno));
	if (hub_db_begin(h->db, &err))
		fatalx("board import: %s", err.msg);
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int k = 0;

		ln++;
		if (!strchr(line, '\n') && !feof(f)) {
			hub_db_rollback(h->db);
			fatalx("board import: %s:%d: longer than %zu bytes; nothing imported", path,
			       ln, sizeof(line) - 2);
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		for (; k < 5 && p; k++) {
			field[k] = strsep(&p, "\t");
		}
		for (; k < 5; k++)
			field[k] = "";
		if (hub_board_accept(h, field[0], field[1], field[2], field[3], field[4],
				     "(command line)", &err)) {
			hub_db_rollback(h->db);
			fatalx("board import: %s:%d: %s; nothing imported", path, ln, err.msg);
		}
		n++;
	}
	if (f != stdin)
		fclose(f);
	if (hub_db_commit(h->db, &err))
		fatalx("board import: %s", err.msg);
	printf(ngettext("%d board enrolled from %s\n", "%d boards enrolled from %s\n",
			(unsigned long)n),
	       n, path);
	return 0;
}

static int cmd_board(struct hub *h, int argc, char **argv)
{
	struct opts o = {0};
	struct ls_error err;
	const char *verb;
	int rest;

	sub_options(argc, argv, &o);
	rest = argc - optind;
	if (rest < 1)
		usage(stderr);
	verb = argv[optind];
	if (!strcmp(verb, "list") && rest == 1) {
		column(_("NAME"), 24);
		column(_("STATE"), 10);
		column(_("PROVINCE"), 20);
		column(_("DISTRICT"), 20);
		column(_("TOKEN"), 8);
		printf("%s\n", _("LAST SEEN"));
		return hub_db_exec(h->db,
				   "SELECT name, state, province, district, token_hash, last_seen "
				   "FROM boards ORDER BY name",
				   NULL, 0, list_row, NULL, &err) < 0
			   ? (fatalx("board list: %s", err.msg), 1)
			   : 0;
	}
	if (!strcmp(verb, "import") && rest == 2)
		return cmd_import(h, argv[optind + 1]);
	if (!strcmp(verb, "refuse") && rest == 2) {
		if (hub_db_exec(h->db, "UPDATE boards SET state = 'refused' WHERE name = ?",
				(struct hub_arg[]){HA_S(argv[optind + 1])}, 1, NULL, NULL,
				&err) <= 0)
			fatalx("board refuse: no board '%s'", argv[optind + 1]);
		hub_audit(h, "(command line)", "board.refuse", argv[optind + 1], "", "");
		return 0;
	}
	if ((!strcmp(verb, "add") && rest == 3) || (!strcmp(verb, "accept") && rest == 2)) {
		if (hub_board_accept(h, argv[optind + 1], rest == 3 ? argv[optind + 2] : NULL,
				     o.province, o.district, o.tags, "(command line)", &err))
			fatalx("board %s: %s", verb, err.msg);
		printf(_("board %s is enrolled\n"), argv[optind + 1]);
		return 0;
	}
	usage(stderr);
}

static int serve(struct hub *h)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct ls_error err;
	struct hub_http *s;
	time_t last_prune = 0;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (hub_batch_new(h, HUB_BATCH_DELAY_MS, &err) || !(s = hub_http_start(h, &err)))
		fatalx("%s", err.msg);
	log_info("ledsign-hub %s: listening on %s, database %s, state in %s", LS_VERSION,
		 h->cfg.http.listen, hub_db_engine(h->db), h->cfg.hub.state_dir);
	while (!stop) {
		if (time(NULL) - last_prune >= 3600) {
			if (prune(h, &err))
				log_warnx("prune: %s", err.msg);
			last_prune = time(NULL);
		}
		if (reload) {
			reload = 0;
			log_info("SIGHUP: restart the service to apply a changed configuration");
		}
		sleep(1);
	}
	log_info("stopping");
	hub_batch_free(h); /* answers every heartbeat still waiting for its commit */
	hub_http_stop(s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *conf = DEFAULT_CONF;
	bool check = false, verbose = false;
	struct hub_config cfg;
	struct ls_error err;
	struct hub h;
	int ch, r = 0;

	ls_i18n_init();
	if (argc > 1 && !strcmp(argv[1], "--help"))
		usage(stdout);
	while ((ch = getopt(argc, argv, "+c:dnvh")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'd':
			break; /* the hub always runs in the foreground, logging to stderr */
		case 'n':
			check = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
		default:
			usage(stderr);
		}
	}
	log_init(verbose);
	if (sodium_init() < 0)
		fatalx("libsodium could not start");
	if (hub_config_load(&cfg, conf, &err))
		fatalx("%s", err.msg);
	if (hub_open(&h, &cfg, &err))
		fatalx("%s", err.msg);
	argc -= optind;
	argv += optind;
	if (check)
		printf(_("%s: configuration OK; database %s at schema version ready\n"), conf,
		       hub_db_engine(h.db));
	else if (argc >= 1 && !strcmp(argv[0], "user"))
		r = cmd_user(&h, argc, argv);
	else if (argc >= 1 && !strcmp(argv[0], "board"))
		r = cmd_board(&h, argc, argv);
	else if (argc == 1 && !strcmp(argv[0], "prune"))
		r = prune(&h, &err) ? (log_warnx("prune: %s", err.msg), 1) : 0;
	else if (argc)
		usage(stderr);
	else
		r = serve(&h);
	hub_close(&h);
	return r;
}
