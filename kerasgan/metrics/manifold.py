"""Improved precision and recall from k-NN manifold estimates, and its metric."""

import numpy as np

from kerasgan.metrics.base import StoredFeatures
from kerasgan.utils import validation

# Pairwise distances are computed in blocks of about this many entries
# (2**24 float64 = 128 MB), so 50k x 50k comparisons fit in memory.
_BLOCK_ENTRIES = 2**24


def _row_blocks(num_rows, num_columns):
    step = max(1, _BLOCK_ENTRIES // max(num_columns, 1))
    for start in range(0, num_rows, step):
        yield slice(start, min(start + step, num_rows))


def _squared_distances(a, a_norms, b, b_norms):
    """||a_i - b_j||^2 = |a_i|^2 + |b_j|^2 - 2 a_i . b_j, clipped at 0."""
    d2 = a_norms[:, None] + b_norms[None, :] - 2.0 * (a @ b.T)
    return np.maximum(d2, 0.0, out=d2)


def knn_squared_radii(features, k=3):
    """Squared distance from each vector to its k-th nearest other vector.

    Args:
        features: shape `(n, d)`, with n > k.
        k: which neighbour (default 3); the vector itself is not counted.

    Returns:
        A float64 array of shape `(n,)`.

    Example:
        >>> import numpy as np
        >>> knn_squared_radii(np.array([[0.0], [1.0], [3.0]]), k=1)
        array([1., 1., 4.])
    """
    norms = np.einsum("ij,ij->i", features, features)
    radii = np.empty(len(features))
    for rows in _row_blocks(len(features), len(features)):
        d2 = _squared_distances(features[rows], norms[rows], features, norms)
        own = np.arange(rows.stop - rows.start)
        d2[own, own + rows.start] = 0.0  # exact zero for the vector itself
        radii[rows] = np.partition(d2, k, axis=1)[:, k]
    return radii


def precision_recall(features_a, features_b, k=3):
    """Improved precision and recall of generated samples.

    Each set is taken as a union of balls: around every vector, a ball
    reaching its k-th nearest neighbour in the same set. Precision is the
    fraction of fake vectors inside the real manifold (some real ball holds
    them: the samples look real); recall is the fraction of real vectors
    inside the fake manifold (the generator covers the data). Distances are
    Euclidean, computed in float64 blocks, so 50,000 x 50,000 comparisons
    need ~130 MB at a time; a vector on a ball's boundary counts as inside.

    Args:
        features_a: real features, shape `(n_real, d)`, n_real > k.
        features_b: generated features, shape `(n_fake, d)`, n_fake > k.
        k: neighbourhood size (default 3, as in the paper).

    Returns:
        A tuple `(precision, recall)` of Python floats in `[0, 1]`.

    Example:
        >>> import numpy as np
        >>> x = np.random.default_rng(0).normal(size=(100, 4))
        >>> precision_recall(x, x)
        (1.0, 1.0)

    Reference:
        Kynkäänniemi et al., "Improved Precision and Recall Metric for
        Assessing Generative Models", NeurIPS 2019.
        https://arxiv.org/abs/1904.06991
    """
    k = validation.validate_positive_int(k, "k")
    f_real, f_fake = validation.validate_feature_pair(features_a, features_b, min_rows=k + 1)
    real_radii = knn_squared_radii(f_real, k)
    fake_radii = knn_squared_radii(f_fake, k)
    real_norms = np.einsum("ij,ij->i", f_real, f_real)
    fake_norms = np.einsum("ij,ij->i", f_fake, f_fake)
    fake_in_real = np.zeros(len(f_fake), dtype=bool)
    real_in_fake = np.zeros(len(f_real), dtype=bool)
    # One pass over the real x fake distances serves both directions.
    for rows in _row_blocks(len(f_real), len(f_fake)):
        d2 = _squared_distances(f_real[rows], real_norms[rows], f_fake, fake_norms)
        fake_in_real |= np.any(d2 <= real_radii[rows, None], axis=0)
        real_in_fake[rows] = np.any(d2 <= fake_radii[None, :], axis=1)
    return float(fake_in_real.mean()), float(real_in_fake.mean())


class PrecisionRecall(StoredFeatures):
    """Improved precision and recall (Kynkäänniemi et al.) of generated images.

    Precision: how many generated images fall on the real-image manifold
    (quality); recall: how much of the real manifold the generated images
    cover (diversity). A plain Python class (see `StoredFeatures`): the k-NN
    radii need the vectors themselves, so `update_state(real=..., fake=...)`
    keeps them on the host, up to `max_samples` per side, and `result()`
    runs `precision_recall`, at a cost of O((n_real + n_fake)^2 d).

    Args:
        feature_extractor: `"inception_v3"` (default), `"fashion_mnist"`, or a
            `keras.Model` mapping images in `[-1, 1]` to `(batch, d)`. The
            paper uses VGG-16 features; compare numbers computed with the
            same extractor only.
        k: neighbourhood size (default 3).
        max_samples: most vectors kept per side (default 50,000); more raise.
        batch_size: images per extractor call (default 64).

    Returns:
        `result()` returns `{"precision": p, "recall": r}` as Python floats,
        and raises `ValueError` until both sides have more than `k` images.

    Example:
        >>> pr = PrecisionRecall(feature_extractor="fashion_mnist")
        >>> images = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1))
        >>> pr.update_state(real=images, fake=images)
        >>> pr.result()
        {'precision': 1.0, 'recall': 1.0}

    Reference:
        Kynkäänniemi et al., "Improved Precision and Recall Metric for
        Assessing Generative Models", NeurIPS 2019.
        https://arxiv.org/abs/1904.06991
    """

    def __init__(self, feature_extractor="inception_v3", k=3, **kwargs):
        super().__init__(feature_extractor, **kwargs)
        self.k = validation.validate_positive_int(k, "k")

    def result(self):
        features = self.stored_features(minimum=self.k + 1)
        precision, recall = precision_recall(features["real"], features["fake"], k=self.k)
        return {"precision": precision, "recall": recall}
