"""mnist.py — the 55 000 training images as the chapter programs see them, for the numpy references.

src/idx.c checks every header and size; this reads the same files without the checks (the bench runs after
`make data` verified them): pixels scaled to float32 in [0, 1], one row per image, labels 0..9.
"""
import os

import numpy as np


def load_train(mnist_dir, n=55000):
    """The first n training images (n, 784) float32 and their labels (n,) int64, as `batched` and `vector` use."""
    images = np.fromfile(os.path.join(mnist_dir, "train-images-idx3-ubyte"), dtype=np.uint8, offset=16)
    labels = np.fromfile(os.path.join(mnist_dir, "train-labels-idx1-ubyte"), dtype=np.uint8, offset=8)
    x = images.reshape(-1, 28 * 28)[:n].astype(np.float32) / np.float32(255)
    return x, labels[:n].astype(np.int64)


def init(seed, n_in=784, n_hidden=300, n_out=10):
    """Chapter 2's initial network: N(0, 1/fan_in) weights, zero biases, float32."""
    rng = np.random.RandomState(seed)
    W = (rng.randn(n_in, n_hidden) / np.sqrt(n_in)).astype(np.float32)
    V = (rng.randn(n_hidden, n_out) / np.sqrt(n_hidden)).astype(np.float32)
    return rng, W, np.zeros(n_hidden, np.float32), V, np.zeros(n_out, np.float32)
