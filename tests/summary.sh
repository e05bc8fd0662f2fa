#!/bin/sh
# Adds up the recorded "N passed, N failed" lines and prints one total; exits 1
# when anything failed.
#   summary.sh BUILD [e2e]    one stage
#   summary.sh BUILD BUILD2   (from make test) every stage of both builds
set -u
files=
case "${2:-}" in
e2e) files="$1/e2e-results.txt" ;;
"") files="$1/test-results.txt" ;;
*) for b in "$@"; do files="$files $b/test-results.txt $b/e2e-results.txt"; done
   files="$files build-fuzz/fuzz-results.txt" ;;
esac
cat $files 2>/dev/null | awk '
	{ for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
	$0 ~ /[1-9][0-9]* failed/ { print "  failing: " $0 > "/dev/stderr" }
	END { printf "%d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }'
