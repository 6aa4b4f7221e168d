"""vector.py — chapter 2's per-sample SGD written the way a numpy user would, timed over one epoch.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/vector.py --mnist data/mnist --lr 0.01

One image per step: matrix-vector products, outer-product updates, float32, one BLAS thread. This is the
plain numpy version: it updates every row of W, including the rows of the pixels that are zero, which
chapter 2's C program skips (the appendix discusses both). Prints `epoch_seconds S` and `train_loss L`.
"""
import argparse
import time

import numpy as np

from mnist import init, load_train


def epoch(x, t, W, b, V, c, order, lr):
    """One pass over the images in `order`, one SGD step per image; the parameters are updated in place."""
    total = 0.0
    for i in order:
        xi = x[i]                                       # (784,)
        h = 1 / (1 + np.exp(-(xi @ W + b)))             # (300,)
        o = h @ V + c                                   # (10,)
        o -= o.max()
        y = np.exp(o)
        s = y.sum()
        total += float(np.log(s) - o[t[i]])
        y /= s
        y[t[i]] -= 1                                    # dout = y - onehot
        dh = V @ y                                      # before V changes
        V -= lr * np.outer(h, y)
        c -= lr * y
        dz = dh * h * (1 - h)
        W -= lr * np.outer(xi, dz)
        b -= lr * dz
    return total / len(order)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mnist", default="data/mnist")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, default=0, help="train on the first N images only (0: all)")
    a = p.parse_args()
    x, t = load_train(a.mnist)
    rng, W, b, V, c = init(a.seed)
    order = rng.permutation(len(x))
    if a.limit:
        order = order[:a.limit]
    t0 = time.perf_counter()
    loss = epoch(x, t, W, b, V, c, order, np.float32(a.lr))
    seconds = (time.perf_counter() - t0) * len(x) / len(order)
    print(f"epoch_seconds {seconds:.4f}\ntrain_loss {loss:.4f}")


if __name__ == "__main__":
    main()
