"""Shared pieces of the peers: thread settings, input files, the checks the pikt side also computes."""
import os
import time

import numpy as np

THREADS = 2


def setup_framework(framework):
    info = {"numpy": np.__version__, "threads": THREADS, "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}
    if framework == "torch":
        import torch
        torch.set_num_threads(THREADS)
        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
    return info


def load(d, name, dtype, shape=None):
    a = np.fromfile(os.path.join(d, name), dtype=dtype)
    return a.reshape(shape) if shape is not None else a


def sample_entries(h, n):
    """The 16 entries (i, j) that bench/src/workloads/common.ts sampleEntries reads."""
    flat = np.asarray(h).reshape(-1)
    return [float(flat[((t * 7919) % n) * n + (t * 104729 + 13) % n]) for t in range(16)]


def sum_and_fro(h):
    h = np.asarray(h, dtype=np.float64)
    return float(h.sum()), float(np.sqrt((h * h).sum()))


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return (time.perf_counter() - t0) * 1000.0, out
