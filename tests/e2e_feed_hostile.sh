#!/bin/bash
# The feed against a hostile server (tests/feed_server.py): for each case the
# board keeps showing its last good content, the log names the feed URL and
# the exact reason, and the cache record is byte-for-byte untouched.
#
# ledsignd runs once, with output "none", a status file, and the test-only
# LEDSIGN_TEST_POLL_MS=400 (poll and backoff; see deploy/FEED.md "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp hostile
need_build ledsignd ledsign
command -v minisign >/dev/null || { bad "minisign not installed (deploy/install-deps.sh --test)"; finish; }

www="$tmp/www"
mkdir -p "$www" "$tmp/cache" "$tmp/state"
minisign -G -W -p "$tmp/k.pub" -s "$tmp/k.sec" -f >/dev/null 2>&1
minisign -G -W -p "$tmp/evil.pub" -s "$tmp/evil.sec" -f >/dev/null 2>&1
now=$(date +%s)
playlist() { printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1" "$2"; }
# sign KEY FILE NAME TIMESTAMP: a .minisig whose trusted comment names NAME at TIMESTAMP
sign() { minisign -S -s "$1" -m "$2" -x "$2.minisig" -t "$(printf 'timestamp:%s\tfile:%s\thashed\tpath:%s' "$4" "$3" "$3")" >/dev/null; }
mkcase() { mkdir -p "$www/$1"; printf '%s' "$2" >"$www/$1/feed.json"; sign "${4:-$tmp/k.sec}" "$www/$1/feed.json" "${5:-feed.json}" "$3"; }

mkcase good "$(playlist good-item 'BHXH, BHYT là hai chính sách xã hội quan trọng')" "$now"
mkcase badjson '{"version":1,"items":[{"id":"x","text":"cut' $((now + 10))
mkcase badutf8 "$(printf '{"version":1,"items":[{"id":"x","text":"B\xe1o hi\xc3"}]}')" $((now + 10))
mkcase badsig "$(playlist hijacked 'HACKED')" $((now + 10)) "$tmp/evil.sec"
mkcase replay "$(playlist old-item 'an old playlist')" $((now - 86400))
mkcase otherfile "$(playlist other 'the province feed')" $((now + 10)) "$tmp/k.sec" province.json
echo good >"$www/mode"

start_server() {
	rm -f "$tmp/port"
	python3 "$root/tests/feed_server.py" "$www" "$tmp/port" ${1:-0} 2>>"$tmp/server.log" &
	srv_pid=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	port=$(cat "$tmp/port" 2>/dev/null)
}
start_server
[ -n "$port" ] || { bad "feed_server did not start: $(tail -3 "$tmp/server.log")"; finish; }
url="http://127.0.0.1:$port/feed.json"
feed_conf hostile-test 10 "$url" "pubkey = $(tail -1 "$tmp/k.pub")" "max_bytes = 65536" \
	"connect_timeout = 1" "timeout = 2"
# SIGUSR1 only once the service is up: its first status file says so.
LEDSIGN_TEST_POLL_MS=400 start_ledsignd -v

wait_for() { # wait_for SECONDS: a command that must succeed
	local end=$(($(date +%s) + $1)); shift
	until "$@"; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.2; done
}
version_is() { fresh_status; [ "$(status_field 'd["feeds"][0]["version"]')" = "$1" ]; }
cache_sum() { cat "$tmp"/cache/*.feed 2>/dev/null | sha256sum | cut -d' ' -f1; }

if wait_for 15 version_is "$now"; then
	ok "good: the signed playlist is accepted (version $now)"
else
	bad "good: the signed playlist was not accepted; log: $(tail -5 "$tmp/ledsignd.log")"
	finish
fi
wait_for 5 current_is good-item || bad "good: the board does not show good-item"
sum0=$(cache_sum)

# logged_since LINE PATTERN: a log line after LINE names the feed and matches
logged_since() { tail -n +$(($1 + 1)) "$tmp/ledsignd.log" | grep -F "feed 1 $url: " | grep -qE "$2"; }
# check_case NAME 'log pattern'
check_case() {
	local name=$1 pat=$2 from
	from=$(wc -l <"$tmp/ledsignd.log")
	case "$name" in
	refused) kill "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid= ;;
	*) echo "$name" >"$www/mode" ;;
	esac
	if wait_for 20 logged_since "$from" "$pat"; then
		ok "$name: logged with the feed URL: $(tail -n +$((from + 1)) "$tmp/ledsignd.log" | grep -F "$url" | grep -E "$pat" | head -1 | sed 's/.*feed\.json: //')"
	else
		bad "$name: no log line naming $url and /$pat/; got: $(tail -n +$((from + 1)) "$tmp/ledsignd.log" | grep -v DEBUG | tail -2)"
	fi
	fresh_status
	cur=$(status_field 'd["current"]["id"]')
	ver=$(status_field 'd["feeds"][0]["version"]')
	[ "$cur" = good-item ] && [ "$ver" = "$now" ] && ok "$name: still showing good-item (version $ver)" ||
		bad "$name: board shows '$cur' version '$ver', not good-item $now"
	[ "$(cache_sum)" = "$sum0" ] && ok "$name: cache untouched" || bad "$name: the cache changed"
	if [ "$name" = refused ]; then start_server "$port"; fi
	echo good >"$www/mode"
}

# curl's wording changes between releases ("Couldn't connect to server" in
# 7.88, "Could not connect to server" in 8.14): ask the libcurl the service
# links for its message for each condition, and match on that.
curl_says() { # curl_says CODE: libcurl's curl_easy_strerror(CODE)
	python3 -c 'import ctypes, sys
l = ctypes.CDLL("libcurl.so.4")
l.curl_easy_strerror.restype = ctypes.c_char_p
print(l.curl_easy_strerror(int(sys.argv[1])).decode())' "$1"
}
check_case refused "$(curl_says 7)|Connection refused"
check_case 404 "HTTP 404"
check_case 500 "HTTP 500"
check_case short "partial|closed|chunk|$(curl_says 56)|$(curl_says 18)"
check_case badlength "partial|closed|outstanding"
check_case huge "larger than 65536 bytes"
check_case hugecl "larger than 65536 bytes"
check_case trickle "$(curl_says 28)|timed out"
check_case badjson "JSON syntax error"
check_case badutf8 "invalid UTF-8|is not UTF-8"
check_case badsig "signature refused"
check_case replay "replay refused: signed at $((now - 86400))"
check_case otherfile "made for 'province.json', not 'feed.json'"

rss=$(awk '/VmRSS/ {print $2}' /proc/"$d_pid"/status 2>/dev/null)
echo "ledsignd RSS after the hostile cases: ${rss:-?} kB"
kill -0 "$d_pid" 2>/dev/null && ok "ledsignd survived every case" || bad "ledsignd died: $(tail -3 "$tmp/ledsignd.log")"
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
sanitizers_clean "$tmp/ledsignd.log"
finish
