"""MirroredStrategy on two logical CPU devices trains exactly like one device."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from tests.distribute.replicas import two_replica_strategy
from tests.gan_test_case import make_dataset
from tests.models.test_variants import TINY, VARIANTS

GLOBAL_BATCH = 16
# Minibatch standard deviation in groups of 1: each replica groups its own
# examples, so StyleGAN's default groups of 4 give another statistic on two
# replicas than on one device (d_loss 1.30182 against 1.30286), by design.
FACTORIES = {**VARIANTS, "stylegan": lambda: kerasgan.StyleGAN(filters=8, mbstd_group_size=1, **TINY)}


@pytest.fixture(scope="module")
def strategy():
    return two_replica_strategy()


def _compiled(variant):
    gan = FACTORIES[variant]()
    # SGD: unlike Adam, its update is proportional to the gradient, so a loss
    # summed instead of averaged over replicas would show up in the weights.
    gan.compile(d_optimizer=keras.optimizers.SGD(1e-3), g_optimizer=keras.optimizers.SGD(1e-3))
    return gan


# Batch norm, labels, and a gradient penalty with five critic steps run by
# default; the others add only a loss or a weight clip and run with -m slow.
SLOW = {"gan", "wgan", "lsgan", "acgan"}  # same paths as dcgan / conditional_gan
# TransformerGAN: no batch norm, and its default lazy R1 runs on several replicas only
# where the core allows lazy phases there.
SLOW |= {"transformer_gan"}
SLOW.add("infogan")  # the DCGAN paths, plus a Q head on the same discriminator
# Its conditional norms are keras BatchNormalization(synchronized=...) plus per-class rows: dcgan's path.
SLOW.add("projection_gan")
SLOW |= {"sngan", "r3gan"}  # residual networks, costly to trace: run with -m slow
SLOW |= {"stylegan"}  # its compiled step traces for about 25 s


@pytest.mark.parametrize(
    "variant",
    [pytest.param(v, marks=pytest.mark.slow) if v in SLOW else v for v in sorted(VARIANTS)],
)
def test_two_replicas_match_one_device(variant, strategy, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    # Seeded: how far float32 sums in another order drift depends on the weights,
    # which must not depend on the tests that ran before in this process.
    keras.utils.set_random_seed(0)
    single = _compiled(variant)
    with strategy.scope():
        mirrored = _compiled(variant)
    mirrored.set_weights(single.get_weights())
    data = make_dataset(images, labels if single.num_classes else None, GLOBAL_BATCH).take(2)

    single_logs = single.fit(data, epochs=1, verbose=0, shuffle=False).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0, shuffle=False).history

    for name, values in single_logs.items():
        # WGAN's critic loss is a difference of two means near 0, where a relative
        # tolerance alone would ask for more than float32 sums in another order give.
        np.testing.assert_allclose(mirrored_logs[name], values, rtol=1e-4, atol=1e-6, err_msg=name)
    moved = 0.0
    for before, one, two in zip(_compiled(variant).weights, single.weights, mirrored.weights):
        one, two = np.asarray(one), np.asarray(two)
        np.testing.assert_allclose(two, one, atol=1e-4, err_msg=one.shape)
        moved = max(moved, float(np.max(np.abs(one - np.asarray(before)))))
    assert moved > 1e-4, "the steps did not change the weights, so the comparison shows nothing"


def test_replicas_draw_distinct_slices_of_one_draw(strategy):
    with strategy.scope():
        gan = kerasgan.GAN(latent_dim=4, seed=3)
    per_replica = strategy.run(tf.function(lambda: gan.sample_latents(2)))
    first, second = (np.asarray(v) for v in strategy.experimental_local_results(per_replica))
    assert not np.allclose(first, second), "both replicas drew the same latents"
    reference = kerasgan.GAN(latent_dim=4, seed=3).sample_latents(4)
    np.testing.assert_array_equal(np.concatenate([first, second]), np.asarray(reference))


def test_batch_norm_is_synchronized_under_strategy(strategy):
    with strategy.scope():
        gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8)
    norms = [layer for layer in gan.generator.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert norms and all(layer.synchronized for layer in norms)
    plain = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8)
    assert not any(
        layer.synchronized
        for layer in plain.generator.layers
        if isinstance(layer, keras.layers.BatchNormalization)
    )


def test_the_mean_style_averages_the_replicas_batches(strategy):
    """StyleGAN's saved mean style moves by the whole batch's w, not by one replica's half.

    (`PathLengthPenalty.mean_length` takes the same aggregation; the slow
    `test_two_replicas_match_one_device[stylegan]` compares it.)
    """
    from kerasgan.networks import build_stylegan_generator

    latents = np.random.default_rng(0).normal(size=(8, 8)).astype("float32")
    with strategy.scope():
        generator = build_stylegan_generator((14, 14, 1), latent_dim=8, w_dim=8, filters=8)
    single = build_stylegan_generator((14, 14, 1), latent_dim=8, w_dim=8, filters=8)
    single.set_weights(generator.get_weights())
    halves = strategy.experimental_distribute_values_from_function(
        lambda context: latents[4 * context.replica_id_in_sync_group :][:4]
    )
    strategy.run(tf.function(lambda z: generator.styles(z, training=True)), args=(halves,))
    single.styles(latents, training=True)
    assert np.abs(np.asarray(single.w_avg)).max() > 1e-3, "the mean style did not move"
    np.testing.assert_allclose(np.asarray(generator.w_avg), np.asarray(single.w_avg), atol=1e-6)
