#!/bin/sh
# Sets up a board after `make install` (or by the .deb's postinst): the
# ledsign system user in the gpio and spi groups, the udev rule applied, the
# state and cache directories, the config checked, the service enabled (even
# when the check fails, which is reported and makes the exit status 1).
#
#   sudo sh /usr/share/ledsign/setup-board.sh [--no-start]
#
# Safe to run again: every step checks before it changes anything.
set -eu

start=yes
[ "${1:-}" = --no-start ] && start=no
[ "$(id -u)" -eq 0 ] || { echo "setup-board.sh: run as root (sudo)" >&2; exit 1; }

conf=/etc/ledsign/ledsign.conf
sbin=$(command -v ledsignd || echo /usr/sbin/ledsignd)
nologin=$(command -v nologin || echo /usr/sbin/nologin)

for g in gpio spi; do
	getent group "$g" >/dev/null || { groupadd --system "$g" && echo "setup: created group $g"; }
done
if ! getent passwd ledsign >/dev/null; then
	useradd --system --user-group --home-dir /var/lib/ledsign --no-create-home \
		--shell "$nologin" --comment "ledsign LED board service" ledsign
	echo "setup: created user ledsign"
fi
usermod -a -G gpio,spi ledsign

for d in /var/lib/ledsign /var/cache/ledsign; do
	install -d -o ledsign -g ledsign -m 0750 "$d"
done

if command -v udevadm >/dev/null; then
	udevadm control --reload 2>/dev/null || true
	udevadm trigger --subsystem-match=gpio --subsystem-match=spidev 2>/dev/null || true
	udevadm trigger --sysname-match='gpiomem*' 2>/dev/null || true
fi

if [ ! -f "$conf" ]; then
	for ex in /usr/share/doc/ledsign/ledsign.conf.example /usr/local/share/doc/ledsign/ledsign.conf.example; do
		[ -f "$ex" ] && install -D -m 0644 "$ex" "$conf" && echo "setup: wrote $conf from $ex" && break
	done
fi
# The check is reported, but does not stop the enabling: a package installed
# into an image (a chroot, no systemd running, no hardware) must still come
# out enabled, and the service refuses to start until the config passes.
checked=ok
if ! "$sbin" -n -c "$conf"; then
	checked=failed
	echo "setup: $conf does not pass ledsignd -n (above); fix it (see ledsign.conf(5)), then run this again" >&2
fi

if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable ledsignd.service
	if [ "$checked" = failed ]; then
		echo "setup: ledsignd enabled, not started: it starts once $conf passes ledsignd -n"
	elif [ "$start" = yes ]; then
		systemctl restart ledsignd.service
		echo "setup: ledsignd started; check the board with: ledsign doctor"
	else
		echo "setup: ledsignd enabled; start it with: systemctl start ledsignd"
	fi
elif command -v systemctl >/dev/null || command -v deb-systemd-helper >/dev/null; then
	# An image being built (a chroot, a container): the unit is enabled
	# offline, so the board starts ledsignd on its first boot.
	if command -v systemctl >/dev/null; then
		systemctl enable ledsignd.service 2>&1 | grep -v '^Created symlink' || true
	else
		deb-systemd-helper enable ledsignd.service
	fi
	echo "setup: systemd is not running here; ledsignd is enabled and starts at the next boot"
else
	echo "setup: no systemd here; start ledsignd by hand (ledsignd -c $conf)"
fi
[ "$checked" = ok ]
