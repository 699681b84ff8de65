"""LeCam: its moving averages follow their formula, are saved and restored, and it trains."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.losses import LeCamRegularization, lecam_penalty
from tests.gan_test_case import run_save_load_check, run_training_check
from tests.models.test_variants import TINY


def relu(x):
    return np.maximum(x, 0.0)


@pytest.mark.jax
def test_averages_and_penalty_follow_the_bias_corrected_formula():
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(1, 4, 4, 1)).astype("float32")
    critic = lambda x: ops.sum(x * weights, axis=(1, 2, 3))[:, None]  # noqa: E731
    regularizer = LeCamRegularization(decay=0.9)
    biased_real = biased_fake = 0.0
    for t in range(1, 6):
        images = rng.uniform(-1, 1, size=(8, 4, 4, 1)).astype("float32") + 0.3 * t
        fake = rng.uniform(-1, 1, size=(8, 4, 4, 1)).astype("float32") - 0.3 * t
        real_logits = np.sum(images * weights, axis=(1, 2, 3))[:, None]
        fake_logits = np.sum(fake * weights, axis=(1, 2, 3))[:, None]
        # A plain moving average from 0, divided by the weight its terms sum to.
        biased_real = 0.9 * biased_real + 0.1 * real_logits.mean()
        biased_fake = 0.9 * biased_fake + 0.1 * fake_logits.mean()
        alpha_real, alpha_fake = biased_real / (1 - 0.9**t), biased_fake / (1 - 0.9**t)
        expected = np.mean(relu(real_logits - alpha_fake) ** 2) + np.mean(relu(alpha_real - fake_logits) ** 2)
        got = float(regularizer.penalty(None, {"images": images, "fake": fake, "critic": critic}))
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-6), t
        assert float(regularizer.real_average) == pytest.approx(alpha_real, rel=1e-5, abs=1e-6)
        assert float(regularizer.fake_average) == pytest.approx(alpha_fake, rel=1e-5, abs=1e-6)
        assert float(regularizer.num_updates) == t


@pytest.mark.jax
def test_penalty_function_is_one_sided():
    real = np.array([[2.0], [-3.0]], "float32")
    fake = np.array([[-1.0], [4.0]], "float32")
    expected = np.mean(relu(real - 0.5) ** 2) + np.mean(relu(1.0 - fake) ** 2)
    assert float(lecam_penalty(real, fake, 1.0, 0.5)) == pytest.approx(expected)
    # Real scores below a_F and fake scores above a_R cost nothing.
    assert float(lecam_penalty(real - 10.0, fake + 10.0, 1.0, 0.5)) == 0.0


def test_logits_of_the_phase_are_used_without_calling_the_critic():
    def critic(_):
        raise AssertionError("the critic was called although the phase gave its logits")

    real_logits = np.array([[1.0], [3.0]], "float32")
    fake_logits = np.array([[-2.0], [0.0]], "float32")
    context = {"images": None, "fake": None, "critic": critic, "real_logits": real_logits}
    context["fake_logits"] = fake_logits
    regularizer = LeCamRegularization()
    value = float(regularizer.penalty(None, context))
    # First update: a_R = 2 and a_F = -1, the batch means.
    assert float(regularizer.real_average) == pytest.approx(2.0)
    assert float(regularizer.fake_average) == pytest.approx(-1.0)
    assert value == pytest.approx(np.mean(relu(real_logits + 1) ** 2) + np.mean(relu(2 - fake_logits) ** 2))


def test_dcgan_trains_with_it_and_logs_lecam(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(loss="hinge", regularizers=[LeCamRegularization()], **TINY)
    history = run_training_check(gan, images)
    assert "lecam" in history.history and np.isfinite(history.history["lecam"]).all()
    regularizer = gan.regularizers[0]
    # One update per discriminator update: the phase check's one and fit's two.
    assert float(regularizer.num_updates) == 3
    assert float(regularizer.real_average) != 0.0 and float(regularizer.fake_average) != 0.0


@pytest.mark.jax
def test_averages_are_saved_and_restored_by_a_keras_file(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(regularizers=[LeCamRegularization(0.3)], **TINY)
    # Saves after two steps, loads, and requires one more identical step of
    # both to end with identical variables (the averages steer that step).
    loaded = run_save_load_check(gan, str(tmp_path / "lecam.keras"), images)
    original, restored = gan.regularizers[0], loaded.regularizers[0]
    assert isinstance(restored, LeCamRegularization) and restored.decay == 0.99
    assert float(original.num_updates) == float(restored.num_updates) == 3
    assert float(original.real_average) != 0.0
    for name in ("real_average", "fake_average"):
        assert float(getattr(restored, name)) == pytest.approx(float(getattr(original, name)), rel=1e-6)


def test_decay_is_checked():
    for decay in (1.0, -0.1, True, "0.9"):
        with pytest.raises(ValueError, match="decay must be in"):
            LeCamRegularization(decay=decay)
    assert LeCamRegularization().get_config()["decay"] == 0.99
