#!/usr/bin/env python3
"""Coefficients of ACOS_COEFFS in src/wasm/arccos-kernel.ts (run: python3 scripts/fit-arccos.py).

f(a) = arccos(a) / sqrt(1 - a) is analytic on [0, 1] (its nearest singularity is the branch point
a = -1), so its Chebyshev interpolant in s = 2a - 1 converges geometrically (ratio 3 + sqrt(8)).
Degree 16, converted to monomials in s (well conditioned: the coefficients fall faster than the
Chebyshev-to-monomial growth (1 + sqrt(2))^k), gives |sqrt(1 - a) p(2a - 1) - arccos(a)| <= 2e-14.
"""
import numpy as np
from numpy.polynomial import chebyshev as C


def f(s):
    a = (s + 1) / 2
    out = np.empty_like(a)
    near = a > 1 - 1e-6
    b = 1 - a[near]  # the series at a = 1: arccos(1 - b) = sqrt(2b) (1 + b/12 + 3b^2/160 + 5b^3/896 + ...)
    out[near] = np.sqrt(2) * (1 + b / 12 + 3 * b**2 / 160 + 5 * b**3 / 896)
    out[~near] = np.arccos(a[~near]) / np.sqrt(1 - a[~near])
    return out


m = C.cheb2poly(C.chebinterpolate(f, 16))
a = np.linspace(0, 1, 2_000_001)
p = np.zeros_like(a)
for coef in m[::-1]:
    p = p * (2 * a - 1) + coef
print('max |error| on [0, 1]:', np.max(np.abs(np.sqrt(1 - a) * p - np.arccos(a))))
print('[' + ', '.join(repr(float(c)) for c in m) + ']')
