"""(g1, g2) one student run in PyTorch doing train()'s work: full-batch GD on 1/2 ||u - y||^2 by
autograd, u(k) copied to the host at every step k = 0..K, ||W - W(0)||_F read every step, the test
split evaluated (loss) at every k divisible by evalEvery, the final training loss."""
import numpy as np

from common import load, timed


def setup(fw, d, meta):
    if fw != "torch":
        raise ValueError("the training-loop peer is PyTorch's")
    import torch
    n, dim, m, K, every, nt, lr = meta["n"], meta["d"], meta["m"], meta["steps"], meta["evalEvery"], meta["nTest"], meta["lr"]
    X = torch.from_numpy(load(d, "x.f64", np.float64, (n, dim)).astype(np.float32))
    Y = torch.from_numpy(load(d, "y.f64", np.float64).astype(np.float32))
    Xt = torch.from_numpy(load(d, "xt.f64", np.float64, (nt, dim)).astype(np.float32))
    Yt = torch.from_numpy(load(d, "yt.f64", np.float64).astype(np.float32))
    W0 = torch.from_numpy(load(d, "W0.f32", np.float32, (m, dim)))
    A = torch.from_numpy(load(d, "a.f32", np.float32)) / float(np.sqrt(m))

    def f(x, W):
        return torch.relu(x @ W.T) @ A

    def loop():
        W = W0.clone().requires_grad_(True)
        us, dist, test = [], [], []
        for k in range(K + 1):
            if k % every == 0:
                with torch.no_grad():
                    test.append(float(0.5 * ((f(Xt, W) - Yt) ** 2).sum()))
            u = f(X, W)
            us.append(u.detach().numpy().copy())
            if k == K:
                final = float(0.5 * ((u.detach().double() - Y.double()) ** 2).sum())
                break
            L = 0.5 * ((u - Y) ** 2).sum()
            L.item()
            L.backward()
            with torch.no_grad():
                W -= lr * W.grad
                W.grad = None
                dist.append(float(torch.linalg.norm(W - W0)))
        return us, test, final

    def run():
        ms, (us, test, final) = timed(loop)
        return ms, {"finalLoss": final, "testLoss": test[-1], "uFinal": [float(v) for v in us[-1][:16]], "recorded": len(us), "testEvals": len(test)}
    return run
