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

#include "ledsign/fontcheck.h"
#include "ledsign/i18n.h"
#include "ledsign/png.h"
#include "ledsign/text.h"
#include "ledsign/tool.h"
#include "ledsign/utf8.h"

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

static void print_tally(const char *what, const struct ls_font_tally *t)
{
	printf("  %-18s %d/%d%s%s\n", what, t->have, t->total,
	       t->have < t->total ? "  missing: " : "", t->have < t->total ? t->missing : "");
}

/* Checks one chain; returns 0 when it passes, 1 when not, 2 when it cannot be opened. */
static int check_chain(const char *const *paths, int n, const struct options *o)
{
	struct ls_error err;
	struct ls_fontset *fs = ls_fontset_open(paths, n, o->height, o->mono, &err);
	struct ls_font_check c;
	struct ls_font_fit fit;

	if (!fs) {
		fprintf(stderr, _("ledsign fonts check: %s\n"), err.msg);
		return 2;
	}
	if (ls_font_check(fs, &c))
		die("out of memory");
	for (int i = 0; ls_fontset_font(fs, i, &fit); i++)
		printf(_("%s: %s %d px, baseline at row %d of %d%s\n"),
		       ls_fontset_font(fs, i, NULL), fit.scalable ? "outline at" : "bitmap strike",
		       fit.px, fit.baseline, o->height,
		       fit.suitable ? "" : " (not made for this height: used only to fill gaps)");
	for (int i = 0; ls_fontset_font(fs, i, &fit); i++)
		if (fit.overflow_rows)
			printf(
			    _("  %-18s '%s' (U+%04X) leaves the line by %d row%s: that glyph comes "
			      "from the next font that fits it\n"),
			    "too tall", utf8_of(fit.overflow_cp).s, (unsigned)fit.overflow_cp,
			    fit.overflow_rows, fit.overflow_rows > 1 ? "s" : "");
	print_tally("Vietnamese letters", &c.vietnamese);
	print_tally("ASCII", &c.ascii);
	print_tally("punctuation", &c.punctuation);
	printf("  %-18s %s%s\n", "clipping", c.clipped.total ? "" : "none", c.clipped.missing);
	printf("  %-18s %s\n", "height",
	       c.first_unfit ? "FAIL: the first font is not made for this height; use one that is"
			     : "made for it");
	printf(_("  %-18s the closest forms of one letter, %s, differ by %d LED%s%s\n"), "tones",
	       c.closest, c.min_distance, c.min_distance == 1 ? "" : "s",
	       c.min_distance < LS_TONE_LEDS_MIN     ? ": FAIL, too easily mistaken"
	       : c.min_distance <= LS_TONE_LEDS_WARN ? ": warning, look at them on a board"
						     : "");
	printf("  %-18s %s%s\n", "mark separation",
	       c.touching ? "warning, marks touch their letter or the mark under them (no "
			    "blank row): "
			  : "a blank row under every mark",
	       c.touch_list);
	printf("  %s\n", ls_font_check_ok(&c) ? "OK" : "FAIL");
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
