#!/bin/bash
# ledsign-hub as a service, over HTTP on loopback, under valgrind: the
# configuration check, and hostile requests refused at the HTTP edge with a
# status and a JSON message and nothing stored (oversized bodies, declared or
# chunked; malformed, forged and unauthenticated heartbeats; unknown routes and
# methods; paths out of the page directory; a header flood); idle and
# half-sent connections closed after [http] timeout; more connections than
# [http] max_connections refused while the service keeps answering; a clean
# stop with no leak.
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp hub
need_build ledsign-hub
port=$(free_port)
cat >"$tmp/hub.conf" <<CONF
[http]
listen = 127.0.0.1:$port
max_body = 8192
max_connections = 8
timeout = 2
www_dir = $root/src/hub/www
[hub]
state_dir = $tmp/state
CONF
hub() { "$build/ledsign-hub" -c "$tmp/hub.conf" "$@"; }

out=$(hub -n 2>&1) && ok "ledsign-hub -n accepts the configuration: $out" || bad "-n: $out"
printf '[http]\nlisten = 127.0.0.1:%s\n[hub]\nstate_dir = %s/state\nretention = 9\n' "$port" "$tmp" >"$tmp/bad.conf"
out=$("$build/ledsign-hub" -c "$tmp/bad.conf" -n 2>&1)
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "bad.conf:5: \[hub\] retention: unknown key; valid keys in \[hub\] are: state_dir" &&
	ok "an unknown key is refused with file:line and the valid keys" || bad "unknown key: rc $rc: $out"
token=board-token-0123456789
hub board add b1 "$token" --province 'Hà Nội' >/dev/null || bad "board add"

# board import: a fleet from a spreadsheet, one transaction (deploy/HUB.md, "Enrolment").
printf '# NAME\tTOKEN\tPROVINCE\tDISTRICT\tTAGS\n\nimp-1\timport-token-0000001\tGia Lai\tPleiku\tnational,gia-lai\nimp-2\timport-token-0000002\n' >"$tmp/fleet.tsv"
out=$(hub board import "$tmp/fleet.tsv" 2>&1)
[ "$out" = "2 boards enrolled from $tmp/fleet.tsv" ] && hub board list | grep -q '^imp-1 *active *Gia Lai *Pleiku ' &&
	hub board list | grep -q '^imp-2 *active  ' && ok "board import enrols each line (comments and blank lines skipped, the last fields optional)" ||
	bad "board import: $out $(hub board list)"
printf 'imp-3\timport-token-0000003\nimp-4\tshort\n' >"$tmp/bad.tsv"
out=$(hub board import - <"$tmp/bad.tsv" 2>&1)
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'board import: -:2: a board token is 16..256 characters.*; nothing imported' &&
	! hub board list | grep -q '^imp-3 ' && ok "a bad line stops the import with its number, and nothing of the file is added" ||
	bad "bad import line: rc $rc $out"
printf 'imp-1\timport-token-0000009\tKon Tum\n' | hub board import - >/dev/null &&
	hub board list | grep -q '^imp-1 *active *Kon Tum  ' && ok "importing an enrolled board again sets its token, province and the emptied fields" ||
	bad "re-import: $(hub board list | grep imp-1)"

vg=
command -v valgrind >/dev/null && vg="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --log-file=$tmp/valgrind.log"
$vg "$build/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
d_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
u="http://127.0.0.1:$port"

# status BODY-FILE EXPECTED NAME CURL-ARGS...: the status is EXPECTED and the body is a JSON error.
expect() {
	local want=$1 name=$2
	shift 2
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$@")
	if [ "$code" = "$want" ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error"]' "$tmp/body" 2>/dev/null; then
		ok "$name: $code $(cut -c1-110 "$tmp/body")"
	else
		bad "$name: $code $(head -c 300 "$tmp/body")"
	fi
}
hb='{"board":"b1","time":1796169300,"uptime_s":900,"seq":1,"from":1796169000,"to":1796169300,"items":[{"id":"x","plays":1,"seconds":1}]}'
J=(-H 'Content-Type: application/json')
A=(-H "Authorization: Bearer $token")
head -c 9000 /dev/zero | tr '\0' ' ' >"$tmp/big"
expect 413 "a body over max_body (declared)" "${J[@]}" "${A[@]}" --data-binary @"$tmp/big" "$u/api/heartbeat"
expect 413 "a body over max_body (chunked)" "${J[@]}" "${A[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big" "$u/api/heartbeat"
expect 400 "a malformed heartbeat names its field" "${J[@]}" "${A[@]}" -d '{"board":"b1","seq":"one"}' "$u/api/heartbeat"
expect 400 "a heartbeat that is not JSON" "${J[@]}" "${A[@]}" -d "$hb}}" "$u/api/heartbeat"
expect 401 "a heartbeat without a token" "${J[@]}" -d "$hb" "$u/api/heartbeat"
expect 403 "a heartbeat with another board's token" "${J[@]}" -H 'Authorization: Bearer not-the-token-of-b1' -d "$hb" "$u/api/heartbeat"
expect 403 "a heartbeat for a board that is not enrolled" "${J[@]}" "${A[@]}" -d "${hb/\"b1\"/\"b2\"}" "$u/api/heartbeat"
expect 415 "a heartbeat that is not application/json" "${A[@]}" -H 'Content-Type: text/plain' -d "$hb" "$u/api/heartbeat"
expect 404 "an unknown API" "$u/api/nothing"
expect 405 "a wrong method" -X DELETE "$u/api/fleet"
expect 401 "the fleet without a session" "$u/api/fleet"
expect 404 "a path out of the page directory" --path-as-is "$u/../../etc/passwd"
expect 404 "an encoded path out of it" --path-as-is "$u/%2e%2e/hub.conf"
expect 404 "a hidden file" "$u/.hub.conf"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Flood: $(head -c 40000 /dev/zero | tr '\0' a)" "$u/")
[ "$code" -ge 400 ] 2>/dev/null && ok "a 40 KB header is refused ($code)" || bad "header flood: $code"
[ "$(hub board list | awk '$1=="b1"{print $NF}')" = "-" ] && ok "nothing was stored by any of them" || bad "something was stored: $(hub board list)"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "${J[@]}" "${A[@]}" -d "$hb" "$u/api/heartbeat")
[ "$code" = 200 ] && grep -q '"stored":true' "$tmp/body" && ok "the real heartbeat is stored" || bad "heartbeat: $code $(cat "$tmp/body")"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "${J[@]}" "${A[@]}" -d "$hb" "$u/api/heartbeat")
grep -q '"duplicate":true' "$tmp/body" && ok "its replay is acknowledged as a duplicate" || bad "replay: $code $(cat "$tmp/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$u/hub.js")
[ "$code" = 200 ] && ok "the page's files are served" || bad "hub.js: $code"

python3 - "$port" <<'PY' && ok "idle and half-sent connections are closed after [http] timeout (2 s)" || bad "connections were kept open"
import socket, sys, time
port = int(sys.argv[1])
idle = socket.create_connection(("127.0.0.1", port))
half = socket.create_connection(("127.0.0.1", port))
half.sendall(b"POST /api/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
t = time.time()
for s in (idle, half):
    s.settimeout(8)
    try:
        while s.recv(4096):
            pass
    except (ConnectionResetError, socket.timeout):
        pass
print("closed after %.1f s" % (time.time() - t))
sys.exit(0 if time.time() - t < 7 else 1)
PY
python3 - "$port" <<'PY' && ok "over max_connections (8), no more than 8 connections are served at once and the hub still answers" || bad "connection limit"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
time.sleep(0.3)
for s in socks:
    try:
        s.sendall(b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n")
    except OSError:
        pass
served = 0
t = time.time()
for s in socks:
    s.settimeout(max(0.05, 1.0 - (time.time() - t)))
    try:
        if s.recv(12).startswith(b"HTTP/1.1 "):
            served += 1
    except (socket.timeout, ConnectionResetError):
        pass
print("%d of 20 connections served within 1 s" % served)
for s in socks:
    s.close()
time.sleep(0.3)
code = urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5).status
sys.exit(0 if 1 <= served <= 8 and code == 200 else 1)
PY

kill "$d_pid"; wait "$d_pid"
rc=$?
d_pid=
if [ -n "$vg" ]; then
	[ $rc = 0 ] && ! grep -q 'definitely lost: [1-9]' "$tmp/valgrind.log" && ok "valgrind: no errors, no leak in the service" ||
		bad "valgrind (rc $rc): $(head -20 "$tmp/valgrind.log")"
else
	[ $rc = 0 ] && ok "the hub stopped cleanly" || bad "hub exit $rc"
fi
sanitizers_clean "$tmp/hub.log"
finish
