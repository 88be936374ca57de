"""(a) one full-batch GD step of the wide student, f(x) = a . relu(W x) / sqrt(m), L = 1/2 ||f - y||^2:
two steps from the pikt side's W(0), the second timed (forward, loss read, backward, update), the
loss after both returned for the check."""
import numpy as np

from common import load, timed


def setup(fw, d, meta):
    n, dim, m, lr = meta["n"], meta["d"], meta["m"], meta["lr"]
    x = load(d, "x.f64", np.float64, (n, dim)).astype(np.float32)
    y = load(d, "y.f64", np.float64).astype(np.float32)
    W0 = load(d, "W0.f32", np.float32, (m, dim))
    a = load(d, "a.f32", np.float32)
    scale = np.float32(1 / np.sqrt(m))
    if fw == "numpy":
        def step(W):
            z = x @ W.T                        # n x m
            h = np.maximum(z, 0)
            u = h @ a * scale
            r = u - y
            float(0.5 * (r @ r))               # the loss read every step, as train() does
            g = ((r[:, None] * (a * scale)[None, :]) * (z > 0)).T @ x
            return W - np.float32(lr) * g

        def loss(W):
            r = np.maximum(x @ W.T, 0) @ a * scale - y
            return float(0.5 * (r.astype(np.float64) @ r))

        def run():
            W1 = step(W0)
            ms, W2 = timed(lambda: step(W1))
            return ms, {"loss": loss(W2)}
        return run
    import torch
    X, Y, A = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(a)

    def tstep(W):
        W = W.detach().requires_grad_(True)
        u = torch.relu(X @ W.T) @ A * scale
        L = 0.5 * ((u - Y) ** 2).sum()
        L.item()
        L.backward()
        with torch.no_grad():
            return W - lr * W.grad

    def tloss(W):
        with torch.no_grad():
            r = (torch.relu(X @ W.T) @ A * scale - Y).double()
            return float(0.5 * (r @ r))

    def trun():
        W1 = tstep(torch.from_numpy(W0.copy()))
        ms, W2 = timed(lambda: tstep(W1))
        return ms, {"loss": tloss(W2)}
    return trun
