"""Kernel Inception Distance: unbiased polynomial-kernel MMD^2, and its metric."""

import numpy as np

from kerasgan.metrics.base import StoredFeatures
from kerasgan.utils import validation

ESTIMATORS = ("subsets", "blocks")


def _check_estimator(estimator):
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}; received {estimator!r}.")
    return estimator


def polynomial_kernel(x, y):
    """The cubic polynomial kernel k(x, y) = (x . y / d + 1)^3 of KID.

    Args:
        x: shape `(n, d)`.
        y: shape `(m, d)`.

    Returns:
        The Gram matrix, shape `(n, m)`, float64.

    Example:
        >>> polynomial_kernel(np.ones((1, 2)), np.ones((1, 2)))
        array([[8.]])
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def _mean_off_diagonal(gram):
    n = gram.shape[0]
    return (gram.sum() - np.trace(gram)) / (n * (n - 1))


def unbiased_mmd2(x, y):
    """Unbiased estimate of MMD^2 with `polynomial_kernel`.

    MMD^2_u = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j)
              - 2 mean_{i, j} k(x_i, y_j).

    Args:
        x: samples of the first distribution, shape `(n, d)`, n >= 2.
        y: samples of the second distribution, shape `(m, d)`, m >= 2.

    Returns:
        A Python float; it can be slightly negative, since it is unbiased.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(50, 3))
        >>> abs(unbiased_mmd2(x, x)) < 1.0
        True
    """
    return float(
        _mean_off_diagonal(polynomial_kernel(x, x))
        + _mean_off_diagonal(polynomial_kernel(y, y))
        - 2 * polynomial_kernel(x, y).mean()
    )


def kernel_inception_distance(
    features_a, features_b, num_subsets=100, subset_size=1000, seed=0, estimator="subsets"
):
    """Kernel Inception Distance between two sets of feature vectors.

    Averages unbiased MMD^2 estimates (`unbiased_mmd2`, cubic polynomial
    kernel) over pairs of subsets, drawn one of two ways:

    - `estimator="subsets"` (default): `num_subsets` pairs of random subsets
      of `min(subset_size, n_a, n_b)` vectors each (without replacement
      within a subset), drawn with `seed`.
    - `estimator="blocks"`: deterministic, no randomness. Both sets are cut,
      in order, into `ceil(max(n_a, n_b) / subset_size)` consecutive blocks
      of near-equal size, and block i of one set is paired with block i of
      the other; every vector is used once. `num_subsets` and `seed` are not
      used. Shuffle the features first if their order carries meaning.

    Each estimate is unbiased whatever its size, so, unlike FID, KID values
    from different sample sizes can be compared; subsets only trade cost for
    variance.

    Args:
        features_a: shape `(n_a, d)`, n_a >= 2; e.g. real images' features.
        features_b: shape `(n_b, d)`, n_b >= 2; e.g. generated images'.
        num_subsets: number of random subset pairs (default 100).
        subset_size: vectors per subset, or the largest block (default 1000).
        seed: seed of the random subsets (default 0; `None` for fresh
            randomness).
        estimator: `"subsets"` (default) or `"blocks"`.

    Returns:
        A tuple `(mean, std)` of Python floats: the mean of the estimates and
        their standard deviation across subsets or blocks (0 for one block).
        Published KID values are often multiplied by 1000.

    Example:
        >>> a, b = np.random.default_rng(0).normal(size=(2, 500, 8))
        >>> mean, std = kernel_inception_distance(a, b + 1, subset_size=100, estimator="blocks")
        >>> mean > 0.1
        True

    Reference:
        Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
        https://arxiv.org/abs/1801.01401
    """
    a, b = validation.validate_feature_pair(features_a, features_b, min_rows=2)
    num_subsets = validation.validate_positive_int(num_subsets, "num_subsets")
    subset_size = validation.validate_positive_int(subset_size, "subset_size", minimum=2)
    if _check_estimator(estimator) == "blocks":
        num_blocks = -(-max(len(a), len(b)) // subset_size)
        if 2 * num_blocks > min(len(a), len(b)):
            raise ValueError(
                f"estimator='blocks' with subset_size={subset_size} cuts "
                f"{max(len(a), len(b))} vectors into {num_blocks} blocks, and "
                f"the other set ({min(len(a), len(b))} vectors) cannot give each "
                "block 2. Pass a larger subset_size, or sets of equal size."
            )
        pairs = zip(np.array_split(a, num_blocks), np.array_split(b, num_blocks))
    else:
        size = min(subset_size, len(a), len(b))
        rng = np.random.default_rng(seed)
        pairs = (
            (a[rng.choice(len(a), size, replace=False)], b[rng.choice(len(b), size, replace=False)])
            for _ in range(num_subsets)
        )
    estimates = [unbiased_mmd2(x, y) for x, y in pairs]
    return float(np.mean(estimates)), float(np.std(estimates))


class KernelInceptionDistance(StoredFeatures):
    """Kernel Inception Distance (KID) between real and generated images.

    A plain Python class (see `StoredFeatures`): KID needs the feature
    vectors themselves, so `update_state(real=..., fake=...)` keeps them on
    the host, up to `max_samples` per side, and `result()` runs
    `kernel_inception_distance` on them. Lower is better, ~0 when both sides
    come from one distribution. With `"inception_v3"`, values are not
    comparable with published KIDs (see `kerasgan.metrics`).

    Args:
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"`, or a
            `keras.Model` mapping images in `[-1, 1]` to `(batch, d)`.
        num_subsets: random subset pairs averaged (default 100).
        subset_size: vectors per subset, or the largest block (default 1000).
        seed: seed of the random subsets (default 0).
        estimator: `"subsets"` (default) or the deterministic `"blocks"`; see
            `kernel_inception_distance`.
        max_samples: most vectors kept per side (default 50,000); more raise.
        batch_size: images per extractor call (default 64).

    Returns:
        `result()` returns `{"kid": mean, "kid_std": std}` as Python floats,
        and raises `ValueError` until both sides have 2 images.

    Example:
        >>> kid = KernelInceptionDistance(feature_extractor="fashion_mnist")
        >>> images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1))
        >>> kid.update_state(real=images, fake=-images)
        >>> sorted(kid.result())
        ['kid', 'kid_std']

    Reference:
        Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
        https://arxiv.org/abs/1801.01401
    """

    def __init__(
        self,
        feature_extractor="inception_v3",
        num_subsets=100,
        subset_size=1000,
        seed=0,
        estimator="subsets",
        **kwargs,
    ):
        super().__init__(feature_extractor, **kwargs)
        self.options = dict(
            num_subsets=validation.validate_positive_int(num_subsets, "num_subsets"),
            subset_size=validation.validate_positive_int(subset_size, "subset_size", minimum=2),
            seed=seed,
            estimator=_check_estimator(estimator),
        )

    def result(self):
        features = self.stored_features(minimum=2)
        mean, std = kernel_inception_distance(features["real"], features["fake"], **self.options)
        return {"kid": mean, "kid_std": std}
