"""The Python side of one `pnpm bench` case: `python3 peer.py <kind> <numpy|torch> <dir>`.

Reads the inputs the pikt side wrote into <dir>, sets up (untimed), prints `@@{"ready": ...}`, then
for each `run` line on stdin does one timed run and prints `@@{"ms": ..., "check": {...}}`;
`quit` ends it. Float32 for training and the NTK Gram, float64 for Hinf and the analysis.
"""
import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

MODULES = {"gd-step": "gd_step", "ntk-gram": "ntk_gram", "hinf": "hinf_peer", "analysis": "analysis_peer",
           "parse-mnist": "parse_mnist", "train-run": "train_run"}


def send(msg):
    sys.stdout.write("@@" + json.dumps(msg) + "\n")
    sys.stdout.flush()


def main():
    kind, framework, d = sys.argv[1], sys.argv[2], sys.argv[3]
    info = common.setup_framework(framework)
    mod = importlib.import_module(MODULES[kind])
    run = mod.setup(framework, d, json.load(open(os.path.join(d, "meta.json"))))
    send({"ready": True, "info": info})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            break
        try:
            ms, check = run()
            send({"ms": ms, "check": check})
        except Exception as e:  # reported to the bench, which marks this peer failed
            send({"error": f"{type(e).__name__}: {e} | {traceback.format_exc().splitlines()[-2].strip()}"})


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        send({"error": f"{type(e).__name__}: {e}"})
        sys.exit(1)
