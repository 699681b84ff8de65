import numpy as np
import pytest

from kerasgan.metrics import KernelInceptionDistance
from kerasgan.metrics import kernel_inception_distance
from kerasgan.metrics.kernel_distance import polynomial_kernel
from kerasgan.metrics.kernel_distance import unbiased_mmd2
from tests.metrics.conftest import as_images
from tests.metrics.conftest import vector_extractor


def test_polynomial_kernel_value():
    x = np.array([[1.0, 2.0, 3.0]])
    y = np.array([[0.5, -1.0, 2.0]])
    # x . y = 4.5, d = 3: (1.5 + 1)^3 = 15.625
    np.testing.assert_allclose(polynomial_kernel(x, y), [[15.625]])


def test_unbiased_mmd2_matches_explicit_sums():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(5, 3)) + 1
    k = lambda a, b: (a @ b / 3 + 1) ** 3
    xx = sum(k(x[i], x[j]) for i in range(6) for j in range(6) if i != j) / 30
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / 20
    xy = sum(k(a, b) for a in x for b in y) / 30
    assert unbiased_mmd2(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)


def test_same_distribution_averages_to_zero():
    # The estimator is unbiased: over many independent sample pairs the
    # subset-averaged KID is centred on 0 (individual values may be < 0).
    rng = np.random.default_rng(1)
    values = [
        kernel_inception_distance(
            rng.normal(size=(200, 8)), rng.normal(size=(200, 8)),
            num_subsets=5, subset_size=100, seed=i,
        )[0]
        for i in range(40)
    ]
    standard_error = np.std(values) / np.sqrt(len(values))
    assert abs(np.mean(values)) < 4 * standard_error
    assert min(values) < 0 < max(values)


def test_different_distributions_are_clearly_positive():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(1000, 8))
    mean, std = kernel_inception_distance(
        real,
        rng.normal(size=(1000, 8)) * 1.5 + 0.3,
        num_subsets=20,
        subset_size=500,
    )
    assert mean > 10 * std > 0


def test_seed_makes_subsets_reproducible():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 300, 4))
    first = kernel_inception_distance(a, b, num_subsets=5, subset_size=50, seed=7)
    assert first == kernel_inception_distance(a, b, num_subsets=5, subset_size=50, seed=7)


def test_core_rejects_bad_input():
    with pytest.raises(ValueError, match="same number of features"):
        kernel_inception_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        kernel_inception_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="subset_size must be an integer >= 2"):
        kernel_inception_distance(np.zeros((5, 3)), np.zeros((5, 3)), subset_size=1)


def test_metric_matches_core_and_caps_samples():
    rng = np.random.default_rng(4)
    real, fake = rng.uniform(-5, 5, size=(2, 120, 6))
    kid = KernelInceptionDistance(
        feature_extractor=vector_extractor(6), num_subsets=10, subset_size=50,
        max_samples=120,
    )
    for part in np.array_split(np.arange(120), 3):
        kid.update_state(real=as_images(real[part]), fake=as_images(fake[part]))
    expected = kernel_inception_distance(
        real.astype(np.float32), fake.astype(np.float32), num_subsets=10,
        subset_size=50, seed=0,
    )
    result = kid.result()
    assert float(result["kid"]) == pytest.approx(expected[0], rel=1e-5)
    assert float(result["kid_std"]) == pytest.approx(expected[1], rel=1e-5)
    with pytest.raises(ValueError, match="max_samples=120"):
        kid.update_state(real=as_images(real[:1]))
    kid.reset_state()
    with pytest.raises(ValueError, match="it has seen 0 real and 0 fake"):
        kid.result()
