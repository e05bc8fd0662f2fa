#!/usr/bin/env bash
# What the board shows and why, end to end: the status file and `ledsign
# status` give the current item, the reason and the text problems of the
# item; an item with a character no font has is logged once, not every time
# it plays; SIGHUP with a changed [feed] url makes the board show the new
# feed (file:// feeds, LEDSIGN_TEST_POLL_MS and LEDSIGN_TEST_STATUS_MS as in
# deploy/FEED.md "Testing") and keeps the play counters; crossing midnight
# starts today's counts afresh while the totals go on; `ledsign doctor`'s
# service line says why.
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1
export LEDSIGN_CLOCK_SYNCED=1 LEDSIGN_TEST_POLL_MS=200 LEDSIGN_TEST_STATUS_MS=200

cat >"$T_TMP/a.json" <<'JSON'
{"version": 1, "items": [
 {"id": "feed-a", "text": "BHXH Việt Nam", "effect": "static", "duration": 1}]}
JSON
cat >"$T_TMP/b.json" <<'JSON'
{"version": 1, "items": [
 {"id": "feed-b", "text": "Bảo hiểm 漢", "effect": "static", "duration": 1},
 {"id": "feed-b2", "text": "VssID", "effect": "static", "duration": 1}]}
JSON
mkdir -p "$T_TMP/cache" "$T_TMP/state"
conf() { # conf FEED-FILE STATUS-FILE
	printf '[board]\nname = e2e status\ntimezone = Asia/Ho_Chi_Minh\n'
	printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 6\n'
	printf '[output]\ntype = record:%s\nfps = 10\n' "$T_TMP/trace"
	printf '[feed]\nurl = file://%s\ncache_dir = %s\nstate_dir = %s\nstatus_file = %s\n' \
		"$1" "$T_TMP/cache" "$T_TMP/state" "$2"
	printf '[display]\nfont = %s/fonts/ledsign16.bdf\n' "$LEDSIGN_ROOT" # no 漢 in it
}
# q FILE EXPR: prints the Python expression EXPR over the JSON document d in FILE.
q() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@" 2>/dev/null; }
# is FILE EXPR: EXPR holds.
is() { test "$(q "$@")" = True; }
item() { echo "[i for i in d['items'] if i['id'] == '$1'][0]"; }
# wait_current ID: waits up to 10 s for the status file to show ID and keeps
# that version in snap.json (items change every second: check the snapshot).
wait_current() {
	for _ in $(seq 100); do
		cp "$T_TMP/status.json" "$T_TMP/snap.json" 2>/dev/null
		[ "$(q "$T_TMP/snap.json" "(d['current'] or {}).get('id')")" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- the running board, then SIGHUP to another feed ---------------------------
conf "$T_TMP/a.json" "$T_TMP/status.json" >"$T_TMP/live.conf"
"$LEDSIGND" -c "$T_TMP/live.conf" 2>"$T_TMP/live.log" &
pid=$!
trap 'kill $pid 2>/dev/null; t_cleanup' EXIT
check "the status file shows the first feed's item" wait_current feed-a
check "the status gives the reason next to the current item" \
	is "$T_TMP/snap.json" "d['reason'] == 'scheduled'"
"$LEDSIGN" status --file "$T_TMP/snap.json" >"$T_TMP/status.out"
check "ledsign status says why the item plays" grep -q '^why       scheduled$' "$T_TMP/status.out"
check "ledsign status shows plays today next to the totals" \
	grep -Eq '^  feed-a +[0-9]+ plays +[0-9]+s +[0-9]+ plays' "$T_TMP/status.out"
"$LEDSIGN" doctor -c "$T_TMP/live.conf" >"$T_TMP/doctor.out" 2>&1
check "ledsign doctor's service line names the item and why" \
	grep -Eq 'service +running: record output at [0-9]+ Hz, showing feed-a \(scheduled\)' "$T_TMP/doctor.out"

conf "$T_TMP/b.json" "$T_TMP/status.json" >"$T_TMP/live.conf"
kill -HUP $pid
check "SIGHUP with a changed [feed] url shows the new feed's item" wait_current feed-b
check "the reload says the feeds start afresh" grep -q 'reload: \[feed\] changed' "$T_TMP/live.log"
sleep 2.5 # feed-b plays again (1 s items in rotation with feed-b2)
check "the play counters survive the reload" \
	is "$T_TMP/status.json" "$(item feed-a)['plays'] >= 1"
wait_current feed-b
check "the item's text problem is in the status file" \
	is "$T_TMP/snap.json" "'U+6F22' in d['current']['problem']"
check "the zone lists the same problem" \
	is "$T_TMP/snap.json" "'in no font' in d['zones'][0]['problem']"
"$LEDSIGN" status --file "$T_TMP/snap.json" >"$T_TMP/status.out"
check "ledsign status prints the problem" grep -q '^problem   .*U+6F22' "$T_TMP/status.out"
kill -TERM $pid
wait $pid
plays_b=$(q "$T_TMP/status.json" "$(item feed-b)['plays']")
warned=$(grep -c 'item feed-b: 1 character in no font.*U+6F22' "$T_TMP/live.log")
if [ "${plays_b:-0}" -ge 2 ] && [ "$warned" = 1 ]; then
	ok "the missing character is logged once with the item id, not at every play ($plays_b plays)"
else
	fail "the missing character is logged once with the item id, not at every play" \
		"plays=$plays_b warnings=$warned" "$(grep feed-b "$T_TMP/live.log" | head -n 3)"
fi

# --- midnight: today's counts start afresh, the totals go on ------------------
conf "$T_TMP/a.json" "$T_TMP/night.json" >"$T_TMP/night.conf"
LEDSIGN_FAKE_TIME="2026-12-01 23:59:56" "$LEDSIGND" -c "$T_TMP/night.conf" --duration 5 \
	2>"$T_TMP/night.log"
check "after midnight the status names the new day" \
	is "$T_TMP/night.json" "d['today'] == '2026-12-02'"
check "today's seconds are fewer than the totals after midnight" \
	is "$T_TMP/night.json" "$(item feed-a)['seconds_today'] < $(item feed-a)['seconds'] - 1"
check "plays today are counted from midnight on" is "$T_TMP/night.json" "$(item feed-a)['plays_today'] >= 1"
check "no sanitizer report in the service's logs" \
	eval "! grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer' '$T_TMP/live.log' '$T_TMP/night.log'"

# A long "today" label keeps its columns apart.
echo '{"board":"x","today":null,"since":1764000000,"items":[{"id":"a","plays":3,"seconds":9,"plays_today":1,"seconds_today":3}]}' >"$T_TMP/nosync.json"
"$LEDSIGN" status --file "$T_TMP/nosync.json" >"$T_TMP/nosync.out" 2>&1
check "ledsign status keeps a space between today's label and since" \
	grep -q 'today (clock not synchronised) since ' "$T_TMP/nosync.out"

finish
