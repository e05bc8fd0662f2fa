#!/bin/sh
# Runs the end-to-end scripts tests/e2e_*.sh against the binaries in BUILD.
# Each script prints "N passed, N failed" last; results go to
# BUILD/e2e-results.txt.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export LEDSIGN_ROOT="$root" LEDSIGN_BUILD="$root/$build"
results="$build/e2e-results.txt"
: >"$results"
for t in tests/e2e_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	echo "== e2e: $name"
	out=$(bash "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	{ [ -n "$line" ] && [ $rc -eq 0 ]; } || line="${line:-0 passed, 1 failed}"
	[ $rc -eq 0 ] || case "$line" in *", 0 failed"*) line="0 passed, 1 failed" ;; esac
	echo "$name: $line" >>"$results"
done
exec sh tests/summary.sh "$build" e2e
