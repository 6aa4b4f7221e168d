"""torch_ref.py — chapters 2 and 3 written the way a PyTorch user writes them, timed over one epoch.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_ref.py --mnist data/mnist --batch 16 --lr 0.8

The same network (784-300-10, sigmoid, softmax, cross-entropy) as two `nn.Linear` layers, the loss by
`F.cross_entropy` (its mean over the batch: the gradient averaged, as chapter 3), the gradient by autograd and the
step by `optim.SGD`; float32, one thread (`torch.set_num_threads(1)`), the chapters' initial weights and order
of images. `--batch 1` is chapter 2's per-sample training. Debian's python3-torch, installed by `make bench`.
Prints `epoch_seconds S` and `train_loss L` (the mean of the batch losses, a check that it learnt).
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

from mnist import init, load_train


def model(W, b, V, c):
    """The network as PyTorch layers, holding chapter 2's initial weights (nn.Linear stores W transposed)."""
    net = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.Sigmoid(), torch.nn.Linear(300, 10))
    with torch.no_grad():
        net[0].weight.copy_(torch.from_numpy(W.T.copy()))
        net[0].bias.copy_(torch.from_numpy(b))
        net[2].weight.copy_(torch.from_numpy(V.T.copy()))
        net[2].bias.copy_(torch.from_numpy(c))
    return net


def epoch(x, t, net, opt, order, B):
    """One pass over the images in `order`, B at a time: forward, loss, backward, step."""
    total, steps = 0.0, 0
    for s in range(0, len(order), B):
        i = order[s:s + B]
        opt.zero_grad()
        loss = F.cross_entropy(net(x[i]), t[i])
        loss.backward()
        opt.step()
        total += loss.item()
        steps += 1
    return total / steps


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mnist", default="data/mnist")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, default=0, help="train on the first N images of the order only (0: all)")
    a = p.parse_args()
    torch.set_num_threads(1)
    x_np, t_np = load_train(a.mnist)
    rng, W, b, V, c = init(a.seed)
    order = rng.permutation(len(x_np))
    if a.limit:
        order = order[:a.limit]
    x, t = torch.from_numpy(x_np), torch.from_numpy(t_np)
    net = model(W, b, V, c)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr)
    order_t = torch.from_numpy(order)
    t0 = time.perf_counter()
    loss = epoch(x, t, net, opt, order_t, a.batch)
    seconds = (time.perf_counter() - t0) * len(x_np) / len(order)
    print(f"epoch_seconds {seconds:.4f}\ntrain_loss {loss:.4f}")


if __name__ == "__main__":
    main()
