/*
 * tool_fonts.c: `ledsign fonts check` tells an installer whether a font can
 * carry Vietnamese on a board of a given line height (every letter present,
 * nothing clipped), and `ledsign fonts sample` draws a line of text with it
 * into a PNG, as LED dots, to look at before installing it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ledsign/i18n.h"
#include "ledsign/png.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"
#include "ledsign/utf8.h"

/* The 134 letters with diacritics, lower case then capitals. */
static const char letters[] = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
			      "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
/* Punctuation Vietnamese signs use beyond ASCII: quotes, dash, ellipsis, đồng. */
static const char punctuation[] = "“”‘’–…₫";

/* Two forms of one letter (tones, ă/â, the plain letter) closer than this
 * many LEDs are too easily mistaken on a board read from across a room (a
 * fail); TONE_LEDS_WARN or fewer is worth a look. */
#define MIN_TONE_LEDS 2
#define TONE_LEDS_WARN 2

struct utf8_buf {
	char s[8];
};

static struct utf8_buf utf8_of(uint32_t cp)
{
	struct utf8_buf b = {{0}};

	utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)b.s);
	return b;
}

struct options {
	int height;
	bool mono, chain;
	const char *text, *out;
	int scale;
};

struct tally {
	int have, total;
	char missing[256];
	size_t at;
};

static void tally_add(struct tally *t, const char *s, size_t n, bool have)
{
	t->total++;
	t->have += have;
	if (!have && t->at + n + 2 < sizeof(t->missing)) {
		memcpy(t->missing + t->at, s, n);
		t->at += n;
		t->missing[t->at++] = ' ';
		t->missing[t->at] = '\0';
	}
}

/* Checks each character of set; lists the clipped ones in clip. */
static void check_set(struct ls_fontset *fs, const char *set, struct tally *t, struct tally *clip)
{
	size_t len = strlen(set);
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n) {
		n = ls_utf8_decode(set + i, len - i, &cp);
		const struct ls_glyph *g = ls_fontset_glyph(fs, cp);
		tally_add(t, set + i, n, g && g->face >= 0);
		if (g && g->face >= 0 && (g->clip_above || g->clip_below)) {
			char what[48];
			int k = snprintf(what, sizeof(what), "%.*s(%d top, %d bottom)", (int)n,
					 set + i, g->clip_above, g->clip_below);
			tally_add(clip, what, (size_t)k, false);
		}
	}
}

/* A glyph's lit LEDs on a grid of the line's rows, pen at column 8. */
#define GRID_W 96
struct grid {
	int h;
	uint8_t on[512][GRID_W];
	int top, bottom; /* first and last rows with ink; top > bottom when none */
};

static void grid_of(struct ls_fontset *fs, const char *utf8, struct grid *gr)
{
	uint32_t cp;
	const struct ls_glyph *g;

	ls_utf8_decode(utf8, strlen(utf8), &cp);
	g = ls_fontset_glyph(fs, cp);
	gr->h = ls_fontset_height(fs);
	gr->top = gr->h;
	gr->bottom = -1;
	memset(gr->on, 0, sizeof(gr->on[0]) * (size_t)gr->h);
	for (int r = 0; g && r < g->rows; r++)
		for (int c = 0; c < g->width; c++) {
			int y = g->top + r, x = 8 + g->left + c;
			if (y < 0 || y >= gr->h || x < 0 || x >= GRID_W ||
			    g->cov[r * g->width + c] < 128)
				continue;
			gr->on[y][x] = 1;
			gr->top = y < gr->top ? y : gr->top;
			gr->bottom = y > gr->bottom ? y : gr->bottom;
		}
}

/* LEDs that differ between two forms in rows 0..last (above the dot below). */
static int distance(const struct grid *a, const struct grid *b, int last)
{
	int d = 0;

	for (int y = 0; y <= last && y < a->h; y++)
		for (int x = 0; x < GRID_W; x++)
			d += a->on[y][x] != b->on[y][x];
	return d;
}

/* Whether a mark LED of form g in row y touches (side or corner) an LED of
 * body in row by, the body's edge row next to it. */
static bool touches(const struct grid *g, int y, const struct grid *body, int by)
{
	if (y < 0 || y >= g->h || by < 0 || by >= body->h)
		return false;
	for (int x = 0; x < GRID_W; x++)
		for (int dx = -1; g->on[y][x] && dx <= 1; dx++)
			if (x + dx >= 0 && x + dx < GRID_W && body->on[by][x + dx])
				return true;
	return false;
}

struct legibility {
	int min_distance; /* fewest LEDs between two forms of one letter */
	char closest[24]; /* those two forms */
	int touching;	  /* marks on their letter with no blank row between */
	char touch_list[256];
	size_t at;
};

/* Each letter's forms (its tones, its circumflex, breve or horn forms, the
 * plain letter) against each other, and each mark against its letter. */
static void check_legibility(struct ls_fontset *fs, struct legibility *l)
{
	static struct grid forms[24], base, modified;
	const char *p = letters;
	size_t len = strlen(letters);
	char seen[16] = "";

	l->min_distance = 1 << 30;
	for (const char *q = "aeiouyAEIOUY"; *q; q++) {
		char utf8[24][8], b[2] = {*q, 0};
		int n = 0;
		grid_of(fs, b, &base);
		snprintf(utf8[n], 8, "%c", *q);
		grid_of(fs, utf8[n], &forms[n]);
		n++;
		for (size_t i = 0, k; i < len && n < 24; i += k) {
			uint32_t cp, d[4];
			k = ls_utf8_decode(p + i, len - i, &cp);
			if (utf8proc_decompose_char((utf8proc_int32_t)cp, (utf8proc_int32_t *)d, 4,
						    UTF8PROC_DECOMPOSE, NULL) < 2 ||
			    d[0] != (uint32_t)*q)
				continue;
			snprintf(utf8[n], 8, "%.*s", (int)k, p + i);
			grid_of(fs, utf8[n], &forms[n]);
			bool above = forms[n].top<base.top, below = forms[n].bottom> base.bottom;
			bool horn = d[1] == 0x31B;
			/* A tone stacked on a circumflex or breve must clear it too. */
			bool stacked =
			    !horn && d[1] != 0x323 && k < 4 &&
			    utf8proc_decompose_char((utf8proc_int32_t)cp, (utf8proc_int32_t *)d, 4,
						    UTF8PROC_DECOMPOSE, NULL) == 3 &&
			    d[2] != 0x323;
			if (stacked) {
				utf8proc_uint8_t dec[8] = {(utf8proc_uint8_t)d[0]};
				size_t dn = 1 + (size_t)utf8proc_encode_char((utf8proc_int32_t)d[1],
									     dec + 1);
				char *mod = ls_utf8_nfc((const char *)dec, dn);
				grid_of(fs, mod ? mod : (const char *)dec, &modified);
				free(mod);
			}
			if ((*q | 0x20) != 'i' && !horn &&
			    ((above && touches(&forms[n], base.top - 1, &forms[n], base.top)) ||
			     (stacked &&
			      touches(&forms[n], modified.top - 1, &forms[n], modified.top)) ||
			     (below &&
			      touches(&forms[n], base.bottom + 1, &forms[n], base.bottom)))) {
				l->touching++;
				if (l->at + k + 2 < sizeof(l->touch_list)) {
					memcpy(l->touch_list + l->at, p + i, k);
					l->at += k;
					l->touch_list[l->at++] = ' ';
					l->touch_list[l->at] = '\0';
				}
			}
			n++;
		}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				int dd = distance(&forms[i], &forms[j], base.bottom);
				if (dd &&
				    dd < l->min_distance) { /* 0: they differ by the dot below */
					l->min_distance = dd;
					snprintf(l->closest, sizeof(l->closest), "%.8s/%.8s",
						 utf8[i], utf8[j]);
				}
			}
	}
	(void)seen;
}

static void print_tally(const char *what, const struct tally *t)
{
	printf("  %-18s %d/%d%s%s\n", what, t->have, t->total,
	       t->have < t->total ? "  missing: " : "", t->have < t->total ? t->missing : "");
}

/* Checks one chain; returns 0 when it passes, 1 when not, 2 when it cannot be opened. */
static int check_chain(const char *const *paths, int n, const struct options *o)
{
	struct ls_error err;
	struct ls_fontset *fs = ls_fontset_open(paths, n, o->height, o->mono, &err);
	struct tally viet = {0}, ascii = {0}, punct = {0}, clip = {0};
	struct ls_font_fit fit;
	char printable[96];

	if (!fs) {
		fprintf(stderr, _("ledsign fonts check: %s\n"), err.msg);
		return 2;
	}
	for (int c = 0x20; c < 0x7F; c++)
		printable[c - 0x20] = (char)c;
	printable[95] = '\0';
	check_set(fs, letters, &viet, &clip);
	check_set(fs, printable, &ascii, &clip);
	check_set(fs, punctuation, &punct, &clip);
	for (int i = 0; ls_fontset_font(fs, i, &fit); i++) {
		printf(_("%s: %s %d px, baseline at row %d of %d%s\n"),
		       ls_fontset_font(fs, i, NULL), fit.scalable ? "outline at" : "bitmap strike",
		       fit.px, fit.baseline, o->height,
		       fit.suitable ? "" : " (not made for this height: used only to fill gaps)");
	}
	struct legibility leg = {0};
	bool unfit = false;
	check_legibility(fs, &leg);
	for (int i = 0; ls_fontset_font(fs, i, &fit); i++) {
		if (fit.overflow_rows)
			printf(
			    _("  %-18s '%s' (U+%04X) leaves the line by %d row%s: that glyph comes "
			      "from the next font that fits it\n"),
			    "too tall", utf8_of(fit.overflow_cp).s, (unsigned)fit.overflow_cp,
			    fit.overflow_rows, fit.overflow_rows > 1 ? "s" : "");
		if (i == 0 && !fit.suitable)
			unfit = true;
	}
	print_tally("Vietnamese letters", &viet);
	print_tally("ASCII", &ascii);
	print_tally("punctuation", &punct);
	printf("  %-18s %s%s\n", "clipping", clip.total ? "" : "none", clip.missing);
	printf("  %-18s %s\n", "height",
	       unfit ? "FAIL: the first font is not made for this height; use one that is"
		     : "made for it");
	printf(_("  %-18s the closest forms of one letter, %s, differ by %d LED%s%s\n"), "tones",
	       leg.closest, leg.min_distance, leg.min_distance == 1 ? "" : "s",
	       leg.min_distance < MIN_TONE_LEDS	    ? ": FAIL, too easily mistaken"
	       : leg.min_distance <= TONE_LEDS_WARN ? ": warning, look at them on a board"
						    : "");
	printf("  %-18s %s%s\n", "mark separation",
	       leg.touching ? "warning, marks touch their letter or the mark under them (no "
			      "blank row): "
			    : "a blank row under every mark",
	       leg.touch_list);
	bool ok = viet.have == viet.total && ascii.have == ascii.total &&
		  punct.have == punct.total && !clip.total && !unfit &&
		  leg.min_distance >= MIN_TONE_LEDS;
	printf("  %s\n", ok ? "OK" : "FAIL");
	ls_fontset_free(fs);
	return ok ? 0 : 1;
}

/* Draws the strip as LED dots, scale pixels a dot with a dark gap. */
static int write_sample(const struct ls_strip *s, const struct options *o, struct ls_error *err)
{
	int sc = o->scale, pad = sc;
	struct ls_canvas *c = ls_canvas_new(s->width * sc + 2 * pad, s->height * sc + 2 * pad);
	struct ls_rgb pal[256], off = {40, 12, 8}, on = {255, 60, 30}, gap = {0, 0, 0};

	if (!c)
		return ls_error_set(err, "%s: a %dx%d picture is too large; use a smaller --scale",
				    o->out, s->width * sc, s->height * sc);
	ls_canvas_fill(c, gap);
	ls_palette_make(pal, on, off);
	for (int y = 0; y < s->height; y++)
		for (int x = 0; x < s->width; x++)
			for (int dy = 0; dy < sc - (sc > 2); dy++)
				for (int dx = 0; dx < sc - (sc > 2); dx++)
					ls_canvas_set(c, pad + x * sc + dx, pad + y * sc + dy,
						      pal[s->cov[y * s->width + x]]);
	int r = ls_png_write(o->out, c, err);
	ls_canvas_free(c);
	return r;
}

static int sample(const char *const *paths, int n, const struct options *o)
{
	struct ls_error err;
	struct ls_fontset *fs = ls_fontset_open(paths, n, o->height, o->mono, &err);
	struct ls_text_report rep;
	char msg[512];

	if (!fs) {
		fprintf(stderr, _("ledsign fonts sample: %s\n"), err.msg);
		return 2;
	}
	struct ls_strip *s = ls_text_render(fs, o->text, &rep);
	int r = !s || write_sample(s, o, &err) < 0;
	if (r)
		fprintf(stderr, _("ledsign fonts sample: %s\n"), s ? err.msg : "out of memory");
	if (*ls_text_report_describe(&rep, msg, sizeof(msg)))
		fprintf(stderr, _("ledsign fonts sample: %s\n"), msg);
	ls_strip_free(s);
	ls_fontset_free(fs);
	return r;
}

static void fonts_usage(FILE *f)
{
	fprintf(f,
		_("usage: ledsign fonts check FONT... [--height ROWS] [--rgb] [--chain]\n"
		  "       ledsign fonts sample FONT... --text TEXT --out FILE.png [--height ROWS] "
		  "[--rgb] [--scale N]\n"
		  "  check: every Vietnamese letter, ASCII and “”‘’–…₫ present, nothing clipped;\n"
		  "         exit 0 when every font passes, 1 when one does not\n"
		  "  --height  line height in LED rows (default 16)\n"
		  "  --rgb     8-bit coverage as on RGB panels (default: 1-bit, single-colour)\n"
		  "  --chain   check the fonts together as one fallback chain\n"
		  "  --scale   pixels per LED in the sample picture (default 8)\n"));
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"height", required_argument, NULL, 'H'}, {"rgb", no_argument, NULL, 'r'},
	    {"chain", no_argument, NULL, 'c'},	      {"text", required_argument, NULL, 't'},
	    {"out", required_argument, NULL, 'o'},    {"scale", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	int ch;

	*o = (struct options){.height = 16, .mono = true, .scale = 8};
	while ((ch = tool_getopt(argc, argv, "H:rct:o:s:h", longopts, fonts_usage)) != -1) {
		if (ch == 'H')
			o->height = tool_opt_int("--height", optarg, 4, 512, N_("rows"));
		else if (ch == 'r')
			o->mono = false;
		else if (ch == 'c')
			o->chain = true;
		else if (ch == 't')
			o->text = optarg;
		else if (ch == 'o')
			o->out = optarg;
		else if (ch == 's')
			o->scale = tool_opt_int("--scale", optarg, 1, 32, N_("pixels per dot"));
	}
}

int tool_fonts(int argc, char **argv)
{
	struct options o;
	int r;

	if (argc < 2 || (strcmp(argv[1], "check") && strcmp(argv[1], "sample"))) {
		fonts_usage(argc < 2 ? stderr : stdout);
		return argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) ? 0 : 2;
	}
	bool check = !strcmp(argv[1], "check");
	parse(argc - 1, argv + 1, &o);
	const char *const *paths = (const char *const *)argv + 1 + optind;
	int n = argc - 1 - optind;
	if (n < 1 || (!check && (!o.text || !o.out)) || ((o.chain || !check) && n > LS_FONTSET_MAX))
		tool_usage_exit(fonts_usage);
	if (!check)
		return sample(paths, n, &o);
	if (o.chain)
		return check_chain(paths, n, &o);
	r = 0;
	for (int i = 0; i < n; i++) {
		int ri = check_chain(paths + i, 1, &o);
		r = ri > r ? ri : r;
	}
	return r;
}
