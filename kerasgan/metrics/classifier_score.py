"""Inception Score: a classifier's confidence and diversity on generated images."""

import numpy as np

from kerasgan.metrics.base import StoredFeatures
from kerasgan.utils import validation


def inception_score(logits, num_splits=10):
    """Inception Score of a set of class logits.

    IS = exp(E_x[KL(p(y|x) || p(y))]), with p(y|x) the softmax of each row of
    `logits` and p(y) the mean of p(y|x) over the samples. The samples are
    cut into `num_splits` consecutive, (nearly) equal splits; each split gets
    its own p(y) and score, and the mean and std of the split scores are
    returned, as in the original code. Computed in float64 with log-softmax,
    so very confident logits neither overflow nor take log(0). The score lies
    in `[1, num_classes]`: high when every image is classified confidently
    and all classes appear equally often.

    Args:
        logits: class scores before the softmax, shape
            `(num_samples, num_classes)`. From probabilities `p`, pass
            `np.log(p)` (all entries of `p` must be > 0).
        num_splits: number of splits (default 10), at most `num_samples`.

    Returns:
        A tuple `(mean, std)` of Python floats.

    Example:
        >>> round(inception_score(50 * np.eye(10), num_splits=1)[0], 6)
        10.0

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016. https://arxiv.org/abs/1606.03498
    """
    logits = validation.validate_feature_matrix(logits, "logits")
    num_splits = validation.validate_positive_int(num_splits, "num_splits")
    if num_splits > len(logits):
        raise ValueError(f"num_splits={num_splits} needs at least as many samples; received {len(logits)}.")
    log_probs = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    scores = []
    for split in np.array_split(log_probs, num_splits):
        log_marginal = np.logaddexp.reduce(split, axis=0) - np.log(len(split))
        kl = np.sum(np.exp(split) * (split - log_marginal), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))


class InceptionScore(StoredFeatures):
    """Inception Score (IS) of generated images; higher is better.

    A plain Python class (see `StoredFeatures`): the score needs per-split
    marginals, so `update_state(fake=...)` keeps the class logits of the
    generated images on the host, up to `max_samples`, and `result()` runs
    `inception_score` on them. Real images play no part: `update_state(real=...)`
    is accepted, so that all quality metrics share one call, checked and
    ignored. IS ignores the real data entirely; it cannot see mode dropping
    within a class or memorized training images. With `"inception_v3"`,
    values are not comparable with published scores (see `kerasgan.metrics`).

    Args:
        feature_extractor: `"inception_v3"` (default; the logits of Keras's
            1000-class ImageNet InceptionV3), `"fashion_mnist"` (its 10
            classes, so IS <= 10), or a `keras.Model` mapping images in
            `[-1, 1]` to logits `(batch, num_classes)`, before any softmax.
        num_splits: splits of the samples (default 10).
        max_samples: most logit vectors kept (default 50,000).
        batch_size: images per extractor call (default 64).

    Returns:
        `result()` returns `{"inception_score": mean, "inception_score_std":
        std}` as Python floats, and raises `ValueError` until `num_splits`
        fake images (and at least 2) have been seen.

    Example:
        >>> score = InceptionScore(feature_extractor="fashion_mnist", num_splits=2)
        >>> score.update_state(fake=np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)))
        >>> 1.0 <= score.result()["inception_score"] <= 10.0
        True

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016. https://arxiv.org/abs/1606.03498
    """

    output = "logits"
    sides = ("fake",)

    def __init__(self, feature_extractor="inception_v3", num_splits=10, **kwargs):
        super().__init__(feature_extractor, **kwargs)
        self.num_splits = validation.validate_positive_int(num_splits, "num_splits")

    def result(self):
        logits = self.stored_features(minimum=max(2, self.num_splits))["fake"]
        mean, std = inception_score(logits, self.num_splits)
        return {"inception_score": mean, "inception_score_std": std}
