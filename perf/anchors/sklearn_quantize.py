#!/usr/bin/python3
"""The quality anchor: scikit-learn KMeans on every pixel, written as an 8-bit palette PNG.

Lloyd, greedy k-means++, n_init=1, max_iter=300, tol=1e-4, float32 pixels. Images with transparency are
clustered on premultiplied RGBA over their visible pixels; fully transparent pixels stay transparent.
Usage: sklearn_quantize.py INPUT OUTPUT K SEED
"""
import sys

import numpy as np
from PIL import Image
from sklearn.cluster import KMeans

from psnr import read_rgba


def main(src, dst, k, seed):
    rgba = read_rgba(src)  # 16-bit PNGs at full precision, as psnr.py reads them
    h, w, _ = rgba.shape
    flat = rgba.reshape(-1, 4).astype(np.float32)
    has_alpha = bool((flat[:, 3] < 255).any())
    visible = flat[:, 3] > 0
    if has_alpha:
        a = flat[:, 3:4] / 255.0
        points = np.concatenate([flat[:, :3] * a, flat[:, 3:4]], axis=1)[visible]
    else:
        points = flat[:, :3]
    clusters = k - 1 if has_alpha and not visible.all() else k
    model = KMeans(n_clusters=clusters, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                   algorithm="lloyd", random_state=seed).fit(points)
    centres = model.cluster_centers_
    if has_alpha:
        alpha = np.clip(np.rint(centres[:, 3]), 1, 255)
        colour = np.clip(np.rint(centres[:, :3] * 255.0 / alpha[:, None]), 0, 255)
        palette = np.concatenate([colour, alpha[:, None]], axis=1).astype(np.uint8)
    else:
        palette = np.concatenate([np.clip(np.rint(centres), 0, 255), np.full((clusters, 1), 255)], axis=1).astype(np.uint8)

    indices = np.zeros(h * w, dtype=np.uint8)
    if has_alpha:
        indices[visible] = model.labels_
        if not visible.all():
            palette = np.concatenate([palette, np.zeros((1, 4), dtype=np.uint8)])
            indices[~visible] = len(palette) - 1
    else:
        indices[:] = model.labels_

    out = Image.frombytes("P", (w, h), indices.tobytes())
    out.putpalette(palette[:, :3].reshape(-1).tolist())
    if has_alpha:
        out.info["transparency"] = bytes(palette[:, 3].tolist())
        out.save(dst, optimize=True, transparency=bytes(palette[:, 3].tolist()))
    else:
        out.save(dst, optimize=True)
    print(f"iterations={model.n_iter_} inertia={model.inertia_:.6g}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
