#!/bin/sh
# Runs every unit test binary in BUILD/tests, from the repository root, and
# records each one's "N passed, N failed" line in BUILD/test-results.txt.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export LEDSIGN_ROOT="$root" LEDSIGN_BUILD="$root/$build"
results="$build/test-results.txt"
: >"$results"
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "== $build: $name"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	[ -n "$line" ] || line="0 passed, 1 failed"
	# A test that printed its summary and then died (a sanitizer report at exit) failed.
	[ $rc -eq 0 ] || case "$line" in *", 0 failed") line="${line%, 0 failed}, 1 failed" ;; esac
	echo "$name: $line" >>"$results"
done
exec sh tests/summary.sh "$build"
