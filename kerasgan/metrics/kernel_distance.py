"""Kernel Inception Distance: unbiased polynomial-kernel MMD^2, and its metric."""

import keras
import numpy as np

from kerasgan.metrics import _checks
from kerasgan.metrics.base import StoredFeatureMetric


def polynomial_kernel(x, y):
    """The cubic polynomial kernel k(x, y) = (x . y / d + 1)^3 of KID.

    Args:
        x: shape `(n, d)`.
        y: shape `(m, d)`.

    Returns:
        The Gram matrix, shape `(n, m)`, float64.

    Example:
        >>> import numpy as np
        >>> polynomial_kernel(np.ones((1, 2)), np.ones((1, 2)))
        array([[8.]])
    """
    return (np.asarray(x) @ np.asarray(y).T / x.shape[1] + 1.0) ** 3


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
        >>> import numpy as np
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
    f_real, f_fake, num_subsets=100, subset_size=1000, seed=0
):
    """Kernel Inception Distance between two sets of feature vectors.

    Draws `num_subsets` pairs of random subsets (without replacement within a
    subset) of `min(subset_size, n_real, n_fake)` vectors from each set and
    averages the unbiased MMD^2 (`unbiased_mmd2`, cubic polynomial kernel).
    The estimate is unbiased whatever the subset size, so, unlike FID, KID
    values from different sample sizes can be compared; subsets only trade
    cost for variance. The std is the spread over subsets (it shrinks to 0
    when every subset holds every sample).

    Args:
        f_real: real features, shape `(n_real, d)`, n_real >= 2.
        f_fake: generated features, shape `(n_fake, d)`, n_fake >= 2.
        num_subsets: number of subset pairs (default 100).
        subset_size: vectors per subset (default 1000).
        seed: seed of the subset sampling (default 0; `None` for fresh
            randomness).

    Returns:
        A tuple `(mean, std)` of Python floats. Published KID values are often
        multiplied by 1000.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> a, b = rng.normal(size=(2, 500, 8))
        >>> mean, std = kernel_inception_distance(a, b + 1, num_subsets=10)
        >>> mean > 0.1
        True

    Reference:
        Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
        https://arxiv.org/abs/1801.01401
    """
    f_real = _checks.as_matrix(f_real, "f_real", min_rows=2)
    f_fake = _checks.as_matrix(f_fake, "f_fake", min_rows=2)
    _checks.same_width(f_real, f_fake, "f_real", "f_fake")
    num_subsets = _checks.positive_int(num_subsets, "num_subsets")
    size = min(
        _checks.positive_int(subset_size, "subset_size", 2),
        len(f_real),
        len(f_fake),
    )
    rng = np.random.default_rng(seed)
    estimates = [
        unbiased_mmd2(
            f_real[rng.choice(len(f_real), size, replace=False)],
            f_fake[rng.choice(len(f_fake), size, replace=False)],
        )
        for _ in range(num_subsets)
    ]
    return float(np.mean(estimates)), float(np.std(estimates))


@keras.saving.register_keras_serializable(package="kerasgan")
class KernelInceptionDistance(StoredFeatureMetric):
    """Kernel Inception Distance (KID) between real and generated images.

    Keeps the feature vectors of both sides as float32 NumPy arrays on the
    host (KID needs the vectors, not just moments; their count is not known
    in advance, so they are not preallocated Keras variables), up to
    `max_samples` per side. `result()` runs `kernel_inception_distance`;
    lower is better, ~0 when both sides come from one distribution.

    Args:
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"`, or a
            `keras.Model` mapping images in `[-1, 1]` to `(batch, d)`.
        num_subsets: subset pairs averaged (default 100).
        subset_size: vectors per subset (default 1000; capped at the number
            of samples held).
        seed: seed of the subset sampling (default 0).
        max_samples: most vectors kept per side (default 50,000); more raise.
        batch_size: images per extractor call (default 64).
        name: metric name (default `"kid"`).
        dtype: dtype of the results (default float32).

    Returns:
        `result()` returns `{name: mean, name + "_std": std}` as scalar
        tensors, and raises `ValueError` until both sides have 2 images.

    Example:
        >>> import numpy as np
        >>> kid = KernelInceptionDistance(feature_extractor="fashion_mnist")
        >>> images = np.random.uniform(-1, 1, (64, 28, 28, 1))
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
        name="kid",
        **kwargs,
    ):
        super().__init__(feature_extractor=feature_extractor, name=name, **kwargs)
        self.num_subsets = _checks.positive_int(num_subsets, "num_subsets")
        self.subset_size = _checks.positive_int(subset_size, "subset_size", 2)
        self.seed = seed

    def result(self):
        features = self.stored_features()
        mean, std = kernel_inception_distance(
            features["real"],
            features["fake"],
            num_subsets=self.num_subsets,
            subset_size=self.subset_size,
            seed=self.seed,
        )
        return self._mean_std_result(mean, std)

    def get_config(self):
        config = super().get_config()
        config.update(
            num_subsets=self.num_subsets,
            subset_size=self.subset_size,
            seed=self.seed,
        )
        return config
