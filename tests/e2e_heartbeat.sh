#!/bin/bash
# Heartbeats with play counts reach a loopback receiver; with the receiver
# down for a while and then back, every report arrives (the sequence has no
# gap) and the queue on disk drains; at stop the last heartbeat makes the
# received sums equal the board's own status totals.
#
# Uses the test-only LEDSIGN_TEST_REPORT_MS (deploy/FEED.md, "Testing").
set -u
. "$(dirname "$0")/feedlib.sh"

feed_tmp heartbeat
need_build ledsignd

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
http.server.HTTPServer.allow_reuse_address = True
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
PY
port=$(free_port)
start_receiver() {
	python3 "$tmp/receiver.py" "$tmp/received.jsonl" "$port" 2>>"$tmp/receiver.log" &
	srv_pid=$!
	for _ in $(seq 30); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && return; sleep 0.1; done
}
received() { [ -f "$tmp/received.jsonl" ] && wc -l <"$tmp/received.jsonl" || echo 0; }
queued() { find "$tmp/state/reports/" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }

printf '%s\n' '{"version":1,"items":[' \
	'{"id":"an-sinh","text":"BHXH, BHYT","effect":"static","duration":1},' \
	'{"id":"vssid","text":"VssID","effect":"static","duration":1}]}' >"$tmp/feed.json"
feed_conf heartbeat-test 20 "$tmp/feed.json" "report_url = http://127.0.0.1:$port/report" \
	"connect_timeout = 1" "timeout = 2"
start_receiver
LEDSIGN_TEST_REPORT_MS=400 start_ledsignd

for _ in $(seq 60); do [ "$(received)" -ge 6 ] && break; sleep 0.1; done
n=$(received)
[ "$n" -ge 6 ] && ok "the receiver got $n heartbeats" || bad "only $n heartbeats arrived: $(tail -3 "$tmp/ledsignd.log")"
python3 - "$tmp/received.jsonl" <<'PY' && ok "heartbeats carry play counts and seconds per item" || bad "no play counts in the heartbeats"
import json, sys
reps = [json.loads(l) for l in open(sys.argv[1])]
plays = sum(i["plays"] for r in reps for i in r["items"] if i["id"] in ("an-sinh", "vssid"))
secs = sum(i["seconds"] for r in reps for i in r["items"])
print("plays %d, seconds %.1f in %d reports" % (plays, secs, len(reps)))
sys.exit(0 if plays >= 2 and secs > 0.5 and all(r["board"] == "heartbeat-test" for r in reps) else 1)
PY

kill "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid=
before=$(received)
sleep 4
q=$(queued)
[ "$q" -ge 5 ] && ok "receiver down 4 s: $q reports queued on disk" || bad "receiver down: only $q reports queued"
grep -q "report http://127.0.0.1:$port/report: .*queued, retrying" "$tmp/ledsignd.log" &&
	ok "the failed delivery is logged with the URL and the queue length" || bad "no delivery failure in the log"
start_receiver
for _ in $(seq 100); do [ "$(queued)" -le 1 ] && [ "$(received)" -gt $((before + q - 1)) ] && break; sleep 0.1; done
kill "$d_pid"; wait "$d_pid" 2>/dev/null; d_pid=
python3 - "$tmp/received.jsonl" <<'PY' && ok "no report lost: the sequence has no gap" || bad "reports were lost"
import json, sys
seqs = [json.loads(l)["seq"] for l in open(sys.argv[1])]
uniq = sorted(set(seqs))
gaps = [s for s in range(uniq[0], uniq[-1] + 1) if s not in set(uniq)]
print("received seq %d..%d, %d reports, %d duplicates, gaps %s" % (uniq[0], uniq[-1], len(seqs), len(seqs) - len(uniq), gaps or "none"))
sys.exit(1 if gaps or uniq[0] != 1 else 0)
PY
python3 - "$tmp/received.jsonl" "$tmp/status.json" <<'PY' && ok "at stop a last heartbeat carries the rest: the received sums equal the status file's totals" || bad "the received sums differ from the board's own totals"
import json, sys
reps = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    reps[r["seq"]] = r
st = json.load(open(sys.argv[2]))
ok = True
for it in st["items"]:
    plays = sum(i["plays"] for r in reps.values() for i in r["items"] if i["id"] == it["id"])
    ms = sum(round(i["seconds"] * 1000) for r in reps.values() for i in r["items"] if i["id"] == it["id"])
    print("%s: board %d plays %.3f s, received %d plays %.3f s" % (it["id"], it["plays"], it["seconds"], plays, ms / 1000))
    ok = ok and plays == it["plays"] and abs(ms - round(it["seconds"] * 1000)) <= 1
sys.exit(0 if ok else 1)
PY
sanitizers_clean "$tmp/ledsignd.log"
[ "$(queued)" -le 1 ] && ok "the queue drained after the receiver came back ($(queued) left)" || bad "$(queued) reports still queued"
finish
