"""Fixtures for the metrics tests: real Fashion-MNIST images and toy extractors."""

import keras
import numpy as np
import pytest

import kerasgan

# Gaussian "features" are fed as images f / FEATURE_SCALE, which a
# `vector_extractor` maps back to f.
FEATURE_SCALE = 20.0


def _fashion_mnist(split, limit):
    images, labels = kerasgan.data.load_arrays("fashion_mnist", split, download=False, limit=limit)
    return images.astype("float32") / 127.5 - 1.0, labels


@pytest.fixture(scope="session")
def fashion_test():
    """The first 5,000 Fashion-MNIST test images in [-1, 1] and their labels."""
    return _fashion_mnist("test", 5000)


@pytest.fixture(scope="session")
def fashion_train_subset():
    """The first 1,000 Fashion-MNIST training images in [-1, 1] and their labels."""
    return _fashion_mnist("train", 1000)


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
