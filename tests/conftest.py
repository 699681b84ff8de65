"""Shared fixtures: one tiny real Fashion-MNIST sample for every test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Two logical CPU devices, so that MirroredStrategy tests run on any machine.
# This must happen before TensorFlow initialises its devices; other tests
# still place their ops on the first device.
tf.config.set_logical_device_configuration(
    tf.config.list_physical_devices("CPU")[0],
    [tf.config.LogicalDeviceConfiguration()] * 2,
)

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
