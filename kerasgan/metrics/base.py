"""The base class of kerasgan's quality metrics, and a bounded feature store."""

import keras
import numpy as np

from kerasgan.metrics import _checks
from kerasgan.metrics import feature_extractors

SIDES = ("real", "fake")


class FeatureMetric(keras.metrics.Metric):
    """A streaming metric computed on extractor outputs of real and fake images.

    Subclasses implement `_update(side, features)` (with `side` `"real"` or
    `"fake"` and `features` a float64 NumPy array `(batch, num_features)`),
    `result()` and, if they keep state outside Keras variables,
    `reset_state()`. `update_state` validates the images, runs the feature
    extractor eagerly in chunks of `batch_size`, and hands over the features.

    Metrics are updated eagerly (from a callback or an evaluation loop, not
    inside a compiled `train_step`): their inputs are checked with NumPy, and
    their results need float64 linear algebra. `get_config` stores a named
    extractor by name, a custom one by its architecture only (not its
    weights): pass a custom model again after loading.

    Args:
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"`, or a
            `keras.Model` mapping images in `[-1, 1]` to vectors
            `(batch, num_features)`.
        batch_size: images per extractor call (default 64; larger is faster
            for small extractors, 64 keeps InceptionV3 within memory).
        name: metric name.
        dtype: dtype of the returned results (default float32).

    Example:
        >>> import numpy as np
        >>> class MeanFeature(FeatureMetric):
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.total, self.count = 0.0, 0
        ...     def _update(self, side, features):
        ...         self.total += features.sum()
        ...         self.count += features.size
        ...     def result(self):
        ...         return self._tensor(self.total / self.count)
        >>> metric = MeanFeature(feature_extractor="fashion_mnist")
        >>> metric.update_state(fake=np.zeros((8, 28, 28, 1)))
        >>> float(metric.result()) >= 0.0
        True
    """

    # Which output of a named extractor this metric needs.
    extractor_output = "features"
    # The sides this metric uses; `InceptionScore` only needs "fake".
    sides = SIDES

    def __init__(
        self, feature_extractor="inception_v3", batch_size=64, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if not isinstance(feature_extractor, keras.Model):
            if feature_extractor not in feature_extractors.NAMED_EXTRACTORS:
                raise ValueError(
                    f"{type(self).__name__}: feature_extractor must be one of "
                    f"{feature_extractors.NAMED_EXTRACTORS} or a keras.Model; "
                    f"received {feature_extractor!r}."
                )
        self.feature_extractor = feature_extractor
        self.batch_size = _checks.positive_int(batch_size, "batch_size")
        self._extractor = None

    @property
    def extractor(self):
        """The `keras.Model` this metric runs (built on first use)."""
        if self._extractor is None:
            self._extractor = feature_extractors.get_feature_extractor(
                self.feature_extractor, self.extractor_output
            )
        return self._extractor

    def update_state(self, real=None, fake=None):
        """Adds a batch of real images, fake images, or both.

        Args:
            real: real images, shape `(batch, H, W, C)`, values in `[-1, 1]`.
            fake: generated images, same format. Either may be omitted, not
                both.
        """
        if real is None and fake is None:
            raise ValueError(
                f"{type(self).__name__}.update_state needs real=..., fake=... "
                "or both; received neither."
            )
        for side, images in zip(SIDES, (real, fake)):
            if images is None:
                continue
            if side not in self.sides:
                _checks.as_images(images, side)  # checked, then ignored
                continue
            features = self.extract_features(images, side)
            if len(features):
                self._update(side, features)

    def extract_features(self, images, name="images"):
        """Runs the feature extractor on checked images, in chunks.

        Args:
            images: shape `(batch, H, W, C)`, values in `[-1, 1]`.
            name: what to call `images` in error messages.

        Returns:
            A float64 NumPy array of shape `(batch, num_features)`.
        """
        images = _checks.as_images(images, name)
        chunks = [
            keras.ops.convert_to_numpy(
                self.extractor(images[i : i + self.batch_size], training=False)
            )
            for i in range(0, len(images), self.batch_size)
        ]
        if not chunks:
            return np.zeros((0, 0))
        features = np.concatenate(chunks).astype(np.float64)
        if features.ndim != 2:
            raise ValueError(
                f"The feature extractor {self.extractor.name!r} must map images "
                "to vectors of shape (batch, num_features); it returned shape "
                f"{features.shape}. Add a pooling or Flatten layer."
            )
        return features

    def _update(self, side, features):
        raise NotImplementedError

    def _tensor(self, value):
        """A Python number as a scalar tensor of the metric's dtype."""
        return keras.ops.convert_to_tensor(value, dtype=self.dtype)

    def _require(self, counts, minimum):
        """Raises unless each side has at least `minimum` samples."""
        if any(counts[side] < minimum for side in counts):
            seen = " and ".join(f"{int(counts[s])} {s}" for s in counts)
            raise ValueError(
                f"{type(self).__name__} needs at least {minimum} "
                f"{' and '.join(counts)} images; it has seen {seen}. Call "
                "update_state(real=..., fake=...) first."
            )

    def get_config(self):
        config = super().get_config()
        extractor = self.feature_extractor
        if isinstance(extractor, keras.Model):
            # Only the architecture is stored: a custom extractor's weights
            # are not part of a metric's config. Pass the model again after
            # loading, or use a named extractor.
            extractor = keras.saving.serialize_keras_object(extractor)
        config.update(feature_extractor=extractor, batch_size=self.batch_size)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("feature_extractor"), dict):
            config["feature_extractor"] = keras.saving.deserialize_keras_object(
                config["feature_extractor"]
            )
        return cls(**config)


class FeatureStore:
    """Keeps the feature vectors of one side of a metric, up to a cap.

    Features are held as float32 NumPy arrays on the host. Adding more than
    `max_samples` raises instead of silently dropping samples.

    Args:
        max_samples: the most vectors kept.
        owner: the metric's name, for error messages.
        side: `"real"` or `"fake"`, for error messages.
    """

    def __init__(self, max_samples, owner, side):
        self.max_samples = max_samples
        self.owner = owner
        self.side = side
        self.reset()

    def reset(self):
        self._chunks = []
        self.count = 0

    def add(self, features):
        if self.count + len(features) > self.max_samples:
            raise ValueError(
                f"{self.owner} keeps at most max_samples={self.max_samples} "
                f"{self.side} feature vectors; it holds {self.count} and "
                f"received {len(features)} more. Build it with a larger "
                "max_samples, or call reset_state() between evaluations."
            )
        self._chunks.append(np.asarray(features, dtype=np.float32))
        self.count += len(features)

    def array(self):
        """All stored vectors as one float64 array `(count, num_features)`."""
        if not self._chunks:
            return np.zeros((0, 0))
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0].astype(np.float64)


class StoredFeatureMetric(FeatureMetric):
    """A `FeatureMetric` that keeps the features themselves, up to a cap.

    Args:
        feature_extractor: see `FeatureMetric`.
        max_samples: the most feature vectors kept per side (default 50,000;
            with 2048-d InceptionV3 features that is 410 MB per side).
            More raise a `ValueError`.
        batch_size: images per extractor call.
        name: metric name.
        dtype: dtype of the returned results.
    """

    def __init__(
        self,
        feature_extractor="inception_v3",
        max_samples=50_000,
        batch_size=64,
        name=None,
        dtype=None,
    ):
        super().__init__(
            feature_extractor=feature_extractor,
            batch_size=batch_size,
            name=name,
            dtype=dtype,
        )
        self.max_samples = _checks.positive_int(max_samples, "max_samples", 2)
        self._stores = {
            side: FeatureStore(self.max_samples, type(self).__name__, side)
            for side in self.sides
        }

    def _update(self, side, features):
        self._stores[side].add(features)

    def stored_features(self, minimum=2):
        """Returns the stored features per side, checking there are enough."""
        self._require({s: st.count for s, st in self._stores.items()}, minimum)
        return {side: store.array() for side, store in self._stores.items()}

    def _mean_std_result(self, mean, std):
        """`{name: mean, name_std: std}` as scalar tensors of `self.dtype`."""
        return {self.name: self._tensor(mean), f"{self.name}_std": self._tensor(std)}

    def reset_state(self):
        for store in self._stores.values():
            store.reset()

    def get_config(self):
        config = super().get_config()
        config.update(max_samples=self.max_samples)
        return config
