import keras
import numpy as np
import pytest

from kerasgan.metrics import FrechetInceptionDistance, frechet_distance, frechet_distance_from_moments
from tests.metrics.conftest import as_images, gaussian_features, vector_extractor


def _random_rotation(d, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q


def _reference_fid(a, b):
    """FID with tr((C_a C_b)^(1/2)) from the general eigenvalues of C_a C_b."""
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    eigenvalues = np.linalg.eigvals(cov_a @ cov_b)  # real and >= 0 up to rounding
    trace_sqrt = np.sum(np.sqrt(np.clip(eigenvalues.real, 0, None)))
    diff = a.mean(0) - b.mean(0)
    return diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt


def test_commuting_covariances_match_closed_form():
    # C_a = Q diag(s) Q^T, C_b = Q diag(t) Q^T:
    # FID = |mu_a - mu_b|^2 + sum_i (sqrt(s_i) - sqrt(t_i))^2.
    d = 16
    rng = np.random.default_rng(0)
    q = _random_rotation(d, 1)
    s, t = rng.uniform(0.1, 4.0, size=(2, d))
    mu_a, mu_b = rng.normal(size=(2, d))
    expected = np.sum((mu_a - mu_b) ** 2) + np.sum((np.sqrt(s) - np.sqrt(t)) ** 2)
    got = frechet_distance_from_moments(mu_a, q @ np.diag(s) @ q.T, mu_b, q @ np.diag(t) @ q.T)
    assert got == pytest.approx(expected, rel=1e-9)


def test_non_commuting_2d_covariances_match_closed_form():
    # For 2x2 M with positive eigenvalues: tr(sqrt(M)) = sqrt(tr M + 2 sqrt(det M)).
    cov_a = np.array([[2.0, 0.3], [0.3, 0.5]])
    cov_b = np.array([[1.0, -0.6], [-0.6, 3.0]])
    mu_a, mu_b = np.array([0.5, -1.0]), np.array([1.5, 2.0])
    m = cov_a @ cov_b
    trace_sqrt = np.sqrt(np.trace(m) + 2 * np.sqrt(np.linalg.det(m)))
    expected = np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt
    assert frechet_distance_from_moments(mu_a, cov_a, mu_b, cov_b) == pytest.approx(expected, rel=1e-9)


def test_features_match_a_general_eigenvalue_reference():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(300, 32)) @ rng.normal(size=(32, 32))
    b = rng.normal(size=(200, 32)) * 1.5 + 0.2
    assert frechet_distance(a, b) == pytest.approx(_reference_fid(a, b), rel=1e-8)


def test_self_distance_is_zero_and_symmetric():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(100, 40))
    y = rng.normal(size=(30, 40)) * 2  # singular covariance: rank 29 < 40
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)
    assert frechet_distance(y, y) == pytest.approx(0.0, abs=1e-6)
    assert frechet_distance(x, y) == pytest.approx(frechet_distance(y, x), rel=1e-8)


def test_two_gaussian_samples_approach_the_population_value():
    mean_a, mean_b = np.array([0.5, -0.5, 1.0, 0.0]), np.zeros(4)
    cov_a = np.diag([1.0, 0.5, 2.0, 1.0])
    cov_b = np.full((4, 4), 0.3) + 0.7 * np.eye(4)
    population = frechet_distance_from_moments(mean_a, cov_a, mean_b, cov_b)
    a = gaussian_features(mean_a, cov_a, 20_000, seed=5)
    b = gaussian_features(mean_b, cov_b, 20_000, seed=6)
    assert frechet_distance(a, b) == pytest.approx(population, rel=0.05)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.zeros(2), np.eye(3), np.zeros(2), np.eye(2)), "shape"),
        ((np.zeros(2), np.eye(2), np.zeros(3), np.eye(3)), "same dimension"),
        ((np.zeros(2), np.full((2, 2), np.nan), np.zeros(2), np.eye(2)), "NaN"),
    ],
)
def test_moments_are_checked(args, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance_from_moments(*args)


@pytest.fixture(scope="module")
def feature_sets():
    rng = np.random.default_rng(7)
    real = rng.normal(size=(600, 4)) * [1.0, 0.5, 2.0, 1.0] + 0.5
    fake = rng.normal(size=(600, 4)) @ rng.normal(size=(4, 4)) * 0.5
    # What the toy extractor sees: float32 pixels scaled back up.
    as_seen = [as_images(x).reshape(len(x), 4).astype(np.float64) * 20.0 for x in (real, fake)]
    return real, fake, frechet_distance(*as_seen)


def test_metric_streaming_equals_one_batch_and_the_function(feature_sets):
    real, fake, expected = feature_sets
    one_batch = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    one_batch.update_state(real=as_images(real), fake=as_images(fake))
    streamed = FrechetInceptionDistance(feature_extractor=vector_extractor(4), batch_size=50)
    for part in np.array_split(np.arange(len(real)), 7):
        streamed.update_state(real=as_images(real[part]))
        streamed.update_state(fake=as_images(fake[part[::-1]]))
    assert float(one_batch.result()) == pytest.approx(expected, rel=1e-5)
    assert float(streamed.result()) == pytest.approx(expected, rel=1e-5)


def test_metric_runs_inside_model_evaluate(feature_sets):
    # compile(metrics=[fid]) feeds y_true as the real and y_pred as the fake
    # images, inside Keras's compiled test_step.
    real, fake, expected = feature_sets
    inputs = keras.Input((1, 1, 4))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    model.compile(loss="mse", metrics=[FrechetInceptionDistance(feature_extractor=vector_extractor(4))])
    for _ in range(2):  # evaluate() resets the variables first
        scores = model.evaluate(as_images(fake), as_images(real), batch_size=64, verbose=0, return_dict=True)
        assert scores["fid"] == pytest.approx(expected, rel=1e-5)


def test_metric_state_is_float64_variables_and_resets(feature_sets):
    real = feature_sets[0]
    fid = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    assert [tuple(v.shape) for v in fid.variables] == [(), (4,), (4, 4)] * 2
    assert {v.dtype for v in fid.variables} == {"float64"}
    fid.update_state(real=as_images(real[:100]), fake=as_images(real[:100]))
    assert float(fid.result()) == pytest.approx(0.0, abs=1e-5)
    fid.reset_state()
    assert all(not np.any(v.numpy()) for v in fid.variables)
    with pytest.raises(ValueError, match="at least 2 real and 2 fake images; it has seen"):
        fid.result()


def test_metric_errors_are_clear():
    fid = FrechetInceptionDistance(feature_extractor=vector_extractor(4))
    with pytest.raises(ValueError, match="received neither"):
        fid.update_state()
    with pytest.raises(ValueError, match=r"shape \(batch, height, width"):
        fid.update_state(real=np.zeros((8, 1, 4)))
    with pytest.raises(ValueError, match=r"real must hold finite values in \[-1, 1\].*largest 255"):
        fid.update_state(real=np.full((8, 1, 1, 4), 255.0))
    with pytest.raises(ValueError, match="fake must hold finite values"):
        fid.update_state(fake=np.full((8, 1, 1, 4), np.nan))
    with pytest.raises(ValueError, match="no sample_weight"):
        fid.update_state(np.zeros((2, 1, 1, 4)), np.zeros((2, 1, 1, 4)), np.ones(2))
    with pytest.raises(ValueError, match="feature_extractor must be one of"):
        FrechetInceptionDistance(feature_extractor="vgg16")
    not_pooled = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Identity()])
    with pytest.raises(ValueError, match=r"known size, shape \(batch, num_features\)"):
        FrechetInceptionDistance(feature_extractor=not_pooled)


def test_named_extractor_round_trips():
    fid = FrechetInceptionDistance(feature_extractor="fashion_mnist", batch_size=32, name="m")
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(fid))
    assert type(restored) is FrechetInceptionDistance
    assert restored.get_config() == fid.get_config()
    assert (restored.name, restored.batch_size, restored.feature_extractor) == ("m", 32, "fashion_mnist")


def test_custom_extractor_round_trips_its_architecture():
    restored = FrechetInceptionDistance.from_config(
        FrechetInceptionDistance(feature_extractor=vector_extractor(3)).get_config()
    )
    images = np.full((2, 1, 1, 3), 0.5, dtype="float32")
    np.testing.assert_allclose(restored.feature_extractor(images), 10.0)
