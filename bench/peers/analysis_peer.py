"""(d) NumPy's eigh route of the kernel-regime analysis: packages/ntk/bench/numpy_route.py, run as is
on the files the pikt side wrote (its own timer: eigh + curves + iterations + capacity)."""
import contextlib
import io
import json
import os
import runpy
import sys

ROUTE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "ntk", "bench", "numpy_route.py")


def setup(fw, d, meta):
    if fw != "numpy":
        raise ValueError("the analysis peer is NumPy's")

    def run():
        out = io.StringIO()
        argv = sys.argv
        sys.argv = [ROUTE, d]
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(ROUTE, run_name="__main__")
        finally:
            sys.argv = argv
        r = json.loads(out.getvalue().strip().splitlines()[-1])
        return r["total_s"] * 1000.0, {"mu1": r["mu1"], "total1000": r["total1000"], "kTeacher": r["k_teacher"], "kPlain": r["k_plain"],
                                      "capacity": r["capacity"], "complexity": r["complexity"]}
    return run
