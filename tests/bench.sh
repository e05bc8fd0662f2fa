#!/bin/sh
# make bench: runs every benchmark program (BUILD/bench/bench_*) and script
# (tests/bench_*.sh) and prints their figures. Figures that must not drift with
# machine load are counts (instructions from callgrind, GPIO writes, bytes);
# wall-clock times are printed as context only.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export LEDSIGN_ROOT="$root" LEDSIGN_BUILD="$root/$build"
status=0
for b in "$build"/bench/bench_*; do
	[ -x "$b" ] || continue
	# A benchmark with a driver script (tests/NAME.sh) is run by that script below.
	[ -f "tests/$(basename "$b").sh" ] && continue
	echo "== $(basename "$b")"
	"$b" || status=1
	echo
done
for s in tests/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s" .sh)"
	bash "$s" || status=1
	echo
done
exit $status
