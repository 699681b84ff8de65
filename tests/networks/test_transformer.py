"""Transformer networks: shapes, argument errors, learned positions, attention over all tokens."""

import keras
import numpy as np
import pytest

from kerasgan import networks
from kerasgan.networks.spectral import SpectralDense
from kerasgan.networks.transformer import transformer_generator_layout
from kerasgan.networks.transformer_layers import PatchTokens

TINY_G = {"latent_dim": 8, "width": 16, "depths": (1, 1), "num_heads": 2}
TINY_D = {"width": 8, "depth": 1, "num_heads": 2}


def _latents(n=3, dim=8, seed=0):
    return np.random.default_rng(seed).normal(size=(n, dim)).astype("float32")


@pytest.mark.parametrize(
    "shape, options, grids",
    [
        ((28, 28, 1), {}, [7, 14]),  # 7x7 tokens -> 14x14 -> 2x2 patches
        ((14, 14, 1), {"patch_size": 1}, [7, 14]),  # pixel output
        ((32, 32, 3), {"patch_size": 4}, [4, 8]),
        ((28, 28, 1), {"depths": (1, 1, 1), "width": 32, "patch_size": 1}, [7, 14, 28]),
    ],
)
def test_generator_makes_images_of_any_supported_shape(shape, options, grids):
    options = {**TINY_G, **options}
    generator = networks.build_transformer_generator(shape, **options)
    assert transformer_generator_layout(shape, options.get("patch_size", 2), len(options["depths"])) == grids
    tokens = [generator.get_layer(f"position{stage}").output.shape for stage in range(len(grids))]
    widths = [options["width"] // 4**stage for stage in range(len(grids))]
    assert [tuple(t[1:]) for t in tokens] == [(g * g, w) for g, w in zip(grids, widths)]
    images = keras.ops.convert_to_numpy(generator(_latents()))
    assert images.shape == (3, *shape) and images.dtype == np.float32
    assert np.abs(images).max() <= 1.0
    critic = networks.build_transformer_discriminator(shape, patch_size=2, **TINY_D)
    assert tuple(critic(images).shape) == (3, 1)


def test_conditional_networks_take_labels_and_use_them():
    generator = networks.build_transformer_generator((28, 28, 1), num_classes=10, **TINY_G)
    critic = networks.build_transformer_discriminator((28, 28, 1), num_classes=10, **TINY_D)
    z = np.repeat(_latents(1), 2, axis=0)
    images = generator([keras.ops.convert_to_tensor(z), keras.ops.convert_to_tensor(np.array([0, 7]))])
    assert not np.allclose(images[0], images[1])
    assert tuple(critic([images, keras.ops.convert_to_tensor(np.array([0, 7]))]).shape) == (2, 1)


@pytest.mark.parametrize(
    "shape, options, message",
    [
        ((28, 28, 1), {"patch_size": 3}, "not divisible by patch_size=3"),
        ((28, 32, 1), {}, "square images"),
        ((28, 28, 1), {"depths": (1, 1, 1, 1)}, "must be divisible by 8"),
        ((28, 28, 1), {"width": 18}, "must be a multiple of 4"),
        (
            (28, 28, 1),
            {"width": 16, "num_heads": 8},
            "stage 1 has tokens of width 4, which 8 attention heads",
        ),
        ((28, 28, 1), {"num_heads": 0}, "num_heads"),
        ((28, 28, 1), {"depths": ()}, "non-empty list"),
        ((28, 28, 1), {"depths": (1, 0)}, "depths"),
        ((28, 28, 1), {"latent_dim": 0}, "latent_dim"),
    ],
)
def test_generator_rejects_bad_arguments_clearly(shape, options, message):
    with pytest.raises(ValueError, match=message):
        networks.build_transformer_generator(shape, **{**TINY_G, **options})


@pytest.mark.parametrize(
    "options, message",
    [
        ({"patch_size": 5}, r"\(28, 28\) are not divisible by patch_size=5"),
        ({"width": 10, "num_heads": 4}, "width 10, which 4 attention heads do not divide"),
        ({"depth": 0}, "depth"),
        ({"width": -8}, "width"),
    ],
)
def test_discriminator_rejects_bad_arguments_clearly(options, message):
    with pytest.raises(ValueError, match=message):
        networks.build_transformer_discriminator((28, 28, 1), **{**TINY_D, **options})


def test_position_embeddings_are_trainable_weights_that_change_the_output():
    generator = networks.build_transformer_generator((28, 28, 1), **TINY_G)
    critic = networks.build_transformer_discriminator((28, 28, 1), **TINY_D)
    for network, names in ((generator, ("position0", "position1")), (critic, ("position",))):
        trainable = {id(v) for v in network.trainable_variables}
        inputs = _latents() if network is generator else np.zeros((3, 28, 28, 1), "float32")
        before = keras.ops.convert_to_numpy(network(inputs))
        for name in names:
            embeddings = network.get_layer(name).embeddings
            assert id(embeddings) in trainable, name
            embeddings.assign(embeddings + np.random.default_rng(1).normal(size=embeddings.shape))
            after = keras.ops.convert_to_numpy(network(inputs))
            assert not np.allclose(before, after, atol=1e-6), name
            before = after


@pytest.mark.parametrize("spectral", [False, True], ids=["dot_product", "spectral_l2"])
def test_attention_sees_every_token_and_is_blind_to_order_without_positions(spectral):
    block = networks.TransformerBlock(num_heads=2, mlp_ratio=2, spectral=spectral)
    tokens = np.random.default_rng(0).normal(size=(2, 6, 8)).astype("float32")
    outputs = keras.ops.convert_to_numpy(block(tokens))
    changed = tokens.copy()
    changed[:, -1] = np.random.default_rng(2).normal(size=(2, 8))  # only the last token changes...
    moved = np.abs(keras.ops.convert_to_numpy(block(changed)) - outputs).max(axis=-1)
    assert (moved[:, :-1] > 1e-5).all(), "...yet every other token's output must move: no mask, no window"
    order = np.random.default_rng(1).permutation(6)
    permuted = keras.ops.convert_to_numpy(block(tokens[:, order]))
    np.testing.assert_allclose(permuted, outputs[:, order], rtol=1e-4, atol=1e-5)


def test_patch_tokens_are_the_patches_row_by_row():
    images = np.arange(2 * 4 * 6 * 3, dtype="float32").reshape(2, 4, 6, 3)
    tokens = keras.ops.convert_to_numpy(PatchTokens(2)(images))
    assert tokens.shape == (2, 6, 12)
    np.testing.assert_array_equal(tokens[1, 4], images[1, 2:4, 2:4].reshape(-1))


def test_the_vit_discriminator_is_spectrally_normalised_throughout():
    critic = networks.build_transformer_discriminator((28, 28, 1), **TINY_D)
    layers = _all_layers(critic)
    plain = (keras.layers.Dense, keras.layers.EinsumDense, keras.layers.MultiHeadAttention)
    assert sum(isinstance(layer, SpectralDense) for layer in layers) == 1 + 5 + 1  # embed, block, logits
    assert not any(isinstance(layer, plain) for layer in layers)
    unnormalised = networks.build_transformer_discriminator((28, 28, 1), spectral=False, **TINY_D)
    assert not any(isinstance(layer, SpectralDense) for layer in _all_layers(unnormalised))


def _all_layers(model):
    found, stack = [], list(model.layers)
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(_sublayers(layer))
    return found


def _sublayers(layer):
    return [value for value in vars(layer).values() if isinstance(value, keras.layers.Layer)]
