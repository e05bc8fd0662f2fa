#!/usr/bin/env python3
"""Writes the GIF pictures of the tests (python3 tests/data/pictures/make_gifs.py).

A GIF is written uncompressed (each pixel one literal LZW code, a clear code
before the code width would grow), so what each file holds is plain here:
  anim.gif           16x16, 4 frames: a white 8x8 square in each quadrant in
                     turn (top-left, top-right, bottom-left, bottom-right) on
                     black, shown 100, 200, 300 and 400 ms
  anim-truncated.gif anim.gif cut in the middle of its third frame
  anim-many.gif      2x2, 65 frames (one more than a picture may have)
  anim-bomb.gif      512x512, 3 frames that declare 786432 pixels in all (over
                     524288) in 120 bytes: each frame's data is only a clear
                     and an end code, so a decoder that trusts it fails late
and content/pictures/firework.gif, a firework bursting (16x16, 8 frames,
100 ms each, transparent around the sparks), for content/holiday.json.
"""
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def lzw_literal(pixels, m):
    clear, eoi, width = 1 << m, (1 << m) + 1, m + 1
    codes, run = [clear], 0
    for p in pixels:
        if run == clear - 2:
            codes.append(clear)
            run = 0
        codes.append(p)
        run += 1
    codes.append(eoi)
    out, acc, bits = bytearray(), 0, 0
    for c in codes:
        acc |= c << bits
        bits += width
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    blocks = bytearray()
    for i in range(0, len(out), 255):
        chunk = out[i:i + 255]
        blocks += bytes([len(chunk)]) + chunk
    return bytes(blocks) + b"\x00"


def gif(w, h, palette, frames, delays_cs):
    """frames: lists of w*h palette indices (None: no pixel data, only a
    clear and an end code); palette: up to 4 (r, g, b)."""
    pal = list(palette) + [(0, 0, 0)] * (4 - len(palette))
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", w, h, 0x80 | 0x10 | 1, 0, 0)
    for r, g, b in pal:
        out += bytes([r, g, b])
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for px, d in zip(frames, delays_cs):
        out += b"\x21\xf9\x04" + struct.pack("<BHBB", 0x04, d, 0, 0)
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0)
        out += bytes([2]) + (lzw_literal(px, 2) if px is not None else b"\x01\x2c\x00")
    out += b"\x3b"
    return bytes(out)


def quadrants():
    frames = []
    for k in range(4):
        qx, qy = (k % 2) * 8, (k // 2) * 8
        frames.append([1 if qx <= x < qx + 8 and qy <= y < qy + 8 else 0
                       for y in range(16) for x in range(16)])
    return gif(16, 16, [(0, 0, 0), (255, 255, 255)], frames, [10, 20, 30, 40])


def firework():
    """Twelve sparks flying out from the centre, each with a trail."""
    w = h = 16
    frames = []
    for k in range(8):
        px = [0] * (w * h)
        for a in range(12):
            ang = a * math.pi / 6
            for back, colour in ((0, 2), (1, 1), (2, 1)):
                r = 1 + k - back
                if r < 1 or (k >= 6 and back == 0 and a % 2):
                    continue
                x = int(round(7.5 + r * math.cos(ang)))
                y = int(round(7.5 + r * math.sin(ang)))
                if 0 <= x < w and 0 <= y < h:
                    px[y * w + x] = colour
        frames.append(px)
    data = bytearray(gif(w, h, [(0, 0, 0), (255, 64, 0), (255, 255, 96)], frames, [10] * 8))
    # Index 0 transparent in every frame: its graphic control extensions say so.
    i = 0
    while True:
        i = data.find(b"\x21\xf9\x04", i)
        if i < 0:
            break
        data[i + 3] = 0x09  # disposal 2 (restore to background), transparent
        data[i + 6] = 0
        i += 8
    return bytes(data)


def main():
    anim = quadrants()
    files = {
        "anim.gif": anim,
        "anim-truncated.gif": anim[:len(anim) * 5 // 8],
        "anim-many.gif": gif(2, 2, [(0, 0, 0), (255, 255, 255)],
                             [[k % 2] * 4 for k in range(65)], [10] * 65),
        "anim-bomb.gif": gif(512, 512, [(0, 0, 0), (255, 255, 255)],
                             [None] * 3, [10] * 3),
    }
    for name, data in files.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(ROOT, "content", "pictures"), exist_ok=True)
    with open(os.path.join(ROOT, "content", "pictures", "firework.gif"), "wb") as f:
        f.write(firework())


if __name__ == "__main__":
    main()
