#!/bin/bash
# The feed over TLS, against nginx with `listen ... ssl` (the TLS server block
# of deploy/nginx/ledsign-feed.conf) on loopback ports, with a private CA and
# server certificates made now with openssl:
#   1. with [feed] ca_file the board takes the feed over https, and unchanged
#      polls are 304s over TLS;
#   2. without ca_file it refuses the server (certificate verification is
#      always on), logs why, keeps its cached content and takes no body;
#   3. a certificate for another host name is refused even with the right CA;
#   4. [feed] token is sent as "Authorization: Bearer", only to the feed's host;
#      a wrong token is refused with the reason logged; a redirect from https
#      to plain http is refused (nothing goes out in clear);
#   5. the heartbeat POST reaches an https report_url through the private CA
#      (and is refused and queued without it).
#
# Uses the test-only LEDSIGN_TEST_POLL_MS and LEDSIGN_TEST_REPORT_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"
poll_ms=500
token=ledsign-e2e-token
# The board must find the CA only where the config says; no environment may add one.
unset SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE

feed_tmp tls
need_build ledsignd ledsign

# ---- Verification is always on: nothing in the code turns it off. ----
insecure=$(grep -rnE 'CURLOPT_(PROXY_)?SSL_VERIFY(PEER|HOST)[[:space:]]*,[[:space:]]*0|CURLSSLOPT_NO_REVOKE|CURLOPT_SSL_VERIFYSTATUS' \
	"$root/src" "$root/include")
if [ -z "$insecure" ] && ! grep -qiE '"(insecure|verify|ssl_verify|tls_verify|no_verify)"' "$root/src/sys/config.c"; then
	ok "src/ never disables CURLOPT_SSL_VERIFYPEER/VERIFYHOST and the config has no key to"
else
	bad "certificate verification can be turned off: ${insecure:-a config key in src/sys/config.c}"
fi
# One policy function sets VERIFYPEER 1 / VERIFYHOST 2, and every file that
# makes a libcurl handle (the feed, the heartbeat, doctor) applies it.
# src/sys/libcurl.c defines curl_easy_init (libcurl opened when first used):
# it makes no handle of its own, it hands libcurl's back.
makers=$(grep -rlE 'curl_easy_init *\(\)' "$root/src" | grep -v '/src/sys/libcurl\.c$')
unpoliced=$(printf '%s\n' "$makers" | xargs grep -L 'ls_net_policy(')
n_policed=$(printf '%s\n' "$makers" | xargs grep -l 'ls_net_policy(' | wc -l)
if grep -q 'CURLOPT_SSL_VERIFYPEER, 1L' "$root/src/sys/net.c" && grep -q 'CURLOPT_SSL_VERIFYHOST, 2L' "$root/src/sys/net.c" &&
	[ -z "$unpoliced" ] && [ "$n_policed" -ge 3 ]; then
	ok "ls_net_policy() sets VERIFYPEER 1 / VERIFYHOST 2, and all $n_policed files making libcurl handles apply it"
else
	bad "a libcurl handle without ls_net_policy() (${unpoliced:-none}), or the policy does not set VERIFYPEER 1 / VERIFYHOST 2"
fi

# ---- The private CA, the certificates, nginx. ----
command -v openssl >/dev/null || { bad "openssl not installed (deploy/install-deps.sh --test)"; finish; }
if tls_ca && tls_cert localhost "DNS:localhost,IP:127.0.0.1" && tls_cert wrong.example "DNS:wrong.example"; then
	ok "a private CA and certificates for localhost/127.0.0.1 and for wrong.example"
else
	bad "openssl could not make the certificates: $(tail -3 "$tmp/tls/openssl.log")"
	finish
fi
openssl verify -CAfile "$tmp/tls/ca.pem" "$tmp/tls/wrong.example.pem" >/dev/null 2>&1 &&
	ok "control: the wrong.example certificate is valid under the CA (only its name is wrong)" ||
	bad "the wrong.example certificate does not verify under the CA at all"

# The heartbeat receiver behind nginx's /report (proxy_pass, as in the deploy config).
cat >"$tmp/receiver.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[1], "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
PY
rport=$(free_port)
python3 "$tmp/receiver.py" "$tmp/received.jsonl" "$rport" 2>"$tmp/receiver.log" &
# shellcheck disable=SC2034 # feedlib.sh stops it at exit
srv_pid=$!
received() { [ -f "$tmp/received.jsonl" ] && wc -l <"$tmp/received.jsonl" || echo 0; }

tls_port=$(free_port)
wrong_port=$(free_port)
plain_port=$(free_port)
# tls_server PORT NAME [LINES]: a server block modelled on the TLS one in
# deploy/nginx/ledsign-feed.conf, with the certificate $tmp/tls/NAME.pem.
tls_server() {
	cat <<NGX
server {
        listen 127.0.0.1:$1 ssl http2;
        server_name $2;
        ssl_certificate     $tmp/tls/$2.pem;
        ssl_certificate_key $tmp/tls/$2.key;
        ssl_protocols       TLSv1.2 TLSv1.3;
        keepalive_timeout   90s;
        root $tmp/www;
        etag on;
        if_modified_since exact;
        gzip on;
        gzip_types application/json;
        gzip_min_length 512;
        add_header Cache-Control "no-cache" always;
        location ~ /\\. { return 404; }
        ${3:-}
        location ~ \\.(json|minisig|png|gif)\$ {
            limit_except GET HEAD { deny all; }
            try_files \$uri =404;
        }
        location / { return 404; }
    }
NGX
}
private="location ^~ /private/ {
            if (\$http_authorization != \"Bearer $token\") { return 401; }
            try_files \$uri =404;
        }
        location = /moved/feed.json { return 302 https://127.0.0.1:$tls_port/private/feed.json; }
        location = /downgrade/feed.json { return 302 http://127.0.0.1:$plain_port/private/feed.json; }
        location = /report {
            limit_except POST { deny all; }
            proxy_pass http://127.0.0.1:$rport;
        }"
servers="$(tls_server "$tls_port" localhost "$private")
    $(tls_server "$wrong_port" wrong.example)
    server { listen 127.0.0.1:$plain_port; root $tmp/www; location / { try_files \$uri =404; } }"
nginx_start '$server_port $status $bytes_sent "$request" "$ssl_protocol" "$http_authorization"' "$servers" ||
	{ bad "$nginx_error"; finish; }
ok "nginx with TLS on 127.0.0.1:$tls_port (localhost) and :$wrong_port (wrong.example)"
alog="$tmp/logs/access.log"

"$build/ledsign" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null || { bad "ledsign keygen failed"; finish; }
pubkey="pubkey = $(tail -1 "$tmp/k.pub")"
# publish DIR ID: a one-item playlist (item ID) signed and installed into $tmp/www/DIR.
publish() {
	mkdir -p "$tmp/www/$1"
	printf '{"version":1,"name":"%s","items":[{"id":"%s","text":"BHXH, BHYT: %s"}]}\n' "$2" "$2" "$2" >"$tmp/feed.json"
	"$build/ledsign" publish "$tmp/feed.json" --key "$tmp/k.sec" --to "$tmp/www/$1" >/dev/null
}
publish national first && publish private secret || { bad "ledsign publish failed"; finish; }

wait_until_ms() { local lim=$1; shift; local t0; t0=$(date +%s%3N); until "$@"; do [ $(($(date +%s%3N) - t0)) -ge "$lim" ] && return 1; sleep 0.1; done; waited=$(($(date +%s%3N) - t0)); }
# board LOG [LINE...]: (re)starts the board on $feed_url with LINEs in [feed], logging to $tmp/LOG.
board() {
	local log=$1
	shift
	[ -n "$d_pid" ] && { kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=; }
	rm -f "$tmp/status.json"
	feed_conf tls-test 10 "$feed_url" "$pubkey" "connect_timeout = 2" "timeout = 5" "$@"
	LEDSIGN_TEST_POLL_MS=$poll_ms LEDSIGN_TEST_REPORT_MS=400 d_log=$log start_ledsignd -v
	logs="${logs:-} $tmp/$log"
}
feed_is() { fresh_status; [ "$(status_field "d['feeds'][0]['$1']")" = "$2" ]; }
failed_twice() { fresh_status; [ "$(status_field 'd["feeds"][0]["failures"]')" -ge 2 ] 2>/dev/null; }
tls_lines() { grep -c "^$tls_port $1 .*\"GET $2 HTTP/2.0\" \"TLS" "$alog"; }
last_error() { grep -v DEBUG "$tmp/$1" | tail -2; }

# ---- 1 and 5: with the private CA. ----
feed_url="https://localhost:$tls_port/national/feed.json"
board ca.log "ca_file = $tmp/tls/ca.pem" "report_url = https://127.0.0.1:$tls_port/report"
wait_until_ms 10000 current_is first && ok "1. with ca_file the board shows the feed taken over https (${waited} ms)" ||
	bad "1. the board does not show 'first' over https: $(last_error ca.log)"
v1=$(status_field 'd["feeds"][0]["version"]')
sleep 2 # a few polls that find nothing new
n304=$(tls_lines 304 /national/feed.json)
n200=$(tls_lines 200 /national/feed.json)
[ "$n200" -eq 1 ] && [ "$n304" -ge 2 ] && ok "1. unchanged polls are 304 over TLS ($n304 x 304 after 1 x 200)" ||
	bad "1. expected one 200 then 304s over TLS, got $n200 x 200, $n304 x 304: $(tail -2 "$alog")"
[ "$(tls_lines 200 /national/feed.json.minisig)" -eq 1 ] && ok "1. the signature (.minisig) came over TLS through the same CA" ||
	bad "1. no .minisig over TLS: $(grep -c minisig "$alog") requests"
grep -q "^$tls_port [0-9]* [0-9]* \"GET .*\"TLSv1\.[23]\" \"-\"" "$alog" && ! grep -q "^$tls_port .*\"Bearer" "$alog" &&
	ok "1. without [feed] token no Authorization header is sent" || bad "1. unexpected Authorization header"
wait_until_ms 5000 eval '[ "$(received)" -ge 2 ]' && ok "5. heartbeats reach https://127.0.0.1:$tls_port/report through the private CA ($(received))" ||
	bad "5. no heartbeat over https: $(grep report "$tmp/ca.log" | tail -2)"
grep -q "^$tls_port 204 [0-9]* \"POST /report HTTP/2.0\" \"TLS" "$alog" && python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if r["board"] == "tls-test" and r["seq"] == 1 else 1)' "$tmp/received.jsonl" &&
	ok "5. the heartbeat went as a TLS POST with the board's report (seq 1)" || bad "5. heartbeat not a TLS POST of the report"

# ---- 2: no ca_file; a newer playlist is waiting on the server. ----
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
sleep 1.1 # a later second, so the new signature is newer
publish national second || bad "second publish failed"
feed_lines=$(grep -c "GET /national/" "$alog")
reports=$(received)
board noca.log "report_url = https://127.0.0.1:$tls_port/report"
wait_until_ms 8000 failed_twice || true
if grep -qE "feed 1 $feed_url: body: .*(certificate|issuer).*still showing the last good version" "$tmp/noca.log"; then
	ok "2. without ca_file the server is refused; the log names the URL and the reason"
	grep -m1 "feed 1 $feed_url: body" "$tmp/noca.log" | sed 's/^/   /'
else
	bad "2. no certificate refusal for $feed_url in the log: $(last_error noca.log)"
fi
current_is first && feed_is version "$v1" && ok "2. the board keeps its cached content (first, version $v1)" ||
	bad "2. the content changed without a CA: $(status_field 'd["current"]["id"]') version $(status_field 'd["feeds"][0]["version"]')"
case "$(status_field 'd["feeds"][0]["error"]')" in body:*certificate*) true ;; *) false ;; esac && feed_is has_content True &&
	ok "2. the status file shows the refusal as the feed's error" || bad "2. status error: $(status_field 'd["feeds"][0]["error"]')"
[ "$(grep -c "GET /national/" "$alog")" -eq "$feed_lines" ] && ok "2. no request got past the handshake: no body was taken" ||
	bad "2. requests reached nginx without a CA: $(tail -2 "$alog")"
wait_until_ms 4000 grep -qE "report https://127.0.0.1:$tls_port/report: .*(certificate|issuer).*queued, retrying" "$tmp/noca.log" &&
	[ "$(received)" -eq "$reports" ] && ok "5. without ca_file the heartbeat is refused too, and queued" ||
	bad "5. heartbeat without CA: $(grep report "$tmp/noca.log" | tail -1)"

# ---- 3: the right CA, the wrong host name. ----
rm -rf "$tmp/cache" "$tmp/state"
feed_url="https://localhost:$wrong_port/national/feed.json"
board wrong.log "ca_file = $tmp/tls/ca.pem"
wait_until_ms 8000 failed_twice || true
grep -qE "feed 1 $feed_url: body: .*(subject name|host ?name).*localhost" "$tmp/wrong.log" &&
	ok "3. a certificate for wrong.example is refused for localhost, with the reason logged" ||
	bad "3. no host name refusal in the log: $(last_error wrong.log)"
feed_is has_content False && [ "$(grep -c "^$wrong_port " "$alog")" -eq 0 ] &&
	ok "3. nothing was taken from that server" || bad "3. content or requests from the wrong host"

# ---- 4: the bearer token. ----
rm -rf "$tmp/cache" "$tmp/state"
feed_url="https://localhost:$tls_port/private/feed.json"
board token.log "ca_file = $tmp/tls/ca.pem" "token = $token" "url = https://localhost:$tls_port/moved/feed.json"
wait_until_ms 8000 current_is secret && ok "4. with the right token the private feed is on the board" ||
	bad "4. private feed not shown: $(last_error token.log)"
[ "$(grep -c "^$tls_port 200 .*\"GET /private/feed.json\(.minisig\)\? HTTP/2.0\" \"TLS[^\"]*\" \"Bearer $token\"" "$alog")" -ge 2 ] &&
	ok "4. body and .minisig were requested with Authorization: Bearer <token>" ||
	bad "4. no Bearer requests: $(grep private "$alog" | head -2)"
wait_until_ms 3000 eval 'grep -q "^$tls_port 401 .*\"GET /private/feed.json HTTP/2.0\" \"TLS[^\"]*\" \"-\"" "$alog"' &&
	grep -q "^$tls_port 302 .*\"GET /moved/feed.json HTTP/2.0\" \"TLS[^\"]*\" \"Bearer $token\"" "$alog" &&
	ok "4. a redirect to another host name does not carry the token" ||
	bad "4. the token followed the redirect: $(grep -E 'moved|401' "$alog" | head -3)"
# ledsign doctor asks the feed as the service does: with the token, through the private CA.
grep -v "/moved/feed.json" "$tmp/ledsign.conf" >"$tmp/doctor.conf"
"$build/ledsign" doctor -c "$tmp/doctor.conf" >"$tmp/doctor.out" 2>&1
grep -Eq '^ok +feed ' "$tmp/doctor.out" && ! grep -Eq '^FAIL +feed ' "$tmp/doctor.out" &&
	ok "4. ledsign doctor reaches the token-protected feed" ||
	bad "4. doctor's feed check: $(grep -E ' feed ' "$tmp/doctor.out")"
sed "s/^token = .*/token = not-$token/" "$tmp/doctor.conf" >"$tmp/doctor-bad.conf"
"$build/ledsign" doctor -c "$tmp/doctor-bad.conf" >"$tmp/doctor-bad.out" 2>&1
grep -Eq '^FAIL +feed .*401' "$tmp/doctor-bad.out" &&
	ok "4. ledsign doctor reports a wrong token as HTTP 401" ||
	bad "4. doctor with a wrong token: $(grep -E ' feed ' "$tmp/doctor-bad.out")"

rm -rf "$tmp/cache" "$tmp/state"
board badtoken.log "ca_file = $tmp/tls/ca.pem" "token = not-$token"
wait_until_ms 8000 failed_twice || true
grep -qE "feed 1 $feed_url: body: the server answered HTTP 401.*token.*nothing to show from this feed yet" "$tmp/badtoken.log" &&
	ok "4. a wrong token is refused: HTTP 401 logged with a hint at [feed] token" ||
	bad "4. wrong token: $(last_error badtoken.log)"
feed_is has_content False && grep -q "^$tls_port 401 .*\"Bearer not-$token\"" "$alog" &&
	ok "4. nothing is taken with the wrong token" || bad "4. content taken with a wrong token"

# A redirect from https to plain http is refused: neither the token nor the
# request goes out in clear.
rm -rf "$tmp/cache" "$tmp/state"
feed_url="https://localhost:$tls_port/downgrade/feed.json"
board downgrade.log "ca_file = $tmp/tls/ca.pem" "token = $token"
wait_until_ms 8000 failed_twice || true
grep -qE "feed 1 $feed_url: body: the server redirected this https feed to another scheme.*nothing to show from this feed yet" "$tmp/downgrade.log" &&
	ok "4. an https->http redirect is refused, and the log says so" ||
	bad "4. https->http redirect: $(last_error downgrade.log)"
grep -q "^$tls_port 302 .*\"GET /downgrade/feed.json" "$alog" && ! grep -q "^$plain_port " "$alog" &&
	feed_is has_content False && ok "4. nothing was asked over plain http (no token in clear)" ||
	bad "4. plain http requests: $(grep "^$plain_port " "$alog" | head -2)"

kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
# shellcheck disable=SC2086
sanitizers_clean $logs
finish
