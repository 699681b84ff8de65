"""Class coverage of an unconditional model: does it draw every Fashion-MNIST class, as often as the data?

The shipped Fashion-MNIST classifier names the class of every sample and of
every real image; the scores compare the two class histograms. A model that
collapses onto a few classes leaves others short, which FID blurs into one
number and this names.
"""

import numpy as np

from kerasgan.metrics.base import checked_images, extract_features, given_sides
from kerasgan.metrics.fashion_mnist_classifier import IMAGE_SHAPE, NUM_CLASSES
from kerasgan.utils import validation


def class_histogram(images, batch_size=250):
    """The fraction of `images` the shipped classifier puts in each of the 10 classes.

    Args:
        images: float `(n, 28, 28, 1)` in `[-1, 1]`.
        batch_size: images per classifier call.

    Returns:
        A float64 array `(10,)` summing to 1.

    Example:
        >>> float(class_histogram(np.zeros((4, 28, 28, 1))).sum())
        1.0
    """
    images = checked_images(images, "images")
    if tuple(images.shape[1:]) != IMAGE_SHAPE or images.shape[0] == 0:
        raise ValueError(
            f"Class coverage classifies Fashion-MNIST-like images of shape (n, 28, 28, 1), n >= 1, "
            f"with the shipped classifier; received shape {tuple(images.shape)}."
        )
    counts = np.bincount(
        np.argmax(extract_features(images, "fashion_mnist", "logits", batch_size), axis=1),
        minlength=NUM_CLASSES,
    )
    return counts / counts.sum()


def coverage_scores(fake_histogram, real_histogram):
    """`{"classes": covered, "class_tv": distance}` of two class histograms.

    A class is covered when its share of the samples is at least half its
    share of the real images; `class_tv` is the total variation distance
    between the histograms, half their L1 distance: 0 when the samples fall
    into the classes as often as the real images, 1 when they share none.

    Example:
        >>> coverage_scores(np.full(10, 0.1), np.full(10, 0.1))
        {'classes': 10, 'class_tv': 0.0}
        >>> coverage_scores(np.eye(10)[3], np.full(10, 0.1))["classes"]
        1
    """
    fake, real = np.asarray(fake_histogram, np.float64), np.asarray(real_histogram, np.float64)
    covered = int(np.count_nonzero((fake >= real / 2) & (real > 0)))
    return {"classes": covered, "class_tv": float(np.abs(fake - real).sum() / 2)}


class ClassCoverage:
    """How many Fashion-MNIST classes the samples cover, and how far their class mix is from the data's.

    The interface of kerasgan's other metric classes: `update_state(real=...,
    fake=...)` classifies images with the shipped classifier and keeps the
    class counts; `result()` returns `classes` (the classes whose share of
    the samples is at least half their share of the real images) and
    `class_tv` (the total variation distance between the two class
    histograms). `kerasgan.evaluate(..., metrics=("classes",))` uses it.

    Args:
        feature_extractor: must be `"fashion_mnist"` (the default).
        max_samples: accepted for the interface of `evaluate` (counts take no memory).
        batch_size: images per classifier call (default 250).

    Example:
        >>> import kerasgan
        >>> real = next(iter(kerasgan.data.load("fashion_mnist", "test", batch_size=500,
        ...                                     shuffle=False, limit=500)))
        >>> coverage = ClassCoverage()
        >>> coverage.update_state(real=real, fake=real)
        >>> coverage.result()
        {'classes': 10, 'class_tv': 0.0}
    """

    def __init__(self, feature_extractor="fashion_mnist", max_samples=None, batch_size=250):
        if not (isinstance(feature_extractor, str) and feature_extractor == "fashion_mnist"):
            raise ValueError(
                "Class coverage uses the shipped Fashion-MNIST classifier; received "
                f"feature_extractor={feature_extractor!r}. Use feature_extractor='fashion_mnist'."
            )
        self.batch_size = validation.validate_positive_int(batch_size, "batch_size")
        self.reset_state()

    def update_state(self, real=None, fake=None):
        """Adds the classes of real images, fake images, or both (`(batch, 28, 28, 1)` in `[-1, 1]`)."""
        for side, images in given_sides(self, real, fake):
            self._counts[side] += class_histogram(images, self.batch_size) * len(images)

    def reset_state(self):
        """Forgets every count."""
        self._counts = {"real": np.zeros(NUM_CLASSES), "fake": np.zeros(NUM_CLASSES)}

    def result(self):
        """`{"classes", "class_tv"}`; needs real and fake images."""
        if not (self._counts["real"].sum() and self._counts["fake"].sum()):
            raise ValueError(
                "ClassCoverage needs real and fake images; call update_state(real=..., fake=...) first."
            )
        real, fake = (self._counts[side] / self._counts[side].sum() for side in ("real", "fake"))
        return coverage_scores(fake, real)
