"""NumPy's dense route for the kernel-regime analysis (the reference the n=2000 benchmark times).

Reads H (float64, n x n), y, z from the directory given on the command line, then times:
eigh(H) (LAPACK syevd), the coordinates of the targets, the 1001-point predicted loss curves,
iterations to eps for both targets (bisection on the spectral sum), capacity and complexity.
Prints one JSON line.
"""
import json
import sys
import time

import numpy as np

d = sys.argv[1]
meta = json.load(open(f"{d}/meta.json"))
n, lam, eta, eps = meta["n"], meta["lambda"], meta["eta"], meta["eps"]
H = np.fromfile(f"{d}/H.f64", dtype=np.float64).reshape(n, n)
y = np.fromfile(f"{d}/y.f64", dtype=np.float64)
z = np.fromfile(f"{d}/z.f64", dtype=np.float64)

t0 = time.perf_counter()
c0 = time.process_time()
mu, V = np.linalg.eigh(H)
t_eigh = time.perf_counter() - t0
alpha = lam / (1 + lam)
s = eta * (1 + lam)
ybar = (y + lam * z) / (1 + lam)
c = V.T @ (-ybar)          # e0 = u0 - ybar with u0 = 0
b = V.T @ (z - y)
rho = 1 - s * mu
k = np.arange(1001)[:, None]
rk = rho[None, :] ** k
label = 0.5 * ((rk * c + alpha * b) ** 2).sum(axis=1)
pi = 0.5 * lam * ((rk * c - (1 - alpha) * b) ** 2).sum(axis=1)


def k_eps(w):
    target = eps ** 2 * w.sum()
    E = lambda kk: (w * rho ** (2 * kk)).sum()
    if E(0) <= target:
        return 0
    hi = 10 ** 9
    if E(hi) > target:
        return None
    lo = 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if E(mid) <= target:
            hi = mid
        else:
            lo = mid
    return hi


kt = k_eps(c ** 2)
kp = k_eps((c + alpha * b) ** 2)
cap = float(np.sqrt((c ** 2 / mu).sum()))
cy = V.T @ ybar
cx = float(np.sqrt(2 * (cy ** 2 / mu).sum() / n))
total = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({
    "eigh_s": t_eigh, "total_s": total, "cpu_s": cpu, "mu1": float(mu[-1]), "label1000": float(label[1000]),
    "total1000": float(label[1000] + pi[1000]), "k_teacher": kt, "k_plain": kp, "capacity": cap, "complexity": cx,
    "numpy": np.__version__,
}))
