"""Mode coverage on Stacked Fashion-MNIST: how many of its 1,000 modes a GAN's samples reach.

Each channel of a 28x28x3 stacked image is one garment; the shipped
Fashion-MNIST classifier names each channel's class, and the triple of
classes is the image's mode (`kerasgan.data.stacked`). A model that covers
the data draws every mode, about equally often: the scores are the number of
modes that occur at least once and the KL divergence of the modes'
histogram from the uniform one (0 for a perfectly even cover; the
classifier's own errors add to both for real images too, which is why the
real images' figures come beside the samples').
"""

import numpy as np

from kerasgan.data.stacked import CHANNELS, NUM_CLASSES, mode_ids
from kerasgan.metrics.base import checked_images, extract_features, given_sides
from kerasgan.utils import validation

NUM_MODES = NUM_CLASSES**CHANNELS
STACKED_SHAPE = (28, 28, CHANNELS)


def stacked_modes(images, batch_size=250):
    """The mode id of each stacked image, from the shipped classifier's class of each channel.

    Args:
        images: float `(n, 28, 28, 3)` in `[-1, 1]`, each channel one garment.
        batch_size: channel images per classifier call.

    Returns:
        An int64 array `(n,)` in `[0, 1000)`.

    Raises:
        ValueError: images that are not `(n, 28, 28, 3)`.

    Example:
        >>> stacked_modes(np.zeros((2, 28, 28, 3))).shape
        (2,)
    """
    images = np.asarray(checked_images(images, "images"))
    if images.shape[1:] != STACKED_SHAPE:
        raise ValueError(
            f"Mode coverage counts the modes of Stacked Fashion-MNIST images of shape (n, 28, 28, 3), "
            f"one garment per channel; received shape {images.shape}. Train on "
            "kerasgan.data.load('stacked_fashion_mnist') for this metric."
        )
    channels = np.moveaxis(images, -1, 1).reshape(-1, 28, 28, 1)
    logits = extract_features(channels, "fashion_mnist", output="logits", batch_size=batch_size)
    return mode_ids(np.argmax(logits, axis=1).reshape(-1, CHANNELS))


def mode_scores(modes):
    """`{"modes": covered, "modes_kl": KL(histogram || uniform)}` of mode ids in `[0, 1000)`.

    The KL divergence is in nats: `sum_m p_m log(p_m * 1000)` over the modes
    that occur; 0 when all 1,000 occur equally often, `log(1000 / k)` when
    k modes occur equally often and the others never.

    Example:
        >>> mode_scores(np.arange(1000))
        {'modes': 1000, 'modes_kl': 0.0}
        >>> round(mode_scores(np.zeros(50, dtype=int))["modes_kl"], 4)  # one mode: log(1000)
        6.9078
    """
    modes = np.asarray(modes, dtype=np.int64)
    if modes.size == 0:
        raise ValueError("Mode coverage needs at least one image; received none.")
    counts = np.bincount(modes, minlength=NUM_MODES).astype(np.float64)
    p = counts[counts > 0] / counts.sum()
    kl = max(0.0, float(np.sum(p * np.log(p * NUM_MODES))))
    return {"modes": int(np.count_nonzero(counts)), "modes_kl": kl}


class StackedModeCoverage:
    """Modes of Stacked Fashion-MNIST covered by generated (and real) images, and KL to uniform.

    The same interface as kerasgan's other metric classes:
    `update_state(real=..., fake=...)` classifies each channel of the images
    with the shipped Fashion-MNIST classifier and keeps their mode ids;
    `result()` returns `modes` and `modes_kl` of the fake images and
    `real_modes` and `real_modes_kl` of the real ones (where any were
    given). `kerasgan.evaluate(..., metrics=("modes",))` and `kerasgan
    evaluate RUN --metrics modes` use it. The protocol (Metz et al. 2017;
    R3GAN reports 1,000 of 1,000 modes on Stacked MNIST) scores 26,000
    samples.

    Args:
        feature_extractor: must be `"fashion_mnist"` (the default): the
            modes come from the shipped classifier's logits.
        max_samples: the most images kept per side (default 50,000).
        batch_size: channel images per classifier call (default 250).

    Example:
        >>> import kerasgan
        >>> real = next(iter(kerasgan.data.load("stacked_fashion_mnist", "test", batch_size=500,
        ...                                     shuffle=False, limit=500)))
        >>> coverage = StackedModeCoverage()
        >>> coverage.update_state(real=real)
        >>> 300 < coverage.result()["real_modes"] <= 500
        True
    """

    def __init__(self, feature_extractor="fashion_mnist", max_samples=50_000, batch_size=250):
        if not (isinstance(feature_extractor, str) and feature_extractor == "fashion_mnist"):
            raise ValueError(
                "Mode coverage classifies each channel with the shipped Fashion-MNIST classifier; "
                f"received feature_extractor={feature_extractor!r}. Use feature_extractor='fashion_mnist'."
            )
        self.max_samples = validation.validate_positive_int(max_samples, "max_samples")
        self.batch_size = validation.validate_positive_int(batch_size, "batch_size")
        self.reset_state()

    def update_state(self, real=None, fake=None):
        """Adds the modes of real images, fake images, or both (`(batch, 28, 28, 3)` in `[-1, 1]`)."""
        for side, images in given_sides(self, real, fake):
            modes = stacked_modes(images, self.batch_size)
            held = sum(map(len, self._modes[side]))
            if held + len(modes) > self.max_samples:
                raise ValueError(
                    f"StackedModeCoverage keeps at most max_samples={self.max_samples} {side} images; it "
                    f"holds {held} and received {len(modes)} more. Build it with a larger max_samples, or "
                    "call reset_state() between evaluations."
                )
            self._modes[side].append(modes)

    def reset_state(self):
        """Forgets every mode seen."""
        self._modes = {"real": [], "fake": []}

    def result(self):
        """`{"modes", "modes_kl"}` of the fake images, and `{"real_modes", "real_modes_kl"}` of the real."""
        scores = {}
        for side, prefix in (("fake", ""), ("real", "real_")):
            if self._modes[side]:
                for key, value in mode_scores(np.concatenate(self._modes[side])).items():
                    scores[prefix + key] = value
        if not scores:
            raise ValueError("StackedModeCoverage has seen no images; call update_state(fake=...) first.")
        return scores
