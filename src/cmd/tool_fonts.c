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

#include "ledsign/fontcheck.h"
#include "ledsign/i18n.h"
#include "ledsign/png.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"
#include "ledsign/utf8.h"

struct options {
	int height;
	bool mono, chain;
	const char *text, *out;
	int scale;
};

/* One line of a tally: full (have, total) when nothing is missing, else
 * partial (have, total, the missing characters). */
static void print_tally(const struct ls_font_tally *t, const char *full, const char *partial)
{
	if (t->have < t->total)
		printf(partial, t->have, t->total, t->missing);
	else
		printf(full, t->have, t->total);
}

/* Each font of the chain: its kind, size and baseline, and a glyph too tall. */
static void print_fits(const struct ls_fontset *fs, int height)
{
	struct ls_font_fit fit;

	for (int i = 0; ls_fontset_font(fs, i, &fit); i++) {
		const char *name = ls_fontset_font(fs, i, NULL);
		if (fit.scalable)
			printf(fit.suitable
				   ? _("%s: outline at %d px, baseline at row %d of %d\n")
				   : _("%s: outline at %d px, baseline at row %d of %d (not "
				       "made for this height: used only to fill gaps)\n"),
			       name, fit.px, fit.baseline, height);
		else
			printf(fit.suitable
				   ? _("%s: bitmap strike %d px, baseline at row %d of %d\n")
				   : _("%s: bitmap strike %d px, baseline at row %d of %d "
				       "(not made for this height: used only to fill gaps)\n"),
			       name, fit.px, fit.baseline, height);
	}
	for (int i = 0; ls_fontset_font(fs, i, &fit); i++)
		if (fit.overflow_rows)
			printf(ngettext("  too tall           '%s' (U+%04X) leaves the line by %d "
					"row: that glyph comes from the next font that fits it\n",
					"  too tall           '%s' (U+%04X) leaves the line by %d "
					"rows: that glyph comes from the next font that fits it\n",
					(unsigned long)fit.overflow_rows),
			       ls_utf8_char(fit.overflow_cp).s, (unsigned)fit.overflow_cp,
			       fit.overflow_rows);
}

/* How far apart the closest forms of one letter are, and the verdict on it. */
static void print_tones(const struct ls_font_check *c)
{
	unsigned long n = (unsigned long)c->min_distance;

	if (c->min_distance < LS_TONE_LEDS_MIN)
		printf(ngettext("  tones              the closest forms of one letter, %s, differ "
				"by %d LED: FAIL, too easily mistaken\n",
				"  tones              the closest forms of one letter, %s, differ "
				"by %d LEDs: FAIL, too easily mistaken\n",
				n),
		       c->closest, c->min_distance);
	else if (c->min_distance <= LS_TONE_LEDS_WARN)
		printf(ngettext("  tones              the closest forms of one letter, %s, differ "
				"by %d LED: warning, look at them on a board\n",
				"  tones              the closest forms of one letter, %s, differ "
				"by %d LEDs: warning, look at them on a board\n",
				n),
		       c->closest, c->min_distance);
	else
		printf(ngettext("  tones              the closest forms of one letter, %s, differ "
				"by %d LED\n",
				"  tones              the closest forms of one letter, %s, differ "
				"by %d LEDs\n",
				n),
		       c->closest, c->min_distance);
}

static void print_check(const struct ls_font_check *c)
{
	print_tally(&c->vietnamese, _("  Vietnamese letters %d/%d\n"),
		    _("  Vietnamese letters %d/%d  missing: %s\n"));
	print_tally(&c->ascii, _("  ASCII              %d/%d\n"),
		    _("  ASCII              %d/%d  missing: %s\n"));
	print_tally(&c->punctuation, _("  punctuation        %d/%d\n"),
		    _("  punctuation        %d/%d  missing: %s\n"));
	if (c->clipped.total)
		printf(_("  clipping           %s\n"), c->clipped.missing);
	else
		printf(_("  clipping           none\n"));
	printf(c->first_unfit ? _("  height             FAIL: the first font is not made for this "
				  "height; use one that is\n")
			      : _("  height             made for it\n"));
	print_tones(c);
	if (c->touching)
		printf(_("  mark separation    warning, marks touch their letter or the mark "
			 "under them (no blank row): %s\n"),
		       c->touch_list);
	else
		printf(_("  mark separation    a blank row under every mark\n"));
	printf(ls_font_check_ok(c) ? _("  OK\n") : _("  FAIL\n"));
}

/* Checks one chain; returns 0 when it passes, 1 when not, 2 when it cannot be opened. */
static int check_chain(const char *const *paths, int n, const struct options *o)
{
	struct ls_error err;
	struct ls_fontset *fs = ls_fontset_open(paths, n, o->height, o->mono, &err);
	struct ls_font_check c;

	if (!fs) {
		fprintf(stderr, _("ledsign fonts check: %s\n"), err.msg);
		return 2;
	}
	if (ls_font_check(fs, &c))
		die("out of memory");
	print_fits(fs, o->height);
	print_check(&c);
	ls_fontset_free(fs);
	return ls_font_check_ok(&c) ? 0 : 1;
}

/* Writes the strip as LED dots (ls_font_sample()). */
static int write_sample(const struct ls_strip *s, const struct options *o, struct ls_error *err)
{
	struct ls_canvas *c = ls_font_sample(s, o->scale);
	int r;

	if (!c)
		return ls_error_set(err, "%s: a %dx%d picture is too large; use a smaller --scale",
				    o->out, s->width * o->scale, s->height * o->scale);
	r = ls_png_write(o->out, c, err);
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
