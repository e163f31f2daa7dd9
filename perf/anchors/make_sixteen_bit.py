#!/usr/bin/python3
"""Seeded 16-bit PNGs: the class of sources kept at 16 bits (README, "A source of more than 8 bits a channel").

ramp16: a grey ramp 512 x 160 (about two 16-bit values per 8-bit step); grad16: a three-channel gradient 512 x 160;
photo16: samples/china.jpg reduced to 320 x 214 and blurred at 16 bits (many values between 8-bit steps);
alpha16: an RGBA gradient 256 x 128 whose alpha runs from 0 to full.
Usage: make_sixteen_bit.py OUTDIR   (the same bytes every run)
"""
import os
import sys

import cv2  # Debian's python3-opencv: writes 16-bit PNGs
import numpy as np


def main(out):
    os.makedirs(out, exist_ok=True)
    h, w = 160, 512
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    ramp = np.tile(np.linspace(0, 65535, w).astype(np.uint16), (h, 1))
    cv2.imwrite(os.path.join(out, "ramp16.png"), ramp)
    grad = np.stack([x * np.ones_like(y), y * np.ones_like(x), (1 - x) * (0.5 + 0.5 * y)], 2)
    cv2.imwrite(os.path.join(out, "grad16.png"), (grad[:, :, ::-1] * 65535).round().astype(np.uint16))
    here = os.path.dirname(os.path.abspath(__file__))
    photo = cv2.imread(os.path.join(here, "..", "..", "samples", "china.jpg"))
    photo = cv2.resize(photo, (320, 214), interpolation=cv2.INTER_AREA).astype(np.float64)
    photo = cv2.GaussianBlur(photo, (0, 0), 1.2) * 257
    cv2.imwrite(os.path.join(out, "photo16.png"), np.clip(photo.round(), 0, 65535).astype(np.uint16))
    a = np.zeros((128, 256, 4))
    a[:, :, 0] = np.linspace(0, 65535, 256)[None, :]
    a[:, :, 1] = 30000
    a[:, :, 2] = np.linspace(65535, 0, 128)[:, None]
    a[:, :, 3] = np.linspace(0, 65535, 256)[None, :]
    cv2.imwrite(os.path.join(out, "alpha16.png"), a[:, :, [2, 1, 0, 3]].round().astype(np.uint16))


if __name__ == "__main__":
    main(sys.argv[1])
