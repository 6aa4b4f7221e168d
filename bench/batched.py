"""batched.py — chapter 3's mini-batch SGD written the way a numpy user would, timed over one epoch.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/batched.py --mnist data/mnist --batch 16 --lr 0.8

The same network (784-300-10, sigmoid, softmax, cross-entropy), float32, the gradient averaged over the
batch, one BLAS thread (numpy's products go to the same OpenBLAS as the C program's). Prints
`epoch_seconds S` and `train_loss L` (the mean of the batch losses, a check that it learnt).
"""
import argparse
import time

import numpy as np

from mnist import init, load_train


def epoch(x, t, W, b, V, c, order, B, lr):
    """One pass over the images in `order`, B at a time; the parameters are updated in place."""
    total = 0.0
    for s in range(0, len(order), B):
        i = order[s:s + B]
        X, T = x[i], t[i]                               # (B, 784), (B,)
        H = 1 / (1 + np.exp(-(X @ W + b)))              # (B, 300)
        O = H @ V + c                                   # (B, 10)
        O -= O.max(axis=1, keepdims=True)
        Y = np.exp(O)
        S = Y.sum(axis=1, keepdims=True)
        rows = np.arange(len(T))
        total += float(np.mean(np.log(S[:, 0]) - O[rows, T]))
        Y /= S
        Y[rows, T] -= 1                                 # dO = (Y - onehot) / B
        Y /= len(T)
        dH = Y @ V.T                                    # before V changes
        V -= lr * (H.T @ Y)
        c -= lr * Y.sum(axis=0)
        dZ = dH * H * (1 - H)
        W -= lr * (X.T @ dZ)
        b -= lr * dZ.sum(axis=0)
    return total / -(-len(order) // B)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mnist", default="data/mnist")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    x, t = load_train(a.mnist)
    rng, W, b, V, c = init(a.seed)
    order = rng.permutation(len(x))
    t0 = time.perf_counter()
    loss = epoch(x, t, W, b, V, c, order, a.batch, np.float32(a.lr))
    print(f"epoch_seconds {time.perf_counter() - t0:.4f}\ntrain_loss {loss:.4f}")


if __name__ == "__main__":
    main()
