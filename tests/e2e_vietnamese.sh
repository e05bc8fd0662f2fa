#!/usr/bin/env bash
# The programs speak Vietnamese under a Vietnamese locale and English under
# LANG=C, with file:line:col kept: ledsignd -n on a config with a typo,
# ledsign validate on a broken playlist, ledsign doctor and ledsign status
# (issue 19). The hub answers in Vietnamese unless the request asks for
# English first (Accept-Language, ?lang=en), whatever the server's locale. The vi_VN.UTF-8 locale is generated when missing (as root, with
# Debian's locales package, which install-deps.sh --test installs).
. "$(dirname "$0")/lib.sh"
tmp=$T_TMP
if ! locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	localedef -i vi_VN -f UTF-8 vi_VN.UTF-8 >/dev/null 2>&1 || true
fi
if locale -a 2>/dev/null | grep -qix 'vi_VN.utf8'; then
	vi=(LANG=vi_VN.UTF-8)
	ok "the vi_VN.UTF-8 locale is there"
else
	# Without the locale, LANGUAGE still picks the catalogue over C.UTF-8.
	vi=(LANGUAGE=vi LANG=C.UTF-8)
	fail "the vi_VN.UTF-8 locale could not be generated (apt-get install locales)"
fi
printf '[board]\nnmae = x\n' >"$tmp/typo.conf"
printf '{"version":1,"items":[{"id":"a","text":"x","speed":-3}]}\n' >"$tmp/bad.json"
printf '[output]\ntype = none\n' >"$tmp/none.conf"

run() { # run OUT LANGVARS... -- CMD...: CMD's stdout and stderr in OUT, in a clean environment
	local out=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -i PATH="$PATH" "${envs[@]}" "$@" >"$out" 2>&1
}
has() { grep -qF -- "$2" "$1" || { echo "  $1 lacks: $2"; cat "$1"; return 1; }; }
not() { ! "$@"; }
no_english_words() { # FILE: no English sentence word once options are taken out
	! sed -E 's/(^|[][ |(])--?[a-z][a-z-]*/\1/g; s/a,b//g' "$1" | grep -nwE 'the|and|of|with|when|default|is|an|for|or|it'
}

run "$tmp/n.vi" "${vi[@]}" -- "$LEDSIGND" -n -c "$tmp/typo.conf"
run "$tmp/n.en" LANG=C -- "$LEDSIGND" -n -c "$tmp/typo.conf"
check "ledsignd -n speaks Vietnamese with file:line" has "$tmp/n.vi" "typo.conf:2: [board] nmae: khóa không xác định"
check "ledsignd -n speaks English under LANG=C" has "$tmp/n.en" "typo.conf:2: [board] nmae: unknown key"

run "$tmp/v.vi" "${vi[@]}" -- "$LEDSIGN" validate "$tmp/bad.json"
run "$tmp/v.en" LANG=C -- "$LEDSIGN" validate "$tmp/bad.json"
check "validate gives file:line:col in Vietnamese" has "$tmp/v.vi" "bad.json:1:52: items[0].speed:"
check "validate's verdict is Vietnamese" has "$tmp/v.vi" "KHÔNG ĐẠT"
check "validate's finding is labelled in Vietnamese" has "$tmp/v.vi" "lỗi: $tmp/bad.json:1:52: items[0].speed:"
check "and in English under LANG=C" has "$tmp/v.en" "error: $tmp/bad.json:1:52: items[0].speed:"
check "validate's verdict is English under LANG=C" has "$tmp/v.en" "FAILED"

# Messages that were built from English pieces read as whole Vietnamese
# sentences: not one English fragment is left in them.
english='the number|the value|did you mean|unknown key|is not|use e\.g\.|top level|plain http|still showing'
no_english() { ! grep -E -- "$english" "$1" || { echo "  English fragments above, in $1"; return 1; }; }
printf '{"version":1,"defualts":{},"items":[{"id":"a","text":"x","speed":-3,"colr":"red"},\n{"id":"b","text":"y","until":"2026-09-31"}]}\n' >"$tmp/pieces.json"
run "$tmp/p.vi" "${vi[@]}" -- "$LEDSIGN" validate "$tmp/pieces.json"
run "$tmp/p.en" LANG=C -- "$LEDSIGN" validate "$tmp/pieces.json"
check "an unknown key reads whole in Vietnamese" has "$tmp/p.vi" \
	'pieces.json:1:76: items[0]: khóa không xác định "colr"; có phải ý bạn là "color"?'
check "an unknown key at the top level reads whole in Vietnamese" has "$tmp/p.vi" \
	'khóa không xác định "defualts" ở cấp ngoài cùng; có phải ý bạn là "defaults"?'
check "a number out of range reads whole in Vietnamese" has "$tmp/p.vi" \
	'items[0].speed: số không hợp lệ; dùng 1..400 px/s'
check "an impossible date reads whole in Vietnamese" has "$tmp/p.vi" \
	'items[1].until: "2026-09-31" không phải ngày; dùng "YYYY-MM-DD"'
check "validate's findings keep no English fragment" no_english "$tmp/p.vi"
check "the same findings are English under LANG=C" has "$tmp/p.en" \
	'unknown key "defualts" at the top level; did you mean "defaults"?'
printf '[output]\ntype = none\n[display]\nhours = mon-fri 07:00\n' >"$tmp/hours.conf"
run "$tmp/h.vi" "${vi[@]}" -- "$LEDSIGND" -n -c "$tmp/hours.conf"
check "a display-hours hint reads whole in Vietnamese" has "$tmp/h.vi" \
	"hours.conf:4: [display] hours: 'mon-fri 07:00': cần HH:MM-HH:MM sau các ngày; ví dụ mon-fri 07:00-17:30, sat 07:30-11:30"
check "the display-hours hint keeps no English fragment" no_english "$tmp/h.vi"
printf '[output]\ntype = none\n[feed]\nurl = http://127.0.0.1:1/feed.json\ntoken = abcdefghijklmnop\n' >"$tmp/http.conf"
run "$tmp/w.vi" "${vi[@]}" -- "$LEDSIGND" -n -c "$tmp/http.conf"
check "a config warning is Vietnamese, with its line" has "$tmp/w.vi" \
	"http.conf:4: [feed] url 1: http://127.0.0.1:1/feed.json là http:// thường: chữ ký vẫn bảo vệ nội dung, nhưng bất kỳ ai trên đường truyền đều thấy bảng tải gì và đọc được [feed] token; hãy dùng https://"
check "the config warning keeps no English fragment" no_english "$tmp/w.vi"
run "$tmp/o.vi" "${vi[@]}" -- "$LEDSIGN" preview "$tmp/pieces.json" --seconds five --out "$tmp/x.gif"
check "a bad number option names its unit in Vietnamese" has "$tmp/o.vi" \
	"--seconds 'five': không phải một số (đơn vị: giây); dùng 0.04..600, chỉ gồm chữ số"

run "$tmp/d.vi" "${vi[@]}" -- "$LEDSIGN" doctor -c "$tmp/none.conf"
run "$tmp/d.en" LANG=C -- "$LEDSIGN" doctor -c "$tmp/none.conf"
check "doctor's verdicts are Vietnamese" has "$tmp/d.vi" "đạt    config"
check "doctor's verdicts line up in Vietnamese (bỏ qua is the widest)" grep -q '^bỏ qua gpio ' "$tmp/d.vi"
check "doctor's verdicts are English under LANG=C" has "$tmp/d.en" "ok    config"

run "$tmp/s.vi" "${vi[@]}" -- "$LEDSIGN" status --file "$tmp/no-status.json"
run "$tmp/s.en" LANG=C -- "$LEDSIGN" status --file "$tmp/no-status.json"
check "status speaks Vietnamese" has "$tmp/s.vi" "không có tệp trạng thái"
check "status speaks English under LANG=C" has "$tmp/s.en" "no status file"

# Every program's and subcommand's --help is Vietnamese (options and
# placeholders for values kept as typed), English under LANG=C; exit 0.
helps() { # PROGRAM [SUBCOMMAND]: its --help in both languages
	local name=${2:+$1 $2}
	name=${name:-$1}
	run "$tmp/help.vi" "${vi[@]}" -- "$LEDSIGN_BUILD/$1" ${2:+"$2"} --help || return 1
	run "$tmp/help.en" LANG=C -- "$LEDSIGN_BUILD/$1" ${2:+"$2"} --help || return 1
	has "$tmp/help.vi" "cách dùng: $name" && has "$tmp/help.en" "usage: $name" &&
		no_english_words "$tmp/help.vi"
}
for sub in render preview test-pattern keygen sign verify publish validate schedule fonts doctor status; do
	check "ledsign $sub --help is Vietnamese, English under LANG=C" helps ledsign "$sub"
done
check "ledsign --help is Vietnamese, English under LANG=C" helps ledsign
check "ledsign --help describes each command in Vietnamese" has "$tmp/help.vi" "status [-c CẤU_HÌNH] [--file STATUS.json]     dịch vụ đang hiển thị gì"
check "ledsignd --help is Vietnamese, English under LANG=C" helps ledsignd
check "ledsign-hub --help is Vietnamese, English under LANG=C" helps ledsign-hub

# ledsign status on a running service's status file: its own words and the
# scheduler's reason read in Vietnamese (the file keeps the English), the
# columns still line up; English under LANG=C.
mkdir -p "$tmp/st/cache" "$tmp/st/state"
printf '{"version":1,"items":[{"id":"mo-cua","text":"Mở cửa","effect":"static","duration":1}]}\n' >"$tmp/st/feed.json"
printf '[board]\nname = e2e\ntimezone = Asia/Ho_Chi_Minh\n[output]\ntype = none\n[feed]\nurl = file://%s/st/feed.json\ncache_dir = %s/st/cache\nstate_dir = %s/st/state\nstatus_file = %s/st/status.json\n' \
	"$tmp" "$tmp" "$tmp" "$tmp" >"$tmp/st/board.conf"
run "$tmp/st/log" "${vi[@]}" LEDSIGN_CLOCK_SYNCED=1 LEDSIGN_TEST_POLL_MS=200 LEDSIGN_TEST_STATUS_MS=200 \
	-- "$LEDSIGND" -c "$tmp/st/board.conf" --duration 2
check "the service logs the feed it took in Vietnamese" has "$tmp/st/log" "nguồn tin 1 file://$tmp/st/feed.json: 1 mục, "
run "$tmp/st.vi" "${vi[@]}" -- "$LEDSIGN" status --file "$tmp/st/status.json"
run "$tmp/st.en" LANG=C -- "$LEDSIGN" status --file "$tmp/st/status.json"
check "status says why in Vietnamese" has "$tmp/st.vi" "lý do     theo lịch phát"
check "status reads each feed in Vietnamese" has "$tmp/st.vi" "          đang phát, nội dung cũ "
check "status's plays heading is Vietnamese, over its columns" grep -Eq '^lượt phát {26}hôm nay 20[0-9-]{8} +từ ' "$tmp/st.vi"
check "status keeps no English word" no_english_words "$tmp/st.vi"
check "status is English under LANG=C" has "$tmp/st.en" "why       scheduled"
check "and its feed line" has "$tmp/st.en" "          playing, content age "
run "$tmp/std.vi" "${vi[@]}" -- "$LEDSIGN" doctor -c "$tmp/st/board.conf"
check "doctor reads the service's reason in Vietnamese" grep -q '^đạt    service .*(theo lịch phát)$' "$tmp/std.vi"

# The service's status line for `systemctl status` (sd_notify STATUS=) is
# the reader's language too.
cat >"$tmp/notify.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(15)
with open(sys.argv[2], 'w') as f:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        f.write(msg.replace('\n', ' ') + '\n')
        f.flush()
        if 'STOPPING=1' in msg:
            break
EOF
python3 "$tmp/notify.py" "$tmp/notify.sock" "$tmp/notify.log" &
notify_pid=$!
for _ in $(seq 50); do [ -S "$tmp/notify.sock" ] && break; sleep 0.1; done
run "$tmp/notify.out" "${vi[@]}" NOTIFY_SOCKET="$tmp/notify.sock" -- "$LEDSIGND" -c "$tmp/none.conf" --duration 1
wait "$notify_pid"
check "the service tells systemd it is showing, in Vietnamese" has "$tmp/notify.log" "STATUS=đang hiển thị"
check "and that it stops" has "$tmp/notify.log" "STATUS=đang dừng: tắt màn hình LED"

# ledsign schedule: the headings, the built-in item and the scheduler's reason.
run "$tmp/sch.vi" "${vi[@]}" -- "$LEDSIGN" schedule "$tmp/st/feed.json" --from "2026-12-01 06:00" --to "2026-12-01 07:00"
run "$tmp/sch.en" LANG=C -- "$LEDSIGN" schedule "$tmp/st/feed.json" --from "2026-12-01 06:00" --to "2026-12-01 07:00"
check "schedule's headings are Vietnamese" grep -q '^TỪ  *ĐẾN  *VÙNG  *CÁC MỤC (lượt phát, phần thời lượng phát)$' "$tmp/sch.vi"
check "schedule keeps no English word" no_english_words "$tmp/sch.vi"
check "schedule is English under LANG=C" grep -q '^FROM  *TO  *ZONE  *ITEMS (plays, share of airtime)$' "$tmp/sch.en"

# ledsign fonts check: every line of the verdict in Vietnamese.
run "$tmp/f.vi" "${vi[@]}" -- "$LEDSIGN" fonts check "$LEDSIGN_ROOT/fonts/ledsign16.bdf"
run "$tmp/f.en" LANG=C -- "$LEDSIGN" fonts check "$LEDSIGN_ROOT/fonts/ledsign16.bdf"
check "fonts check counts the Vietnamese letters in Vietnamese" has "$tmp/f.vi" "  chữ tiếng Việt     134/134"
check "fonts check says ĐẠT" grep -qx '  ĐẠT' "$tmp/f.vi"
check "fonts check keeps no English word" no_english_words "$tmp/f.vi"
check "fonts check is English under LANG=C" has "$tmp/f.en" "  Vietnamese letters 134/134"

# The contact sheet's labels are the reader's language: the same sheet in
# English twice is the same picture, in Vietnamese another one.
printf '{"version":1,"name":"Giờ làm việc","items":[{"id":"mo-cua","text":"Mở cửa","effect":"static","duration":2,"days":["mon-fri"]}]}\n' >"$tmp/sheet.json"
sheet() { run "$tmp/$1.out" "${@:2}" -- "$LEDSIGN" preview "$tmp/sheet.json" --sheet --at "2026-12-01 08:00" --out "$tmp/$1.png"; }
sheet sheet.en1 LANG=C
sheet sheet.en2 LANG=C
sheet sheet.vi "${vi[@]}"
check "the English sheet is the same picture twice" cmp -s "$tmp/sheet.en1.png" "$tmp/sheet.en2.png"
check "the Vietnamese sheet's labels differ from the English ones" not cmp -s "$tmp/sheet.en1.png" "$tmp/sheet.vi.png"
check "preview says what it wrote in Vietnamese" has "$tmp/sheet.vi.out" "đã ghi"

# The hub, started in the C locale, answers a board or a browser that asks
# for nothing, or for Vietnamese first, in Vietnamese; one asking for English
# first in English: its own refusals, the HTTP edge's, and the library's
# message inside one.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[http]\nlisten = 127.0.0.1:%s\nmax_body = 4096\nwww_dir = %s/src/hub/www\n[hub]\nstate_dir = %s/hub\n' \
	"$port" "$LEDSIGN_ROOT" "$tmp" >"$tmp/hub.conf"
hubtoken=board-token-0123456789
run "$tmp/hadd.vi" "${vi[@]}" -- "$LEDSIGN_BUILD/ledsign-hub" -c "$tmp/hub.conf" board add b1 "$hubtoken" --province 'Hà Nội'
check "ledsign-hub's command line answers in the locale's language" has "$tmp/hadd.vi" "bảng b1 đã được đăng ký"
run "$tmp/hlist.vi" "${vi[@]}" -- "$LEDSIGN_BUILD/ledsign-hub" -c "$tmp/hub.conf" board list
check "board list's headings are Vietnamese" grep -qE '^TÊN {22}TRẠNG THÁI TỈNH/THÀNH {11}QUẬN/HUYỆN {11}MÃ {7}LẦN BÁO CUỐI$' "$tmp/hlist.vi"
check "board list's columns are counted in letters, not bytes" grep -qE '^b1 {23}active {5}Hà Nội {15} {21}[0-9a-f]{8} -$' "$tmp/hlist.vi"
env -i PATH="$PATH" LANG=C "$LEDSIGN_BUILD/ledsign-hub" -c "$tmp/hub.conf" -d 2>"$tmp/hub.log" &
hub_pid=$!
at_exit "kill $hub_pid 2>/dev/null"
u="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$u/" && break; sleep 0.1; done
ask() { curl -s -o "$1" "${@:2}"; }
ask "$tmp/h404.vi" "$u/api/nothing"
ask "$tmp/h404.vivi" -H 'Accept-Language: vi-VN,vi;q=0.9,en-US;q=0.8' "$u/api/nothing"
ask "$tmp/h404.en" -H 'Accept-Language: en-US,en;q=0.9,vi;q=0.8' "$u/api/nothing"
ask "$tmp/h404.lang" -H 'Accept-Language: vi-VN' "$u/api/nothing?lang=en"
check "a hub refusal is Vietnamese when the request asks for no language" has "$tmp/h404.vi" '{"error":"không có API: /api/nothing"}'
check "and when it asks for Vietnamese first" has "$tmp/h404.vivi" 'không có API: /api/nothing'
check "a hub refusal is English when Accept-Language names en first" has "$tmp/h404.en" '{"error":"no such API: /api/nothing"}'
check "?lang=en asks for English over Accept-Language" has "$tmp/h404.lang" 'no such API: /api/nothing'
hb='{"board":"b1","seq":"one"}'
ask "$tmp/hb.vi" -H 'Content-Type: application/json' -H "Authorization: Bearer $hubtoken" -d "$hb" "$u/api/heartbeat"
ask "$tmp/hb.en" -H 'Content-Type: application/json' -H "Authorization: Bearer $hubtoken" -H 'Accept-Language: en' -d "$hb" "$u/api/heartbeat"
check "a board's refused heartbeat is Vietnamese, the parser's words too" has "$tmp/hb.vi" 'nhịp báo bị từ chối: seq: không phải số; không lưu gì'
check "and English on request" has "$tmp/hb.en" 'heartbeat refused: seq: not a number; nothing stored'
head -c 5000 /dev/zero | tr '\0' ' ' >"$tmp/big"
ask "$tmp/big.vi" -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$u/api/heartbeat"
ask "$tmp/big.en" -H 'Content-Type: application/json' -H 'Accept-Language: en' --data-binary @"$tmp/big" "$u/api/heartbeat"
check "the HTTP edge's refusal is Vietnamese" has "$tmp/big.vi" 'nội dung yêu cầu vượt quá 4096 byte ([http] max_body); không lưu gì'
check "the HTTP edge's refusal is English on request" has "$tmp/big.en" 'the request body is over 4096 bytes ([http] max_body); nothing stored'
kill "$hub_pid" 2>/dev/null
wait "$hub_pid" 2>/dev/null
finish
