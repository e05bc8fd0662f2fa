/*
 * push_message.c: the push channel's one message, written by the publisher
 * (`ledsign publish`, the hub) and read by the board:
 * {"path":"ha-noi/playlist.json","timestamp":N}, the feed's path under the
 * feed root (as its signature names it) and the signed timestamp of the
 * version just published. Pure: bytes in, values out.
 */
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "ledsign/push.h"

int ls_push_message_format(const char *path, int64_t ts, char *buf, size_t n)
{
	return snprintf(buf, n, "{\"path\":\"%s\",\"timestamp\":%lld}", path, (long long)ts);
}

int ls_push_message_parse(const char *data, size_t len, char *path, size_t path_n, int64_t *ts,
			  struct ls_error *err)
{
	cJSON *doc = cJSON_ParseWithLength(data, len);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "path");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "timestamp");
	int r = -1;

	if (!cJSON_IsObject(doc))
		ls_error_set(err, "not a JSON object");
	else if (!cJSON_IsString(p) || !p->valuestring[0] || strlen(p->valuestring) > 256 ||
		 strlen(p->valuestring) >= path_n)
		ls_error_set(err, "no \"path\" (the feed's path under the feed root)");
	else if (!cJSON_IsNumber(t) || t->valuedouble < 0 || t->valuedouble > 9007199254740992.0 ||
		 t->valuedouble != (double)(int64_t)t->valuedouble)
		ls_error_set(err, "no \"timestamp\" (the signed version's, a whole number)");
	else
		r = 0;
	if (!r) {
		snprintf(path, path_n, "%s", p->valuestring);
		*ts = (int64_t)t->valuedouble;
	}
	cJSON_Delete(doc);
	return r;
}
