# shellcheck shell=bash
# Shared helpers for tests/e2e_*.sh (source it): check/ok/fail counters, a
# temporary directory removed on exit, and the closing "N passed, N failed".
#   . tests/lib.sh
#   check "name of behaviour" command args...   # passes when the command succeeds
#   finish                                       # prints the summary, sets the exit status
LEDSIGN_ROOT=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
LEDSIGN_BUILD=${LEDSIGN_BUILD:-$LEDSIGN_ROOT/build}
# shellcheck disable=SC2034 # LEDSIGN and LEDSIGND are for the scripts that source this
LEDSIGN=$LEDSIGN_BUILD/ledsign
# shellcheck disable=SC2034
LEDSIGND=$LEDSIGN_BUILD/ledsignd
T_PASSED=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-e2e.XXXXXX")
T_CLEANUP=""
t_cleanup() {
	eval "$T_CLEANUP"
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT

# at_exit CMD: run CMD when the script ends (e.g. kill a server).
at_exit() { T_CLEANUP="${T_CLEANUP:+$T_CLEANUP; }$*"; }

ok() { echo "ok   $1"; T_PASSED=$((T_PASSED + 1)); }
fail() { echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '  %s\n' "$@"; T_FAILED=$((T_FAILED + 1)); }

# check NAME CMD...: CMD's success is the behaviour NAME.
check() {
	local name=$1
	shift
	if "$@" >"$T_TMP/check.out" 2>&1; then ok "$name"; else fail "$name" "$(tail -n 5 "$T_TMP/check.out")"; fi
}

finish() {
	echo "$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ]
}
