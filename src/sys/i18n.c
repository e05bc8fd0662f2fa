/*
 * i18n.c: picks the reader's language (LANG, LC_ALL, LC_MESSAGES, LANGUAGE)
 * and where the catalogues are, found like the data directory (datadir.c):
 * next to the running program first, so a tree build reads
 * BUILD/locale/vi/LC_MESSAGES/ledsign.mo, then PREFIX/share/locale of an
 * installed program, then the compiled-in LS_LOCALEDIR.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledsign/error.h"
#include "ledsign/i18n.h"

#ifndef LS_LOCALEDIR
#define LS_LOCALEDIR "/usr/local/share/locale"
#endif

/* DIR holds a catalogue of the domain for some language: DIR/vi/LC_MESSAGES/ledsign.mo. */
static int has_catalogue(const char *dir)
{
	char p[PATH_MAX + 64];

	return (size_t)snprintf(p, sizeof(p), "%s/vi/LC_MESSAGES/ledsign.mo", dir) < sizeof(p) &&
	       access(p, R_OK) == 0;
}

char *ls_locale_dir(char *out, size_t n)
{
	static const char *const rel[] = {"/locale", "/../locale", "/../share/locale"};
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* build/ledsign, build/tests/test_x, PREFIX/bin/ledsign */
			for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
				if ((size_t)snprintf(out, n, "%s%s", exe, rel[i]) < n &&
				    has_catalogue(out))
					return out;
		}
	}
	snprintf(out, n, "%s", LS_LOCALEDIR);
	return out;
}

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

static const char *translate_plural(const char *one, const char *many, unsigned long n)
{
	return ngettext(one, many, n);
}

void ls_i18n_init(void)
{
	char dir[PATH_MAX];

	setlocale(LC_ALL, "");
	/* Numbers in files and on the wire are written 0.5 whatever the reader's
	 * language (vi_VN writes 0,5): strtod() and printf() keep the C form. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain("ledsign", ls_locale_dir(dir, sizeof(dir)));
	bind_textdomain_codeset("ledsign", "UTF-8");
	textdomain("ledsign");
	ls_set_translator(translate);
	ls_set_plural_translator(translate_plural);
}
