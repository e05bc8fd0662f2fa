#!/bin/bash
# Logging and exit only at the edge: no object of libledsign.a but log.o
# writes to stdout/stderr, prints or exits, and none calls the log (the
# library returns errors; the programs say them). And ledsignd's log lines
# as ledsignd(8) describes them: "ledsign: " by default, the journal's <N>
# priority under systemd (JOURNAL_STREAM), the time of day with -d.
set -u
. "$(dirname "$0")/feedlib.sh"
feed_tmp edge
need_build ledsignd
[ -f "$build/libledsign.a" ] || { bad "build: $build/libledsign.a missing (run make first)"; finish; }

# ---- Nothing in the library prints or exits but the log. ----
objs=$(cd "$tmp" && ar x "$build/libledsign.a" && ls ./*.o)
offenders=
for o in $objs; do
	[ "$(basename "$o")" = log.o ] && continue
	syms=$(nm -u "$tmp/$o" | awk '{print $2}' |
		grep -xE 'exit|_exit|_Exit|abort|stderr|stdout|printf|vprintf|puts|putchar|perror|err|errx|warn|warnx|log_warnx|log_info|log_debug|fatalx' |
		tr '\n' ' ')
	[ -n "$syms" ] && offenders="$offenders $(basename "$o"): $syms;"
done
[ -z "$offenders" ] && ok "no object of libledsign.a but log.o prints, exits or logs ($(echo "$objs" | wc -w) objects)" ||
	bad "library objects that print, exit or log:$offenders"
nm -u "$tmp/log.o" | grep -qw exit && ok "control: the check sees log.o's exit (fatalx)" ||
	bad "control: nm does not show log.o calling exit"

# ---- The three log forms. ----
feed_conf edge 5 "$root/content/national.json"
run_log() { # run_log ENV...: 1 s of the service, its first log line
	env "$@" "$build/ledsignd" -c "$tmp/ledsign.conf" --duration 1 2>"$tmp/log" >/dev/null
	head -n 1 "$tmp/log"
}
line=$(run_log -u JOURNAL_STREAM)
[[ $line == "ledsign: "* ]] && ok "by default a line starts with 'ledsign: ' ($line)" || bad "default line: $line"
line=$(run_log JOURNAL_STREAM=8:1234)
[[ $line =~ ^\<[0-7]\>[^\<] ]] && ok "under the journal a line starts with its priority ($line)" ||
	bad "journal line: $line"
env JOURNAL_STREAM=8:1234 "$build/ledsignd" -d -c "$tmp/ledsign.conf" --duration 1 2>"$tmp/log" >/dev/null
line=$(head -n 1 "$tmp/log")
[[ $line =~ ^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}\ ledsign:\  ]] &&
	ok "with -d a line starts with the time of day, even under the journal ($line)" || bad "-d line: $line"
grep -q '^<' "$tmp/log" && bad "-d: a line carries a journal prefix" || ok "-d: no line carries a journal prefix"
finish
