#!/bin/bash
# Publishing from the hub with locked keys, end to end: each layer's key pair
# made by the real minisign (password-encrypted, as deploy/HUB.md says), a
# real nginx serving the layers' feed_dir on loopback, ledsign-hub over HTTP,
# and a real ledsignd (status file) polling the gia-lai layer. An editor of
# gia-lai publishes with the key password: the board shows the new text
# within one poll. A wrong password changes nothing, on disk or on the board.
# An editor of kon-tum is refused (403) on gia-lai's routes, audited, and
# nothing changes on disk. A publish over a file dated ahead still gets a new
# ETag from nginx. A rollback is back on the board. Prints the time from the
# publish request to the board showing the new content (make bench).
#
# Uses the test-only LEDSIGN_TEST_POLL_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=${LEDSIGN_E2E_POLL_MS:-1000}

feed_tmp hubpub
need_build ledsignd ledsign-hub
command -v minisign >/dev/null || { bad "minisign not installed (deploy/install-deps.sh)"; finish; }
nginx_start '$status $bytes_sent "$request"' || { bad "$nginx_error"; finish; }
ok "nginx serving $tmp/www on 127.0.0.1:$port"

pw_gl='mật khẩu khóa Gia Lai 2026'
mkdir -p "$tmp/keys" "$tmp/www/gia-lai" "$tmp/www/kon-tum"
printf '%s\n%s\n' "$pw_gl" "$pw_gl" | minisign -G -p "$tmp/keys/gia-lai.pub" -s "$tmp/keys/gia-lai.key" >/dev/null 2>&1 &&
	printf 'kt-pass\nkt-pass\n' | minisign -G -p "$tmp/keys/kon-tum.pub" -s "$tmp/keys/kon-tum.key" >/dev/null 2>&1 &&
	ok "minisign -G made an encrypted key pair per layer" || { bad "minisign -G failed"; finish; }

hport=$(free_port)
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$hport
www_dir = $root/src/hub/www
cookie_secure = no
[hub]
state_dir = $tmp/state
[layer gia-lai]
title = BHXH Gia Lai
feed_dir = $tmp/www/gia-lai
secret_key = $tmp/keys/gia-lai.key
public_key = $tmp/keys/gia-lai.pub
[layer kon-tum]
feed_dir = $tmp/www/kon-tum
secret_key = $tmp/keys/kon-tum.key
public_key = $tmp/keys/kon-tum.pub
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
out=$(hub -n 2>&1) && ok "ledsign-hub -n accepts the layers" || bad "-n: $out"

# An unencrypted key is refused at the check, with what to do.
minisign -G -W -p "$tmp/keys/plain.pub" -s "$tmp/keys/plain.key" >/dev/null 2>&1
sed "s|$tmp/keys/kon-tum.key|$tmp/keys/plain.key|" "$tmp/hub.conf" >"$tmp/plain.conf"
out=$("$build/ledsign-hub" -c "$tmp/plain.conf" -n 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "plain.conf:14: \[layer kon-tum\] secret_key: .*plain.key is not encrypted; the hub keeps only password-protected keys" &&
	ok "an unencrypted secret key is refused with file:line and the remedy" || bad "plain key: $out"

printf 'hoa-password-1\n' | hub user add hoa --role editor --scope gia-lai >/dev/null &&
	printf 'tuan-password-1\n' | hub user add tuan --role editor --scope kon-tum >/dev/null || bad "user add"

"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
h_pid=$!
at_exit_hub() { kill "$h_pid" 2>/dev/null; wait "$h_pid" 2>/dev/null; }
u="http://127.0.0.1:$hport"
for _ in $(seq 100); do curl -s -o /dev/null "$u/" && break; sleep 0.1; done

csrf0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# login NAME PASSWORD: cookie jar $tmp/NAME.jar, the session's CSRF token in $tmp/NAME.csrf.
login() {
	curl -s -o /dev/null -c "$tmp/$1.jar" -b "hub_csrf=$csrf0" -H "X-CSRF-Token: $csrf0" \
		-H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$u/api/login"
	curl -s -b "$tmp/$1.jar" "$u/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' >"$tmp/$1.csrf"
}
# api USER METHOD PATH [JSON]: the status; the body in $tmp/resp.
api() {
	local who=$1 method=$2 path=$3
	shift 3
	curl -s -o "$tmp/resp" -w '%{http_code}' -X "$method" -b "$tmp/$who.jar" -H "X-CSRF-Token: $(cat "$tmp/$who.csrf")" \
		-H 'Content-Type: application/json' ${1:+--data-binary "$1"} "$u$path"
}
# publish_json ID TEXT PASSWORD: the request publishing a one-item playlist.
publish_json() {
	python3 -c 'import json,sys; print(json.dumps({"body": json.dumps({"version": 1, "items": [{"id": sys.argv[1], "text": sys.argv[2]}]}, ensure_ascii=False), "password": sys.argv[3]}, ensure_ascii=False))' "$@"
}
login hoa hoa-password-1
login tuan tuan-password-1
[ -s "$tmp/hoa.csrf" ] && [ -s "$tmp/tuan.csrf" ] && ok "both editors logged in" || bad "login failed: $(tail -3 "$tmp/hub.log")"

code=$(api hoa POST /api/layers/gia-lai/publish "$(publish_json first 'BHXH Gia Lai: giờ làm việc 7:30-17:00' "$pw_gl")")
[ "$code" = 200 ] && ok "the editor publishes gia-lai with the key password: $(cat "$tmp/resp")" || bad "publish: $code $(cat "$tmp/resp")"
[ -s "$tmp/www/gia-lai/playlist.json" ] && [ -s "$tmp/www/gia-lai/playlist.json.minisig" ] &&
	grep -q 'trusted comment: timestamp:[0-9]*	file:playlist.json	hashed	path:gia-lai/playlist.json	hub:gia-lai/1' "$tmp/www/gia-lai/playlist.json.minisig" &&
	ok "playlist.json and its .minisig are in feed_dir, the trusted comment naming the file and its path" ||
	bad "feed_dir: $(ls -la "$tmp/www/gia-lai"; cat "$tmp/www/gia-lai/playlist.json.minisig" 2>/dev/null)"
minisign -V -q -p "$tmp/keys/gia-lai.pub" -m "$tmp/www/gia-lai/playlist.json" && ok "minisign -V verifies what the hub signed" ||
	bad "minisign -V refuses the hub's signature"

feed_conf hub-board 10 "http://127.0.0.1:$port/gia-lai/playlist.json" "pubkey = $(tail -1 "$tmp/keys/gia-lai.pub")"
LEDSIGN_TEST_POLL_MS=$poll_ms start_ledsignd -v
wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.05; done; }
wait_until_ms 10000 current_is first && ok "the board shows the hub's first version" ||
	bad "the board does not show 'first': $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"

# publish -> board: time from the request to the board showing it.
t0=$(date +%s%3N)
code=$(api hoa POST /api/layers/gia-lai/publish "$(publish_json second 'Thông báo mới: BHXH Gia Lai tiếp dân thứ Bảy' "$pw_gl")")
t_req=$(($(date +%s%3N) - t0))
[ "$code" = 200 ] || bad "second publish: $code $(cat "$tmp/resp")"
if wait_until_ms $((poll_ms + 3000)) current_is second; then
	total=$(($(date +%s%3N) - t0))
	ok "the board shows the new text ${total} ms after the publish request (the request took ${t_req} ms; poll interval ${poll_ms} ms)"
	echo "publish to board: ${total} ms (request ${t_req} ms incl. scrypt key unlock, poll ${poll_ms} ms)"
else
	bad "'second' not on the board within one poll: $(grep -v DEBUG "$tmp/ledsignd.log" | tail -3)"
fi

snapshot() { (cd "$tmp/www" && find . -type f -printf '%p %s %T@\n' | sort && sha256sum gia-lai/* kon-tum/* 2>/dev/null); }
snapshot >"$tmp/before"
rows() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$tmp/state/hub.db" "$1"; }
v_before=$(rows 'SELECT COUNT(*) FROM versions')

code=$(api hoa POST /api/layers/gia-lai/publish "$(publish_json wrong 'Không được lên bảng' 'sai mật khẩu')")
[ "$code" = 403 ] && grep -q 'sai mật khẩu khóa của lớp, không có gì được đăng' "$tmp/resp" &&
	ok "a wrong key password is refused in Vietnamese: $(cat "$tmp/resp")" || bad "wrong password: $code $(cat "$tmp/resp")"

code=$(api tuan POST /api/layers/gia-lai/publish "$(publish_json tuan 'Kon Tum ghi đè Gia Lai' 'kt-pass')")
[ "$code" = 403 ] && ok "an editor of kon-tum may not publish on gia-lai (403)" || bad "other province publish: $code $(cat "$tmp/resp")"
code=$(api tuan GET /api/layers/gia-lai)
[ "$code" = 403 ] && ! grep -q 'Thông báo mới' "$tmp/resp" && ok "nor read gia-lai's page (403)" || bad "other province read: $code"
code=$(api tuan GET /api/layers/gia-lai/versions/1)
[ "$code" = 403 ] && ok "nor its versions (403)" || bad "other province versions: $code"
code=$(api tuan GET /api/layers)
[ "$code" = 200 ] && grep -q '"kon-tum"' "$tmp/resp" && ! grep -q 'gia-lai' "$tmp/resp" && ok "its layer list holds kon-tum only" || bad "list: $(cat "$tmp/resp")"

snapshot >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && ok "nothing changed in feed_dir (names, sizes, mtimes, sha256)" || bad "feed_dir changed: $(diff "$tmp/before" "$tmp/after")"
[ "$(rows 'SELECT COUNT(*) FROM versions')" = "$v_before" ] && ok "no version was recorded" || bad "versions changed"
[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.denied' AND actor = 'tuan' AND target = 'gia-lai'")" = 3 ] &&
	[ "$(rows "SELECT COUNT(*) FROM audit WHERE action = 'layer.publish.refused' AND actor = 'hoa'")" = 1 ] &&
	ok "the refusals are in the audit table" || bad "audit: $(rows 'SELECT COUNT(*) FROM audit')"
sleep $(( (poll_ms * 2 + 999) / 1000 ))
current_is second && ok "the board still shows 'second'" || bad "the board changed: $(status_field 'd["current"]["id"]')"

code=$(api hoa GET /api/layers/gia-lai/audit)
[ "$code" = 200 ] && python3 -c '
import json,sys
a = json.load(open(sys.argv[1]))["audit"]
acts = [e["action"] for e in a]
assert acts.count("layer.publish") == 2 and "layer.denied" in acts, acts
assert any(e["actor"] == "hoa" and e["detail"].startswith("version 2, signed at") and "+[second] -[first]" in e["detail"] for e in a), a
' "$tmp/resp" && ok "the layer's audit lists both publishes (who, version, diff) and the refusals" || bad "audit view: $(head -c 400 "$tmp/resp")"

# ETag: the file boards have is dated ahead (a publish in the same second
# would leave it so); a same-size publish must still move nginx's ETag.
t=$(($(date +%s) + 5))
touch -d "@$t" "$tmp/www/gia-lai/playlist.json"
etag1=$(curl -sI "http://127.0.0.1:$port/gia-lai/playlist.json" | tr -d '\r' | sed -n 's/^ETag: //Ip')
code=$(api hoa POST /api/layers/gia-lai/publish "$(publish_json third 'Thông báo mới: BHXH Gia Lai tiếp dân thứ Bảy' "$pw_gl")")
etag2=$(curl -sI "http://127.0.0.1:$port/gia-lai/playlist.json" | tr -d '\r' | sed -n 's/^ETag: //Ip')
[ "$code" = 200 ] && [ -n "$etag1" ] && [ "$etag1" != "$etag2" ] && [ "$(stat -c %Y "$tmp/www/gia-lai/playlist.json")" -gt "$t" ] &&
	ok "a same-size publish over a file dated ahead gets a new ETag ($etag1 -> $etag2)" || bad "ETag $etag1 -> $etag2 ($code)"
wait_until_ms $((poll_ms * 3)) current_is third && ok "the board takes it" || bad "the board kept $(status_field 'd["current"]["id"]')"

code=$(api hoa POST /api/layers/gia-lai/rollback "{\"version\": 1, \"password\": \"$pw_gl\"}")
[ "$code" = 200 ] && grep -q '"version":4' "$tmp/resp" && ok "a rollback to version 1 is published as version 4" || bad "rollback: $code $(cat "$tmp/resp")"
wait_until_ms $((poll_ms + 3000)) current_is first && ok "the board shows version 1's text again (a new signature over old content)" ||
	bad "after rollback: $(status_field 'd["current"]["id"]'): $(grep -v DEBUG "$tmp/ledsignd.log" | tail -2)"

kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
at_exit_hub
sanitizers_clean "$tmp/ledsignd.log" "$tmp/hub.log"
finish
