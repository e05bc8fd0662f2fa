/*
 * UTF-8 handling for playlist text: validation with the offset of the first
 * bad byte, decoding that never over-reads and turns bad bytes into U+FFFD,
 * and NFC normalisation (utf8proc) so decomposed input renders like composed.
 */
#ifndef LEDSIGN_UTF8_H
#define LEDSIGN_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LS_REPLACEMENT_CHAR 0xFFFDu

/* True when s[0..len) is valid UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF); otherwise false with *bad set to the offset of the first bad byte. */
bool ls_utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes one code point at s (at most len bytes); stores it in *cp and returns
 * the bytes consumed (>= 1), never reading past s[len - 1]. Invalid or
 * truncated input yields U+FFFD for its maximal ill-formed subpart (Unicode's
 * recommended practice: a truncated sequence is one U+FFFD, each stray byte
 * another), so a loop always advances. */
size_t ls_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The UTF-8 form of one code point, NUL-terminated (empty for a value that
 * is not a code point), as a value a printf argument can take. */
struct ls_utf8_char {
	char s[8];
};
struct ls_utf8_char ls_utf8_char(uint32_t cp);

/* How many characters (code points: lead bytes) the NUL-terminated UTF-8
 * string s holds, for padding columns by letters rather than bytes. */
size_t ls_utf8_count(const char *s);

/* Returns the NFC form of s as a new string (free with free()), with invalid
 * bytes replaced by U+FFFD; NULL only when memory is short. */
char *ls_utf8_nfc(const char *s, size_t len);

#endif
