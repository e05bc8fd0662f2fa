/*
 * ledsign.conf: the service's INI configuration.
 *
 * Sections: [board] (who this board is), [panel] and [pins] (the hardware,
 * see panel.h), [output] (where frames go), [feed] (where playlists come from),
 * [display] (fonts, colours, hours). Unknown keys and bad values are errors
 * that name the file, the line, the key and what to write instead.
 */
#ifndef LEDSIGN_CONFIG_H
#define LEDSIGN_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "ledsign/canvas.h"
#include "ledsign/error.h"
#include "ledsign/inicheck.h"
#include "ledsign/panel.h"
#include "ledsign/sign.h"

#define LS_CONFIG_MAX_BYTES LS_INI_MAX_BYTES
#define LS_MAX_FEEDS 8
#define LS_MAX_GLOBAL_KEYS 4 /* [feed] pubkey lines without a layer name */
#define LS_LAYER_KEYS 2	     /* keys one layer trusts: the old and the new during a rotation */
#define LS_MAX_PUBKEYS (LS_MAX_GLOBAL_KEYS + LS_MAX_FEEDS * LS_LAYER_KEYS)
#define LS_LAYER_NAME_MAX 32 /* a layer's name and its NUL (letters, digits, . - _) */
#define LS_MAX_FONTS 4
#define LS_MAX_TAGS 16
#define LS_TAG_MAX 64
#define LS_URL_MAX 1024

enum ls_output_type {
	LS_OUTPUT_TERM,	  /* ANSI drawing of the LED grid, for SSH sessions */
	LS_OUTPUT_PNG,	  /* frames written to a directory */
	LS_OUTPUT_RECORD, /* panel driver writing a GPIO trace file */
	LS_OUTPUT_GPIOD,  /* panel driver on libgpiod lines */
	LS_OUTPUT_SPI,	  /* HUB12 panel driver with data on spidev */
	LS_OUTPUT_MMAP,	  /* panel driver on a Raspberry Pi's GPIO registers (/dev/gpiomem) */
	LS_OUTPUT_NONE,	  /* discard frames (tests, benchmarks) */
};

struct ls_board_config {
	char name[128];
	char tags[LS_MAX_TAGS][LS_TAG_MAX];
	int n_tags;
	char timezone[64];
};

/* ls_output_config_equal() compares every field: a new one goes there too. */
struct ls_output_config {
	enum ls_output_type type;
	char path[PATH_MAX]; /* png: directory; record: trace file */
	int fps;	     /* frames rendered per second */
	char chip[64];	     /* GPIO chip: path, name or label */
	char spi_device[64];
	int spi_speed_hz;
	char record_as[8]; /* record: the transport whose timing is traced: gpiod, spi or mmap */
	int rt_priority;   /* SCHED_FIFO priority of the refresh thread; 0 = normal */
	int cpu;	   /* CPU the refresh thread is pinned to; -1 = any */
};

/* ls_feed_config_equal() compares every field: a new one goes there too. */
struct ls_feed_config {
	char urls[LS_MAX_FEEDS][LS_URL_MAX]; /* in layer order: national, province, office */
	char layers[LS_MAX_FEEDS][LS_LAYER_NAME_MAX]; /* "url = NAME URL": NAME, else "" */
	int n_urls;
	int poll_s;
	char pubkeys[LS_MAX_PUBKEYS][128];		       /* minisign public keys (base64) */
	char pubkey_layers[LS_MAX_PUBKEYS][LS_LAYER_NAME_MAX]; /* "pubkey = NAME KEY": the layer
								  it is for; "" = global */
	int n_pubkeys;
	char cache_dir[PATH_MAX];
	char state_dir[PATH_MAX];
	char ca_file[PATH_MAX];
	char token[256];
	long max_bytes;
	int connect_timeout_s;
	int timeout_s;
	char report_token[256]; /* bearer token for report_url (the hub's per-board token); "" =
				   token */
	char report_url[LS_URL_MAX];
	int report_interval_s;
	char status_file[PATH_MAX]; /* JSON status, rewritten periodically and on SIGUSR1 */
	char push_url[LS_URL_MAX];  /* nchan EventSource subscriber URL; "" = poll only */
};

struct ls_display_config {
	char fonts[LS_MAX_FONTS][PATH_MAX]; /* fallback chain, first wins */
	int n_fonts;
	struct ls_rgb colour;	     /* default text colour */
	struct ls_rgb background;    /* default background */
	int speed;		     /* default scroll speed, px/s */
	char hours[256];	     /* on/off times, e.g. "mon-fri 07:00-17:30, sat 07:30-11:30" */
	char brightness[256];	     /* brightness schedule, e.g. "07:00 100, 18:00 30" */
	char light_sensor[PATH_MAX]; /* "": none; "auto" or an IIO device directory */
	char light_curve[256];	     /* "LUX PERCENT" points; "": LS_LIGHT_CURVE_DEFAULT */
	int light_smoothing_s;	     /* time constant of the smoothing */
	int light_hysteresis;	     /* percent points the brightness must move by */
};

/* Where each key was written (ledsign/inicheck.h); "color" is noted as "colour". */
#define LS_CONFIG_MAX_WHERE 160

struct ls_config {
	char path[PATH_MAX];
	struct ls_board_config board;
	struct ls_panel_config panel;
	struct ls_output_config output;
	struct ls_feed_config feed;
	struct ls_display_config display;
	struct ls_ini_where where[LS_CONFIG_MAX_WHERE]; /* the keys the file gave */
	int n_where;
};

/* Who signs each layer. "pubkey = NAME KEY" is trusted by the layer whose
 * url line is "url = NAME URL" alone (at most LS_LAYER_KEYS per layer); a
 * global "pubkey = KEY" by every layer with no key of its own. The parser
 * refuses a key for a layer no url names, the same key twice, and (once any
 * key is given) a layer that would trust none. */

/* The public keys layer (0-based) trusts, into keys (LS_MAX_PUBKEYS); returns
 * how many (0: the layer plays unsigned files), or -1 with err naming the
 * pubkey line that does not parse. */
int ls_config_layer_keys(const struct ls_config *cfg, int layer, struct ls_pubkey *keys,
			 struct ls_error *err);

/* A layer's name for messages: "national" for a named layer, else "2" (its
 * place, from 1), into out (LS_LAYER_NAME_MAX bytes). */
const char *ls_config_layer_name(const struct ls_config *cfg, int layer,
				 char out[LS_LAYER_NAME_MAX]);

/* Whether two [output] sections say the same, key by key (strings by value). */
bool ls_output_config_equal(const struct ls_output_config *a, const struct ls_output_config *b);

/* Whether two [feed] sections say the same, key by key (strings by value):
 * what a reload compares to decide whether the feeds start afresh. */
bool ls_feed_config_equal(const struct ls_feed_config *a, const struct ls_feed_config *b);

/* Fills cfg with the built-in defaults (a 192x16 red P10 board in the terminal). */
void ls_config_defaults(struct ls_config *cfg);

/* Parses the INI text in buf (len bytes, named path in messages) over the values
 * already in cfg; returns 0, or -1 with "path:line: ..." in err. Pure: no I/O. */
int ls_config_parse(struct ls_config *cfg, const char *path, const char *buf, size_t len,
		    struct ls_error *err);

/* Reads the file at path and parses it over cfg's defaults; returns 0 or -1 with err. */
int ls_config_load(struct ls_config *cfg, const char *path, struct ls_error *err);

/* When no [display] font is configured, adds the default chain for the
 * board's line height: the project's fonts (from the source tree or the
 * installed data directory), then GNU Unifont; only files that exist. */
void ls_config_default_fonts(struct ls_config *cfg);

/* Fills cfg for the board a tool's --board names: a config file path, a
 * size WxH[:mono|rgb] (e.g. 192x16, 64x32:rgb; ls_config_of_size()), or,
 * when spec is NULL, the defaults with the default fonts. Returns 0 or -1
 * with err. */
int ls_config_board(struct ls_config *cfg, const char *spec, struct ls_error *err);

/* Replaces b's tags with a tool's comma-separated --tags list (empty names
 * skipped); returns 0, or -1 with err when there are too many tags or one is
 * too long. */
int ls_board_set_tags(struct ls_board_config *b, const char *list, struct ls_error *err);

/* Fills cfg for a board known only by its size (`--board 192x16`, the
 * studio's boards): the defaults, one module of w x h LEDs, HUB75 when rgb
 * (else HUB12, single-colour), and the default fonts. */
void ls_config_of_size(struct ls_config *cfg, int w, int h, bool rgb);

/* When no [feed] url is configured, uses the bundled national playlist
 * (installed copy, or content/ in the source tree) as a file:// URL. */
void ls_config_default_feed(struct ls_config *cfg);

/* The line of the nth occurrence (from 0) of [section] key in cfg's file, or
 * 0 when the file did not give it. */
int ls_config_line(const struct ls_config *cfg, const char *section, const char *key, int nth);

/* Prefixes err, whose message starts "[section] key: " or "[section] key N: "
 * (N counting from 1), with "file:line" of that key, or of the section's first
 * key when the file did not give it, or with "file" alone; returns -1. */
int ls_config_locate(const struct ls_config *cfg, struct ls_error *err);

/* Called with each warning of ls_config_check() (a true but survivable
 * problem, e.g. a feed over plain http://), already located. */
typedef void (*ls_config_warn_fn)(void *user, const char *msg);

#define LS_CHECK_HARDWARE 1u /* also find the GPIO chip and its lines (not request them) */

/* Every check the service runs on cfg before it shows a frame, beyond the
 * syntax ls_config_parse() checks: the time zone exists on this system, the
 * fonts open, the panel and its pins make sense for the output, the feeds
 * can be made, the files and directories named exist as what they should be,
 * and with LS_CHECK_HARDWARE the GPIO chip has the configured lines.
 * `ledsignd -n`, the service's start-up and `ledsign doctor` all call it, so
 * they refuse the same files. Returns 0, or -1 with "file:line: ..." in err;
 * warn (may be NULL) gets the warnings. */
int ls_config_check(const struct ls_config *cfg, unsigned flags, ls_config_warn_fn warn, void *user,
		    struct ls_error *err);

/* The config a running service takes on reload (SIGHUP): path loaded into
 * next and checked as ls_config_check() (without the hardware: the lines are
 * in use), keeping running's [panel], [pins] and [output], which describe
 * the wiring and change only on a restart; *rewired says whether the file
 * changes them. Returns 0, or -1 with err (next is then not to be used). */
int ls_config_reload(struct ls_config *next, const char *path, const struct ls_config *running,
		     ls_config_warn_fn warn, void *user, bool *rewired, struct ls_error *err);

/* The timing the panel encoder works to for cfg's output: SPI at spi_speed
 * for type = spi and for record with record_as = spi, else GPIO writes of
 * LS_MMAP_WRITE_NS for type = mmap and record_as = mmap, LS_PANEL_WRITE_NS
 * otherwise. */
struct ls_panel_timing ls_config_panel_timing(const struct ls_config *cfg);

/* The refresh rate of a panel board, from the nominal timing the encoder
 * places its edges by (LS_PANEL_WRITE_NS a GPIO write, 8 bits per SPI clock
 * period), at the configured brightness. */
#define LS_REFRESH_MIN_HZ 120.0 /* below this people see flicker, cameras bands */
struct ls_refresh_estimate {
	double hz;	      /* full refreshes per second */
	unsigned write_ns;    /* the cost of one write it assumes */
	unsigned spi_hz;      /* SPI clock, 0 when data goes over GPIO */
	size_t writes, bytes; /* GPIO writes and SPI bytes per refresh */
	char advice[320];     /* under LS_REFRESH_MIN_HZ: what to change, with the rate it gives */
};

/* Whether cfg's panel can be driven through the GPIO registers here (type =
 * mmap; mode as for ls_gpiomem_usable()); 0, or -1 with err (may be NULL)
 * saying why. */
int ls_config_mmap_usable(const struct ls_config *cfg, int mode, struct ls_error *err);

/* Estimates the refresh rate of cfg's panel on its output (type = mmap where
 * the registers cannot be used: at the timing of gpiod, which it falls back
 * to); returns 0 with e, 1 when the output drives no panel (term, png, none),
 * -1 with err when the panel cannot be built. */
int ls_config_refresh(const struct ls_config *cfg, struct ls_refresh_estimate *e,
		      struct ls_error *err);

/* One line for people: "141 Hz nominal (a refresh is 6160 GPIO writes at 1150 ns each)". */
void ls_refresh_describe(const struct ls_refresh_estimate *e, char *out, size_t n);

/* Name of an output type as written in the config ("term", "png", ...). */
const char *ls_output_type_name(enum ls_output_type type);

#endif
