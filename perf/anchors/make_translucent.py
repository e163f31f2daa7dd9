#!/usr/bin/python3
"""Seeded test images with partial transparency, the class of issue #15 section 3.

screenshot: GUI windows on a fully transparent background with soft drop shadows (alpha ramps on a few % of
the pixels), anti-aliased rounded corners, gradients and anti-aliased "text": ~1,000-2,000 colours.
framed: one window captured with its shadow margin (alpha 2-122 there, no fully transparent pixel), with a few
small picture thumbnails: ~1,300 colours, the image described in issue #15 section 3.
wallpaper: a few flat colours, large translucent areas, anti-aliased edges.
Usage: make_translucent.py OUTDIR   (writes the set of images below; the same bytes every run)
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SCALE = 2  # scenes are drawn at twice the size and box-filtered down, which anti-aliases every edge


def random_colour(rng, lo=0, hi=256):
    return tuple(int(v) for v in rng.integers(lo, hi, 3))


def window(rng, draw, box, radius):
    """One window at SCALE: rounded body, gradient title bar, buttons, lines of glyph-like marks."""
    x0, y0, x1, y1 = box
    body = random_colour(rng, 200, 256)
    draw.rounded_rectangle(box, radius=radius, fill=body + (255,))
    title = 28 * SCALE
    top, bottom = np.array(random_colour(rng, 40, 200)), np.array(random_colour(rng, 40, 200))
    for y in range(y0, y0 + title):
        t = (y - y0) / title
        c = tuple(int(v) for v in np.rint(top * (1 - t) + bottom * t))
        inset = max(0, radius - int(np.sqrt(max(0, radius ** 2 - (radius - (y - y0)) ** 2)))) if y - y0 < radius else 0
        draw.line([(x0 + inset, y), (x1 - inset, y)], fill=c + (255,))
    ink = random_colour(rng, 0, 90)
    accent = random_colour(rng, 0, 256)
    y = y0 + title + 14 * SCALE
    while y < y1 - 30 * SCALE:
        x = x0 + 16 * SCALE
        while x < x1 - 40 * SCALE:
            w = int(rng.integers(3, 9)) * 3 * SCALE // 2
            h = 9 * SCALE if rng.random() < 0.3 else 7 * SCALE
            draw.rectangle([x, y + (9 * SCALE - h), x + w, y + 9 * SCALE], fill=ink + (255,))
            if rng.random() < 0.4:  # a stem or a dot, thinner than a pixel after the box filter
                draw.rectangle([x + w // 2, y - 3 * SCALE, x + w // 2 + 1, y], fill=ink + (255,))
            x += w + 3 * SCALE
            if rng.random() < 0.15:
                x += 6 * SCALE
        y += 18 * SCALE
        if rng.random() < 0.2:  # a button
            bx = x0 + int(rng.integers(16, 120)) * SCALE
            draw.rounded_rectangle([bx, y, bx + 80 * SCALE, y + 22 * SCALE], radius=6 * SCALE, fill=accent + (255,))
            y += 32 * SCALE


def screenshot(seed, width, height, windows, shadow_colour=(0, 0, 0), shadow_strength=0.55, blur=9):
    rng = np.random.default_rng(seed)
    big = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
    layers = []
    for _ in range(windows):
        w = int(rng.integers(width // 3, int(width * 0.7)))
        h = int(rng.integers(height // 3, int(height * 0.7)))
        x = int(rng.integers(24, max(25, width - w - 24)))
        y = int(rng.integers(24, max(25, height - h - 24)))
        layers.append((x, y, w, h))
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for x, y, w, h in layers:
        # The shadow: the window's shape, offset down, blurred, at partial strength.
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).rounded_rectangle([x, y + 6, x + w, y + h + 6], radius=10, fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
        alpha = np.asarray(mask, dtype=np.float64) * shadow_strength
        shadow = np.zeros((height, width, 4), dtype=np.uint8)
        shadow[:, :, :3] = shadow_colour
        shadow[:, :, 3] = np.rint(alpha).astype(np.uint8)
        out = Image.alpha_composite(out, Image.fromarray(shadow, "RGBA"))
        big = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
        window(rng, ImageDraw.Draw(big), (x * SCALE, y * SCALE, (x + w) * SCALE, (y + h) * SCALE), 10 * SCALE)
        out = Image.alpha_composite(out, big.resize((width, height), Image.BOX))
    return out


def framed(seed, width, height, margin, blur, strength, thumbs, offset=4):
    rng = np.random.default_rng(seed)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle([margin, margin + offset, width - margin, height - margin + offset],
                                           radius=10, fill=255)
    alpha = np.asarray(mask.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float64) * strength
    shadow = np.zeros((height, width, 4), np.uint8)
    shadow[:, :, 3] = np.clip(np.rint(alpha), 2, 255)
    big = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
    window(rng, ImageDraw.Draw(big), (margin * SCALE, margin * SCALE, (width - margin) * SCALE, (height - margin) * SCALE),
           10 * SCALE)
    out = Image.alpha_composite(Image.fromarray(shadow, "RGBA"), big.resize((width, height), Image.BOX))
    rng = np.random.default_rng(seed + 100)
    for _ in range(thumbs):  # smooth pictures: most of the colours
        w, h = int(rng.integers(30, 50)), int(rng.integers(24, 40))
        x = int(rng.integers(margin + 20, width - margin - w - 20))
        y = int(rng.integers(margin + 40, height - margin - h - 20))
        small = rng.integers(0, 256, (4, 5, 3)).astype(np.uint8)
        out.paste(Image.fromarray(small, "RGB").resize((w, h), Image.BICUBIC).convert("RGBA"), (x, y))
    return out


def wallpaper(seed, width, height):
    """Few flat colours: a translucent backdrop, translucent and opaque shapes, a transparent border."""
    rng = np.random.default_rng(seed)
    big = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    back = Image.new("RGBA", big.size, (0, 0, 0, 0))
    m = 30 * SCALE
    ImageDraw.Draw(back).rounded_rectangle([m, m, big.size[0] - m, big.size[1] - m], radius=40 * SCALE,
                                           fill=random_colour(rng, 20, 120) + (150,))
    out = Image.alpha_composite(out, back.resize((width, height), Image.BOX))
    for i in range(7):
        layer = Image.new("RGBA", big.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        cx, cy = int(rng.integers(0, big.size[0])), int(rng.integers(0, big.size[1]))
        r = int(rng.integers(60, 260)) * SCALE
        alpha = (255, 200, 120, 70)[i % 4]
        colour = random_colour(rng) + (alpha,)
        if i % 2:
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        else:
            d.polygon([(cx, cy - r), (cx + r, cy + r // 2), (cx - r, cy + r // 2)], fill=colour)
        out = Image.alpha_composite(out, layer.resize((width, height), Image.BOX))
    return out


IMAGES = {
    "screenshot-800.png": lambda: screenshot(1, 800, 800, 3),
    "screenshot-1024x640.png": lambda: screenshot(2, 1024, 640, 4, blur=6),
    "screenshot-glow-600x900.png": lambda: screenshot(3, 600, 900, 2, shadow_colour=(20, 60, 160), shadow_strength=0.8, blur=8),
    "screenshot-framed-800.png": lambda: framed(14, 800, 800, 12, 6, 0.48, 1),
    "wallpaper-800x600.png": lambda: wallpaper(4, 800, 600),
}


def describe(path):
    rgba = np.asarray(Image.open(path).convert("RGBA"))
    a = rgba[:, :, 3]
    partial = (a > 0) & (a < 255)
    colours = len(np.unique(rgba.reshape(-1, 4).view(np.uint32)))
    return (f"{os.path.basename(path)} {rgba.shape[1]}x{rgba.shape[0]}: {colours} colours, "
            f"{100 * partial.mean():.1f} % partial alpha ({len(np.unique(a[partial]))} levels), "
            f"{100 * (a == 0).mean():.1f} % transparent")


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, make in IMAGES.items():
        path = os.path.join(outdir, name)
        make().save(path)
        print(describe(path))


if __name__ == "__main__":
    main(sys.argv[1])
