"""Network builders: shapes, layer layout from the papers, argument errors."""

import keras
import numpy as np
import pytest

from kerasgan import networks


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3), (128, 128, 1), (16, 16, 4)])
def test_dcgan_networks_fit_any_supported_resolution(shape):
    generator = networks.build_dcgan_generator(shape, latent_dim=16, base_filters=8)
    discriminator = networks.build_dcgan_discriminator(shape, base_filters=8)
    images = generator(np.random.normal(size=(2, 16)).astype("float32"))
    assert tuple(images.shape) == (2,) + shape
    assert np.abs(images.numpy()).max() <= 1.0
    assert tuple(discriminator(images).shape) == (2, 1)


def test_dcgan_64x64_default_is_the_paper_generator():
    generator = networks.build_dcgan_generator((64, 64, 3), latent_dim=100)
    assert generator.get_layer("project").output.shape[-1] == 4 * 4 * 1024
    filters = [generator.get_layer(f"up{i}").output.shape for i in (1, 2, 3)]
    assert [tuple(s[1:]) for s in filters] == [(8, 8, 512), (16, 16, 256), (32, 32, 128)]
    assert tuple(generator.output_shape) == (None, 64, 64, 3)


def test_dcgan_discriminator_uses_batch_norm_but_not_on_first_layer():
    discriminator = networks.build_dcgan_discriminator((32, 32, 3))
    names = [layer.name for layer in discriminator.layers]
    assert "down0_norm" not in names and "down1_norm" in names


@pytest.mark.parametrize("shape", [(30, 30, 1), (28, 32, 1), (4, 4, 1)])
def test_dcgan_rejects_unsupported_sides(shape):
    with pytest.raises(ValueError, match="4 or 7 times a power of two"):
        networks.build_dcgan_generator(shape, latent_dim=8)


def test_conditional_networks_take_labels():
    generator = networks.build_dcgan_generator((28, 28, 1), latent_dim=8, num_classes=10)
    discriminator = networks.build_mlp_discriminator((28, 28, 1), num_classes=10)
    z = np.zeros((3, 8), "float32")
    labels = np.array([0, 4, 9])
    images = generator([keras.ops.convert_to_tensor(z), keras.ops.convert_to_tensor(labels)])
    assert tuple(discriminator([images, keras.ops.convert_to_tensor(labels)]).shape) == (3, 1)


def test_mlp_generator_shape_and_range():
    generator = networks.build_mlp_generator((28, 28, 1), latent_dim=8, hidden_units=(16,))
    images = generator(np.random.normal(size=(4, 8)).astype("float32") * 10).numpy()
    assert images.shape == (4, 28, 28, 1) and np.abs(images).max() <= 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"image_shape": (28, 28), "latent_dim": 8}, "image_shape"),
        ({"image_shape": (28, 28, 1), "latent_dim": 0}, "latent_dim"),
        ({"image_shape": (28, 28, 1), "latent_dim": 8, "num_classes": 1}, "num_classes"),
    ],
)
def test_builder_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        networks.build_mlp_generator(**kwargs)
