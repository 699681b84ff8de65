import numpy as np
import pytest

from kerasgan.metrics import KernelInceptionDistance, kernel_inception_distance
from kerasgan.metrics.kernel_distance import polynomial_kernel, unbiased_mmd2
from tests.metrics.conftest import as_images, vector_extractor


def test_polynomial_kernel_value():
    x = np.array([[1.0, 2.0, 3.0]])
    y = np.array([[0.5, -1.0, 2.0]])
    # x . y = 4.5, d = 3: (1.5 + 1)^3 = 15.625
    np.testing.assert_allclose(polynomial_kernel(x, y), [[15.625]])


def test_unbiased_mmd2_matches_explicit_sums():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(5, 3)) + 1

    def k(a, b):
        return (a @ b / 3 + 1) ** 3

    xx = sum(k(x[i], x[j]) for i in range(6) for j in range(6) if i != j) / 30
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / 20
    xy = sum(k(a, b) for a in x for b in y) / 30
    assert unbiased_mmd2(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)


@pytest.mark.parametrize("estimator", ["subsets", "blocks"])
def test_same_distribution_averages_to_zero(estimator):
    # Both estimators are unbiased: over many independent sample pairs the
    # average is centred on 0 (single values may be < 0).
    rng = np.random.default_rng(1)
    values = [
        kernel_inception_distance(
            rng.normal(size=(200, 8)),
            rng.normal(size=(200, 8)),
            num_subsets=5,
            subset_size=100,
            seed=i,
            estimator=estimator,
        )[0]
        for i in range(40)
    ]
    standard_error = np.std(values) / np.sqrt(len(values))
    assert abs(np.mean(values)) < 4 * standard_error
    assert min(values) < 0 < max(values)


def test_different_distributions_are_clearly_positive():
    rng = np.random.default_rng(2)
    real, fake = rng.normal(size=(600, 8)), rng.normal(size=(600, 8)) * 1.5 + 0.3
    mean, std = kernel_inception_distance(real, fake, num_subsets=20, subset_size=300)
    assert mean > 10 * std > 0
    block_mean, _ = kernel_inception_distance(real, fake, subset_size=300, estimator="blocks")
    assert block_mean == pytest.approx(mean, rel=0.2)


def test_seed_makes_subsets_reproducible():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 300, 4))
    first = kernel_inception_distance(a, b, num_subsets=5, subset_size=50, seed=7)
    assert first == kernel_inception_distance(a, b, num_subsets=5, subset_size=50, seed=7)
    assert first != kernel_inception_distance(a, b, num_subsets=5, subset_size=50, seed=8)


def test_blocks_are_consecutive_and_deterministic():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(250, 4)), rng.normal(size=(200, 4)) + 0.5
    # ceil(250 / 100) = 3 blocks: rows 0-83, 84-166, 167-249 of a and
    # 0-66, 67-133, 134-199 of b.
    a_ends, b_ends = (0, 84, 167, 250), (0, 67, 134, 200)
    estimates = [unbiased_mmd2(a[a_ends[i] : a_ends[i + 1]], b[b_ends[i] : b_ends[i + 1]]) for i in range(3)]
    got = kernel_inception_distance(a, b, subset_size=100, seed=1, estimator="blocks")
    assert got == pytest.approx((np.mean(estimates), np.std(estimates)), rel=1e-12)
    assert got == kernel_inception_distance(a, b, subset_size=100, seed=2, estimator="blocks")
    # The order of the vectors decides the blocks.
    assert got != kernel_inception_distance(a[::-1], b, subset_size=100, estimator="blocks")


def test_function_rejects_bad_options():
    with pytest.raises(ValueError, match="subset_size must be an integer >= 2"):
        kernel_inception_distance(np.zeros((5, 3)), np.zeros((5, 3)), subset_size=1)
    with pytest.raises(ValueError, match="estimator must be one of"):
        kernel_inception_distance(np.zeros((5, 3)), np.zeros((5, 3)), estimator="random")
    with pytest.raises(ValueError, match="cannot give each block 2"):
        kernel_inception_distance(np.zeros((100, 3)), np.zeros((9, 3)), subset_size=20, estimator="blocks")


def test_metric_matches_function_and_caps_samples():
    rng = np.random.default_rng(5)
    real, fake = rng.uniform(-5, 5, size=(2, 120, 6))
    kid = KernelInceptionDistance(
        feature_extractor=vector_extractor(6),
        subset_size=50,
        estimator="blocks",
        max_samples=120,
    )
    for part in np.array_split(np.arange(120), 3):
        kid.update_state(real=as_images(real[part]), fake=as_images(fake[part]))
    mean, std = kernel_inception_distance(
        real.astype(np.float32), fake.astype(np.float32), subset_size=50, estimator="blocks"
    )
    assert kid.result() == pytest.approx({"kid": mean, "kid_std": std}, rel=1e-5)
    with pytest.raises(ValueError, match="max_samples=120 real feature vectors; it holds 120"):
        kid.update_state(real=as_images(real[:1]))
    kid.reset_state()
    with pytest.raises(ValueError, match="it has seen 0 real and 0 fake"):
        kid.result()
    with pytest.raises(ValueError, match="received neither"):
        kid.update_state()
    with pytest.raises(ValueError, match="estimator must be one of"):
        KernelInceptionDistance(feature_extractor="fashion_mnist", estimator="block")
