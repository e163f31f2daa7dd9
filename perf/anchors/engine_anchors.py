#!/usr/bin/python3
"""The general-data anchors of perf/engine-compare.ps1: scikit-learn (OpenBLAS), FAISS and OpenCV, each running
Lloyd iterations from the same starting centres as the engine, timed per iteration.

  engine_anchors.py make KIND N D K SEED OUTDIR   writes OUTDIR/data.f32 (N x D) and OUTDIR/init.f32 (K x D),
                                                  float32 little-endian row-major; KIND: blobs or sift (non-negative,
                                                  heavy-tailed, as SIFT descriptors are)
  engine_anchors.py TOOL DATA INIT D K ITERATIONS  TOOL: sklearn, faiss or opencv; prints
                                                  "ms-per-iteration inertia iterations"
  engine_anchors.py blas                          which BLAS scikit-learn uses, and its threads
"""
import sys
import time

import numpy as np


def make(kind, n, d, k, seed, outdir):
    rng = np.random.default_rng(seed)
    if kind == "blobs":
        centres = rng.uniform(-10, 10, size=(k, d))
        labels = rng.integers(0, k, size=n)
        data = centres[labels] + rng.normal(0, 1.0, size=(n, d))
    elif kind == "sift":
        # Non-negative, skewed and correlated within groups of 8 (a SIFT descriptor's orientation bins).
        base = rng.gamma(0.6, 20.0, size=(n, d // 8, 1))
        data = np.minimum(255, base * rng.gamma(2.0, 0.5, size=(n, d // 8, 8))).reshape(n, d)
    else:
        raise SystemExit(f"unknown kind {kind}")
    data = data.astype(np.float32)
    init = data[rng.choice(n, size=k, replace=False)]
    data.tofile(f"{outdir}/data.f32")
    init.tofile(f"{outdir}/init.f32")


def load(data_path, init_path, d, k):
    data = np.fromfile(data_path, dtype=np.float32).reshape(-1, d)
    if init_path == "k-means++":  # scikit-learn's own seeding (to convergence runs)
        return data, init_path
    init = np.fromfile(init_path, dtype=np.float32).reshape(k, d)
    return data, init


def run_sklearn(data, init, k, iterations, tol=0.0):
    from sklearn.cluster import KMeans
    model = KMeans(n_clusters=k, init=init, n_init=1, max_iter=iterations, tol=tol, algorithm="lloyd", random_state=1)
    start = time.perf_counter()
    model.fit(data)
    seconds = time.perf_counter() - start
    return seconds, model.inertia_, model.n_iter_


def run_faiss(data, init, k, iterations):
    import faiss
    d = data.shape[1]
    clustering = faiss.Clustering(d, k)
    clustering.niter = iterations
    clustering.min_points_per_centroid = 1
    clustering.max_points_per_centroid = 1 << 30  # no subsampling: every point, as the others
    faiss.copy_array_to_vector(init.ravel(), clustering.centroids)
    index = faiss.IndexFlatL2(d)
    start = time.perf_counter()
    clustering.train(data, index)
    seconds = time.perf_counter() - start
    stats = clustering.iteration_stats
    return seconds, stats.at(stats.size() - 1).obj, iterations


def nearest(data, centres):
    out = np.empty(len(data), dtype=np.int32)
    c2 = (centres.astype(np.float64) ** 2).sum(1)
    for s in range(0, len(data), 65536):
        block = data[s:s + 65536].astype(np.float64)
        out[s:s + len(block)] = np.argmin(c2[None, :] - 2 * block @ centres.T.astype(np.float64), axis=1)
    return out


def run_opencv(data, init, k, iterations):
    import cv2
    labels = nearest(data, init).reshape(-1, 1)  # OpenCV starts from labels: the nearest given centre
    criteria = (cv2.TERM_CRITERIA_MAX_ITER, iterations, 0)
    start = time.perf_counter()
    compactness, _, _ = cv2.kmeans(data, k, labels, criteria, 1, cv2.KMEANS_USE_INITIAL_LABELS)
    seconds = time.perf_counter() - start
    return seconds, compactness, iterations


def blas():
    import sklearn  # noqa: F401 (loads its BLAS through scipy/numpy)
    from sklearn.cluster import KMeans  # noqa: F401
    from threadpoolctl import threadpool_info
    for pool in threadpool_info():
        print(f"{pool.get('internal_api')} {pool.get('version')} {pool.get('filepath')} threads={pool.get('num_threads')}"
              f" core={pool.get('architecture', '')}")


def main(argv):
    if argv[1] == "make":
        make(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), int(argv[6]), argv[7])
        return
    if argv[1] == "blas":
        blas()
        return
    tool = {"sklearn": run_sklearn, "faiss": run_faiss, "opencv": run_opencv}[argv[1]]
    d, k, iterations = int(argv[4]), int(argv[5]), int(argv[6])
    data, init = load(argv[2], argv[3], d, k)
    extra = [float(argv[7])] if len(argv) > 7 else []  # scikit-learn only: tolerance
    seconds, inertia, done = tool(data, init, k, iterations, *extra)
    print(f"{1000 * seconds / max(1, done):.3f} {inertia:.10g} {done}")


if __name__ == "__main__":
    main(sys.argv)
