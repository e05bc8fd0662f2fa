#!/bin/sh
# Builds each libFuzzer target tests/fuzz_*.c with clang against one
# sanitised copy of the library, and runs it for a bounded time from its seed
# corpus (tests/corpus/NAME/). A crash or sanitizer report fails the stage;
# the reproducer and log are left in BUILD.
set -u
build=${1:-build-fuzz}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
mkdir -p "$build/obj"
results="$build/fuzz-results.txt"
: >"$results"
if ! command -v clang >/dev/null; then
	echo "fuzz: clang missing; run sh deploy/install-deps.sh --test" >&2
	echo "fuzz: 0 passed, 1 failed" >>"$results"
	exit 1
fi
pkgs="libgpiod freetype2 libcurl libcjson inih libutf8proc libsodium libpng libsystemd"
# Flags go through a response file, so the quoted macros survive xargs and sh -c.
# shellcheck disable=SC2046 # pkg-config gives several words
printf '%s\n' -std=gnu11 -g -O1 -Iinclude '-DLS_VERSION=\"fuzz\"' '-DLS_DATADIR=\".\"' \
	$(pkg-config --cflags $pkgs) >"$build/cflags"
cflags="@$build/cflags -fsanitize=fuzzer-no-link,address,undefined"
libs="$(pkg-config --libs $pkgs) -lgif -lm -lpthread"

# The library once, in parallel (2 jobs); an object is rebuilt when its source
# or any header is newer.
newest_h=$(ls -t include/ledsign/*.h src/*/*.h src/*/*/*.h 2>/dev/null | head -n 1)
export newest_h
objs=
for src in src/core/*.c src/core/*/*.c src/sys/*.c src/sys/*/*.c; do
	[ -f "$src" ] || continue
	obj="$build/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	objs="$objs $obj"
	echo "$src $obj"
done | xargs -P 2 -n 2 sh -c '
	[ "$1" -nt "$0" ] && [ "$1" -nt "$newest_h" ] && exit 0
	clang '"$cflags"' -c "$0" -o "$1"' || { echo "fuzz: library build failed" >>"$results"; exit 1; }
objs=$(ls src/core/*.c src/core/*/*.c src/sys/*.c src/sys/*/*.c | while read -r s; do echo "$build/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"; done)

status=0
for f in tests/fuzz_*.c; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .c)
	exe="$build/$name"
	echo "== fuzz: $name (${seconds}s)"
	# shellcheck disable=SC2086
	if ! clang $cflags -fsanitize=fuzzer "$f" $objs -o "$exe" $libs; then
		echo "$name: 0 passed, 1 failed" >>"$results"
		status=1
		continue
	fi
	corpus="$build/corpus-$name"
	mkdir -p "$corpus"
	[ -d "tests/corpus/$name" ] && cp -r "tests/corpus/$name/." "$corpus/"
	if (cd "$build" && "./$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1536 \
		-timeout=10 "corpus-$name" >"$name.log" 2>&1); then
		echo "$name: 1 passed, 0 failed" >>"$results"
		grep -E '^#[0-9]+.*DONE' "$build/$name.log" | tail -n 1
	else
		tail -n 30 "$build/$name.log"
		echo "$name: 0 passed, 1 failed" >>"$results"
		status=1
	fi
done
cat "$results"
exit $status
