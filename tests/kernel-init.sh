#!/bin/busybox sh
# shellcheck shell=dash
# /init of the initramfs tests/kernel.sh boots under qemu: loads the kernel's
# GPIO simulator, makes a 28-line chip labelled like a Raspberry Pi 4's header
# chip through configfs, gives /dev/gpiochip* the group and mode the shipped
# udev rule gives (there is no udevd here), and runs tests/kernel_gpio.c with
# the service as an unprivileged user in group gpio. Its last line is the
# test binary's "N passed, N failed", then the machine powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp /run/ledsign /var/tmp
say() { echo "kernel-init: $*"; }
fail() {
	say "$*"
	echo "0 passed, 1 failed"
	poweroff -f
}

for m in configfs gpio-sim; do
	[ -f "/lib/modules/$m.ko" ] || continue # built in
	insmod "/lib/modules/$m.ko" || fail "insmod $m failed"
done
mount -t configfs none /sys/kernel/config || fail "configfs cannot be mounted"
sim=/sys/kernel/config/gpio-sim/ledsign
mkdir "$sim" "$sim/bank0" || fail "gpio-sim has no configfs directory"
echo 28 >"$sim/bank0/num_lines"
echo pinctrl-bcm2711 >"$sim/bank0/label"
echo 1 >"$sim/live" || fail "the simulated chip does not go live"
chip=$(cat "$sim/bank0/chip_name")
sysfs=/sys/devices/platform/$(cat "$sim/dev_name")/$chip
[ -e "/dev/$chip" ] || fail "/dev/$chip is missing"
say "$chip ($(cat "$sim/bank0/label" 2>/dev/null || echo pinctrl-bcm2711)) at $sysfs"

# The user the service runs as, in group gpio only, and the rule's effect.
echo "root:x:0:0::/:/bin/sh" >/etc/passwd
echo "ledsign:x:1000:997::/tmp:/bin/sh" >>/etc/passwd
echo "root:x:0:" >/etc/group
echo "gpio:x:997:ledsign" >>/etc/group
rule=$(grep '^SUBSYSTEM=="gpio"' /ledsign/deploy/60-ledsign-gpio.rules)
group=$(echo "$rule" | sed -n 's/.*GROUP="\([^"]*\)".*/\1/p')
mode=$(echo "$rule" | sed -n 's/.*MODE="\([^"]*\)".*/\1/p')
[ "$group" = gpio ] && [ -n "$mode" ] || fail "the udev rule gives no group gpio: $rule"
chmod 600 /dev/gpiochip*
chgrp "$group" /dev/gpiochip* && chmod "$mode" /dev/gpiochip*
say "rule applied: $(ls -l "/dev/$chip" | cut -c1-40)"
mkdir -p /tmp/ledsign/cache /tmp/ledsign/state
chown -R 1000:997 /tmp/ledsign /run/ledsign

cd /ledsign || fail "no /ledsign"
export LS_SIM_LABEL=pinctrl-bcm2711 LS_SIM_SYSFS="$sysfs" LS_RUN_AS=1000:997
export LS_LEDSIGND=/ledsign/build/ledsignd LS_DAEMON_CONF=/ledsign/kernel.conf
export LEDSIGN_ROOT=/ledsign LANG=C LC_ALL=C TZ=UTC
/ledsign/build/tests/kernel_gpio 2>&1
say "done"
poweroff -f
