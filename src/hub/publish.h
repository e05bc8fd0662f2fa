/*
 * Publishing from the hub with locked keys: an editor sends a playlist and
 * the layer's key password; the hub checks the playlist with the library's
 * lint, unlocks the layer's encrypted secret key in memory, signs, installs
 * the pair where nginx serves it (publish.h of the library), forgets the
 * key, and keeps every version (versions table) and every publish in the
 * audit trail. A layer with approval = yes takes an editor's submission as a
 * pending version that a second person, an approver, publishes. A rollback
 * is an earlier version's body signed anew. Every route checks the caller's
 * scope first: a layer outside it is refused 403, audited, nothing else done.
 */
#ifndef LEDSIGN_HUB_PUBLISH_H
#define LEDSIGN_HUB_PUBLISH_H

#include <stdint.h>

#include "hub.h"
#include "layer.h"

#define HUB_KEY_PASSWORD_MAX 1024

/* What one publish did or why it did not. */
struct hub_published {
	int status; /* the HTTP status to answer: 200, or why not */
	int64_t version, signed_at;
	char sha256[65];
	char push[512];		/* "" = no push channel; "sent", or why not */
	struct cJSON *findings; /* the lint's errors when status is 422 (owned) */
};

/* Publishes body on l as a new version by actor, with the key unlocked by
 * password; pending_id is the versions row to publish (an approved
 * submission), or 0 for a new row; note is kept with it. rq (may be NULL)
 * gives the address for the audit trail; messages are in the request's
 * language (hub_lang_begin()). Returns 0, or -1 with err
 * and out->status (cJSON_Delete out->findings either way). The files in
 * feed_dir and the database change only on success; a wrong password is
 * audited and counted against the layer like a failed login. */
int hub_publish(struct hub *h, const struct hub_request *rq, const struct hub_layer *l,
		const char *body, size_t len, const char *password, const char *actor,
		int64_t pending_id, const char *note, struct hub_published *out,
		struct ls_error *err);

/* GET /api/layers (the layers the caller may edit), /api/layers/NAME (its
 * published body and versions), /api/layers/NAME/versions/N,
 * /api/layers/NAME/audit. */
void hub_layers_get(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* POST /api/layers/NAME/publish, /submit, /approve, /reject, /rollback. */
void hub_layers_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

/* POST /api/urgent: an urgent notice (text, tags, from, until) published on
 * an urgent = yes layer with the interrupt flag (urgent.c). */
void hub_urgent_post(struct hub *h, const struct hub_request *rq, struct hub_response *rs);

#endif
