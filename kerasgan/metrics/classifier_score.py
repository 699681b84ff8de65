"""Inception Score: a classifier's confidence and diversity on generated images."""

import keras
import numpy as np

from kerasgan.metrics import _checks
from kerasgan.metrics.base import StoredFeatureMetric

# Rows of class probabilities may miss summing to 1 by this much.
_SUM_TOLERANCE = 1e-3


def _xlogy(x, y):
    """x * log(y), with 0 where x == 0 (y > 0 wherever x > 0 here)."""
    return np.where(x > 0, x * np.log(np.where(x > 0, y, 1.0)), 0.0)


def inception_score(probs, num_splits=10):
    """Inception Score of a set of class-probability vectors.

    IS = exp(E_x[KL(p(y|x) || p(y))]), with p(y) the mean of p(y|x) over the
    samples. The samples are cut into `num_splits` consecutive, (nearly)
    equal splits; each split gets its own p(y) and score, and the mean and
    std of the split scores are returned, as in the original code. The
    score lies in `[1, num_classes]`: high when every image is classified
    confidently and all classes appear equally often.

    Args:
        probs: class probabilities p(y|x), shape `(num_samples, num_classes)`,
            non-negative rows summing to 1.
        num_splits: number of splits (default 10), at most `num_samples`.

    Returns:
        A tuple `(mean, std)` of Python floats.

    Example:
        >>> import numpy as np
        >>> round(inception_score(np.eye(10), num_splits=1)[0], 6)
        10.0

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016. https://arxiv.org/abs/1606.03498
    """
    probs = _checks.as_matrix(probs, "probs")
    num_splits = _checks.positive_int(num_splits, "num_splits")
    if num_splits > len(probs):
        raise ValueError(
            f"num_splits={num_splits} needs at least as many samples; "
            f"received {len(probs)}."
        )
    row_sums = probs.sum(axis=1)
    if probs.min() < 0 or np.max(np.abs(row_sums - 1)) > _SUM_TOLERANCE:
        raise ValueError(
            "probs must hold probabilities: non-negative rows that sum to 1 "
            f"(received values in [{probs.min():.4g}, {probs.max():.4g}] and "
            f"row sums in [{row_sums.min():.4g}, {row_sums.max():.4g}]). "
            "Apply a softmax to logits first (InceptionScore(from_logits=True))."
        )
    scores = []
    for split in np.array_split(probs, num_splits):
        marginal = split.mean(axis=0)
        kl = np.sum(_xlogy(split, split) - _xlogy(split, marginal), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))


@keras.saving.register_keras_serializable(package="kerasgan")
class InceptionScore(StoredFeatureMetric):
    """Inception Score (IS) of generated images; higher is better.

    Keeps the class probabilities of the generated images as float32 NumPy
    arrays on the host (the score needs per-split marginals, so the vectors
    themselves), up to `max_samples`. Real images play no part in the score:
    `update_state(real=...)` is accepted, so that all quality metrics share
    one call, and ignored. Note that IS ignores the real data entirely; it
    cannot see mode dropping within a class or memorized training images.

    Args:
        feature_extractor: `"inception_v3"` (default; the 1000 ImageNet
            classes of the published IS), `"fashion_mnist"` (its 10 classes,
            so IS <= 10), or a `keras.Model` mapping images in `[-1, 1]` to
            class probabilities or logits `(batch, num_classes)`.
        from_logits: whether a custom model returns logits (a softmax is then
            applied). Default False.
        num_splits: splits of the samples (default 10).
        max_samples: most probability vectors kept (default 50,000).
        batch_size: images per extractor call (default 64).
        name: metric name (default `"inception_score"`).
        dtype: dtype of the results (default float32).

    Returns:
        `result()` returns `{name: mean, name + "_std": std}` as scalar
        tensors, and raises `ValueError` until `num_splits` fake images (and
        at least 2) have been seen.

    Example:
        >>> import numpy as np
        >>> score = InceptionScore(feature_extractor="fashion_mnist")
        >>> score.update_state(fake=np.random.uniform(-1, 1, (64, 28, 28, 1)))
        >>> 1.0 <= float(score.result()["inception_score"]) <= 10.0
        True

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016. https://arxiv.org/abs/1606.03498
    """

    extractor_output = "probabilities"
    sides = ("fake",)

    def __init__(
        self,
        feature_extractor="inception_v3",
        from_logits=False,
        num_splits=10,
        name="inception_score",
        **kwargs,
    ):
        super().__init__(feature_extractor=feature_extractor, name=name, **kwargs)
        if from_logits and not isinstance(feature_extractor, keras.Model):
            raise ValueError(
                f"The named extractor {feature_extractor!r} already returns "
                "probabilities; from_logits=True is for custom keras.Model "
                "extractors that return logits."
            )
        self.from_logits = bool(from_logits)
        self.num_splits = _checks.positive_int(num_splits, "num_splits")

    def _update(self, side, features):
        if self.from_logits:
            shifted = features - features.max(axis=1, keepdims=True)
            features = np.exp(shifted)
            features /= features.sum(axis=1, keepdims=True)
        super()._update(side, features)

    def result(self):
        probs = self.stored_features(minimum=max(2, self.num_splits))["fake"]
        return self._mean_std_result(*inception_score(probs, self.num_splits))

    def get_config(self):
        config = super().get_config()
        config.update(from_logits=self.from_logits, num_splits=self.num_splits)
        return config
