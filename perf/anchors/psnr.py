#!/usr/bin/python3
"""One PSNR definition for every tool: the 8-bit output a user gets against the original.

Over RGB for opaque originals; over premultiplied RGBA (each colour x alpha / 255, plus alpha; 0-255 scale)
when the original has any alpha below 255. A 16-bit original (PNG, or a TIFF of more than 8 bits a sample) is compared
at its full precision (value / 257, or value x 255 / (2^bits - 1)). A JPEG's EXIF orientation and a TIFF's Orientation
tag are applied, as the module applies them. Prints the PSNR in dB ('inf' when identical).
Usage: psnr.py ORIGINAL OUTPUT
"""
import math
import sys

import numpy as np
from PIL import Image


def read_rgba(path):
    """RGBA as float64 on the 0-255 scale, turned upright. A 16-bit PNG or a TIFF of more than 8 bits a sample keeps
    its precision: Pillow would cut 16-bit grey to 255 and keep only the high byte of 16-bit colour."""
    with Image.open(path) as im:
        orientation = im.getexif().get(0x0112, 1) if im.format in ("JPEG", "TIFF", "MPO") else 1
        scale = _deep_scale(im, path)
        if im.format == "BMP" and (bgra := _bmp32_alpha(path)) is not None:
            return bgra
        if scale is None:
            return _upright(np.asarray(im.convert("RGBA"), dtype=np.float64), orientation)
    import cv2  # Debian's python3-opencv, an anchor dependency: it reads 16-bit colour PNGs and TIFFs whole
    data = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    key = _colour_key(path)  # OpenCV drops a grey or RGB image's tRNS colour key; libpng and Pillow apply it
    if data.ndim == 2:
        data = np.stack([data, data, data], axis=2)
    full = np.iinfo(data.dtype).max if data.dtype.kind == "u" else 65535
    if data.shape[2] == 2:  # grey and alpha
        data = np.stack([data[:, :, 0], data[:, :, 0], data[:, :, 0], data[:, :, 1]], axis=2)
    elif data.shape[2] == 3:
        data = np.concatenate([data[:, :, ::-1], np.full(data.shape[:2] + (1,), full, dtype=data.dtype)], axis=2)
        if key is not None:
            data[(data[:, :, :3] == np.array(key, dtype=data.dtype)).all(axis=2), 3] = 0
    else:
        data = data[:, :, [2, 1, 0, 3]]
    # OpenCV left the orientation aside (IMREAD_UNCHANGED); a TIFF's is applied here as for 8-bit files.
    return _upright(data.astype(np.float64) * scale, orientation)


def _bmp32_alpha(path):
    """A 32-bit BMP with a plain 40-byte header as the module reads it (as browsers, ImageMagick and ImageSharp do):
    the fourth byte is alpha unless every pixel's is 0. Pillow reads it opaque. None for any other BMP."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 54 or int.from_bytes(data[14:18], "little") != 40:
        return None
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bits, compression = int.from_bytes(data[28:30], "little"), int.from_bytes(data[30:34], "little")
    if bits != 32 or compression != 0 or width <= 0 or height == 0:
        return None
    offset, rows = int.from_bytes(data[10:14], "little"), abs(height)
    pixels = np.frombuffer(data, dtype=np.uint8, count=width * rows * 4, offset=offset).reshape(rows, width, 4)
    if height > 0:
        pixels = pixels[::-1]  # stored bottom-up
    rgba = pixels[:, :, [2, 1, 0, 3]].astype(np.float64)
    if not rgba[:, :, 3].any():
        rgba[:, :, 3] = 255
    return rgba


def _deep_scale(im, path):
    """For a source of more than 8 bits a sample, the factor to the 0-255 scale; None for an 8-bit one."""
    if im.format == "PNG":
        deep = im.mode.startswith("I") or im.info.get("bits", 8) == 16 or _png_bit_depth(path) == 16
        return 1 / 257.0 if deep else None
    if im.format == "TIFF":
        bits = im.tag_v2.get(258, (1,))
        bits = max(bits) if isinstance(bits, tuple) else bits
        return 255.0 / (2 ** bits - 1) if bits > 8 else None
    return None


def _upright(rgba, orientation):
    """The pixels as EXIF orientation 1-8 says they are seen (Pillow's ImageOps.exif_transpose, on an array)."""
    turns = {2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1, :],
             5: lambda a: a.transpose(1, 0, 2), 6: lambda a: a.transpose(1, 0, 2)[:, ::-1],
             7: lambda a: a.transpose(1, 0, 2)[::-1, ::-1], 8: lambda a: a.transpose(1, 0, 2)[::-1, :]}
    return turns[orientation](rgba) if orientation in turns else rgba


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
