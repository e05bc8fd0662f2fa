/*
 * playlist.c: playlist format v1 from JSON (cJSON) into struct ls_playlist.
 *
 * The document is untrusted: its size and nesting depth are checked before
 * cJSON sees it, every string is checked as UTF-8, every number against its
 * range, and the first problem is reported with the JSON path and a fix.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "ledsign/playlist.h"
#include "ledsign/tz.h"
#include "ledsign/utf8.h"

/* Errors found so far: the first is kept for the caller's err; with a
 * callback, parsing goes on to the next item and each is reported. */
struct errs {
	ls_playlist_warn_fn fn; /* NULL: stop at the first error */
	void *ctx;
	int n;
	struct ls_error first;
};

struct ctx {
	const char *name;
	struct ls_error *err; /* scratch for the error being built */
	struct errs *errs;
	ls_playlist_warn_fn warn; /* NULL: unknown keys pass silently */
	void *warn_ctx;
	const char *buf; /* the document, to put line:col on warnings */
	size_t len;
};

static const char *const effect_names[] = {
    [LS_EFFECT_SCROLL_LEFT] = "scroll-left",
    [LS_EFFECT_SCROLL_UP] = "scroll-up",
    [LS_EFFECT_STATIC] = "static",
    [LS_EFFECT_BLINK] = "blink",
    [LS_EFFECT_SLIDE_IN] = "slide-in",
    [LS_EFFECT_TYPEWRITER] = "typewriter",
    [LS_EFFECT_SCROLL_RIGHT] = "scroll-right",
    [LS_EFFECT_SCROLL_DOWN] = "scroll-down",
    [LS_EFFECT_SCROLL_LOOP] = "scroll-loop",
    [LS_EFFECT_WIPE_FROM_LEFT] = "wipe-from-left",
    [LS_EFFECT_WIPE_FROM_RIGHT] = "wipe-from-right",
    [LS_EFFECT_WIPE_FROM_TOP] = "wipe-from-top",
    [LS_EFFECT_WIPE_FROM_BOTTOM] = "wipe-from-bottom",
    [LS_EFFECT_COVER_FROM_LEFT] = "cover-from-left",
    [LS_EFFECT_COVER_FROM_RIGHT] = "cover-from-right",
    [LS_EFFECT_COVER_FROM_TOP] = "cover-from-top",
    [LS_EFFECT_COVER_FROM_BOTTOM] = "cover-from-bottom",
};

const char *ls_effect_name(enum ls_effect e)
{
	return effect_names[e];
}

/* Line and column (1-based) of byte offset off in buf. */
static void line_col(const char *buf, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* Rejects documents nested deeper than the limit before the recursive parser runs. */
static int check_depth(const char *buf, size_t len, const struct ctx *c)
{
	int depth = 0, line, col;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			if (++depth > LS_PLAYLIST_MAX_DEPTH) {
				line_col(buf, i, &line, &col);
				return ls_error_set(c->err,
						    "%s:%d:%d: nested deeper than %d levels; a "
						    "playlist needs at most 4",
						    c->name, line, col, LS_PLAYLIST_MAX_DEPTH);
			}
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return 0;
}

static int hex4(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < 4; i++) {
		char h = i < n ? s[i] : 0;
		int d = h >= '0' && h <= '9'			 ? h - '0'
			: (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10
								 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

/* What is wrong with the escape at s (after the backslash), or NULL: a NUL
 * would cut the text where it stands, and half a surrogate pair is no
 * character (the JSON parser would only call it a syntax error). *skip gets
 * the bytes after the backslash that the escape takes (a pair takes 11). */
static const char *bad_escape(const char *s, size_t n, size_t *skip)
{
	unsigned v, w;

	*skip = 1;
	if (n < 5 || s[0] != 'u' || hex4(s + 1, n - 1, &v))
		return NULL; /* not a \u escape, or one the parser reports */
	*skip = 5;
	if (v == 0)
		return "\\u0000 is a NUL character, which would cut the text here; remove it";
	if (v >= 0xDC00 && v <= 0xDFFF)
		return "this \\u escape is the second half of a UTF-16 surrogate pair with no "
		       "first half; write the character itself (the file is UTF-8)";
	if (v < 0xD800 || v > 0xDBFF)
		return NULL;
	if (n < 11 || s[5] != '\\' || s[6] != 'u' || hex4(s + 7, n - 7, &w) || w < 0xDC00 ||
	    w > 0xDFFF)
		return "this \\u escape is the first half of a UTF-16 surrogate pair with no "
		       "second half; write the character itself (the file is UTF-8)";
	*skip = 11;
	return NULL;
}

/* Whether a valid UTF-8 sequence starts at buf[*i]; when it does, *i moves
 * to its last byte. */
static bool utf8_at(const char *buf, size_t len, size_t *i)
{
	uint32_t cp;
	size_t k = ls_utf8_decode(buf + *i, len - *i, &cp);

	if (cp == LS_REPLACEMENT_CHAR && !(k == 3 && !memcmp(buf + *i, "\xEF\xBF\xBD", 3)))
		return false;
	*i += k - 1;
	return true;
}

/* Refuses, with the line and column, what would change the text without the
 * JSON parser saying so: a NUL byte or \u0000 (the text would end there), a
 * lone surrogate escape, and bytes that are not UTF-8 (the whole playlist is
 * refused, not shown with U+FFFD: the board keeps its last good playlist). */
static int check_text_bytes(const char *buf, size_t len, const struct ctx *c)
{
	bool in_str = false;
	int line, col;

	for (size_t i = 0; i < len; i++) {
		const char *why = NULL;
		size_t skip;
		if (buf[i] == '\0')
			why = "a NUL byte, which would cut the text here; remove it";
		else if (in_str && buf[i] == '\\' && i + 1 < len)
			why = bad_escape(buf + i + 1, len - i - 1, &skip), i += why ? 0 : skip;
		else if (buf[i] == '"')
			in_str = !in_str;
		else if ((unsigned char)buf[i] >= 0x80 && !utf8_at(buf, len, &i))
			why = "this byte is not UTF-8; save the file as UTF-8 (not TCVN3, VNI or "
			      "Windows-1258)";
		if (why) {
			line_col(buf, i, &line, &col);
			if ((unsigned char)buf[i] >= 0x80)
				return ls_error_set(c->err, "%s:%d:%d: byte 0x%02X: %s", c->name,
						    line, col, (unsigned char)buf[i], why);
			return ls_error_set(c->err, "%s:%d:%d: %s", c->name, line, col, why);
		}
	}
	return 0;
}

static void add_position(const char *buf, size_t len, const char *name, struct ls_error *err);
static size_t skip_ws(const char *b, size_t n, size_t i);

/* Records the error just set in c->err (with its position): returns true
 * when parsing goes on to report more, false when it stops here. */
static bool go_on(const struct ctx *c)
{
	struct errs *e = c->errs;

	add_position(c->buf, c->len, c->name, c->err);
	if (!e->n++)
		e->first = *c->err;
	if (!e->fn)
		return false;
	if (e->n <= LS_PLAYLIST_MAX_ERRORS)
		e->fn(e->ctx, c->err->msg);
	return true;
}

/* Characters (code points) of valid UTF-8 s: the unit of every length
 * limit, as in JSON Schema's maxLength. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int get_string(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		      size_t max, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[128];
	size_t bad, n;

	if (!v)
		return 0;
	snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", key);
	if (!cJSON_IsString(v))
		return ls_error_set(c->err, "%s: %s: must be a string in double quotes", c->name,
				    p);
	n = strlen(v->valuestring);
	if (!ls_utf8_valid(v->valuestring, n, &bad))
		return ls_error_set(c->err,
				    "%s: %s: invalid UTF-8 at byte %zu; save the file as UTF-8 "
				    "(not TCVN3/VNI)",
				    c->name, p, bad);
	if (n > max && chars(v->valuestring) > max)
		return ls_error_set(c->err, "%s: %s: is longer than %zu characters; shorten it",
				    c->name, p, max);
	free(*out); /* a value inherited from "defaults" */
	*out = strdup(v->valuestring);
	if (!*out)
		return ls_error_set(c->err, "out of memory");
	return 0;
}

/* The unit of a number key; each has its whole messages (range_msg). */
enum unit { U_PX, U_PX_S, U_SECONDS, U_PASSES, U_PRIORITY, U_WEIGHT, U_VERSION, U_FPS };

/* For each unit: a number out of range, and a value that is not a number. */
static const char *const range_msg[][2] = {
    [U_PX] = {LS_N_("%s: %s: the number is not valid; use %g..%g px"),
	      LS_N_("%s: %s: the value is not valid; use %g..%g px")},
    [U_PX_S] = {LS_N_("%s: %s: the number is not valid; use %g..%g px/s"),
		LS_N_("%s: %s: the value is not valid; use %g..%g px/s")},
    [U_SECONDS] = {LS_N_("%s: %s: the number is not valid; use %g..%g seconds"),
		   LS_N_("%s: %s: the value is not valid; use %g..%g seconds")},
    [U_PASSES] = {LS_N_("%s: %s: the number is not valid; use %g..%g passes"),
		  LS_N_("%s: %s: the value is not valid; use %g..%g passes")},
    [U_PRIORITY] = {LS_N_("%s: %s: the number is not valid; use %g..%g (higher wins)"),
		    LS_N_("%s: %s: the value is not valid; use %g..%g (higher wins)")},
    [U_WEIGHT] = {LS_N_("%s: %s: the number is not valid; use %g..%g (share of airtime)"),
		  LS_N_("%s: %s: the value is not valid; use %g..%g (share of airtime)")},
    [U_FPS] = {LS_N_("%s: %s: the number is not valid; use %g..%g frames per second"),
	       LS_N_("%s: %s: the value is not valid; use %g..%g frames per second")},
    [U_VERSION] = {LS_N_("%s: %s: the number is not valid; use %g..%g (this board reads "
			 "format 1)"),
		   LS_N_("%s: %s: the value is not valid; use %g..%g (this board reads "
			 "format 1)")},
};

static int get_number(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		      double min, double max, enum unit unit, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[128];

	if (!v)
		return 0;
	snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", key);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > max)
		return ls_error_set(c->err, range_msg[unit][!cJSON_IsNumber(v)], c->name, p, min,
				    max);
	*out = v->valuedouble;
	return 0;
}

static int get_int(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		   int min, int max, enum unit unit, int *out)
{
	double d = *out;

	if (get_number(c, obj, key, path, min, max, unit, &d))
		return -1;
	if (d != floor(d))
		return ls_error_set(c->err, "%s: %s.%s: %g is not a whole number", c->name, path,
				    key, d);
	*out = (int)d;
	return 0;
}

static int get_bool(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		    bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return ls_error_set(c->err, "%s: %s.%s: use true or false (no quotes)", c->name,
				    path, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

/* The playlist form of a colour: a name in lower case or "#rrggbb" (the
 * config file is more lenient; the schema is not). */
static bool colour_form(const char *s)
{
	if (s[0] == '#')
		return strlen(s) == 7;
	for (const char *p = s; *p; p++)
		if (*p < 'a' || *p > 'z')
			return false;
	return true;
}

static int get_colour(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		      struct ls_rgb *out, bool *has)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsString(v) || !colour_form(v->valuestring) || ls_rgb_parse(v->valuestring, out))
		return ls_error_set(
		    c->err,
		    "%s: %s.%s: not a colour; use a name (red, green, blue, amber, white, yellow, "
		    "cyan, magenta, black) or \"#rrggbb\"",
		    c->name, path, key);
	*has = true;
	return 0;
}

static int distance(const char *a, const char *b);

static int parse_effect(const struct ctx *c, const cJSON *obj, const char *path,
			enum ls_effect *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "effect");

	if (!v)
		return 0;
	const char *hint = NULL;
	int best = 4;

	for (size_t i = 0; cJSON_IsString(v) && i < sizeof(effect_names) / sizeof(effect_names[0]);
	     i++) {
		int d = distance(v->valuestring, effect_names[i]);
		if (!d) {
			*out = (enum ls_effect)i;
			return 0;
		}
		if (d < best) {
			best = d;
			hint = effect_names[i];
		}
	}
	if (hint)
		return ls_error_set(c->err,
				    "%s: %s.effect: \"%.32s\" is not an effect; did you mean "
				    "\"%s\"?",
				    c->name, path, v->valuestring, hint);
	return ls_error_set(
	    c->err,
	    "%s: %s.effect: not an effect; use scroll-left, scroll-right, scroll-up, "
	    "scroll-down, scroll-loop, static, blink, slide-in, typewriter, "
	    "wipe-from-left, wipe-from-right, wipe-from-top, wipe-from-bottom, "
	    "cover-from-left, cover-from-right, cover-from-top or cover-from-bottom",
	    c->name, path);
}

static int parse_align(const struct ctx *c, const cJSON *obj, const char *path, enum ls_align *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "align");
	static const char *const names[] = {"left", "center", "right"};

	if (!v)
		return 0;
	if (cJSON_IsString(v))
		for (int i = 0; i < 3; i++)
			if (!strcmp(v->valuestring, names[i])) {
				*out = (enum ls_align)i;
				return 0;
			}
	return ls_error_set(c->err, "%s: %s.align: use left, center or right", c->name, path);
}

/* Whether s[0..n) are all digits. */
static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "HH:MM" -> minutes since midnight; "24:00" is allowed as an end. */
static int parse_hhmm(const char *s, int *out)
{
	int h, m, n = 0;

	if (strlen(s) != 5 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) ||
	    sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n])
		return -1;
	if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM". A date alone means
 * 00:00 as a start and 24:00 (the end of that day) as an end. */
static int parse_datetime(const char *s, bool is_end, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0;
	size_t len = strlen(s);

	if ((len != 10 && len != 16) || !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
		return -1;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	if (len == 10) {
		if (is_end)
			h = 24;
	} else if (s[10] == ' ' || s[10] == 'T') {
		if (parse_hhmm(s + 11, &mi) || mi >= 24 * 60) /* 24:00 is the next day's 00:00 */
			return -1;
		h = mi / 60;
		mi %= 60;
	} else {
		return -1;
	}
	if (s[4] != '-' || s[7] != '-' || y < 2000 || y > 2199 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return -1;
	*out = ls_civil_pack(y, mo, d, h, mi);
	return 0;
}

static int parse_date_key(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
			  bool is_end, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return ls_error_set(c->err,
				    "%s: %s.%s: the value is not a date; use \"YYYY-MM-DD\" or "
				    "\"YYYY-MM-DD HH:MM\"",
				    c->name, path, key);
	if (parse_datetime(v->valuestring, is_end, out))
		return ls_error_set(
		    c->err,
		    "%s: %s.%s: \"%s\" is not a date; use \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM\"",
		    c->name, path, key, v->valuestring);
	return 0;
}

static int day_index(const char *s)
{
	static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

	for (int i = 0; i < 7; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* "mon", or a range "mon-fri" (which may wrap: "sat-mon"). */
static int parse_day_spec(const char *s, uint8_t *mask)
{
	char a[4], b[4];
	int i, j;

	if (strlen(s) == 3) {
		if ((i = day_index(s)) < 0)
			return -1;
		*mask |= (uint8_t)(1u << i);
		return 0;
	}
	if (strlen(s) != 7 || s[3] != '-')
		return -1;
	memcpy(a, s, 3), a[3] = '\0';
	memcpy(b, s + 4, 3), b[3] = '\0';
	if ((i = day_index(a)) < 0 || (j = day_index(b)) < 0)
		return -1;
	for (int k = i;; k = (k + 1) % 7) {
		*mask |= (uint8_t)(1u << k);
		if (k == j)
			break;
	}
	return 0;
}

static int parse_days(const struct ctx *c, const cJSON *obj, const char *path, uint8_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "days"), *e;
	uint8_t mask = 0;
	int i = 0;

	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return ls_error_set(
		    c->err, "%s: %s.days: use a list such as [\"mon-fri\"] or [\"sat\", \"sun\"]",
		    c->name, path);
	if (!cJSON_GetArraySize(v))
		return ls_error_set(c->err,
				    "%s: %s.days: the list is empty; list days such as "
				    "[\"mon-fri\"], or drop the key to play every day",
				    c->name, path);
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e) || parse_day_spec(e->valuestring, &mask))
			return ls_error_set(c->err,
					    "%s: %s.days[%d]: not a day; use mon, tue, wed, thu, "
					    "fri, sat, sun or a range like mon-fri",
					    c->name, path, i);
		i++;
	}
	*out = mask;
	return 0;
}

/* "NN:NN-NN:NN": the form of a window, whatever the numbers. */
static bool window_shaped(const char *s)
{
	return strlen(s) == 11 && digits(s, 2) && s[2] == ':' && digits(s + 3, 2) && s[5] == '-' &&
	       digits(s + 6, 2) && s[8] == ':' && digits(s + 9, 2);
}

static int parse_windows(const struct ctx *c, const cJSON *obj, const char *path,
			 struct ls_item *it)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "windows"), *e;
	int i = 0;

	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return ls_error_set(
		    c->err, "%s: %s.windows: use a list such as [\"07:30-11:30\", \"13:30-17:00\"]",
		    c->name, path);
	if (!cJSON_GetArraySize(v))
		return ls_error_set(c->err,
				    "%s: %s.windows: the list is empty; list times such as "
				    "[\"07:30-11:30\"], or drop the key to play all day",
				    c->name, path);
	cJSON_ArrayForEach(e, v)
	{
		char a[8], b[8];
		const char *s = cJSON_IsString(e) ? e->valuestring : "";
		struct ls_window w;

		if (i >= LS_ITEM_MAX_WINDOWS)
			return ls_error_set(c->err, "%s: %s.windows: at most %d windows", c->name,
					    path, LS_ITEM_MAX_WINDOWS);
		if (window_shaped(s) &&
		    (memcpy(a, s, 5), a[5] = 0, memcpy(b, s + 6, 5), b[5] = 0,
		     parse_hhmm(a, &w.start) || parse_hhmm(b, &w.end) || w.start == 24 * 60))
			return ls_error_set(c->err,
					    "%s: %s.windows[%d]: \"%s\": not a time of day; hours "
					    "are 00..23 (24:00 only as an end), minutes 00..59",
					    c->name, path, i, s);
		if (window_shaped(s) && w.start == w.end)
			return ls_error_set(
			    c->err,
			    "%s: %s.windows[%d]: \"%s\" starts and ends at the same "
			    "time; to play all day drop \"windows\"",
			    c->name, path, i, s);
		if (!window_shaped(s))
			return ls_error_set(c->err,
					    "%s: %s.windows[%d]: \"%s\" is not a window; use "
					    "\"HH:MM-HH:MM\" (\"22:00-06:00\" crosses midnight)",
					    c->name, path, i, s);
		it->windows[i++] = w;
	}
	it->n_windows = i;
	return 0;
}

static int parse_string_list(const struct ctx *c, const cJSON *obj, const char *key,
			     const char *path, char **out, int max, size_t max_len, int *n_out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *e;
	int i = 0;

	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return ls_error_set(c->err, "%s: %s.%s: use a list of strings, e.g. [\"...\"]",
				    c->name, path, key);
	cJSON_ArrayForEach(e, v)
	{
		size_t bad;
		if (i >= max)
			return ls_error_set(c->err, "%s: %s.%s: at most %d entries", c->name, path,
					    key, max);
		if (!cJSON_IsString(e) ||
		    !ls_utf8_valid(e->valuestring, strlen(e->valuestring), &bad) ||
		    chars(e->valuestring) > max_len)
			return ls_error_set(
			    c->err,
			    "%s: %s.%s[%d]: must be a UTF-8 string of at most %zu characters",
			    c->name, path, key, i, max_len);
		out[i] = strdup(e->valuestring);
		if (!out[i])
			return ls_error_set(c->err, "out of memory");
		*n_out = ++i;
	}
	return 0;
}

/* The value goes into TZ, which glibc also reads as a path: only zone names. */
static int get_timezone(const struct ctx *c, const cJSON *o, const char *path, char **out)
{
	char p[128];

	if (get_string(c, o, "timezone", path, LS_TZ_NAME_MAX + 1, out))
		return -1;
	if (!cJSON_GetObjectItemCaseSensitive(o, "timezone") || ls_tz_name_valid(*out))
		return 0;
	snprintf(p, sizeof(p), "%s.timezone", path);
	return ls_error_set(c->err,
			    "%s: %s: \"%s\" is not a time zone name (at most 63 bytes of letters, "
			    "digits, _ + - joined by /); use an IANA name such as "
			    "\"Asia/Ho_Chi_Minh\"",
			    c->name, p, *out);
}

/* Fields that may appear both in an item and in the playlist's "defaults". */
static int parse_look(const struct ctx *c, const cJSON *o, const char *path, struct ls_item *it)
{
	double speed = it->speed, duration = it->duration;

	if (get_string(c, o, "font", path, 256, &it->font) ||
	    get_int(c, o, "size", path, 6, 256, U_PX, &it->size) ||
	    get_colour(c, o, "color", path, &it->colour, &it->has_colour) ||
	    get_colour(c, o, "colour", path, &it->colour, &it->has_colour) ||
	    get_colour(c, o, "background", path, &it->background, &it->has_background) ||
	    parse_effect(c, o, path, &it->effect) ||
	    get_number(c, o, "speed", path, 1, 400, U_PX_S, &speed) ||
	    get_number(c, o, "duration", path, 1, 86400, U_SECONDS, &duration) ||
	    get_int(c, o, "repeat", path, 1, 1000, U_PASSES, &it->repeat) ||
	    get_int(c, o, "gap", path, 0, 1000, U_PX, &it->gap) ||
	    parse_align(c, o, path, &it->align) || get_timezone(c, o, path, &it->timezone) ||
	    get_int(c, o, "priority", path, 0, 100, U_PRIORITY, &it->priority) ||
	    get_int(c, o, "weight", path, 1, 100, U_WEIGHT, &it->weight))
		return -1;
	it->speed = speed;
	it->duration = duration;
	return 0;
}

/* Looks key's string value up in names (NULL-ended); 0 when absent. */
static int get_name(const struct ctx *c, const cJSON *obj, const char *key, const char *path,
		    const char *const *names, const char *refusal, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	for (int i = 0; cJSON_IsString(v) && names[i]; i++)
		if (!strcmp(v->valuestring, names[i])) {
			*out = i;
			return 0;
		}
	/* refusal: a whole message (LS_N_) naming the forms, for file, path, key. */
	return ls_error_set(c->err, ls_tr(refusal), c->name, path, key);
}

bool ls_picture_path_ok(const char *s)
{
	if (!s[0] || s[0] == '/' || strlen(s) > 255)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-/", *p))
			return false;
	return !strstr(s, "//") && strcmp(s, "..") && strncmp(s, "../", 3) && !strstr(s, "/../") &&
	       !(strlen(s) >= 3 && !strcmp(s + strlen(s) - 3, "/..")) && s[strlen(s) - 1] != '/';
}

static int hex_digest(const char *s, uint8_t out[32])
{
	for (int i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	if (s[64])
		return -1;
	for (int i = 0; i < 64; i++) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
						     : tolower((unsigned char)s[i]) - 'a' + 10;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | d : d << 4);
	}
	return 0;
}

static const char *const fit_names[] = {"contain", "none", "cover", NULL};
static const char *const dither_names[] = {"diffusion", "ordered", "threshold", NULL};
static const char *const position_names[] = {"left", "center", "right", NULL};

static int parse_picture_fields(const struct ctx *c, const cJSON *v, const char *p,
				struct ls_item_picture *pic)
{
	char *sha = NULL;
	int fit = 0, dither = 0, pos = 0, r = -1;

	if (get_string(c, v, "file", p, 255, &pic->file) ||
	    get_string(c, v, "sha256", p, 64, &sha) ||
	    get_name(c, v, "fit", p, fit_names, LS_N_("%s: %s.%s: use contain, none or cover"),
		     &fit) ||
	    get_name(c, v, "dither", p, dither_names,
		     LS_N_("%s: %s.%s: use diffusion, ordered or threshold"), &dither) ||
	    get_name(c, v, "position", p, position_names,
		     LS_N_("%s: %s.%s: use left, center or right"), &pos) ||
	    get_int(c, v, "width", p, 1, LS_CANVAS_MAX_DIM, U_PX, &pic->width) ||
	    get_int(c, v, "fps", p, 1, LS_PICTURE_MAX_FPS, U_FPS, &pic->fps))
		goto out;
	if (!pic->file)
		ls_error_set(c->err,
			     "%s: %s.file: missing; name the PNG beside the playlist, e.g. "
			     "\"pictures/emblem.png\" (letters, digits, . _ - /, no \"..\")",
			     c->name, p);
	else if (!ls_picture_path_ok(pic->file))
		ls_error_set(
		    c->err,
		    "%s: %s.file: not a file name inside the feed; name the PNG beside the "
		    "playlist, e.g. \"pictures/emblem.png\" (letters, digits, . _ - /, no "
		    "\"..\")",
		    c->name, p);
	else if (!sha || hex_digest(sha, pic->sha256))
		ls_error_set(c->err,
			     "%s: %s.sha256: %s; write the file's SHA-256 as 64 hex digits "
			     "(sha256sum FILE)",
			     c->name, p, sha ? "not 64 hex digits" : "missing");
	else
		r = 0;
	pic->fit = (enum ls_fit)fit;
	pic->dither = (enum ls_dither)dither;
	pic->position = (enum ls_align)pos;
out:
	free(sha);
	return r;
}

static int parse_picture(const struct ctx *c, const cJSON *o, const char *path,
			 struct ls_item_picture **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "picture");
	char p[64];

	if (!v)
		return 0;
	snprintf(p, sizeof(p), "%s.picture", path);
	if (!cJSON_IsObject(v))
		return ls_error_set(c->err,
				    "%s: %s: must be an object { \"file\": \"emblem.png\", "
				    "\"sha256\": \"...\" }",
				    c->name, p);
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return ls_error_set(c->err, "out of memory");
	return parse_picture_fields(c, v, p, *out);
}

static void picture_free(struct ls_item_picture *pic)
{
	if (!pic)
		return;
	free(pic->file);
	ls_image_free(pic->image);
	free(pic);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void item_init(struct ls_item *it, const struct ls_item *defaults)
{
	*it = *defaults;
	it->font = dup_or_null(defaults->font);
	it->timezone = dup_or_null(defaults->timezone);
}

static void item_clear(struct ls_item *it)
{
	free(it->id);
	free(it->text);
	for (int i = 0; i < it->n_lines; i++)
		free(it->lines[i]);
	free(it->font);
	free(it->zone);
	free(it->timezone);
	for (int i = 0; i < it->n_tags; i++)
		free(it->tags[i]);
	picture_free(it->picture);
}

static int parse_item(const struct ctx *c, const cJSON *o, int idx, const struct ls_item *defaults,
		      struct ls_item *it)
{
	char path[32];

	snprintf(path, sizeof(path), "items[%d]", idx);
	item_init(it, defaults);
	if (!cJSON_IsObject(o))
		return ls_error_set(c->err,
				    "%s: %s: must be an object { \"id\": ..., \"text\": ... }",
				    c->name, path);
	if (get_string(c, o, "id", path, 64, &it->id) ||
	    get_string(c, o, "text", path, LS_TEXT_MAX_CHARS, &it->text) ||
	    parse_string_list(c, o, "lines", path, it->lines, LS_ITEM_MAX_LINES, LS_TEXT_MAX_CHARS,
			      &it->n_lines) ||
	    parse_look(c, o, path, it) || get_string(c, o, "zone", path, 32, &it->zone) ||
	    parse_date_key(c, o, "from", path, false, &it->from) ||
	    parse_date_key(c, o, "until", path, true, &it->until) ||
	    parse_days(c, o, path, &it->days) || parse_windows(c, o, path, it) ||
	    get_bool(c, o, "interrupt", path, &it->interrupt) ||
	    get_bool(c, o, "off", path, &it->off) ||
	    parse_string_list(c, o, "tags", path, it->tags, LS_ITEM_MAX_TAGS, 63, &it->n_tags) ||
	    parse_picture(c, o, path, &it->picture))
		return -1;
	if (!it->id)
		return ls_error_set(
		    c->err,
		    "%s: %s: has no \"id\"; give each item a short unique id such as \"vssid-1\"",
		    c->name, path);
	if (!it->id[0])
		return ls_error_set(
		    c->err,
		    "%s: %s.id: is empty; give each item a short unique id such as \"vssid-1\"",
		    c->name, path);
	if (!it->text && !it->n_lines && !it->off && !it->picture)
		return ls_error_set(
		    c->err, "%s: %s (%s): has no \"text\" (or \"lines\"); add the message to show",
		    c->name, path, it->id);
	if (it->from && it->until && it->until <= it->from)
		return ls_error_set(
		    c->err, "%s: %s.until: ends before it starts (\"from\"); swap the dates",
		    c->name, path);
	return 0;
}

static int parse_zones(const struct ctx *c, const cJSON *root, struct ls_playlist *pl)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "zones"), *e;
	int i = 0;

	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return ls_error_set(
		    c->err,
		    "%s: zones: use a list of {\"name\", \"x\", \"y\", \"width\", \"height\"}",
		    c->name);
	cJSON_ArrayForEach(e, v)
	{
		struct ls_zone *z = &pl->zones[i];
		char path[32];

		if (i >= LS_PLAYLIST_MAX_ZONES)
			return ls_error_set(c->err, "%s: zones: at most %d zones", c->name,
					    LS_PLAYLIST_MAX_ZONES);
		snprintf(path, sizeof(path), "zones[%d]", i);
		z->width = z->height = 0;
		pl->n_zones = i + 1; /* counted before parsing, so a failure frees its name */
		if (get_string(c, e, "name", path, 32, &z->name) ||
		    get_int(c, e, "x", path, 0, LS_CANVAS_MAX_DIM, U_PX, &z->x) ||
		    get_int(c, e, "y", path, 0, LS_CANVAS_MAX_DIM, U_PX, &z->y) ||
		    get_int(c, e, "width", path, 1, LS_CANVAS_MAX_DIM, U_PX, &z->width) ||
		    get_int(c, e, "height", path, 1, LS_CANVAS_MAX_DIM, U_PX, &z->height))
			return -1;
		i++;
		if (!z->name || !z->width || !z->height)
			return ls_error_set(c->err,
					    "%s: %s: needs \"name\", \"width\" and \"height\"",
					    c->name, path);
	}
	return 0;
}

/* The version, name, default and zones; false when parsing stops. */
static bool parse_head(const struct ctx *c, const cJSON *root, struct ls_playlist *pl)
{
	double version = 0;

	if (get_number(c, root, "version", "", 1, 1, U_VERSION, &version)) {
		if (!go_on(c))
			return false;
	} else if (version != 1) {
		ls_error_set(c->err, "%s: version: missing; add \"version\": 1 at the top",
			     c->name);
		if (!go_on(c))
			return false;
	}
	pl->version = 1;
	if (get_string(c, root, "name", "", 200, &pl->name) && !go_on(c))
		return false;
	if (get_string(c, root, "default", "", 64, &pl->default_item) && !go_on(c))
		return false;
	if (pl->default_item && !pl->default_item[0]) {
		ls_error_set(c->err, "%s: default: is empty; name an item's id or drop the key",
			     c->name);
		if (!go_on(c))
			return false;
	}
	if (parse_zones(c, root, pl) && !go_on(c))
		return false;
	return true;
}

/* The item "default" names must be one that shows something: the same
 * rule for the board, validate and publish. */
static int check_default(const struct ctx *c, const struct ls_playlist *pl)
{
	if (!pl->default_item || !pl->default_item[0])
		return 0;
	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item *it = &pl->items[i];
		if (strcmp(it->id, pl->default_item))
			continue;
		if (it->off)
			return ls_error_set(
			    c->err, "%s: default: \"%s\" is an off item; name an item with text",
			    c->name, pl->default_item);
		return 0;
	}
	return ls_error_set(c->err,
			    "%s: default: no item has the id \"%s\"; name one of the items' ids",
			    c->name, pl->default_item);
}

/* At most LS_PLAYLIST_MAX_PICTURES different pictures (by hash): what a
 * board fetches and keeps with one version. */
static int check_pictures(const struct ctx *c, const struct ls_playlist *pl)
{
	const uint8_t *seen[LS_PLAYLIST_MAX_PICTURES];
	int n = 0;

	for (int i = 0; i < pl->n_items; i++) {
		const struct ls_item_picture *pic = pl->items[i].picture;
		bool dup = false;

		for (int k = 0; pic && k < n && !dup; k++)
			dup = !memcmp(seen[k], pic->sha256, 32);
		if (!pic || dup)
			continue;
		if (n == LS_PLAYLIST_MAX_PICTURES)
			return ls_error_set(
			    c->err,
			    "%s: items[%d].picture: the playlist names more than %d "
			    "different pictures, the most a board takes; use fewer "
			    "pictures",
			    c->name, i, LS_PLAYLIST_MAX_PICTURES);
		seen[n++] = pic->sha256;
	}
	return 0;
}

/* Parses the items, recording each error; returns -1 when parsing stops. */
static int parse_items(const struct ctx *c, const cJSON *items, const struct ls_item *defaults,
		       struct ls_playlist *pl)
{
	const cJSON *e;
	int idx = 0, n0 = c->errs->n;

	if (!cJSON_IsArray(items))
		ls_error_set(c->err,
			     "%s: items: missing or not a list; add \"items\": [ {\"id\": ..., "
			     "\"text\": ...} ]",
			     c->name);
	else if (cJSON_GetArraySize(items) > LS_PLAYLIST_MAX_ITEMS)
		ls_error_set(c->err, "%s: items: %d items; a playlist holds at most %d", c->name,
			     cJSON_GetArraySize(items), LS_PLAYLIST_MAX_ITEMS);
	else if (!(pl->items = calloc((size_t)cJSON_GetArraySize(items) + 1, sizeof(*pl->items))))
		ls_error_set(c->err, "out of memory");
	if (!pl->items)
		return go_on(c) ? 0 : -1;
	cJSON_ArrayForEach(e, items)
	{
		struct ls_item *it = &pl->items[pl->n_items];
		if (parse_item(c, e, idx++, defaults, it)) {
			item_clear(it);
			if (!go_on(c))
				return -1;
			continue;
		}
		pl->n_items++;
	}
	if (c->errs->n == n0 && check_default(c, pl) && !go_on(c))
		return -1;
	if (c->errs->n == n0 && check_pictures(c, pl) && !go_on(c))
		return -1;
	return 0;
}

/* Returns 0, or -1 when the playlist is refused (the errors recorded). */
static int parse_root(const struct ctx *c, const cJSON *root, struct ls_playlist *pl)
{
	const cJSON *defs;
	struct ls_item defaults = {.effect = LS_EFFECT_SCROLL_LEFT,
				   .days = 0x7f,
				   .weight = 1,
				   .speed = 0,
				   .gap = LS_ITEM_GAP_DEFAULT};
	int r = -1, n0 = c->errs->n;

	if (!cJSON_IsObject(root)) {
		ls_error_set(c->err,
			     "%s: the top level must be an object { \"version\": 1, \"items\": "
			     "[...] }",
			     c->name);
		go_on(c);
		return -1;
	}
	if (!parse_head(c, root, pl))
		return -1;
	defs = cJSON_GetObjectItemCaseSensitive(root, "defaults");
	if (defs && !cJSON_IsObject(defs)) {
		ls_error_set(c->err,
			     "%s: defaults: must be an object such as { \"effect\": "
			     "\"scroll-left\", \"speed\": 32 }",
			     c->name);
		if (!go_on(c))
			goto out;
	} else if (defs && parse_look(c, defs, "defaults", &defaults) && !go_on(c)) {
		goto out;
	}
	if (parse_items(c, cJSON_GetObjectItemCaseSensitive(root, "items"), &defaults, pl))
		goto out;
	r = c->errs->n > n0 ? -1 : 0;
out:
	free(defaults.font);
	free(defaults.timezone);
	return r;
}

/* ---- where a JSON path is in the text, for file:line:col in semantic errors ----
 * The walker runs only on text cJSON has accepted, so it can trust the syntax. */

static size_t skip_ws(const char *b, size_t n, size_t i)
{
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
		i++;
	return i;
}

static size_t skip_string(const char *b, size_t n, size_t i)
{
	for (i++; i < n && b[i] != '"'; i++)
		if (b[i] == '\\')
			i++;
	return i + 1;
}

/* End of the value starting at i: a string, a number or literal, or a whole object or array. */
static size_t skip_value(const char *b, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		char ch = b[i];
		if (ch == '"') {
			i = skip_string(b, n, i);
			if (!depth)
				return i;
			continue;
		}
		if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (!depth)
				return i;
			if (--depth == 0)
				return i + 1;
		} else if (!depth && strchr(", \t\r\n", ch)) {
			return i;
		}
		i++;
	}
	return n;
}

/* Offset of the value at path ("items[3].windows[0]"), or -1. */
static long locate(const char *b, size_t n, const char *path)
{
	size_t i = skip_ws(b, n, 0);

	while (*path) {
		if (*path == '[') {
			char *end;
			long k = strtol(path + 1, &end, 10);
			if (*end != ']' || i >= n || b[i] != '[')
				return -1;
			path = end + 1;
			i = skip_ws(b, n, i + 1);
			for (; k > 0; k--) {
				i = skip_ws(b, n, skip_value(b, n, i));
				if (i >= n || b[i] != ',')
					return -1;
				i = skip_ws(b, n, i + 1);
			}
			continue;
		}
		if (*path == '.')
			path++;
		size_t kl = strcspn(path, ".[");
		if (i >= n || b[i] != '{')
			return -1;
		i = skip_ws(b, n, i + 1);
		for (;;) {
			size_t ks, ke;
			if (i >= n || b[i] != '"')
				return -1;
			ks = i + 1;
			ke = skip_string(b, n, i) - 1;
			i = skip_ws(b, n, ke + 1);
			if (i >= n || b[i] != ':')
				return -1;
			i = skip_ws(b, n, i + 1);
			if (ke - ks == kl && !memcmp(b + ks, path, kl))
				break;
			i = skip_ws(b, n, skip_value(b, n, i));
			if (i >= n || b[i] != ',')
				return -1;
			i = skip_ws(b, n, i + 1);
		}
		path += kl;
	}
	return (long)i;
}

int ls_playlist_locate(const char *buf, size_t len, const char *path, int *line, int *col)
{
	long off = locate(buf, len, path);

	if (off < 0)
		return -1;
	line_col(buf, (size_t)off, line, col);
	return 0;
}

/* Turns "name: path: what" into "name:line:col: path: what", at path or the
 * nearest enclosing value that exists. */
static void add_position(const char *buf, size_t len, const char *name, struct ls_error *err)
{
	size_t nl = strlen(name), pl;
	char path[128], rest[LS_ERROR_MAX];
	const char *p;
	long off;
	int line, col;

	if (!err || strncmp(err->msg, name, nl) || strncmp(err->msg + nl, ": ", 2))
		return;
	p = err->msg + nl + 2;
	pl = strcspn(p, ": ");
	if (pl == 0 || pl >= sizeof(path))
		return;
	memcpy(path, p, pl);
	path[pl] = '\0';
	/* A key that is absent (a missing "version") is placed at the object
	 * that should hold it: the nearest enclosing path that exists. */
	while ((off = locate(buf, len, path)) < 0 && path[0]) {
		char *cut = strrchr(path, '.'), *br = strrchr(path, '[');
		*(cut && (!br || cut > br) ? cut : br ? br : path) = '\0';
	}
	if (off < 0)
		off = (long)skip_ws(buf, len, 0);
	line_col(buf, (size_t)off, &line, &col);
	snprintf(rest, sizeof(rest), "%s", p);
	ls_error_set(err, "%s:%d:%d: %s", name, line, col, rest);
}

static const char *const top_keys[] = {"version", "name",  "default", "defaults",
				       "items",	  "zones", "$schema", NULL};
static const char *const look_keys[] = {"font",	    "size",	"color",    "colour", "background",
					"effect",   "speed",	"duration", "repeat", "align",
					"timezone", "priority", "weight",   "gap",    NULL};
static const char *const item_keys[] = {"id",	 "text",    "lines",   "zone",	    "from",
					"until", "days",    "windows", "interrupt", "off",
					"tags",	 "picture", NULL};
static const char *const zone_keys[] = {"name", "x", "y", "width", "height", NULL};
static const char *const picture_keys[] = {"file",     "sha256", "fit", "dither",
					   "position", "width",	 "fps", NULL};

static bool in_list(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

/* Edit distance, capped: enough to suggest "color" for "colr". */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), row[33], prev, tmp;

	if (la > 32 || lb > 32)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] =
			    a[i - 1] == b[j - 1]
				? prev
				: 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
						     : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

static const char *closest(const char *key, const char *const *a, const char *const *b)
{
	const char *best = NULL;
	int bd = 3;

	for (int k = 0; k < 2; k++)
		for (const char *const *l = k ? b : a; l && *l; l++) {
			int d = distance(key, *l);
			if (d < bd) {
				bd = d;
				best = *l;
			}
		}
	return best;
}

/* "unknown key" for KEY of the object at PATH ("(top level)" for the root),
 * with the nearest known key when there is one: four whole sentences. */
static void unknown_key_message(char *msg, size_t n, const char *name, const char *at,
				const char *path, const char *key, const char *hint)
{
	if (path[0] == '(' && hint)
		snprintf(msg, n,
			 ls_tr("%s%s: unknown key \"%.64s\" at the top level; did you mean "
			       "\"%s\"?"),
			 name, at, key, hint);
	else if (path[0] == '(')
		snprintf(msg, n,
			 ls_tr("%s%s: unknown key \"%.64s\" at the top level (a comment? start "
			       "its name with _)"),
			 name, at, key);
	else if (hint)
		snprintf(msg, n, ls_tr("%s%s: %s: unknown key \"%.64s\"; did you mean \"%s\"?"),
			 name, at, path, key, hint);
	else
		snprintf(msg, n,
			 ls_tr("%s%s: %s: unknown key \"%.64s\" (a comment? start its name with "
			       "_)"),
			 name, at, path, key);
}

/* Warns about each key of obj that is in neither list (keys starting with
 * "_" are comments and pass). */
/* Warns about obj's unknown keys; *n counts them over the document, and
 * only the first LS_PLAYLIST_MAX_KEY_WARNINGS are located and listed (each
 * costs a walk of the document, so listing them all would be quadratic). */
static void check_keys(const struct ctx *c, const cJSON *obj, const char *path,
		       const char *const *a, const char *const *b, int *n)
{
	const cJSON *e;
	char msg[LS_ERROR_MAX], where[160], at[32];

	if (!c->warn || !cJSON_IsObject(obj))
		return;
	cJSON_ArrayForEach(e, obj)
	{
		const char *hint;
		long off;
		int line, col;
		if (!e->string || e->string[0] == '_' || in_list(e->string, a) ||
		    (b && in_list(e->string, b)))
			continue;
		if ((*n)++ >= LS_PLAYLIST_MAX_KEY_WARNINGS)
			continue;
		at[0] = '\0';
		hint = closest(e->string, a, b);
		snprintf(where, sizeof(where), "%s.%.64s", path[0] == '(' ? "" : path, e->string);
		off = locate(c->buf, c->len, where[0] == '.' ? where + 1 : where);
		if (off >= 0) {
			line_col(c->buf, (size_t)off, &line, &col);
			snprintf(at, sizeof(at), ":%d:%d", line, col);
		}
		unknown_key_message(msg, sizeof(msg), c->name, at, path, e->string, hint);
		c->warn(c->warn_ctx, msg);
	}
}

static void check_all_keys(const struct ctx *c, const cJSON *root)
{
	const cJSON *e;
	char path[32], msg[LS_ERROR_MAX];
	int i = 0, n = 0;

	check_keys(c, root, "(top level)", top_keys, NULL, &n);
	check_keys(c, cJSON_GetObjectItemCaseSensitive(root, "defaults"), "defaults", look_keys,
		   NULL, &n);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "items"))
	{
		snprintf(path, sizeof(path), "items[%d]", i++);
		check_keys(c, e, path, item_keys, look_keys, &n);
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ".picture");
		check_keys(c, cJSON_GetObjectItemCaseSensitive(e, "picture"), path, picture_keys,
			   NULL, &n);
	}
	i = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "zones"))
	{
		snprintf(path, sizeof(path), "zones[%d]", i++);
		check_keys(c, e, path, zone_keys, NULL, &n);
	}
	if (n <= LS_PLAYLIST_MAX_KEY_WARNINGS)
		return;
	n -= LS_PLAYLIST_MAX_KEY_WARNINGS;
	snprintf(msg, sizeof(msg),
		 ls_ntr("%s: and %d more unknown key, not listed; fix the ones above first",
			"%s: and %d more unknown keys, not listed; fix the ones above first",
			(unsigned long)n),
		 c->name, n);
	c->warn(c->warn_ctx, msg);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Offset of the nth (0-based) occurrence of key among the keys of the
 * object at offset obj, or -1. */
static long locate_key(const char *b, size_t n, long obj, const char *key, int nth)
{
	size_t i = (size_t)obj, kl = strlen(key);

	if (obj < 0 || i >= n || b[i] != '{')
		return -1;
	i = skip_ws(b, n, i + 1);
	while (i < n && b[i] == '"') {
		size_t ks = i + 1, ke = skip_string(b, n, i) - 1;
		if (ke - ks == kl && !memcmp(b + ks, key, kl) && nth-- == 0)
			return (long)i;
		i = skip_ws(b, n, ke + 1);
		if (i >= n || b[i] != ':')
			return -1;
		i = skip_ws(b, n, skip_value(b, n, skip_ws(b, n, i + 1)));
		if (i >= n || b[i] != ',')
			return -1;
		i = skip_ws(b, n, i + 1);
	}
	return -1;
}

static void report_duplicate(const struct ctx *c, const cJSON *obj, const char *path)
{
	const char *names[64], **v = names, *dup = NULL;
	const cJSON *e;
	int n = 0, k = 0, line = 1, col = 1;
	long off;

	cJSON_ArrayForEach(e, obj) n++;
	if (n < 2 || (n > 64 && !(v = malloc((size_t)n * sizeof(*v)))))
		return;
	cJSON_ArrayForEach(e, obj) v[k++] = e->string ? e->string : "";
	qsort(v, (size_t)n, sizeof(*v), compare_names);
	for (k = 1; k < n && !dup; k++)
		if (!strcmp(v[k - 1], v[k]))
			dup = v[k];
	if (dup) {
		off = locate_key(c->buf, c->len, locate(c->buf, c->len, path), dup, 1);
		if (off >= 0)
			line_col(c->buf, (size_t)off, &line, &col);
		if (path[0])
			ls_error_set(c->err,
				     "%s:%d:%d: %s: the key \"%.64s\" appears twice; keep one",
				     c->name, line, col, path, dup);
		else
			ls_error_set(c->err,
				     "%s:%d:%d: the key \"%.64s\" appears twice at the top level; "
				     "keep one",
				     c->name, line, col, dup);
		go_on(c);
	}
	if (v != names)
		free(v);
}

/* Refuses a UTF-16 file by name (Windows editors save "Unicode" as UTF-16):
 * a byte-order mark, or a NUL in one of the first two bytes. */
static int check_utf16(const struct ctx *c)
{
	const unsigned char *b = (const unsigned char *)c->buf;

	if (c->len < 2 || !((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) ||
			    (b[0] && !b[1]) || (!b[0] && b[1])))
		return 0;
	return ls_error_set(c->err,
			    "%s:1:1: the file is UTF-16; save it as UTF-8 (Notepad: Save As, "
			    "Encoding: UTF-8)",
			    c->name);
}

/* Offset of a comma just before a } or ] at or just before off (where
 * cJSON stopped), or -1. */
static long trailing_comma(const unsigned char *b, size_t off, size_t len)
{
	size_t i = off < len ? off + 1 : len;

	for (int tries = 0; tries < 2 && i > 0; tries++) {
		while (i > 0 && strchr(" \t\r\n", b[i - 1]))
			i--;
		if (i == 0 || (b[i - 1] != '}' && b[i - 1] != ']'))
			continue;
		i--;
		while (i > 0 && strchr(" \t\r\n", b[i - 1]))
			i--;
		if (i > 0 && b[i - 1] == ',')
			return (long)(i - 1);
	}
	return -1;
}

/* A JSON syntax error, named when it is one an editor often makes. */
static void syntax_error(const struct ctx *c, const char *end)
{
	const unsigned char *b = (const unsigned char *)c->buf;
	size_t off = end && end >= c->buf && end <= c->buf + c->len ? (size_t)(end - c->buf) : 0;
	const char *what;
	long comma;
	int line, col;

	if (off + 2 < c->len && b[off] == 0xE2 && b[off + 1] == 0x80 &&
	    (b[off + 2] == 0x9C || b[off + 2] == 0x9D || b[off + 2] == 0x98 ||
	     b[off + 2] == 0x99)) {
		what = "curly quotes are not JSON quotes; type straight double quotes \" (turn off "
		       "smart quotes)";
	} else if ((comma = trailing_comma(b, off, c->len)) >= 0) {
		off = (size_t)comma;
		what = "a comma before a closing } or ]; delete this trailing comma";
	} else {
		what = "JSON syntax error; check for a missing comma, quote or bracket just before "
		       "here";
	}
	line_col(c->buf, off, &line, &col);
	ls_error_set(c->err, "%s:%d:%d: %s", c->name, line, col, what);
}

struct ls_playlist *ls_playlist_parse(const char *buf, size_t len, const char *name,
				      struct ls_error *err)
{
	return ls_playlist_parse_all(buf, len, name, NULL, NULL, NULL, err);
}

struct ls_playlist *ls_playlist_parse_ex(const char *buf, size_t len, const char *name,
					 ls_playlist_warn_fn warn, void *warn_ctx,
					 struct ls_error *err)
{
	return ls_playlist_parse_all(buf, len, name, warn, NULL, warn_ctx, err);
}

/* A key that appears twice in one object: the parser would take the first
 * and the editor may have meant the second. Reports the first such key of
 * each object, at its second occurrence, and walks on into the values. */
static void check_duplicates(const struct ctx *c, const cJSON *node, const char *path, int depth)
{
	const cJSON *e;
	char sub[160];
	int i = 0;

	if (depth > LS_PLAYLIST_MAX_DEPTH || !(cJSON_IsObject(node) || cJSON_IsArray(node)))
		return;
	if (cJSON_IsObject(node))
		report_duplicate(c, node, path);
	cJSON_ArrayForEach(e, node)
	{
		if (cJSON_IsObject(node))
			snprintf(sub, sizeof(sub), "%s%s%.64s", path, path[0] ? "." : "",
				 e->string);
		else
			snprintf(sub, sizeof(sub), "%s[%d]", path, i++);
		check_duplicates(c, e, sub, depth + 1);
	}
}

/* Refuses anything but white space after the document. */
static int check_trailing(const struct ctx *c, const char *end)
{
	size_t off =
	    end && end >= c->buf && end <= c->buf + c->len ? (size_t)(end - c->buf) : c->len;
	int line, col;

	off = skip_ws(c->buf, c->len, off);
	if (off >= c->len || (c->buf[off] == '\0' && off + 1 == c->len))
		return 0;
	line_col(c->buf, off, &line, &col);
	return ls_error_set(c->err,
			    "%s:%d:%d: more text after the playlist's closing }; a file holds "
			    "one playlist: delete what follows or merge it into \"items\"",
			    c->name, line, col);
}

struct ls_playlist *ls_playlist_parse_all(const char *buf, size_t len, const char *name,
					  ls_playlist_warn_fn warn, ls_playlist_warn_fn error,
					  void *ctx, struct ls_error *err)
{
	struct ls_error scratch;
	struct errs errs = {.fn = error, .ctx = ctx};
	struct ctx c = {.name = name,
			.err = &scratch,
			.errs = &errs,
			.warn = warn,
			.warn_ctx = ctx,
			.buf = buf,
			.len = len};
	struct ls_playlist *pl = NULL;
	const char *end = NULL;
	cJSON *root = NULL;

	if (len > LS_PLAYLIST_MAX_BYTES) {
		ls_error_set(&scratch, "%s:1:1: %zu bytes; a playlist is at most %d bytes (1 MiB)",
			     name, len, LS_PLAYLIST_MAX_BYTES);
		go_on(&c);
		goto out;
	}
	if (check_depth(buf, len, &c) || check_utf16(&c) || check_text_bytes(buf, len, &c)) {
		go_on(&c);
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root) {
		syntax_error(&c, end);
		go_on(&c);
		goto out;
	}
	if (check_trailing(&c, end) && !go_on(&c))
		goto out;
	check_duplicates(&c, root, "", 0);
	if (errs.n && !errs.fn)
		goto out;
	pl = calloc(1, sizeof(*pl));
	if (!pl) {
		ls_error_set(&scratch, "out of memory");
		go_on(&c);
		goto out;
	}
	parse_root(&c, root, pl);
	check_all_keys(&c, root);
out:
	if (errs.n) {
		if (errs.n > LS_PLAYLIST_MAX_ERRORS && errs.fn) {
			snprintf(scratch.msg, sizeof(scratch.msg),
				 "%s: and %d more errors, not listed; fix the ones above first",
				 name, errs.n - LS_PLAYLIST_MAX_ERRORS);
			errs.fn(ctx, scratch.msg);
		}
		if (err)
			*err = errs.first;
		ls_playlist_free(pl);
		pl = NULL;
	}
	cJSON_Delete(root);
	return pl;
}

bool ls_playlist_is_schema(const char *buf, size_t len)
{
	cJSON *root = len <= LS_PLAYLIST_MAX_BYTES ? cJSON_ParseWithLength(buf, len) : NULL;
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "$schema");
	bool yes = cJSON_IsString(sc) && strstr(sc->valuestring, "json-schema.org") &&
		   !cJSON_GetObjectItemCaseSensitive(root, "version") &&
		   !cJSON_GetObjectItemCaseSensitive(root, "items");

	cJSON_Delete(root);
	return yes;
}

void ls_playlist_free(struct ls_playlist *pl)
{
	if (!pl)
		return;
	for (int i = 0; i < pl->n_items; i++)
		item_clear(&pl->items[i]);
	for (int i = 0; i < pl->n_zones; i++)
		free(pl->zones[i].name);
	free(pl->items);
	free(pl->name);
	free(pl->default_item);
	free(pl);
}

int ls_playlist_attach_pictures(struct ls_playlist *pl, const char *name,
				const struct ls_picture_provider *pp, struct ls_error *err)
{
	struct ls_error e;

	for (int i = 0; i < pl->n_items; i++) {
		struct ls_item_picture *pic = pl->items[i].picture;
		if (!pic || pic->image)
			continue;
		if (pp && pp->load)
			pic->image = pp->load(pp->ctx, name, pic, &e);
		else
			ls_error_set(&e,
				     "%s: pictures cannot be read here; check the playlist beside "
				     "its pictures (ledsign validate), or in the hub's studio "
				     "after uploading them to its layer",
				     pic->file);
		if (!pic->image)
			return ls_error_set(err, "%s: items[%d].picture (%s): %s", name, i,
					    pl->items[i].id, e.msg);
	}
	return 0;
}
