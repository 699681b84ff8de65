import numpy as np
import pytest

from kerasgan.metrics import PrecisionRecall, manifold, precision_recall
from tests.metrics.conftest import as_images, vector_extractor


def test_set_against_itself_is_perfect():
    x = np.random.default_rng(0).normal(size=(300, 16))
    assert precision_recall(x, x) == (1.0, 1.0)


def test_disjoint_far_clusters_score_zero():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(300, 16))
    fake = rng.normal(size=(300, 16)) + 50.0
    assert precision_recall(real, fake) == (0.0, 0.0)


def test_mode_dropping_lowers_recall_not_precision():
    rng = np.random.default_rng(2)
    centres = np.array([[-20.0, 0.0], [20.0, 0.0]])
    real = np.concatenate([c + rng.normal(size=(200, 2)) for c in centres])
    fake = centres[0] + rng.normal(size=(400, 2))  # only one of two modes
    precision, recall = precision_recall(real, fake)
    assert precision > 0.95
    assert 0.4 < recall < 0.6


def test_knn_radii_small_example():
    x = np.array([[0.0], [1.0], [3.0], [7.0]])
    np.testing.assert_allclose(manifold.knn_squared_radii(x, k=1), [1, 1, 4, 16])
    np.testing.assert_allclose(manifold.knn_squared_radii(x, k=2), [9, 4, 9, 36])


def test_blocked_computation_equals_one_block(monkeypatch):
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(257, 8)), rng.normal(size=(190, 8)) * 1.3
    expected = precision_recall(real, fake)
    monkeypatch.setattr(manifold, "_BLOCK_ENTRIES", 1000)  # 3-5 rows a block
    assert precision_recall(real, fake) == expected


def test_needs_more_than_k_samples():
    with pytest.raises(ValueError, match="features_a needs at least 6 samples; received 5"):
        precision_recall(np.zeros((5, 2)), np.zeros((10, 2)), k=5)


def test_metric_result_and_errors():
    x = np.random.default_rng(4).uniform(-10, 10, size=(50, 5))
    metric = PrecisionRecall(feature_extractor=vector_extractor(5), k=3)
    metric.update_state(real=as_images(x))
    with pytest.raises(ValueError, match="at least 4 real and fake images; it has seen 50 real and 0 fake"):
        metric.result()
    metric.update_state(fake=as_images(x[:25]))
    result = metric.result()
    assert result["precision"] == 1.0
    assert 0.0 < result["recall"] < 1.0
    assert result == dict(zip(("precision", "recall"), precision_recall(x, x[:25]), strict=True))
