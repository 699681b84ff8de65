"""The perceptual loss: zero for identical images, frozen networks, VGG19's input mapping, errors."""

import keras
import numpy as np
import pytest

from kerasgan.losses import PerceptualLoss, build_feature_network, perceptual_distance


@pytest.fixture(scope="module")
def garments(fashion_mnist_sample):
    return fashion_mnist_sample[0][:8]


def test_zero_for_identical_images_and_growing_with_the_difference(garments):
    loss = PerceptualLoss("fashion_mnist", image_shape=(28, 28, 1))
    assert float(loss(garments, garments)) == 0.0
    blurred = (garments + np.roll(garments, 1, axis=1) + np.roll(garments, 1, axis=2)) / 3.0
    small, large = float(loss(blurred, garments)), float(loss(np.roll(garments, 4, axis=0), garments))
    assert 0.0 < small < large, (small, large)


def test_the_distance_is_the_scaled_mean_squared_feature_difference():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4, 4, 2)), rng.normal(size=(3, 4, 4, 2))
    expected = np.mean((0.25 * (a - b)) ** 2)
    np.testing.assert_allclose(float(perceptual_distance(a, b, feature_scale=0.25)), expected, rtol=1e-5)


def test_any_keras_model_is_accepted_frozen_and_gradients_reach_only_the_images(garments):
    inputs = keras.Input((28, 28, 1))
    network = keras.Model(inputs, keras.layers.Conv2D(4, 3, padding="same")(inputs))
    loss = PerceptualLoss(network, feature_scale=2.0)
    assert loss.network is network and network.trainable_variables == [] and loss.trainable_weights == []
    images = keras.ops.convert_to_tensor(garments)
    features = network(garments).numpy() - network(np.zeros_like(garments)).numpy()
    np.testing.assert_allclose(
        float(loss(images, keras.ops.zeros_like(images))), np.mean((2.0 * features) ** 2), rtol=1e-5
    )


def test_fashion_mnist_features_of_rgb_equal_those_of_its_grayscale(garments):
    gray = build_feature_network("fashion_mnist", (28, 28, 1))
    rgb = build_feature_network("fashion_mnist", (28, 28, 3))
    np.testing.assert_allclose(rgb(np.repeat(garments, 3, axis=-1)), gray(garments), rtol=1e-5, atol=1e-5)
    first = build_feature_network("fashion_mnist", (28, 28, 1), layer="conv1")
    assert first.output_shape == (None, 28, 28, 32)


@pytest.mark.parametrize("channels", [3, 1])
def test_vgg19_reads_images_in_minus_one_to_one_as_keras_preprocesses_them(channels):
    network = build_feature_network("vgg19", (32, 32, channels), layer="block1_conv1", weights=None)
    assert network.trainable_variables == []
    images = np.random.default_rng(0).uniform(-1.0, 1.0, (2, 32, 32, channels)).astype("float32")
    mapped = network.get_layer("vgg19_preprocessing")(images)
    rgb = np.repeat(images, 3, axis=-1) if channels == 1 else images
    expected = keras.applications.vgg19.preprocess_input((rgb + 1.0) * 127.5)
    np.testing.assert_allclose(mapped, expected, rtol=0, atol=1e-3)
    assert PerceptualLoss(network).feature_scale == 1.0
    assert PerceptualLoss("vgg19", image_shape=(32, 32, 3), weights=None).feature_scale == pytest.approx(
        1 / 12.75
    )


def test_a_failed_imagenet_download_says_what_to_do(monkeypatch):
    def offline(**kwargs):
        raise Exception("URL fetch failure")  # what Keras raises without network access

    monkeypatch.setattr(keras.applications, "VGG19", offline)
    with pytest.raises(RuntimeError, match="fashion_mnist.*perceptual_weight=0"):
        PerceptualLoss("vgg19", image_shape=(32, 32, 3))


def test_config_round_trip_keeps_the_built_network_and_the_callers_config(garments):
    loss = PerceptualLoss("fashion_mnist", image_shape=(28, 28, 1), feature_scale=0.5)
    config = loss.get_config()
    assert isinstance(config["network"], dict), "the built network is stored, never its name"
    clone = PerceptualLoss.from_config(config)
    assert clone.get_config() == config and clone.feature_scale == 0.5
    assert clone.network.output_shape == loss.network.output_shape


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="named feature networks"):
        PerceptualLoss("resnet", image_shape=(32, 32, 3))
    with pytest.raises(ValueError, match="image_shape"):
        PerceptualLoss("fashion_mnist")
    with pytest.raises(ValueError, match="keras.Model"):
        PerceptualLoss(3)
    with pytest.raises(ValueError, match=r"\['conv1', 'conv2'\].*conv3"):
        build_feature_network("fashion_mnist", (28, 28, 1), layer="conv3")
    with pytest.raises(ValueError, match="at least 32x32"):
        build_feature_network("vgg19", (28, 28, 1))
    with pytest.raises(ValueError, match="1 or 3 channels"):
        build_feature_network("fashion_mnist", (28, 28, 2))
    with pytest.raises(ValueError, match="feature_scale"):
        PerceptualLoss("fashion_mnist", image_shape=(28, 28, 1), feature_scale=0)
    inputs = keras.Input((8, 8, 1))
    with pytest.raises(ValueError, match="cut your keras.Model"):
        PerceptualLoss(keras.Model(inputs, inputs), layer="block1_conv1")
