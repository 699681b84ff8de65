"""Each adversarial loss equals its formula on known logits."""

import keras
import numpy as np
import pytest

from kerasgan import losses

REAL = np.array([[2.0], [-1.0], [0.5]], dtype="float32")
FAKE = np.array([[-3.0], [0.0], [1.5]], dtype="float32")


def softplus(x):
    return np.log1p(np.exp(x))


def test_minimax_discriminator_is_binary_cross_entropy():
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    expected = -np.mean(np.log(sigmoid(REAL))) - np.mean(np.log(1 - sigmoid(FAKE)))
    got = float(losses.minimax_discriminator_loss(REAL, FAKE))
    assert got == pytest.approx(expected, rel=1e-5)


def test_generator_losses():
    assert float(losses.minimax_generator_loss(FAKE)) == pytest.approx(-np.mean(softplus(FAKE)), rel=1e-5)
    assert float(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(
        np.mean(softplus(-FAKE)), rel=1e-5
    )
    assert float(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(-np.mean(FAKE))
    assert float(losses.least_squares_generator_loss(FAKE)) == pytest.approx(0.5 * np.mean((FAKE - 1) ** 2))


def test_discriminator_losses():
    assert float(losses.wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(
        np.mean(FAKE) - np.mean(REAL)
    )
    assert float(losses.hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(
        np.mean(np.maximum(0, 1 - REAL)) + np.mean(np.maximum(0, 1 + FAKE))
    )
    assert float(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(
        0.5 * np.mean((REAL - 1) ** 2) + 0.5 * np.mean(FAKE**2)
    )


def test_losses_are_float32_for_half_precision_logits():
    value = losses.minimax_discriminator_loss(REAL.astype("float16"), FAKE.astype("float16"))
    assert keras.backend.standardize_dtype(value.dtype) == "float32"


def test_unknown_loss_name_lists_choices():
    with pytest.raises(ValueError, match="hinge"):
        losses.get_adversarial_loss("hingee")
