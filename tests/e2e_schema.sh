#!/usr/bin/env bash
# content/playlist.schema.json and `ledsign validate` agree: about 200
# playlists, each one change away from a valid one (dates 2000-2199, the
# nine colour names, windows, lengths in characters, ranges, unknown keys,
# empty lists...), are judged by Debian's python3-jsonschema (Draft 2020-12)
# and by ledsign; any disagreement the schema can express fails
# (tests/schema_mutations.py says which cases it cannot express).
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	fail "python3-jsonschema is installed (deploy/install-deps.sh --test)"
	finish
	exit
fi
if python3 tests/schema_mutations.py "$LEDSIGN" content/playlist.schema.json "$T_TMP/m" >"$T_TMP/s.out" 2>&1; then
	ok "schema and validate agree on every mutation ($(tail -n 1 "$T_TMP/s.out"))"
else
	fail "schema and validate agree on every mutation" "$(grep -v '^[0-9]* passed' "$T_TMP/s.out" | head -20)" "$(tail -n 1 "$T_TMP/s.out")"
fi
# The schema's colour names are the list ledsign names in its hint.
names=$(python3 -c 'import json; print(", ".join(json.load(open("content/playlist.schema.json"))["$defs"]["colour"]["anyOf"][0]["enum"]))')
printf '{"version":1,"items":[{"id":"a","text":"x","color":"purple"}]}' >"$T_TMP/c.json"
if "$LEDSIGN" validate "$T_TMP/c.json" 2>&1 | grep -qF "use a name ($names) or \"#rrggbb\""; then
	ok "the colour hint lists the schema's nine names"
else
	fail "the colour hint lists the schema's nine names" "$names" "$("$LEDSIGN" validate "$T_TMP/c.json" 2>&1)"
fi
finish
