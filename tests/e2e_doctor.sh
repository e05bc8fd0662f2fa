#!/bin/bash
# `ledsign doctor` on a machine without GPIO hardware (CI): it reports exactly
# the checks that fail and why, each FAIL line carries a fix, and it exits 1.
# The same board with a working setup (term output, a signed and cached feed,
# writable directories, a fresh status file) passes.
set -u
. "$(dirname "$0")/lib.sh"
root=$LEDSIGN_ROOT build=$LEDSIGN_BUILD tmp=$T_TMP
tool=$LEDSIGN
line() { grep -E "^(ok|skip|FAIL) +$1 " "$tmp/out"; }
has() { line "$1" | grep -q "$2"; } # has CHECK REGEX: that check's line matches

# 1. A gpiod board on this machine: no chip, no key, no dirs, no service.
cat >"$tmp/gpio.conf" <<EOF
[panel]
type = hub12
chain = 2
[output]
type = gpiod
chip = gpiochip0
[feed]
url = $root/content/national.json
url = http://127.0.0.1:9/nothing-listens-here.json
cache_dir = $tmp/no-cache
state_dir = $tmp/no-state
status_file = $tmp/no-status.json
EOF
LEDSIGN_CLOCK_SYNCED=0 "$tool" doctor -c "$tmp/gpio.conf" --user root >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out" | tee "$tmp/all.out"
check doctor_exits_nonzero_when_a_check_fails test $rc = 1
check config_is_reported_valid has config '^ok'
check missing_gpio_chip_is_named has gpio "^FAIL.*no GPIO chip is named or labelled 'gpiochip0'"
check lines_are_skipped_without_a_chip has lines '^skip'
check spidev_is_skipped_for_gpiod has spidev '^skip'
check gpiomem_is_skipped_for_gpiod has gpiomem '^skip'
check fonts_cover_vietnamese has fonts '^ok.*134 Vietnamese letters at 16 px'
check local_feed_answers grep -q '^ok    feed .*feed 1 file://' "$tmp/out"
check dead_feed_server_is_named grep -q '^FAIL  feed .*feed 2 http://127.0.0.1:9/' "$tmp/out"
check missing_pubkey_fails has signature '^FAIL.*no \[feed\] pubkey'
check unsynchronised_clock_fails has clock '^FAIL.*not synchronised'
check missing_cache_dir_fails has cache "^FAIL.*$tmp/no-cache does not exist"
check missing_state_dir_fails has state "^FAIL.*$tmp/no-state does not exist"
check stopped_service_fails has service '^FAIL.*not running'
check every_failure_carries_a_fix test "$(grep -c '^FAIL' "$tmp/out")" = "$(grep -c '^FAIL.* -- fix: ..' "$tmp/out")"
check exactly_these_checks_fail test "$(grep '^FAIL' "$tmp/out" | awk '{print $2}' | tr '\n' ' ')" = "gpio feed signature clock cache state service "
check summary_counts_the_failures grep -q '^7 check(s) failed' "$tmp/out"

# 1b. The same board on type = mmap: this machine is no Raspberry Pi, so the
# service would drive the lines through gpiod; doctor warns and says why.
sed 's/^type = gpiod$/type = mmap/' "$tmp/gpio.conf" >"$tmp/mmap.conf"
LEDSIGN_CLOCK_SYNCED=0 "$tool" doctor -c "$tmp/mmap.conf" --user root >"$tmp/mmap.out" 2>&1
check mmap_without_registers_warns_of_the_gpiod_fallback \
	grep -Eq '^warn +gpiomem .*(compatible|gpiomem).*drive the lines through gpiod instead -- fix: ' "$tmp/mmap.out"
check mmap_board_still_checks_the_gpiod_chip grep -q "^FAIL  gpio .*no GPIO chip is named or labelled 'gpiochip0'" "$tmp/mmap.out"
check mmap_refresh_is_stated_at_the_fallback_rate grep -Eq '^ok +refresh .*at 1150 ns each' "$tmp/mmap.out"

# 2. A broken config is the first failure, with file:line.
printf '[display]\nhours = 7-17\n' >"$tmp/bad.conf"
"$tool" doctor -c "$tmp/bad.conf" >"$tmp/out" 2>&1
check broken_config_fails_with_file_and_line has config "^FAIL.*bad.conf:2: \[display\] hours"

# 3. A working board (no GPIO output, so those checks are skipped): a
#    signed, cached feed verifies; a fresh status file means the service runs.
"$tool" keygen --pub "$tmp/k.pub" --sec "$tmp/k.sec" >/dev/null 2>&1 </dev/null
mkdir -p "$tmp/web" "$tmp/cache" "$tmp/state"
cp "$root/content/national.json" "$tmp/web/feed.json"
"$tool" sign "$tmp/web/feed.json" --key "$tmp/k.sec" >/dev/null 2>&1 </dev/null
pub=$(sed -n 2p "$tmp/k.pub")
cat >"$tmp/good.conf" <<EOF
[output]
type = none
[feed]
url = $tmp/web/feed.json
pubkey = $pub
cache_dir = $tmp/cache
state_dir = $tmp/state
status_file = $tmp/status.json
EOF
LEDSIGN_CLOCK_SYNCED=1 "$build/ledsignd" -c "$tmp/good.conf" --duration 1.5 2>"$tmp/d.log"
LEDSIGN_CLOCK_SYNCED=1 "$tool" doctor -c "$tmp/good.conf" --user root >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
check working_board_passes test $rc = 0
check cached_signed_feed_verifies has signature '^ok.*1 cached feed(s) verify'
check running_service_shows_its_item has service '^ok.*running: none output.*showing '
# Tamper with the cached copy's key: the cache no longer verifies.
"$tool" keygen --pub "$tmp/o.pub" --sec "$tmp/o.sec" >/dev/null 2>&1 </dev/null
sed -i "s|^pubkey = .*|pubkey = $(sed -n 2p "$tmp/o.pub")|" "$tmp/good.conf"
LEDSIGN_CLOCK_SYNCED=1 "$tool" doctor -c "$tmp/good.conf" --user root >"$tmp/out" 2>&1
check cache_signed_by_another_key_fails has signature '^FAIL.*does not verify'

# 4. No config file: not "correct that line", and the default fonts are found.
"$tool" doctor -c "$tmp/none.conf" --user root >"$tmp/out" 2>&1
cat "$tmp/out" >>"$tmp/all.out"
check missing_config_fails_with_how_to_make_one has config '^FAIL.*no config: .*none.conf.*fix: copy the example'
check missing_config_is_not_told_to_correct_a_line sh -c "! grep -q 'correct that line' '$tmp/out'"
check missing_config_still_finds_the_default_fonts has fonts '^ok.*134 Vietnamese letters'

# 5. The third HUB75 chain's pins are checked through the library's line map.
printf '[panel]\ntype = hub75\nmodule = 64x32\nchain = 1\nrows = 3\nlayout = parallel\n[pins]\np3_b2 = 18\n[output]\ntype = gpiod\n' >"$tmp/p3.conf"
"$tool" doctor -c "$tmp/p3.conf" --user root >"$tmp/out" 2>&1
cat "$tmp/out" >>"$tmp/all.out"
check third_chain_pin_collision_is_found has config '^FAIL.*p3.conf:8: \[pins\] p3_b2: GPIO 18 is also oe'

# Every fix names only tools the package brings (no gpiod, curl, dnsutils, iputils).
check fixes_suggest_only_installed_tools sh -c "! grep -Ew 'gpiodetect|gpioinfo|curl|resolvectl|ping|dig|wget' '$tmp/all.out'"

finish
