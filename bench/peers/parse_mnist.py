"""(f) read + parse + validate the MNIST training set (IDX): magic, dims, counts agree, labels < 10."""
import struct

import numpy as np

from common import timed


def read_idx(path, magic, rank):
    with open(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">I", data[:4])
    if got != magic:
        raise ValueError(f"{path}: magic {got:#010x}, expected {magic:#010x}")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {arr.size} bytes of data, dims {dims}")
    return arr.reshape(dims)


def setup(fw, d, meta):
    def parse():
        images = read_idx(meta["images"], 0x00000803, 3)
        labels = read_idx(meta["labels"], 0x00000801, 1)
        if labels.shape[0] != images.shape[0]:
            raise ValueError("counts differ")
        if labels.max() >= 10:
            raise ValueError("label out of range")
        return images.reshape(images.shape[0], -1), labels

    def run():
        ms, (x, y) = timed(parse)
        return ms, {"n": int(x.shape[0]), "pixelSum": float(x.sum(dtype=np.int64)), "labelSum": float(y.sum(dtype=np.int64))}
    return run
