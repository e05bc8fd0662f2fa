#!/bin/sh
# One formatter, enforced: every C source and header of the tree must be as
# clang-format (with the tree's .clang-format) writes it. Names each file
# that is not, then "N passed, N failed" (one check per file). `make format`
# rewrites them.
#
#   sh tests/check-format.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
if ! command -v clang-format >/dev/null; then
	echo "check-format: clang-format missing; run sh deploy/install-deps.sh --test" >&2
	echo "check-format: 0 passed, 1 failed"
	exit 1
fi
pass=0
fail=0
for f in $(find src include tests -name '*.[ch]' | sort); do
	if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		echo "check-format: $f is not clang-formatted; run make format (or clang-format -i $f)" >&2
		fail=$((fail + 1))
	fi
done
echo "check-format: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
