#!/bin/bash
# make bench: the urgent notice form's figures (deploy/HUB.md, "Urgent
# notices"): the time from POST /api/urgent to a board's first frame of the
# notice, once through the push channel (the board polls every 600 s) and
# once at the poll of a board without it (every URGENT_POLL_MS, 10000),
# with the time of the same request with a wrong password (the layer key's
# scrypt unlock, then nothing), which is most of the request. It
# runs tests/e2e_hub_urgent.sh (real nginx with nchan, ledsign-hub, two
# ledsignd) with BENCH=1 and prints its figures. Wall clock: context only.
set -u
out=$(BENCH=1 bash "$(dirname "$0")/e2e_hub_urgent.sh" 2>&1)
rc=$?
grep '^bench: ' <<<"$out" | sed 's/^bench: //'
grep -E '^FAIL|passed, [0-9]+ failed$' <<<"$out"
exit $rc
