"""(c) Hinf(x, x') = x.x' (pi - theta) / (2 pi), theta = arccos(x.x' / (|x| |x'|)), float64."""
import math

import numpy as np

from common import load, sample_entries, sum_and_fro, timed


def setup(fw, d, meta):
    n, dim = meta["n"], meta["d"]
    x = load(d, "x.f64", np.float64, (n, dim))
    if fw == "numpy":
        def hinf():
            g = x @ x.T
            norms = np.sqrt(np.diag(g))
            c = np.clip(g / np.outer(norms, norms), -1.0, 1.0)
            return g * (math.pi - np.arccos(c)) / (2 * math.pi)
    else:
        import torch
        X = torch.from_numpy(x)

        def hinf():
            with torch.no_grad():
                g = X @ X.T
                norms = torch.sqrt(torch.diagonal(g))
                c = torch.clamp(g / torch.outer(norms, norms), -1.0, 1.0)
                return (g * (math.pi - torch.arccos(c)) / (2 * math.pi)).numpy()

    def run():
        ms, h = timed(hinf)
        s, f = sum_and_fro(h)
        return ms, {"sum": s, "fro": f, "sample": sample_entries(h, n)}
    return run
