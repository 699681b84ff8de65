"""Shared fixtures: one tiny real Fashion-MNIST sample for every test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from kerasgan.data.idx import read_idx  # noqa: E402

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
SAMPLE_SIZE = 256


@pytest.fixture(scope="session")
def fashion_mnist_sample():
    """First 256 Fashion-MNIST training images in [-1, 1] and their labels.

    Returns:
        `(images float32 (256, 28, 28, 1), labels int32 (256,))`.
    """
    images = read_idx(os.path.join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz"), limit=SAMPLE_SIZE)
    labels = read_idx(os.path.join(FASHION_MNIST_DIR, "train-labels-idx1-ubyte.gz"), limit=SAMPLE_SIZE)
    images = images[:SAMPLE_SIZE, :, :, None].astype("float32") / 127.5 - 1.0
    return images, labels[:SAMPLE_SIZE].astype("int32")
