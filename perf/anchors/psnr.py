#!/usr/bin/python3
"""One PSNR definition for every tool: the 8-bit output a user gets against the original.

Over RGB for opaque originals; over premultiplied RGBA (each colour x alpha / 255, plus alpha; 0-255 scale)
when the original has any alpha below 255. A 16-bit original is compared at its full precision (value / 257). Prints the PSNR in dB ('inf' when identical).
Usage: psnr.py ORIGINAL OUTPUT
"""
import math
import sys

import numpy as np
from PIL import Image


def read_rgba(path):
    """RGBA as float64 on the 0-255 scale. A 16-bit PNG keeps its precision (value / 257): Pillow would cut 16-bit
    grey to 255 and keep only the high byte of 16-bit colour."""
    with Image.open(path) as im:
        sixteen = im.format == "PNG" and (im.mode.startswith("I") or im.info.get("bits", 8) == 16 or _png_bit_depth(path) == 16)
        if not sixteen:
            return np.asarray(im.convert("RGBA"), dtype=np.float64)
    import cv2  # Debian's python3-opencv, an anchor dependency: it reads 16-bit colour PNGs whole
    data = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    key = _colour_key(path)  # OpenCV drops a grey or RGB image's tRNS colour key; libpng and Pillow apply it
    if data.ndim == 2:
        data = np.stack([data, data, data], axis=2)
    if data.shape[2] == 3:
        data = np.concatenate([data[:, :, ::-1], np.full(data.shape[:2] + (1,), 65535, dtype=data.dtype)], axis=2)
        if key is not None:
            data[(data[:, :, :3] == np.array(key, dtype=data.dtype)).all(axis=2), 3] = 0
    else:
        data = data[:, :, [2, 1, 0, 3]]
    return data.astype(np.float64) / 257.0


def _colour_key(path):
    """A 16-bit grey or RGB PNG's tRNS colour key as (R, G, B), or None."""
    with open(path, "rb") as f:
        png = f.read()
    colour_type = png[25] if len(png) > 25 else None
    pos = 8
    while pos + 8 <= len(png):
        length = int.from_bytes(png[pos:pos + 4], "big")
        kind = png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IDAT":
            return None  # a tRNS after the image data is ignored
        if kind == b"tRNS":
            if colour_type == 0 and length >= 2:
                grey = int.from_bytes(data[0:2], "big")
                return (grey, grey, grey)
            if colour_type == 2 and length >= 6:
                return tuple(int.from_bytes(data[i:i + 2], "big") for i in (0, 2, 4))
            return None
        pos += 12 + length
    return None


def _png_bit_depth(path):
    with open(path, "rb") as f:
        head = f.read(26)
    return head[24] if len(head) == 26 and head[12:16] == b"IHDR" else 8


def planes(path, premultiply):
    rgba = read_rgba(path)
    if not premultiply:
        return rgba[:, :, :3]
    a = rgba[:, :, 3:4] / 255.0
    return np.concatenate([rgba[:, :, :3] * a, rgba[:, :, 3:4]], axis=2)


def main(original, output):
    alpha = read_rgba(original)[:, :, 3]
    premultiply = bool((alpha < 255).any())
    a = planes(original, premultiply)
    b = planes(output, premultiply)
    if a.shape != b.shape:
        raise SystemExit(f"size differs: {a.shape} vs {b.shape}")
    mse = float(np.mean((a - b) ** 2))
    print("inf" if mse == 0 else f"{10 * math.log10(255.0 ** 2 / mse):.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
