#!/bin/bash
# Per-layer keys (deploy/FEED.md, "One key per layer") on a real board
# against a real nginx: a board whose national layer trusts only the national
# key refuses a national-named playlist signed by the district's key, names
# the layer and the key ID in its log and status, and keeps its content and
# its cache; a key rotation (two keys for one layer, then the old one removed)
# takes files signed by either key, then only by the new one; `ledsignd -n`
# and `ledsign doctor` refuse a bad key, a duplicated key and a layer with
# no key, each at its line. A playlist key the board does not know is
# ignored, and the status and log say which.
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-700}

feed_tmp layerkeys
need_build ledsignd ledsign
mkdir -p "$tmp/www/national" "$tmp/www/ha-noi/ba-dinh"
nginx_start '$status "$request"' || { bad "$nginx_error"; finish; }
ok "nginx listening on 127.0.0.1:$port"

for k in nat_old nat_new district; do
	"$build/ledsign" keygen --pub "$tmp/$k.pub" --sec "$tmp/$k.sec" >/dev/null || { bad "keygen $k"; finish; }
done
b64() { tail -1 "$tmp/$1.pub"; }
kid() { sed -n 's/^untrusted comment: minisign public key //p' "$tmp/$1.pub"; }

# publish ID KEY DIR: a one-item playlist whose item is ID, signed with KEY, into www/DIR.
publish() {
	printf '{"version":1,"items":[{"id":"%s","text":"%s"}]}\n' "$1" "$1 - BHXH Việt Nam" >"$tmp/playlist.json"
	"$build/ledsign" publish "$tmp/playlist.json" --key "$tmp/$2.sec" --to "$tmp/www/$3" --root "$tmp/www" >/dev/null
}
url="http://127.0.0.1:$port"
write_conf() { # the national layer's keys as arguments
	feed_conf layerkeys 10 "national $url/national/playlist.json" \
		"url = ba-dinh $url/ha-noi/ba-dinh/playlist.json" "pubkey = ba-dinh $(b64 district)"
	for k; do echo "pubkey = national $(b64 "$k")" >>"$tmp/ledsign.conf"; done
}
wait_until() { local n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done; return 1; }
f0() { fresh_status; status_field "d['feeds'][0]$1"; }
shows() { [ "$(f0 "['has_content']")" = True ] && [ "$(f0 "['signed_by']")" = "$(kid "$1")" ] && [ "$(f0 "['version']")" -gt "$2" ]; }
refused() { [ "$(f0 "['failures']")" -ge 1 ]; }
cache_sum() { find "$tmp/cache" -type f -exec sha256sum {} + | sort | sha256sum; }

# 1. The checks: each mistake refused by ledsignd -n and doctor at its line.
publish nat1 nat_old national && publish dist1 district ha-noi/ba-dinh || bad "first publish failed"
write_conf nat_old
"$build/ledsignd" -n -c "$tmp/ledsign.conf" >"$tmp/n.out" 2>&1 &&
	ok "ledsignd -n accepts a national and a district layer with a key each" ||
	bad "ledsignd -n refused a good config: $(cat "$tmp/n.out")"
cp "$tmp/ledsign.conf" "$tmp/good.conf"
n_check() { # NAME LINE SED-EXPR EXPECTED-TEXT
	sed "$3" "$tmp/good.conf" >"$tmp/bad.conf"
	if "$build/ledsignd" -n -c "$tmp/bad.conf" >"$tmp/n.out" 2>&1; then
		bad "ledsignd -n accepted $1"
	elif grep -q "bad.conf:$2: .*$4" "$tmp/n.out"; then
		ok "ledsignd -n refuses $1 at line $2"
	else
		bad "ledsignd -n on $1 said: $(cat "$tmp/n.out")"
	fi
	"$build/ledsign" doctor -c "$tmp/bad.conf" >"$tmp/d.out" 2>&1
	grep -q "bad.conf:$2: .*$4" "$tmp/d.out" && ok "doctor refuses $1 at line $2" ||
		bad "doctor on $1 said: $(head -5 "$tmp/d.out")"
}
last=$(wc -l <"$tmp/good.conf")
n_check "a key that is not base64" "$last" "${last}s|RW.*|RW!not*base64|" "not a minisign public key"
n_check "the district key trusted by the national layer too" "$last" \
	"${last}s|.*|pubkey = national $(b64 district)|" "is pubkey 1's too"
url_line=$(grep -n '^url = national' "$tmp/good.conf" | cut -d: -f1)
n_check "a layer with no key" "$url_line" "${last}d" "url 1: layer national has no key"

# 2. The board shows each layer's own files.
LEDSIGN_TEST_POLL_MS=$poll_ms start_ledsignd -v
wait_until 100 shows nat_old 0 && ok "the national layer shows nat1, signed by $(kid nat_old)" ||
	bad "national layer: $(f0 '')"
v1=$(f0 "['version']")

# 3. The district signs a national-named file and gets it onto the national URL.
sleep 1.1
cache_before=$(cache_sum)
publish forged district national || bad "publishing the forgery failed"
if wait_until 100 refused; then
	err=$(f0 "['error']")
	case $err in
	*"signed with key $(kid district), the key of layer ba-dinh, which layer national does not trust (it trusts $(kid nat_old))"*)
		ok "the status names the layer and the key: $err" ;;
	*) bad "the refusal does not name the layer and key: $err" ;;
	esac
else
	bad "the forged national file was not refused: $(f0 '')"
fi
[ "$(f0 "['version']")" = "$v1" ] && [ "$(f0 "['signed_by']")" = "$(kid nat_old)" ] &&
	ok "the national layer keeps its last good version ($v1)" || bad "the national layer now shows $(f0 '')"
[ "$(cache_sum)" = "$cache_before" ] && ok "the cache is untouched" || bad "the cache changed"
grep -q "feed 1 .*national/playlist.json: signature refused: signed with key $(kid district), the key of layer ba-dinh, which layer national does not trust.*still showing the last good version" "$tmp/ledsignd.log" &&
	ok "the log says why" || bad "no refusal in the log: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
"$build/ledsign" status -c "$tmp/ledsign.conf" >"$tmp/status.out" 2>&1
grep -q "last error: .*layer national does not trust" "$tmp/status.out" &&
	grep -q "layer national, trusts key $(kid nat_old), shown version signed by $(kid nat_old)" "$tmp/status.out" &&
	ok "ledsign status shows the refusal and the layer's keys" || bad "ledsign status: $(cat "$tmp/status.out")"

# 4. A rotation: both national keys trusted, then only the new one.
write_conf nat_old nat_new
kill -HUP "$d_pid"
sleep 0.5
publish rot1 nat_new national || bad "publish with the new key failed"
wait_until 100 shows nat_new "$v1" && ok "with two keys, a file signed by the new key plays" ||
	bad "new key: $(f0 '')"
v2=$(f0 "['version']")
sleep 1.1
publish rot2 nat_old national || bad "publish with the old key failed"
wait_until 100 shows nat_old "$v2" && ok "with two keys, a file signed by the old key still plays" ||
	bad "old key during rotation: $(f0 '')"
v3=$(f0 "['version']")
write_conf nat_new
kill -HUP "$d_pid"
sleep 0.5
sleep 1.1
publish rot3 nat_old national || bad "publish rot3 failed"
wait_until 100 refused && ok "once the old key is removed, its files are refused" ||
	bad "old key after rotation: $(f0 '')"
sleep 1.1
publish rot4 nat_new national || bad "publish rot4 failed"
wait_until 100 shows nat_new "$v3" && [ "$(f0 "['keys']")" = "['$(kid nat_new)']" ] &&
	ok "and the new key's files play; the status lists only the new key" || bad "after rotation: $(f0 '')"

# 5. A key this board does not know (a newer format's) is ignored, and said.
v4=$(f0 "['version']")
sleep 1.1
printf '{"version":1,"items":[{"id":"newer","text":"BHXH","transition":"fade"}]}\n' >"$tmp/www/national/playlist.json"
"$build/ledsign" sign "$tmp/www/national/playlist.json" --key "$tmp/nat_new.sec" --path national/playlist.json >/dev/null ||
	bad "ledsign sign failed"
if wait_until 100 shows nat_new "$v4" && [ "$(f0 "['ignored_keys']")" = 1 ]; then
	ok "a playlist with a key the board does not know plays; the status counts the key"
else
	bad "unknown key: $(f0 '')"
fi
"$build/ledsign" status -c "$tmp/ledsign.conf" >"$tmp/status.out" 2>&1
grep -q 'ignored 1 key(s) it does not know: 1:[0-9]*: items\[0\]: unknown key "transition"' "$tmp/status.out" &&
	grep -q 'ignoring 1 key(s) this board does not know.*unknown key "transition"' "$tmp/ledsignd.log" &&
	ok "ledsign status and the log name the ignored key" ||
	bad "ignored key not shown: $(grep -i ignor "$tmp/status.out" "$tmp/ledsignd.log")"

kill "$d_pid" && wait "$d_pid"
d_pid=''
sanitizers_clean "$tmp/ledsignd.log"
finish
