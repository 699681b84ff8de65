"""MinibatchStandardDeviation against a NumPy reference, its batch rule, saving, and its DCGAN place."""

import ast
import os

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan import networks
from kerasgan.networks import MinibatchStandardDeviation


def reference_minibatch_stddev(x, group_size, num_features):
    """The statistic group by group: example n is in group n % (N // G), as in StyleGAN2."""
    batch, height, width, channels = x.shape
    group = min(group_size, batch)
    num_groups = batch // group
    per_feature = channels // num_features
    maps = np.zeros((batch, height, width, num_features), "float64")
    for g in range(num_groups):
        members = [n for n in range(batch) if n % num_groups == g]
        for f in range(num_features):
            values = x[members, :, :, f * per_feature : (f + 1) * per_feature].astype("float64")
            variance = np.mean((values - values.mean(axis=0)) ** 2, axis=0)
            maps[members, :, :, f] = np.mean(np.sqrt(variance + 1e-8))
    return np.concatenate([x, maps.astype(x.dtype)], axis=-1)


@pytest.mark.jax
@pytest.mark.parametrize(
    "batch, group_size, num_features, channels",
    [(8, 4, 1, 3), (8, 2, 2, 4), (3, 4, 1, 2), (12, 3, 3, 6), (5, 1, 1, 1)],
)
def test_matches_numpy_reference(batch, group_size, num_features, channels):
    x = np.random.default_rng(batch + channels).normal(size=(batch, 5, 6, channels)).astype("float32")
    layer = MinibatchStandardDeviation(group_size=group_size, num_features=num_features)
    got = ops.convert_to_numpy(layer(x))
    expected = reference_minibatch_stddev(x, group_size, num_features)
    assert got.shape == (batch, 5, 6, channels + num_features)
    np.testing.assert_array_equal(got[..., :channels], x)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.jax
def test_groups_are_strided_and_each_group_gets_its_own_statistic():
    # Examples 0 and 2 (group 0) are equal: their std is ~0. Examples 1 and 3 differ.
    x = np.zeros((4, 2, 2, 1), "float32")
    x[3] = 2.0
    got = ops.convert_to_numpy(MinibatchStandardDeviation(group_size=2)(x))[:, 0, 0, 1]
    np.testing.assert_allclose(got, [1e-4, 1.0, 1e-4, 1.0], rtol=1e-4)


def test_a_batch_not_divisible_by_the_group_is_refused():
    layer = MinibatchStandardDeviation(group_size=4)
    with pytest.raises(ValueError, match=r"groups of 4 .*received a batch of 6.*drop_remainder=True"):
        layer(np.zeros((6, 2, 2, 1), "float32"))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="group_size"):
        MinibatchStandardDeviation(group_size=0)
    with pytest.raises(ValueError, match="num_features"):
        MinibatchStandardDeviation(num_features=-1)
    with pytest.raises(ValueError, match="channels divisible"):
        MinibatchStandardDeviation(num_features=2)(np.zeros((4, 2, 2, 3), "float32"))
    with pytest.raises(ValueError, match=r"\(batch, H, W, C\)"):
        MinibatchStandardDeviation()(np.zeros((4, 3), "float32"))


def test_works_when_the_batch_size_is_known_only_at_run_time():
    import tensorflow as tf

    layer = MinibatchStandardDeviation(group_size=4)
    run = tf.function(layer, input_signature=[tf.TensorSpec((None, 3, 3, 2), tf.float32)])
    x = np.random.default_rng(0).normal(size=(8, 3, 3, 2)).astype("float32")
    np.testing.assert_allclose(run(x).numpy(), reference_minibatch_stddev(x, 4, 1), rtol=1e-5, atol=1e-6)
    small = x[:2]  # fewer than group_size: one group of 2
    np.testing.assert_allclose(
        run(small).numpy(), reference_minibatch_stddev(small, 4, 1), rtol=1e-5, atol=1e-6
    )


def test_round_trips_in_a_keras_file(tmp_path):
    inputs = keras.Input((4, 4, 2))
    outputs = MinibatchStandardDeviation(group_size=2, num_features=2, name="mbstd")(inputs)
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    layer = loaded.get_layer("mbstd")
    assert isinstance(layer, MinibatchStandardDeviation) and (layer.group_size, layer.num_features) == (2, 2)
    x = np.random.default_rng(1).normal(size=(4, 4, 4, 2)).astype("float32")
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def test_dcgan_discriminator_with_it_sees_the_whole_batch():
    keras.utils.set_random_seed(0)
    critic = networks.build_dcgan_discriminator((28, 28, 1), base_filters=8, minibatch_stddev=True)
    names = [layer.name for layer in critic.layers]
    flatten = [i for i, layer in enumerate(critic.layers) if isinstance(layer, keras.layers.Flatten)]
    assert flatten == [names.index("minibatch_stddev") + 1]
    keras.utils.set_random_seed(0)
    plain = networks.build_dcgan_discriminator((28, 28, 1), base_filters=8)
    assert "minibatch_stddev" not in [layer.name for layer in plain.layers]
    x = np.random.default_rng(2).uniform(-1, 1, size=(4, 28, 28, 1)).astype("float32")
    changed = x.copy()
    changed[3] = -changed[3]
    # In inference mode batch norm uses its moving statistics, so only the
    # minibatch statistic lets example 3 change example 0's score.
    for network, couples in ((critic, True), (plain, False)):
        before = np.asarray(network(x, training=False))[0]
        after = np.asarray(network(changed, training=False))[0]
        assert (not np.array_equal(before, after)) is couples, network.name


def test_dcgan_variant_builds_it_when_asked():
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, minibatch_stddev=True)
    assert "minibatch_stddev" in [layer.name for layer in gan.discriminator.layers]
    assert "minibatch_stddev" not in [
        layer.name for layer in kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8).discriminator.layers
    ]


BATCH_NORM_BUILDERS = {
    "dcgan_generator": lambda **kw: networks.build_dcgan_generator((28, 28, 1), 8, base_filters=8, **kw),
    "dcgan_discriminator": lambda **kw: networks.build_dcgan_discriminator((28, 28, 1), base_filters=8, **kw),
    "unet_generator": lambda **kw: networks.build_unet_generator((32, 32, 3), base_filters=8, **kw),
    "patchgan_discriminator": lambda **kw: networks.build_patchgan_discriminator(
        (32, 32, 3), base_filters=8, **kw
    ),
}


@pytest.mark.parametrize("builder", sorted(BATCH_NORM_BUILDERS))
def test_batch_norm_is_synchronized_only_when_asked(builder):
    for synchronized in (False, True):
        network = BATCH_NORM_BUILDERS[builder](synchronized_batch_norm=synchronized)
        norms = [layer for layer in network.layers if isinstance(layer, keras.layers.BatchNormalization)]
        assert norms and all(layer.synchronized is synchronized for layer in norms), builder


def test_networks_know_no_backend():
    folder = os.path.dirname(networks.__file__)
    imports = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            tree = ast.parse(open(os.path.join(folder, name)).read())
            imports += [
                (name, node.module)
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kerasgan.backend")
            ]
    assert imports == []
