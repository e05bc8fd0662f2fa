#!/usr/bin/env bash
# ledsign schedule over the hours a daylight-saving zone repeats and skips
# (a board in Europe/Berlin): a campaign until 02:30 on the autumn night stops
# at the first 02:30 and does not come back in the second pass; the times of
# the repeated hour carry their UTC offset; a --from in the skipped spring
# hour is refused saying the clocks jump, not "--to must be after --from".
set -u
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

printf '[board]\ntimezone = Europe/Berlin\n' >"$T_TMP/berlin.conf"
printf '{"version":1,"items":[{"id":"a","text":"a"},{"id":"camp","text":"c","priority":1,"until":"2026-10-25 02:30"}]}' >"$T_TMP/dst.json"

autumn() {
	"$LEDSIGN" schedule "$T_TMP/dst.json" --board "$T_TMP/berlin.conf" --from "2026-10-25 01:30" \
		--to "2026-10-25 03:30" >"$T_TMP/autumn.out" 2>&1 || { cat "$T_TMP/autumn.out"; return 1; }
	# Two periods: camp to the first 02:30 (CEST), then only "a", through the second pass.
	grep -q '^2026-10-25 01:30:00  *2026-10-25 02:30:00+02:00  main    camp [0-9]*x 100%$' "$T_TMP/autumn.out" &&
		grep -q '^2026-10-25 02:30:00+02:00  2026-10-25 03:30:00  *main    a [0-9]*x 100%$' "$T_TMP/autumn.out" &&
		[ "$(grep -c camp "$T_TMP/autumn.out")" -eq 1 ] || { cat "$T_TMP/autumn.out"; return 1; }
}
check "a campaign until 02:30 on the autumn night stops at the first pass and does not come back" autumn

offsets() {
	"$LEDSIGN" schedule "$T_TMP/dst.json" --board "$T_TMP/berlin.conf" --from "2026-10-25 00:30" \
		--to "2026-10-25 04:00" --detail >"$T_TMP/detail.out" 2>&1 || return 1
	grep -q '^2026-10-25 02:[0-5][0-9]:[0-9][0-9]+02:00 ' "$T_TMP/detail.out" &&
		grep -q '^2026-10-25 02:[0-5][0-9]:[0-9][0-9]+01:00 ' "$T_TMP/detail.out" &&
		! grep -q '^2026-10-25 01:[0-9:]*+' "$T_TMP/detail.out" || { head -3 "$T_TMP/detail.out"; return 1; }
}
check "the repeated hour's times carry their UTC offsets, other times none" offsets

skipped() {
	"$LEDSIGN" schedule "$T_TMP/dst.json" --board "$T_TMP/berlin.conf" --from "2026-03-29 02:30" \
		--to "2026-03-29 05:00" >"$T_TMP/spring.out" 2>&1 && return 1
	grep -q "^ledsign schedule: --from 2026-03-29 02:30: that time does not exist in Europe/Berlin: the clocks go from 02:00 to 03:00 then; use 2026-03-29 03:00$" "$T_TMP/spring.out" &&
		! grep -q "must be after" "$T_TMP/spring.out" || { cat "$T_TMP/spring.out"; return 1; }
}
check "a --from in the skipped spring hour says the clocks jump" skipped

twice_noted() {
	"$LEDSIGN" schedule "$T_TMP/dst.json" --board "$T_TMP/berlin.conf" --from "2026-10-25 02:10" \
		--to "2026-10-25 05:00" >/dev/null 2>"$T_TMP/twice.err" || return 1
	grep -q "note: --from 2026-10-25 02:10 occurs twice in Europe/Berlin; the first (UTC+02:00) is meant" "$T_TMP/twice.err"
}
check "a --from in the repeated hour is its first pass, and says so" twice_noted

finish
