import keras
import numpy as np
import pytest

from kerasgan.metrics import FrechetInceptionDistance
from kerasgan.metrics import frechet_distance
from kerasgan.metrics.frechet import moments_from_sums
from tests.metrics.conftest import as_images
from tests.metrics.conftest import gaussian_features
from tests.metrics.conftest import vector_extractor


def _random_rotation(d, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q


def test_commuting_covariances_match_closed_form():
    # C1 = Q diag(a) Q^T, C2 = Q diag(b) Q^T:
    # FID = |mu1 - mu2|^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2.
    d = 16
    rng = np.random.default_rng(0)
    q = _random_rotation(d, 1)
    a, b = rng.uniform(0.1, 4.0, size=(2, d))
    mu1, mu2 = rng.normal(size=(2, d))
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    got = frechet_distance(mu1, q @ np.diag(a) @ q.T, mu2, q @ np.diag(b) @ q.T)
    assert got == pytest.approx(expected, abs=1e-3)


def test_non_commuting_2d_covariances_match_closed_form():
    # For 2x2 M with positive eigenvalues: tr(sqrt(M)) = sqrt(tr M + 2 sqrt(det M)).
    cov1 = np.array([[2.0, 0.3], [0.3, 0.5]])
    cov2 = np.array([[1.0, -0.6], [-0.6, 3.0]])
    mu1, mu2 = np.array([0.5, -1.0]), np.array([1.5, 2.0])
    m = cov1 @ cov2
    trace_sqrt = np.sqrt(np.trace(m) + 2 * np.sqrt(np.linalg.det(m)))
    expected = (
        np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2 * trace_sqrt
    )
    assert frechet_distance(mu1, cov1, mu2, cov2) == pytest.approx(expected, abs=1e-3)


def test_agrees_with_scipy_sqrtm_on_random_covariances():
    linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 64, 32))
    cov1, cov2 = a.T @ a / 64, b.T @ b / 64
    mu = np.zeros(32)
    reference = np.trace(cov1 + cov2 - 2 * linalg.sqrtm(cov1 @ cov2).real)
    assert frechet_distance(mu, cov1, mu, cov2) == pytest.approx(reference, rel=1e-6)


def test_self_distance_is_zero_and_symmetric():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(100, 40))  # rank-deficient covariance (rank 40 < 100 is fine)
    y = rng.normal(size=(30, 40)) * 2  # singular covariance: rank 29 < 40
    mu_x, cov_x = x.mean(0), np.cov(x, rowvar=False)
    mu_y, cov_y = y.mean(0), np.cov(y, rowvar=False)
    assert frechet_distance(mu_x, cov_x, mu_x, cov_x) == pytest.approx(0.0, abs=1e-8)
    assert frechet_distance(mu_y, cov_y, mu_y, cov_y) == pytest.approx(0.0, abs=1e-6)
    assert frechet_distance(mu_x, cov_x, mu_y, cov_y) == pytest.approx(
        frechet_distance(mu_y, cov_y, mu_x, cov_x), rel=1e-6
    )


def test_moments_from_sums_match_numpy():
    x = np.random.default_rng(4).normal(size=(50, 3)) + 5.0
    mu, cov = moments_from_sums(len(x), x.sum(0), x.T @ x)
    np.testing.assert_allclose(mu, x.mean(0))
    np.testing.assert_allclose(cov, np.cov(x, rowvar=False), rtol=1e-9)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.zeros(2), np.eye(3), np.zeros(2), np.eye(2)), "shape"),
        ((np.zeros(2), np.eye(2), np.zeros(3), np.eye(3)), "same dimension"),
        ((np.zeros(2), np.full((2, 2), np.nan), np.zeros(2), np.eye(2)), "NaN"),
    ],
)
def test_core_rejects_bad_moments(args, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance(*args)


@pytest.fixture(scope="module")
def gaussian_sets():
    mean_real, mean_fake = np.array([0.5, -0.5, 1.0, 0.0]), np.zeros(4)
    cov_real = np.diag([1.0, 0.5, 2.0, 1.0])
    cov_fake = np.full((4, 4), 0.3) + 0.7 * np.eye(4)
    real = gaussian_features(mean_real, cov_real, 20_000, seed=5)
    fake = gaussian_features(mean_fake, cov_fake, 20_000, seed=6)
    population = frechet_distance(mean_real, cov_real, mean_fake, cov_fake)
    return real, fake, population


def test_metric_streaming_equals_one_batch_and_core(gaussian_sets):
    real, fake, population = gaussian_sets
    one_batch = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    one_batch.update_state(real=as_images(real), fake=as_images(fake))

    streamed = FrechetInceptionDistance(
        feature_extractor=vector_extractor(4), batch_size=1000
    )
    for part in np.array_split(np.arange(len(real)), 7):
        streamed.update_state(real=as_images(real[part]))
        streamed.update_state(fake=as_images(fake[part[::-1]]))

    f_real = real.astype(np.float32).astype(np.float64)
    f_fake = fake.astype(np.float32).astype(np.float64)
    expected = frechet_distance(
        f_real.mean(0), np.cov(f_real, rowvar=False),
        f_fake.mean(0), np.cov(f_fake, rowvar=False),
    )
    assert float(one_batch.result()) == pytest.approx(expected, rel=1e-5)
    assert float(streamed.result()) == pytest.approx(expected, rel=1e-5)
    # 20k samples estimate the population value within a few percent.
    assert expected == pytest.approx(population, rel=0.05)


def test_metric_state_is_float64_and_resets(gaussian_sets):
    real, _, _ = gaussian_sets
    fid = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    fid.update_state(real=as_images(real[:100]), fake=as_images(real[:100]))
    assert {v.dtype for v in fid.variables} == {"float64"}
    assert float(fid.result()) == pytest.approx(0.0, abs=1e-5)
    fid.reset_state()
    with pytest.raises(ValueError, match="at least 2 real and fake"):
        fid.result()


def test_metric_errors_are_clear():
    fid = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    with pytest.raises(ValueError, match="at least 2"):
        fid.result()
    with pytest.raises(ValueError, match="received neither"):
        fid.update_state()
    with pytest.raises(ValueError, match=r"shape \(batch, height, width"):
        fid.update_state(real=np.zeros((8, 1, 4)))
    with pytest.raises(ValueError, match=r"in \[-1, 1\]"):
        fid.update_state(real=np.full((8, 1, 1, 4), 255.0))
    with pytest.raises(ValueError, match="NaN"):
        fid.update_state(fake=np.full((8, 1, 1, 4), np.nan))
    with pytest.raises(ValueError, match="feature_extractor must be one of"):
        FrechetInceptionDistance(feature_extractor="vgg16")


def test_extractor_must_return_vectors():
    not_pooled = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Identity()])
    fid = FrechetInceptionDistance(feature_extractor=not_pooled)
    with pytest.raises(ValueError, match=r"\(batch, num_features\)"):
        fid.update_state(real=np.zeros((2, 4, 4, 1)))
