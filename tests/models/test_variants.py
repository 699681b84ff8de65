"""Every variant trains on real data, round-trips through its config and a .keras file."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import (
    run_save_load_check,
    run_serialization_check,
    run_training_check,
)

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}


def tiny_infogan_networks():
    """8-filter networks for InfoGAN's 8 latents (3 noise, a 4-way category, 1 continuous code).

    Built as the default networks are: with synchronized batch norm under a multi-replica strategy.
    """
    from kerasgan.backend import replicas_in_sync
    from kerasgan.networks import build_dcgan_discriminator, build_dcgan_generator

    synchronized = {"synchronized_batch_norm": replicas_in_sync() > 1}
    return {
        "generator": build_dcgan_generator(TINY["image_shape"], 8, base_filters=8, **synchronized),
        "discriminator": build_dcgan_discriminator(
            TINY["image_shape"], base_filters=8, code_outputs=(4, 1), **synchronized
        ),
    }


VARIANTS = {
    "acgan": lambda: kerasgan.ACGAN(num_classes=10, **TINY),
    "gan": lambda: kerasgan.GAN(**TINY),
    "dcgan": lambda: kerasgan.DCGAN(**TINY),
    "conditional_gan": lambda: kerasgan.ConditionalGAN(num_classes=10, **TINY),
    # Two critic updates instead of the papers' five keep the suite's time in
    # budget; test_paper_optimizer_defaults checks the default of 5.
    "wgan": lambda: kerasgan.WGAN(n_critic=2, **TINY),
    "wgan_gp": lambda: kerasgan.WGANGP(n_critic=2, **TINY),
    "lsgan": lambda: kerasgan.LSGAN(**TINY),
    # The conv discriminator, without the default lazy R1 (a third compiled phase,
    # trained with the Transformer discriminator in tests/models/test_transformer_gan.py).
    "transformer_gan": lambda: kerasgan.TransformerGAN(
        width=16, depths=(1, 1), num_heads=2, discriminator_width=8, regularizers=[], **TINY
    ),
    "infogan": lambda: kerasgan.InfoGAN(
        num_categories=4, num_continuous=1, **TINY, **tiny_infogan_networks()
    ),
    # One critic update instead of the paper's five, and width 8 (suite time);
    # tests/models/test_projection_gan.py checks the defaults.
    "projection_gan": lambda: kerasgan.ProjectionGAN(num_classes=10, n_critic=1, base_filters=8, **TINY),
    # Residual networks of width 8, one critic update (test_resnet_gans.py checks SNGAN's 5) and
    # plain convolutions (test_resnet_gans.py exports R3GAN's grouped ones).
    "sngan": lambda: kerasgan.SNGAN(base_filters=8, n_critic=1, **TINY),
    "r3gan": lambda: kerasgan.R3GAN(base_filters=8, groups=1, decay_steps=10, **TINY),
    "stylegan": lambda: kerasgan.StyleGAN(filters=8, **TINY),
}
# Variants whose checks here duplicate their own test file's (which runs
# them eagerly: their compiled steps trace for tens of seconds); -m slow.
SLOW = {"stylegan"}


def _variants(also_slow=()):
    """Every variant, those in `SLOW` or `also_slow` marked slow."""
    slow = SLOW | set(also_slow)
    return [pytest.param(v, marks=pytest.mark.slow) if v in slow else v for v in sorted(VARIANTS)]


# Round trips that trace three training steps of residual networks (a minute on 2 cores) run
# with -m slow; test_resnet_gans.py's training checks cover their variants by default.
SLOW_ROUND_TRIPS = {"sngan", "r3gan"}


def _labels_for(gan, labels):
    return labels if gan.num_classes else None


@pytest.mark.parametrize("variant", _variants())
def test_trains_on_real_data(variant, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    run_training_check(gan, images, _labels_for(gan, labels))


@pytest.mark.parametrize("variant", _variants())
def test_config_round_trip(variant):
    run_serialization_check(VARIANTS[variant]())


@pytest.mark.parametrize("variant", _variants(SLOW_ROUND_TRIPS))
def test_keras_file_round_trip_resumes(variant, fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    run_save_load_check(gan, str(tmp_path / "gan.keras"), images, _labels_for(gan, labels))


def test_paper_optimizer_defaults():
    wgan_gp = kerasgan.WGANGP(**TINY)
    wgan_gp.compile()
    assert wgan_gp.n_critic == 5
    assert isinstance(wgan_gp.d_optimizer, keras.optimizers.Adam)
    assert float(wgan_gp.d_optimizer.learning_rate) == pytest.approx(1e-4)
    assert wgan_gp.d_optimizer.beta_1 == 0.0 and wgan_gp.d_optimizer.beta_2 == 0.9
    wgan = kerasgan.WGAN(**TINY)
    wgan.compile()
    assert isinstance(wgan.g_optimizer, keras.optimizers.RMSprop)
    assert float(wgan.g_optimizer.learning_rate) == pytest.approx(5e-5)
    dcgan = kerasgan.DCGAN(**TINY)
    dcgan.compile()
    assert float(dcgan.g_optimizer.learning_rate) == pytest.approx(2e-4)
    assert dcgan.g_optimizer.beta_1 == 0.5


def test_wgan_clips_critic_after_each_step(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.WGAN(clip_value=0.005, **TINY)
    gan.compile(d_optimizer=keras.optimizers.SGD(1.0))  # large steps: clipping must act
    gan.discriminator_step(images[:16])
    largest = max(np.abs(v.numpy()).max() for v in gan.discriminator.trainable_variables)
    assert largest <= 0.005 + 1e-7


def test_wgan_gp_logs_penalty_and_uses_layer_norm(fashion_mnist_sample):
    gan = kerasgan.WGANGP(**TINY)
    kinds = {type(layer).__name__ for layer in gan.discriminator.layers}
    assert "BatchNormalization" not in kinds and "LayerNormalization" in kinds
    assert [r.name for r in gan.regularizers] == ["gp"]


def test_conditional_generates_requested_classes_differently():
    gan = kerasgan.ConditionalGAN(num_classes=10, **TINY)
    shoes = gan.generate(4, seed=0, labels=7)
    shirts = gan.generate(4, seed=0, labels=[0, 0, 0, 0])
    assert shoes.shape == (4, 28, 28, 1)
    assert not np.allclose(shoes, shirts)


def test_every_registered_latent_variant_is_tested_here():
    assert set(kerasgan.variants_of(kerasgan.GAN)) == set(VARIANTS)


def test_registration_gives_the_short_name_and_refuses_a_taken_one():
    assert kerasgan.VARIANTS["wgan_gp"] is kerasgan.WGANGP
    assert kerasgan.WGANGP.variant_name == "wgan_gp"
    with pytest.raises(ValueError, match="'dcgan' is taken by DCGAN"):

        @kerasgan.register_variant("dcgan")
        class Another(kerasgan.DCGAN):
            pass
