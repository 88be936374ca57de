"""(b) the empirical NTK Gram of the student at W: H = (X X^T) .* (S S^T) / m, S = 1{X W^T >= 0}, float32."""
import numpy as np

from common import load, sample_entries, timed


def setup(fw, d, meta):
    n, dim, m = meta["n"], meta["d"], meta["m"]
    x = load(d, "x.f64", np.float64, (n, dim)).astype(np.float32)
    w = load(d, "w.f32", np.float32, (m, dim))
    if fw == "numpy":
        def gram():
            s = (x @ w.T >= 0).astype(np.float32)
            return (x @ x.T) * (s @ s.T) / np.float32(m)
    else:
        import torch
        X, Wt = torch.from_numpy(x), torch.from_numpy(w)

        def gram():
            with torch.no_grad():
                s = (X @ Wt.T >= 0).float()
                return ((X @ X.T) * (s @ s.T) / m).numpy()

    def run():
        ms, h = timed(gram)
        return ms, {"sum": float(h.sum(dtype=np.float64)), "diag": float(np.trace(h, dtype=np.float64)), "sample": sample_entries(h, n)}
    return run
