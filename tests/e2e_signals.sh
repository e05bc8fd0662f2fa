#!/bin/bash
# ledsignd as systemd runs it: READY=1 and WATCHDOG=1 reach NOTIFY_SOCKET;
# SIGHUP applies a good config without blanking and refuses a broken one;
# SIGTERM ends the recorded trace with a blank panel; the brightness schedule
# and the display hours change the recorded OE duty at the configured times
# (the wall clock is faked with LEDSIGN_FAKE_TIME).
set -u
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
daemon=$build/ledsignd
tmp=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work dir: $tmp"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}

# OE duty (share of a refresh with OE at its active level) of each frame block,
# one line per frame, from a trace (deploy/trace-format.md); last line "stop
# LEVEL" says whether OE is active after the stop block (1) or not (0).
cat >"$tmp/duty.py" <<'EOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
oe_high, write_ns, spi_hz, level, blocks, cur = True, 1150, 0, 0, [], None
for l in lines:
    f = l.split()
    if not f or f[0].startswith('#'):
        continue
    if f[0] == 'panel':
        oe_high = 'oe=high' in f
    elif f[0] == 'timing':
        kv = dict(x.split('=') for x in f[1:])
        write_ns, spi_hz = int(kv['write_ns']), int(kv['spi_hz'])
    elif f[0] == 'initial':
        level = int(f[1], 16)
    elif f[0] == 'begin':
        cur = (f[1], [])
    elif f[0] == 'end':
        blocks.append(cur)
    elif cur is not None:
        cur[1].append(f[1:])
def run(ops, level, measure):
    on = total = 0
    for op in ops:
        if op[0] == 'set':
            m, v = int(op[1], 16), int(op[2], 16)
            level = (level & ~m) | v
            d = write_ns
        elif op[0] == 'hold':
            d = int(op[1])
        else:
            d = len(op[1]) // 2 * 8e9 / spi_hz
        active = (level & 1) == (1 if oe_high else 0)
        total += d
        on += d if active else 0
    return level, (on / total if total else 0)
for kind, ops in blocks:
    if kind == 'frame':
        level, _ = run(ops, level, False)   # reach the steady state
        level, duty = run(ops, level, True)
        print('%.4f' % duty)
    else:
        level, _ = run(ops, level, False)
print('stop %d' % (1 if blocks and blocks[-1][0] == 'stop' and ((level & 1) == (1 if oe_high else 0)) else 0)
      if blocks and blocks[-1][0] == 'stop' else 'nostop')
EOF

# A datagram socket that records what sd_notify sends.
cat >"$tmp/notify.py" <<'EOF'
import socket, sys, os
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(15)
with open(out, 'a') as f:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        f.write(msg.replace('\n', ' ') + '\n')
        f.flush()
        if 'STOPPING=1' in msg:
            break
EOF

conf() { # conf FILE TRACE [DISPLAY-LINES...]
	local f=$1 trace=$2
	shift 2
	{
		printf '[board]\nname = e2e\n[panel]\ntype = hub12\nmodule = 32x16\nchain = 2\n'
		printf '[output]\ntype = record:%s\nfps = 10\n' "$trace"
		printf '[feed]\nurl = %s/content/national.json\ncache_dir = %s/cache\nstate_dir = %s/state\nstatus_file = %s/status.json\n' \
			"$root" "$tmp" "$tmp" "$tmp"
		printf '[display]\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$f"
}
mkdir -p "$tmp/cache" "$tmp/state"
export LEDSIGN_CLOCK_SYNCED=1

# --- watchdog and readiness -------------------------------------------------
conf "$tmp/wd.conf" "$tmp/wd.trace"
python3 "$tmp/notify.py" "$tmp/notify.sock" "$tmp/notify.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$tmp/notify.sock WATCHDOG_USEC=400000 "$daemon" -c "$tmp/wd.conf" --duration 2 2>"$tmp/wd.log"
wait "${pids[-1]}" 2>/dev/null
check ready_is_sent_to_notify_socket grep -q 'READY=1' "$tmp/notify.log"
check watchdog_pings_while_refresh_runs test "$(grep -c '^WATCHDOG=1' "$tmp/notify.log")" -ge 3
check stopping_is_sent_on_exit grep -q 'STOPPING=1' "$tmp/notify.log"

# --- SIGHUP (good, then broken) and SIGTERM ---------------------------------
conf "$tmp/live.conf" "$tmp/live.trace"
"$daemon" -c "$tmp/live.conf" 2>"$tmp/live.log" &
dpid=$!
pids+=("$dpid")
sleep 1.5
conf "$tmp/live.conf" "$tmp/live.trace" "brightness = 00:00 40"
kill -HUP $dpid
sleep 1.5
printf '[display]\nhours = whenever\n' >"$tmp/live.conf"
kill -HUP $dpid
sleep 1
alive_after_bad=0
kill -0 $dpid 2>/dev/null && alive_after_bad=1
kill -TERM $dpid
wait $dpid
rc=$?
python3 "$tmp/duty.py" "$tmp/live.trace" >"$tmp/live.duty"
first=$(head -n 1 "$tmp/live.duty")
last=$(grep -v stop "$tmp/live.duty" | tail -n 1)
check good_reload_is_logged grep -q 'reloaded' "$tmp/live.log"
check good_reload_applies_the_new_brightness python3 -c "import sys; f, l = $first, $last; sys.exit(not (f > 0 and abs(l / f - 0.4) < 0.05))"
check reload_does_not_blank_or_reopen_the_panel test "$(grep -c '^begin init' "$tmp/live.trace"):$(grep -c '^begin stop' "$tmp/live.trace")" = 1:1
check broken_reload_is_refused_with_the_reason grep -q 'reload refused.*live.conf:2' "$tmp/live.log"
check broken_reload_keeps_the_service_running test $alive_after_bad = 1
check sigterm_exits_cleanly test $rc = 0
check sigterm_ends_the_trace_with_a_blank_panel test "$(tail -n 1 "$tmp/live.duty")" = "stop 0"
check trace_ends_with_the_stop_block test "$(grep '^begin' "$tmp/live.trace" | tail -n 1)" = "begin stop 0"

# --- brightness schedule and display hours at 18:00 -------------------------
conf "$tmp/bright.conf" "$tmp/bright.trace" "brightness = 07:00 100, 18:00 30"
LEDSIGN_FAKE_TIME="2026-12-01 17:59:58" "$daemon" -c "$tmp/bright.conf" --duration 3.5 2>"$tmp/bright.log"
python3 "$tmp/duty.py" "$tmp/bright.trace" | grep -v stop >"$tmp/bright.duty"
first=$(head -n 1 "$tmp/bright.duty")
last=$(tail -n 1 "$tmp/bright.duty")
check brightness_drops_to_30_percent_at_1800 python3 -c "import sys; f, l = $first, $last; sys.exit(not (f > 0 and abs(l / f - 0.3) < 0.05))"
check brightness_change_is_logged grep -q 'brightness 30%' "$tmp/bright.log"

conf "$tmp/hours.conf" "$tmp/hours.trace" "hours = mon-sun 07:00-18:00"
LEDSIGN_FAKE_TIME="2026-12-01 17:59:58" "$daemon" -c "$tmp/hours.conf" --duration 3.5 2>"$tmp/hours.log"
python3 "$tmp/duty.py" "$tmp/hours.trace" | grep -v stop >"$tmp/hours.duty"
first=$(head -n 1 "$tmp/hours.duty")
last=$(tail -n 1 "$tmp/hours.duty")
check panel_is_lit_before_closing_time python3 -c "import sys; sys.exit(not $first > 0)"
check panel_goes_dark_at_closing_time python3 -c "import sys; sys.exit(not $last == 0)"

conf "$tmp/open.conf" "$tmp/open.trace" "hours = mon-fri 07:00-17:30"
LEDSIGN_FAKE_TIME="2026-12-06 10:00:00" "$daemon" -c "$tmp/open.conf" --duration 1 2>/dev/null
python3 "$tmp/duty.py" "$tmp/open.trace" | grep -v stop >"$tmp/open.duty"
check panel_is_dark_on_a_saturday_outside_hours python3 -c "import sys; d = [float(x) for x in open('$tmp/open.duty')]; sys.exit(not (d and max(d) == 0))"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
