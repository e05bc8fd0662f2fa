#!/bin/bash
# `ledsignd -n` means it: for each config the service refuses at start-up
# (a mistyped font, an unknown time zone, pins that collide, an output that
# cannot be opened, a png directory it cannot make, ...), `ledsignd -n`
# refuses it too, with the same message naming the file and line, and for a
# config the service runs, -n says OK; what the service warns of as it starts
# (a missing cache or state directory), -n warns of with the fix.
# Also doctor refuses the mistyped zone with the nearest names, and -n, doctor
# and test-pattern state the refresh rate, warning under 120 Hz with the fix.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT tmp=$T_TMP daemon=$LEDSIGND
mkdir -p "$tmp/cache" "$tmp/state"
export LEDSIGN_CLOCK_SYNCED=1

conf() { # conf NAME [LINES...]: $tmp/NAME.conf, a 64x16 board on a record output,
	# unless LINES has its own [panel] or [output] section
	local n=$1
	shift
	{
		printf '[board]\nname = check\n'
		printf '[feed]\nurl = %s/content/national.json\ncache_dir = %s/cache\n' "$root" "$tmp"
		printf 'state_dir = %s/state\nstatus_file = %s/status.json\n' "$tmp" "$tmp"
		case " $* " in *' [panel] '*) ;; *) printf '[panel]\ntype = hub12\nmodule = 32x16\nchain = 2\n' ;; esac
		case " $* " in *' [output] '*) ;; *) printf '[output]\ntype = record:%s/%s.trace\n' "$tmp" "$n" ;; esac
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$tmp/$n.conf"
}

# both NAME EXPECT [LINES...]: the service refuses the config at start-up with
# EXPECT (a regex), and -n refuses it with the same first line.
both() {
	name=$1 expect=$2
	shift 2
	conf "$name" "$@"
	timeout 20 "$daemon" -c "$tmp/$name.conf" --duration 1 >/dev/null 2>"$tmp/$name.run"
	run_rc=$?
	"$daemon" -n -c "$tmp/$name.conf" >/dev/null 2>"$tmp/$name.n"
	n_rc=$?
	if [ $run_rc != 0 ] && [ $n_rc = 1 ] && grep -Eq "$expect" "$tmp/$name.n" &&
		[ "$(head -n 1 "$tmp/$name.run")" = "$(head -n 1 "$tmp/$name.n")" ]; then
		ok "start-up and -n both refuse: $name"
	else
		fail "start-up and -n both refuse: $name" "start-up rc=$run_rc: $(head -n 2 "$tmp/$name.run")" \
			"-n rc=$n_rc: $(head -n 2 "$tmp/$name.n")"
	fi
}

at() { echo "$name.conf:$(grep -n "^$1" "$tmp/$name.conf" | tail -n 1 | cut -d: -f1): "; }

both font '\[display\] font' '[display]' 'font = /nonexistent/ledsign16.bdf'
both zone "check.conf|zone.conf:[0-9]+: \[board\] timezone: 'Asia/Hanoi' .*did you mean" \
	'[board]' 'timezone = Asia/Hanoi'
both offset 'Etc/GMT-7 is UTC\+7' '[board]' 'timezone = UTC+7'
both pins 'pins.conf:[0-9]+: \[pins\] lat: GPIO 24 is also oe' '[pins]' 'oe = 24' 'lat = 24'
both hub75-e 'hub75-e.conf:[0-9]+: \[pins\] e: this panel needs line e' '[panel]' 'type = hub75' \
	'module = 64x64' 'chain = 1' '[pins]' 'e = none'
both spi-hub75 'spi drives HUB12 panels only' '[panel]' 'type = hub75' 'module = 64x32' \
	'chain = 1' '[output]' 'type = spi'
both trace-dir 'cannot create the trace in /nonexistent' '[output]' \
	'type = record:/nonexistent/dir/t.trace'
both gpiod-chip '\[output\] chip: no GPIO chip is named or labelled' '[output]' 'type = gpiod' \
	'chip = ledsign-no-such-chip'
both twice 'twice.conf:[0-9]+: \[board\] name: given twice' '[board]' 'name = again'
both ca 'ca.conf:[0-9]+: \[feed\] ca_file' '[feed]' 'ca_file = /nonexistent.pem'
# A png output makes its directory at start-up; one it cannot make (/sys takes
# no new directory, even from root) is refused by -n as well, and -n leaves
# nothing behind where it can make it.
both png-dir 'png-dir.conf:[0-9]+: \[output\] path: cannot create /sys/ledsign-frames' \
	'[output]' 'type = png' 'path = /sys/ledsign-frames'
conf png-ok '[output]' 'type = png' "path = $tmp/frames-n"
check png_dir_it_can_make_passes_n "$daemon" -n -c "$tmp/png-ok.conf"
check n_leaves_no_png_dir_behind test ! -e "$tmp/frames-n"

# What the service warns of in its first seconds, -n warns of too (the
# doctor's cache and state checks, for this user), and still passes.
name=dirs
conf dirs
sed -i -e "s|^cache_dir = .*|cache_dir = $tmp/no-cache|" -e "s|^state_dir = .*|state_dir = $tmp/no-state|" "$tmp/dirs.conf"
"$daemon" -n -c "$tmp/dirs.conf" >"$tmp/dirs.n" 2>&1
dirs_rc=$?
check n_warns_of_a_missing_cache_dir_with_the_fix grep -q "^ledsignd: warning: $tmp/no-cache does not exist -- fix: sudo install -d .* $tmp/no-cache" "$tmp/dirs.n"
check n_warns_of_a_missing_state_dir grep -q "^ledsignd: warning: $tmp/no-state does not exist" "$tmp/dirs.n"
check n_passes_with_missing_dirs sh -c "[ $dirs_rc = 0 ] && grep -q 'configuration OK' '$tmp/dirs.n'"
timeout 20 "$daemon" -c "$tmp/dirs.conf" --duration 1 >/dev/null 2>"$tmp/dirs.run"
check start_up_warns_of_the_missing_cache_dir_too grep -q "not cached: $tmp/no-cache/" "$tmp/dirs.run"

# The line numbers are the offending lines.
name=zone
conf zone '[board]' 'timezone = Asia/Hanoi'
"$daemon" -n -c "$tmp/zone.conf" 2>"$tmp/zone.n"
check zone_refusal_names_the_timezone_line grep -q "$(at timezone)\[board\] timezone" "$tmp/zone.n"

# A config the service runs: -n says OK, the service shows frames.
name=good
conf good
"$daemon" -n -c "$tmp/good.conf" >"$tmp/good.n" 2>&1
check good_config_passes_n grep -q 'configuration OK' "$tmp/good.n"
timeout 20 "$daemon" -c "$tmp/good.conf" --duration 1 2>"$tmp/good.run"
check good_config_runs grep -q '^begin frame' "$tmp/good.trace"

# Plain http:// is accepted by both, with the same warning.
name=http
conf http '[feed]' 'url = http://127.0.0.1:9/p.json'
"$daemon" -n -c "$tmp/http.conf" >"$tmp/http.n" 2>&1
check http_feed_passes_n_with_a_warning grep -q "warning: .*$(at "url = http")\[feed\] url 2: .* is plain http://" "$tmp/http.n"

# The refresh rate is stated for the board and its transport, with a warning
# and what to change under 120 Hz: by -n, by doctor, by test-pattern.
name=slow
conf slow '[panel]' 'type = hub12' 'module = 32x16' 'chain = 6' 'rows = 2'
"$daemon" -n -c "$tmp/slow.conf" >"$tmp/slow.n" 2>&1
check n_states_the_refresh_rate grep -q '^refresh: 71 Hz nominal (a refresh is 12304 GPIO writes at 1150 ns each)' "$tmp/slow.n"
check n_warns_under_120_hz_with_the_fixes grep -q 'warning: refresh 71 Hz is under 120 Hz.*type = spi gives [0-9]* Hz.*layout = parallel .* gives 141 Hz' "$tmp/slow.n"
check n_still_passes_a_slow_board grep -q 'configuration OK' "$tmp/slow.n"
check n_suggests_the_mmap_path_with_its_rate grep -q 'type = mmap (Raspberry Pi 1-4, WIRING.md) gives 2032 Hz' "$tmp/slow.n"
# The same board at the mmap transport's timing (record_as = mmap traces it).
name=slowmmap
conf slowmmap '[panel]' 'type = hub12' 'module = 32x16' 'chain = 6' 'rows = 2' \
	'[output]' "type = record:$tmp/slowmmap.trace" 'record_as = mmap'
"$daemon" -n -c "$tmp/slowmmap.conf" >"$tmp/slowmmap.n" 2>&1
check n_states_the_mmap_refresh_rate sh -c "grep -q '^refresh: 2032 Hz nominal (a refresh is 12304 GPIO writes at 40 ns each)' '$tmp/slowmmap.n' && ! grep -q 'warning' '$tmp/slowmmap.n'"
"$LEDSIGN" doctor -c "$tmp/slow.conf" --user root >"$tmp/slow.doctor" 2>&1
check doctor_warns_about_the_refresh grep -q '^warn  refresh .*71 Hz nominal.*change: .*type = spi' "$tmp/slow.doctor"
"$LEDSIGN" test-pattern --pattern solid -c "$tmp/slow.conf" --seconds 0.2 --show-refresh >"$tmp/slow.tp" 2>&1
check test_pattern_states_the_expected_refresh grep -q '^expected: 71 Hz nominal' "$tmp/slow.tp"
"$daemon" -n -c "$tmp/good.conf" >"$tmp/good.n" 2>&1
check a_fast_board_gets_no_refresh_warning sh -c "grep -q '^refresh: 421 Hz nominal (a refresh is 2064 GPIO writes' '$tmp/good.n' && ! grep -q 'warning' '$tmp/good.n'"

# Doctor runs the same checks.
name=zone
"$LEDSIGN" doctor -c "$tmp/zone.conf" --user root >"$tmp/doctor.out" 2>&1
check doctor_refuses_the_mistyped_zone grep -q "^FAIL  config .*\[board\] timezone: 'Asia/Hanoi'.*did you mean" "$tmp/doctor.out"
finish
