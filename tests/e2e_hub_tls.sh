#!/bin/bash
# The hub behind nginx with TLS, as deploy/nginx/ledsign-hub.conf ships it:
# the whole file, with only its placeholders, ports, socket and certificate
# paths filled in for a temporary directory (a private CA and a certificate
# for localhost made now with openssl), in front of ledsign-hub on its unix
# socket:
#   1. a real ledsignd posts its heartbeats to https://localhost:PORT/api/heartbeat
#      through nginx (verifying the private CA: [feed] ca_file), over HTTP/2,
#      and they appear in /api/fleet (asked over https with a secure session
#      cookie), with the board's address from nginx's X-Real-IP;
#   2. request sizes are bounded twice: a body over the hub's [http] max_body
#      (256 KiB) but under nginx's client_max_body_size (300k) is refused by the
#      hub, a larger one by nginx, declared or chunked, each with 413 and a JSON
#      message, and nothing is stored;
#   3. plain HTTP is redirected to https (301) and stores nothing, a board
#      pointed at http:// keeps its reports queued; plain HTTP on the TLS port
#      is refused (400); without the CA the TLS handshake fails;
#      and its panel geometry (128x32 RGB) in the fleet's sizes;
#   4. every https answer carries Strict-Transport-Security;
#   5. with the hub stopped, nginx answers 502 with a JSON message.
#
# Uses the test-only LEDSIGN_TEST_REPORT_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
unset SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE

feed_tmp hubtls
need_build ledsign-hub ledsignd
command -v openssl >/dev/null || { bad "openssl not installed (deploy/install-deps.sh --test)"; finish; }
if tls_ca && tls_cert localhost "DNS:localhost,IP:127.0.0.1"; then
	ok "a private CA and a certificate for localhost"
else
	bad "openssl could not make the certificates: $(tail -3 "$tmp/tls/openssl.log")"
	finish
fi

# ---- The hub on its unix socket, [http] max_body as shipped (262144). ----
cat >"$tmp/hub.conf" <<CONF
[http]
listen = unix:$tmp/hub.sock
www_dir = $root/src/hub/www
[hub]
state_dir = $tmp/state
report_interval = 2
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }
token=hub-tls-board-token-0123
hub board add tls-board "$token" --province 'Gia Lai' >/dev/null || bad "board add"
echo 'admin-password-1' | hub user add admin --role admin >/dev/null || bad "user add"
"$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
srv_pid=$! # feedlib.sh stops it at exit
for _ in $(seq 100); do [ -S "$tmp/hub.sock" ] && break; sleep 0.1; done
[ -S "$tmp/hub.sock" ] && ok "ledsign-hub listens on unix:$tmp/hub.sock" || { bad "no hub socket: $(tail -3 "$tmp/hub.log")"; finish; }

# ---- nginx with the deploy file, adapted. ----
tls_port=$(free_port)
plain_port=$(free_port)
conf="$root/deploy/nginx/ledsign-hub.conf"
sed -e "s|server unix:/run/ledsign-hub/hub.sock;|server unix:$tmp/hub.sock;|" \
	-e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$plain_port;|" \
	-e "s|^\( *\)listen 443 ssl http2;|\1listen 127.0.0.1:$tls_port ssl http2;|" \
	-e '/listen \[::\]:/d' \
	-e 's|<HUB.HOSTNAME>|localhost|g' \
	-e "s|<PATH/TO/fullchain.pem>|$tmp/tls/localhost.pem|" \
	-e "s|<PATH/TO/privkey.pem>|$tmp/tls/localhost.key|" "$conf" >"$tmp/ledsign-hub.conf"
# directives: the file without comments and blank lines
directives() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }
adapted=$(directives "$tmp/ledsign-hub.conf" | wc -l)
shipped=$(directives "$conf" | wc -l)
! directives "$tmp/ledsign-hub.conf" | grep -q '<[A-Z./]*>\|/run/ledsign-hub' && [ $((shipped - adapted)) -eq 2 ] &&
	ok "the deploy file adapted: placeholders, ports, socket and certificate filled in, only the two [::] listens dropped" ||
	bad "the adaptation of $conf: $shipped lines shipped, $adapted kept: $(directives "$tmp/ledsign-hub.conf" | grep '<\|/run/')"
nginx_start '$server_port $status $request_length "$request" "$ssl_protocol"' "include $tmp/ledsign-hub.conf;" ||
	{ bad "$nginx_error"; finish; }
ok "nginx runs deploy/nginx/ledsign-hub.conf: https on 127.0.0.1:$tls_port, http on :$plain_port"
alog="$tmp/logs/access.log"
u="https://localhost:$tls_port"
C=(--cacert "$tmp/tls/ca.pem" --resolve "localhost:$tls_port:127.0.0.1")
for _ in $(seq 50); do curl -s -o /dev/null "${C[@]}" "$u/" && break; sleep 0.1; done

# ---- 3, 4: TLS only. ----
hdr=$(curl -s -D - -o /dev/null "${C[@]}" "$u/")
echo "$hdr" | grep -q '^HTTP/2 200' && echo "$hdr" | grep -qi '^strict-transport-security: max-age=31536000' &&
	ok "4. the page over https (HTTP/2) with Strict-Transport-Security" || bad "4. https answer: $hdr"
code=$(curl -s -o /dev/null -w '%{http_code}' --resolve "localhost:$tls_port:127.0.0.1" "$u/" 2>&1)
[ "$code" = 000 ] && ok "3. without the private CA the TLS handshake fails (curl verifies, as the board does)" ||
	bad "3. https without the CA answered $code"

hb='{"board":"tls-board","time":1796169300,"uptime_s":900,"seq":1,"from":1796169000,"to":1796169300,"items":[{"id":"x","plays":1,"seconds":1}]}'
J=(-H 'Content-Type: application/json' -H "Authorization: Bearer $token")
code=$(curl -s -D "$tmp/plain.h" -o /dev/null -w '%{http_code}' "${J[@]}" -d "$hb" \
	--resolve "localhost:$plain_port:127.0.0.1" "http://localhost:$plain_port/api/heartbeat")
[ "$code" = 301 ] && grep -qi '^location: https://localhost/api/heartbeat' "$tmp/plain.h" &&
	ok "3. plain HTTP is redirected: 301 to https://localhost/api/heartbeat" || bad "3. plain http: $code $(cat "$tmp/plain.h")"
code=$(curl -s -o "$tmp/resp" -w '%{http_code}' "${J[@]}" -d "$hb" "http://127.0.0.1:$tls_port/api/heartbeat")
[ "$code" = 400 ] && grep -q 'plain HTTP request was sent to HTTPS port' "$tmp/resp" &&
	ok "3. plain HTTP on the TLS port is refused: 400" || bad "3. plain http on the TLS port: $code"

# ---- 2: sizes. ----
# big N FILE: a JSON body of N bytes (a heartbeat padded with spaces).
big() { { printf '%s' "$hb"; head -c $(($1 - ${#hb})) /dev/zero | tr '\0' ' '; } >"$2"; }
big 280000 "$tmp/280k"
big 400000 "$tmp/400k"
# expect STATUS WHAT CURL-ARGS...: the status, and a JSON body whose error matches WHAT.
expect() {
	local want=$1 what=$2 name=$3
	shift 3
	code=$(curl -s -o "$tmp/resp" -w '%{http_code}' "${C[@]}" "$@")
	if [ "$code" = "$want" ] && python3 -c 'import json,re,sys; d=json.load(open(sys.argv[1])); assert re.search(sys.argv[2], d["error"])' "$tmp/resp" "$what" 2>/dev/null; then
		ok "$name: $code $(cut -c1-120 "$tmp/resp")"
	else
		bad "$name: $code $(head -c 300 "$tmp/resp")"
	fi
}
expect 413 'vượt quá 262144 byte .\[http\] max_body.; không lưu gì' "2. 280 kB: past nginx (300k), refused by the hub's max_body (in Vietnamese, as a board is answered)" "${J[@]}" --data-binary @"$tmp/280k" "$u/api/heartbeat"
expect 413 'over 262144 bytes .\[http\] max_body.; nothing stored' "2. 280 kB chunked: refused by the hub (in English when asked)" "${J[@]}" -H 'Accept-Language: en' -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/280k" "$u/api/heartbeat"
expect 413 '300 KiB' "2. 400 kB: refused by nginx (client_max_body_size 300k), a JSON message" "${J[@]}" --data-binary @"$tmp/400k" "$u/api/heartbeat"
expect 413 '300 KiB' "2. 400 kB chunked: refused by nginx" "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/400k" "$u/api/heartbeat"
grep -q "^$tls_port 413 [0-9]* \"POST /api/heartbeat HTTP/2.0\"" "$alog" && ok "2. nginx logged its 413s" || bad "2. no 413 in nginx's log"
[ "$(hub board list | awk '$1=="tls-board"{print $NF}')" = "-" ] && ok "2, 3. nothing was stored by any of them" ||
	bad "something was stored: $(hub board list)"

# ---- 1: a real board over https. ----
mkdir -p "$tmp/board/cache" "$tmp/board/state"
# board REPORT-URL: (re)starts ledsignd reporting to REPORT-URL through the private CA.
board() {
	[ -n "$d_pid" ] && { kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=; }
	cat >"$tmp/board/ledsign.conf" <<CONF
[board]
name = tls-board
[panel]
type = hub75
module = 64x32
chain = 2
[output]
type = none
fps = 5
[feed]
url = file://$root/content/national.json
cache_dir = $tmp/board/cache
state_dir = $tmp/board/state
status_file = $tmp/status.json
report_url = $1
report_token = $token
ca_file = $tmp/tls/ca.pem
connect_timeout = 2
timeout = 5
CONF
	LEDSIGN_TEST_REPORT_MS=500 "$build/ledsignd" -d -c "$tmp/board/ledsign.conf" 2>>"$tmp/ledsignd.log" &
	d_pid=$!
}
wait_for() { local n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.2; done; return 1; }

# First at plain http: the 301 is not a 2xx, so the board keeps its reports.
board "http://localhost:$plain_port/api/heartbeat"
wait_for 50 grep -qs "report http://localhost:$plain_port/api/heartbeat: the receiver answered HTTP 301; [0-9]* queued, retrying" "$tmp/ledsignd.log" &&
	[ "$(hub board list | awk '$1=="tls-board"{print $NF}')" = "-" ] &&
	ok "3. a board with an http:// report_url gets the 301, keeps its reports queued, nothing stored" ||
	bad "3. board at plain http: $(grep report "$tmp/ledsignd.log" | tail -2)"

board "https://localhost:$tls_port/api/heartbeat"
login() {
	local csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	curl -s -o /dev/null "${C[@]}" -c "$tmp/jar" -b "hub_csrf=$csrf" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' -d '{"name":"admin","password":"admin-password-1"}' "$u/api/login"
}
login && grep -q '#HttpOnly_localhost.*TRUE.*hub_session' "$tmp/jar" &&
	ok "1. logged in over https; the session cookie is Secure and HttpOnly" || bad "1. login: $(cat "$tmp/jar")"
fleet() { curl -s "${C[@]}" -b "$tmp/jar" "$u/api/fleet" >"$tmp/fleet.json"; }
# fleet_is EXPR: a Python expression over the fleet's tls-board (b) is true.
fleet_is() {
	fleet && python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); b = [x for x in d["boards"] if x["name"] == "tls-board"][0]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/fleet.json" "$1" 2>/dev/null
}
wait_for 75 fleet_is 'b["heartbeats"] >= 3 and b["status"] == "online"' &&
	ok "1. the board's heartbeats over https through nginx are in /api/fleet: $(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["boards"][0]; print(b["heartbeats"], "heartbeats,", b["status"], ", current", b["current"])' "$tmp/fleet.json")" ||
	bad "1. no heartbeats in the fleet: $(head -c 400 "$tmp/fleet.json"); $(grep report "$tmp/ledsignd.log" | tail -2)"
grep -q "^$tls_port 200 [0-9]* \"POST /api/heartbeat HTTP/2.0\" \"TLSv1.[23]\"" "$alog" &&
	ok "1. the board posted over TLS and HTTP/2 ($(grep -c "^$tls_port 200 [0-9]* \"POST /api/heartbeat" "$alog") posts)" ||
	bad "1. no TLS POST from the board: $(grep heartbeat "$alog" | tail -2)"
[ "$(hub board list | awk '$1=="tls-board"{print $NF}')" != "-" ] && ok "1. the hub stored them (board list shows it last seen)" ||
	bad "1. board list: $(hub board list)"
fleet_is 'b["panel"] == "128x32:rgb" and d["sizes"] == [{"panel": "128x32:rgb", "boards": 1}]' &&
	ok "1. the board's panel (two HUB75 64x32 modules) is in /api/fleet and its sizes: 128x32:rgb" ||
	bad "1. panel in the fleet: $(head -c 600 "$tmp/fleet.json")"
addr=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT address FROM boards WHERE name = ?", ("tls-board",)).fetchone()[0])' "$tmp/state/hub.db")
[ "$addr" = 127.0.0.1 ] && ok "1. the hub recorded the board's address from nginx's X-Real-IP ($addr), not the socket's" ||
	bad "1. the board's address: '$addr'"
curl -s "${C[@]}" -b "$tmp/jar" "$u/api/boards/tls-board" | python3 -c '
import json, sys
b = json.load(sys.stdin)
sys.exit(0 if b["last_heartbeat"]["board"] == "tls-board" and len(b["heartbeats"]) >= 3 else 1)' &&
	ok "1. the board page has its last heartbeat and its history" || bad "1. /api/boards/tls-board"

kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
kill "$srv_pid"; wait "$srv_pid"
rc=$?
srv_pid=
[ $rc = 0 ] && ok "the hub stopped cleanly" || bad "hub exit $rc: $(tail -3 "$tmp/hub.log")"
expect 502 'ledsign-hub is not running' "5. with the hub stopped nginx answers 502 with a JSON message" "${J[@]}" -d "$hb" "$u/api/heartbeat"
sanitizers_clean "$tmp/hub.log" "$tmp/ledsignd.log"
finish
