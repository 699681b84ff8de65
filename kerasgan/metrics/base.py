"""Running a feature extractor on images, and the base of the plain metric classes."""

import keras
import numpy as np

from kerasgan.metrics import feature_extractors
from kerasgan.utils import validation

SIDES = ("real", "fake")


def checked_images(images, name):
    """`images` as a float32 batch, readable only once its values are in `[-1, 1]`.

    Args:
        images: shape `(batch, H, W, C)`.
        name: what to call them in messages (`"real"`, `"fake"`).

    Returns:
        Float32 tensor guarded by `kerasgan.utils.validation.checked_image_range`.

    Example:
        >>> checked_images(np.zeros((2, 28, 28, 1)), "real").shape
        TensorShape([2, 28, 28, 1])
    """
    images = keras.ops.cast(keras.ops.convert_to_tensor(images), "float32")
    if len(images.shape) != 4:
        raise ValueError(
            f"{name} must be a batch of images of shape (batch, height, width, "
            f"channels) in [-1, 1]; received shape {tuple(images.shape)}. Add a "
            "batch or channel axis, e.g. images[..., None] for grayscale."
        )
    return validation.checked_image_range(images, f"{name} must hold finite values")


def given_sides(owner, real, fake):
    """The `(side, images)` pairs passed to `update_state`, or a clear error."""
    if real is None and fake is None:
        raise ValueError(
            f"{type(owner).__name__}.update_state needs real=..., fake=... or both; received neither."
        )
    return [(side, x) for side, x in zip(SIDES, (real, fake)) if x is not None]


def feature_batches(model, images, batch_size, name="images"):
    """Runs `model` on checked images, `batch_size` at a time.

    Works eagerly and inside a compiled step; a batch whose size is not
    known while tracing goes through the model in one call.

    Args:
        model: a `keras.Model` from images to vectors `(batch, num_features)`.
        images: shape `(batch, H, W, C)`, values in `[-1, 1]`.
        batch_size: the most images per call of `model`.
        name: what to call `images` in error messages.

    Yields:
        Float tensors of shape `(chunk, num_features)`.

    Example:
        >>> model = feature_extractors.get_feature_extractor("fashion_mnist")
        >>> [tuple(f.shape) for f in feature_batches(model, np.zeros((5, 28, 28, 1)), 2)]
        [(2, 128), (2, 128), (1, 128)]
    """
    images = checked_images(images, name)
    total = images.shape[0]
    starts = [None] if total is None else range(0, total, batch_size)
    for start in starts:
        chunk = images if start is None else images[start : start + batch_size]
        features = model(chunk, training=False)
        if len(features.shape) != 2:
            raise ValueError(
                f"The feature extractor {model.name!r} must map images to "
                "vectors of shape (batch, num_features); it returned shape "
                f"{tuple(features.shape)}. Add a pooling or Flatten layer."
            )
        yield features


def extract_features(images, feature_extractor="inception_v3", output="features", batch_size=64):
    """Runs a feature extractor on images and returns the vectors as NumPy.

    Use it to compute features once and pass them to `frechet_distance`,
    `kernel_inception_distance`, `precision_recall` or `inception_score`,
    or to compare them with another tool's.

    Args:
        images: shape `(batch, H, W, 1 or 3)`, values in `[-1, 1]`.
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"`, or
            a `keras.Model` mapping images to vectors `(batch, num_features)`.
        output: `"features"` (default) or `"logits"`; for named extractors.
        batch_size: images per extractor call (default 64).

    Returns:
        A float32 NumPy array `(batch, num_features)`.

    Example:
        >>> extract_features(np.zeros((3, 28, 28, 1)), "fashion_mnist", "logits").shape
        (3, 10)
    """
    model = feature_extractors.get_feature_extractor(feature_extractor, output)
    chunks = [keras.ops.convert_to_numpy(features) for features in feature_batches(model, images, batch_size)]
    if not chunks:
        return np.zeros((0, 0), dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


class StoredFeatures:
    """Base of the metrics that need every feature vector: KID, IS, precision/recall.

    A plain Python class, not a `keras.metrics.Metric`: these scores need the
    vectors themselves, whose number is not known in advance.
    `update_state(real=..., fake=...)` runs the extractor eagerly and keeps
    the vectors as float32 NumPy arrays on the host, up to `max_samples` per
    side (more raise instead of dropping samples); `result()` computes the
    score in float64; `reset_state()` forgets the vectors. Subclasses set
    `output` (the extractor output they use), `sides` (the sides they keep)
    and `result()`.

    Args:
        feature_extractor: `"inception_v3"` (default; Keras's ImageNet
            InceptionV3, not the graph of published scores),
            `"fashion_mnist"`, or a `keras.Model` mapping images in `[-1, 1]`
            to vectors `(batch, num_features)`.
        max_samples: the most vectors kept per side (default 50,000; for
            2048-d InceptionV3 features that is 410 MB per side).
        batch_size: images per extractor call (default 64; larger is faster
            for small extractors, 64 keeps InceptionV3 within memory).

    Example:
        >>> class Count(StoredFeatures):
        ...     def result(self):
        ...         return {s: len(f) for s, f in self.stored_features(0).items()}
        >>> count = Count(feature_extractor="fashion_mnist")
        >>> count.update_state(real=np.zeros((3, 28, 28, 1)))
        >>> count.result()
        {'real': 3, 'fake': 0}
    """

    output = "features"
    sides = SIDES

    def __init__(self, feature_extractor="inception_v3", max_samples=50_000, batch_size=64):
        feature_extractors.check_extractor(feature_extractor)
        self.feature_extractor = feature_extractor
        self.max_samples = validation.validate_positive_int(max_samples, "max_samples", minimum=2)
        self.batch_size = validation.validate_positive_int(batch_size, "batch_size")
        self.reset_state()

    def update_state(self, real=None, fake=None):
        """Adds the features of real images, fake images, or both.

        Args:
            real: real images, shape `(batch, H, W, C)`, values in `[-1, 1]`.
            fake: generated images, same format. Either may be omitted, not
                both.
        """
        for side, images in given_sides(self, real, fake):
            if side not in self.sides:
                checked_images(images, side)  # checked, then ignored
                continue
            features = extract_features(images, self.feature_extractor, self.output, self.batch_size)
            held = sum(map(len, self._features[side]))
            if held + len(features) > self.max_samples:
                raise ValueError(
                    f"{type(self).__name__} keeps at most max_samples="
                    f"{self.max_samples} {side} feature vectors; it holds {held} "
                    f"and received {len(features)} more. Build it with a larger "
                    "max_samples, or call reset_state() between evaluations."
                )
            self._features[side].append(features)

    def reset_state(self):
        """Forgets every stored vector."""
        self._features = {side: [] for side in self.sides}

    def stored_features(self, minimum):
        """The stored vectors per side as float64 arrays, at least `minimum` each."""
        stored = {
            side: np.concatenate(chunks).astype(np.float64) if chunks else np.zeros((0, 0))
            for side, chunks in self._features.items()
        }
        if any(len(f) < minimum for f in stored.values()):
            seen = " and ".join(f"{len(f)} {side}" for side, f in stored.items())
            raise ValueError(
                f"{type(self).__name__} needs at least {minimum} "
                f"{' and '.join(stored)} images; it has seen {seen}. Call "
                "update_state(real=..., fake=...) first."
            )
        return stored
