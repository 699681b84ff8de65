"""Fixtures of the remedies' tests: a tiny DCGAN (its seed generator) and real images."""

import pytest

from tests.remedies.helpers import tiny_gan


@pytest.fixture
def gan():
    return tiny_gan()


@pytest.fixture
def images(fashion_mnist_sample):
    """16 real Fashion-MNIST images in [-1, 1], `(16, 28, 28, 1)` float32."""
    return fashion_mnist_sample[0][:16]
