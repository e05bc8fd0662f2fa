/*
 * Messages in the reader's language (gettext, domain "ledsign").
 *
 * The edges (src/sys/, src/cmd/) write _("...") for a message printed at once,
 * N_("...") to mark one that is translated later, and ngettext() for counts.
 * The pure core (src/core/) never calls gettext (it reads the environment and
 * locale files): its messages are the formats it hands to ls_error_set(),
 * ls_error_prefix() and ls_lint_report(), which pass them through ls_tr(), the
 * translator the program installed with ls_i18n_init(); ls_ntr() picks the
 * plural form (ngettext), and LS_N_() marks a format kept in a table. Every
 * message is one whole sentence with placeholders for values (keys, paths,
 * numbers, characters), never English pieces put together. Without a
 * translator (unit tests, a library user) every message stays English.
 */
#ifndef LEDSIGN_I18N_H
#define LEDSIGN_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) s

/* setlocale(LC_ALL, ""), binds the "ledsign" domain to the catalogues next to
 * the program (BUILD/locale for a tree build) or under the install prefix
 * (PREFIX/share/locale), and installs gettext as the core's translator. */
void ls_i18n_init(void);

/* Where the catalogues are found (DIR/vi/LC_MESSAGES/ledsign.mo): out, n bytes. */
char *ls_locale_dir(char *out, size_t n);

#endif
