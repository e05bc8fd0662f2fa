/*
 * inicheck.c: one INI checker for every configuration file (ledsign.conf,
 * hub.conf): inih splits the text, a table of keys decides, and the first
 * mistake is kept with its line, because one clear message is worth more than
 * a cascade.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "ledsign/inicheck.h"
#include "ledsign/tz.h"

struct parse_state {
	const struct ls_ini_schema *schema;
	void *cfg;
	struct ls_ini_seen *seen;
	struct ls_error *err;
	bool failed;
	const char *pos, *end;
	int lineno; /* of the line read last */
	bool line_too_long;
};

/* The entry of the list of sections that `section` is written as, or NULL;
 * *word gets the length of its word (the keys' section). */
static const char *find_section(const struct ls_ini_schema *s, const char *section, size_t *word)
{
	for (size_t i = 0; i < s->n_sections; i++) {
		const char *entry = s->sections[i], *space = strchr(entry, ' ');
		size_t n = space ? (size_t)(space - entry) : strlen(entry);

		*word = n;
		if (!space && !strcmp(section, entry))
			return entry;
		if (space && !strncmp(section, entry, n) && section[n] == ' ' &&
		    section[n + 1 + strspn(section + n + 1, " ")])
			return entry;
	}
	return NULL;
}

static void list_sections(const struct ls_ini_schema *s, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n_sections && used < n; i++)
		used +=
		    (size_t)snprintf(buf + used, n - used, "%s[%s]", i ? ", " : "", s->sections[i]);
}

static bool key_in(const struct ls_ini_key *k, const char *word, size_t n)
{
	return strlen(k->section) == n && !strncmp(k->section, word, n);
}

static void list_keys(const struct ls_ini_schema *s, const char *word, size_t wn, char *buf,
		      size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n_keys && used < n; i++)
		if (key_in(&s->keys[i], word, wn) && !(s->keys[i].flags & LS_INI_ALIAS))
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
						 s->keys[i].name);
}

static int set_str(char *dst, size_t size, const struct ls_ini_key *k, const char *value,
		   struct ls_error *err)
{
	if (strlen(value) >= size)
		return ls_error_set(err, "[%s] %s: value is %zu characters; the limit is %zu",
				    k->section, k->name, strlen(value), size - 1);
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int set_repeated(char *base, const struct ls_ini_key *k, const char *value,
			struct ls_error *err)
{
	int *count = (int *)(base + k->count_off);

	if (*count >= k->max_count)
		return ls_error_set(err, "[%s] %s: at most %d are allowed", k->section, k->name,
				    k->max_count);
	if (set_str(base + k->off + (size_t)*count * k->size, k->size, k, value, err))
		return -1;
	(*count)++;
	return 0;
}

static int set_number(void *dst, const struct ls_ini_key *k, const char *value,
		      struct ls_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || *end || errno || v < k->min || v > k->max)
		return ls_error_set(err, "[%s] %s: '%s' is not valid; %s", k->section, k->name,
				    value, k->hint);
	if (k->kind == LS_INI_INT)
		*(int *)dst = (int)v;
	else
		*(long *)dst = v;
	return 0;
}

static int set_bool(int *dst, const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
		*dst = 1;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
		*dst = 0;
	else
		return ls_error_set(err, "[%s] %s: '%s' is not valid; %s", k->section, k->name,
				    value, k->hint);
	return 0;
}

static int apply_key(void *target, const struct ls_ini_key *k, const char *value,
		     struct ls_error *err)
{
	char *base = target;

	switch (k->kind) {
	case LS_INI_STR:
		if (k->count_off)
			return set_repeated(base, k, value, err);
		return set_str(base + k->off, k->size, k, value, err);
	case LS_INI_INT:
	case LS_INI_LONG:
		return set_number(base + k->off, k, value, err);
	case LS_INI_BOOL:
		return set_bool((int *)(base + k->off), k, value, err);
	case LS_INI_CUSTOM:
		return k->set(target, k, value, err);
	}
	return -1;
}

static const struct ls_ini_key *find_key(const struct ls_ini_schema *s, const char *word, size_t wn,
					 const char *name)
{
	for (size_t i = 0; i < s->n_keys; i++)
		if (key_in(&s->keys[i], word, wn) && !strcmp(s->keys[i].name, name))
			return &s->keys[i];
	return NULL;
}

/* The key an alias stands for: the nearest entry before it that is none. */
static const struct ls_ini_key *canonical(const struct ls_ini_schema *s, const struct ls_ini_key *k)
{
	while (k && k > s->keys && (k->flags & LS_INI_ALIAS))
		k--;
	return k;
}

/* Records where a key was written; a key that is not repeatable and was
 * given before in the same section is refused (the last would win silently). */
static int note_key(struct parse_state *st, const char *section, const char *name,
		    const struct ls_ini_key *k)
{
	struct ls_ini_seen *seen = st->seen;
	const char *key = k ? canonical(st->schema, k)->name : name;
	int nth = 0;

	for (int i = 0; i < seen->n; i++) {
		const struct ls_ini_where *w = &seen->at[i];
		if (strcmp(w->section, section) || strcmp(w->key, key))
			continue;
		if (!k || !k->count_off)
			return ls_error_set(st->err,
					    "[%s] %s: given twice (first on line %d); keep one",
					    section, name, w->line);
		nth++;
	}
	if (seen->n == seen->max || strlen(section) >= sizeof(seen->at[0].section) ||
	    strlen(key) >= sizeof(seen->at[0].key))
		return ls_error_set(st->err, "[%s] %s: too many keys; a config has at most %d",
				    section, name, seen->max);
	struct ls_ini_where *w = &seen->at[seen->n++];
	snprintf(w->section, sizeof(w->section), "%s", section);
	snprintf(w->key, sizeof(w->key), "%s", key);
	w->nth = nth;
	w->line = st->lineno;
	return 0;
}

static int check_value(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (!*value && !(k->flags & LS_INI_EMPTY_OK))
		return ls_error_set(err,
				    "[%s] %s: empty; write %s, or remove the line for the default",
				    k->section, k->name, k->hint);
	return k->check ? k->check(k, value, err) : 0;
}

static int table_key(struct parse_state *st, const struct ls_ini_key *k, const char *section,
		     const char *name, const char *value)
{
	struct ls_ini_key as_written = *k; /* messages name [layer hanoi], not [layer] */
	void *target = st->cfg;

	as_written.section = section;
	if (check_value(&as_written, value, st->err) || note_key(st, section, name, k))
		return -1;
	if (st->schema->target && !(target = st->schema->target(st->cfg, section, st->err)))
		return -1;
	return apply_key(target, &as_written, value, st->err);
}

static int unknown_key(struct parse_state *st, const char *section, const char *word, size_t wn,
		       const char *name)
{
	const char *other = st->schema->other_keys ? st->schema->other_keys(section) : NULL;
	char list[512];

	if (other)
		snprintf(list, sizeof(list), "%s", other);
	else
		list_keys(st->schema, word, wn, list, sizeof(list));
	return ls_error_set(st->err, "[%s] %s: unknown key; valid keys in [%s] are: %s", section,
			    name, section, list);
}

static int handle_key(struct parse_state *st, const char *section, const char *name,
		      const char *value)
{
	const struct ls_ini_schema *s = st->schema;
	const struct ls_ini_key *k;
	char list[512];
	size_t wn;
	int r;

	if (!find_section(s, section, &wn)) {
		list_sections(s, list, sizeof(list));
		return ls_error_set(st->err, "[%s]: unknown section; valid sections are %s",
				    section, list);
	}
	if (s->other && (r = s->other(st->cfg, section, name, value, st->err)) != 0)
		return r < 0 ? -1 : note_key(st, section, name, NULL);
	if ((k = find_key(s, section, wn, name)))
		return table_key(st, k, section, name, value);
	return unknown_key(st, section, section, wn, name);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	char list[512];

	if (st->failed)
		return 1;
	if (!*section) {
		list_sections(st->schema, list, sizeof(list));
		ls_error_set(st->err, "%s: key outside any section; put it under one of %s", name,
			     list);
		st->failed = true;
		return 0;
	}
	if (handle_key(st, section, name, value) < 0) {
		st->failed = true;
		return 0;
	}
	return 1;
}

/* inih reader over a memory buffer that refuses lines longer than inih's limit
 * instead of letting them be split silently. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	const char *nl;
	size_t n;

	if (st->pos >= st->end)
		return NULL;
	nl = memchr(st->pos, '\n', (size_t)(st->end - st->pos));
	n = nl ? (size_t)(nl - st->pos) + 1 : (size_t)(st->end - st->pos);
	if (n > (size_t)num - 1) {
		st->line_too_long = true;
		return NULL;
	}
	memcpy(str, st->pos, n);
	str[n] = '\0';
	st->pos += n;
	st->lineno++;
	return str;
}

int ls_ini_parse(const struct ls_ini_schema *schema, void *cfg, struct ls_ini_seen *seen,
		 const char *path, const char *buf, size_t len, struct ls_error *err)
{
	struct parse_state st = {
	    .schema = schema, .cfg = cfg, .seen = seen, .err = err, .pos = buf, .end = buf + len};
	int line;

	if (len > LS_INI_MAX_BYTES)
		return ls_error_set(err, "%s: %zu bytes; a config is at most %d bytes", path, len,
				    LS_INI_MAX_BYTES);
	if (memchr(buf, '\0', len))
		return ls_error_set(err, "%s: contains a NUL byte; is this a text file?", path);
	seen->n = 0;
	line = ini_parse_stream(read_line, &st, on_key, &st);
	if (st.line_too_long)
		return ls_error_set(err, "%s:%d: line longer than 199 characters; shorten it", path,
				    st.lineno + 1);
	if (line > 0) {
		if (!st.failed)
			ls_error_set(
			    err, "syntax error; expected [section], key = value, or a ; comment");
		return ls_error_prefix(err, "%s:%d", path, line);
	}
	if (line < 0)
		return ls_error_set(err, "%s: could not be parsed", path);
	return 0;
}

int ls_ini_line(const struct ls_ini_seen *seen, const char *section, const char *key, int nth)
{
	for (int i = 0; i < seen->n; i++)
		if (!strcmp(seen->at[i].section, section) && !strcmp(seen->at[i].key, key) &&
		    seen->at[i].nth == nth)
			return seen->at[i].line;
	return 0;
}

int ls_ini_check_zone(const struct ls_ini_key *k, const char *value, struct ls_error *err)
{
	if (!ls_tz_name_valid(value))
		return ls_error_set(err, "[%s] %s: '%s' is not a time zone name; %s", k->section,
				    k->name, value, k->hint);
	return 0;
}
