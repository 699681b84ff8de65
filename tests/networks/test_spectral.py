"""The spectral-normalised layers: W / sigma(W), the power method's state, gradients, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from kerasgan.networks import SpectralConv2D, SpectralDense, SpectralEmbedding


def _top_singular_value(kernel):
    kernel = np.asarray(kernel)
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


@pytest.mark.parametrize("scale", [0.05, 1.0, 20.0])
@pytest.mark.parametrize("kind", ["dense", "conv", "embedding"])
def test_enough_power_iterations_give_a_unit_spectral_norm_whatever_the_kernel_scale(kind, scale):
    layer, inputs = {
        "dense": (SpectralDense(6, power_iterations=60), np.ones((2, 5), "float32")),
        "conv": (SpectralConv2D(4, 3, power_iterations=60), np.ones((2, 6, 6, 3), "float32")),
        "embedding": (SpectralEmbedding(10, 6, power_iterations=60), np.arange(3)),
    }[kind]
    layer(inputs)
    # A fixed kernel (the power method's speed depends on the gap between the
    # two largest singular values), at the given scale.
    kernel = np.random.default_rng(0).normal(size=layer.kernel.shape).astype("float32")
    layer.kernel.assign(kernel * scale)
    layer.u.assign(np.random.default_rng(1).normal(size=layer.u.shape).astype("float32"))
    assert _top_singular_value(keras.ops.convert_to_numpy(layer.normalized_kernel())) == pytest.approx(
        1.0, abs=1e-3
    )


def test_a_dense_layer_runs_with_its_kernel_divided_by_the_estimated_norm():
    rng = np.random.default_rng(0)
    layer = SpectralDense(3, bias_initializer="ones", activation="relu")
    inputs = rng.normal(size=(4, 5)).astype("float32")
    outputs = keras.ops.convert_to_numpy(layer(inputs))
    sigma, _ = layer.spectral_norm()
    expected = np.maximum(inputs @ (layer.kernel.numpy() / float(sigma)) + 1.0, 0.0)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)
    # One power-method step from a random u underestimates the norm of a
    # random kernel: sigma is the estimate, not the exact value.
    assert float(sigma) <= _top_singular_value(layer.kernel.numpy()) + 1e-5


def test_the_convolution_and_the_embedding_use_the_normalised_kernel():
    rng = np.random.default_rng(1)
    conv = SpectralConv2D(4, (3, 2), strides=2, padding="valid")
    images = rng.normal(size=(2, 7, 8, 3)).astype("float32")
    outputs = keras.ops.convert_to_numpy(conv(images))
    assert outputs.shape == conv.compute_output_shape(images.shape) == (2, 3, 4, 4)
    kernel = keras.ops.convert_to_numpy(conv.normalized_kernel())
    expected = keras.ops.convert_to_numpy(keras.ops.conv(images, kernel, strides=2, padding="valid"))
    np.testing.assert_allclose(outputs, expected + conv.bias.numpy(), rtol=1e-5, atol=1e-6)
    embedding = SpectralEmbedding(5, 3)
    ids = np.array([[4, 0], [2, 2]])
    looked_up = keras.ops.convert_to_numpy(embedding(ids))
    table = keras.ops.convert_to_numpy(embedding.normalized_kernel())
    np.testing.assert_allclose(looked_up, table[ids], rtol=1e-6)


def test_u_moves_only_while_training_and_sharpens_the_estimate():
    layer = SpectralDense(8)
    inputs = np.ones((2, 16), "float32")
    layer(inputs)
    # A fixed kernel and start: how fast the power method converges depends on
    # the gap between the two largest singular values.
    layer.kernel.assign(np.random.default_rng(0).normal(size=(16, 8)).astype("float32"))
    layer.u.assign(np.random.default_rng(1).normal(size=(1, 8)).astype("float32"))
    u = layer.u.numpy().copy()
    layer(inputs, training=False)
    np.testing.assert_array_equal(layer.u.numpy(), u)
    kernel_before = layer.kernel.numpy().copy()
    estimates = []
    for _ in range(30):
        layer(inputs, training=True)
        estimates.append(float(layer.spectral_norm()[0]))
    assert not np.array_equal(layer.u.numpy(), u)
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel_before)  # W itself is never rewritten
    assert estimates[-1] == pytest.approx(_top_singular_value(kernel_before), rel=1e-3)


def test_the_gradient_flows_through_the_norm():
    rng = np.random.default_rng(2)
    layer = SpectralDense(3, power_iterations=100, use_bias=False)
    inputs = rng.normal(size=(4, 5)).astype("float32")
    weights = rng.normal(size=(4, 3)).astype("float32")
    layer(inputs)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(inputs) * weights)
    gradient = tape.gradient(loss, layer.kernel).numpy()

    def loss_of(kernel):
        return float(np.sum(inputs @ (kernel / _top_singular_value(kernel)) * weights))

    kernel, step = layer.kernel.numpy().astype("float64"), 1e-4
    numeric = np.zeros_like(kernel)
    for index in np.ndindex(kernel.shape):
        shifted = kernel.copy()
        shifted[index] += step
        lower = kernel.copy()
        lower[index] -= step
        numeric[index] = (loss_of(shifted) - loss_of(lower)) / (2 * step)
    np.testing.assert_allclose(gradient, numeric, rtol=2e-3, atol=2e-3)
    without_sigma = inputs.T @ weights / _top_singular_value(kernel)
    assert not np.allclose(gradient, without_sigma, atol=2e-3)


def test_a_model_of_spectral_layers_round_trips_through_a_keras_file(tmp_path):
    inputs = keras.Input((6, 6, 1))
    features = SpectralConv2D(4, 3, strides=2, activation="leaky_relu")(inputs)
    outputs = SpectralDense(1)(keras.layers.Flatten()(features))
    model = keras.Model(inputs, outputs)
    images = np.random.default_rng(3).normal(size=(2, 6, 6, 1)).astype("float32")
    model(images, training=True)  # moves u
    model.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras")
    for before, after in zip(model.variables, loaded.variables):
        np.testing.assert_array_equal(before.numpy(), after.numpy())
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(images)), keras.ops.convert_to_numpy(loaded(images))
    )
    config = SpectralConv2D(4, 3, strides=2, power_iterations=2, name="c").get_config()
    assert SpectralConv2D.from_config(config).get_config() == config


def test_under_mixed_precision_it_computes_in_float16_and_keeps_float32_weights():
    layer = SpectralDense(4, dtype="mixed_float16")
    outputs = layer(np.ones((2, 3), "float32"), training=True)
    assert keras.backend.standardize_dtype(outputs.dtype) == "float16"
    assert all(v.dtype == "float32" for v in layer.variables)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: SpectralDense(0), "units"),
        (lambda: SpectralConv2D(4, 3, padding="causal"), "padding"),
        (lambda: SpectralConv2D(4, (3, 3, 3)), "kernel_size"),
        (lambda: SpectralEmbedding(10, 4, power_iterations=0), "power_iterations"),
    ],
)
def test_bad_arguments_are_clear_errors(build, message):
    with pytest.raises(ValueError, match=message):
        build()
