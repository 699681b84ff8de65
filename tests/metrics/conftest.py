"""Fixtures for the metrics tests: real Fashion-MNIST images and toy extractors."""

import os

import keras
import numpy as np
import pytest

from kerasgan.metrics._fashion_mnist_data import DEFAULT_DATA_DIR
from kerasgan.metrics._fashion_mnist_data import load_fashion_mnist

# Gaussian "features" are fed as images f / FEATURE_SCALE, which a
# `vector_extractor` maps back to f.
FEATURE_SCALE = 20.0


def _data_dir():
    return os.environ.get("KERASGAN_FASHION_MNIST_DIR", DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def fashion_test():
    """The 10,000 Fashion-MNIST test images in [-1, 1] and their labels."""
    if not os.path.isdir(_data_dir()):
        pytest.skip(f"Fashion-MNIST not found in {_data_dir()}")
    return load_fashion_mnist("test")


@pytest.fixture(scope="session")
def fashion_train_subset():
    """3,000 Fashion-MNIST training images in [-1, 1] and their labels."""
    if not os.path.isdir(_data_dir()):
        pytest.skip(f"Fashion-MNIST not found in {_data_dir()}")
    images, labels = load_fashion_mnist("train")
    return images[:3000], labels[:3000]


def vector_extractor(num_features):
    """A `keras.Model` mapping images `(batch, 1, 1, d)` to `FEATURE_SCALE` x pixels."""
    inputs = keras.Input(shape=(1, 1, num_features))
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Rescaling(FEATURE_SCALE)(x)
    return keras.Model(inputs, outputs, name="vector_extractor")


def as_images(features):
    """Packs feature vectors `(n, d)` as images for `vector_extractor`."""
    images = np.asarray(features, dtype=np.float32)[:, None, None, :] / FEATURE_SCALE
    assert np.abs(images).max() <= 1.0, "features too large for the toy extractor"
    return images


def gaussian_features(mean, cov, num_samples, seed):
    """Samples `num_samples` vectors from N(mean, cov), float64."""
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(mean, cov, size=num_samples)
