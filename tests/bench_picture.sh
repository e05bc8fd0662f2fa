#!/bin/sh
# Picture benchmark: instructions per frame and per pixel, under callgrind
# (start-up excluded), of the player drawing a zone with the emblem beside
# scrolling text, on a 192x16 red board and a 64x32 RGB one, against the
# same text alone, and with an animated GIF in the emblem's place; for the
# animation also the item's start, where all its frames are drawn
# (tests/bench_picture.c).
# Usage: sh tests/bench_picture.sh [BUILD]   (default build; after make bench)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
exe="$build/bench/bench_picture"
[ -x "$exe" ] || make --no-print-directory "$exe" >/dev/null
command -v valgrind >/dev/null || { echo "bench_picture: valgrind missing; no instruction counts"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
frames=500
for board in mono rgb; do
	for what in picture anim text; do
		valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$board-$what.%p" \
			"$exe" "$board" "$what" $frames >/dev/null 2>&1
		ir=$(grep -l "Trigger: Client Request: frames" "$tmp/$board-$what".* | head -n 1 | xargs sed -n 's/^totals: //p')
		px=3072
		[ "$board" = rgb ] && px=2048
		awk -v b="$ir" -v n=$frames -v px=$px -v board="$board" -v what="$what" 'BEGIN {
			printf "callgrind: %s, %s: %.0f instructions/frame = %.2f per pixel\n", board, what, b / n, b / n / px
		}'
		if [ "$what" = anim ]; then
			ir=$(grep -l "Trigger: Client Request: start" "$tmp/$board-$what".* | head -n 1 | xargs sed -n 's/^totals: //p')
			echo "callgrind: $board, anim: $ir instructions at the item's start (every frame drawn, and the text)"
		fi
	done
done
