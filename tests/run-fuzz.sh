#!/bin/sh
# Builds each libFuzzer target tests/fuzz_*.c with clang and runs it for a
# bounded time from its seed corpus (tests/corpus/NAME/). A crash or sanitizer
# report fails the stage; the reproducer is left in BUILD.
set -u
build=${1:-build-fuzz}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p "$build"
results="$build/fuzz-results.txt"
: >"$results"
command -v clang >/dev/null || { echo "fuzz: clang missing; run sh deploy/install-deps.sh --test" >&2; echo "fuzz: 0 passed, 1 failed" >>"$results"; exit 1; }
lib_src=$(ls src/*.c src/*/*.c | grep -v '^src/cmd/')
pkgs="libgpiod freetype2 libcurl libcjson inih libutf8proc libsodium libpng libsystemd"
status=0
for f in tests/fuzz_*.c; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .c)
	exe="$build/$name"
	echo "== fuzz: $name (${seconds}s)"
	if ! clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -DLS_VERSION='"fuzz"' \
		-DLS_DATADIR='"."' $(pkg-config --cflags $pkgs) "$f" $lib_src -o "$exe" \
		$(pkg-config --libs $pkgs) -lgif -lm -lpthread; then
		echo "$name: 0 passed, 1 failed" >>"$results"; status=1; continue
	fi
	corpus="$build/corpus-$name"
	mkdir -p "$corpus"
	[ -d "tests/corpus/$name" ] && cp -r "tests/corpus/$name/." "$corpus/"
	if (cd "$build" && "./$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 \
		"corpus-$name" >"$name.log" 2>&1); then
		echo "$name: 1 passed, 0 failed" >>"$results"
		grep -E '^#[0-9]+.*DONE' "$build/$name.log" | tail -n 1
	else
		tail -n 30 "$build/$name.log"
		echo "$name: 0 passed, 1 failed" >>"$results"; status=1
	fi
done
cat "$results"
exit $status
