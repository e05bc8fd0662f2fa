/*
 * Where the installed data (fonts/, content/) is: found at run time next to
 * the running program, so binaries built for one PREFIX and installed under
 * another (make install PREFIX=/usr after a plain make, or a DESTDIR) still
 * find the fonts they ship with.
 */
#ifndef LEDSIGN_DATADIR_H
#define LEDSIGN_DATADIR_H

#include <stddef.h>

/* Writes to out (n bytes) the path of rel (e.g. "fonts/ledsign16.bdf") under
 * the data directory: PROGRAM_DIR/../share/ledsign/rel when that file exists
 * (the program runs from PREFIX/bin or PREFIX/sbin), else the compiled-in
 * LS_DATADIR/rel. Returns out. */
char *ls_data_path(char *out, size_t n, const char *rel);

/* Writes to out the path of rel in the source tree the running program was
 * built in (PROGRAM_DIR/../rel or PROGRAM_DIR/../../rel, where src/core is:
 * build/ledsign, build/tests/test_x), so a program run from its tree finds the tree's fonts
 * whatever the current directory. Returns out, or NULL when the program is
 * not in a tree or rel is not there. */
char *ls_tree_path(char *out, size_t n, const char *rel);

#endif
