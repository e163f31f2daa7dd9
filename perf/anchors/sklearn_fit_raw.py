#!/usr/bin/python3
"""scikit-learn KMeans on every pixel of an image (RGB, float32, 0-255), timed around fit() alone.

The anchor for the engine's full-fit goal: Lloyd, greedy k-means++, n_init=1, max_iter=300, tol=1e-4.
Prints "seconds inertia iterations". Usage: sklearn_fit_raw.py IMAGE K SEED
"""
import sys
import time

import numpy as np
from PIL import Image
from sklearn.cluster import KMeans

data = np.asarray(Image.open(sys.argv[1]).convert("RGB"), dtype=np.float32).reshape(-1, 3)
model = KMeans(n_clusters=int(sys.argv[2]), init="k-means++", n_init=1, max_iter=300, tol=1e-4,
               algorithm="lloyd", random_state=int(sys.argv[3]))
start = time.perf_counter()
model.fit(data)
print(f"{time.perf_counter() - start:.3f} {model.inertia_:.10g} {model.n_iter_}")
