#!/bin/sh
# Regenerates the committed previews of the example playlists, next to them in
# content/previews/: for every content/NAME.json a contact sheet
# (NAME-sheet.png: one still per item with its schedule and pass duration)
# and an animation (NAME.gif: what a 192x16 red P10 board shows from a
# moment when the playlist has something to say, with real timing, looping).
#
#   sh content/make-previews.sh            # after `make`; uses build/ledsign
#   LEDSIGN=/usr/bin/ledsign AT="2026-12-05 08:00" SECONDS=20 sh content/make-previews.sh
#
# Run it after changing a playlist, a font or the renderer, look at the
# pictures, and commit them with the change.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ledsign=${LEDSIGN:-$root/build/ledsign}
at_default=${AT:-2026-08-03 08:00} # a Monday morning during the student health insurance campaign
# shellcheck disable=SC3028 # SECONDS is this sh script's own setting, not bash's counter
seconds=${SECONDS:-12}
board=${BOARD:-192x16}
[ -x "$ledsign" ] || { echo "make-previews: $ledsign not found; run make first" >&2; exit 1; }
mkdir -p content/previews
for pl in content/*.json; do
	case $pl in *.schema.json) continue ;; esac
	name=$(basename "$pl" .json)
	# The moment (and the board's tags) each example is shown at.
	at=$at_default tags='' secs=$seconds
	case $name in
	effects) secs=$((seconds * 3)) ;;                             # every effect once, in turn
	province-gia-lai) at="2026-10-05 08:00" tags=gia-lai,pleiku ;; # household insurance drive, in Pleiku
	urgent-template) at="2026-10-15 13:00" ;;                      # while the storm notice is on
	holiday) at="2026-09-01 08:00" ;;                              # the National Day greeting, its firework animated
	esac
	"$ledsign" preview "$pl" --sheet --board "$board" --at "$at" ${tags:+--tags "$tags"} \
		--out "content/previews/$name-sheet.png"
	"$ledsign" preview "$pl" --board "$board" --at "$at" ${tags:+--tags "$tags"} --seconds "$secs" \
		--out "content/previews/$name.gif"
	echo "content/previews/$name-sheet.png content/previews/$name.gif"
done
