#!/usr/bin/env bash
# Start-up and memory of a board's service (issue 20, items 4 and 5), on a
# 192x16 HUB12 board playing content/national.json from its cache:
#  - instructions from exec to the first frame (callgrind, counted up to the
#    first call of ls_player_frame), split into the dynamic loader (ld.so
#    loading and relocating the libraries), the libraries' constructors,
#    loading and fitting the fonts, and the rest of ledsignd;
#  - RSS, VmHWM and locked memory after BENCH_STARTUP_SECONDS (default 30) of
#    playing on a panel output: the record transport (to /dev/null) locking
#    memory as gpiod and spi do (LEDSIGN_TEST_LOCK_MEMORY), with the objects
#    that hold most of the resident pages and the share of libcurl and the
#    libraries it brings (ledsignd opens libcurl after the first frame:
#    src/sys/libcurl.c).
#
#   bash tests/bench_startup.sh [BUILD]      (BUILD defaults to build)
#
# Last lines (for make bench):
#   startup: first_frame_instructions=N ld_so=N constructors=N fonts=N rest=N libraries=N
#   startup: rss_kb=N hwm_kb=N locked_kb=N anon_kb=N file_kb=N curl_tree_kb=N seconds=N
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${LEDSIGN_BUILD:-build}}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
seconds=${BENCH_STARTUP_SECONDS:-30}
die() { echo "bench_startup: $*" >&2; exit 1; }
[ -x "$build/ledsignd" ] || die "$build/ledsignd missing (make first)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# conf OUTPUT: the board's config with that [output] type.
conf() {
	printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 6\n[output]\ntype = %s\nfps = 25\n' "$1"
	printf '[feed]\nurl = %s\ncache_dir = %s\nstate_dir = %s\n' "$root/content/national.json" \
		"$tmp/cache" "$tmp/state"
}
mkdir -p "$tmp/cache" "$tmp/state"
conf none >"$tmp/none.conf"
conf record:/dev/null >"$tmp/panel.conf"
"$build/ledsignd" -c "$tmp/none.conf" --duration 1 >"$tmp/fill.out" 2>&1 ||
	die "ledsignd failed: $(tail -n 3 "$tmp/fill.out")"
grep -q "7 items" "$tmp/fill.out" || die "the cache was not filled: $(tail -n 3 "$tmp/fill.out")"

if command -v valgrind >/dev/null; then
	valgrind --tool=callgrind --dump-before=ls_player_frame --callgrind-out-file="$tmp/cg" \
		"$build/ledsignd" -c "$tmp/none.conf" --duration 0.5 >"$tmp/cg.out" 2>&1 ||
		die "ledsignd under callgrind failed: $(tail -n 3 "$tmp/cg.out")"
	grep -q "1 of 1 feeds shown from the cache" "$tmp/cg.out" || die "not started from the cache"
	callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg.1" >"$tmp/cg.txt" 2>/dev/null
	# ir PATTERN: inclusive instructions of the first function matching PATTERN.
	ir() { awk -v p="$1" '$0 ~ p { gsub(",", "", $1); print $1; exit }' "$tmp/cg.txt"; }
	total=$(ir "PROGRAM TOTALS") ldso=$(ir "rtld.c:_dl_start ") main=$(ir "ledsignd.c:main ")
	fonts=$(ir "font.c:ls_fontset_new ")
	libs=$(ldd "$build/ledsignd" | grep -c '=> /')
	awk -v t="$total" -v l="${ldso:-0}" -v m="${main:-0}" -v f="${fonts:-0}" -v n="$libs" 'BEGIN {
		printf "start-up to the first frame: %.1f M instructions (goal 10 M)\n", t / 1e6
		printf "  ld.so, loading and relocating %d libraries: %.1f M\n", n, l / 1e6
		printf "  library constructors and the C start-up: %.1f M\n", (t - l - m) / 1e6
		printf "  fonts (opened and fitted, ls_fontset_new): %.1f M\n", f / 1e6
		printf "  the rest of ledsignd (config, checks, cache, playlists; libcurl is opened after the first frame): %.1f M\n", (m - f) / 1e6
		printf "startup: first_frame_instructions=%d ld_so=%d constructors=%d fonts=%d rest=%d libraries=%d\n", t, l, t - l - m, f, m - f, n
	}' >"$tmp/ir.txt"
else
	echo "startup: valgrind missing; no instruction counts" >"$tmp/ir.txt"
fi

LEDSIGN_TEST_LOCK_MEMORY=1 "$build/ledsignd" -c "$tmp/panel.conf" --duration $((seconds + 3)) \
	>"$tmp/panel.out" 2>&1 &
pid=$!
sleep "$seconds"
kill -0 "$pid" 2>/dev/null || die "ledsignd stopped: $(tail -n 3 "$tmp/panel.out")"
cp "/proc/$pid/status" "$tmp/status"
cp "/proc/$pid/smaps" "$tmp/smaps"
wait "$pid"
grep -q "cannot lock memory" "$tmp/panel.out" && echo "bench_startup: $(grep -m1 "cannot lock" "$tmp/panel.out")"
kb() { awk -v k="$1:" '$1 == k { print $2 }' "$tmp/status"; }
# Resident kB per mapped object, largest first.
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = NF >= 6 ? $6 : "[anon]" } /^Rss:/ { r[name] += $2 }
	END { for (n in r) print r[n], n }' "$tmp/smaps" | sort -rn >"$tmp/objects"
# libcurl and the libraries it brings: ledsignd does not link it (it opens it
# after the first frame, src/sys/libcurl.c), so they are the shared objects
# mapped now that ledsignd's own ldd does not list (as the real paths smaps
# names).
ldd "$build/ledsignd" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | xargs -r readlink -f |
	sort -u >"$tmp/linked"
awk '$2 ~ /\.so/ { print $2 }' "$tmp/objects" | sort -u | comm -23 - "$tmp/linked" >"$tmp/curl_tree"
grep -q libcurl "$tmp/curl_tree" || die "libcurl was not loaded after $seconds s of playing"
curl_kb=$(awk 'NR == FNR { t[$1] = 1; next } ($2 in t) { s += $1 } END { print s + 0 }' \
	"$tmp/curl_tree" "$tmp/objects")
cat "$tmp/ir.txt"
echo "memory after $seconds s on a record output locking as gpiod does:" \
	"VmRSS $(kb VmRSS) kB, VmHWM $(kb VmHWM) kB, locked $(kb VmLck) kB (goal: 8 MB)"
echo "  anonymous $(kb RssAnon) kB, file-backed $(kb RssFile) kB;" \
	"libcurl and the $(($(wc -l <"$tmp/curl_tree") - 1)) libraries it brings, opened after the first frame: $curl_kb kB;" \
	"without them $(($(kb VmRSS) - curl_kb)) kB"
echo "  largest: $(head -n 8 "$tmp/objects" | awk '{ n = $2; sub(".*/", "", n); printf "%s%s %d", s, n, $1; s = ", " }')"
echo "startup: rss_kb=$(kb VmRSS) hwm_kb=$(kb VmHWM) locked_kb=$(kb VmLck) anon_kb=$(kb RssAnon)" \
	"file_kb=$(kb RssFile) curl_tree_kb=$curl_kb seconds=$seconds"
