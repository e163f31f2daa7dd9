"""Seeded images for the file-size comparison against pngquant (issue #15, section 4).

Writes four PNGs into the folder given (default ./size-corpus):
  wallpaper-translucent.png  1280x800 RGBA: a few flat colours under large alpha gradients
  screenshot-shadows.png     800x800 RGBA: flat GUI panels with soft drop shadows (alpha ramps on ~5 % of pixels)
  photo-small.png            640x427 RGB: smooth noisy "photo" (gradients, blobs, grain)
  flat-ui.png                960x640 RGB: flat UI, buttons, text-like strokes, anti-aliased edges
Usage: /usr/bin/python3 perf/anchors/make_size_corpus.py [folder] [seed]
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def wallpaper(rng):
    w, h = 1280, 800
    colours = rng.integers(0, 256, size=(4, 3))
    img = np.zeros((h, w, 4), np.uint8)
    # Four flat bands of colour, each with its own alpha ramp (horizontal or radial).
    bands = np.linspace(0, w, 5).astype(int)
    yy, xx = np.mgrid[0:h, 0:w]
    for b in range(4):
        x0, x1 = bands[b], bands[b + 1]
        img[:, x0:x1, :3] = colours[b]
    radial = np.hypot(xx - w * 0.6, yy - h * 0.4) / np.hypot(w, h)
    alpha = np.where(xx < w // 2, 255 * (yy / (h - 1)), 255 * (1 - np.clip(radial * 1.8, 0, 1)))
    img[..., 3] = np.clip(alpha, 0, 255).astype(np.uint8)
    return Image.fromarray(img, 'RGBA')


def screenshot(rng):
    w, h = 800, 800
    base = Image.new('RGBA', (w, h), (0, 0, 0, 0))
    shadow = Image.new('L', (w, h), 0)
    sd = ImageDraw.Draw(shadow)
    panels = []
    for _ in range(5):
        x0, y0 = int(rng.integers(20, 500)), int(rng.integers(20, 500))
        pw, ph = int(rng.integers(120, 280)), int(rng.integers(80, 260))
        panels.append((x0, y0, x0 + pw, y0 + ph))
        sd.rectangle((x0 + 6, y0 + 8, x0 + pw + 6, y0 + ph + 8), fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(6))
    black = Image.new('RGBA', (w, h), (0, 0, 0, 255))
    base = Image.composite(black, base, shadow)
    d = ImageDraw.Draw(base)
    for i, (x0, y0, x1, y1) in enumerate(panels):
        c = tuple(int(v) for v in rng.integers(180, 256, size=3)) + (255,)
        d.rectangle((x0, y0, x1, y1), fill=c, outline=(90, 90, 90, 255))
        d.rectangle((x0, y0, x1, y0 + 22), fill=(40, 70, 140, 255))
        for line in range(y0 + 34, y1 - 10, 14):
            ln = int(rng.integers(20, max(21, x1 - x0 - 20)))
            d.line((x0 + 10, line, x0 + 10 + ln, line), fill=(30, 30, 30, 255), width=2)
    return base


def photo(rng):
    w, h = 640, 427
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    img[..., 0] = 120 + 80 * np.sin(xx / 97.0) * np.cos(yy / 61.0)
    img[..., 1] = 100 + 60 * (yy / h) + 40 * np.sin((xx + yy) / 45.0)
    img[..., 2] = 140 - 70 * (xx / w)
    for _ in range(25):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(15, 90)
        c = rng.uniform(-90, 90, size=3)
        fall = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
        img += fall[..., None] * c
    img += rng.normal(0, 6, size=img.shape)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), 'RGB')
    return out.filter(ImageFilter.GaussianBlur(0.7))


def flat_ui(rng):
    w, h = 960, 640
    img = Image.new('RGB', (w * 2, h * 2), (245, 246, 248))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w * 2, 100), fill=(33, 150, 243))
    d.rectangle((0, 100, 360, h * 2), fill=(236, 239, 241))
    for i in range(12):
        y = 140 + i * 90
        d.rounded_rectangle((30, y, 330, y + 60), 14, fill=(255, 255, 255), outline=(200, 200, 200), width=2)
    for _ in range(14):
        x0, y0 = int(rng.integers(400, 1700)), int(rng.integers(140, 1100))
        c = tuple(int(v) for v in rng.integers(0, 256, size=3))
        d.rounded_rectangle((x0, y0, x0 + 180, y0 + 70), 18, fill=c)
        d.ellipse((x0 + 10, y0 + 10, x0 + 60, y0 + 60), fill=(255, 255, 255))
        for k in range(3):
            d.line((x0 + 70, y0 + 18 + 16 * k, x0 + 170, y0 + 18 + 16 * k), fill=(20, 20, 20), width=4)
    return img.resize((w, h), Image.LANCZOS)  # anti-aliased edges


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else 'size-corpus'
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    for name, make in (('wallpaper-translucent', wallpaper), ('screenshot-shadows', screenshot),
                       ('photo-small', photo), ('flat-ui', flat_ui)):
        make(rng).save(os.path.join(folder, name + '.png'), optimize=False)
        print(os.path.join(folder, name + '.png'))


if __name__ == '__main__':
    main()
