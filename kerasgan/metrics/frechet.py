"""Fréchet distance between Gaussians, and the streaming FID metric."""

import keras
import numpy as np

from kerasgan.metrics.base import SIDES
from kerasgan.metrics.base import FeatureMetric


def _sqrt_psd(matrix):
    """Symmetric square root of a symmetric PSD matrix, via `eigh`."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    roots = np.sqrt(np.clip(eigenvalues, 0.0, None))
    return (eigenvectors * roots) @ eigenvectors.T


def _check_moments(mu, cov, name):
    mu = np.asarray(mu, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    if mu.ndim != 1 or cov.shape != (mu.size, mu.size):
        raise ValueError(
            f"mu{name} must have shape (d,) and cov{name} shape (d, d); "
            f"received {mu.shape} and {cov.shape}."
        )
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(cov))):
        raise ValueError(f"mu{name} or cov{name} contains NaN or inf values.")
    return mu, (cov + cov.T) / 2


def frechet_distance(mu1, cov1, mu2, cov2):
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians.

    d^2 = ||mu1 - mu2||^2 + tr(C1) + tr(C2) - 2 tr((C1 C2)^(1/2)).

    The trace of the square root is computed without a general (possibly
    complex) `sqrtm`: with S = C1^(1/2) from a symmetric eigen-decomposition,
    C1 C2 has the same eigenvalues as the symmetric PSD matrix S C2 S, so
    tr((C1 C2)^(1/2)) = sum_i sqrt(lambda_i(S C2 S)). Tiny negative
    eigenvalues from rounding are clipped to 0, and a result a rounding error
    below 0 (identical inputs) is returned as 0. Covariances are symmetrized.

    Args:
        mu1: mean of the first Gaussian, shape `(d,)`.
        cov1: covariance of the first Gaussian, shape `(d, d)`, PSD.
        mu2: mean of the second Gaussian, shape `(d,)`.
        cov2: covariance of the second Gaussian, shape `(d, d)`, PSD.

    Returns:
        The squared distance as a Python float (>= 0). This is the number
        published as "FID" when the moments are those of Inception features.

    Example:
        >>> import numpy as np
        >>> frechet_distance(np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2))
        4.0

    Reference:
        Dowson & Landau, "The Fréchet distance between multivariate normal
        distributions", J. Multivariate Analysis 1982; Heusel et al., "GANs
        Trained by a Two Time-Scale Update Rule Converge to a Local Nash
        Equilibrium", NeurIPS 2017. https://arxiv.org/abs/1706.08500
    """
    mu1, cov1 = _check_moments(mu1, cov1, "1")
    mu2, cov2 = _check_moments(mu2, cov2, "2")
    if mu1.size != mu2.size:
        raise ValueError(
            f"The Gaussians must have the same dimension; received {mu1.size} "
            f"and {mu2.size}. Compute both with the same feature extractor."
        )
    root1 = _sqrt_psd(cov1)
    product = root1 @ cov2 @ root1
    eigenvalues = np.linalg.eigvalsh((product + product.T) / 2)
    trace_sqrt = np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None)))
    diff = mu1 - mu2
    distance = diff @ diff + np.trace(cov1) + np.trace(cov2) - 2 * trace_sqrt
    return float(max(distance, 0.0))


def moments_from_sums(count, total, outer):
    """Mean and unbiased covariance from streamed sums.

    mu = total / n and C = (outer - n mu mu^T) / (n - 1), where
    total = sum_i x_i and outer = sum_i x_i x_i^T.

    Args:
        count: number of samples n (>= 2).
        total: sum of the samples, shape `(d,)`.
        outer: sum of their outer products, shape `(d, d)`.

    Returns:
        A tuple `(mu, cov)` of float64 arrays.

    Example:
        >>> import numpy as np
        >>> x = np.array([[0.0], [2.0]])
        >>> moments_from_sums(2, x.sum(0), x.T @ x)
        (array([1.]), array([[2.]]))
    """
    count = float(count)
    if count < 2:
        raise ValueError(f"A covariance needs at least 2 samples; received {count:g}.")
    mu = np.asarray(total, dtype=np.float64) / count
    cov = (np.asarray(outer, dtype=np.float64) - count * np.outer(mu, mu)) / (
        count - 1
    )
    return mu, cov


@keras.saving.register_keras_serializable(package="kerasgan")
class FrechetInceptionDistance(FeatureMetric):
    """Fréchet Inception Distance (FID) between real and generated images.

    Streams any number of batches: for each side it keeps the sample count,
    the feature sum and the sum of feature outer products, in float64 Keras
    variables (TensorFlow supports float64 variables, and float64 keeps the
    covariance `(outer - n mu mu^T) / (n - 1)` accurate for 50,000 samples
    and more; the state is `d^2 + d + 1` numbers per side, 32 MB for
    InceptionV3, whatever the number of images). The variables are created
    on the first update, when the feature size is known. `result()` fits a
    Gaussian to each side and returns `frechet_distance`; lower is better.

    Args:
        feature_extractor: `"inception_v3"` (default; the published FID),
            `"fashion_mnist"` (the shipped classifier's 128-d features), or a
            `keras.Model` mapping images in `[-1, 1]` to `(batch, d)`.
        batch_size: images per extractor call (default 64).
        name: metric name (default `"fid"`).
        dtype: dtype of the result (default float32).

    Returns:
        `result()` returns a scalar tensor. It raises `ValueError` until both
        sides have at least 2 images. FID is biased upward for small samples:
        compare numbers computed on the same number of images (10k or 50k).

    Example:
        >>> import numpy as np
        >>> fid = FrechetInceptionDistance(feature_extractor="fashion_mnist")
        >>> real = np.random.uniform(-1, 1, (64, 28, 28, 1))
        >>> fid.update_state(real=real, fake=real)
        >>> float(fid.result()) < 1e-3
        True

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017.
        https://arxiv.org/abs/1706.08500
    """

    def __init__(self, feature_extractor="inception_v3", name="fid", **kwargs):
        super().__init__(feature_extractor=feature_extractor, name=name, **kwargs)
        self._moments = {}

    def _build_state(self, num_features):
        for side in SIDES:
            self._moments[side] = tuple(
                self.add_variable(
                    shape=shape, initializer="zeros", dtype="float64",
                    name=f"{side}_{what}",
                )
                for what, shape in (
                    ("count", ()),
                    ("sum", (num_features,)),
                    ("outer_sum", (num_features, num_features)),
                )
            )

    def _update(self, side, features):
        if not self._moments:
            self._build_state(features.shape[1])
        count, total, outer = self._moments[side]
        if features.shape[1] != total.shape[0]:
            raise ValueError(
                f"{type(self).__name__} was fed {total.shape[0]}-d features "
                f"before and now {features.shape[1]}-d ones."
            )
        count.assign_add(float(len(features)))
        total.assign_add(features.sum(axis=0))
        outer.assign_add(features.T @ features)

    def gaussian_moments(self, side):
        """The `(mu, cov)` fitted so far to the `"real"` or `"fake"` features."""
        self._require(self._counts(), 2)
        variables = (np.asarray(v.numpy()) for v in self._moments[side])
        return moments_from_sums(*variables)

    def _counts(self):
        if not self._moments:
            return {side: 0 for side in SIDES}
        return {
            side: float(self._moments[side][0].numpy())
            for side in SIDES
        }

    def result(self):
        distance = frechet_distance(
            *self.gaussian_moments("real"), *self.gaussian_moments("fake")
        )
        return self._tensor(distance)
