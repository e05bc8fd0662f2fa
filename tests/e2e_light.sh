#!/usr/bin/env bash
# Ambient light on the running service (ledsign.conf(5), AMBIENT LIGHT), with
# a fake IIO tree standing in for /sys/bus/iio/devices ($LEDSIGN_IIO_DIR):
# "auto" finds the light sensor among the devices and says so, the
# brightness drops with the light (logged as the service logs a schedule
# step) and never rises above [panel] brightness; without a sensor the
# service says the schedule rules and runs as before.
. "$(dirname "$0")/lib.sh"
cd "$LEDSIGN_ROOT" || exit 1

iio=$T_TMP/iio
mkdir -p "$iio/iio:device0" "$iio/iio:device1"
echo 12 >"$iio/iio:device0/in_accel_x_raw"
echo 5000 >"$iio/iio:device1/in_illuminance_raw"
echo 0.5 >"$iio/iio:device1/in_illuminance_scale"
conf() { # conf BRIGHTNESS -> the run config on a png output with the sensor
	sed -e 's/^type = term/type = png/' -e "s|^fps = 25|fps = 10\npath = $T_TMP/frames|" \
		-e "s|^url = ../content/|url = $LEDSIGN_ROOT/content/|" deploy/ledsign-run.conf
	printf '[display]\nlight_sensor = auto\nlight_curve = 0 10, 100 20, 2500 60\nlight_smoothing = 0\n'
}
conf >"$T_TMP/light.conf"
sed -i "0,/^\[panel\]/s//[panel]\nbrightness = 50/" "$T_TMP/light.conf"
check "ledsignd -n accepts the light keys" "$LEDSIGND" -n -c "$T_TMP/light.conf"

# 2500 lux (5000 * 0.5) asks for 60 %, above [panel] brightness 50: 50 holds.
# After a second the room darkens to 100 lux: 20 %.
LEDSIGN_IIO_DIR=$iio "$LEDSIGND" -d -c "$T_TMP/light.conf" --duration 4 >"$T_TMP/d.out" 2>&1 &
pid=$!
sleep 1.5
echo 200 >"$iio/iio:device1/in_illuminance_raw"
wait $pid
rc=$?
if [ $rc -eq 0 ] && grep -q "light sensor $iio/iio:device1: brightness follows the light" "$T_TMP/d.out"; then
	ok "auto finds the light sensor among the IIO devices and says which"
else
	fail "auto finds the light sensor among the IIO devices and says which" "rc=$rc" "$(cat "$T_TMP/d.out")"
fi
if grep -q "brightness 20%" "$T_TMP/d.out" && ! grep -qE "brightness (5[1-9]|60)%" "$T_TMP/d.out"; then
	ok "the brightness follows the light down to the curve's 20 % and never passes [panel] brightness"
else
	fail "the brightness follows the light" "$(cat "$T_TMP/d.out")"
fi

# No sensor: the schedule rules, said once at start-up.
rm -rf "$iio/iio:device1"
LEDSIGN_IIO_DIR=$iio "$LEDSIGND" -d -c "$T_TMP/light.conf" --duration 1 >"$T_TMP/n.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c "no light sensor under $iio" "$T_TMP/n.out")" = 1 ] &&
	grep -q "brightness follows the schedule" "$T_TMP/n.out"; then
	ok "without a sensor the service says the schedule rules, once, and runs"
else
	fail "without a sensor the service says the schedule rules" "rc=$rc" "$(cat "$T_TMP/n.out")"
fi
finish
