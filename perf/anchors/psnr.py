#!/usr/bin/python3
"""One PSNR definition for every tool: the 8-bit output a user gets against the original.

Over RGB for opaque originals; over premultiplied RGBA (each colour x alpha / 255, plus alpha; 0-255 scale)
when the original has any alpha below 255. Prints the PSNR in dB ('inf' when identical).
Usage: psnr.py ORIGINAL OUTPUT
"""
import math
import sys

import numpy as np
from PIL import Image


def planes(path, premultiply):
    rgba = np.asarray(Image.open(path).convert("RGBA"), dtype=np.float64)
    if not premultiply:
        return rgba[:, :, :3]
    a = rgba[:, :, 3:4] / 255.0
    return np.concatenate([rgba[:, :, :3] * a, rgba[:, :, 3:4]], axis=2)


def main(original, output):
    alpha = np.asarray(Image.open(original).convert("RGBA"))[:, :, 3]
    premultiply = bool((alpha < 255).any())
    a = planes(original, premultiply)
    b = planes(output, premultiply)
    if a.shape != b.shape:
        raise SystemExit(f"size differs: {a.shape} vs {b.shape}")
    mse = float(np.mean((a - b) ** 2))
    print("inf" if mse == 0 else f"{10 * math.log10(255.0 ** 2 / mse):.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
