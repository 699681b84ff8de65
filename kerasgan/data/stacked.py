"""Stacked Fashion-MNIST: three Fashion-MNIST garments as the channels of one image, 1,000 modes.

The Stacked-MNIST protocol of Metz et al. (2017), used by VEEGAN, PacGAN
and R3GAN to count the modes a GAN covers, here on Fashion-MNIST: every
image's red, green and blue channels are three garments drawn at random
from the split, so its mode is the triple of their classes, one of
`10**3 = 1000`. A model that drops modes of the stacked set has dropped
combinations it saw in training; `kerasgan.metrics.StackedModeCoverage`
counts them in its samples with the shipped Fashion-MNIST classifier.

The stacks are fixed: drawn from a NumPy generator of a fixed seed per
split, so the set is the same on every machine and in every call.
"""

import numpy as np

# Stacks per split: as many as the train split's garments, and the protocol's 26,000 samples for test.
STACKS = {"train": 60000, "test": 26000}
_SEEDS = {"train": 2017, "test": 2018}
CHANNELS = 3
NUM_CLASSES = 10


def stack_indices(split, num_images, limit=None):
    """The `(stacks, 3)` indices of the garments in each channel of a split's stacks.

    Args:
        split: `"train"` or `"test"`.
        num_images: garments in the split the stacks are drawn from.
        limit: None, or keep only the first `limit` stacks.

    Returns:
        An int64 array `(min(limit, STACKS[split]), 3)`, the same for the same arguments.

    Example:
        >>> stack_indices("test", 10000, limit=2).shape
        (2, 3)
    """
    rng = np.random.default_rng(_SEEDS[split])
    indices = rng.integers(0, num_images, size=(STACKS[split], CHANNELS))
    return indices if limit is None else indices[:limit]


def mode_ids(channel_classes):
    """The mode of each stack, `100 * c_red + 10 * c_green + c_blue`, from `(n, 3)` class ids.

    Example:
        >>> mode_ids(np.array([[1, 2, 3], [9, 0, 0]]))
        array([123, 900])
    """
    channel_classes = np.asarray(channel_classes, dtype=np.int64)
    return channel_classes @ (NUM_CLASSES ** np.arange(CHANNELS - 1, -1, -1))


def stacked_arrays(images, labels, split, limit=None):
    """Stacks a split's garments three to an image; returns `(images, mode labels)`.

    Args:
        images: uint8 garments `(n, 28, 28)` or `(n, 28, 28, 1)` of `split`.
        labels: their class ids `(n,)` in `[0, 10)`.
        split: `"train"` or `"test"` (which fixed draw of stacks).
        limit: None, or the first `limit` stacks only.

    Returns:
        `(stacked, modes)`: uint8 `(stacks, 28, 28, 3)` and int64 mode ids `(stacks,)` in `[0, 1000)`.

    Example:
        >>> garments = np.arange(4 * 28 * 28, dtype=np.uint8).reshape(4, 28, 28)
        >>> stacked, modes = stacked_arrays(garments, np.array([0, 1, 2, 3]), "test", limit=5)
        >>> stacked.shape, modes.shape
        ((5, 28, 28, 3), (5,))
    """
    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    indices = stack_indices(split, len(images), limit)
    stacked = np.stack([images[indices[:, channel]] for channel in range(CHANNELS)], axis=-1)
    return stacked, mode_ids(np.asarray(labels)[indices])
