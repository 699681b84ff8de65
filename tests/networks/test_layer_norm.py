"""kerasgan.networks.LayerNormalization: Keras's layer norm, exact to the second derivative."""

import keras
import numpy as np
import pytest
from keras import ops

from kerasgan.networks import LayerNormalization


def _with_random_weights(layer, shape, seed):
    if not layer.built:
        layer.build(shape)
    rng = np.random.default_rng(seed)
    for weight in layer.weights:
        weight.assign(1.0 + 0.3 * rng.normal(size=weight.shape))
    return layer


@pytest.mark.parametrize("axis", [-1, (-3, -2, -1), (1, 3)])
def test_outputs_equal_keras_layer_normalization(axis):
    x = keras.random.normal((3, 4, 5, 6), seed=0) * 3.0 + 1.0
    ours = _with_random_weights(LayerNormalization(axis=axis, epsilon=1e-5), x.shape, 1)
    keras_layer = _with_random_weights(keras.layers.LayerNormalization(axis=axis, epsilon=1e-5), x.shape, 1)
    np.testing.assert_allclose(ops.convert_to_numpy(ours(x)), ops.convert_to_numpy(keras_layer(x)), atol=2e-5)
    for center, scale in ((False, True), (True, False), (False, False)):
        plain = LayerNormalization(axis=axis, center=center, scale=scale)
        reference = keras.layers.LayerNormalization(axis=axis, center=center, scale=scale)
        np.testing.assert_allclose(
            ops.convert_to_numpy(plain(x)), ops.convert_to_numpy(reference(x)), atol=2e-5
        )


def test_half_precision_statistics_are_computed_in_float32():
    x = keras.random.normal((2, 8), seed=0) * 100.0 + 1000.0  # float16 variance alone would overflow
    layer = LayerNormalization(dtype="mixed_float16")
    outputs = layer(ops.cast(x, "float16"))
    assert keras.backend.standardize_dtype(outputs.dtype) == "float16"
    expected = keras.layers.LayerNormalization()(x)
    np.testing.assert_allclose(ops.convert_to_numpy(outputs), ops.convert_to_numpy(expected), atol=2e-2)


def _penalty_of_gradients(gradients):
    """A gradient penalty: the mean squared distance of each example's input-gradient norm from 1."""
    return ops.mean(ops.square(ops.sqrt(ops.sum(ops.square(gradients), axis=(1, 2, 3))) - 1.0))


def penalty_and_its_gradient(critic, x, weights):
    """`(penalty, [d penalty / d weight])` with TensorFlow's nested tapes (this file runs on TensorFlow)."""
    import tensorflow as tf

    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            score = ops.sum(critic(x))
        penalty = _penalty_of_gradients(inner.gradient(score, x))
    return float(penalty), [g.numpy() for g in outer.gradient(penalty, weights)]


def test_penalty_gradient_through_layer_norm_matches_finite_differences():
    """The gradient of a gradient penalty through the layer is that of its value (float64).

    Keras's own layer norm fails this on TensorFlow by about 3% of the
    gradient: its variance stops the gradient through the mean. (On JAX
    the layer is checked by the TensorFlow/JAX agreement case
    `transformer_gan_vit`, whose lazy R1 goes through it.)
    """
    x = ops.convert_to_tensor(np.random.default_rng(0).normal(size=(4, 6, 6, 2)), "float64")
    conv = keras.layers.Conv2D(4, 3, dtype="float64")
    norm = LayerNormalization(axis=(-3, -2, -1), dtype="float64")
    critic = keras.Sequential(
        [
            conv,
            norm,
            keras.layers.LeakyReLU(0.2, dtype="float64"),
            keras.layers.Flatten(dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )
    critic.build(x.shape)
    _with_random_weights(norm, None, 3)
    weights = [conv.bias, norm.gamma]
    _, exact = penalty_and_its_gradient(critic, x, weights)
    for weight, gradient in zip(weights, exact):
        base = ops.convert_to_numpy(weight).copy()
        for index in range(3):
            values = []
            for step in (1e-6, -1e-6):
                moved = base.copy()
                moved.flat[index] += step
                weight.assign(moved)
                values.append(penalty_and_its_gradient(critic, x, weights)[0])
            weight.assign(base)
            finite_difference = (values[0] - values[1]) / 2e-6
            assert abs(gradient.flat[index] - finite_difference) <= 1e-6 * abs(finite_difference) + 1e-9


def test_config_and_keras_file_round_trip(tmp_path):
    x = keras.random.normal((2, 4, 4, 3), seed=0)
    inputs = keras.Input((4, 4, 3))
    model = keras.Model(inputs, LayerNormalization(axis=(-3, -2, -1), epsilon=1e-4, name="norm")(inputs))
    _with_random_weights(model.get_layer("norm"), (None, 4, 4, 3), 2)
    path = str(tmp_path / "norm.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    layer = loaded.get_layer("norm")
    assert isinstance(layer, LayerNormalization) and layer.epsilon == 1e-4 and layer.axis == [-3, -2, -1]
    np.testing.assert_array_equal(ops.convert_to_numpy(loaded(x)), ops.convert_to_numpy(model(x)))


def test_rms_scaling_is_refused_with_the_layer_to_use():
    with pytest.raises(ValueError, match="keras.layers.RMSNormalization"):
        LayerNormalization(rms_scaling=True)
