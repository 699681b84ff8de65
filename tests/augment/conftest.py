"""A tiny two-class conditional GAN, trained a few steps on real Fashion-MNIST."""

import keras
import numpy as np
import pytest

import kerasgan

# T-shirt/top (0) and trouser (1): the fixture's first two classes.
CLASSES = (0, 1)


@pytest.fixture(scope="session")
def two_class_sample(fashion_mnist_sample):
    """The fixture's T-shirts and trousers in [-1, 1], labelled 0 and 1.

    Returns:
        `(images float32 (N, 28, 28, 1), labels int32 (N,))`.
    """
    images, labels = fashion_mnist_sample
    keep = np.isin(labels, CLASSES)
    return images[keep], labels[keep].astype("int32")


@pytest.fixture(scope="session")
def tiny_cgan(two_class_sample):
    """A `ConditionalGAN(num_classes=2)` after two real training steps of each network."""
    images, labels = two_class_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.ConditionalGAN(num_classes=2, latent_dim=8, seed=1)
    gan.compile()
    # Two eager updates of each network: the same phases as fit(), without tracing a train step.
    for start in (0, 16):
        batch_images, batch_labels = images[start : start + 16], labels[start : start + 16]
        gan.discriminator_step(batch_images, batch_labels)
        gan.generator_step(16, batch_labels)
    return gan
