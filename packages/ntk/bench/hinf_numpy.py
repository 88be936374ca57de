"""NumPy's Hinf (float64): G = X X^T, theta = arccos(G / (|x| |x'|)), Hinf = G (pi - theta) / (2 pi).

Reads X (float64, n x d) from argv[1] with n, d in argv[2:4]; times `reps` runs (argv[4]) and prints
one JSON line with the median wall seconds and the checksum of the last result.
"""
import json
import sys
import time

import numpy as np

n, d, reps = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(n, d)
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    G = X @ X.T
    nrm = np.sqrt(np.diag(G))
    c = np.clip(G / np.outer(nrm, nrm), -1.0, 1.0)
    H = G * (np.pi - np.arccos(c)) / (2 * np.pi)
    np.fill_diagonal(H, nrm * nrm / 2)
    times.append(time.perf_counter() - t0)
print(json.dumps({"numpy": np.__version__, "median_s": sorted(times)[len(times) // 2], "sum": float(H.sum())}))
