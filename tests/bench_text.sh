#!/bin/sh
# Text benchmark: builds tests/bench_text.c against BUILD/libledsign.a, then
# reports wall-clock figures and, under callgrind (start-up excluded), the
# instructions per frame and per pixel of scrolling text on a 192x16 board
# and of rasterising a 200-character item once.
# Usage: sh tests/bench_text.sh [BUILD]   (default build; run `make` first)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p "$build/tests"
exe="$build/tests/bench_text"
# shellcheck disable=SC2046 # pkg-config gives several words
gcc -std=gnu11 -Wall -Wextra -Werror -O2 -g -Iinclude tests/bench_text.c "$build/libledsign.a" \
	$(pkg-config --cflags --libs freetype2 libutf8proc libpng) -o "$exe"
"$exe" frame 100000
"$exe" render mono
"$exe" render rgb
command -v valgrind >/dev/null || { echo "bench_text: valgrind missing; no instruction counts"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
frames=2000
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/frame.%p" \
	"$exe" frame $frames >/dev/null 2>&1
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/render.%p" \
	"$exe" render mono >/dev/null 2>&1
ir() { grep -l "Trigger: Client Request: $1\$" "$tmp"/* | head -n 1 | xargs sed -n 's/^totals: //p'; }
blit=$(ir blit) clear=$(ir clear) cold=$(ir render-cold) warm=$(ir render-warm)
awk -v b="$blit" -v c="$clear" -v n=$frames -v px=3072 -v cold="$cold" -v warm="$warm" 'BEGIN {
	printf "callgrind: blit %.0f instructions/frame = %.2f per pixel (192x16 = %d px)\n", b / n, b / n / px, px
	printf "callgrind: zone clear %.0f instructions/frame = %.2f per pixel\n", c / n, c / n / px
	printf "callgrind: 200-character item, rasterised once: %.0f instructions (cold glyph cache), %.0f (warm)\n", cold, warm
}'
