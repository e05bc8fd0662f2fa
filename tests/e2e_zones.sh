#!/usr/bin/env bash
# Time zones at the service edge: with items in their own zones, ledsignd
# reads each zone file while it starts (when the playlist is accepted) and
# never again, however often the schedule is asked; no TZ is set. Before,
# every schedule check re-read the zone files through setenv("TZ") + tzset().
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1
seconds=${ZONES_SECONDS:-10}

cat >"$T_TMP/zones.json" <<'JSON'
{
  "version": 1,
  "name": "zones",
  "items": [
    {"id": "berlin", "text": "Berlin", "timezone": "Europe/Berlin", "windows": ["00:00-23:59"], "duration": 1},
    {"id": "new-york", "text": "New York", "timezone": "America/New_York", "windows": ["00:00-23:59"], "duration": 1},
    {"id": "lord-howe", "text": "Lord Howe", "timezone": "Australia/Lord_Howe", "windows": ["00:00-23:59"], "duration": 1},
    {"id": "tokyo", "text": "Tokyo", "timezone": "Asia/Tokyo", "windows": ["00:00-23:59"], "duration": 1}
  ]
}
JSON
sed -e 's/^type = term/type = png/' -e "s|^fps = 25|fps = 10\npath = $T_TMP/frames|" \
	-e "s|^url = .*|url = $T_TMP/zones.json|" deploy/ledsign-run.conf >"$T_TMP/zones.conf"
check "ledsignd accepts a playlist with items in four zones" "$LEDSIGND" -n -c "$T_TMP/zones.conf"

if ! command -v strace >/dev/null; then
	fail "strace is installed (sh deploy/install-deps.sh --test)"
	finish
	exit
fi
LEDSIGN_CLOCK_SYNCED=1 strace -f -qq -e trace=openat,execve -o "$T_TMP/trace" \
	"$LEDSIGND" -c "$T_TMP/zones.conf" --duration "$seconds" >"$T_TMP/out" 2>&1
rc=$?
frames=$(find "$T_TMP/frames" -maxdepth 1 -name 'frame-*' 2>/dev/null | wc -l)
if [ $rc -eq 0 ] && [ "$frames" -ge $((seconds * 8)) ]; then
	ok "the service ran ${seconds} s under strace ($frames frames)"
else
	fail "the service ran ${seconds} s under strace" "rc=$rc frames=$frames" "$(tail -n 5 "$T_TMP/out")"
fi
# Start-up ends with the first frame drawn after the playlist was read; zone
# files are opened before it, never after.
read_at=$(grep -n 'zones\.json' "$T_TMP/trace" | head -n 1 | cut -d: -f1)
first=$(awk -v r="${read_at:-999999999}" 'NR > r && /frame-[0-9]*\.png/ {print NR; exit}' "$T_TMP/trace")
late=$(awk -v first="${first:-0}" 'NR > first && /zoneinfo/' "$T_TMP/trace")
early=$(awk -v first="${first:-0}" 'NR < first && /zoneinfo/' "$T_TMP/trace")
if [ -n "$first" ] && [ -z "$late" ]; then
	ok "no zone file is opened after start-up"
else
	fail "no zone file is opened after start-up" "first frame at trace line ${first:-none}" "$(printf '%s\n' "$late" | head -n 5)"
fi
for z in Europe/Berlin America/New_York Australia/Lord_Howe Asia/Tokyo; do
	n=$(printf '%s\n' "$early" | grep -c "zoneinfo/$z\"")
	if [ "$n" -eq 1 ]; then
		ok "$z is read once, at start-up"
	else
		fail "$z is read once, at start-up" "$n opens"
	fi
done
finish
