#!/bin/bash
# The feed against a real nginx on a loopback port: an editor publishes with
# `ledsign publish`, the board (ledsignd, output none + status file) shows it,
# a newly published playlist is on the board within one poll interval, and
# unchanged polls cost one 304 each (from nginx's access log), and a same-size
# playlist published within the same second still reaches the board (ETag);
# a reload to another URL keeps the layer's content until that URL delivers.
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-1000}

feed_tmp nginx
need_build ledsignd ledsign
www="$tmp/www/national"
mkdir -p "$www"
nginx_start '$status $bytes_sent "$request" "$http_if_none_match"' || { bad "$nginx_error"; finish; }
ok "nginx listening on 127.0.0.1:$port"

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || { bad "ledsign keygen failed"; finish; }
playlist() { printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1" "$2" >"$tmp/feed.json"; }
playlist first "BHXH, BHYT là hai chính sách xã hội quan trọng, trụ cột của hệ thống an sinh xã hội"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null &&
	ok "ledsign publish installed feed.json and feed.json.minisig" || bad "ledsign publish failed"
echo '{"version":1,"items":[' >"$tmp/broken.json"
if "$build/ledsign" publish "$tmp/broken.json" --key "$tmp/k.sec" --to "$www" 2>/dev/null; then
	bad "publish accepted an invalid playlist"
else
	[ ! -e "$www/broken.json" ] && ok "publish refuses an invalid playlist and installs nothing" || bad "broken.json was installed"
fi

feed_conf nginx-test 10 "http://127.0.0.1:$port/national/feed.json" "pubkey = $(tail -1 "$tmp/k.pub")"
LEDSIGN_TEST_POLL_MS=$poll_ms start_ledsignd -v

wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; waited=$(($(date +%s%3N) - t0)); }

wait_until_ms 10000 current_is first && ok "the board shows the published playlist (first) after ${waited} ms" ||
	bad "the board does not show 'first': $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
v1=$(status_field 'd["feeds"][0]["version"]')

# Let a few polls find nothing new.
sleep $(( (poll_ms * 4 + 999) / 1000 ))
n304=$(grep -c '^304 .*GET /national/feed.json ' "$tmp/logs/access.log")
n200=$(grep -c '^200 .*GET /national/feed.json ' "$tmp/logs/access.log")
[ "$n304" -ge 3 ] && [ "$n200" -eq 1 ] && ok "unchanged polls are answered 304 ($n304 x 304 after 1 x 200)" ||
	bad "expected one 200 then 304s for feed.json, got $n200 x 200 and $n304 x 304: $(tail -3 "$tmp/logs/access.log")"
bytes=$(awk '$1 == 304 && $4 == "/national/feed.json" {s += $2; n++} END {if (n) printf "%d", s / n}' "$tmp/logs/access.log")
echo "bytes sent per unchanged poll (304): ${bytes:-?}"
[ -n "$bytes" ] && [ "$bytes" -lt 400 ] && ok "a 304 costs $bytes bytes" || bad "a 304 costs ${bytes:-?} bytes"
grep -q '^200 .*GET /national/feed.json.minisig' "$tmp/logs/access.log" && ! grep -q '^304 .*minisig' "$tmp/logs/access.log" &&
	[ "$(grep -c 'feed.json.minisig' "$tmp/logs/access.log")" -eq 1 ] &&
	ok "the signature is fetched once, only with a new body" || bad "unexpected .minisig requests: $(grep -c minisig "$tmp/logs/access.log")"

sleep 1.1 # a different second, so the new signature's timestamp is later
playlist second "BHYT học sinh, sinh viên - Bảo vệ, chăm sóc sức khỏe thế hệ trẻ"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null || bad "second publish failed"
if wait_until_ms $((poll_ms + 1500)) current_is second; then
	ok "a newly published playlist is on the board after ${waited} ms (poll interval $poll_ms ms)"
else
	bad "'second' not on the board within one poll interval: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
fi
v2=$(status_field 'd["feeds"][0]["version"]')
[ "$v2" -gt "$v1" ] 2>/dev/null && ok "the feed version went from $v1 to $v2" || bad "feed version $v1 -> $v2"

# The ETag collision: nginx's ETag is the mtime in seconds and the size, so
# a same-size playlist published in the second the board's version is dated
# would share its ETag, and the board would get 304 for ever. Date the
# board's version T (as a publish within T would), let the board take it,
# then publish another of the same size during T.
t=$(($(date +%s) + 3))
playlist etag-one "Cùng cỡ, cùng giây: ETag phải khác"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null || bad "publish etag-one failed"
touch -d "@$t" "$www/feed.json"
wait_until_ms 5000 current_is etag-one || bad "the board does not show etag-one"
etag1=$(curl -sI "http://127.0.0.1:$port/national/feed.json" | tr -d '\r' | sed -n 's/^ETag: //Ip')
while [ "$(date +%s)" -lt "$t" ]; do sleep 0.05; done
playlist etag-two "Cùng cỡ, cùng giây: ETag phải khác"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$www" >/dev/null || bad "publish etag-two failed"
etag2=$(curl -sI "http://127.0.0.1:$port/national/feed.json" | tr -d '\r' | sed -n 's/^ETag: //Ip')
[ -n "$etag1" ] && [ "$etag1" != "$etag2" ] && [ "$(stat -c %Y "$www/feed.json")" -gt "$t" ] &&
	ok "a same-size publish within the same second gets a new ETag ($etag1 -> $etag2)" ||
	bad "ETag $etag1 -> $etag2 (mtime $(stat -c %Y "$www/feed.json"), second $t)"
wait_until_ms $((poll_ms * 3)) current_is etag-two && ok "the board takes the same-size version published in the same second" ||
	bad "the board kept etag-one: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -2)"

# A reload that moves the layer to another URL: until that URL delivers, the
# board goes on showing the layer's last good version, and says so.
sed -i "s|^url = .*|url = http://127.0.0.1:$port/office/feed.json|" "$tmp/ledsign.conf"
kill -HUP "$d_pid"
wait_until_ms 5000 eval 'grep -q "office/feed.json: nothing from this URL yet; showing the layer.s last good version (from http://127.0.0.1:$port/national/feed.json)" "$tmp/ledsignd.log"' &&
	ok "a changed url keeps the layer's last good version, and the log says where it came from" ||
	bad "no inherit line: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
wait_until_ms 3000 eval 'grep -q "office/feed.json: body: the server answered HTTP 404; still showing the last good version" "$tmp/ledsignd.log"' &&
	current_is etag-two && ok "while the new URL answers 404 the board shows etag-two, as the log says" ||
	bad "after the url change: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -2)"
mkdir -p "$tmp/www/office"
playlist office "Văn phòng BHXH quận Ba Đình"
"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$tmp/www/office" >/dev/null || bad "publish office failed"
wait_until_ms $((poll_ms * 4)) current_is office && ok "the new URL's own version replaces it once it delivers" ||
	bad "office not shown: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -2)"

# Restart without nginx: the cache is on the board before any network.
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
kill "$(cat "$tmp/nginx.pid")"; wait "$ng_pid" 2>/dev/null; rm -f "$tmp/nginx.pid"
rm -f "$tmp/status.json"
LEDSIGN_TEST_POLL_MS=$poll_ms d_log=ledsignd2.log start_ledsignd
wait_until_ms 5000 current_is office && ok "restarted with the server down: shows 'office' from the cache" ||
	bad "after restart without server: $(tail -3 "$tmp/ledsignd2.log")"
grep -q "1 of 1 feeds shown from the cache" "$tmp/ledsignd2.log" && ok "the cache was shown before any network activity" ||
	bad "no cache line in the log: $(head -3 "$tmp/ledsignd2.log")"
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
sanitizers_clean "$tmp/ledsignd.log" "$tmp/ledsignd2.log"
finish
