"""scalar.py — chapter 1's loops in pure Python (no numpy), timed over one epoch.

    /usr/bin/python3 bench/scalar.py --n-train 60000

The same 2-3-2 network as chapter 1's scalar.c (sigmoid hidden units, softmax, cross-entropy), the same
functions written with the same loops over plain lists of floats (Python floats are doubles, as in
scalar.c), per-sample SGD. The data are the same kind (two Gaussian inputs, the class inside or outside an
ellipse), drawn with Python's own generator: the timing does not depend on the draw. Prints
`epoch_seconds S` and `train_loss L`.
"""
import argparse
import math
import random
import time

N_IN, N_HIDDEN, N_OUT = 2, 3, 2


def forward(W, b, V, c, x, target):
    """The activations (h, y) and the loss for one input: scalar.c's forward()."""
    h = [0.0] * N_HIDDEN
    for j in range(N_HIDDEN):
        z = b[j]
        for i in range(N_IN):
            z += x[i] * W[i][j]
        h[j] = 1.0 / (1.0 + math.exp(-z))
    o = [0.0] * N_OUT
    for k in range(N_OUT):
        s = c[k]
        for j in range(N_HIDDEN):
            s += h[j] * V[j][k]
        o[k] = s
    m = max(o)
    y = [math.exp(ok - m) for ok in o]
    total = sum(y)
    for k in range(N_OUT):
        y[k] /= total
    return h, y, math.log(total) - (o[target] - m)


def backward_and_step(W, b, V, c, x, target, h, y, lr):
    """scalar.c's backward() then sgd_step(): the gradient, then every parameter moved against it."""
    dl_do = [y[k] - (k == target) for k in range(N_OUT)]
    gV = [[0.0] * N_OUT for _ in range(N_HIDDEN)]
    dl_dh = [0.0] * N_HIDDEN
    for j in range(N_HIDDEN):
        for k in range(N_OUT):
            gV[j][k] = h[j] * dl_do[k]
            dl_dh[j] += V[j][k] * dl_do[k]
    gW = [[0.0] * N_HIDDEN for _ in range(N_IN)]
    gb = [0.0] * N_HIDDEN
    for j in range(N_HIDDEN):
        dl_dz = dl_dh[j] * h[j] * (1 - h[j])
        gb[j] = dl_dz
        for i in range(N_IN):
            gW[i][j] = x[i] * dl_dz
    for j in range(N_HIDDEN):
        for i in range(N_IN):
            W[i][j] -= lr * gW[i][j]
        b[j] -= lr * gb[j]
        for k in range(N_OUT):
            V[j][k] -= lr * gV[j][k]
    for k in range(N_OUT):
        c[k] -= lr * dl_do[k]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n-train", type=int, default=60000)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    xs = [[rnd.gauss(0, 1) for _ in range(N_IN)] for _ in range(a.n_train)]
    ts = [int(x[0] * x[0] + 0.95 * x[0] * x[1] + 0.4 * x[1] * x[1] > 0.6) for x in xs]
    W = [[rnd.gauss(0, 1) / math.sqrt(N_IN) for _ in range(N_HIDDEN)] for _ in range(N_IN)]
    V = [[rnd.gauss(0, 1) / math.sqrt(N_HIDDEN) for _ in range(N_OUT)] for _ in range(N_HIDDEN)]
    b, c = [0.0] * N_HIDDEN, [0.0] * N_OUT
    order = list(range(a.n_train))
    rnd.shuffle(order)
    t0 = time.perf_counter()
    loss = 0.0
    for n in order:
        h, y, l = forward(W, b, V, c, xs[n], ts[n])
        backward_and_step(W, b, V, c, xs[n], ts[n], h, y, a.lr)
        loss += l
    print(f"epoch_seconds {time.perf_counter() - t0:.4f}\ntrain_loss {loss / a.n_train:.4f}")


if __name__ == "__main__":
    main()
