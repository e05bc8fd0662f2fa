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

#endif
