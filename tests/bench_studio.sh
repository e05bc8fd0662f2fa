#!/bin/bash
# make bench: the studio's server-side rendering (deploy/HUB.md, "Studio",
# "Cost"): a real ledsign-hub on a free port, an editor logged in with curl,
# and the wall-clock time of
#   POST /api/studio/preview?item=1&board=192x16&seconds=20   (a 20 s GIF, 25 fps)
#   POST /api/studio/preview?item=1&board=64x32:rgb&seconds=20
#   POST /api/studio/timeline?board=192x16&days=7             (a week)
#   POST /api/studio/lint
# for content/national.json, each the median of 3 runs (curl's time_total,
# as the editor's browser waits for it). Times are context: they depend on
# the machine and its load.
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp bench-studio
hub_pid=''
trap 'kill $hub_pid 2>/dev/null; wait $hub_pid 2>/dev/null; feed_cleanup' EXIT
need_build ledsign-hub
port=$(free_port)
printf '[http]\nlisten = 127.0.0.1:%s\nwww_dir = %s/src/hub/www\ncookie_secure = no\n[hub]\nstate_dir = %s/hub\n' \
	"$port" "$root" "$tmp" >"$tmp/hub.conf"
echo "editor-password-1" | "$build/ledsign-hub" -c "$tmp/hub.conf" user add ed --role editor >/dev/null ||
	{ bad "ledsign-hub user add"; finish; }
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
hub_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$url/" && break; sleep 0.1; done

jar="$tmp/cookies"
login_csrf=$(curl -s -c "$jar" "$url/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["login_csrf"])')
curl -s -b "$jar" -c "$jar" -H "X-CSRF-Token: $login_csrf" -H 'Content-Type: application/json' \
	-d '{"name":"ed","password":"editor-password-1"}' -o /dev/null "$url/api/login"
csrf=$(curl -s -b "$jar" "$url/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' 2>/dev/null)
[ -n "$csrf" ] && ok "an editor logs in" || { bad "login: $(tail -3 "$tmp/hub.log")"; finish; }

# timed NAME PATH: the median time_total of 3 POSTs of the national playlist.
timed() {
	local times=() code
	for _ in 1 2 3; do
		read -r code t < <(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
			--data-binary @"$root/content/national.json" -o "$tmp/out" -w '%{http_code} %{time_total}\n' "$url$2")
		[ "$code" = 200 ] || { bad "$1: HTTP $code $(head -c 300 "$tmp/out")"; return; }
		times+=("$t")
	done
	med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
	ok "$1: $(python3 -c "print(round($med * 1000))") ms (median of 3; $(stat -c %s "$tmp/out") bytes)"
}
timed "hub preview, 20 s animation of a 192x16 board (25 fps)" "/api/studio/preview?item=1&board=192x16&seconds=20"
timed "hub preview, 20 s animation of a 64x32 RGB board (25 fps)" "/api/studio/preview?item=1&board=64x32:rgb&seconds=20"
timed "hub timeline, one week of a 192x16 board (2 s steps)" "/api/studio/timeline?board=192x16&days=7"
timed "hub lint of content/national.json" "/api/studio/lint"
finish
