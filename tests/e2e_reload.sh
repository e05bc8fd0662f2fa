#!/bin/bash
# A reload never kills the service: SIGHUP with a [feed] section that cannot
# be opened (here a pubkey that is not a minisign key) is refused with the
# reason, and the board keeps showing the running configuration (frames go on
# in the trace, the status file keeps being rewritten); `ledsignd -n` on that
# config names the file and line and exits 1. A good reload after it applies.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT tmp=$T_TMP daemon=$LEDSIGND

conf() { # conf [FEED-LINES...]: $tmp/ledsign.conf, record output, the bundled feed
	{
		printf '[board]\nname = reload\n[panel]\ntype = hub12\nmodule = 32x16\nchain = 2\n'
		printf '[output]\ntype = record:%s\nfps = 10\n' "$tmp/live.trace"
		printf '[feed]\nurl = %s/content/national.json\ncache_dir = %s/cache\n' "$root" "$tmp"
		printf 'state_dir = %s/state\nstatus_file = %s/status.json\n' "$tmp" "$tmp"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$tmp/ledsign.conf"
}
frames() { grep -c '^begin frame' "$tmp/live.trace"; }
mkdir -p "$tmp/cache" "$tmp/state"
export LEDSIGN_CLOCK_SYNCED=1 LEDSIGN_TEST_STATUS_MS=200

conf
LEDSIGN_TEST_STATUS_MS=200 "$daemon" -d -c "$tmp/ledsign.conf" 2>"$tmp/live.log" &
dpid=$!
at_exit "kill $dpid 2>/dev/null"
for _ in $(seq 50); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done
sleep 0.5

# 1. A bad pubkey: the check names the line, the reload is refused.
conf "pubkey = RWQnotakey"
n=$(grep -n '^pubkey' "$tmp/ledsign.conf" | cut -d: -f1)
"$daemon" -n -c "$tmp/ledsign.conf" >"$tmp/n.out" 2>&1
rc=$?
check check_exits_1_on_a_bad_pubkey test $rc = 1
check check_names_the_file_and_line grep -q "ledsign.conf:$n: \[feed\] pubkey" "$tmp/n.out"
check check_says_to_paste_the_pub_line grep -q 'base64 line of the .pub file' "$tmp/n.out"

kill -HUP $dpid
sleep 1
before=$(frames)
rm -f "$tmp/status.json"
sleep 1.5
alive=0
kill -0 $dpid 2>/dev/null && alive=1
check bad_reload_keeps_the_service_running test $alive = 1
check bad_reload_is_refused_with_the_reason grep -q "reload refused, keeping the running configuration: .*ledsign.conf:$n: \\[feed\\] pubkey" "$tmp/live.log"
check frames_go_on_after_the_refused_reload test "$(frames)" -gt $((before + 5))
check status_file_is_still_written test -s "$tmp/status.json"
check feed_still_shows_after_the_refused_reload grep -q '"has_content":[[:space:]]*true' "$tmp/status.json"
check panel_not_blanked_or_reopened test "$(grep -c '^begin init' "$tmp/live.trace"):$(grep -c '^begin stop' "$tmp/live.trace")" = 1:0

# 2. A good reload afterwards still applies.
conf "poll = 30"
kill -HUP $dpid
sleep 1
check good_reload_after_a_refused_one_applies grep -q 'reloaded' "$tmp/live.log"
kill -TERM $dpid
wait $dpid
rc=$?
check sigterm_exits_cleanly test $rc = 0
check trace_ends_with_the_stop_block test "$(grep '^begin' "$tmp/live.trace" | tail -n 1)" = "begin stop 0"
# With LEDSIGN_BUILD=build-asan: the refused reload leaks nothing.
check no_sanitizer_reports_in_the_log bash -c "! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$tmp/live.log'"
finish
