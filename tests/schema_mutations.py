#!/usr/bin/env python3
"""Generates mutated playlists, one change each from a valid base, and asks
both content/playlist.schema.json (python3-jsonschema, Draft 2020-12) and
`ledsign validate` whether each is a playlist. Prints every disagreement the
schema can express and exits 1 when there is one; the last line is
"N passed, N failed".

A case the schema cannot decide (a date that does not exist, an unknown
time zone, a default naming no item, "07:00-07:00", "until" before "from")
is marked semantic: there only "the schema refuses, ledsign accepts" is a
disagreement, since the schema can never be stricter than the board.

    python3 tests/schema_mutations.py LEDSIGN SCHEMA TMPDIR
"""
import copy
import json
import os
import subprocess
import sys

import jsonschema

ledsign, schema_path, tmp = sys.argv[1:4]
schema = json.load(open(schema_path, encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

BASE = {
    "version": 1,
    "name": "Thử nghiệm",
    "default": "a",
    "defaults": {"effect": "scroll-left", "speed": 32},
    "zones": [{"name": "main", "x": 0, "y": 0, "width": 192, "height": 16}],
    "items": [
        {"id": "a", "text": "Bảo hiểm xã hội Việt Nam"},
        {"id": "b", "text": "Giờ làm việc", "days": ["mon-fri"], "windows": ["07:30-11:30"],
         "from": "2026-01-01", "until": "2026-12-31 17:00"},
    ],
}

cases = []  # (label, document, semantic)


def case(label, mutate, semantic=False):
    doc = copy.deepcopy(BASE)
    mutate(doc)
    cases.append((label, doc, semantic))


def item_key(key, values, semantic=()):
    for v in values:
        def m(d, v=v):
            if key == "from":
                del d["items"][1]["until"]  # a later "from" is not a schema question
            d["items"][1][key] = v
        case(f"items[1].{key} = {json.dumps(v, ensure_ascii=False)[:40]}", m, v in semantic)


def top_key(key, values, semantic=()):
    for v in values:
        def m(d, v=v):
            d[key] = v
        case(f"{key} = {json.dumps(v, ensure_ascii=False)[:40]}", m, v in semantic)


# Dates: the documented range is 2000-2199.
dates = ["2000-01-01", "2100-01-01", "2150-06-15", "2199-12-31", "1999-12-31", "2200-01-01",
         "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-1", "2026-01-01 07:00",
         "2026-01-01T07:00", "2026-01-01 7:00", "2026-01-01 24:00", "2026-01-01 23:59",
         "2026-01-01 07:60", "+026-01-01", "2026-+1-01", "2026-01-01 ", "20260101", ""]
item_key("from", dates + ["2026-02-30", "2026-04-31"], semantic=("2026-02-30", "2026-04-31"))
item_key("until", ["2100-01-01", "2199-12-31 23:59", "2200-01-01", "2027-02-29"],
         semantic=("2027-02-29",))
# Colours: the nine names, lower case, or #rrggbb.
colours = ["red", "green", "blue", "amber", "white", "yellow", "cyan", "magenta", "black",
           "Red", "RED", "purple", "orange", "#ff3000", "#FF3000", "ff3000", "#fff", "#ff30001",
           "", 0xff3000]
item_key("color", colours)
item_key("colour", ["amber", "Amber", "#00ff00"])
item_key("background", ["black", "Black", "#000000", "000000"])
# Windows.
item_key("windows", [["07:00-07:00"], ["25:00-26:00"], ["07:00-24:00"], ["24:00-07:00"],
                     ["22:00-06:00"], ["7:00-11:00"], ["07:00-11:0"], ["07:00 - 11:00"],
                     ["07:00-11:60"], [], ["07:00-08:00"] * 8, ["07:00-08:00"] * 9, [7]],
         semantic=(["07:00-07:00"],))
item_key("days", [[], ["mon"], ["sun"], ["mon-fri"], ["fri-mon"], ["Mon"], ["weekdays"],
                  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ["mon-"], "mon"])
# Numbers and their ranges.
for key, lo, hi, integer in [("speed", 1, 400, False), ("duration", 1, 86400, False),
                             ("repeat", 1, 1000, True), ("priority", 0, 100, True),
                             ("weight", 1, 100, True), ("size", 6, 256, True)]:
    vals = [lo, hi, lo - 1, hi + 1, str(lo)]
    vals += [lo + 0.5] if lo + 0.5 <= hi else []
    item_key(key, vals)
# Strings and their lengths: the schema counts characters.
item_key("id", ["", "x" * 64, "x" * 65, "ệ" * 64, "ệ" * 65, 5])
item_key("text", ["", "x" * 2000, "x" * 2001, "ệ" * 2000, "ệ" * 2001, 5])
item_key("zone", ["main", "x" * 32, "x" * 33, "ệ" * 32], semantic=("x" * 32, "ệ" * 32))
item_key("font", ["x" * 256, "x" * 257, "ệ" * 256])
item_key("timezone", ["Asia/Ho_Chi_Minh", "UTC", "../etc/passwd", "Asia//X", "x" * 64,
                      "Asia/Ho_Chi_Mihn", "Asia/Ho Chi Minh"],
         semantic=("Asia/Ho_Chi_Mihn", "x" * 64))
item_key("tags", [[], ["gia-lai"], ["x" * 63], ["x" * 64], ["ệ" * 63], ["t"] * 16, ["t"] * 17,
                  [1], "gia-lai"])
item_key("lines", [["a"], ["a"] * 4, ["a"] * 5, [], ["x" * 2001], [1]])
item_key("effect", ["static", "blink", "slide-in", "typewriter", "scroll-up", "Static",
                    "zoom", "scroll_left", "scroll-right", "scroll-down", "scroll-loop",
                    "wipe-from-left", "wipe-from-right", "wipe-from-top", "wipe-from-bottom",
                    "cover-from-left", "cover-from-right", "cover-from-top", "cover-from-bottom",
                    "wipe-left", "cover-from-middle"])
item_key("gap", [0, 32, 1000, 1001, -1, 2.5, "8"])
PIC_OK = {"file": "pictures/emblem.png", "sha256": "0" * 64}
item_key("picture", [{"file": "x.png"}, {"sha256": "0" * 64}, "x.png",
                     dict(PIC_OK, file="../x.png"), dict(PIC_OK, file="/etc/x.png"),
                     dict(PIC_OK, file="a//x.png"), dict(PIC_OK, file="a b.png"),
                     dict(PIC_OK, sha256="0" * 63), dict(PIC_OK, sha256="g" * 64),
                     dict(PIC_OK, fit="stretch"), dict(PIC_OK, dither="none"),
                     dict(PIC_OK, position="top"), dict(PIC_OK, width=0),
                     dict(PIC_OK, colour="red"), dict(PIC_OK, fps=0), dict(PIC_OK, fps=51),
                     dict(PIC_OK, fps=2.5), dict(PIC_OK, fps="10"), dict(PIC_OK, fps=10), PIC_OK],
         semantic=(PIC_OK, dict(PIC_OK, fps=10)))  # the schema cannot know the file is missing
item_key("align", ["left", "center", "right", "centre", "Center"])
item_key("interrupt", [True, False, "yes", 1])
item_key("off", [True, "true", 0])
item_key("efect", ["static"])
item_key("_comment", ["fine"])
top_key("name", ["x" * 200, "x" * 201, "ệ" * 200, "ệ" * 201, ""])
top_key("default", ["a", "", "x" * 64, "x" * 65, "missing"], semantic=("x" * 64, "missing"))
top_key("version", [1, 2, "1", 0, 1.5])
top_key("$schema", ["./playlist.schema.json"])
top_key("comment", ["unknown at the top"])
top_key("zones", [[], [{"name": "main", "width": 0, "height": 16}],
                  [{"name": "main", "height": 16}],
                  [{"name": "main", "width": 192, "height": 16, "x": -1}],
                  [{"name": "main", "width": 4097, "height": 16}],
                  [{"name": "z%d" % i, "width": 8, "height": 8} for i in range(9)],
                  [{"name": "main", "width": 192, "height": 16, "widht": 3}]])
top_key("defaults", [{"effect": "zoom"}, {"speed": 0}, {"color": "Red"}, {"timezone": "UTC"},
                     {"id": "x"}, {"gap": 8}, {"gap": -1}, "scroll"])


def m_no_id(d):
    del d["items"][0]["id"]


def m_no_text(d):
    del d["items"][0]["text"]


def m_off_no_text(d):
    del d["items"][0]["text"]
    d["items"][0]["off"] = True
    d["default"] = "b"


case("items[0] without id", m_no_id)
case("items[0] without text", m_no_text)
case("items[0] off without text", m_off_no_text)
case("items not a list", lambda d: d.__setitem__("items", {"id": "a"}))
case("no items", lambda d: d.pop("items"))
case("no version", lambda d: d.pop("version"))
case("501 items", lambda d: d.__setitem__(
    "items", [{"id": "i%d" % i, "text": "x"} for i in range(501)]), semantic=False)
case("500 items", lambda d: d.__setitem__(
    "items", [{"id": "i%d" % i, "text": "x"} for i in range(500)] + []) or d.pop("default"))
case("until before from", lambda d: d["items"][1].__setitem__("until", "2025-01-01"),
     semantic=True)

os.makedirs(tmp, exist_ok=True)
files = []
for k, (label, doc, semantic) in enumerate(cases):
    path = os.path.join(tmp, "m%03d.json" % k)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    files.append(path)

accepted = {}
for i in range(0, len(files), 64):
    batch = files[i:i + 64]
    out = subprocess.run([ledsign, "validate", "-q"] + batch, capture_output=True, text=True)
    bad = set()
    for line in out.stdout.splitlines():
        if line.startswith("error: "):
            name = line[7:].split(":", 1)[0]
            bad.add(name)
    for p in batch:
        accepted[p] = p not in bad

passed = failed = 0
for (label, doc, semantic), path in zip(cases, files):
    schema_ok = not list(validator.iter_errors(doc))
    board_ok = accepted[path]
    if schema_ok == board_ok or (semantic and schema_ok and not board_ok):
        passed += 1
        continue
    failed += 1
    print("DISAGREE %s: schema %s, ledsign %s (%s)" % (
        label, "accepts" if schema_ok else "refuses", "accepts" if board_ok else "refuses",
        os.path.basename(path)))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
