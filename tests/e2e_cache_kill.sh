#!/bin/bash
# A kill -9 at any moment of a cache write leaves a record that loads and is
# exactly the old or the new version, never a mix.
#
# Builds tests/cache_stress.c against $LEDSIGN_BUILD/libledsign.a, starts it
# storing versions A (512 KiB) and B (48 KiB) of one feed in turn, kills it
# with SIGKILL after a random 0-40 ms, and loads the cache, KILLS times
# (default 120; LEDSIGN_CACHE_KILLS overrides).
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
kills=${LEDSIGN_CACHE_KILLS:-120}
pass=0 fail=0
ok() { echo "ok $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-cache-kill.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
lib="$build/libledsign.a"
if [ ! -f "$lib" ]; then
	bad "build: $lib missing (run make first)"
	finish
fi
san=
case "$build" in *asan*) san="-fsanitize=address,undefined" ;; esac
# shellcheck disable=SC2046 # pkg-config gives several words
if ! cc -std=gnu11 -O2 $san -I"$root/include" "$root/tests/cache_stress.c" "$lib" \
	$(pkg-config --libs libsodium) -o "$tmp/cache_stress" 2>"$tmp/cc.log"; then
	cat "$tmp/cc.log"
	bad "build: cache_stress does not compile"
	finish
fi
cache="$tmp/cache"
mkdir "$cache"
"$tmp/cache_stress" init "$cache" || { bad "init: first store failed"; finish; }

broken=0 seen_a=0 seen_b=0 mid_write=0
start=$(date +%s)
for i in $(seq 1 "$kills"); do
	"$tmp/cache_stress" write "$cache" &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 40)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# A temporary file left behind shows the kill landed inside a store.
	ls "$cache"/*.tmp >/dev/null 2>&1 && mid_write=$((mid_write + 1))
	if v=$("$tmp/cache_stress" check "$cache" 2>"$tmp/check.log"); then
		case "$v" in A) seen_a=$((seen_a + 1)) ;; B) seen_b=$((seen_b + 1)) ;; esac
	else
		broken=$((broken + 1))
		echo "kill $i: $(cat "$tmp/check.log")"
	fi
done
secs=$(($(date +%s) - start))
echo "kills: $kills in ${secs}s; loaded A $seen_a times, B $seen_b times; $mid_write kills left a partial temporary file; $broken broken loads"

[ "$broken" -eq 0 ] && ok "every load after $kills kill -9 was version A or B" ||
	bad "$broken of $kills loads after kill -9 failed or were mixed"
[ "$seen_a" -gt 0 ] && [ "$seen_b" -gt 0 ] && ok "the writer made progress between kills (both versions seen)" ||
	bad "only one version ever seen (A $seen_a, B $seen_b): the kills did not exercise the writer"
[ "$mid_write" -gt 0 ] && ok "kills landed inside writes ($mid_write of $kills)" ||
	bad "no kill landed inside a write; the test did not exercise the dangerous window"
finish
