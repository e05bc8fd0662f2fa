/*
 * tz.c: time zones as pure values.
 */
#include <stddef.h>

#include "ledsign/tz.h"

bool ls_tz_name_valid(const char *name)
{
	size_t seg = 0, n = 0;

	for (const char *p = name; *p; p++, n++) {
		char ch = *p;

		if (ch == '/') {
			if (seg == 0)
				return false; /* leading or doubled '/' */
			seg = 0;
		} else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			   (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' || ch == '-') {
			seg++;
		} else {
			return false; /* '.', ':', spaces and the rest: no paths, no POSIX rules */
		}
	}
	return n > 0 && n <= LS_TZ_NAME_MAX && seg > 0;
}
