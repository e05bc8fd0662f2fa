# Installation paths and version; override on the command line
# (make install PREFIX=/usr DESTDIR=/tmp/stage).
VERSION = 0.1.0
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/ledsign
LOCALEDIR ?= $(PREFIX)/share/locale
FUZZ_SECONDS ?= 20
