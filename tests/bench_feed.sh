#!/bin/bash
# Feed benchmark: ledsignd polls a real nginx on loopback many times (short
# interval through the test-only LEDSIGN_TEST_POLL_MS), with a new playlist
# published now and then; reports the service's RSS over the run and the
# bytes nginx sent per unchanged poll ($bytes_sent of the 304s).
#
#   sh tests/bench_feed.sh [BUILD]       (BUILD defaults to build)
#   BENCH_FEED_POLLS=3600 BENCH_FEED_POLL_MS=10 override the run's length.
#
# Last lines (for make bench):
#   feed: rss_kb start=N mid=N end=N growth=N polls=N
#   feed: bytes_per_unchanged_poll=N
set -u
. "$(dirname "$0")/feedlib.sh"
build=${1:-${LEDSIGN_BUILD:-build}}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
polls=${BENCH_FEED_POLLS:-3600}
poll_ms=${BENCH_FEED_POLL_MS:-10}

feed_tmp bench-feed # kept with BENCH_KEEP=1
die() { echo "bench_feed: $*" >&2; exit 1; }
[ -x "$build/ledsignd" ] && [ -x "$build/ledsign" ] || die "$build/ledsignd or ledsign missing (make first)"
mkdir -p "$tmp/www/national"
nginx_start '$status $bytes_sent $request_uri "$http_if_none_match" "$sent_http_etag"' \
	'keepalive_requests 1000000; add_header Cache-Control "no-cache" always;' || die "$nginx_error"

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || die "keygen failed"
publish() {
	{ cat "$root/content/national.json"; printf "%${1}s\n" ""; } >"$tmp/playlist.json"
	"$build/ledsign" publish "$tmp/playlist.json" --key "$tmp/k.sec" --to "$tmp/www/national" >/dev/null || die "publish failed"
}
publish 1
feed_conf bench-feed 25 "http://127.0.0.1:$port/national/playlist.json" "pubkey = $(tail -1 "$tmp/k.pub")"
LEDSIGN_TEST_POLL_MS=$poll_ms start_ledsignd

count() { awk '$3 == "/national/playlist.json"' "$tmp/logs/access.log" 2>/dev/null | wc -l; }
rss() { awk '/VmRSS/ {print $2}' /proc/"$d_pid"/status; }
wait_polls() { while [ "$(count)" -lt "$1" ]; do kill -0 "$d_pid" 2>/dev/null || die "ledsignd died: $(tail -3 "$tmp/ledsignd.log")"; sleep 0.2; done; }

wait_polls 20
rss_start=$(rss)
wait_polls $((polls / 2))
# A publish mid-run: the accept path (signature, parse, cache store) runs too.
sleep 1.1 && publish 2
wait_polls $((polls / 2 + 20))
# Same bytes, new validators (a re-upload): one 200, then 304s again.
sleep 1.1 && touch "$tmp/www/national/playlist.json"
wait_polls $((polls / 2 + 40))
rss_mid=$(rss)
wait_polls "$polls"
rss_end=$(rss)
n=$(count)
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=

bytes=$(awk '$1 == 304 && $3 == "/national/playlist.json" {s += $2; n++} END {if (n) printf "%d", s / n}' "$tmp/logs/access.log")
n304=$(awk '$1 == 304 && $3 == "/national/playlist.json"' "$tmp/logs/access.log" | wc -l)
n200=$(awk '$1 == 200 && $3 == "/national/playlist.json"' "$tmp/logs/access.log" | wc -l)
echo "feed: $n polls every $poll_ms ms: $n200 x 200, $n304 x 304"
echo "feed: rss_kb start=$rss_start mid=$rss_mid end=$rss_end growth=$((rss_end - rss_mid)) polls=$n"
echo "feed: bytes_per_unchanged_poll=${bytes:-?}"
