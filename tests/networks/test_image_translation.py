"""Image-to-image networks: shapes, ranges, layer layout, errors, round trips."""

import keras
import numpy as np
import pytest

from kerasgan.networks.image_translation import (
    build_patchgan_discriminator,
    build_resnet_generator,
    build_unet_generator,
    instance_normalization,
)


def _images(shape, batch=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1.0, 1.0, size=(batch,) + tuple(shape)).astype("float32")


@pytest.mark.parametrize("shape, output_channels", [((32, 32, 1), None), ((32, 32, 3), 1), ((16, 32, 3), 2)])
def test_unet_keeps_spatial_size_and_output_range(shape, output_channels):
    generator = build_unet_generator(shape, output_channels=output_channels, base_filters=8)
    channels = output_channels or shape[-1]
    images = generator(_images(shape), training=True).numpy()
    assert images.shape == (2,) + shape[:2] + (channels,)
    assert images.dtype == np.float32 and np.abs(images).max() <= 1.0
    assert [tensor.name for tensor in generator.inputs] == ["images"]


def test_unet_default_depth_reaches_1x1_and_follows_the_paper():
    generator = build_unet_generator((32, 32, 3), base_filters=8)
    downs = [generator.get_layer(f"down{i}").output.shape for i in range(5)]
    assert [tuple(s[1:]) for s in downs] == [(16, 16, 8), (8, 8, 16), (4, 4, 32), (2, 2, 64), (1, 1, 64)]
    names = {layer.name for layer in generator.layers}
    # No batch norm on the first block nor on the 1x1 bottleneck.
    assert {"down1_norm", "down2_norm", "down3_norm"} <= names
    assert not {"down0_norm", "down4_norm"} & names
    dropouts = [layer for layer in generator.layers if isinstance(layer, keras.layers.Dropout)]
    assert [layer.name for layer in dropouts] == ["up3_dropout", "up2_dropout", "up1_dropout"]
    assert generator.get_layer("up0_skip").output.shape[-1] == 16


def test_unet_with_explicit_depth_and_non_power_of_two_side():
    generator = build_unet_generator((24, 24, 1), base_filters=4, num_downsamplings=3)
    assert generator.get_layer("down2").output.shape[1:3] == (3, 3)
    assert tuple(generator.output_shape) == (None, 24, 24, 1)
    # 28 = 4 * 7: by default halved twice, down to 7x7.
    generator = build_unet_generator((28, 28, 1), base_filters=4)
    assert tuple(generator.get_layer("down1").output.shape[1:3]) == (7, 7)


def test_patchgan_scores_patches_with_one_input():
    critic = build_patchgan_discriminator((32, 32, 3), base_filters=8, normalization="instance")
    logits = critic(_images((32, 32, 3), batch=3)).numpy()
    assert logits.shape == (3, 4, 4, 1) and logits.dtype == np.float32
    assert [tensor.name for tensor in critic.inputs] == ["images"]


def test_patchgan_with_condition_takes_condition_then_images():
    critic = build_patchgan_discriminator(
        (32, 32, 3), condition_shape=(32, 32, 1), base_filters=8, num_layers=2
    )
    assert [tensor.name for tensor in critic.inputs] == ["condition", "images"]
    logits = critic([_images((32, 32, 1)), _images((32, 32, 3))]).numpy()
    assert logits.shape == (2, 8, 8, 1)


def test_patchgan_default_is_the_70x70_c64_c128_c256_c512():
    critic = build_patchgan_discriminator((64, 64, 3), normalization=None)
    convs = [critic.get_layer(f"conv{i}") for i in range(4)]
    assert [conv.filters for conv in convs] == [64, 128, 256, 512]
    assert [conv.strides for conv in convs] == [(2, 2), (2, 2), (2, 2), (1, 1)]
    assert critic.get_layer("logits_conv").filters == 1
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in critic.layers)
    batch_critic = build_patchgan_discriminator((32, 32, 3), base_filters=8)
    norms = [
        layer.name for layer in batch_critic.layers if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert norms == ["conv1_norm", "conv2_norm", "conv3_norm"]


@pytest.mark.parametrize("shape, downsamplings", [((32, 32, 3), 2), ((16, 24, 1), 3)])
def test_resnet_generator_shape_and_range(shape, downsamplings):
    generator = build_resnet_generator(
        shape, base_filters=8, num_residual_blocks=2, num_downsamplings=downsamplings
    )
    images = generator(_images(shape)).numpy()
    assert images.shape == (2,) + shape and np.abs(images).max() <= 1.0
    other = build_resnet_generator(
        shape, output_channels=2, base_filters=4, num_residual_blocks=1, num_downsamplings=downsamplings
    )
    assert tuple(other.output_shape) == (None,) + shape[:2] + (2,)


def test_resnet_generator_uses_instance_norm_everywhere():
    generator = build_resnet_generator((16, 16, 3), base_filters=4, num_residual_blocks=2)
    norms = [layer for layer in generator.layers if isinstance(layer, keras.layers.GroupNormalization)]
    assert len(norms) == 1 + 2 + 2 * 2 + 2
    for layer in norms:
        assert layer.groups == layer.input.shape[-1]
    assert generator.get_layer("res1_conv1").input.shape[1:] == (4, 4, 16)


def test_instance_normalization_normalizes_each_example_and_channel():
    rng = np.random.default_rng(1)
    offsets = rng.normal(scale=5.0, size=(3, 1, 1, 4))
    scales = rng.uniform(0.5, 4.0, size=(3, 1, 1, 4))
    inputs = (rng.normal(size=(3, 8, 8, 4)) * scales + offsets).astype("float32")
    outputs = instance_normalization(4)(inputs).numpy()
    np.testing.assert_allclose(outputs.mean(axis=(1, 2)), 0.0, atol=1e-4)
    np.testing.assert_allclose(outputs.std(axis=(1, 2)), 1.0, atol=1e-2)
    # Each example is normalized on its own: batch composition does not matter.
    alone = instance_normalization(4)(inputs[:1]).numpy()
    np.testing.assert_allclose(alone, outputs[:1], atol=1e-5)


@pytest.mark.parametrize(
    "builder, kwargs, message",
    [
        (
            build_unet_generator,
            {"image_shape": (30, 30, 3), "num_downsamplings": 2},
            r"divisible by 2\*\*2 = 4 \(4, 8, 12, 16",
        ),
        (build_unet_generator, {"image_shape": (33, 33, 3)}, "divisible by 2"),
        (
            build_unet_generator,
            {"image_shape": (32, 32, 3), "num_downsamplings": 0},
            "num_downsamplings must be a positive integer; received num_downsamplings=0",
        ),
        (build_unet_generator, {"image_shape": (32, 32, 3), "base_filters": -8}, "base_filters"),
        (build_unet_generator, {"image_shape": (32, 32)}, "image_shape"),
        (build_resnet_generator, {"image_shape": (30, 30, 3)}, "divisible by 2\\*\\*2 = 4"),
        (
            build_resnet_generator,
            {"image_shape": (32, 32, 3), "num_residual_blocks": 0},
            "num_residual_blocks must be a positive integer",
        ),
        (build_resnet_generator, {"image_shape": (32, 32, 3), "num_downsamplings": -1}, "num_downsamplings"),
        (build_resnet_generator, {"image_shape": (32, 32, 3), "output_channels": -3}, "output_channels"),
        (
            build_patchgan_discriminator,
            {"image_shape": (32, 32, 3), "normalization": "layer"},
            r"normalization must be one of .*received 'layer'",
        ),
        (
            build_patchgan_discriminator,
            {"image_shape": (32, 32, 3), "num_layers": 0},
            "num_layers must be a positive integer",
        ),
        (
            build_patchgan_discriminator,
            {"image_shape": (16, 16, 3), "num_layers": 5},
            r"at least 2\*\*5 = 32; received image_shape \(16, 16, 3\)",
        ),
        (
            build_patchgan_discriminator,
            {"image_shape": (32, 32, 3), "condition_shape": (16, 16, 3)},
            "must have the height and width",
        ),
    ],
)
def test_invalid_arguments_raise_helpful_errors(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


@pytest.mark.parametrize(
    "build, inputs",
    [
        (lambda: build_unet_generator((16, 16, 3), base_filters=4), [(16, 16, 3)]),
        (lambda: build_resnet_generator((16, 16, 1), base_filters=4, num_residual_blocks=1), [(16, 16, 1)]),
        (
            lambda: build_patchgan_discriminator(
                (16, 16, 3), condition_shape=(16, 16, 1), base_filters=4, normalization="instance"
            ),
            [(16, 16, 1), (16, 16, 3)],
        ),
    ],
)
def test_networks_round_trip_through_config(build, inputs):
    model = build()
    arrays = [_images(shape, seed=i) for i, shape in enumerate(inputs)]
    arrays = arrays[0] if len(arrays) == 1 else arrays
    clone = keras.models.model_from_json(model.to_json())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(arrays).numpy(), model(arrays).numpy(), atol=1e-6)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(model))
    assert [layer.name for layer in restored.layers] == [layer.name for layer in model.layers]
    assert restored.count_params() == model.count_params()
