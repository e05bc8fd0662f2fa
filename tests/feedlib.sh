# shellcheck shell=bash
# Shared set-up of the feed scripts (e2e_feed_hostile.sh, e2e_feed_nginx.sh, e2e_feed_pictures.sh,
# e2e_heartbeat.sh, bench_feed.sh); source it after `set -u`:
#   . "$(dirname "$0")/feedlib.sh"
#   feed_tmp NAME                  # $tmp, removed on exit with what runs in it
#   nginx_start FORMAT [LINES]     # nginx on 127.0.0.1:$port serving $tmp/www
#   feed_conf BOARD FPS URL [LINE...] # $tmp/ledsign.conf: output none, one feed
#   VAR=... start_ledsignd [ARGS]  # the service on it, up once it wrote its status
# Counters as ok/bad, closed by finish ("N passed, N failed", exit status).
root=${LEDSIGN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${LEDSIGN_BUILD:-$root/build}
pass=0 fail=0
ok() { echo "ok $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
# After the service has stopped: a sanitizer build (LEDSIGN_BUILD=build-asan) must report nothing.
sanitizers_clean() {
	if grep -hE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$@" 2>/dev/null | head -3 | grep .; then
		bad "sanitizer reports in the service's log"
	else
		ok "no sanitizer reports in the service's log"
	fi
}
# need_build NAME...: each $build/NAME must exist, else the script ends failing.
need_build() {
	for b; do
		[ -x "$build/$b" ] || { bad "build: $build/$b missing (run make first)"; finish; }
	done
}

# The service ($d_pid), a test server ($srv_pid) and nginx are stopped on exit.
d_pid='' srv_pid='' ng_pid=''
feed_cleanup() {
	[ -n "$d_pid" ] && kill "$d_pid" 2>/dev/null && wait "$d_pid" 2>/dev/null
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	[ -n "$ng_pid" ] && wait "$ng_pid" 2>/dev/null
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
}
# feed_tmp NAME: a fresh $tmp (ledsign-NAME.*), removed on exit unless BENCH_KEEP is set.
feed_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledsign-$1.XXXXXX")
	trap feed_cleanup EXIT
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# nginx_start FORMAT [LINES]: nginx on 127.0.0.1:$port (a free port) serving
# $tmp/www with ETags and gzip, logging requests to $tmp/logs/access.log in the
# log_format FORMAT; LINES go into its http block. Returns 1 with $nginx_error
# when nginx is missing or does not start.
nginx_start() {
	local nginx user_line=
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$nginx" ] || { nginx_error="nginx not installed (deploy/install-deps.sh --test)"; return 1; }
	chmod 755 "$tmp"
	mkdir -p "$tmp/www" "$tmp/logs"
	port=$(free_port)
	[ "$(id -u)" = 0 ] && user_line="user $(id -un);"
	cat >"$tmp/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log info;
events { worker_connections 64; }
http {
    types { application/json json; text/plain minisig; }
    default_type application/octet-stream;
    log_format feed '$1';
    access_log $tmp/logs/access.log feed;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    ${2:-}
    server {
        listen 127.0.0.1:$port;
        root $tmp/www;
        etag on;
        gzip on;
        gzip_types application/json;
        gzip_min_length 256;
    }
}
CONF
	"$nginx" -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/logs/nginx.stderr" &
	ng_pid=$!
	for _ in $(seq 50); do [ -s "$tmp/nginx.pid" ] && return 0; sleep 0.1; done
	# shellcheck disable=SC2034 # read by the scripts that source this
	nginx_error="nginx did not start: $(cat "$tmp/logs/nginx.stderr" "$tmp/logs/error.log" 2>/dev/null | tail -3)"
	return 1
}

# feed_conf BOARD FPS URL [LINE...]: $tmp/ledsign.conf for board BOARD, output
# none at FPS, one feed at URL with its cache, state and status file in $tmp;
# each LINE (e.g. "pubkey = ...") is added to the [feed] section.
feed_conf() {
	mkdir -p "$tmp/cache" "$tmp/state"
	cat >"$tmp/ledsign.conf" <<CONF
[board]
name = $1
[output]
type = none
fps = $2
[feed]
url = $3
cache_dir = $tmp/cache
state_dir = $tmp/state
status_file = $tmp/status.json
CONF
	shift 3
	[ $# -eq 0 ] || printf '%s\n' "$@" >>"$tmp/ledsign.conf"
}

# VAR=VALUE... start_ledsignd [ARGS]: the service in the foreground on
# $tmp/ledsign.conf, logging to $tmp/${d_log:-ledsignd.log}, as $d_pid; returns
# once its first status file is written (it is up) or after 10 s.
start_ledsignd() {
	"$build/ledsignd" -d "$@" -c "$tmp/ledsign.conf" 2>"$tmp/${d_log:-ledsignd.log}" &
	d_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/status.json" ] && break; sleep 0.1; done
}

# status_field EXPR: a Python expression over the status file's JSON (as d).
status_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/status.json" "$1" 2>/dev/null; }
# fresh_status: has the service write its status file now (SIGUSR1) and waits for it.
fresh_status() { rm -f "$tmp/status.json"; kill -USR1 "$d_pid"; for _ in $(seq 60); do [ -s "$tmp/status.json" ] && return; sleep 0.05; done; }
current_is() { fresh_status; [ "$(status_field 'd["current"]["id"]')" = "$1" ]; }

# tls_ca: a private CA made now in $tmp/tls (ca.pem, ca.key; P-256, valid 2 days).
# tls_cert NAME SAN: $tmp/tls/NAME.pem and NAME.key, a server certificate for
# SAN (e.g. "DNS:localhost,IP:127.0.0.1") signed by that CA. Both need openssl
# and return non-zero, with openssl's messages in $tmp/tls/openssl.log, on failure.
tls_ca() {
	mkdir -p "$tmp/tls"
	cat >"$tmp/tls/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $ENV::TLS_SAN
authorityKeyIdentifier = keyid
CNF
	TLS_SAN='' openssl req -x509 -config "$tmp/tls/openssl.cnf" -extensions ca -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=ledsign test CA" \
		-keyout "$tmp/tls/ca.key" -out "$tmp/tls/ca.pem" 2>>"$tmp/tls/openssl.log"
}
tls_cert() {
	local t="$tmp/tls/$1"
	TLS_SAN=$2 openssl req -new -config "$tmp/tls/openssl.cnf" -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$t.key" -out "$t.csr" \
		2>>"$tmp/tls/openssl.log" &&
		TLS_SAN=$2 openssl x509 -req -in "$t.csr" -CA "$tmp/tls/ca.pem" -CAkey "$tmp/tls/ca.key" \
			-CAcreateserial -CAserial "$tmp/tls/ca.srl" -days 2 -extfile "$tmp/tls/openssl.cnf" \
			-extensions server -out "$t.pem" 2>>"$tmp/tls/openssl.log"
}

# need_playwright DIR: npm's playwright-core in DIR/node_modules, installed on
# first use (the browser is Debian's /usr/bin/chromium, never a downloaded
# one). playwright-core 1.62 and later need Node.js 20; Debian 12 has 18, so
# there the last release that runs on 18 (1.61) is taken.
need_playwright() {
	local dir=$1 spec=playwright-core major
	[ -d "$dir/node_modules/playwright-core" ] && return 0
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || major=0
	[ "${major:-0}" -ge 20 ] || spec=playwright-core@1.61
	mkdir -p "$dir"
	[ -f "$dir/package.json" ] || echo '{"name": "ledsign-hub-e2e", "private": true}' >"$dir/package.json"
	(cd "$dir" && npm install --no-audit --no-fund --silent "$spec" >"$dir/npm.log" 2>&1) && return 0
	bad "npm install $spec failed: $(tail -3 "$dir/npm.log")"
	return 1
}
