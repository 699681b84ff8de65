"""Fréchet distance between Gaussians fitted to features, and the FID metric."""

import keras
import numpy as np
from keras import ops

from kerasgan.backend import assert_in_range
from kerasgan.metrics import feature_extractors
from kerasgan.metrics.base import SIDES, feature_batches, given_sides
from kerasgan.utils import validation


def _psd_sqrt_eigenvalues(matrix):
    """Square roots of the eigenvalues of a symmetric PSD matrix, and its eigenvectors."""
    eigenvalues, eigenvectors = ops.eigh((matrix + ops.transpose(matrix)) / 2)
    return ops.sqrt(ops.maximum(eigenvalues, 0.0)), eigenvectors


def _frechet(mean_a, cov_a, mean_b, cov_b):
    """The squared Fréchet distance of float64 moments, as a host float64 tensor."""
    with keras.device("cpu:0"):
        roots, vectors = _psd_sqrt_eigenvalues(cov_a)
        sqrt_a = ops.matmul(vectors * roots, ops.transpose(vectors))
        trace_sqrt = ops.sum(_psd_sqrt_eigenvalues(sqrt_a @ cov_b @ sqrt_a)[0])
        diff = mean_a - mean_b
        distance = ops.sum(diff * diff) + ops.trace(cov_a) + ops.trace(cov_b) - 2 * trace_sqrt
        return ops.maximum(distance, 0.0)


def frechet_distance_from_moments(mean_a, cov_a, mean_b, cov_b):
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians.

    d^2 = ||mean_a - mean_b||^2 + tr(C_a) + tr(C_b) - 2 tr((C_a C_b)^(1/2)).

    The trace of the square root needs no general (possibly complex)
    `sqrtm`: with S = C_a^(1/2) from a symmetric eigendecomposition, C_a C_b
    has the eigenvalues of the symmetric PSD matrix S C_b S, so
    tr((C_a C_b)^(1/2)) = sum_i sqrt(lambda_i(S C_b S)). Computed in float64
    on the host CPU; covariances are symmetrized, rounding-level negative
    eigenvalues are clipped to 0, and so is a result a rounding error below 0.

    Args:
        mean_a: mean of the first Gaussian, shape `(d,)`.
        cov_a: its covariance, shape `(d, d)`, PSD.
        mean_b: mean of the second Gaussian, shape `(d,)`.
        cov_b: its covariance, shape `(d, d)`, PSD.

    Returns:
        The squared distance as a Python float (>= 0). Pass the moments that
        another FID tool saved (e.g. `mu`, `sigma`) to compare with it.

    Example:
        >>> frechet_distance_from_moments(np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2))
        4.0

    Reference:
        Dowson & Landau, "The Fréchet distance between multivariate normal
        distributions", J. Multivariate Analysis 1982.
    """
    moments = [np.asarray(x, dtype=np.float64) for x in (mean_a, cov_a, mean_b, cov_b)]
    for side, (mean, cov) in zip("ab", (moments[:2], moments[2:])):
        if mean.ndim != 1 or cov.shape != (mean.size, mean.size):
            raise ValueError(
                f"mean_{side} must have shape (d,) and cov_{side} shape (d, d); "
                f"received {mean.shape} and {cov.shape}."
            )
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(cov))):
            raise ValueError(f"mean_{side} or cov_{side} contains NaN or infinite values.")
    if moments[0].size != moments[2].size:
        raise ValueError(
            f"The Gaussians must have the same dimension; received "
            f"{moments[0].size} and {moments[2].size}. Compute both with the "
            "same feature extractor."
        )
    return float(_frechet(*(ops.convert_to_tensor(x) for x in moments)))


def frechet_distance(features_a, features_b):
    """Fréchet distance between Gaussians fitted to two feature sets (FID).

    Fits a Gaussian to each set (mean and unbiased covariance, float64) and
    returns `frechet_distance_from_moments`. With InceptionV3 pool features
    this is the FID; with other features it is the same formula on them.

    Args:
        features_a: shape `(n_a, d)`, n_a >= 2; e.g. real images' features.
        features_b: shape `(n_b, d)`, n_b >= 2; e.g. generated images'.

    Returns:
        A Python float >= 0; lower is better. It is biased upward for small
        samples: compare values computed on equal numbers of vectors.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(500, 4))
        >>> frechet_distance(x, x) < 1e-9
        True

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017.
        https://arxiv.org/abs/1706.08500
    """
    a, b = validation.validate_feature_pair(features_a, features_b, min_rows=2)
    moments = [(x.mean(0), np.atleast_2d(np.cov(x, rowvar=False))) for x in (a, b)]
    return frechet_distance_from_moments(*moments[0], *moments[1])


@keras.saving.register_keras_serializable(package="kerasgan")
class FrechetInceptionDistance(keras.metrics.Metric):
    """Fréchet Inception Distance (FID) between real and generated images.

    A `keras.metrics.Metric` whose whole state is Keras variables: per side
    the sample count, feature sum and sum of feature outer products, in
    float64 (32 MB for InceptionV3's 2048-d features, however many images
    are seen). `update_state(real, fake)` is built from Keras ops, so it runs
    eagerly (chunked by `batch_size`) and inside a compiled `test_step` or
    `model.evaluate` (`compile(metrics=[...])` passes `y_true` as `real` and
    `y_pred` as `fake`). `result()` computes the Fréchet distance in float64
    on the host CPU (two `d x d` eigendecompositions, seconds for 2048-d
    features: Keras's default `test_step` calls it after every batch, so in
    your own `test_step` only update, and read `result()` once at the end).
    Lower is better. With `"inception_v3"`, values are not comparable with
    published FIDs (see `kerasgan.metrics`).

    Args:
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"` (the
            shipped classifier's 128-d features, for relative comparisons on
            Fashion-MNIST-like data), or a functional or `Sequential`
            `keras.Model` mapping images in `[-1, 1]` to `(batch, d)`. A
            custom model is stored in the config by architecture only: pass
            it again after loading.
        batch_size: images per extractor call when updating eagerly
            (default 64).
        name: metric name (default `"fid"`).
        dtype: dtype of the result (default float32).

    Returns:
        `result()` returns a scalar tensor. It fails (`InvalidArgumentError`)
        until both sides have seen at least 2 images. FID is biased upward
        for small samples: compare numbers computed on the same number of
        images (10k or 50k).

    Example:
        >>> fid = FrechetInceptionDistance(feature_extractor="fashion_mnist")
        >>> real = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1))
        >>> fid.update_state(real=real, fake=real)
        >>> float(fid.result()) < 1e-3
        True

    Reference:
        Heusel et al., NeurIPS 2017 (see `frechet_distance`).
        https://arxiv.org/abs/1706.08500
    """

    def __init__(self, feature_extractor="inception_v3", batch_size=64, name="fid", dtype=None):
        super().__init__(name=name, dtype=dtype)
        size = feature_extractors.feature_size(feature_extractor)
        self.feature_extractor = feature_extractor
        self.batch_size = validation.validate_positive_int(batch_size, "batch_size")
        self._sums = {
            side: [
                self.add_variable(shape, "zeros", dtype="float64", name=f"{side}_{what}")
                for what, shape in (("count", ()), ("sum", (size,)), ("outer_sum", (size, size)))
            ]
            for side in SIDES
        }

    def update_state(self, real=None, fake=None, sample_weight=None):
        """Adds the counts and sums of real images, fake images, or both.

        Args:
            real: `(batch, H, W, C)` real images in `[-1, 1]` (Keras's
                `y_true`), or None.
            fake: generated images in the same format (`y_pred`), or None;
                not both None.
            sample_weight: must be None; weighted FID is not defined here.
        """
        if sample_weight is not None:
            raise ValueError(f"{type(self).__name__} takes no sample_weight; received one.")
        model = feature_extractors.get_feature_extractor(self.feature_extractor)
        for side, images in given_sides(self, real, fake):
            count, total, outer = self._sums[side]
            for features in feature_batches(model, images, self.batch_size, side):
                features = ops.cast(features, "float64")
                count.assign_add(ops.cast(ops.shape(features)[0], "float64"))
                total.assign_add(ops.sum(features, axis=0))
                outer.assign_add(ops.matmul(ops.transpose(features), features))

    def result(self):
        counts = ops.stack([self._sums[side][0].value for side in SIDES])
        counts = assert_in_range(
            counts,
            2.0,
            np.inf,
            f"{type(self).__name__} needs at least 2 real and 2 fake images; "
            "it has seen (min, max follow). Call update_state(real=..., fake=...) first.",
        )
        moments = []
        for side, n in zip(SIDES, ops.unstack(counts)):
            _, total, outer = self._sums[side]
            mean = total / n
            moments += [mean, (outer - n * ops.outer(mean, mean)) / (n - 1)]
        return ops.cast(_frechet(*moments), self.dtype)

    def get_config(self):
        extractor = self.feature_extractor
        if isinstance(extractor, keras.Model):
            extractor = keras.saving.serialize_keras_object(extractor)
        return {**super().get_config(), "feature_extractor": extractor, "batch_size": self.batch_size}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("feature_extractor"), dict):
            config["feature_extractor"] = keras.saving.deserialize_keras_object(config["feature_extractor"])
        return cls(**config)
