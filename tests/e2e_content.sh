#!/usr/bin/env bash
# Every playlist shipped in content/ passes `ledsign validate` without a
# warning and matches content/playlist.schema.json; a broken copy fails with
# file:line:col; `ledsign schedule` shows the office file's hours, closure and
# dark nights as the editors' guide says; the man page formats cleanly.
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

if [ ! -x "$LEDSIGN" ] || "$LEDSIGN" validate --help 2>&1 | grep -q 'not part of this build'; then
	echo "skip: $LEDSIGN (with validate/schedule) is not built"
	finish
	exit
fi

for f in content/*.json; do
	case $f in *schema*) continue ;; esac
	if "$LEDSIGN" validate "$f" >"$T_TMP/v.out" 2>&1 && grep -q ': ok: .* 0 error(s), 0 warning(s)' "$T_TMP/v.out"; then
		ok "$f validates with no warning"
	else
		fail "$f validates with no warning" "$(cat "$T_TMP/v.out")"
	fi
done
playlists=$(find content -maxdepth 1 -name '*.json' ! -name '*schema*' | sort)
check "all content files validate together (zones shared across files)" \
	"$LEDSIGN" validate $playlists

# A missing comma: a syntax error at the line and column where it is noticed.
sed '0,/"version": 1,/s//"version": 1/' content/national.json >"$T_TMP/broken.json"
"$LEDSIGN" validate "$T_TMP/broken.json" >"$T_TMP/b.out" 2>&1
rc=$?
want_line=$(grep -n '"name"' "$T_TMP/broken.json" | head -1 | cut -d: -f1)
if [ $rc -eq 1 ] && grep -qE "broken.json:$want_line:[0-9]+: JSON syntax error" "$T_TMP/b.out"; then
	ok "a broken copy fails (exit 1) with file:$want_line:col"
else
	fail "a broken copy fails (exit 1) with file:line:col" "exit $rc" "$(cat "$T_TMP/b.out")"
fi

# A semantic error: the JSON path, the position and the fix.
sed 's/"until": "2026-09-30"/"until": "2026-09-31"/' content/national.json >"$T_TMP/bad-date.json"
"$LEDSIGN" validate "$T_TMP/bad-date.json" >"$T_TMP/d.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -qE 'bad-date.json:[0-9]+:[0-9]+: items\[1\]\.until: "2026-09-31" is not a date; use "YYYY-MM-DD"' "$T_TMP/d.out"; then
	ok "an impossible date names file:line:col, items[1].until and the form to use"
else
	fail "an impossible date is refused with its path" "exit $rc" "$(cat "$T_TMP/d.out")"
fi

# A typo in a key: an error with its position and a suggestion (exit 1), so
# it cannot publish; see e2e_validate.sh for the keys that change what plays.
sed 's/"weight": 2/"wieght": 2/' content/national.json >"$T_TMP/typo.json"
"$LEDSIGN" validate "$T_TMP/typo.json" >"$T_TMP/t.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -qE 'typo.json:[0-9]+:[0-9]+: items\[[0-9]\]: unknown key "wieght"; did you mean "weight"' "$T_TMP/t.out"; then
	ok "an unknown key is an error with its position and a suggestion"
else
	fail "an unknown key is an error with a suggestion" "exit $rc" "$(cat "$T_TMP/t.out")"
fi

# An item time zone this machine does not know is an error (the board would
# refuse the feed; glibc would play it in UTC), in validate and in publish.
printf '{"version":1,"items":[{"id":"a","text":"x"},{"id":"b","text":"y","timezone":"%s"}]}\n' \
	Asia/Ho_Chi_Mihn >"$T_TMP/tz-typo.json"
sed 's/Mihn/Minh/' "$T_TMP/tz-typo.json" >"$T_TMP/tz-real.json"
"$LEDSIGN" validate "$T_TMP/tz-typo.json" >"$T_TMP/z.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'items\[1\]\.timezone: Asia/Ho_Chi_Mihn is not a known time zone; use e.g. Asia/Ho_Chi_Minh' "$T_TMP/z.out"; then
	ok "validate: an unknown item time zone is an error naming the item and the zone"
else
	fail "validate: an unknown item time zone is an error" "exit $rc" "$(cat "$T_TMP/z.out")"
fi
check "validate: a real item time zone passes" "$LEDSIGN" validate "$T_TMP/tz-real.json"
"$LEDSIGN" keygen --pub "$T_TMP/k.pub" --sec "$T_TMP/k.sec" >/dev/null
mkdir -p "$T_TMP/www"
"$LEDSIGN" publish "$T_TMP/tz-typo.json" --key "$T_TMP/k.sec" --to "$T_TMP/www" >"$T_TMP/p.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'not published: .*items\[1\]\.timezone: Asia/Ho_Chi_Mihn is not a known time zone' "$T_TMP/p.out" &&
	[ ! -e "$T_TMP/www/tz-typo.json" ]; then
	ok "publish: an unknown item time zone is refused and nothing is installed"
else
	fail "publish: an unknown item time zone is refused" "exit $rc" "$(cat "$T_TMP/p.out")"
fi
check "publish: a real item time zone is published" "$LEDSIGN" publish "$T_TMP/tz-real.json" --key "$T_TMP/k.sec" --to "$T_TMP/www"

# Too large: the documented 1 MiB limit.
{ printf '{"version":1,"items":[{"id":"x","text":"'; head -c 1100000 /dev/zero | tr '\0' a; printf '"}]}'; } >"$T_TMP/big.json"
"$LEDSIGN" validate "$T_TMP/big.json" >"$T_TMP/g.out" 2>&1
if [ $? -eq 1 ] && grep -q 'a playlist is at most 1048576 bytes' "$T_TMP/g.out"; then
	ok "a file over 1 MiB is refused"
else
	fail "a file over 1 MiB is refused" "$(head -c 300 "$T_TMP/g.out")"
fi

# JSON Schema: the shipped files match it (when python3-jsonschema is there).
if python3 -c 'import jsonschema' 2>/dev/null; then
	if python3 - content/playlist.schema.json content/national.json content/province-gia-lai.json \
		content/office-ba-dinh.json content/urgent-template.json >"$T_TMP/s.out" 2>&1 <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for f in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(f))):
        print(f, list(e.path), e.message); bad += 1
doc = json.load(open(sys.argv[2])); doc["items"][0]["efect"] = "static"
if not list(v.iter_errors(doc)):
    print("schema accepts an unknown key"); bad += 1
sys.exit(1 if bad else 0)
PY
	then ok "content matches playlist.schema.json (draft 2020-12), which refuses unknown keys"; else fail "schema" "$(cat "$T_TMP/s.out")"; fi
else
	echo "skip: python3-jsonschema not installed"
fi

# The office board: opening hours on a weekday, the closure on New Year's Day, dark at night.
"$LEDSIGN" schedule content/national.json content/office-ba-dinh.json \
	--from "2026-12-31 16:00" --to "2027-01-01 08:00" >"$T_TMP/sch.out" 2>&1
if grep -qE '^2026-12-31 16:00:00 .* main .*gio-lam-viec' "$T_TMP/sch.out" &&
	grep -qE '^2026-12-31 22:00:00 .* main +\(off: dark\)' "$T_TMP/sch.out" &&
	grep -qE '^2027-01-01 06:00:00 .* main +nghi-tet [0-9]+x 100%' "$T_TMP/sch.out" &&
	grep -qE '^2026-12-31 16:00:00 .* clock +dong-ho' "$T_TMP/sch.out"; then
	ok "schedule: office hours, dark from 22:00, only the closure notice on 1 January"
else
	fail "schedule: office hours, night, closure" "$(cat "$T_TMP/sch.out")"
fi

# The urgent template pre-empts everything while it lasts, on a Gia Lai board.
"$LEDSIGN" schedule $playlists --tags gia-lai --from "2026-10-15 10:50" --to "2026-10-15 11:10" --detail \
	>"$T_TMP/u.out" 2>&1
others=$(awk '$2 > "11:00:00" && $3 == "main" && $4 != "khan-bao"' "$T_TMP/u.out")
if grep -qE '^2026-10-15 11:00:00 +main +khan-bao' "$T_TMP/u.out" && [ -z "$others" ]; then
	ok "schedule --detail: the urgent notice starts at 11:00:00 sharp, mid-item"
else
	fail "urgent notice at 11:00:00" "$(cat "$T_TMP/u.out")"
fi

if command -v groff >/dev/null; then
	if groff -man -Tutf8 -ww -z deploy/man/ledsign-playlist.5 >"$T_TMP/m.out" 2>&1 && [ ! -s "$T_TMP/m.out" ]; then
		ok "ledsign-playlist(5) formats without warnings"
	else
		fail "ledsign-playlist(5) formats without warnings" "$(cat "$T_TMP/m.out")"
	fi
fi
finish
