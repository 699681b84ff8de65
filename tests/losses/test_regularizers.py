"""Penalties equal their closed forms for critics with known input gradients."""

import keras
import numpy as np
import pytest
from keras import ops

from kerasgan import losses


def linear_critic(weights):
    """f(x) = <w, x>: its input gradient is w everywhere."""
    w = ops.convert_to_tensor(weights)
    return lambda images: ops.sum(images * w, axis=(1, 2, 3))[:, None]


@pytest.mark.parametrize("scale", [0.25, 1.0, 3.0])
def test_gradient_penalty_closed_form(scale):
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(1, 4, 4, 2)).astype("float32") * scale
    real = rng.uniform(-1, 1, size=(5, 4, 4, 2)).astype("float32")
    fake = rng.uniform(-1, 1, size=(5, 4, 4, 2)).astype("float32")
    alpha = rng.uniform(size=(5, 1, 1, 1)).astype("float32")
    expected = (np.linalg.norm(weights) - 1.0) ** 2
    got = float(losses.gradient_penalty(linear_critic(weights), real, fake, alpha))
    assert got == pytest.approx(expected, rel=1e-4)


def test_gradient_penalty_of_quadratic_critic_depends_on_interpolates():
    # f(x) = sum(x²)/2 has gradient x, so the penalty is mean((||x̂|| - 1)²).
    real = np.zeros((2, 1, 1, 3), "float32")
    fake = np.ones((2, 1, 1, 3), "float32")
    alpha = np.array([0.5, 1.0], "float32").reshape(2, 1, 1, 1)
    critic = lambda x: 0.5 * ops.sum(x * x, axis=(1, 2, 3))  # noqa: E731
    norms = np.array([0.5 * np.sqrt(3), np.sqrt(3)])
    expected = np.mean((norms - 1) ** 2)
    assert float(losses.gradient_penalty(critic, real, fake, alpha)) == pytest.approx(expected, rel=1e-5)


def test_r1_penalty_closed_form():
    weights = np.full((1, 2, 2, 1), 2.0, "float32")
    real = np.zeros((3, 2, 2, 1), "float32")
    assert float(losses.r1_penalty(linear_critic(weights), real)) == pytest.approx(16.0)


def test_clip_weights_bounds_every_variable():
    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    for variable in critic.trainable_variables:
        variable.assign(ops.ones(variable.shape) * 5.0)
    losses.clip_weights(critic.trainable_variables, 0.01)
    for variable in critic.trainable_variables:
        assert np.allclose(variable.numpy(), 0.01)


def test_regularizer_rejects_negative_weight():
    with pytest.raises(ValueError, match="non-negative"):
        losses.GradientPenalty(-1.0)


def test_regularizers_serialize():
    penalty = losses.R1Penalty(2.5)
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(penalty))
    assert isinstance(clone, losses.R1Penalty) and clone.weight == 2.5
