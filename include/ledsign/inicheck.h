/*
 * The INI checker under ledsign.conf and hub.conf: inih reads the text, one
 * table of keys says what each may hold, and every mistake comes back as
 * "file:line: [section] key: what is wrong; what to write", so the list of
 * valid sections and keys in a message is always the table's.
 *
 * A section is a word ("feed") or a word and a name ("layer NAME" in the
 * list of sections matches [layer national], [layer hanoi], ...); a key's
 * section is the word. A key given twice in one section is refused unless it
 * is repeatable. Pure: the text is handed in, nothing is read or written.
 */
#ifndef LEDSIGN_INICHECK_H
#define LEDSIGN_INICHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ledsign/error.h"

#define LS_INI_MAX_BYTES (64 * 1024)
#define LS_INI_MAX_LINE 199 /* characters; inih's own limit, refused rather than split */

enum ls_ini_kind {
	LS_INI_STR,    /* a string of at most size - 1 bytes */
	LS_INI_INT,    /* an int in min..max */
	LS_INI_LONG,   /* a long in min..max */
	LS_INI_BOOL,   /* an int 1 or 0: yes/true/1 or no/false/0 */
	LS_INI_CUSTOM, /* the key's set() stores it */
};

#define LS_INI_EMPTY_OK 1u /* an empty value is meaningful ("off"); else it is refused */
#define LS_INI_ALIAS 2u	   /* another name of the key before it: not listed, noted as it */

struct ls_ini_key;

/* A check beyond the kind's (a zone name, a URL's scheme): 0, or -1 with err. */
typedef int (*ls_ini_check_fn)(const struct ls_ini_key *k, const char *value, struct ls_error *err);
/* Stores value for an LS_INI_CUSTOM key into target: 0, or -1 with err. */
typedef int (*ls_ini_set_fn)(void *target, const struct ls_ini_key *k, const char *value,
			     struct ls_error *err);

struct ls_ini_key {
	const char *section, *name; /* section: the word, without a section's name */
	enum ls_ini_kind kind;
	size_t off, size; /* of the value in the target; a repeatable key: of one element */
	long min, max;	  /* LS_INI_INT, LS_INI_LONG */
	const char *hint; /* what to write, ending each message about the key */
	size_t count_off; /* a repeatable LS_INI_STR: offset of its int count, else 0 */
	int max_count;
	unsigned flags; /* LS_INI_EMPTY_OK, LS_INI_ALIAS */
	ls_ini_check_fn check;
	ls_ini_set_fn set;
};

struct ls_ini_schema {
	const char *const *sections; /* "http", or "layer NAME" for named sections */
	size_t n_sections;
	const struct ls_ini_key *keys;
	size_t n_keys;
	/* Keys another module owns (the panel's): returns 1 when it took the
	 * key, 0 when the key is not its own, -1 with err. May be NULL. */
	int (*other)(void *cfg, const char *section, const char *name, const char *value,
		     struct ls_error *err);
	/* The valid keys of a section that other() owns, for the message about
	 * an unknown key; NULL for a section of the table. May be NULL. */
	const char *(*other_keys)(const char *section);
	/* Where the offsets of the keys of the section written as `section`
	 * count from (a layer's struct, made on first use); NULL with err when
	 * there is no room. NULL: cfg itself, for every section. */
	void *(*target)(void *cfg, const char *section, struct ls_error *err);
};

/* Where a key was written: the nth occurrence (from 0) of key in the
 * section written as `section` is on line `line`. An alias is noted under
 * the name of the key it stands for. */
struct ls_ini_where {
	char section[64];
	char key[32];
	int nth, line;
};

/* The keys a file gave, in order: the caller owns the array of max. */
struct ls_ini_seen {
	struct ls_ini_where *at;
	int max, n;
};

/* Parses the len bytes at buf (named path in messages) into cfg against
 * schema, over the values already there, noting each key in seen (which
 * starts empty). Returns 0, or -1 with "path:line: ..." in err. */
int ls_ini_parse(const struct ls_ini_schema *schema, void *cfg, struct ls_ini_seen *seen,
		 const char *path, const char *buf, size_t len, struct ls_error *err);

/* The line of the nth occurrence (from 0) of [section] key in seen, or 0. */
int ls_ini_line(const struct ls_ini_seen *seen, const char *section, const char *key, int nth);

/* A check for a key holding an IANA zone name (ls_tz_name_valid()). */
int ls_ini_check_zone(const struct ls_ini_key *k, const char *value, struct ls_error *err);

#endif
