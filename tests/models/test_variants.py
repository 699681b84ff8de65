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
    "stylegan": lambda: kerasgan.StyleGAN(filters=8, **TINY),
}
# Variants whose checks here duplicate their own test file's (which runs
# them eagerly: their compiled steps trace for tens of seconds); -m slow.
SLOW = {"stylegan"}


def _variants():
    return [pytest.param(v, marks=pytest.mark.slow) if v in SLOW else v for v in sorted(VARIANTS)]


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


@pytest.mark.parametrize("variant", _variants())
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
