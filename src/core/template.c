/*
 * template.c: one scanner walks the text token by token (literal runs, escaped braces,
 * placeholders); check, expand, is_live and next_change are that walk with or without
 * rendering. Rendering never writes past the caller's buffer and never leaves half a text:
 * on overflow the output is emptied and the call fails.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ledsign/lunar.h"
#include "ledsign/template.h"

enum kind {
	K_LITERAL,
	K_TIME,
	K_DATE,
	K_WEEKDAY,
	K_LUNAR,
	K_COUNTDOWN,
	K_BOARD,
};

#define BIT(k) (1u << (k))
#define LIVE_KINDS (BIT(K_TIME) | BIT(K_DATE) | BIT(K_WEEKDAY) | BIT(K_LUNAR) | BIT(K_COUNTDOWN))

/* Longest placeholder name quoted back in an error message, in bytes. */
#define QUOTE_MAX 40

struct token {
	enum kind kind;
	const char *lit; /* K_LITERAL: the bytes to copy */
	size_t len;
	long target_jdn; /* K_COUNTDOWN: the day counted down to */
};

struct out {
	char *buf; /* NULL when only checking */
	size_t size, len;
	bool full;
};

/* The column (1-based, in characters, not bytes) of byte `pos`, for messages people read. */
static int column_of(const char *text, size_t pos)
{
	int col = 1;

	for (size_t i = 0; i < pos && col < INT_MAX; i++)
		col += ((unsigned char)text[i] & 0xC0) != 0x80;
	return col;
}

/* How many bytes of s[0..n) to quote: at most QUOTE_MAX, not splitting a UTF-8 sequence. */
static int quote_len(const char *s, size_t n)
{
	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses "YYYY-MM-DD" (exactly 10 bytes) into a Julian day number; -1 when it is no date. */
static long parse_date(const char *s, size_t n)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1900 || !ls_lunar_date_is_valid(y, m, d))
		return -1;
	return ls_lunar_julian_day(y, m, d);
}

static int parse_countdown(const char *text, size_t open, const char *arg, size_t n,
			   struct token *tok, struct ls_error *err)
{
	int col = column_of(text, open);

	tok->target_jdn = parse_date(arg, n);
	if (tok->target_jdn < 0)
		return ls_error_set(err,
				    "column %d: {countdown:%.*s}: \"%.*s\" is not a date; write "
				    "{countdown:YYYY-MM-DD}, e.g. {countdown:2026-12-31}",
				    col, quote_len(arg, n), arg, quote_len(arg, n), arg);
	tok->kind = K_COUNTDOWN;
	return 0;
}

/* Classifies the placeholder name text[open+1 .. open+1+n). */
static int parse_name(const char *text, size_t open, size_t n, struct token *tok,
		      struct ls_error *err)
{
	static const struct {
		const char *name;
		enum kind kind;
	} names[] = {{"time", K_TIME},
		     {"date", K_DATE},
		     {"weekday", K_WEEKDAY},
		     {"lunar", K_LUNAR},
		     {"board", K_BOARD}};
	const char *name = text + open + 1;
	static const char cd[] = "countdown";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == n && memcmp(name, names[i].name, n) == 0) {
			tok->kind = names[i].kind;
			return 0;
		}
	}
	if (n > sizeof(cd) - 1 && memcmp(name, cd, sizeof(cd) - 1) == 0 &&
	    name[sizeof(cd) - 1] == ':')
		return parse_countdown(text, open, name + sizeof(cd), n - sizeof(cd), tok, err);
	if (n == sizeof(cd) - 1 && memcmp(name, cd, n) == 0)
		return ls_error_set(err,
				    "column %d: {countdown} needs a date: write "
				    "{countdown:YYYY-MM-DD}, e.g. {countdown:2026-12-31}",
				    column_of(text, open));
	/* The list of placeholders is written out in each message (not pasted on
	 * from a macro), so the catalogue has the whole sentence. */
	return ls_error_set(
	    err,
	    "column %d: unknown placeholder {%.*s}; valid: {time} {date} {weekday} "
	    "{lunar} {countdown:YYYY-MM-DD} {board}, and {{ or }} for a literal brace",
	    column_of(text, open), quote_len(name, n), name);
}

/* Reads the placeholder or escaped brace at text[*pos] == '{'. */
static int read_open(const char *text, size_t *pos, struct token *tok, struct ls_error *err)
{
	size_t open = *pos, close;

	if (text[open + 1] == '{') {
		tok->kind = K_LITERAL;
		tok->lit = text + open;
		tok->len = 1;
		*pos = open + 2;
		return 0;
	}
	close = open + 1 + strcspn(text + open + 1, "{}");
	if (text[close] != '}')
		return ls_error_set(err,
				    "column %d: '{' opens a placeholder that is never closed; "
				    "write {{ for a literal brace (valid: {time} {date} {weekday} "
				    "{lunar} {countdown:YYYY-MM-DD} {board}, and {{ or }} for a "
				    "literal brace)",
				    column_of(text, open));
	*pos = close + 1;
	return parse_name(text, open, close - open - 1, tok, err);
}

/* Reads the next token at text[*pos]; returns 1 for a token, 0 at the end, -1 on error. */
static int next_token(const char *text, size_t *pos, struct token *tok, struct ls_error *err)
{
	size_t p = *pos, run;

	*tok = (struct token){K_LITERAL, NULL, 0, 0};
	if (text[p] == '\0')
		return 0;
	if (text[p] == '{')
		return read_open(text, pos, tok, err) < 0 ? -1 : 1;
	if (text[p] == '}') {
		if (text[p + 1] != '}')
			return ls_error_set(err,
					    "column %d: lone '}'; write }} for a literal brace",
					    column_of(text, p));
		tok->kind = K_LITERAL;
		tok->lit = text + p;
		tok->len = 1;
		*pos = p + 2;
		return 1;
	}
	run = strcspn(text + p, "{}");
	tok->kind = K_LITERAL;
	tok->lit = text + p;
	tok->len = run;
	*pos = p + run;
	return 1;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (!o->buf || o->full)
		return;
	if (n >= o->size - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* True when the clock is trusted and every field of the broken-down time is in range. */
static bool time_usable(const struct ls_template_ctx *ctx)
{
	const struct tm *t = &ctx->local;

	if (!ctx->clock_valid || t->tm_year < 0 || t->tm_year > 9999 - 1900)
		return false;
	if (t->tm_hour < 0 || t->tm_hour > 23 || t->tm_min < 0 || t->tm_min > 59)
		return false;
	if (t->tm_sec < 0 || t->tm_sec > 60)
		return false;
	return ls_lunar_date_is_valid(t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
}

static long today_jdn(const struct tm *t)
{
	return ls_lunar_julian_day(t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
}

static void render_lunar(struct out *o, const struct tm *t, bool usable)
{
	struct ls_lunar_date l;
	char name[LS_LUNAR_CAN_CHI_MAX], buf[64];

	if (!usable || ls_lunar_from_solar(t->tm_year + 1900, t->tm_mon + 1, t->tm_mday, &l) != 0 ||
	    !ls_lunar_can_chi_year(l.year, name, sizeof(name))) {
		put_str(o, "Âm lịch: --/--");
		return;
	}
	snprintf(buf, sizeof(buf), "Âm lịch: %d/%d %s%s", l.day, l.month, l.leap ? "nhuận " : "",
		 name);
	put_str(o, buf);
}

static void render(struct out *o, const struct token *tok, const struct ls_template_ctx *ctx)
{
	/* Julian day numbers count weekdays from Monday = 0. */
	static const char *const weekday[7] = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",	"Thứ Năm",
					       "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"};
	const struct tm *t = &ctx->local;
	bool usable = time_usable(ctx);
	char buf[32];

	switch (tok->kind) {
	case K_LITERAL:
		put(o, tok->lit, tok->len);
		return;
	case K_BOARD:
		put_str(o, ctx->board ? ctx->board : "");
		return;
	case K_TIME:
		if (!usable)
			put_str(o, "--:--");
		else {
			snprintf(buf, sizeof(buf), "%02d:%02d", t->tm_hour, t->tm_min);
			put_str(o, buf);
		}
		return;
	case K_DATE:
		if (!usable)
			put_str(o, "--/--/----");
		else {
			snprintf(buf, sizeof(buf), "%02d/%02d/%04d", t->tm_mday, t->tm_mon + 1,
				 t->tm_year + 1900);
			put_str(o, buf);
		}
		return;
	case K_WEEKDAY:
		if (usable)
			put_str(o, weekday[today_jdn(t) % 7]);
		return;
	case K_LUNAR:
		render_lunar(o, t, usable);
		return;
	case K_COUNTDOWN:
		if (!usable)
			put_str(o, "--");
		else {
			long left = tok->target_jdn - today_jdn(t);

			snprintf(buf, sizeof(buf), "%ld", left > 0 ? left : 0);
			put_str(o, buf);
		}
		return;
	}
}

/* Walks text; renders into o when ctx is given; ORs the placeholder kinds seen into *kinds. */
static int scan(const char *text, const struct ls_template_ctx *ctx, struct out *o, unsigned *kinds,
		struct ls_error *err)
{
	struct token tok = {K_LITERAL, NULL, 0, 0};
	size_t pos = 0;
	int r;

	if (!text)
		return ls_error_set(err, "no text given");
	while ((r = next_token(text, &pos, &tok, err)) > 0) {
		*kinds |= BIT(tok.kind);
		if (ctx)
			render(o, &tok, ctx);
	}
	return r;
}

int ls_template_expand(const char *text, const struct ls_template_ctx *ctx, char *out,
		       size_t out_size, struct ls_error *err)
{
	struct out o = {out, out_size > INT_MAX ? (size_t)INT_MAX : out_size, 0, false};
	unsigned kinds = 0;

	if (!out || out_size == 0)
		return ls_error_set(err, "no room for the expanded text");
	out[0] = '\0';
	if (!ctx)
		return ls_error_set(err, "no context (time, board) to expand the text with");
	if (scan(text, ctx, &o, &kinds, err) < 0) {
		out[0] = '\0';
		return -1;
	}
	if (o.full) {
		out[0] = '\0';
		return ls_error_set(err,
				    "the expanded text does not fit in %zu bytes; shorten the text",
				    o.size - 1);
	}
	return (int)o.len;
}

int ls_template_check(const char *text, struct ls_error *err)
{
	unsigned kinds = 0;

	return scan(text, NULL, NULL, &kinds, err) < 0 ? -1 : 0;
}

bool ls_template_is_live(const char *text)
{
	unsigned kinds = 0;

	return scan(text, NULL, NULL, &kinds, NULL) == 0 && (kinds & LIVE_KINDS);
}

int64_t ls_template_next_change(const char *text, const struct tm *local)
{
	unsigned kinds = 0;
	int64_t into_day;

	if (scan(text, NULL, NULL, &kinds, NULL) < 0 || !(kinds & LIVE_KINDS))
		return -1;
	if (!local || local->tm_hour < 0 || local->tm_hour > 23 || local->tm_min < 0 ||
	    local->tm_min > 59 || local->tm_sec < 0 || local->tm_sec > 60)
		return 60;
	if (kinds & BIT(K_TIME))
		return local->tm_sec >= 60 ? 1 : 60 - local->tm_sec;
	into_day = (int64_t)local->tm_hour * 3600 + local->tm_min * 60 + local->tm_sec;
	return into_day >= 86400 ? 1 : 86400 - into_day;
}
