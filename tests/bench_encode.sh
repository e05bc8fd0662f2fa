#!/bin/sh
# Encoder benchmark: instructions per frame and per pixel of the panel encoder
# (canvas -> the line states of one full refresh, done once per rendered
# frame), counted by callgrind, for 192x16 and 384x32 HUB12 and 64x32 and
# 128x64 HUB75 at 4 bit planes. Goals (issue #20): at most 20 per pixel for
# HUB12 and 40 for HUB75 at 4 planes.
# Usage: sh tests/bench_encode.sh [BUILD]   (default build; run `make` first)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
exe="$build/bench/bench_encode"
[ -x "$exe" ] || make -s --no-print-directory "$exe" BUILD="$build"
command -v valgrind >/dev/null || { echo "bench_encode: valgrind missing; no instruction counts"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
frames=20
for b in hub12-192x16 hub12-384x32 hub75-64x32 hub75-128x64; do
	out=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$b.%p" \
		"$exe" "$b" $frames 2>/dev/null)
	ir=$(grep -l "Trigger: Client Request: encode\$" "$tmp/$b".* | head -n 1 | xargs sed -n 's/^totals: //p')
	echo "$out" | awk -v ir="$ir" '{
		printf "callgrind: encode %s: %.0f instructions/frame = %.1f per pixel (%d px)\n",
			$1, ir / $3, ir / $3 / $2, $2 }'
done
